"""Declining a topic the reports do not cover (issue #16): a compound of the question that no
passage of the places searched holds, neither as the word nor as its parts in one passage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.answer import Answerer
from api.search import Searcher
from indexer.settings import Settings


@pytest.fixture(scope="module")
def answerer(backend_search_settings: Settings) -> Iterator[Answerer]:
    searcher = Searcher.open(backend_search_settings)
    yield Answerer(searcher)
    searcher.close()


def absent(answerer: Answerer, question: str) -> str | None:
    info, _filters, keep = answerer.searcher.prepare(question)
    return answerer.topics.absent(info, keep)


def test_a_compound_no_passage_holds_is_declined(answerer: Answerer) -> None:
    out = answerer.ask("Paljonko Kemi myönsi rahaa frisbeegolfradan rakentamiseen?")
    assert not out["found"] and out["answer"] is None and out["citations"] == []
    assert out["reason_code"] == "unknown_topic"
    assert "'frisbeegolfradan'" in out["reason"] and "Kemi's reports" in out["reason"]


def test_a_hyphenated_compound_is_one_topic(answerer: Answerer) -> None:
    # "halli" ends Lapua's "uimahalli", but no passage speaks of padel
    out = answerer.ask("Mitä Lapua päätti padel-hallin rakentamisesta?")
    assert out["reason_code"] == "unknown_topic" and "'padel-hallin'" in out["reason"]


def test_parts_met_in_one_passage_are_the_topic(answerer: Answerer) -> None:
    # no report writes "työttömyysprosentti"; "Kemin työttömyysaste oli 11,2 prosenttia" holds
    # both its parts (työttömyys as the start of työttömyysaste)
    question = "Mikä oli Kemin työttömyysprosentti vuonna 2022?"
    assert absent(answerer, question) is None
    assert answerer.ask(question).get("reason_code") != "unknown_topic"


def test_the_topic_is_looked_for_in_the_places_asked(answerer: Answerer) -> None:
    # Mikkeli's reports speak of the Kumppanuustalo model, Kemi's do not
    assert absent(answerer, "Mitä Mikkelin kumppanuustalo-toimintamallissa kehitetään?") is None
    out = answerer.ask("Mitä Kemin kumppanuustalo-toimintamallissa kehitetään?")
    assert out["reason_code"] == "unknown_topic" and "Kemi's reports" in out["reason"]
    # the same question filtered to the place
    mikkeli = answerer.ask("Mitä kumppanuustalo-toimintamallissa kehitetään?", municipality="Kemi")
    assert mikkeli["reason_code"] == "unknown_topic"


def test_a_simple_word_no_passage_holds_is_not_tested(answerer: Answerer) -> None:
    # a simple word may be read otherwise in the reports than in the question: no topic decline
    assert absent(answerer, "Milloin Ristiinan koulukeskuksen peruskorjaus valmistui loppiaisena?") is None


def test_a_unit_of_measure_written_out_is_no_topic(answerer: Answerer) -> None:
    # the reports write "97 km", "MWh": the unit asked in words is the question's measure
    for question in ("Kuinka monta kilometriä yksityisteitä Kemissä oli vuonna 2022?",
                     "Paljonko kaukolämpöä Kemissä myytiin megawattitunteina vuonna 2022?",
                     "Montako neliömetriä Mikkeli vuokrasi?"):
        assert absent(answerer, question) is None, question
    # …but a compound of a unit and a word of the topic is one ("kilometrikorvaus")
    assert absent(answerer, "Paljonko Kemi maksoi kilometrikorvauksia vuonna 2022?") == "kilometrikorvauksia"


def test_english_and_swedish_words_are_not_tested(answerer: Answerer) -> None:
    out = answerer.ask("How much did Kemi grant for building a frisbee golf course?")
    assert out.get("reason_code") != "unknown_topic"


def test_each_place_of_a_question_across_places_is_asked_of_its_own_reports(
        answerer: Answerer) -> None:
    out = answerer.ask("Vertaa Kemin ja Mikkelin kumppanuustalo-toimintamalleja")
    assert out["answer_type"] == "list"
    items = {i["municipality"]: i for i in out["items"]}
    assert items["Mikkeli"]["found"] and not items["Kemi"]["found"]
    assert items["Kemi"]["reason_code"] == "unknown_topic"


def test_one_term_set_over_the_corpus_is_its_document_frequency(
        answerer: Answerer, monkeypatch: pytest.MonkeyPatch) -> None:
    # the index's terms were read once, when it opened (`ServedIndex.sorted_terms`); a reading
    # of one term set ("koulukuljetus", the compound's lemma) over every passage needs no BM25
    from api.topic import Topics

    def not_needed(*_args: object) -> None:
        raise AssertionError("not needed")

    storage = answerer.searcher.storage
    monkeypatch.setattr(storage, "words", not_needed)
    monkeypatch.setattr(storage, "lexical_scores", not_needed)
    info, _filters, keep = answerer.searcher.prepare("Miten koulukuljetusten kilpailutus eteni?")
    assert keep is None and Topics(answerer.searcher).absent(info, keep) is None


def test_an_english_or_swedish_questions_finnish_compound_is_its_topic(answerer: Answerer) -> None:
    # the Finnish word an English question keeps as written is checked as a Finnish one's is
    out = answerer.ask("How much did Kemi grant for building a frisbeegolf course?")
    assert out["language"] == "en" and out["reason_code"] == "unknown_topic", out
    assert "'frisbeegolf'" in out["reason"] and "Kemi's reports" in out["reason"]
    out = answerer.ask("Vad utvecklar Kemi i kumppanuustalo-modellen?")
    assert out["language"] == "sv" and out["reason_code"] == "unknown_topic", out
    # …and where the reports searched hold it, it is no unknown topic
    assert absent(answerer, "What does Mikkeli develop in its kumppanuustalo model?") is None
