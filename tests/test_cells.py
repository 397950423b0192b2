"""Figure cells by the role of their column (api/cells.py): the budget and its relatives, a goal's
target and baseline, a forecast, the amended budget that is no difference, the operands of a difference, and
a row label's words the question says, a row holding both years of a change asked, a change
between the two months asked. Rows and headers as the corpus's reports print them."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from api.cells import (
    Cells,
    change_months,
    difference_operands,
    follow_up_fit,
    has_difference_column,
    holds_change,
    label_words,
    pick_column,
    states_difference,
)
from api.query import STATUS_WORDS, QueryInfo, intent_of, period_cues
from indexer.analyze import get_analyzer


def cells(*texts: str) -> list[dict]:
    """A row's cells: a number where the text is one ("" is an empty cell)."""
    return [{"text": t, "number": float(t.replace(" ", "").replace(",", ".")) if t else None}
            for t in texts]


@pytest.mark.parametrize(("question", "columns", "expected"), [
    # a goal's target asked for: the Tavoitearvo column, not the actual beside it
    ("Mikä oli Seinäjoen tavoitearvo investointien toteutumiselle vuonna 2024?",
     ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"], "Tavoitearvo"),
    ("Mikä oli investointien toteuma-arvo 2024?", ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"],
     "Toteuma-arvo"),
    # a year's figure of a goal table: the actual, not the baseline set with the goal
    ("Montako fyysistä kirjastokäyntiä asukasta kohti Seinäjoella oli vuonna 2024?",
     ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"], "Toteuma-arvo"),
    ("Mikä oli fyysisten kirjastokäyntien nykyarvo?", ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"],
     "Nykyarvo"),
    # …but a baseline that is the year's actual too (Mikkeli's "Lähtötaso /toteuma 2022") is one
    ("Mikä oli Mikkelin kotona asuvien määrän toteuma?", ["Arvio", "Lähtötaso /toteuma 2022"],
     "Lähtötaso /toteuma 2022"),
    # the budget decided, not the frame set before it (Lapua's "Raami 2025" beside "TA 2025")
    ("Paljonko Lapua on budjetoinut korkokuluihin vuodelle 2025?", ["Raami 2025", "TA 2025"], "TA 2025"),
    # the allocation plan (käyttösuunnitelma, KS) is the budget's
    ("Mikä on hallintopalvelujen nettomenojen käyttösuunnitelma vuodelle 2022?",
     ["TP 2021", "TA/KS+muutos 2022", "TOT 30.6. 2022"], "TA/KS+muutos 2022"),
    # a figure estimated for the whole year is its forecast
    ("Paljonko perusturvatoimialan toimintatuottojen arvioidaan olevan koko vuonna 2022?",
     ["TP 2021", "TA 2022", "Toteuma 1-6/2022", "TP-ENNUSTE 2022"], "TP-ENNUSTE 2022"),
])
def test_the_column_by_its_role(question: str, columns: list[str], expected: str) -> None:
    row = cells(*["1"] * len(columns))
    assert columns[pick_column(columns, row, period_cues(question))] == expected


def test_the_amended_budget_is_no_difference_column() -> None:
    for header in ("TA + MUUTOS 2021", "TA/KS+muutos 2022", "TA 2024 +muutos", "TA+muutos"):
        assert not has_difference_column({"columns": [header]}), header
        assert not states_difference(header), header
    for header in ("Poikkeama", "Muutos", "Muutossumma", "MUUTOS TP2023/2024", "Ero raamiin"):
        assert has_difference_column({"columns": [header]}), header
    # the budget's changes are a difference of the budget, not an overrun the rules answer from
    assert states_difference("TA muutokset") and not has_difference_column({"columns": ["TA muutokset"]})


def _difference(question: str, columns: list[str], row: list[str]) -> float:
    values = cells(*row)
    a, b = difference_operands(columns, values, period_cues(question))
    return round(values[a]["number"] - values[b]["number"], 2)


def test_an_overrun_of_an_appropriation() -> None:
    # Kauhava's investments: Toteuma − Tarkistettu määräraha (the revised one, right of the original)
    columns = ["Alkuper. määräraha", "Alkuper. tuloarvio", "Tarkistettu määräraha",
               "Tarkistettu tuloarvio", "Toteuma inv.menot", "Toteuma inv.tulot", "Menot Tot-%"]
    row = ["1 250 000", "", "1 720 000", "", "1 734 471,07", "", "100,8"]
    assert _difference("Paljonko keskuskeittiön investointimenot ylittivät tarkistetun määrärahan?",
                       columns, row) == 14471.07


def test_an_overrun_of_the_amended_budget_of_the_year_asked() -> None:
    # Kemijärvi: TP 2021 − TA + MUUTOS 2021; the next year's plan and half year are no operands
    columns = ["TP 2020", "TA + MUUTOS 2021", "TP 2021", "TA/KS+muutos 2022", "TOT. 30.6. 2022"]
    row = ["-6 356 771", "-6 341 800", "-6 554 890", "-7 222 750", "-3 912 901"]
    assert _difference("Paljonko hallinto- ja tukipalvelujen toimintakulut ylittivät talousarvion "
                       "vuonna 2021?", columns, row) == -213090


def test_a_forecast_against_the_budget_and_an_actual_against_its_target() -> None:
    kemi = ["TP 2021", "TA 2022", "TOTEUMA 1-6/2022", "TP-ENNUSTE 2022"]
    assert _difference("Paljonko lastensuojeluilmoitusten ennuste vuodelle 2022 ylittää talousarvion?",
                       kemi, ["643", "565", "533", "950"]) == 385
    goal = ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"]
    assert _difference("Kuinka paljon taidehallin kävijämäärä jäi tavoitearvosta vuonna 2024?",
                       goal, ["14 700", "20 000", "14 100"]) == -5900


def test_a_comparative_asks_a_difference_of_the_figures_it_sets_side_by_side() -> None:
    assert intent_of("Paljonko terveysneuvontakäyntejä oli tammi–kesäkuussa 2022 enemmän kuin koko "
                     "vuoden talousarviossa?") == ("figure", "difference")
    kemi = ["TP 2021", "TA 2022", "TOTEUMA 1-6/2022", "TP-ENNUSTE 2022"]
    assert _difference("Paljonko terveysneuvontakäyntejä oli tammi–kesäkuussa 2022 enemmän kuin koko "
                       "vuoden talousarviossa?", kemi, ["", "7 000", "8 857", "14 000"]) == 1857
    mikkeli = ["TP 2020", "TA 2021", "Tot. 1-7/2021", "Tot.%", "Jäljellä"]
    assert _difference("Paljonko peruspalvelujen talousarvio 2021 oli suurempi kuin vuoden 2020 "
                       "toteutuma?", mikkeli,
                       ["-121 076 073", "-123 745 100", "-84 881 148", "68,59", "-38 863 952"]) == 2669027


@pytest.mark.parametrize("question", [
    "Paljonko Seinäjoen vuosikate parani vuodesta 2023 vuoteen 2024?",
    "Paljonko vuosikate heikkeni vuonna 2024?",
    "Paljonko Lapuan alakoulujen toimintatuotot muuttuvat talousarviossa?",
    "How much more was spent than budgeted in 2024?",
])
def test_a_change_for_better_or_worse_asks_a_difference(question: str) -> None:
    assert intent_of(question) == ("figure", "difference")
    assert period_cues(question).difference


def test_a_row_label_that_says_more_of_the_question() -> None:
    analyzer = get_analyzer("auto")
    text = "Ylittyivätkö kaupunginvaltuuston muut toimintakulut vuonna 2024, ja kuinka paljon?"
    info = QueryInfo(text=text, language="fi", terms=analyzer.terms(text))
    assert label_words(analyzer, "Muut toimintakulut", info) == (2.0, 0.0)
    assert label_words(analyzer, "TOIMINTAKULUT", info) == (1.0, 0.0)
    assert label_words(analyzer, "Toimintatuotot", info) == (0.0, 1.0)


def test_a_row_holding_both_years_of_the_change_asked() -> None:
    cues = period_cues("Paljonko Seinäjoen vuosikate parani vuodesta 2023 vuoteen 2024?")
    table = {"columns": ["2024", "2023"]}
    assert holds_change(table, {"cells": cells("18 033", "7 503")}, cues)
    # one year's figure only, another year than asked, or a table printing its own change
    assert not holds_change(table, {"cells": cells("18 033", "")}, cues)
    assert not holds_change({"columns": ["2022", "2021"]}, {"cells": cells("18 033", "7 503")}, cues)
    assert not holds_change({"columns": ["2024", "2023", "Muutos"]},
                            {"cells": cells("18 033", "7 503", "10 530")}, cues)
    # a change against the budget is an overrun, not a change between years
    assert not holds_change({"columns": ["TA 2024", "TP 2024"]}, {"cells": cells("1", "2")},
                            period_cues("Paljonko vuosikate ylitti talousarvion vuonna 2024?"))


def test_a_sentence_saying_the_change_of_what_the_row_names() -> None:
    texts = ["Vuoden 2024 tilinpäätöksessä vuosikate on 66,9 milj. euroa (vuonna 2023: 53,1 milj. "
             "euroa). Kestäväksi tasoksi asetettu enintään 2 %:n toimintakatekasvu.",
             "Määrä on 0,4 miljoonaa euroa korkeampi kuin vuonna 2023, eli verotulot kasvoivat "
             "1,3 prosenttia edellisestä vuodesta."]
    searcher = SimpleNamespace(analyzer=get_analyzer("auto"), table=None,
                               passages=[{"text": t} for t in texts])
    figures = Cells(searcher, coverage=lambda info, n: 0.0)
    # both figures printed, and a change of another thing: the row's cells give the change
    assert not figures._says_change(0, "Vuosikate")
    # the change said in words: the sentence answers it
    assert figures._says_change(1, "Verotulot")


def test_a_change_between_the_two_months_asked() -> None:
    # Lapua's monthly unemployment tables: from a year before, and from the month before
    columns = ["Työttömät työnhakijat 31.5.2025", "Työttömyys-% 31.5.2025", "Työttömyys-% 5/2024",
               "Muutos 5/2025 5/2024", "Muutos 6/2025 5/2025"]
    row = cells("417", "6,6", "5,5", "69", "-42")
    cues = period_cues("Paljonko työttömien työnhakijoiden määrä Lapualla muuttui toukokuusta "
                       "kesäkuuhun 2025?")
    assert cues.months == (5, 6) and cues.end_month == 6
    assert columns[pick_column(columns, row, cues)] == "Muutos 6/2025 5/2025"
    # no two months named: the change columns as before (the leftmost, from a year before)
    cues = period_cues("Paljonko työttömien työnhakijoiden määrä muuttui vuodessa?")
    assert columns[pick_column(columns, row, cues)] == "Muutos 5/2025 5/2024"
    assert change_months("Muutos 6/2025 5/2025") == {5, 6}
    assert change_months("Muutos 5/2025 5/2024") == {5}
    assert change_months("Toteuma 1-6/2022") is None and change_months("Poikkeama") is None


def _asked(question: str, columns: list[str], texts: list[str]) -> str:
    """The text of the cell `Cells.asked` takes of a goal-table row, its label "Tavoite"."""
    table = {"columns": columns, "label_header": "Tavoite",
             "rows": [{"label": "Tavoite", "cells": [{"text": t} for t in texts]}]}
    analyzer = get_analyzer("auto")
    figures = Cells(SimpleNamespace(analyzer=analyzer, table=lambda _id: table), coverage=lambda i, n: 0.0)
    row_text = " ".join(["Tavoite", *texts])
    info = QueryInfo(text=question, language="fi", terms=analyzer.terms(question),
                     years=[int(y) for y in re.findall(r"20\d\d", question)],
                     status=bool(STATUS_WORDS.search(question)))
    span = figures.asked({"table_id": 1, "row_index": 0}, row_text, info)
    assert span is not None
    return row_text[span[0]:span[1]]


def test_a_status_question_takes_the_follow_up_column_proper() -> None:
    # Kemi's goal tables: the measure "and how it is assessed" comes before the follow-up
    assert _asked("Toteutuiko ennaltaehkäisevän työn vahvistaminen alkuvuonna 2022?",
                  ["Toimenpiteet", "Vastuu ja aikataulu", "Mittarit, arviointi", "Toteuma 1-6/2022"],
                  ["Yhteistyötä tehdään hankkeiden kanssa", "Perusturva", "Koulutettujen määrä",
                   "Ei toteutunut/ ei seuranta."]) == "Ei toteutunut/ ei seuranta."
    # Seinäjoki's: a baseline that is an earlier year's actual, then the target and the actual
    assert _asked("Missä vaiheessa tilojen käyttöaste oli vuonna 2024?",
                  ["Mittari", "Lähtötaso /toteuma 2022", "Tavoitetaso 2024", "Toteuma 2024"],
                  ["Käyttöaste, %", "95", "100", "97"]) == "97"
    # a budget's "…arvio" is no assessment
    assert _asked("Onko rakennushankkeen määräraha toteutunut?", ["Talousarvio €", "Toteutuma €"],
                  ["120 000", "98 500"]) == "98 500"
    assert follow_up_fit("Toteuma 2024", [2024]) > follow_up_fit("Toteuma 2023", [2024])
    assert follow_up_fit("Arvio toteutumisesta", []) > follow_up_fit("Seuranta-indikaattorit", []) \
        > follow_up_fit("Lähtötilanne/ tavoite", [])


@pytest.mark.parametrize(("question", "expected"), [
    ("Paljonko olivat Testilän toimintakulut vuonna 2024?", "Kaupunki 2024"),
    ("Paljonko olivat Testilän konsernin toimintakulut vuonna 2024?", "Konserni 2024"),
    ("What were the group's operating expenses in 2024?", "Konserni 2024"),
])
def test_the_groups_column_only_where_the_question_names_the_group(question: str, expected: str) -> None:
    columns = ["Konserni 2024", "Kaupunki 2024"]
    row = [{"text": "-352 000", "number": -352000.0}, {"text": "-301 000", "number": -301000.0}]
    assert columns[pick_column(columns, row, period_cues(question))] == expected


def test_a_count_row_under_a_money_table_answers_without_the_tables_unit() -> None:
    # Kauhava tilinpäätös 2024 p. 35: "Asukasmäärä" under TASEEN TUNNUSLUVUT, a table whose unit
    # is "1000 €"; the parser gives the row no unit, and the answer adds none ("15 049", not
    # "15 049 1000 €")
    doc = SimpleNamespace(municipality="Kauhava", title="Kauhavan kaupungin tilinpäätös 2024",
                          body="", source_file="Kauhava.pdf", meeting_date="",
                          as_json=lambda: {}, read_by_ocr=lambda a, b: False)
    searcher = SimpleNamespace(analyzer=get_analyzer("auto"), docs={"d": doc}, items={}, table=None,
                               text_span=lambda d, a, b: "Asukasmäärä 15 049 15 164")
    p = {"doc_id": "d", "page": 35, "section": "", "id": "p", "kind": "table_row", "part": None,
         "item_id": None, "row_index": 1}
    table = {"id": "t", "title": "TASEEN TUNNUSLUVUT", "unit": "1000 €", "columns": ["2024", "2023"],
             "rows": []}
    rows = [{"label": "Vuosikate", "groups": [], "start": 0, "end": 10,
             "cells": [{"text": "15 239", "number": 15239.0, "unit": "1000 €"}]},
            {"label": "Asukasmäärä", "groups": [], "start": 0, "end": 25,
             "cells": [{"text": "15 049", "number": 15049.0, "unit": None}]}]
    figures = Cells(searcher, coverage=lambda info, n: 0.0)
    counted = figures.answer_cell(p, table, rows[1], 0)
    assert counted["value"]["unit"] is None
    assert counted["answer"].startswith("Asukasmäärä, 2024: 15 049 (Kauhava")
    assert figures.answer_cell(p, table, rows[0], 0)["value"]["unit"] == "1000 €"
