"""Hybrid retrieval: a lexical (bm25s over Finnish analysis) and a dense (FAISS) index per build.

Writing (`write_search_index`, called by `build.py` into the new build folder):
    lexical/        bm25s index of every passage's analysed search text
    dense.faiss     FAISS index of the passage vectors: exact (IndexFlatIP) below
                    `ann_threshold` passages, HNSW above — the choice is recorded in the manifest
    vectors.npy     the same vectors, for exact re-scoring of lexical candidates
    words.json      every passage word's analysis (word → terms), so that highlighting a result
                    looks its words up instead of running Voikko again in the server

Ranking (`Searcher.search`): the top lexical and top dense candidates are pooled; each score is
normalised (lexical as the share of the query's idf weight matched, dense as the cosine above the
POOL-th nearest passage's in units of DENSE_SCALE) and combined as a convex combination
`w·dense + (1−w)·lexical`. Bruch et al.
(2023, "An Analysis of Fusion Functions for Hybrid Retrieval") show this beats reciprocal-rank
fusion, which throws the score gaps away; on our dev set and TyDi QA fi it does too
(eval/RESULTS.md, where `w` is swept).
What the query states is used: a municipality named in it (any case form: "Kemin") filters to that
municipality's own documents; a year or document type boosts matching documents. Near-duplicates
(the agenda and the minutes of one meeting) are collapsed into one result listing both sources.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np
from rapidfuzz import fuzz

from indexer import store
from indexer.analyze import Analyzer, get_analyzer, marked
from indexer.embed import Embedder, VectorCache, embed_cached, get_embedder
from indexer.errors import IndexError_, KuntahakuError
from indexer.glossary import Glossary
from indexer.language import detect_language, warm_up
from indexer.metadata import MONTHS, PeriodCues, period_cues, period_end_month
from indexer.models import Passage
from indexer.settings import Settings

# BM25 saturation and length normalisation (bm25s defaults 1.5 / 0.75), swept in eval/RESULTS.md
BM25_K1 = 1.2
BM25_B = 0.65
# Bump when passages (chunk.py) or the search index files change: a build then rebuilds them
# even if no report changed (vectors come from the cache unless the embedded text changed).
SEARCH_VERSION = f"3 (bm25 k1={BM25_K1} b={BM25_B})"
LEXICAL_DIR = "lexical"
DENSE_FILE = "dense.faiss"
VECTORS_FILE = "vectors.npy"
WORDS_FILE = "words.json"
POOL = 100  # candidates taken from each of the lexical and the dense list
DUPLICATE_RATIO = 90  # rapidfuzz ratio from which two passages are the same text
DUPLICATE_WINDOW = 20  # hits looked at past 3·k for twins of the kept ones
DUPLICATE_PARTIAL = 95  # … or the shorter one (≥ 60 % of the longer) lies within the longer
TABLE_SUMMARY_PRIOR = 0.8  # a table's label list matches broadly; its rows are the answers
# "why / how" questions are answered by prose; a table row matching their words is rarely it
NARRATIVE_ROW_PRIOR = 0.9
_NARRATIVE = re.compile(r"\b(miksi|miten|millä|mitä|why|how|what|varför|hur|vad)\b", re.I)
# a figure is asked for in words (also read by the answerer)
FIGURE_WORDS = re.compile(
    r"\b(paljonko|paljon|kuinka paljon|kuinka monta|montako|mikä oli|määrä\w*|summa\w*|luku|euroa?|"
    r"how much|how many|hur mycket|hur många|what (?:were|was|is|are) .* (?:in|for) \d{4})\b", re.I)
_REGION = re.compile(r"seutu|seudu|seudul|alue|maakun|region|trakt")  # "Seinäjoen seutukunta"
# month and period words ("kesäkuun lopussa") count at this weight in lexical scores
PERIOD_WEIGHT = 0.25  # swept on the dev set (1, 0.5, 0.25): 11, 11, 10 misses; TyDi unchanged
_PERIOD_WORD = re.compile(r"vuonna|vuoden|vuosi|vuotta|vuodelta|vuodesta|vuodelle|lopussa|loppuun|"
                          r"lopulla|alussa|aikana|year|år|året")
YEAR_BOOST = 0.04
DOC_TYPE_BOOST = 0.04
# "how far along is X": the follow-up text ("Toteutuma 30.6.2022") answers, not the plan before it
# (also read by the answerer, for the follow-up column of a goal table)
STATUS_WORDS = re.compile(r"vaihe|tilanne|tilanteessa|edenn|edisty|toteutu|valmis(?!tel)|status|"
                          r"stand\b|progress|läge|framsteg", re.I)  # not "valmistelu", "standard"
FOLLOW_UP = re.compile(r"toteum|toteutu|tilanne|arvio|seuranta|tila\b", re.I)
FOLLOW_UP_BOOST = 0.04
# "kesäkuun lopussa" ↔ a heading "toteutumaraportti 1.1.-30.6.2025": the report of that period
PERIOD_END_BOOST = 0.04
# A passage's dense evidence is its cosine above the POOL-th nearest passage's, in units of
# DENSE_SCALE (not min–max over the list, which stretches the 0.03 spread of a corpus of look-alike
# reports as far as the 0.13 of Wikipedia articles: eval/RESULTS.md)
DENSE_SCALE = 0.1
HNSW_M = 32
HNSW_EF_SEARCH = 128
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def embed_text(p: Passage) -> str:
    return p.extra.get("embed") or p.search_text


def lexical_index(analyzer: Analyzer, texts: list[str], k1: float = BM25_K1,
                  b: float = BM25_B) -> bm25s.BM25:
    """BM25 over the analysed texts, one document per passage (an empty one keeps its place)."""
    lexical = bm25s.BM25(k1=k1, b=b)
    lexical.index([analyzer.terms(t) or [""] for t in texts], show_progress=False)
    return lexical


def write_search_index(
    folder: Path, passages: list[Passage], settings: Settings,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, Any]:
    """Write the lexical and dense indexes for `passages` into `folder`; return manifest fields."""
    analyzer = get_analyzer(settings.analyzer)
    lexical = lexical_index(analyzer, [p.search_text for p in passages])
    lexical.save(str(folder / LEXICAL_DIR))
    words = analyzer.word_terms(t for p in passages for t in (p.text, p.search_text))
    (folder / WORDS_FILE).write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")

    embedder = get_embedder(settings.model)
    cache = VectorCache(settings.cache, embedder.model_id, embedder.dim)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(passages))

    try:
        vectors, embedded = embed_cached(embedder, cache, [embed_text(p) for p in passages],
                                         "passage", step)
    finally:
        cache.close()
    np.save(folder / VECTORS_FILE, vectors)
    if len(passages) >= settings.ann_threshold:
        index = faiss.IndexHNSWFlat(embedder.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        dense = {"type": "hnsw", "m": HNSW_M, "ef_search": HNSW_EF_SEARCH}
    else:
        index = faiss.IndexFlatIP(embedder.dim)
        dense = {"type": "flat"}
    if len(passages):
        index.add(vectors)
    faiss.write_index(index, str(folder / DENSE_FILE))
    return {
        "search_version": SEARCH_VERSION,
        "model": {"id": embedder.model_id, "dim": embedder.dim},
        "analyzer": analyzer.name,
        "lexical_index": {"method": lexical.method, "k1": lexical.k1, "b": lexical.b},
        "dense_index": {**dense, "vectors": len(passages), "ann_threshold": settings.ann_threshold},
        "embedded": embedded,
    }


@dataclass(frozen=True)
class DocInfo:
    id: str
    title: str
    municipality: str
    period: str
    period_iso: str
    year: int
    doc_type: str
    source_file: str

    def end_month(self) -> int | None:
        """The month the reporting period ends with, for a report covering a period from the
        start of a year ("2022-01-01/2022-06-30" → 6); None for a day (minutes) or no period."""
        m = re.fullmatch(r"(\d{4})-01-01/\d{4}-(\d\d)-\d\d", self.period_iso or "")
        return int(m.group(2)) if m else None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "municipality": self.municipality,
                "period": self.period, "doc_type": self.doc_type, "source_file": self.source_file,
                "year": self.year, "period_iso": self.period_iso}


@dataclass(frozen=True)
class Hit:
    n: int  # passage row number
    score: float
    lexical: float
    dense: float
    also: tuple[int, ...] = ()  # near-duplicate passages collapsed into this one


@dataclass
class QueryInfo:
    """What the query states: its language, terms, the corpus municipalities and years named."""

    text: str
    language: str
    terms: list[str]
    municipalities: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    narrative: bool = False  # asks why/how (prose), not for a figure
    status: bool = False  # asks how far along something is
    # what it says of the period: its end month ("kesäkuun lopussa" → 6), budget, forecast…
    cues: PeriodCues = field(default_factory=lambda: period_cues(""))
    period_terms: frozenset[str] = frozenset()  # terms of month and period words ("vuonna")
    lexical: np.ndarray | None = field(default=None, repr=False)  # BM25 of every passage, unfiltered
    dense_unfiltered: list[int] | None = field(default=None, repr=False)  # nearest POOL, no filter


FACETS = ("municipality", "year", "doc_type")


class Searcher:
    """Everything needed to rank passages, loaded once from a finished build folder."""

    def __init__(self, folder: Path, settings: Settings, manifest: dict[str, Any]) -> None:
        self.folder = folder
        self.settings = settings
        self.manifest = manifest
        model = manifest.get("model", {}).get("id")
        if model != settings.model:
            raise IndexError_(
                f"the index at {folder} was built with embedding model '{model}', but this "
                f"server is set to '{settings.model}'; run 'kuntahaku index' to rebuild it, or set "
                f"KUNTAHAKU_MODEL={model}"
            )
        built_with = manifest.get("analyzer", settings.analyzer)
        try:
            self.analyzer: Analyzer = get_analyzer(built_with)
        except (OSError, ImportError) as exc:
            raise IndexError_(
                f"the index at {folder} was analysed with '{built_with}', which cannot be loaded "
                f"here ({exc}); install it (make install) or rebuild with KUNTAHAKU_ANALYZER=snowball"
            ) from exc
        if settings.analyzer not in ("auto", self.analyzer.name):
            raise IndexError_(
                f"the index at {folder} was analysed with '{self.analyzer.name}', but this server "
                f"is set to '{settings.analyzer}'; run 'kuntahaku index' to rebuild it"
            )
        self.glossary = Glossary(self.analyzer)
        self.embedder: Embedder = get_embedder(settings.model, settings.query_threads)
        self.use_lexical(bm25s.BM25.load(str(folder / LEXICAL_DIR)))
        if (folder / WORDS_FILE).exists():  # absent in an index built before it was written
            self.analyzer.remember(json.loads((folder / WORDS_FILE).read_text(encoding="utf-8")))
        self.dense = faiss.read_index(str(folder / DENSE_FILE))
        if isinstance(self.dense, faiss.IndexHNSW):
            self.dense.hnsw.efSearch = HNSW_EF_SEARCH
        self.vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
        self._cons = store.ThreadConnections(folder)  # read-only, one per thread (store.py says why)
        self._load(self.con)
        # per instance, so a replaced index (re-index) is not kept alive by a class-level cache
        self._query_vector = lru_cache(maxsize=2048)(self._embed_query)
        self.table = lru_cache(maxsize=4096)(self._read_table)
        # the answerer asks for a question's place words once per passage or row it weighs
        self.place_words = lru_cache(maxsize=2048)(self._place_words)  # type: ignore[method-assign]
        # a result's words and their terms, split once: highlighting is then a set test a word
        self._words = lru_cache(maxsize=4096)(self._passage_words)
        warm_up()

    def use_lexical(self, lexical: bm25s.BM25) -> None:
        """Search with this BM25 index over the same passages (eval/ sweeps its parameters)."""
        self.lexical = lexical
        self._df = np.diff(np.asarray(lexical.scores["indptr"]))  # passages per term

    @property
    def con(self) -> sqlite3.Connection:
        """This thread's read-only connection to the index database."""
        return self._cons.get()

    def close(self) -> None:
        self._cons.close()

    @classmethod
    def open(cls, settings: Settings) -> Searcher:
        folder = store.live_folder(settings.index)
        if folder is None:
            raise IndexError_(f"no index at {settings.index}; run 'kuntahaku index' first")
        return cls(folder, settings, store.read_manifest(folder))

    def _load(self, con: sqlite3.Connection) -> None:
        self.docs: dict[str, DocInfo] = {}
        for r in con.execute("SELECT * FROM documents"):
            self.docs[r["id"]] = DocInfo(r["id"], r["title"], r["municipality"], r["period_label"],
                                         r["period"], r["year"], r["doc_type"], r["source_file"])
        rows = con.execute(
            'SELECT n, id, doc_id, kind, text, section, page, start, "end", table_id, row_index '
            "FROM passages ORDER BY n").fetchall()
        self.passages = [dict(r) for r in rows]
        doc_of = [r["doc_id"] for r in rows]
        self.n = len(rows)
        self._municipality = np.array([self.docs[d].municipality for d in doc_of], dtype=object)
        self._year = np.array([self.docs[d].year for d in doc_of], dtype=np.int32)
        self._doc_type = np.array([self.docs[d].doc_type for d in doc_of], dtype=object)
        # each facet's values, and every passage's value as an index into them (counted by
        # np.bincount per query instead of a Python loop over the matches)
        # (a missing value as "", which sorts with the strings and is never listed)
        self._facet_codes = {name: np.unique(column, return_inverse=True) for name, column in
                             (("municipality", np.array([v or "" for v in self._municipality])),
                              ("year", self._year),
                              ("doc_type", np.array([v or "" for v in self._doc_type])))}
        # year (as written) → which passages' texts name it
        self._year_mentions: dict[str, np.ndarray] = {}
        for n, r in enumerate(rows):
            for y in set(_YEAR.findall(r["text"])):
                self._year_mentions.setdefault(y, np.zeros(self.n, dtype=bool))[n] = True
        self._kind = np.array([r["kind"] for r in rows], dtype=object)
        # twins (collapse) share a kind and a municipality: one number per pair, compared first
        groups: dict[tuple[str, str], int] = {}
        self._twin_group = [groups.setdefault((r["kind"], self.docs[d].municipality), len(groups))
                            for r, d in zip(rows, doc_of, strict=True)]
        # under a follow-up heading: the nearest heading of its section path says "Toteutuma…"
        self._follow_up = np.array([bool(FOLLOW_UP.search((r["section"] or "").rsplit("›", 1)[-1]))
                                    for r in rows], dtype=bool)
        # the period its heading states, else the report's own (a minutes' meeting day is none)
        doc_end = {d: doc.end_month() for d, doc in self.docs.items()}
        self._end_month = np.array([period_end_month(r["section"] or "") or doc_end[d] or 0
                                    for r, d in zip(rows, doc_of, strict=True)], dtype=np.int32)
        self.municipalities = sorted({d.municipality for d in self.docs.values() if d.municipality})
        self.years = sorted({d.year for d in self.docs.values()})
        self.doc_types = sorted({d.doc_type for d in self.docs.values() if d.doc_type})
        self.municipality_terms = {m: {m.lower(), *self.analyzer.terms(m)[:1]}
                                   for m in self.municipalities}
        self._doc_type_terms = {t: set(self.analyzer.terms(t)) for t in self.doc_types}

    def document_texts(self) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self.con.execute("SELECT id, text FROM documents")}

    def search_texts(self) -> list[str]:
        return [r["search_text"] for r in self.con.execute("SELECT search_text FROM passages ORDER BY n")]

    def text_span(self, doc_id: str, start: int, end: int) -> str:
        """Characters [start, end) of a document's text, read from the index."""
        row = self.con.execute("SELECT substr(text, ?, ?) AS t FROM documents WHERE id = ?",
                               (start + 1, end - start, doc_id)).fetchone()
        return row["t"] if row else ""

    def _read_table(self, table_id: str) -> dict[str, Any]:
        """A table as stored (title, columns, rows with cells); `self.table` caches it."""
        row = self.con.execute("SELECT table_json FROM tables WHERE id = ?", (table_id,)).fetchone()
        return json.loads(row["table_json"])

    def _passage_words(self, n: int) -> list[tuple[int, int, tuple[str, ...]]]:
        return self.analyzer.words(self.passages[n]["text"])

    def forget_queries(self) -> None:
        """Empty the query-vector cache (benchmarks time the embedding of every query)."""
        self._query_vector.cache_clear()

    def _embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed([text], "query")

    # -- understanding the query ---------------------------------------------------------------

    def understand(self, query: str, language: str | None = None) -> QueryInfo:
        lang = language or self._glossary_language(query) or detect_language(query, self.analyzer)
        terms = self.analyzer.terms(query, lang)
        terms += self.glossary.finnish_terms(terms, lang)  # the reports are Finnish
        words = {w.lower() for w in re.findall(r"[^\W\d_]+", query)}
        # lemmas keep "Kemin" (Kemi) and "Kemijärven" (Kemijärvi) apart
        named = [m for m, t in self.municipality_terms.items()
                 if (t & set(terms) or m.lower() in words) and not self._names_region(query, m)]
        years = sorted({int(y) for y in _YEAR.findall(query)})
        types = [t for t, tt in self._doc_type_terms.items() if tt and tt <= set(terms)]
        narrative = bool(_NARRATIVE.search(query)) and not FIGURE_WORDS.search(query)
        period = {w for w in re.findall(r"[^\W\d_]+", query.lower())
                  if _PERIOD_WORD.fullmatch(w) or any(w.startswith(m) for m in MONTHS)}
        period_terms = frozenset(self.analyzer.terms(" ".join(period))) - {
            t for w in words - period for t in self.analyzer.terms(w)}
        return QueryInfo(query, lang, terms, named, years, types, narrative,
                         bool(STATUS_WORDS.search(query)), period_cues(query),
                         period_terms)

    def _glossary_language(self, query: str) -> str | None:
        """English or Swedish, when the words Finnish morphology does not know are glossary
        phrases of that language ("Statsandelar i Kemi 2022", "State subsidies Kemi"): short
        keyword queries are too short for language detection, and a town name looks Finnish."""
        unknown = [w for w in re.findall(r"[^\W\d_]+", query) if self.analyzer.finnish_share([w]) == 0]
        if not unknown:
            return None
        text = " ".join(unknown)
        hits = {lang: len(self.glossary.finnish_terms(self.analyzer.terms(text, lang), lang))
                for lang in ("en", "sv")}
        best = max(hits, key=lambda lang: hits[lang])
        return best if hits[best] else None

    def _names_region(self, query: str, municipality: str) -> bool:
        """Whether every mention of the municipality names the region around it ("Seinäjoen
        seutukunnassa", "Kemin seudulla"): then the question is not about the town's own reports."""
        tokens = re.findall(r"[^\W\d_]+", query)
        mentions = self._mentions(tokens, municipality)
        return bool(mentions) and all(i + 1 < len(tokens) and _REGION.match(tokens[i + 1].lower())
                                      for i in mentions)

    def _place_words(self, query: str) -> tuple[str, ...]:
        """The words of a query naming a municipality, with the region word after one ("Seinäjoen
        seutukunnassa"): the place, not what is asked about it (nor "seinä" and "joki")."""
        tokens = re.findall(r"[^\W\d_]+", query)
        return tuple(tokens[j] for m in self.municipalities for i in self._mentions(tokens, m)
                     for j in (i, i + 1)
                     if j == i or (j < len(tokens) and _REGION.match(tokens[j].lower())))

    def _mentions(self, tokens: list[str], municipality: str) -> list[int]:
        return [i for i, w in enumerate(tokens)
                if self.municipality_terms[municipality] & {w.lower(), *self.analyzer.terms(w)}]

    # -- ranking -------------------------------------------------------------------------------

    def mask(self, municipality: str | None = None, year: int | None = None,
             doc_type: str | None = None) -> np.ndarray | None:
        keep = np.ones(self.n, dtype=bool)
        if municipality:
            keep &= self._municipality == municipality
        if year:
            keep &= self._year == year
        if doc_type:
            keep &= self._doc_type == doc_type
        return None if keep.all() else keep

    def prepare(
        self, query: str, municipality: str | None = None, year: int | None = None,
        doc_type: str | None = None, language: str | None = None,
    ) -> tuple[QueryInfo, dict[str, Any], np.ndarray | None]:
        """Understand a query and settle its filters: (info, filters applied, passage mask)."""
        info = self.understand(query, language)
        filters = self.filters(info, municipality, year, doc_type)
        if filters["municipality"] is not None:
            # every passage left belongs to it: its name would only reward passages repeating it
            drop = self.municipality_terms.get(filters["municipality"], set())
            info.terms = [t for t in info.terms if t not in drop] or info.terms
        return info, filters, self.mask(**filters)

    def rank(
        self, info: QueryInfo, keep: np.ndarray | None, dense_weight: float | None = None,
        dense_only: bool = False, dense_scale: float = DENSE_SCALE,
    ) -> list[Hit]:
        """All pooled candidates, best first (`dense_only` is the dense peer in eval/)."""
        if self.n == 0:
            return []
        w = self.settings.dense_weight if dense_weight is None else dense_weight
        lex = self._lexical_scores(info)
        if keep is not None:
            lex = np.where(keep, lex, 0.0)
        lex_top = [int(i) for i in np.argsort(-lex)[:POOL] if lex[i] > 0]
        qvec = self._query_vector(info.text)
        dense_ids, dense_scores = self._dense_top(qvec, keep)
        if keep is None:
            info.dense_unfiltered = dense_ids  # the facets count the same neighbours
        pool = list(dict.fromkeys(([] if dense_only else lex_top) + dense_ids))
        if not pool:
            return []
        cos = np.asarray(self.vectors[pool], np.float32) @ qvec[0]
        # lexical as the share of the query's term weight a passage matches (BM25 over the sum of
        # the terms' idf, at most 1): a passage matching only a common word stays low even when
        # it is the best lexical match, where dividing by the best score would lift it to 1
        # (fsum: exactly rounded in any order — a set's order changes with the hash seed, and
        # a last-bit difference would reorder tied passages from one process to the next)
        ideal = math.fsum(self.idf(t) * (PERIOD_WEIGHT if t in info.period_terms else 1.0)
                          for t in set(info.terms))
        floor = float(dense_scores[-1]) if dense_scores else float(cos.min())
        # every candidate at once, in float64 (the same arithmetic as one at a time)
        ids = np.asarray(pool)
        dense = cos.astype(np.float64)
        ln = np.minimum(1.0, lex[ids].astype(np.float64) / ideal) if ideal > 0 else np.zeros(len(ids))
        if dense_only:
            score = dense
        else:
            dn = np.maximum(0.0, (dense - floor) / dense_scale)
            score = w * dn + (1 - w) * ln + self._boosts(ids, info)
            kind = self._kind[ids]
            score *= np.where(kind == "table", TABLE_SUMMARY_PRIOR,
                              np.where(info.narrative & (kind == "table_row"), NARRATIVE_ROW_PRIOR, 1.0))
        hits = [Hit(n, s, lx, c) for n, s, lx, c in
                zip(pool, score.tolist(), ln.tolist(), dense.tolist(), strict=True)]
        hits.sort(key=lambda h: (-h.score, h.n))
        return hits

    def _lexical_scores(self, info: QueryInfo) -> np.ndarray:
        """BM25 of every passage for the query's terms, computed once per query."""
        if info.lexical is None:
            period = [t for t in info.terms if t in info.period_terms]
            rest = [t for t in info.terms if t not in info.period_terms]
            scores = np.zeros(self.n, np.float32)
            if rest:
                scores += np.asarray(self.lexical.get_scores(rest), np.float32)
            if period:  # reports state periods in many ways: "1-6/2025", "puolivuotiskausi"
                scores += PERIOD_WEIGHT * np.asarray(self.lexical.get_scores(period), np.float32)
            info.lexical = scores
        return info.lexical

    def facets(self, info: QueryInfo, filters: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        """How many passages match the query per municipality, year and document type.

        A passage matches when it shares a term with the query or is among the POOL nearest by
        meaning. Each facet is counted under the other facets' filters but not its own, so every
        value stays choosable and its count says what choosing it leaves."""
        match = self._lexical_scores(info) > 0
        dense_ids = info.dense_unfiltered
        if dense_ids is None:
            dense_ids, _ = self._dense_top(self._query_vector(info.text), None)
        match[dense_ids] = True
        out: dict[str, list[dict[str, Any]]] = {}
        for name in FACETS:
            keep = self.mask(**{f: v for f, v in filters.items() if f != name})
            values, codes = self._facet_codes[name]
            counts = np.bincount(codes[match if keep is None else match & keep], minlength=len(values))
            found = [(v.item() if isinstance(v, np.generic) else v, int(c))
                     for v, c in zip(values, counts, strict=True) if c and v]
            out[name] = [{"value": v, "count": c, "selected": v == filters[name]}
                         for v, c in sorted(found, key=lambda vc: (-vc[1], str(vc[0])))]
        return out

    def period_end(self, n: int) -> int | None:
        """The month the period of passage n ends with: its heading's, else its report's."""
        return int(self._end_month[n]) or None  # (0 in the array: none)

    def idf(self, term: str) -> float:
        """BM25 (Lucene) idf of an index term; a term no passage has weighs most."""
        i = self.lexical.vocab_dict.get(term)
        df = 0 if i is None else int(self._df[i])
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def _boosts(self, ids: np.ndarray, info: QueryInfo) -> np.ndarray:
        """What the query states, as a lift (or a drop) for each of the passages `ids`."""
        boost = np.zeros(len(ids))
        if info.years:
            year = np.isin(self._year[ids], info.years)
            for y in info.years:  # a year the passage's text names
                if str(y) in self._year_mentions:
                    year |= self._year_mentions[str(y)][ids]
            boost += np.where(year, YEAR_BOOST, 0.0)
        if info.doc_types:
            asked = set(info.doc_types)  # (an object array with None: no np.isin, which sorts)
            boost += np.where([t in asked for t in self._doc_type[ids]], DOC_TYPE_BOOST, 0.0)
        if info.status:
            boost += np.where(self._follow_up[ids], FOLLOW_UP_BOOST, 0.0)
        if info.cues.end_month:
            # the report of the period asked for is lifted, that of another period lowered
            end = self._end_month[ids]
            boost += np.where(end == 0, 0.0,
                              np.where(end == info.cues.end_month, PERIOD_END_BOOST, -PERIOD_END_BOOST))
        return boost

    def _dense_top(self, qvec: np.ndarray, keep: np.ndarray | None) -> tuple[list[int], list[float]]:
        k = min(POOL, self.n)
        params = None
        if keep is not None:
            ids = np.flatnonzero(keep).astype(np.int64)
            if len(ids) == 0:
                return [], []
            sel = faiss.IDSelectorBatch(ids)
            params = (faiss.SearchParametersHNSW(sel=sel, efSearch=max(HNSW_EF_SEARCH, k))
                      if isinstance(self.dense, faiss.IndexHNSW) else faiss.SearchParameters(sel=sel))
            k = min(k, len(ids))
        scores, ids_out = self.dense.search(qvec, k, params=params)
        pairs = [(int(i), float(s)) for i, s in zip(ids_out[0], scores[0], strict=True) if i >= 0]
        return [i for i, _ in pairs], [s for _, s in pairs]

    def collapse(self, hits: list[Hit], k: int) -> list[Hit]:
        """The first k distinct hits; a near-duplicate of a kept hit (same municipality, another
        document, same kind, nearly the same text) is folded into it."""
        kept: list[Hit] = []
        in_group: dict[int, list[int]] = {}  # twin group → the kept hits (indexes into kept)
        # near-duplicates score nearly alike, so they rank close together: look only a little past
        # the k-th result instead of comparing every candidate (partial_ratio is costly)
        for hit in hits[:3 * k + DUPLICATE_WINDOW]:
            group = in_group.setdefault(self._twin_group[hit.n], [])
            twin = next((i for i in group if self._same(kept[i].n, hit.n)), None)
            if twin is not None:
                kept[twin] = Hit(kept[twin].n, kept[twin].score, kept[twin].lexical,
                                 kept[twin].dense, kept[twin].also + (hit.n,))
                continue
            if len(kept) < k:
                group.append(len(kept))
                kept.append(hit)
        return kept

    def _same(self, a: int, b: int) -> bool:
        if self._twin_group[a] != self._twin_group[b]:
            return False
        p, q = self.passages[a], self.passages[b]
        if p["doc_id"] == q["doc_id"]:
            return False
        a, b = sorted((p["text"], q["text"]), key=len)
        # ratio = 200·matches/(len(a)+len(b)) ≥ 90 needs len(a) ≥ 0.82·len(b); containment below
        # asks for 0.6: a shorter text is no twin, and nothing needs comparing
        if len(a) < 0.6 * len(b):
            return False
        # fast (bit-parallel; 0 below the cutoff); partial_ratio below is not
        ratio = fuzz.ratio(a, b, score_cutoff=70)
        if ratio >= DUPLICATE_RATIO:
            return True
        # the minutes repeat the agenda's text and add the decision: containment counts too.
        # partial_ratio ≥ 95 with len(a) ≥ 0.6·len(b) implies ratio ≥ 190·0.6/1.6 ≈ 71
        return len(a) >= 80 and ratio >= 70 and \
            fuzz.partial_ratio(a, b, score_cutoff=DUPLICATE_PARTIAL) > 0

    # -- the public call -----------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, municipality: str | None = None, year: int | None = None,
        doc_type: str | None = None, language: str | None = None,
    ) -> dict[str, Any]:
        t0 = time.perf_counter()
        info, filters, keep = self.prepare(query, municipality, year, doc_type, language)
        hits = self.collapse(self.rank(info, keep), k)
        results = [self.result_json(rank, hit, info) for rank, hit in enumerate(hits, 1)]
        facets = self.facets(info, filters)
        return {
            "query": query,
            "language": info.language,
            "took_ms": round((time.perf_counter() - t0) * 1000, 1),
            "filters": filters,
            "understood": {"municipalities": info.municipalities, "years": info.years,
                           "doc_types": info.doc_types},
            "results": results,
            "facets": facets,
        }

    def filters(self, info: QueryInfo, municipality: str | None, year: int | None,
                doc_type: str | None) -> dict[str, Any]:
        """Explicit filters win; otherwise one corpus municipality named in the query filters."""
        for value, known, what in ((municipality, self.municipalities, "municipality"),
                                   (doc_type, self.doc_types, "doc_type"),
                                   (year, self.years, "year")):
            if value is not None and value not in known:
                raise UnknownFilter(what, value, known)
        if municipality is None and len(info.municipalities) == 1:
            municipality = info.municipalities[0]
        return {"municipality": municipality, "year": year, "doc_type": doc_type}

    def result_json(self, rank: int, hit: Hit, info: QueryInfo) -> dict[str, Any]:
        p = self.passages[hit.n]
        wanted = set(info.terms)
        return {
            "rank": rank,
            "score": round(hit.score, 4),
            "kind": p["kind"],
            "id": p["id"],
            "document": self.docs[p["doc_id"]].as_json(),
            "page": p["page"],
            "section": p["section"],
            "text": p["text"],
            "highlights": marked(self._words(hit.n), wanted),  # the index's Finnish analysis
            "start": p["start"],
            "end": p["end"],
            "table_id": p["table_id"],
            "row_index": p["row_index"],
            "scores": {"lexical": round(hit.lexical, 4), "dense": round(hit.dense, 4)},
            "also_in": [{"id": self.passages[n]["id"],
                         "document": self.docs[self.passages[n]["doc_id"]].as_json(),
                         "page": self.passages[n]["page"], "section": self.passages[n]["section"],
                         "start": self.passages[n]["start"], "end": self.passages[n]["end"]}
                        for n in hit.also],
        }


class UnknownFilter(KuntahakuError):
    def __init__(self, what: str, value: object, known: list) -> None:
        self.what, self.value = what, value
        super().__init__(f"unknown {what} '{value}'; the index has: "
                         + ", ".join(str(k) for k in known))
