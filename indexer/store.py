"""The index on disk: a plain folder you can open.

    manifest.json      counts, versions, analyzer/model (later stages), failed files, warnings
    kuntahaku.sqlite   documents (metadata, text, parsed structure as JSON), tables, passages

`write` creates a complete folder; `build.py` decides when and swaps it in atomically.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any, Generic, TypeVar

from indexer.models import (
    Block,
    Cell,
    Check,
    Conflict,
    Document,
    Item,
    Meta,
    Page,
    Part,
    Passage,
    Row,
    Table,
)

C = TypeVar("C")
DB_NAME = "kuntahaku.sqlite"
MANIFEST = "manifest.json"

_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, source_file TEXT UNIQUE, sha256 TEXT, municipality TEXT, doc_type TEXT,
    title TEXT, period TEXT, period_label TEXT, year INTEGER, n_pages INTEGER, text TEXT,
    pages_json TEXT, doc_json TEXT, body TEXT, meeting_date TEXT
);
CREATE TABLE items (
    id TEXT PRIMARY KEY, doc_id TEXT REFERENCES documents(id), number TEXT, title TEXT,
    case_id TEXT, page INTEGER, start INTEGER, "end" INTEGER, boilerplate INTEGER, outcome TEXT,
    outcome_text TEXT, parts_json TEXT
);
CREATE INDEX items_doc ON items(doc_id);
CREATE TABLE tables (
    id TEXT PRIMARY KEY, doc_id TEXT REFERENCES documents(id), page INTEGER, title TEXT,
    table_json TEXT
);
CREATE TABLE passages (
    n INTEGER PRIMARY KEY, id TEXT UNIQUE, doc_id TEXT REFERENCES documents(id), kind TEXT,
    text TEXT, search_text TEXT, section TEXT, page INTEGER, start INTEGER, "end" INTEGER,
    table_id TEXT, row_index INTEGER, item_id TEXT, part TEXT
);
CREATE INDEX passages_doc ON passages(doc_id);
"""


def document_to_json(doc: Document) -> str:
    return json.dumps(asdict(doc), ensure_ascii=False)


def _conflict(d: dict[str, Any]) -> Conflict:
    return Conflict(d["value"], d["number"], d["page"], d["table_id"], d["row_index"], d["quote"])


def _table(d: dict[str, Any]) -> Table:
    # checks, failed_checks, checked and conflicts are later additions: older JSON lacks them
    rows = tuple(
        Row(r["label"], tuple(Cell(**c) for c in r["cells"]), tuple(r["groups"]), r["is_group"],
            r["page"], r["start"], r["end"], tuple(r.get("failed_checks", ())),
            r.get("checked", False),
            tuple((k, _conflict(c)) for k, c in r.get("conflicts", ())))
        for r in d["rows"]
    )
    checks = tuple(Check(c["kind"], tuple(c["columns"]), c["description"], c["holds"],
                         c["applies"]) for c in d.get("checks", ()))
    return Table(d["id"], d["title"], d["label_header"], tuple(d["columns"]), rows, d["section"],
                 d["page"], d["unit"], checks)


def document_from_json(text: str) -> Document:
    d = json.loads(text)
    blocks = tuple(
        Block(b["kind"], b["text"], b["start"], b["end"], b["page"], b["level"],
              _table(b["table"]) if b["table"] else None, b["section"])
        for b in d["blocks"]
    )
    return Document(
        id=d["id"], source_file=d["source_file"], sha256=d["sha256"], meta=Meta(**d["meta"]),
        text=d["text"], pages=tuple(Page(**p) for p in d["pages"]), blocks=blocks,
        warnings=tuple(d["warnings"]), items=tuple(_item(i) for i in d.get("items", ())),
    )


def _item(d: dict[str, Any]) -> Item:
    return Item(**{**d, "parts": tuple(Part(**p) for p in d["parts"])})


def rows(docs: list[Document], passages: list[Passage]) -> dict[str, list[tuple]]:
    """Each table's rows, in the columns of `_SCHEMA` (the PostgreSQL backend writes the same)."""
    return {
        "documents": [
            (d.id, d.source_file, d.sha256, d.meta.municipality, d.meta.doc_type, d.meta.title,
             d.meta.period, d.meta.period_label, d.meta.year, len(d.pages), d.text,
             json.dumps([asdict(p) for p in d.pages]), document_to_json(d), d.meta.body,
             d.meta.meeting_date) for d in docs],
        "items": [
            (i.id, d.id, i.number, i.title, i.case_id, i.page, i.start, i.end, int(i.boilerplate),
             i.outcome, i.outcome_text, json.dumps([asdict(p) for p in i.parts]))
            for d in docs for i in d.items],
        "tables": [(t.id, d.id, t.page, t.title, json.dumps(asdict(t), ensure_ascii=False))
                   for d in docs for t in d.tables],
        "passages": [(n, p.id, p.doc_id, p.kind, p.text, p.search_text, p.section, p.page, p.start,
                      p.end, p.table_id, p.row_index, p.item_id, p.part)
                     for n, p in enumerate(passages)],
    }


