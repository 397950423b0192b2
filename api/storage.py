"""Where a served index's data lives: the `Storage` both backends implement, so that ranking,
facets and answers (`api/search.py` and above) are one code over either.

    EmbeddedStorage    a build folder: SQLite, bm25s, FAISS, vectors.npy (the default)
    PostgresStorage    a build schema in PostgreSQL + pgvector (`indexer/pg_store.py`)

Both score a query's terms with the same precomputed BM25 weights (bm25s's, in PostgreSQL a
table of them), so lexical scores are equal; the dense top is FAISS's or pgvector's (exact below
`ann_threshold` passages on both, HNSW above), filtered in the engine (a bitmap, SQL).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import bm25s
import faiss
import numpy as np

from api import memory
from indexer import pg_store, store
from indexer.errors import IndexError_
from indexer.search_index import DENSE_FILE, HNSW_EF_SEARCH, LEXICAL_DIR, VECTORS_FILE, WORDS_FILE

_MISSING = object()  # no cached document frequency (None is one: no passage holds the term)

# the columns of documents a listing shows (and /api/documents/{id} with text and pages)
META = ("id, title, municipality, period_label, period, year, doc_type, source_file, n_pages, "
        "body, meeting_date")
_PASSAGE = ('n, id, doc_id, kind, text, section, page, start, "end", table_id, row_index, '
            "item_id, part")
_DOC_INFO = ("id, title, municipality, period_label, period, year, doc_type, source_file, body, "
             "meeting_date, pages_json")


@dataclass(frozen=True)
class Selection:
    """The passages a search's filters keep: the filters (for an engine that filters itself)
    and the same as a mask over the passage rows (for the ranking code)."""

    filters: dict[str, Any]
    mask: np.ndarray


class Storage(Protocol):
    build_id: str  # which build is served (a folder, a schema): a re-index compares it
    manifest: dict[str, Any]

    def documents(self) -> list[dict[str, Any]]: ...  # _DOC_INFO columns
    def passages(self) -> list[dict[str, Any]]: ...  # _PASSAGE columns, by n
    def items(self) -> list[dict[str, Any]]: ...
    def words(self) -> dict[str, list[str]] | None: ...
    def doc_freq(self, term: str) -> int | None: ...  # None: not a term of the index
    def known_terms(self, terms: list[str]) -> set[str]: ...  # those that are terms of the index
    # BM25 of every passage for (weight, terms) groups, summed as `weighted_sum` does
    def lexical_scores(self, groups: list[tuple[float, list[str]]]) -> np.ndarray: ...
    def dense_top(self, qvec: np.ndarray, k: int, keep: Selection | None
                  ) -> tuple[list[int], list[float]]: ...
    def vectors(self, ids: list[int]) -> np.ndarray: ...
    def table_json(self, table_id: str) -> tuple[str, str] | None: ...  # (doc_id, JSON)
    def document_tables(self, doc_id: str) -> list[str]: ...
    def document(self, doc_id: str) -> dict[str, Any] | None: ...
    def document_list(self) -> list[dict[str, Any]]: ...
    def text_span(self, doc_id: str, start: int, end: int) -> str: ...
    def document_texts(self) -> dict[str, str]: ...
    def search_texts(self) -> list[str]: ...
    def close(self) -> None: ...


class EmbeddedStorage:
    """A build folder, as `indexer/search_index.py` and `indexer/store.py` wrote it."""

    def __init__(self, folder: Path, manifest: dict[str, Any], memory_check: bool,
                 hold: int | None = None) -> None:
        self.folder = folder
        self.build_id = str(folder)
        self.manifest = manifest
        self._hold = hold  # store.hold's lock on the folder, released by close
        # before anything large is loaded: the dense index memory-mapped when only the rest fits
        # in memory, the index refused when not even that does (api/memory.py)
        flags = memory.dense_flags(folder, manifest, memory_check)
        self.use_lexical(bm25s.BM25.load(str(folder / LEXICAL_DIR)))
        self.dense = faiss.read_index(str(folder / DENSE_FILE), flags)
        self.dense_mapped = flags != 0
        if isinstance(self.dense, faiss.IndexHNSW):
            self.dense.hnsw.efSearch = HNSW_EF_SEARCH
        self.vector_rows = np.load(folder / VECTORS_FILE, mmap_mode="r")
        self._cons = store.folder_connections(folder)  # read-only, one per thread (store.py says why)

    def use_lexical(self, lexical: bm25s.BM25) -> None:
        self.lexical = lexical
        self._df = np.diff(np.asarray(lexical.scores["indptr"]))  # passages per term

    @property
    def con(self) -> sqlite3.Connection:
        """This thread's read-only connection to the index database."""
        return self._cons.get()

    def documents(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute(f"SELECT {_DOC_INFO} FROM documents")]

    def passages(self) -> list[dict[str, Any]]:
        columns = {r["name"] for r in self.con.execute("PRAGMA table_info(passages)")}
        if "item_id" not in columns:
            raise IndexError_(f"the index at {self.folder} was built by an older version "
                              "(no § structure); run 'kuntahaku index' to rebuild it")
        return [dict(r) for r in self.con.execute(f"SELECT {_PASSAGE} FROM passages ORDER BY n")]

    def items(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute("SELECT * FROM items")]

    def words(self) -> dict[str, list[str]] | None:
        path = self.folder / WORDS_FILE  # absent in an index built before it was written
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def doc_freq(self, term: str) -> int | None:
        i = self.lexical.vocab_dict.get(term)
        return None if i is None else int(self._df[i])

    def known_terms(self, terms: list[str]) -> set[str]:
        return {t for t in terms if t in self.lexical.vocab_dict}

    def lexical_scores(self, groups: list[tuple[float, list[str]]]) -> np.ndarray:
        return weighted_sum(int(self.lexical.scores["num_docs"]), groups, self.lexical.get_scores)

    def dense_top(self, qvec: np.ndarray, k: int, keep: Selection | None
                  ) -> tuple[list[int], list[float]]:
        params = None
        if keep is not None:
            # a bitmap, not IDSelectorBatch (a hash set of every kept id: ~170 ms a query at 1 M
            # passages, eval/bench_scale.py); faiss reads the bits while `bits` is alive here
            bits = np.packbits(keep.mask, bitorder="little")
            sel = faiss.IDSelectorBitmap(len(keep.mask), faiss.swig_ptr(bits))
            params = (faiss.SearchParametersHNSW(sel=sel, efSearch=max(HNSW_EF_SEARCH, k))
                      if isinstance(self.dense, faiss.IndexHNSW) else faiss.SearchParameters(sel=sel))
        scores, ids_out = self.dense.search(qvec, k, params=params)
        pairs = [(int(i), float(s)) for i, s in zip(ids_out[0], scores[0], strict=True) if i >= 0]
        return [i for i, _ in pairs], [s for _, s in pairs]

    def vectors(self, ids: list[int]) -> np.ndarray:
        return np.asarray(self.vector_rows[ids], np.float32)

    def table_json(self, table_id: str) -> tuple[str, str] | None:
        row = self.con.execute("SELECT doc_id, table_json FROM tables WHERE id = ?",
                               (table_id,)).fetchone()
        return (row["doc_id"], row["table_json"]) if row else None

    def document_tables(self, doc_id: str) -> list[str]:
        return [r["table_json"] for r in self.con.execute(
            "SELECT table_json FROM tables WHERE doc_id = ? ORDER BY rowid", (doc_id,))]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        row = self.con.execute(f"SELECT {META}, text, pages_json FROM documents WHERE id = ?",
                               (doc_id,)).fetchone()
        return dict(row) if row else None

    def document_list(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.con.execute(
            f"SELECT {META} FROM documents ORDER BY municipality, period, title")]

    def text_span(self, doc_id: str, start: int, end: int) -> str:
        row = self.con.execute("SELECT substr(text, ?, ?) AS t FROM documents WHERE id = ?",
                               (start + 1, end - start, doc_id)).fetchone()
        return row["t"] if row else ""

    def document_texts(self) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self.con.execute("SELECT id, text FROM documents")}

    def search_texts(self) -> list[str]:
        return [r["search_text"] for r in
                self.con.execute("SELECT search_text FROM passages ORDER BY n")]

    def close(self) -> None:
        self._cons.close()
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None


