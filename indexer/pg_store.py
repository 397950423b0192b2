"""The index in PostgreSQL (`KUNTAHAKU_DATABASE_URL=postgresql://…`): one database holds one
index, each build in a schema of its own, and `public.kuntahaku_live` names the schema served.

    kh_<time>_<hex>.documents   the columns of `store._SCHEMA` (SQLite), same rows
                   .items, .tables
                   .passages    those columns, plus the document's filter values (municipality,
                                year, doc_type, body, date_first/date_last as day numbers) and the
                                passage vector (pgvector `vector(dim)`; an HNSW index with
                                `vector_ip_ops` from `ann_threshold` passages up, as FAISS)
                   .terms       bm25s's index as a table: per analysed term its passages and their
                                precomputed BM25 weights (int4 / float4 arrays as bytea), so a
                                query's lexical scores are those of the embedded index exactly
                   .meta        words (word → terms, for highlighting)
    public.kuntahaku_live       one row: the live schema and its manifest

A build writes a fresh schema and commits it; only then does one transaction point the live row
at it, so a server always reads a complete build. Old schemas are dropped by the next build, except
the live one, the one it replaced, and any a server still reads (servers hold a shared advisory
lock on their schema; `hold`). One build at a time: an advisory lock for the whole build.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from indexer import store
from indexer.errors import IndexError_, StorageError
from indexer.metadata import date_span, day_numbers
from indexer.models import Document, Passage
from indexer.search_index import HNSW_EF_CONSTRUCTION, HNSW_EF_SEARCH, HNSW_M, SearchData

LIVE = "public.kuntahaku_live"
BUILD_LOCK = 0x6B756E74  # advisory lock key of "a build is running" ("kunt")
_SCHEMA_NAME = re.compile(r"kh_[0-9]{8}t[0-9]{6}_[0-9a-f]{8}")

_COLUMNS = {
    "documents": "id text PRIMARY KEY, source_file text UNIQUE, sha256 text, municipality text, "
                 "doc_type text, title text, period text, period_label text, year integer, "
                 "n_pages integer, text text, pages_json text, doc_json text, body text, "
                 "meeting_date text",
    "items": 'id text PRIMARY KEY, doc_id text, number text, title text, case_id text, '
             'page integer, start integer, "end" integer, boilerplate integer, outcome text, '
             'outcome_text text, parts_json text',
    "tables": "id text PRIMARY KEY, doc_id text, page integer, title text, table_json text, "
              "ord integer",
    "passages": 'n integer PRIMARY KEY, id text UNIQUE, doc_id text, kind text, text text, '
                'search_text text, section text, page integer, start integer, "end" integer, '
                'table_id text, row_index integer, item_id text, part text, '
                'municipality text, year integer, doc_type text, body text, '
                'date_first integer, date_last integer, embedding vector({dim})',
    "terms": "term text PRIMARY KEY, df integer, ids bytea, weights bytea",
    "meta": "key text PRIMARY KEY, value text",
}
# filtered dense searches and facet-like lookups by the document's values
_INDEXES = ("municipality", "year", "doc_type", "body", "doc_id", "item_id")


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def _one_line(exc: Exception) -> str:
    """A driver's message on one line (libpq's run over several, with tabs)."""
    return " ".join(str(exc).split())


def connect(url: str, vector: bool = True) -> Any:
    """A connection (autocommit, rows as dicts) with pgvector's types unless `vector` is False
    (a build creates the extension first); IndexError_ naming the server when it cannot be
    reached."""
    import psycopg
    from pgvector.psycopg import register_vector
    from psycopg.rows import dict_row

    try:
        con = psycopg.connect(url, autocommit=True, row_factory=dict_row)
    except psycopg.Error as exc:
        raise IndexError_(f"cannot connect to the database {safe_url(url)} "
                          f"(KUNTAHAKU_DATABASE_URL): {_one_line(exc)}") from exc
    if not vector:
        return con
    try:
        register_vector(con)
    except psycopg.ProgrammingError as exc:  # the type is missing: the extension is not created
        con.close()
        raise IndexError_(f"the database {safe_url(url)} has no pgvector extension; run "
                          "'CREATE EXTENSION vector' there (or 'kuntahaku index', which creates "
                          f"it): {exc}") from exc
    return con


def live(con: Any) -> tuple[str, dict] | None:
    """(schema, manifest) of the live build, None when nothing was published yet."""
    exists = con.execute("SELECT to_regclass(%s) AS t", (LIVE,)).fetchone()["t"]
    if exists is None:
        return None
    row = con.execute(f"SELECT schema, manifest FROM {LIVE}").fetchone()
    return (row["schema"], json.loads(row["manifest"])) if row else None


def load_documents(con: Any, schema: str) -> dict[str, Document]:
    """source_file → Document of a build, for reuse by an incremental build."""
    rows = con.execute(f"SELECT source_file, doc_json FROM {schema}.documents").fetchall()
    return {r["source_file"]: store.document_from_json(r["doc_json"]) for r in rows}


def build_id(url: str, schema: str) -> str:
    """`Storage.build_id` of a build schema."""
    return f"{safe_url(url)}#{schema}"


def hold_key(schema: str) -> int:
    return zlib.crc32(schema.encode())


def hold(con: Any, schema: str) -> None:
    """A shared advisory lock on a build's schema, held by a server for as long as `con` is open:
    a build does not drop a schema a server reads."""
    con.execute("SELECT pg_advisory_lock_shared(%s)", (hold_key(schema),))


def _copy_types(table: str) -> list[str]:
    """The binary COPY type of each of a table's columns, from `_COLUMNS`."""
    types = {"integer": "int4", "text": "text", "bytea": "bytea"}
    return [types.get(c.split()[1], c.split()[1].split("(")[0]) for c in _COLUMNS[table].split(", ")]