def write_db(folder: Path, docs: list[Document], passages: list[Passage]) -> None:
    folder.mkdir(parents=True, exist_ok=False)
    con = sqlite3.connect(folder / DB_NAME)
    try:
        con.executescript(_SCHEMA)
        for table, values in rows(docs, passages).items():
            if values:
                con.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(values[0]))})",
                                values)
        con.commit()
    finally:
        con.close()


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to the disk (a crash after the swap must not
    leave the live index with files the kernel had not written yet)."""
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
        elif path.is_dir():
            fsync_dir(path)
    fsync_dir(folder)


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_manifest(folder: Path, manifest: dict) -> None:
    """Written last, after everything else is on disk: a folder with a manifest is a complete
    index. Written to a temporary name, flushed, then renamed, so a manifest is never partial."""
    fsync_tree(folder)
    tmp = folder / f".{MANIFEST}.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)
    fsync_dir(folder)


def live_folder(index: Path) -> Path | None:
    """The build folder the index symlink points at, if a complete one exists."""
    if index.is_symlink() or index.is_dir():
        target = index.resolve()
        if (target / MANIFEST).exists() and (target / DB_NAME).exists():
            return target
    return None


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def connect(folder: Path) -> sqlite3.Connection:
    """Read-only connection to a finished index folder."""
    uri = f"file:{(folder / DB_NAME).resolve()}?mode=ro"
    con = sqlite3.connect(uri, uri=True, check_same_thread=False)
    con.row_factory = sqlite3.Row
    return con


class ThreadConnections(Generic[C]):
    """One connection per thread to an index's database (`open_one` makes one).

    A single connection shared by the server's threads was closed by a re-index while other
    threads still ran queries on it (`Cannot operate on a closed database`, then a segfault in
    libsqlite3). Each thread now gets its own; `close()` closes them all once the index is retired
    and no request uses it any more (api/app.py counts them); `get()` after it raises `closed()`."""

    def __init__(self, open_one: Callable[[], C], closed: Callable[[], Exception]) -> None:
        self._open_one = open_one
        self._closed_error = closed
        self._local = threading.local()
        self._all: list[C] = []
        self._lock = threading.Lock()
        self._closed = False

    def get(self) -> C:
        con = getattr(self._local, "con", None)
        if con is None:
            with self._lock:
                if self._closed:
                    raise self._closed_error()
                con = self._open_one()
                self._all.append(con)
            self._local.con = con
        return con

    def close(self) -> None:
        with self._lock:
            self._closed = True
            cons, self._all = self._all, []
        for con in cons:
            con.close()  # type: ignore[attr-defined]


def folder_connections(folder: Path) -> ThreadConnections[sqlite3.Connection]:
    """Read-only connections to a finished index folder's database, one per thread."""
    return ThreadConnections(lambda: connect(folder), lambda: sqlite3.ProgrammingError(
        f"the index at {folder} has been closed"))


_build_locks: dict[str, threading.Lock] = {}
_build_locks_guard = threading.Lock()


@contextmanager
def build_lock(index: Path) -> Iterator[None]:
    """One build of an index at a time: a lock across this process's threads (two re-index
    requests) and an flock on `.<index>.lock` beside it across processes (a CLI build beside the
    server's). Released by the kernel if the holder dies, so a kill -9 never leaves it stuck."""
    index.parent.mkdir(parents=True, exist_ok=True)
    with _build_locks_guard:
        lock = _build_locks.setdefault(str(index.absolute()), threading.Lock())
    with lock:
        fd = os.open(index.parent / f".{index.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # and with it the flock


def hold(folder: Path) -> int | None:
    """A shared flock on a complete build's manifest, held while a server reads the folder, so
    that another process's build does not prune it; None when the folder is gone (pruned between
    finding it and locking it). Release with `os.close`."""
    try:
        fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    try:
        same = os.fstat(fd).st_ino == os.stat(folder / MANIFEST).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        os.close(fd)
        return None
    return fd


def remove_build(folder: Path) -> bool:
    """Delete an old build folder unless a server holds it (see `hold`); the exclusive flock is
    kept while deleting, so a server cannot take the folder up half-deleted."""
    try:
        fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        fd = None  # a partial build (killed before its manifest): nothing can be reading it
    try:
        if fd is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        if fd is not None:
            os.close(fd)


def load_documents(folder: Path) -> dict[str, Document]:
    """source_file → Document, for reuse by an incremental build."""
    con = connect(folder)
    try:
        rows = con.execute("SELECT source_file, doc_json FROM documents").fetchall()
    finally:
        con.close()
    return {r["source_file"]: document_from_json(r["doc_json"]) for r in rows}
