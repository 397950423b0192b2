"""FastAPI service over a built index: read-only, loaded once at start.

Endpoints: `/health`, `/api/search`, `/api/ask`, `/api/tables`, `/api/documents`,
`/api/documents/{id}`, `/api/documents/{id}/source`, `/api/admin/reindex` (off unless an admin
token is set). Every error is JSON `{"error": {"code", "message"}}` with a 4xx
status.
"""

from __future__ import annotations

import hmac
import json
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.answer import Answerer
from api.guard import GuardMiddleware, JsonRangeFileResponse, JsonRangeStaticFiles
from api.search import InvalidFilter, Searcher, UnknownFilter
from api.storage import Storage, live_build_id
from indexer.build import build
from indexer.errors import KuntahakuError, StorageError
from indexer.models import file_of
from indexer.parse_ahjo import record_of
from indexer.settings import Settings

_DOC_ID = re.compile(r"^[0-9a-f]{12}$")
_TABLE_ID = re.compile(r"^[0-9a-f]{16}$")
CONTEXT_CHARS = 1500  # text shown either side of a quote in a document without pages


MAX_QUERY = 500  # characters
WEB = Path(__file__).resolve().parent.parent / "web"


def _swagger_assets() -> Path | None:
    """Swagger UI's files as the fastapi-offline wheel ships them: /docs loads nothing from
    outside the server (FastAPI's default page pulls them from a CDN)."""
    try:
        import fastapi_offline
    except ImportError:
        return None
    folder = Path(fastapi_offline.__file__).parent / "static"
    return folder if (folder / "swagger-ui-bundle.js").is_file() else None


@dataclass
class Index:
    searcher: Searcher
    answerer: Answerer
    corpus: Path
    users: int = 0  # requests using it now (Live counts them)
    retired: bool = False  # replaced by a re-index: closed when its last request ends
    closed: bool = field(default=False, repr=False)

    @classmethod
    def open(cls, settings: Settings) -> Index:
        # the storage holds its build while open (api/storage.open_storage)
        searcher = Searcher.open(settings)
        return cls(searcher, Answerer(searcher), settings.corpus.resolve())

    @property
    def storage(self) -> Storage:
        return self.searcher.storage

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.searcher.close()