_PASSAGE_TYPES = _copy_types("passages")


@dataclass
class BuildRows:
    """A build's rows, streamed into its tables: documents, items and tables in the columns of
    `store._SCHEMA`; passages in those plus `doc_values` of their document and the vector;
    terms as `lexical_terms` gives them; words as JSON."""

    documents: Iterable[tuple]
    items: Iterable[tuple]
    tables: Iterable[tuple]
    passages: Iterable[tuple]
    terms: Iterable[tuple[str, int, bytes, bytes]]
    words: str
    n: int
    dim: int


def doc_values(municipality: str, year: int, doc_type: str, body: str, meeting_date: str,
               period_iso: str) -> tuple:
    """What the filters test of a passage's document: its values and its days as day numbers
    (as `Searcher.mask` computes them)."""
    first, last = day_numbers(date_span(meeting_date, period_iso))
    return municipality, year, doc_type, body, first, last


def lexical_terms(lexical: Any) -> Iterator[tuple[str, int, bytes, bytes]]:
    """bm25s's index as rows: per term its passages and their precomputed BM25 weights."""
    scores = lexical.scores
    indptr, indices, weights = (np.asarray(scores[k]) for k in ("indptr", "indices", "data"))
    for term, i in lexical.vocab_dict.items():
        if i + 1 >= len(indptr):  # bm25s lists "" without a column when no passage is empty
            continue
        lo, hi = int(indptr[i]), int(indptr[i + 1])
        yield (term, hi - lo, indices[lo:hi].astype("<i4").tobytes(),
               weights[lo:hi].astype("<f4").tobytes())


def build_rows(docs: list[Document], passages: list[Passage], data: SearchData) -> BuildRows:
    tables = store.rows(docs, passages)
    values = {d.id: doc_values(d.meta.municipality, d.meta.year, d.meta.doc_type, d.meta.body,
                               d.meta.meeting_date, d.meta.period) for d in docs}
    return BuildRows(
        tables["documents"], tables["items"], tables["tables"],
        ((*row, *values[row[2]], vector)
         for row, vector in zip(tables["passages"], data.vectors, strict=True)),
        lexical_terms(data.lexical), json.dumps(data.words, ensure_ascii=False),
        len(passages), data.dim)


def _copy(con: Any, table: str, columns: str, values: Iterable[tuple],
          types: list[str] | None = None) -> None:
    binary = " WITH (FORMAT BINARY)" if types else ""
    with con.cursor().copy(f"COPY {table} ({columns}) FROM STDIN{binary}") as copy:
        if types:
            copy.set_types(types)
        for row in values:
            copy.write_row(row)