class PostgresStorage:
    """The live build schema of a PostgreSQL database (`indexer/pg_store.py` wrote it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._holder = pg_store.connect(url, vector=False)  # holds the schema while it is read
        found = pg_store.live(self._holder)
        if found is None:
            self._holder.close()
            raise IndexError_(f"no index in the database {pg_store.safe_url(url)}; "
                              "run 'kuntahaku index' first")
        self.schema, self.manifest = found
        pg_store.hold(self._holder, self.schema)
        now = pg_store.live(self._holder)
        if now is None or now[0] != self.schema:
            # published over and perhaps dropped between reading the pointer and holding it
            self._holder.close()
            raise IndexError_(f"the index in {pg_store.safe_url(url)} changed while it was "
                              "opened; open it again")
        self.build_id = pg_store.build_id(url, self.schema)
        self._cons = pg_store.server_connections(url)
        self._df: dict[str, int | None] = {}
        # the vectors of this thread's last dense top: the ranking asks for them next
        self._recent = threading.local()

    def _all(self, sql: str, params: tuple = (), binary: bool = False) -> list[dict[str, Any]]:
        """Rows of a query on this build's schema; `binary` for vectors and postings (parsing
        400 floats of text a vector cost 24 ms for a pool of 200 at 100 k passages)."""
        return self._cons.get().execute(sql.replace("{s}", self.schema), params,
                                        binary=binary).fetchall()

    def _one(self, sql: str, params: tuple = ()) -> dict[str, Any] | None:
        return self._cons.get().execute(sql.replace("{s}", self.schema), params).fetchone()

    def documents(self) -> list[dict[str, Any]]:
        return self._all(f"SELECT {_DOC_INFO} FROM {{s}}.documents")

    def passages(self) -> list[dict[str, Any]]:
        return self._all(f"SELECT {_PASSAGE} FROM {{s}}.passages ORDER BY n")

    def items(self) -> list[dict[str, Any]]:
        return self._all("SELECT * FROM {s}.items")

    def words(self) -> dict[str, list[str]] | None:
        row = self._one("SELECT value FROM {s}.meta WHERE key = 'words'")
        return json.loads(row["value"]) if row else None

    def doc_freq(self, term: str) -> int | None:
        return self._doc_freqs([term])[term]

    def known_terms(self, terms: list[str]) -> set[str]:
        """The index's terms among `terms`, in one query for those not yet looked up."""
        return {t for t, df in self._doc_freqs(terms).items() if df is not None}

    def _doc_freqs(self, terms: list[str]) -> dict[str, int | None]:
        """{term: its document frequency, None where no passage holds it}, from the cache or one
        query for the terms it lacks. The answer is built here, not read back from the cache,
        which another thread may clear meanwhile."""
        cached = self._df  # .get: another thread may clear it between a test and a read
        out = {t: v for t in terms if (v := cached.get(t, _MISSING)) is not _MISSING}
        new = sorted(set(terms) - set(out))
        if new:
            if len(self._df) > 200_000:  # a long-running server meets many words: start over
                self._df.clear()
            found = {r["term"]: int(r["df"]) for r in self._all(
                "SELECT term, df FROM {s}.terms WHERE term = ANY(%s)", (new,))}
            for t in new:
                out[t] = self._df[t] = found.get(t)
        return out

    def lexical_scores(self, groups: list[tuple[float, list[str]]]) -> np.ndarray:
        """bm25s's `get_scores` per group: each term's precomputed weights added in the query's
        order (a repeated term counts again), in float32 — the same sums as the embedded index;
        every group's terms fetched in one query."""
        n = int(self.manifest["dense_index"]["vectors"])
        wanted = sorted({t for _w, terms in groups for t in terms})
        rows = {r["term"]: r for r in self._all(
            "SELECT term, ids, weights FROM {s}.terms WHERE term = ANY(%s)", (wanted,),
            binary=True)} if wanted else {}

        def scores_of(terms: list[str]) -> np.ndarray:
            scores = np.zeros(n, np.float32)
            for t in terms:
                r = rows.get(t)
                if r is not None:
                    scores[np.frombuffer(r["ids"], "<i4")] += np.frombuffer(r["weights"], "<f4")
            return scores
        return weighted_sum(n, groups, scores_of)

    def dense_top(self, qvec: np.ndarray, k: int, keep: Selection | None
                  ) -> tuple[list[int], list[float]]:
        where, params = _where(keep.filters if keep is not None else {})
        vec = np.ascontiguousarray(qvec[0], np.float32)
        # exact (no HNSW index): ties (passages of one text) go to the higher row number, as in
        # FAISS's heaps (which compare (score, id)); the HNSW index orders by the distance alone
        then = ", n DESC" if self.manifest["dense_index"]["type"] == "flat" else ""
        rows = self._all(f"SELECT n, embedding FROM {{s}}.passages {where} "
                         f"ORDER BY embedding <#> %s{then} LIMIT %s", (*params, vec, k), binary=True)
        if not rows:
            return [], []
        # the scores as FAISS computes them (its inner-product kernel, not pgvector's sum, which
        # differs in the last bits): the k-th score is the ranking's dense floor
        found = np.ascontiguousarray([r["embedding"].to_numpy() for r in rows], np.float32)
        self._recent.vectors = {r["n"]: v for r, v in zip(rows, found, strict=True)}
        scores = np.empty(len(rows), np.float32)
        faiss.fvec_inner_products_ny(faiss.swig_ptr(scores), faiss.swig_ptr(vec),
                                     faiss.swig_ptr(found), len(vec), len(rows))
        order = sorted(range(len(rows)), key=lambda i: (-scores[i], -rows[i]["n"]))
        return [rows[i]["n"] for i in order], [float(scores[i]) for i in order]

    def vectors(self, ids: list[int]) -> np.ndarray:
        """The vectors of passages `ids`; those of the last dense top from memory, not fetched
        again."""
        have = getattr(self._recent, "vectors", {})
        missing = [i for i in ids if i not in have]
        rows = {r["n"]: r["embedding"].to_numpy() for r in self._all(
            "SELECT n, embedding FROM {s}.passages WHERE n = ANY(%s)", (missing,), binary=True)
        } if missing else {}
        return np.asarray([have[i] if i in have else rows[i] for i in ids], np.float32)

    def table_json(self, table_id: str) -> tuple[str, str] | None:
        row = self._one("SELECT doc_id, table_json FROM {s}.tables WHERE id = %s", (table_id,))
        return (row["doc_id"], row["table_json"]) if row else None

    def document_tables(self, doc_id: str) -> list[str]:
        return [r["table_json"] for r in self._all(
            "SELECT table_json FROM {s}.tables WHERE doc_id = %s ORDER BY ord", (doc_id,))]

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return self._one(f"SELECT {META}, text, pages_json FROM {{s}}.documents WHERE id = %s",
                         (doc_id,))

    def document_list(self) -> list[dict[str, Any]]:
        # ORDER BY as SQLite's (byte order, NULL first), not the database's collation
        return self._all(f"SELECT {META} FROM {{s}}.documents ORDER BY municipality COLLATE \"C\" "
                         'NULLS FIRST, period COLLATE "C" NULLS FIRST, title COLLATE "C" NULLS FIRST')

    def text_span(self, doc_id: str, start: int, end: int) -> str:
        row = self._one("SELECT substr(text, %s, %s) AS t FROM {s}.documents WHERE id = %s",
                        (start + 1, end - start, doc_id))
        return row["t"] if row else ""

    def document_texts(self) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self._all("SELECT id, text FROM {s}.documents")}

    def search_texts(self) -> list[str]:
        return [r["search_text"] for r in
                self._all("SELECT search_text FROM {s}.passages ORDER BY n")]

    def close(self) -> None:
        self._cons.close()
        self._holder.close()


