"""The period a figure is of against the year a question asks (api/cells.py `stated_years`,
`period_fit`, `column_score`'s remainder; api/choose.py's `period_year_fit` / `period_year_clash`):
the year a column's header states, else its table's title or its section ("Talouden
toteutumaraportti 1.1.-31.10.2025"), else a report's own year; a column of the earlier years'
figures; what is left of an appropriation beside what was used. Forms as the corpus's reports
and minutes print them, and two board meetings a year apart printing the same table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import built_settings

from api.answer import Answerer
from api.cells import column_score, nearest_years, period_fit, pick_column, stated_years, years_in
from api.index import Hit
from api.query import period_cues
from api.search import Searcher


@pytest.mark.parametrize(("text", "years"), [
    ("Lapuan kaupungin talouden toteutumaraportti 1.1.-31.10.2024", {2024}),
    ("Hyvinvointilautakunnan investointiesitys vuosille 2026-2028", {2026, 2027, 2028}),
    ("3 TA26, investoinnit", {2026}),  # two digits after a column's role
    ("TOT-24 %", {2024}),
    ("TA 24 %", {2024}),
    ("TOT 12 kk", set()),  # a count of months, no year
    ("TA 24,5", set()),  # a decimal
    ("Tot.-%", set()),
    ("Toteuma 1-6/2022", {2022}),
    # a § and a "see", no year; a month before a slash is no year either
    ("Hankkeen rahoitus on esitetty talousarviossa (ks. 15 §).", set()),
    ("Tot 06/25", set()),
    ("TA 12/2024", {2024}),
    ("KS24", {2024}),  # a "käyttösuunnitelma" column's year
])
def test_the_years_a_text_states(text: str, years: set[int]) -> None:
    assert stated_years(text) == years


def test_the_four_digit_years_a_text_prints() -> None:
    assert years_in("TA 2024 / toteuma 1.1.-31.10.2023") == {2023, 2024}
    assert years_in("Tilinpäätös 1999") == {1999}
    # a longer number, a count of months, a two-digit year: none (`stated_years` reads those)
    assert years_in("Tili 120245, TOT 12 kk, TA26") == set()
    assert years_in(None) == set()


def _fit(parts: list[str], question: str, own_year: int | None, earlier: bool = False) -> dict:
    return period_fit(nearest_years(parts), period_cues(question), own_year, earlier)


def test_the_period_by_the_nearest_text_stating_a_year() -> None:
    asked = "Paljonko investointeja oli toteutunut lokakuun 2024 loppuun mennessä?"
    # the header says no year: the section does
    assert _fit(["Tot.-%", "Investoinnit", "Toteutumaraportti 1.1.-31.10.2025"], asked, None) == \
        {"period_year_fit": 0.0, "period_year_clash": 1.0}
    assert _fit(["Tot.-%", "Investoinnit", "Toteutumaraportti 1.1.-31.10.2024"], asked,
                None)["period_year_fit"] == 1.0
    # the header's year before the section's
    assert _fit(["TP 2023", "", "Tilinpäätös 2024"], asked, 2024)["period_year_clash"] == 1.0
    # nothing but the report states it: a financial statement 2024 is of 2024
    assert _fit(["Toteutuma", "Tuloslaskelma", "3.1 Tuloslaskelma"], asked, 2024)["period_year_fit"] == 1.0
    # minutes (no report year) stating no year: neither
    assert _fit(["Toteutuma", "", "§ 12 Ilmoitusasiat"], asked, None) == \
        {"period_year_fit": 0.0, "period_year_clash": 0.0}
    # no year asked: neither
    assert _fit(["TP 2023", "", ""], "Paljonko investointeja oli toteutunut?", 2024) == \
        {"period_year_fit": 0.0, "period_year_clash": 0.0}
    # the nearest text stating a year: its header's, else its title's or section's
    assert nearest_years(["TP 2023", "", "Tilinpäätös 2024"]) == {2023}
    assert nearest_years(["Toteutuma", "", "Tilinpäätös 2024"]) == {2024}
    assert nearest_years(["Toteutuma", "", ""]) == set()


def test_a_column_of_the_earlier_years_is_not_the_years_own() -> None:
    # Seinäjoki's investment table: "Edellisten vuosien" costs beside the year's "Toteutuma"
    question = "Paljonko Nurmon liikuntahallin laajennukseen käytettiin vuonna 2024?"
    assert not period_cues(question).earlier
    assert _fit(["Edellisten", "Kaupunki", ""], question, 2024, earlier=True)["period_year_clash"] == 1.0
    asked_earlier = "Paljonko laajennukseen oli käytetty edellisinä vuosina ennen vuotta 2024?"
    assert period_cues(asked_earlier).earlier
    assert _fit(["Edellisten", "Kaupunki", ""], asked_earlier, 2024,
                earlier=True)["period_year_clash"] == 0.0


def test_what_is_left_of_an_appropriation_only_where_it_is_asked() -> None:
    asked = "Paljonko Honkimetsän keskusvaraston investointimäärärahasta {} vuonna 2024?"
    used, left = period_cues(asked.format("käytettiin")), period_cues(asked.format("jäi käyttämättä"))
    assert not used.remainder and left.remainder
    assert column_score("Käytetty", used) > column_score("Käyttämättä 2024 €", used)
    assert column_score("Käyttämättä 2024 €", left) > column_score("Käytetty", left)
    assert column_score("Jäljellä", left) > column_score("TOT 2024", left)
    # no year named: what is left, not the overrun beside it (both read as a difference)
    left = period_cues("Paljonko keskusvaraston investointimäärärahasta jäi käyttämättä?")
    assert left.remainder and left.difference
    assert column_score("Jäljellä €", left) > column_score("Poikkeama", left)
    assert pick_column(["TA 2024", "Poikkeama", "Jäljellä €"],
                       [{"text": "100", "number": 100.0}, {"text": "-5", "number": -5.0},
                        {"text": "20", "number": 20.0}], left) == 2


# the city board's monthly report of the same table a year apart: the header ("Tot.-%") names no
# year, the § 's title does
MEETINGS = {
    "testila_kh_2024-11-21.txt": ("2024-11-21", "2024", "66,9", "-5 600 000"),
    "testila_kh_2025-11-18.txt": ("2025-11-18", "2025", "58,6", "-7 200 000"),
}


def make_meetings_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    manifest = {}
    for name, (day, year, share, spent) in MEETINGS.items():
        (folder / name).write_text(
            f"# § 300 Testilän kaupungin talouden toteutumaraportti 1.1.-31.10.{year}\n\n"
            f"Kaupunginhallitus merkitsee tiedoksi talouden toteutumisen lokakuun loppuun.\n\n"
            f"\tTA {year}\tToteutuma\tTot.-%\n"
            f"Investointien nettomenot\t-9 600 000\t{spent}\t{share}\n",
            encoding="utf-8")
        manifest[name] = {"municipality": "Testilä", "doc_type": "pöytäkirja",
                          "body": "Kaupunginhallitus", "meeting_date": day}
    (folder / "manifest.json").write_text(json.dumps({"documents": manifest}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def meetings() -> Answerer:
    return Answerer(Searcher.open(built_settings("kuntahaku-periods-", make_meetings_corpus)))


def test_a_cell_of_the_report_of_another_year_clashes(meetings: Answerer) -> None:
    s = meetings.searcher
    question = "Montako prosenttia Testilän investointien nettomenoista oli toteutunut lokakuun 2024 loppuun?"
    info = s.prepare(question)[0]
    # both meetings' rows (the ranking keeps one of two so alike)
    hits = [Hit(n, 1.0, 1.0, 1.0) for n, p in enumerate(s.passages) if p["kind"] == "table_row"]
    shares = {}
    for c in meetings.chooser.candidates(info, hits):
        p = s.passages[c.n]
        if c.kind == "cell" and s.table(p["table_id"])["columns"][c.col] == "Tot.-%":
            shares[s.docs[p["doc_id"]].meeting_date[:4]] = (c.features["period_year_fit"],
                                                            c.features["period_year_clash"])
    assert shares == {"2024": (1.0, 0.0), "2025": (0.0, 1.0)}
    out = meetings.ask(question)
    assert (out["value"] or {}).get("number") == 66.9, out
