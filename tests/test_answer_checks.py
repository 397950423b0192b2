"""A figure whose row fails its table's own check says so; a figure printed with another value
elsewhere in the report comes with the other as `conflicts` (issue #15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.answer import Answerer, quotes_of
from api.search import Searcher
from indexer.build import build
from indexer.settings import Settings

FIXTURE = Path(__file__).parent / "fixtures" / "checks_conflicts.txt"


@pytest.fixture(scope="module", params=["rules", "learned"])
def answerer(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    root = tmp_path_factory.mktemp(f"checks-{request.param}")
    corpus = root / "corpus"
    corpus.mkdir()
    shutil.copy(FIXTURE, corpus / "testila.txt")
    (corpus / "manifest.json").write_text(json.dumps({"documents": {"testila.txt": {
        "municipality": "Testilä", "doc_type": "tilinpäätös"}}}), encoding="utf-8")
    settings = Settings(corpus=corpus, index=root / "index", cache=root / "cache", workers=1,
                        answers=request.param)
    assert not build(settings, progress=False).failed
    return Answerer(Searcher.open(settings))


def test_a_figure_printed_twice_differently_carries_the_other(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko oli Testilän osuus yhteisöveron tuotosta 2024?")
    assert out["answer_type"] == "table_cell"
    given = out["value"]["number"]
    assert given in (15375879.42, 31049287.88)
    other = 31049287.88 if given == 15375879.42 else 15375879.42
    assert [c["number"] for c in out["conflicts"]] == [other]
    conflict = out["conflicts"][0]
    assert conflict["document"]["municipality"] == "Testilä"
    assert conflict["quote"].startswith("Osuus yhteisöveron tuotosta 17 582 013,25")


def test_a_row_failing_its_tables_check_says_so_or_gives_way(answerer: Answerer) -> None:
    out = answerer.ask("Testilän valtionosuuksien poikkeama talousarviosta 2024")
    if out["answer_type"] == "table_cell" and out["table"]["row_label"] == "Valtionosuudet":
        assert out["table"]["failed_checks"] == ["Poikkeama = Toteutuma 2024 − TA 2024"]
        assert "huom.: rivi ei täsmää" in out["answer"]
    else:  # the learned model may give way to another candidate
        assert answerer.chooser is not None and "900" not in (out["answer"] or "")
    if answerer.chooser is None:  # the rules answer from the row, and say so
        assert out["answer_type"] == "table_cell" and out["table"]["failed_checks"]


def test_a_row_that_holds_carries_no_warning(answerer: Answerer) -> None:
    held = answerer.ask("Testilän verotulojen poikkeama talousarviosta 2024")
    assert held["answer_type"] == "table_cell" and held["table"]["failed_checks"] == []
    assert "huom." not in held["answer"] and "conflicts" not in held


def test_an_overrun_the_table_does_not_print_is_computed_from_two_cells(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko Testilän liikuntapalvelut ylittivät talousarvion 2024?")
    assert out["answer_type"] == "table_cell"
    assert out["value"]["number"] == -52480.0 and out["value"]["text"] == "-52 480"
    assert out["table"]["computed"] == {"operation": "difference", "columns": [1, 0],
                                        "headers": ["Toteutuma 2024", "TA 2024"]}
    assert "-1 302 480 − -1 250 000 = -52 480" in out["answer"]
    assert out["citations"][0]["quote"] == "Liikuntapalvelut -1 250 000 -1 302 480"


def test_a_change_between_years_is_computed_from_the_years_asked(answerer: Answerer) -> None:
    out = answerer.ask("Kuinka paljon Testilän kouluateriat vähenivät vuodesta 2023 vuoteen 2024?")
    assert out["value"]["number"] == -10090.0
    assert out["table"]["computed"]["headers"] == ["2024", "2023"]


def test_a_printed_difference_column_is_taken_not_the_budget(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko Testilän toimintakulut ylittivät talousarvion 2024?")
    assert out["table"]["column"] == "Poikkeama" and out["value"]["number"] == -500.0
    assert "computed" not in out["table"]


def test_a_later_year_only_named_in_a_report_is_not_covered(answerer: Answerer) -> None:
    assert answerer.searcher.docs and all(d.year == 2024 for d in answerer.searcher.docs.values())
    out = answerer.ask("Paljonko Testilän koulun rakentaminen maksoi vuonna 2027?")
    assert not out["found"] and out["reason_code"] == "uncovered_year"
    # …but a budget for that year may be stated in it
    budget = answerer.ask("Mikä on Testilän koulun rakentamisen talousarvio vuodelle 2027?")
    assert budget.get("reason_code") != "uncovered_year"


def test_a_budget_is_stated_at_most_the_plans_years_ahead_a_goal_any_year(answerer: Answerer) -> None:
    # the 2024 report names 2031 in its strategy's span: a goal for that year, no budget of it
    # (a budget and plan reach three years past the report's year: 2027 above is covered)
    out = answerer.ask("Paljonko Testilän pääkirjaston talousarvio on vuodelle 2031?")
    assert not out["found"] and out["reason_code"] == "uncovered_year" and "2031" in out["reason"]
    goal = answerer.ask("Mikä on Testilän kaupunkistrategian tavoite pääkirjastolle vuonna 2031?")
    assert goal.get("reason_code") != "uncovered_year"


def test_next_years_tax_rate_is_stated_in_a_report_with_its_budget(answerer: Answerer) -> None:
    # the council decides the tax rate with the budget, for the budget's year
    out = answerer.ask("Testilän uusi tuloveroprosentti 2025")
    assert out.get("reason_code") != "uncovered_year"
    assert out["found"] and "8,90" in out["answer"]


def test_a_later_years_plan_column_covers_a_plan_not_an_actual(answerer: Answerer) -> None:
    # the 2024 report's "TS 2026" column is a plan: no actual of 2026 is reported in it…
    out = answerer.ask("Paljonko Testilän uimahallin käyttömenot olivat vuonna 2026?")
    assert not out["found"] and out["reason_code"] == "uncovered_year"
    # …but the plan for that year is
    plan = answerer.ask("Paljonko Testilän uimahallin käyttömenoiksi on suunniteltu vuodelle 2026?")
    assert plan.get("reason_code") != "uncovered_year"


def test_a_half_years_actual_is_no_overrun_of_the_years_budget(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko Testilän nuorisopalvelut ylittivät talousarvion 2024?")
    assert "Toteuma 1-6/2024" not in (out.get("table") or {}).get("computed", {}).get("headers", [])
    # …unless the question asks about that half year against the whole year's budget
    half = answerer.ask("Paljonko Testilän puheterapian toteuma tammi–kesäkuussa 2024 ylitti koko "
                        "vuoden talousarvion?")
    assert half["value"]["number"] == 48.0
    assert half["table"]["computed"]["headers"] == ["Toteuma 1-6/2024", "TA 2024"]


def test_a_share_asked_in_words_is_the_percent_column_not_the_periods_amount(answerer: Answerer) -> None:
    out = answerer.ask("Montako prosenttia Testilän nuorisopalvelujen talousarviosta oli toteutunut "
                       "kesäkuun loppuun 2024 mennessä?")
    assert out["table"]["column"] == "Toteuma-%" and out["value"]["number"] == 54.0
    assert "computed" not in out["table"]


def test_an_underrun_asked_yes_or_no_is_the_difference_printed_on_the_total(answerer: Answerer) -> None:
    # the original budget's line (labelled "Kulttuuripalvelut") has no Poikkeama: the block's
    # total ("" · "Yhteensä", grouped under "Kulttuuripalvelut") holds the underrun
    out = answerer.ask("Alittuivatko Testilän kulttuuripalvelut talousarviosta 2024?")
    assert out["table"]["column"] == "Poikkeama" and out["value"]["number"] == 10000.0


def test_a_budget_change_asked_by_its_month_is_the_line_of_that_decision(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko Testilän museopalvelujen määrärahaa muutettiin toukokuussa 2024?")
    assert out["value"]["number"] == 35000.0
    assert out["table"]["row_label"] == "Museopalvelut, Kv 27.5. § 45 muutos"


def test_an_answer_quotes_a_decision_where_its_citations_overlap_the_decisions() -> None:
    # (a figure question's päätös answers where the answer model's choice quotes it)
    def answer(*spans: tuple[str, int, int]) -> dict:
        return {"citations": [{"document": {"id": d}, "start": a, "end": b} for d, a, b in spans]}

    decided = answer(("kh", 100, 400))
    assert quotes_of(answer(("kh", 120, 180)), decided)  # a sentence of the päätös
    assert quotes_of(answer(("kh", 50, 110)), decided)  # the päätös with its label
    assert not quotes_of(answer(("kh", 400, 450)), decided)  # the § 's next sentence
    assert not quotes_of(answer(("kv", 120, 180)), decided)  # another document
    assert not quotes_of(answer(), decided)  # citing nothing quotes nothing
