"""FastAPI service over a built index: read-only, loaded once at start.

Implemented here: `/health`, `/api/documents`, `/api/documents/{id}`,
`/api/documents/{id}/source`. Search, ask and the web page come with issues #3–#5.
Every error is JSON `{"error": {"code", "message"}}` with a 4xx status.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer import store
from indexer.build import live_folder
from indexer.errors import IndexError_
from indexer.settings import Settings

_DOC_ID = re.compile(r"^[0-9a-f]{12}$")


@dataclass
class Index:
    folder: Path
    manifest: dict[str, Any]
    con: sqlite3.Connection
    corpus: Path

    @classmethod
    def open(cls, settings: Settings) -> Index:
        folder = live_folder(settings.index)
        if folder is None:
            raise IndexError_(f"no index at {settings.index}; run 'kuntahaku index' first")
        return cls(folder, store.read_manifest(folder), store.connect(folder),
                   settings.corpus.resolve())


def get_index(request: Request) -> Index:
    return request.app.state.index


IndexDep = Annotated[Index, Depends(get_index)]


def _document_meta(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "municipality": row["municipality"],
            "period": row["period_label"], "period_iso": row["period"], "year": row["year"],
            "doc_type": row["doc_type"], "source_file": row["source_file"],
            "pages": row["n_pages"]}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.index = Index.open(settings)
        yield
        app.state.index.con.close()

    app = FastAPI(title="Kuntahaku", version="0.1.0", lifespan=lifespan,
                  description="Search and answers over Finnish municipal reports.")

    @app.exception_handler(StarletteHTTPException)  # also catches routing 404/405
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid input')}")

    @app.get("/health")
    def health(index: IndexDep) -> dict[str, Any]:
        m = index.manifest
        return {"status": "ok", "code_version": m.get("code_version"),
                "built_at": m.get("built_at"), "counts": m.get("counts"),
                "failed": m.get("failed", [])}

    @app.get("/api/documents")
    def documents(index: IndexDep) -> dict[str, Any]:
        rows = index.con.execute(
            "SELECT * FROM documents ORDER BY municipality, period, title").fetchall()
        return {"documents": [_document_meta(r) for r in rows]}

    def _row(index: Index, doc_id: str) -> sqlite3.Row:
        row = None
        if _DOC_ID.match(doc_id):
            row = index.con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise HTTPException(404, f"no document with id '{doc_id[:40]}'")
        return row

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str, index: IndexDep) -> dict[str, Any]:
        row = _row(index, doc_id)
        tables = [json.loads(t["table_json"]) for t in index.con.execute(
            "SELECT table_json FROM tables WHERE doc_id = ? ORDER BY rowid", (doc_id,))]
        pages = json.loads(row["pages_json"])
        return {"document": _document_meta(row), "text": row["text"], "pages": pages,
                "tables": tables}

    @app.get("/api/documents/{doc_id}/source")
    def source(doc_id: str, index: IndexDep) -> FileResponse:
        row = _row(index, doc_id)
        path = (index.corpus / row["source_file"]).resolve()
        if not path.is_relative_to(index.corpus) or not path.is_file():
            raise HTTPException(404, f"the source file of '{doc_id}' is no longer in the corpus")
        media = "application/pdf" if path.suffix.lower() == ".pdf" else "text/plain; charset=utf-8"
        return FileResponse(path, media_type=media, filename=path.name,
                            content_disposition_type="inline")

    return app
