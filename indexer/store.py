"""The index on disk: a plain folder you can open.

    manifest.json      counts, versions, analyzer/model (later stages), failed files, warnings
    kuntahaku.sqlite   documents (metadata, text, parsed structure as JSON), tables, passages

`write` creates a complete folder; `build.py` decides when and swaps it in atomically.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict
from pathlib import Path
from typing import Any

from indexer.models import Block, Cell, Check, Conflict, Document, Meta, Page, Passage, Row, Table

DB_NAME = "kuntahaku.sqlite"
MANIFEST = "manifest.json"

_SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, source_file TEXT UNIQUE, sha256 TEXT, municipality TEXT, doc_type TEXT,
    title TEXT, period TEXT, period_label TEXT, year INTEGER, n_pages INTEGER, text TEXT,
    pages_json TEXT, doc_json TEXT
);
CREATE TABLE tables (
    id TEXT PRIMARY KEY, doc_id TEXT REFERENCES documents(id), page INTEGER, title TEXT,
    table_json TEXT
);
CREATE TABLE passages (
    n INTEGER PRIMARY KEY, id TEXT UNIQUE, doc_id TEXT REFERENCES documents(id), kind TEXT,
    text TEXT, search_text TEXT, section TEXT, page INTEGER, start INTEGER, "end" INTEGER,
    table_id TEXT, row_index INTEGER
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
        warnings=tuple(d["warnings"]),
    )


def write_db(folder: Path, docs: list[Document], passages: list[Passage]) -> None:
    folder.mkdir(parents=True, exist_ok=False)
    con = sqlite3.connect(folder / DB_NAME)
    try:
        con.executescript(_SCHEMA)
        con.executemany(
            "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(d.id, d.source_file, d.sha256, d.meta.municipality, d.meta.doc_type, d.meta.title,
              d.meta.period, d.meta.period_label, d.meta.year, len(d.pages), d.text,
              json.dumps([asdict(p) for p in d.pages]), document_to_json(d)) for d in docs],
        )
        con.executemany(
            "INSERT INTO tables VALUES (?,?,?,?,?)",
            [(t.id, d.id, t.page, t.title, json.dumps(asdict(t), ensure_ascii=False))
             for d in docs for t in d.tables],
        )
        con.executemany(
            "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [(n, p.id, p.doc_id, p.kind, p.text, p.search_text, p.section, p.page, p.start, p.end,
              p.table_id, p.row_index) for n, p in enumerate(passages)],
        )
        con.commit()
    finally:
        con.close()


def write_manifest(folder: Path, manifest: dict) -> None:
    """Written last: a folder with a manifest is a complete index."""
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")


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


def load_documents(folder: Path) -> dict[str, Document]:
    """source_file → Document, for reuse by an incremental build."""
    con = connect(folder)
    try:
        rows = con.execute("SELECT source_file, doc_json FROM documents").fetchall()
    finally:
        con.close()
    return {r["source_file"]: document_from_json(r["doc_json"]) for r in rows}