class Live:
    """The index being served. A re-index swaps in a new one; the old one stays open until the
    last request that took it has finished (closing it under running requests crashed the
    server: `Cannot operate on a closed database`, then a segfault in libsqlite3)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._lock = threading.Lock()
        self.reindex_lock = threading.Lock()  # one re-index request at a time

    @contextmanager
    def use(self) -> Iterator[Index]:
        with self._lock:
            index = self.index
            index.users += 1
        try:
            yield index
        finally:
            with self._lock:
                index.users -= 1
                done = index.retired and index.users == 0
            if done:
                index.close()

    def replace(self, new: Index) -> None:
        with self._lock:
            old, self.index = self.index, new
            old.retired = True
            done = old.users == 0
        if done:
            old.close()

    def close(self) -> None:
        with self._lock:
            self.index.retired = True
            done = self.index.users == 0
        if done:
            self.index.close()


# Query parameters shared by /api/search and /api/tables.
QueryText = Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="Question or keywords.",
                                 examples=["Kemin valtionosuudet tammi–kesäkuu 2022"])]
MunicipalityFilter = Annotated[str | None, Query(description="Only this municipality's reports.",
                                                 examples=["Kemi"])]
YearFilter = Annotated[int | None, Query(ge=1900, le=2100, description="Only reports of this year.")]
BodyFilter = Annotated[str | None, Query(
    description="Only the minutes and decision records of this body (toimielin), in any letter "
                "case; reports have none.", examples=["Kaupunginhallitus"])]
DateFromFilter = Annotated[str | None, Query(
    description="Only documents about this day (YYYY-MM-DD) or later: a meeting on or after it, "
                "a report whose period ends on or after it; documents without a date are left out.",
    examples=["2025-01-01"])]
DateToFilter = Annotated[str | None, Query(
    description="Only documents about this day (YYYY-MM-DD) or earlier: a meeting on or before it, "
                "a report whose period starts on or before it.", examples=["2025-06-30"])]


def _text(value: str, name: str) -> str:
    """The stripped text of a query field; blank → 400 (length limits are checked by FastAPI)."""
    if not value.strip():
        raise HTTPException(400, f"{name}: the text is empty")
    return value.strip()


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"question": "Kemin valtionosuudet tammi–kesäkuu 2022"},
        {"question": "missä vaiheessa on rakennusvalvonnan arkiston digitointi?",
         "municipality": "Mikkeli"},
        {"question": "Vertaa Kemin ja Kemijärven valtionosuuksia 2022"}]})

    question: str = Field(min_length=1, max_length=MAX_QUERY, description="The question, any language.")
    municipality: str | None = Field(None, description="Only this municipality's reports.")
    year: int | None = Field(None, ge=1900, le=2100, description="Only reports of this year.")
    doc_type: str | None = Field(None, description="Only this document type.")
    body: str | None = Field(None, description="Only the minutes and decision records of this "
                             "body (toimielin), in any letter case.")
    date_from: str | None = Field(None, description="Only documents about this day (YYYY-MM-DD) "
                                  "or later (a meeting day, or a report's period overlapping).")
    date_to: str | None = Field(None, description="Only documents about this day (YYYY-MM-DD) "
                                "or earlier.")
    k: int = Field(5, ge=1, le=20, description="How many ranked results to list beside the answer.")


async def get_index(request: Request) -> AsyncIterator[Index]:
    # async: FastAPI runs a plain `def` dependency in its thread pool, one more thread hand-off
    # a request. The index is held until the endpoint is done with it (Live says why).
    with request.app.state.live.use() as index:
        yield index


IndexDep = Annotated[Index, Depends(get_index)]


def _document_meta(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "municipality": row["municipality"],
            "period": row["period_label"], "period_iso": row["period"], "year": row["year"],
            "doc_type": row["doc_type"], "source_file": row["source_file"],
            "pages": row["n_pages"], "body": row["body"] or "",
            "meeting_date": row["meeting_date"] or ""}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _tables(s: Searcher, q: str, k: int, municipality: str | None, year: int | None
            ) -> dict[str, Any]:
    """The k tables whose rows or summaries rank first for q, each with its matched rows."""
    info, _filters, keep = s.prepare(q, municipality, year)
    hits = s.rank(info, keep)
    found: dict[str, dict[str, Any]] = {}
    for h in hits:
        p = s.passages[h.n]
        if p["table_id"] is None:
            continue
        if p["table_id"] not in found:
            if len(found) == k:
                continue
            table = s.table(p["table_id"])
            found[p["table_id"]] = {"score": round(h.score, 4),
                                    "document": s.docs[p["doc_id"]].as_json(),
                                    "page": table["page"],
                                    "ocr": s.docs[p["doc_id"]].page_read_by_ocr(table["page"]),
                                    "section": table["section"],
                                    "table": table, "matched_rows": []}
        if p["row_index"] is not None:
            found[p["table_id"]]["matched_rows"].append(p["row_index"])
    return {"query": q, "language": info.language, "tables": list(found.values())}


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.live = Live(Index.open(settings))
        yield
        app.state.live.close()

    app = FastAPI(title="Kuntahaku", version="0.1.0", lifespan=lifespan, docs_url=None,
                  description="Search and answers over Finnish municipal reports.")
    app.add_middleware(GuardMiddleware, max_body=int(settings.max_body_kb * 1024),
                       body_timeout=settings.header_timeout)

    @app.exception_handler(StarletteHTTPException)  # also catches routing 404/405
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return _error(exc.status_code, code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error(422, "invalid_request", f"{where}: {first.get('msg', 'invalid input')}")

    @app.exception_handler(UnknownFilter)
    async def unknown_filter(_: Request, exc: UnknownFilter) -> JSONResponse:
        return _error(400, "unknown_filter", str(exc))

    @app.exception_handler(InvalidFilter)
    async def invalid_filter(_: Request, exc: InvalidFilter) -> JSONResponse:
        return _error(400, "invalid_filter", str(exc))

    @app.exception_handler(StorageError)
    async def storage_error(_: Request, exc: StorageError) -> JSONResponse:
        return _error(507, exc.code, str(exc))

    @app.exception_handler(KuntahakuError)
    async def kuntahaku_error(_: Request, exc: KuntahakuError) -> JSONResponse:
        return _error(500, exc.code, str(exc))

    app.mount("/static", JsonRangeStaticFiles(directory=WEB), name="static")
    swagger = _swagger_assets()
    if swagger is not None:
        app.mount("/docs-static", JsonRangeStaticFiles(directory=swagger), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from local files, started by web/docs.js (no inline script: the CSP)."""
        if swagger is None:
            raise HTTPException(404, "Swagger UI is not installed (pip install fastapi-offline); "
                                     "the API description is at /openapi.json")
        return HTMLResponse(_DOCS_PAGE)

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def page() -> FileResponse:
        """The web page; it reads its query from the URL (?q=&municipality=&year=&doc_type=&body=
        &date_from=&date_to=)."""
        return JsonRangeFileResponse(WEB / "index.html")

    @app.get("/health")
    def health(index: IndexDep) -> dict[str, Any]:
        m = index.searcher.manifest
        return {"status": "ok", "backend": "postgresql" if settings.database_url else "embedded",
                "code_version": m.get("code_version"),
                "built_at": m.get("built_at"), "counts": m.get("counts"),
                "model": m.get("model"), "analyzer": m.get("analyzer"),
                "dense_index": m.get("dense_index"), "failed": m.get("failed", []),
                # bilingual dictionaries English/Swedish questions are translated with
                "dictionaries": sorted(lang for lang, d in
                                       index.searcher.query_reader.dictionaries.items() if d)}

    # The query endpoints are `async` and hand their work to the thread pool themselves: for a
    # plain `def` endpoint FastAPI also validates the returned value in the pool, a second thread
    # hand-off a request (measured with yappi in a running server: 600 hand-offs for 300 searches)

    @app.get("/api/search")
    async def search(
        index: IndexDep,
        q: QueryText,
        k: Annotated[int, Query(ge=1, le=50, description="How many results.")] = 10,
        municipality: MunicipalityFilter = None,
        year: YearFilter = None,
        doc_type: Annotated[str | None, Query(description="Only this document type.",
                                              examples=["tilinpäätös"])] = None,
        body: BodyFilter = None,
        date_from: DateFromFilter = None,
        date_to: DateToFilter = None,
    ) -> dict[str, Any]:
        return await run_in_threadpool(
            index.searcher.search, _text(q, "q"), k, municipality or None, year, doc_type or None,
            body=body or None, date_from=date_from or None, date_to=date_to or None)

    @app.post("/api/ask")
    async def ask(asked: AskRequest, index: IndexDep) -> dict[str, Any]:
        """The answer: `answer_type` `table_cell` (with `value` and `table`), `passage`, `list`
        or `none` (with `reason_code` and `reason`), `citations` quoting the documents, and the
        ranked `results`. A question across places ("vertaa Kemiä ja Heinolaa", "missä
        kaupungeissa…") is a `list`: `items`, one per municipality, each `{"municipality",
        "found", "answer", "answer_type", "value", "citations"}` from that municipality's own
        reports (a named place that does not answer has `found: false` and a `reason`)."""
        return await run_in_threadpool(
            index.answerer.ask, _text(asked.question, "question"), asked.municipality or None,
            asked.year, asked.k, asked.doc_type or None, body=asked.body or None,
            date_from=asked.date_from or None, date_to=asked.date_to or None)

    @app.get("/api/tables")
    async def tables(
        index: IndexDep,
        q: QueryText,
        k: Annotated[int, Query(ge=1, le=20, description="How many tables.")] = 5,
        municipality: MunicipalityFilter = None,
        year: YearFilter = None,
    ) -> dict[str, Any]:
        return await run_in_threadpool(_tables, index.searcher, _text(q, "q"), k,
                                       municipality or None, year)

    @app.post("/api/admin/reindex")
    def reindex(request: Request, authorization: Annotated[str | None, Header()] = None
                ) -> dict[str, Any]:
        if not settings.admin_token:
            raise HTTPException(403, "re-indexing over HTTP is off: set KUNTAHAKU_ADMIN_TOKEN to allow it")
        scheme, _, token = (authorization or "").strip().partition(" ")
        # constant time: the comparison does not tell how much of a guess was right
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                token.strip().encode(), settings.admin_token.encode()):
            raise HTTPException(401, "a valid 'Authorization: Bearer <admin token>' header is required")
        live: Live = request.app.state.live
        # one at a time (build() also locks across processes); the old index serves meanwhile
        with live.reindex_lock:
            report = build(settings, progress=False)
            if not report.unchanged or live.index.storage.build_id != live_build_id(
                    settings.index, settings.database_url):
                live.replace(Index.open(settings))
        return {"summary": report.summary(), "failed": [{"file": f, "reason": r}
                                                         for f, r in report.failed]}

    @app.get("/api/documents")
    def documents(index: IndexDep) -> dict[str, Any]:
        return {"documents": [_document_meta(r) for r in index.storage.document_list()]}

    def _row(index: Index, doc_id: str) -> dict[str, Any]:
        row = index.storage.document(doc_id) if _DOC_ID.match(doc_id) else None
        if row is None:
            raise HTTPException(404, f"no document with id '{doc_id[:40]}'")
        return row

    @app.get("/api/documents/{doc_id}")
    def document(doc_id: str, index: IndexDep) -> dict[str, Any]:
        row = _row(index, doc_id)
        tables = [json.loads(t) for t in index.storage.document_tables(doc_id)]
        pages = json.loads(row["pages_json"])
        return {"document": _document_meta(row), "text": row["text"], "pages": pages,
                "tables": tables}

    @app.get("/api/documents/{doc_id}/context")
    def context(
        doc_id: str, index: IndexDep,
        start: Annotated[int, Query(ge=0, description="Quote start (character offset).")],
        end: Annotated[int, Query(ge=0, description="Quote end (character offset, exclusive).")],
    ) -> dict[str, Any]:
        """The stretch of a document around a quote: the PDF page(s) it lies on, or for a text
        document the paragraphs about it, with the quote's place inside that stretch."""
        row = _row(index, doc_id)
        text: str = row["text"]
        if not start < end <= len(text):
            raise HTTPException(400, f"start={start}, end={end}: not a span of document '{doc_id}' "
                                     f"(its text has {len(text)} characters)")
        pages = [p for p in json.loads(row["pages_json"]) if p["end"] > start and p["start"] < end]
        if pages:
            lo, hi = pages[0]["start"], pages[-1]["end"]
        else:
            lo = text.rfind("\n\n", 0, max(0, start - CONTEXT_CHARS)) + 1
            hi = text.find("\n\n", min(len(text), end + CONTEXT_CHARS))
            hi = len(text) if hi < 0 else hi
        first = pages[0] if pages else None
        return {"document": _document_meta(row), "start": lo, "end": hi, "text": text[lo:hi],
                "quote": [start - lo, end - lo],
                "page": first["number"] if first else None,
                "page_label": first["label"] if first else None,
                "ocr": any(p.get("ocr", False) for p in pages),
                "source_url": f"/api/documents/{doc_id}/source"
                              + (f"#page={first['number']}" if first else "")}

    @app.get("/api/tables/{table_id}")
    def table(table_id: str, index: IndexDep) -> dict[str, Any]:
        """One whole table (columns, rows, cells with parsed numbers) and where it stands."""
        found = index.storage.table_json(table_id) if _TABLE_ID.match(table_id) else None
        if found is None:
            raise HTTPException(404, f"no table with id '{table_id[:40]}'")
        t = json.loads(found[1])
        doc = index.searcher.docs[found[0]]
        return {"document": doc.as_json(), "page": t.get("page"),
                "ocr": doc.page_read_by_ocr(t.get("page")), "section": t.get("section"),
                "table": t}

    @app.get("/api/documents/{doc_id}/source", response_model=None)
    def source(doc_id: str, index: IndexDep) -> FileResponse | JSONResponse:
        row = _row(index, doc_id)
        path = (index.corpus / file_of(row["source_file"])).resolve()
        if not path.is_relative_to(index.corpus) or not path.is_file():
            raise HTTPException(404, f"the source file of '{doc_id}' is no longer in the corpus")
        if row["source_file"] != file_of(row["source_file"]):  # one record of a decisions file
            record = record_of(path, row["source_file"])
            if record is None:
                raise HTTPException(404, f"the record of '{doc_id}' is no longer in "
                                         f"{file_of(row['source_file'])}")
            return JSONResponse(record)
        media = "application/pdf" if path.suffix.lower() == ".pdf" else "text/plain; charset=utf-8"
        return JsonRangeFileResponse(path, media_type=media, filename=path.name,
                                     content_disposition_type="inline")

    return app


_DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kuntahaku API</title>
<link rel="stylesheet" href="/docs-static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-static/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script></body></html>
"""
