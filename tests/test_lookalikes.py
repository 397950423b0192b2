"""A figure among rows that look alike (api/choose.py, api/cells.py): the same label in the
group's (konserni) table or column beside the city's, a column whose own words the question
says ("euroa / vuosi" beside "euroa / kuukausi"), a board the question names, a sentence naming
only the year asked. Features on the corpus's forms, and the shipped model's choice over a small
statement printing the group's table first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import built_settings

from api.answer import Answerer
from api.cells import entity_fit, entity_names, header_words
from api.choose import states_figure, undated
from api.search import Searcher
from indexer.settings import Settings

# a financial statement printing the group's cash flow statement before the city's, and an
# income statement with the city's and the group's columns side by side (as Kauhava's and
# Seinäjoki's statements do)
STATEMENT = """# Testilän kaupungin tilinpäätös 2024

## 3.4.2 Konsernirahoituslaskelma

\t2024\t2023
Lyhytaikaisten lainojen muutos\t-8 263 850\t-1 204 000
Pitkäaikaisten lainojen lisäys\t12 000 000\t9 000 000

## 3.2 Rahoituslaskelma

\t2024\t2023
Lyhytaikaisten lainojen muutos\t-4 567 000\t-2 310 000
Pitkäaikaisten lainojen lisäys\t8 000 000\t6 000 000

## 3.1 Tuloslaskelma

\tKonserni 2024\tKaupunki 2024
Toimintakulut\t-352 000 000\t-301 000 000
Verotulot\t190 000 000\t190 000 000
"""


def make_statement_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "testila_tp_2024.txt").write_text(STATEMENT, encoding="utf-8")
    manifest = {"testila_tp_2024.txt": {"municipality": "Testilä", "doc_type": "tilinpäätös",
                                        "period": "2024-01-01/2024-12-31"}}
    (folder / "manifest.json").write_text(json.dumps({"documents": manifest}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Searcher.open(built_settings("kuntahaku-lookalikes-", make_statement_corpus)))


@pytest.fixture(scope="module")
def reader(search_settings: Settings) -> Searcher:
    return Searcher.open(search_settings)


def info(searcher: Searcher, question: str):  # noqa: ANN201
    return searcher.prepare(question)[0]


@pytest.mark.parametrize(("question", "number"), [
    # the city's loans, though the group's table is printed first and says the same label
    ("Paljonko Testilän lyhytaikaiset lainat muuttuivat vuonna 2024?", -4567000.0),
    ("Paljonko Testilän konsernin lyhytaikaiset lainat muuttuivat vuonna 2024?", -8263850.0),
    # the city's column beside the group's
    ("Paljonko olivat Testilän toimintakulut vuonna 2024?", -301000000.0),
    ("Paljonko olivat Testilän konsernin toimintakulut vuonna 2024?", -352000000.0),
])
def test_the_group_answers_only_where_the_question_names_it(answerer: Answerer, question: str,
                                                            number: float) -> None:
    out = answerer.ask(question)
    assert out["answer_type"] == "table_cell", out
    assert out["value"]["number"] == number, out["answer"]


def test_a_cell_of_the_groups_table_is_marked_unless_the_group_is_asked(answerer: Answerer) -> None:
    s = answerer.searcher
    for question, marked in (("Paljonko Testilän lyhytaikaiset lainat muuttuivat vuonna 2024?", True),
                             ("Paljonko Testilän konsernin lyhytaikaiset lainat muuttuivat?", False)):
        q = info(s, question)
        hits = s.collapse(s.rank(q, s.prepare(question)[2]), 10)
        cells = [c for c in answerer.chooser.candidates(q, hits) if c.kind == "cell"]
        group = {c.features["group_unasked"] for c in cells
                 if "Konserni" in (s.table(s.passages[c.n]["table_id"])["title"] or "")}
        city = {c.features["group_unasked"] for c in cells
                if (s.table(s.passages[c.n]["table_id"])["title"] or "") == "3.2 Rahoituslaskelma"}
        assert group == {float(marked)} and city == {0.0}


def test_the_group_is_asked_by_its_companies_and_its_parts(reader: Searcher) -> None:
    city = info(reader, "Paljonko Kauhavan lyhytaikaiset lainat muuttuivat vuonna 2024?")
    company = info(reader, "Montako vakinaista työntekijää Kauhavan Vesi Oy:llä oli 2022?")
    assert entity_fit("3.4.2 Konsernirahoituslaskelma Lainakannan muutokset", city)[0] == 1.0
    assert entity_fit("23) Saamisten erittely Saamiset tytäryhteisöiltä", city)[0] == 1.0
    assert entity_fit("Kuntakonsernin henkilöstö", company)[0] == 0.0
    # a company's "Oy" is no name of its own ("ab" is inside every other text)
    assert entity_names("Kauhavan Vesi Oy:n ja Ab:n") == ()
    # an age group is no group of companies
    assert not info(reader, "What share of the age group went to upper secondary school?").cues.group
    assert info(reader, "What were the group's loans in 2024?").cues.group
    # a unit inside the city that a section names holds what the question asks
    assert entity_fit("Asuinympäristö tulosalue RAKENNUSVALVONTA", city)[0] == 0.0


def test_an_organisation_the_question_names_and_the_text_does_not(reader: Searcher) -> None:
    q = info(reader, "Montako prosenttia Lapuan hyvinvointilautakunnan toimintakatteesta oli "
                     "toteutunut kesäkuussa 2025?")
    assert entity_fit("Teknisen lautakunnan toimintakate on alittunut 0,9 %-yksikköä.", q)[1] == 1.0
    assert entity_fit("Toimintakate on toteutunut 23,4 %:sti. Hyvinvointilautakunta", q)[1] == 0.0
    kh = info(reader, "Paljonko Lapuan kaupunginhallituksen toimintakulut olivat 2023?")
    assert entity_fit("Toimintakulut Ympäristölautakunta: pöytäkirja 6.2.2024", kh)[1] == 1.0
    assert entity_fit("Toimintakulut Kaupunginhallitus: pöytäkirja 24.2.2025", kh)[1] == 0.0


def test_a_columns_own_words_beside_its_role(reader: Searcher) -> None:
    analyzer = reader.analyzer
    q = info(reader, "Paljonko Lapuan kotikuntakorvausmenot ovat vuodessa?")
    assert header_words(analyzer, "euroa / vuosi", q) == (1.0, 1.0)
    assert header_words(analyzer, "euroa / kuukausi", q) == (0.0, 2.0)
    # the role words (budget, actual, difference) and years are column_score's, not these
    assert header_words(analyzer, "TA 2024 +muutos", q) == (0.0, 0.0)
    assert header_words(analyzer, "Toteutuma €", q) == (0.0, 0.0)
    permanent = info(reader, "Montako vakinaista työntekijää Seinäjoella oli 2024?")
    assert header_words(analyzer, "Vakinaiset Yhteensä", permanent)[0] == 1.0


def test_a_sentence_naming_only_the_year_or_date_states_no_figure() -> None:
    assert not states_figure(undated("Käydään läpi tarkastuslautakunnan talousarvio vuodelle 2026."))
    assert not states_figure(undated("Toteutumaraportti 1.1.-30.9.2024 § 311 käsiteltiin 4.11.2024."))
    assert states_figure(undated("Tarkastuslautakunnan talousarvio vuodelle 2026 on 41 000 euroa."))
    assert states_figure(undated("Määräaikaan mennessä jätettiin 2 tarjousta, 12 % enemmän kuin 2024."))