def write_build(con: Any, schema: str, rows: BuildRows, ann_threshold: int) -> dict[str, Any]:
    """Create `schema` with a complete build in it (committed); returns its dense index fields."""
    with con.transaction():
        con.execute("CREATE EXTENSION IF NOT EXISTS vector")
    from pgvector.psycopg import register_vector
    register_vector(con)
    took: dict[str, float] = {}
    t = time.perf_counter()
    with con.transaction():
        con.execute(f"CREATE SCHEMA {schema}")
        for table, columns in _COLUMNS.items():
            con.execute(f"CREATE TABLE {schema}.{table} ({columns.format(dim=rows.dim)})")
        for table, values in (("documents", rows.documents), ("items", rows.items)):
            _copy(con, f"{schema}.{table}", _names(table), values)
        _copy(con, f"{schema}.tables", _names("tables"),
              ((*row, i) for i, row in enumerate(rows.tables)))
        # binary: a vector's 384 floats as text would be ~4 KB a row
        _copy(con, f"{schema}.passages", _names("passages"), rows.passages, _PASSAGE_TYPES)
        _copy(con, f"{schema}.terms", _names("terms"), rows.terms)
        _copy(con, f"{schema}.meta", "key, value", [("words", rows.words)])
        took["copy"] = time.perf_counter() - t
        t = time.perf_counter()
        for column in _INDEXES:
            con.execute(f"CREATE INDEX ON {schema}.passages ({column})")
        took["indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        dense: dict[str, Any] = {"type": "flat"}  # no index: an exact scan, as IndexFlatIP
        if rows.n >= ann_threshold:
            con.execute(f"CREATE INDEX ON {schema}.passages USING hnsw (embedding vector_ip_ops) "
                        f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})")
            dense = {"type": "hnsw", "m": HNSW_M, "ef_search": HNSW_EF_SEARCH}
        took["hnsw"] = time.perf_counter() - t
    t = time.perf_counter()
    con.execute("ANALYZE " + ", ".join(f"{schema}.{table}" for table in _COLUMNS))
    took["analyze"] = time.perf_counter() - t
    return {**dense, "backend": "postgresql", "seconds": {k: round(v, 1) for k, v in took.items()}}


def _names(table: str) -> str:
    return ", ".join(c.split()[0] for c in _COLUMNS[table].split(", "))


def new_schema() -> str:
    return "kh_" + time.strftime("%Y%m%dt%H%M%S") + "_" + uuid.uuid4().hex[:8]


def publish(url: str, manifest: dict, make_rows: Callable[[], tuple[BuildRows, Callable]],
            ann_threshold: int) -> None:
    """Write a new build into a fresh schema, then make it the live one in one transaction and
    drop the builds nobody reads; StorageError (the live build unchanged) when the database
    refuses a write. `make_rows` gives the rows and what the manifest says of the dense index
    (from write_build's fields)."""
    import psycopg

    schema = new_schema()
    with connect(url, vector=False) as con:  # autocommit: leaving it only closes it
        con.execute("SELECT pg_advisory_lock(%s)", (BUILD_LOCK,))
        try:
            rows, fields = make_rows()
            manifest.update(fields(write_build(con, schema, rows, ann_threshold)))
            manifest["database"] = {"url": safe_url(url), "schema": schema}
            previous = swap(con, schema, manifest)
        except psycopg.Error as exc:
            # a dead connection cannot drop it, and must not hide the error: the build's one
            # transaction rolled the schema back, and the next build's prune drops what is left
            with contextlib.suppress(psycopg.Error):
                con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            raise StorageError(f"cannot write the new index into {safe_url(url)}: "
                               f"{_one_line(exc)}; the live index there is unchanged") from exc
        _prune(con, keep={schema, previous})


def swap(con: Any, schema: str, manifest: dict) -> str | None:
    with con.transaction():
        con.execute(f"CREATE TABLE IF NOT EXISTS {LIVE} (one boolean PRIMARY KEY DEFAULT true "
                    "CHECK (one), schema text NOT NULL, manifest text NOT NULL, "
                    "published_at timestamptz NOT NULL DEFAULT now())")
        row = con.execute(f"SELECT schema FROM {LIVE} FOR UPDATE").fetchone()
        con.execute(f"INSERT INTO {LIVE} (schema, manifest) VALUES (%s, %s) ON CONFLICT (one) "
                    "DO UPDATE SET schema = excluded.schema, manifest = excluded.manifest, "
                    "published_at = now()", (schema, json.dumps(manifest, ensure_ascii=False)))
    return row["schema"] if row else None


def _prune(con: Any, keep: set[str | None]) -> None:
    """Drop the build schemas not kept and not held by a server (a killed build's too)."""
    for row in con.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kh\\_%'").fetchall():
        name = row["nspname"]
        if name in keep or not _SCHEMA_NAME.fullmatch(name):
            continue
        key = hold_key(name)
        if con.execute("SELECT pg_try_advisory_lock(%s) AS ok", (key,)).fetchone()["ok"]:
            try:
                con.execute(f"DROP SCHEMA {name} CASCADE")
            finally:
                con.execute("SELECT pg_advisory_unlock(%s)", (key,))


def search_connection(url: str) -> Any:
    """A server's connection, with the dense search's settings."""
    con = connect(url)
    # filtered searches walk the HNSW graph on until k rows pass the filter, in order
    con.execute(f"SET hnsw.ef_search = {HNSW_EF_SEARCH}")
    con.execute("SET hnsw.iterative_scan = strict_order")
    return con


def server_connections(url: str) -> store.ThreadConnections[Any]:
    """A server's connections, one per thread (a psycopg connection runs one query at a time)."""
    return store.ThreadConnections(lambda: search_connection(url), lambda: IndexError_(
        f"the index in {safe_url(url)} has been closed"))

