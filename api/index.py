"""A finished build, opened for serving: `ServedIndex` holds everything ranking and answering
read — its storage (`api/storage.py`: the build folder's bm25s, FAISS and SQLite, or PostgreSQL),
the passages and documents, and per-passage arrays (municipality, year, body, date span, kind, period end,
follow-up heading) built once at load. `api/search.py` ranks over it; `indexer/search_index.py` wrote it.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Self

import bm25s
import numpy as np

from api import collapse, facets
from api.query import FOLLOW_UP, YEAR, QueryInfo, QueryReader, single_days
from api.storage import EmbeddedStorage, Storage, open_storage
from indexer.analyze import Analyzer, get_analyzer
from indexer.embed import Embedder, get_embedder
from indexer.errors import IndexError_
from indexer.freedict import FILES, FreeDict
from indexer.glossary import Glossary
from indexer.language import warm_up
from indexer.metadata import date_span, day_numbers, period_end_month
from indexer.settings import Settings

# an attendance list's opening words: the members ("Saapuvilla olleet jäsenet Harri Seppälä,
# puheenjohtaja …", "Läsnä …") and the others present, where the secretary and the presenters
# stand ("Muut saapuvilla olleet … Tuula Vuori, Hallintosihteeri, sihteeri")
ATTENDANCE_OPENER = re.compile(r"(?:Muut )?[Ss]aapuvilla olleet(?: jäsenet)?|Läsnä(?:olijat| olleet)?")
# …opening a line of minutes: the list itself, not prose naming it ("Kokouksessa oli läsnä …")
ATTENDANCE = re.compile(rf"(?m)^(?:{ATTENDANCE_OPENER.pattern})\b")


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
    body: str = ""  # toimielin of minutes and decision records; "" for reports
    meeting_date: str = ""  # ISO date of the meeting or decision; "" for reports

    def date_span(self) -> tuple[str, str] | None:
        """The days the document is about (`metadata.date_span`): its meeting day, else its
        reporting period; None when it states neither."""
        return date_span(self.meeting_date, self.period_iso)

    # pages whose text OCR read (no text layer): (number, start, end) in the document's text
    ocr_pages: tuple[tuple[int, int, int], ...] = ()

    def read_by_ocr(self, start: int, end: int) -> bool:
        """Whether any of the text [start, end) lies on a page OCR read."""
        return any(s < end and start < e for _, s, e in self.ocr_pages)

    def page_read_by_ocr(self, page: int | None) -> bool:
        return any(n == page for n, _, _ in self.ocr_pages)

    def end_month(self) -> int | None:
        """The month the reporting period ends with, for a report covering a period from the
        start of a year ("2022-01-01/2022-06-30" → 6); None for a day (minutes) or no period."""
        m = re.fullmatch(r"(\d{4})-01-01/\d{4}-(\d\d)-\d\d", self.period_iso or "")
        return int(m.group(2)) if m else None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "municipality": self.municipality,
                "period": self.period, "doc_type": self.doc_type, "source_file": self.source_file,
                "year": self.year, "period_iso": self.period_iso, "body": self.body,
                "meeting_date": self.meeting_date}


@dataclass(frozen=True)
class Hit:
    n: int  # passage row number
    score: float
    lexical: float
    dense: float
    also: tuple[int, ...] = ()  # near-duplicate passages collapsed into this one


class ServedIndex:
    """Everything needed to rank passages, loaded once from a finished build (`api/storage.py`:
    a build folder, or a build schema in PostgreSQL)."""

    def __init__(self, storage: Storage, settings: Settings) -> None:
        self.storage = storage
        self.settings = settings
        self.manifest = storage.manifest
        self.analyzer: Analyzer = self._analyzer(storage.build_id, settings, self.manifest)
        self.glossary = Glossary(self.analyzer)
        self.embedder: Embedder = get_embedder(settings.model, settings.query_threads)
        words = storage.words()  # (None: an index built before its word analyses were saved)
        if words is not None:
            self.analyzer.remember(words)
        # the index's terms, sorted, and each reversed, sorted: the terms a word begins or ends
        # (`api/topic.py`), from the saved word analyses, read once here
        terms = sorted({t for ts in (words or {}).values() for t in ts})
        self.sorted_terms: tuple[list[str], list[str]] = (terms, sorted(t[::-1] for t in terms))
        self._load()
        # per instance, so a replaced index (re-index) is not kept alive by a class-level cache
        self._query_vector = lru_cache(maxsize=2048)(self._embed_query)
        self.table = lru_cache(maxsize=4096)(self._read_table)
        # a result's words and their terms, split once: highlighting is then a set test a word
        self._words = lru_cache(maxsize=4096)(self._passage_words)
        warm_up()

    @classmethod
    def in_folder(cls, folder: Path, settings: Settings, manifest: dict[str, Any]) -> Self:
        """The embedded build in `folder` (eval/ opens synthetic and TyDi folders so)."""
        storage = EmbeddedStorage(folder, manifest, settings.memory_check)
        try:
            return cls(storage, settings)
        except BaseException:  # (a model other than the build's): its connections are let go
            storage.close()
            raise

    # the embedded build's own parts, for eval/ and the tests that look at them
    @property
    def con(self) -> sqlite3.Connection:
        """This thread's read-only connection to the embedded index's database."""
        return self._embedded.con

    @property
    def dense_mapped(self) -> bool:
        return self._embedded.dense_mapped

    @property
    def _embedded(self) -> EmbeddedStorage:
        if not isinstance(self.storage, EmbeddedStorage):
            raise IndexError_(f"{self.storage.build_id} is not an index folder")
        return self.storage

    @staticmethod
    def _analyzer(build_id: str, settings: Settings, manifest: dict[str, Any]) -> Analyzer:
        """The analyzer the index was built with, after checking the model is the configured one."""
        model = manifest.get("model", {}).get("id")
        if model != settings.model:
            raise IndexError_(
                f"the index at {build_id} was built with embedding model '{model}', but this "
                f"server is set to '{settings.model}'; run 'kuntahaku index' to rebuild it, or set "
                f"KUNTAHAKU_MODEL={model}"
            )
        built_with = manifest.get("analyzer", settings.analyzer)
        try:
            analyzer = get_analyzer(built_with)
        except (OSError, ImportError) as exc:
            raise IndexError_(
                f"the index at {build_id} was analysed with '{built_with}', which cannot be loaded "
                f"here ({exc}); install it (make install) or rebuild with KUNTAHAKU_ANALYZER=snowball"
            ) from exc
        if settings.analyzer not in ("auto", analyzer.name):
            raise IndexError_(
                f"the index at {build_id} was analysed with '{analyzer.name}', but this server "
                f"is set to '{settings.analyzer}'; run 'kuntahaku index' to rebuild it"
            )
        return analyzer

    def use_lexical(self, lexical: bm25s.BM25) -> None:
        """Search with this BM25 index over the same passages (eval/ sweeps its parameters)."""
        self._embedded.use_lexical(lexical)

    def close(self) -> None:
        self.storage.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @classmethod
    def open(cls, settings: Settings) -> Self:
        storage = open_storage(settings.index, settings.database_url, settings.memory_check)
        try:
            return cls(storage, settings)
        except BaseException:  # (a model other than the build's): the build is let go
            storage.close()
            raise

    def _load(self) -> None:
        self.docs: dict[str, DocInfo] = {}
        for r in self.storage.documents():
            ocr = tuple((p["number"], p["start"], p["end"]) for p in json.loads(r["pages_json"])
                        if p.get("ocr"))  # absent in an index built before OCR
            self.docs[r["id"]] = DocInfo(r["id"], r["title"], r["municipality"], r["period_label"],
                                         r["period"], r["year"], r["doc_type"], r["source_file"],
                                         r["body"] or "", r["meeting_date"] or "", ocr)
        rows = self.storage.passages()
        self.passages = rows
        # the §s of minutes and decisions (id → number, title, case id, outcome, parts)
        self.items: dict[str, dict[str, Any]] = {
            r["id"]: {**dict(r), "parts": json.loads(r["parts_json"])}
            for r in self.storage.items()}
        self.item_passages: dict[str, list[int]] = {}  # § → its passages, in text order
        for r in rows:
            if r["item_id"]:
                self.item_passages.setdefault(r["item_id"], []).append(r["n"])
        # routine every minutes repeats, and appeal instructions: searchable, an answer only to
        # a question about them
        self._boilerplate = np.array(
            [bool(r["item_id"] and self.items[r["item_id"]]["boilerplate"])
             or r["part"] == "muutoksenhaku" for r in rows], dtype=bool)
        doc_of = [r["doc_id"] for r in rows]
        self.n = len(rows)
        self._municipality = np.array([self.docs[d].municipality for d in doc_of], dtype=object)
        self._year = np.array([self.docs[d].year for d in doc_of], dtype=np.int32)
        self._doc_type = np.array([self.docs[d].doc_type for d in doc_of], dtype=object)
        self._body = np.array([self.docs[d].body for d in doc_of], dtype=object)
        # as text, once ("" where none): a question naming a meeting compares them
        self._body_text = self._body.astype(str)
        self._meeting_date = np.array([self.docs[d].meeting_date or "" for d in doc_of], dtype=str)
        # the number of the § a passage of minutes is part of (0: none)
        self._item_number = np.array(
            [int(self.items[r["item_id"]]["number"]) if r["item_id"] and str(
                self.items[r["item_id"]]["number"]).isdigit() else 0 for r in rows], dtype=np.int32)
        # the days each passage's document is about, as day numbers (0: none) for the date filters
        span = {d: day_numbers(doc.date_span()) for d, doc in self.docs.items()}
        self._date_first = np.array([span[d][0] for d in doc_of], dtype=np.int32)
        self._date_last = np.array([span[d][1] for d in doc_of], dtype=np.int32)
        self._facet_codes = facets.codes(self._municipality, self._year, self._doc_type, self._body)
        # year (as written) → which passages' texts name it; ISO day → which passages' texts name
        # it on its own, in numbers or with the month's name ("8.4.2024", "24. maaliskuuta 2025":
        # only a text naming a year can; a range's days, "1.1.-31.7.2025", are a period's)
        self._year_mentions: dict[str, np.ndarray] = {}
        days: dict[str, list[int]] = {}
        for n, r in enumerate(rows):
            years = set(YEAR.findall(r["text"]))
            for y in years:
                self._year_mentions.setdefault(y, np.zeros(self.n, dtype=bool))[n] = True
            for day in set(single_days(r["text"])) if years else ():
                days.setdefault(day, []).append(n)
        self._day_mentions = {d: np.asarray(ns, dtype=np.int64) for d, ns in days.items()}
        # a minutes' attendance list: who was present, in what role (chair, secretary, presenter)
        self._attendance = np.array([bool(ATTENDANCE.search(r["text"])) for r in rows], dtype=bool)
        self._kind = np.array([r["kind"] for r in rows], dtype=object)
        self._twin_group = collapse.twin_groups(rows, [self.docs[d].municipality for d in doc_of])
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
        self.bodies = sorted({d.body for d in self.docs.values() if d.body})
        self.query_reader = QueryReader(
            self.analyzer, self.glossary, self.municipalities, self.doc_types,
            {lang: FreeDict.installed(lang) for lang in FILES},
            bodies=self.bodies, vocabulary=self.storage.known_terms, doc_freq=self.storage.doc_freq)
        self.municipality_terms = self.query_reader.municipality_terms

    def document_texts(self) -> dict[str, str]:
        return self.storage.document_texts()

    def search_texts(self) -> list[str]:
        return self.storage.search_texts()

    def text_span(self, doc_id: str, start: int, end: int) -> str:
        """Characters [start, end) of a document's text, read from the index."""
        return self.storage.text_span(doc_id, start, end)

    def _read_table(self, table_id: str) -> dict[str, Any]:
        """A table as stored (title, columns, rows with cells); `self.table` caches it."""
        found = self.storage.table_json(table_id)
        if found is None:
            raise KeyError(table_id)
        return json.loads(found[1])

    def _passage_words(self, n: int) -> list[tuple[int, int, tuple[str, ...]]]:
        return self.analyzer.words(self.passages[n]["text"])

    def forget_queries(self) -> None:
        """Empty the query-vector cache (benchmarks time the embedding of every query)."""
        self._query_vector.cache_clear()

    def _embed_query(self, text: str) -> np.ndarray:
        return self.embedder.embed([text], "query")

    def period_end(self, n: int) -> int | None:
        """The month the period of passage n ends with: its heading's, else its report's."""
        return int(self._end_month[n]) or None  # (0 in the array: none)

    def weight_share(self, terms: frozenset[str] | set[str], have: set[str],
                     senses: tuple[frozenset[str], ...] = ()) -> float:
        """Share of the idf weight of `terms` (rare words weigh most) that `have` holds; 1 for
        no terms (fsum: exactly rounded in any order, as a set's order follows the hash seed).
        `senses`: groups of terms that are one word's alternatives (an English or Swedish word's
        translations): a group weighs as one word, at its rarest sense `have` holds, else at its
        senses' mean — "division" met by "osasto" alone, not missing "jakolasku" and "kaari"."""
        groups = [g & terms for g in senses]
        groups = [g for g in groups if g]
        alone = terms - frozenset().union(*groups)
        weights = [(self.idf(t), t in have) for t in alone]
        for g in groups:
            met = [self.idf(t) for t in g & have]
            weights.append((max(met), True) if met else (math.fsum(map(self.idf, g)) / len(g), False))
        total = math.fsum(w for w, _ in weights)
        return math.fsum(w for w, held in weights if held) / total if total else 1.0

    def content_share(self, info: QueryInfo, have: set[str]) -> float:
        """The share of a question's content terms (`QueryInfo.content_terms`, a translated
        word's senses as one) that `have` holds."""
        return self.weight_share(info.content_terms, have, info.senses)

    def idf(self, term: str) -> float:
        """BM25 (Lucene) idf of an index term; a term no passage has weighs most."""
        df = self.storage.doc_freq(term) or 0
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))
