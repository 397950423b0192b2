"""English and Swedish questions get the Finnish words the reports use."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.analyze import get_analyzer
from indexer.glossary import COLUMNS, GLOSSARY, WORD, Glossary


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary(get_analyzer("auto"))


@pytest.mark.parametrize(("question", "lang", "finnish"), [
    ("What were Kemi's state subsidies in 2022?", "en", "valtionosuus"),
    ("How much did Kauhava invest in 2024?", "en", "investointi"),
    ("Who provides the bookkeeping and payment services?", "en", "maksuliikenne"),
    ("Hur mycket investerade Kauhava år 2024?", "sv", "investointi"),
    # Snowball stems "arbetslöshetsgrad" and "arbetslöshetsgraden" differently: prefixes match
    ("Vilken var arbetslöshetsgraden i Kauhava?", "sv", "työttömyysaste"),
    ("När började kommunförsöket för sysselsättning?", "sv", "kuntakokeilu"),
    # the record of a meeting: who chaired it, who checked its minutes
    ("Who chaired the city council meeting of 24 March 2025?", "en", "puheenjohtaja"),
    ("Vem var ordförande för stadsstyrelsen i maj 2025?", "sv", "puheenjohtaja"),
    ("Who were chosen to check the minutes of the meeting?", "en", "tarkastaja"),
    # municipal terms swe-fin lacks: an appropriation granted, a tender's offer; "intäkter" of
    # the income statement are tuotot (verksamhetsintäkter: toimintatuotot)
    ("Hur mycket beviljades för kulturverksamhet?", "sv", "myöntää"),
    ("Vem lämnade anbud på ramavtalet?", "sv", "tarjous"),
    ("Hur stora var intäkterna?", "sv", "tuotto"),
    # the balance sheet's items and the services' words FreeDict reads in another sense
    # ("accumulated": kasaantua; "doctor": tohtori; "processing": prosessointi; "recovery":
    # talteenotto) or lacks (likvida medel, öppettimmar, ansiktsmask)
    ("What was the accumulated surplus per resident?", "en", "kertynyt"),
    ("Hur stora var de likvida medlen?", "sv", "rahavara"),
    ("How many doctor visits were there?", "en", "lääkäri"),
    ("What was the processing time of permits?", "en", "käsittelyaika"),
    ("How much of the corona recovery package went to schools?", "en", "toipua"),
    ("Hur många öppettimmar hade biblioteket?", "sv", "aukioloaika"),
    ("Rekommenderades ansiktsmask i lokalerna?", "sv", "kasvomaski"),
    ("Hur stor var nettoinvandringen?", "sv", "nettomaahanmuutto"),
])
def test_phrases_give_finnish_terms(glossary: Glossary, question: str, lang: str,
                                    finnish: str) -> None:
    terms = glossary.finnish_terms(get_analyzer("auto").terms(question, lang), lang, WORD.findall(question))
    assert finnish in terms


def test_only_whole_phrases_and_only_other_languages(glossary: Glossary) -> None:
    analyzer = get_analyzer("auto")
    # "state" alone is not "state subsidies"
    assert "valtionosuus" not in glossary.finnish_terms(analyzer.terms("the state of the roads", "en"), "en",
                                                        WORD.findall("the state of the roads"))
    assert glossary.finnish_terms(analyzer.terms("Kemin valtionosuudet", "fi"), "fi",
                                  ["Kemin", "valtionosuudet"]) == []


def test_a_malformed_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "glossary.tsv"
    bad.write_text("# comment\nvaltionosuus\tstate subsidies\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"glossary.tsv:2: expected 3 tab-separated columns"):
        Glossary(get_analyzer("auto"), bad)


def test_every_phrase_finds_its_own_entry(glossary: Glossary) -> None:
    # the lookup goes through a phrase-word index: each entry must still be reachable by its own
    # phrases, written as a question would carry them (inflected words reach their stems)
    analyzer = get_analyzer("auto")
    lines = [line.split("\t") for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    for entry, cols in zip(glossary.entries, lines, strict=True):
        for lang, i in COLUMNS.items():
            for phrase in cols[i].split("|"):
                if analyzer.terms(phrase, lang):
                    question = f"what about {phrase}?"
                    found = glossary.finnish_terms(analyzer.terms(question, lang), lang,
                                                   WORD.findall(question))
                    assert set(entry.finnish) <= set(found), (phrase, lang)


@pytest.mark.parametrize(("question", "lang", "finnish", "not_finnish"), [
    # "net" and "state" are words of the question, not stop words: "net operating costs" is
    # toimintakate and "operating costs" toimintakulu, "state aid" valtionosuus and "aid" tuki
    ("What were the operating expenses of Heinola's audit function?", "en", "toimintakulu",
     "toimintakate"),
    ("What were the net operating costs of Kemi?", "en", "toimintakate", None),
    ("How much state aid did Kauhava receive?", "en", "valtionosuus", None),
    ("What was the net investment of Kauhava?", "en", "nettoinvestointi", None),
])
def test_content_words_are_no_stop_words(glossary: Glossary, question: str, lang: str,
                                         finnish: str, not_finnish: str | None) -> None:
    terms = glossary.finnish_terms(get_analyzer("auto").terms(question, lang), lang, WORD.findall(question))
    assert finnish in terms
    assert not_finnish not in terms


@pytest.mark.parametrize(("question", "lang", "finnish", "not_finnish"), [
    # the longest phrase is the one meant: "support" of "support services" is no tuki (nor its
    # lemmas tukea, tukkia), "expenses" of "operating expenses" no menot, "board" of "city
    # board" no lautakunta
    ("What were the operating expenses of the support services?", "en", "tukipalvelu", "tukkia"),
    ("What were the operating expenses of Kemi?", "en", "toimintakulu", "meno"),
    ("What did the city board decide?", "en", "kaupunginhallitus", "lautakunta"),
    ("Hur stora var verksamhetskostnaderna för stödtjänsterna?", "sv", "tukipalvelu", "tukkia"),
])
def test_a_phrase_inside_a_longer_one_gives_nothing_apart(glossary: Glossary, question: str, lang: str,
                                                          finnish: str, not_finnish: str) -> None:
    terms = glossary.finnish_terms(get_analyzer("auto").terms(question, lang), lang, WORD.findall(question))
    assert finnish in terms
    assert not_finnish not in terms


def test_a_shorter_phrase_alone_still_counts(glossary: Glossary) -> None:
    # with no longer phrase around it, "board" is lautakunta and "expenses" menot
    question = "What did the board decide about the expenses?"
    terms = glossary.finnish_terms(get_analyzer("auto").terms(question, "en"), "en", WORD.findall(question))
    assert {"lautakunta", "meno"} <= set(terms)


def test_a_shorter_phrase_is_inside_a_longer_one_only_where_that_is_written(glossary: Glossary) -> None:
    # "costs" stands apart from "operating income": menot and kustannus, beside toimintatuotto
    question = "What were the operating income and the costs of Kemi in 2022?"
    terms = glossary.finnish_terms(get_analyzer("auto").terms(question, "en"), "en", WORD.findall(question))
    assert {"toimintatuotto", "meno", "kustannus"} <= set(terms)

def test_function_words_are_stop_words() -> None:
    analyzer = get_analyzer("auto")
    assert analyzer.terms("the group of the city", "en") == ["group", "citi"]
    assert analyzer.terms("hur mycket var det i kommunen", "sv") == ["kommun"]


@pytest.mark.parametrize(("question", "lang", "finnish"), [
    ("When did the council approve the 2024 budget?", "en", "alittua"),  # not "below budget"
    ("How many followers did the city have?", "en", "lomautettu"),  # not "laid off"
    ("What was the result of the vote?", "en", "tulos"),  # not "result for the year"
])
def test_a_phrase_s_function_words_are_asked_too(glossary: Glossary, question: str, lang: str,
                                                 finnish: str) -> None:
    analyzer = get_analyzer("auto")
    words = WORD.findall(question)
    assert finnish not in glossary.finnish_terms(analyzer.terms(question, lang), lang, words)


def test_a_phrase_with_function_words_matches_where_the_question_holds_them(
        glossary: Glossary) -> None:
    analyzer = get_analyzer("auto")
    question = "How far below budget were the costs?"
    words = WORD.findall(question)
    assert "alittua" in glossary.finnish_terms(analyzer.terms(question, "en"), "en", words)
    bare = "How far was the budget exceeded?"  # "budget" without "below"
    assert "alittua" not in glossary.finnish_terms(analyzer.terms(bare, "en"), "en", WORD.findall(bare))


def test_a_phrase_s_connectives_need_not_be_the_question_s(glossary: Glossary) -> None:
    analyzer = get_analyzer("auto")
    question = "What was the result of the financial period in Kemi?"  # the phrase: "result for …"
    assert "tulos" in glossary.finnish_terms(analyzer.terms(question, "en"), "en", WORD.findall(question))


def test_an_english_word_beginning_with_a_phrase_s_word_is_another_word(glossary: Glossary) -> None:
    analyzer = get_analyzer("auto")
    question = "Which contractor built the residential block?"
    terms, covered = glossary.matches(analyzer.terms(question, "en"), "en", WORD.findall(question))
    # "contractor" is no "contract" (sopimus), "residential" no "resident" (asukas): they are
    # left to the dictionary
    assert "sopimus" not in terms and "asukas" not in terms
    assert not {"contractor", "residenti"} & covered
    # a Swedish compound still begins with its phrase's word
    assert "työttömyysaste" in glossary.finnish_terms(
        analyzer.terms("arbetslöshetsgraden", "sv"), "sv", ["arbetslöshetsgraden"])


def test_one_word_phrases_are_found_by_their_stem_alone(glossary: Glossary) -> None:
    # what a Swedish compound's last part is ("ränte|intäkter"): a phrase of that one word
    analyzer = get_analyzer("auto")
    (intakt,) = analyzer.terms("intäkter", "sv")
    assert any("tuotto" in e.finnish for e in glossary.one_word(intakt, "sv"))
    # a word of a longer phrase alone is none ("resultat" of "räkenskapsperiodens resultat")
    (resultat,) = analyzer.terms("resultat", "sv")
    assert not any("tilikauden tulos" in e.written for e in glossary.one_word(resultat, "sv"))
    assert glossary.one_word(intakt, "fi") == []