def weighted_sum(n: int, groups: list[tuple[float, list[str]]],
                 scores_of: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """The lexical score of every passage, in float32: the first group's scores added as they
    are when its weight is 1, every other group's times its weight, in the groups' order."""
    total = np.zeros(n, np.float32)
    for i, (w, terms) in enumerate(groups):
        scores = np.asarray(scores_of(terms), np.float32)
        total += scores if i == 0 and w == 1.0 else w * scores
    return total


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """The SQL of `Searcher.mask`'s filters over the passages' document values."""
    conds: list[str] = []
    params: list[Any] = []
    for column in ("municipality", "year", "doc_type", "body"):
        if filters.get(column):
            conds.append(f"{column} = %s")
            params.append(filters[column])
    if filters.get("date_from") or filters.get("date_to"):
        conds.append("date_first > 0")
    if filters.get("date_from"):
        conds.append("date_last >= %s")
        params.append(date.fromisoformat(filters["date_from"]).toordinal())
    if filters.get("date_to"):
        conds.append("date_first <= %s")
        params.append(date.fromisoformat(filters["date_to"]).toordinal())
    return ("WHERE " + " AND ".join(conds) if conds else ""), params


def open_storage(index: Path, database_url: str, memory_check: bool) -> Storage:
    """The live build, held while it is open (a build elsewhere does not drop or prune it): in
    the database when one is set (`pg_store.hold`), else the index folder's (`store.hold`)."""
    if database_url:
        return PostgresStorage(database_url)
    for _ in range(5):  # a build elsewhere may swap and prune between finding and holding
        folder = store.live_folder(index)
        if folder is None:
            raise IndexError_(f"no index at {index}; run 'kuntahaku index' first")
        hold = store.hold(folder)
        if hold is not None:
            break
    else:
        raise IndexError_(f"the index at {index} kept changing while it was opened")
    try:
        return EmbeddedStorage(folder, store.read_manifest(folder), memory_check, hold)
    except BaseException:
        os.close(hold)
        raise


def live_build_id(index: Path, database_url: str) -> str | None:
    """The `Storage.build_id` a newly opened storage would serve, None when there is none."""
    if database_url:
        with pg_store.connect(database_url, vector=False) as con:
            found = pg_store.live(con)
        return pg_store.build_id(database_url, found[0]) if found else None
    folder = store.live_folder(index)
    return str(folder) if folder else None
