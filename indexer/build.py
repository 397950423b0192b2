"""Incremental, atomic index builds.

`build()` hashes every corpus file; a file whose content hash is in the live index is reused
as parsed before, others are parsed (in worker processes). A file that fails is reported by name
with the reason and skipped — and if an earlier version of it was indexed, that version stays.
The new index is written to a fresh folder beside the live one; only when it is complete does
the `index` symlink move to it (`os.replace` of a symlink is atomic), so a crash or kill mid-build
leaves the previous index intact and served.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tqdm import tqdm

from indexer import __version__, pg_store, store
from indexer.analyze import get_analyzer
from indexer.chunk import passages as make_passages
from indexer.errors import (
    IndexError_,
    InputError,
    KuntahakuError,
    OutsideCorpusError,
    ParseTimeoutError,
    StorageError,
    storage_reason,
)
from indexer.metadata import load_manifest
from indexer.models import Document, Passage, file_of
from indexer.parse import PARSER_VERSION, parse_source, sha256_file
from indexer.search_index import (
    SEARCH_VERSION,
    manifest_fields,
    search_data,
    write_search_index,
)
from indexer.settings import Settings
from indexer.store import live_folder

SKIP_NAMES = frozenset({"manifest.json"})


@dataclass
class BuildReport:
    documents: int = 0
    pages: int = 0
    passages: int = 0
    tables: int = 0
    table_rows: int = 0
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    embedded: int = 0
    unchanged: bool = False
    seconds: float = 0.0
    index_dir: str = ""

    def summary(self) -> str:
        state = "unchanged, " if self.unchanged else ""
        return (
            f"{state}{self.documents} documents, {self.pages} pages, {self.passages} passages, "
            f"{self.tables} tables, {self.table_rows} table rows, {len(self.failed)} files failed "
            f"({self.parsed} parsed, {self.reused} reused, {self.removed} removed, "
            f"{self.embedded} passages embedded, "
            f"{self.seconds:.1f} s)"
        )


def corpus_files(corpus: Path) -> list[tuple[str, Path]]:
    """(path relative to the corpus, path) for every file, hidden ones and the manifest aside."""
    if not corpus.is_dir():
        raise IndexError_(f"corpus folder {corpus} does not exist")
    out = []
    for path in sorted(corpus.rglob("*")):
        rel = path.relative_to(corpus).as_posix()
        if path.is_file() and path.name not in SKIP_NAMES and not any(
            part.startswith(".") for part in rel.split("/")
        ):
            out.append((rel, path))
    return out


def outside_corpus(corpus: Path, rel: str, path: Path) -> OutsideCorpusError | None:
    """A file that resolves outside the corpus folder (a symlink to /etc/passwd) is never read:
    neither indexed nor served."""
    real = path.resolve()
    if real.is_relative_to(corpus.resolve()):
        return None
    return OutsideCorpusError(rel, f"a symlink that leads outside the corpus folder (to {real}); "
                                   "copy the file into the corpus instead")


def _previous(settings: Settings) -> tuple[dict[str, list[Document]], dict]:
    """corpus file → the documents the live index holds from it (in its folder, or in the
    database of KUNTAHAKU_DATABASE_URL)."""
    if settings.database_url:
        with pg_store.connect(settings.database_url, vector=False) as con:
            found = pg_store.live(con)
            if found is None:
                return {}, {}
            schema, manifest = found
            if manifest.get("parser_version") != PARSER_VERSION:
                return {}, manifest
            documents = pg_store.load_documents(con, schema)
    else:
        folder = live_folder(settings.index)
        if folder is None:
            return {}, {}
        manifest = store.read_manifest(folder)
        if manifest.get("parser_version") != PARSER_VERSION:
            return {}, manifest  # parsed with other rules: parse everything again
        documents = store.load_documents(folder)
    by_file: dict[str, list[Document]] = {}
    for source, doc in documents.items():
        by_file.setdefault(file_of(source), []).append(doc)
    return by_file, manifest


def parse_jobs(todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings,
               hard: bool) -> list[tuple]:
    """`_safe_parse`'s arguments for each changed file, largest first (so the workers finish
    together); `hard`: in a worker process, a hard limit too (see _safe_parse)."""
    max_bytes, limit = int(settings.max_file_mb * 1e6), settings.file_timeout
    jobs = [(path, rel, manifest.get(rel), max_bytes, sha, limit, hard) for rel, path, sha in todo]
    return sorted(jobs, key=lambda j: -j[0].stat().st_size)


def _parse_all(
    todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings, bar: tqdm
) -> tuple[dict[str, list[Document]], dict[str, str]]:
    docs: dict[str, list[Document]] = {}
    errors: dict[str, str] = {}
    workers = settings.workers or os.cpu_count() or 1
    if workers == 1 or not todo:
        for job in parse_jobs(todo, manifest, settings, hard=False):
            _collect(job[1], _safe_parse(*job), docs, errors, bar)
        return docs, errors
    jobs = parse_jobs(todo, manifest, settings, hard=True)
    left = {job[1]: job for job in jobs}
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
            futures: dict[Future, str] = {pool.submit(_safe_parse, *job): job[1] for job in jobs}
            for future in as_completed(futures):
                rel = futures[future]
                _collect(rel, future.result(), docs, errors, bar)
                del left[rel]
    except BrokenProcessPool:
        # a parser process died (a crash in the PDF library, or its hard time limit): parse the
        # files not done yet one at a time, each in a process of its own, to find which one
        for rel, job in left.items():
            _collect(rel, _parse_isolated(job, settings.file_timeout), docs, errors, bar)
    return docs, errors


def _parse_isolated(job: tuple, limit: float) -> list[Document] | InputError:
    rel = job[1]
    pool = ProcessPoolExecutor(max_workers=1)
    t0 = time.monotonic()
    timed_out = ParseTimeoutError(rel, f"parsing took longer than {limit:g} s "
                                       "(KUNTAHAKU_FILE_TIMEOUT); the file was skipped")
    try:
        return pool.submit(_safe_parse, *job).result(timeout=limit + HARD_LIMIT_GRACE + 5)
    except BrokenProcessPool:
        if limit and time.monotonic() - t0 >= limit + HARD_LIMIT_GRACE:
            return timed_out  # ended by its own hard limit (_safe_parse)
        return InputError(rel, "the parser process crashed on this file (a damaged PDF?)")
    except FutureTimeout:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        return timed_out
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


HARD_LIMIT_GRACE = 10.0  # s past the time limit before a stuck parser process is killed


class _Timeout(BaseException):
    """Raised by the time limit's alarm; a BaseException, so no `except Exception` in a parser
    swallows it."""


def _safe_parse(
    path: Path, rel: str, entry: dict | None, max_bytes: int, sha: str, limit: float = 0,
    worker: bool = False,
) -> list[Document] | InputError:
    """Parse one file within `limit` seconds (0 = no limit): an alarm interrupts the parser's
    Python code (where pypdf loops on a damaged cross-reference table); in a worker process a
    timer thread also ends the process if C code (pdfium) never returns."""
    alarm = limit > 0 and threading.current_thread() is threading.main_thread()
    hard: threading.Timer | None = None
    if alarm:
        def expire(_sig: int, _frame: object) -> None:
            raise _Timeout

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, limit)
        if worker:
            # a worker process stuck in C code (the alarm waits for Python code to run) is ended
            # from a thread; the build then finds the file by parsing it again on its own
            hard = threading.Timer(limit + HARD_LIMIT_GRACE, os._exit, (70,))
            hard.daemon = True
            hard.start()
    try:
        return parse_source(path, rel, entry, max_bytes, sha)
    except _Timeout:
        return ParseTimeoutError(rel, f"parsing took longer than {limit:g} s "
                                      "(KUNTAHAKU_FILE_TIMEOUT); the file was skipped")
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the whole build
        return InputError(rel, f"could not be parsed ({type(exc).__name__}: {exc})")
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        if hard is not None:
            hard.cancel()


def _collect(rel: str, result: list[Document] | InputError, docs: dict, errors: dict,
             bar: tqdm) -> None:
    if isinstance(result, InputError):
        errors[rel] = result.reason
    else:
        docs[rel] = result
    bar.update(1)


class Ingest(Protocol):
    """Parsing and chunking of the changed files, and embedding ahead of the write step."""

    def parse(self, todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings,
              bar: tqdm) -> tuple[dict[str, list[Document]], dict[str, str]]: ...

    def passages(self, doc: Document) -> list[Passage]: ...

    def embed(self, passages: list[Passage], settings: Settings, show: bool) -> int: ...


class LocalIngest:
    """The plain path: parser processes on this machine; `_publish` embeds what the cache lacks."""

    def parse(self, todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings,
              bar: tqdm) -> tuple[dict[str, list[Document]], dict[str, str]]:
        return _parse_all(todo, manifest, settings, bar)

    def passages(self, doc: Document) -> list[Passage]:
        return make_passages(doc)

    def embed(self, passages: list[Passage], settings: Settings, show: bool) -> int:
        return 0


def ingest_for(settings: Settings) -> AbstractContextManager[Ingest]:
    """KUNTAHAKU_RAY_ADDRESS set: parse and embed on Ray (indexer/ray_ingest.py); else here."""
    if not settings.ray_address:
        return nullcontext(LocalIngest())
    from indexer.ray_ingest import RayIngest

    return RayIngest(settings)


def build(settings: Settings, progress: bool | None = None) -> BuildReport:
    """Bring the index at `settings.index` up to date with `settings.corpus`.

    One build at a time per index (threads and processes: `store.build_lock`); a second one
    waits for the first and then starts from what it published. Raises `StorageError` (named
    reason; the live index unchanged) when the index or the vector cache cannot be written."""
    index = settings.index
    if index.exists() and not index.is_symlink():
        raise IndexError_(
            f"{index} is a folder kuntahaku did not create; the index path must be free or a "
            "symlink made by 'kuntahaku index'"
        )
    with _locked(index), ingest_for(settings) as ingest:
        return _build(settings, progress, ingest)


@contextmanager
def _locked(index: Path) -> Iterator[None]:
    lock = store.build_lock(index)
    try:
        lock.__enter__()
    except OSError as exc:
        raise StorageError(f"cannot create the build lock beside {index}: "
                           f"{storage_reason(exc)}") from exc
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _build(settings: Settings, progress: bool | None, ingest: Ingest) -> BuildReport:
    t0 = time.perf_counter()
    index = settings.index
    manifest_meta = load_manifest(settings.corpus)
    files = corpus_files(settings.corpus)
    previous, previous_manifest = _previous(settings)
    report = BuildReport(index_dir=str(index))
    refused = {}
    for rel, path in files:
        outside = outside_corpus(settings.corpus, rel, path)
        if outside is not None:
            refused[rel] = outside
    # never kept from an earlier build either: it must not be served
    files = [(rel, path) for rel, path in files if rel not in refused]
    previous = {rel: doc for rel, doc in previous.items() if rel not in refused}
    hashes = {rel: sha256_file(path) for rel, path in files}
    todo = [(rel, path, hashes[rel]) for rel, path in files
            if rel not in previous or previous[rel][0].sha256 != hashes[rel]
            or _meta_changed(previous[rel], manifest_meta.get(rel))]
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(todo), desc="parse", unit="file", disable=not show) as bar:
        parsed, errors = ingest.parse(todo, manifest_meta, settings, bar)
    docs: list[Document] = []
    for rel, _path in files:
        if rel in parsed:
            docs.extend(parsed[rel])
        elif rel in errors:
            kept = " (kept the previously indexed version)" if rel in previous else ""
            report.failed.append((rel, errors[rel] + kept))
            if rel in previous:
                docs.extend(previous[rel])
        else:
            docs.extend(previous[rel])
    report.failed.extend((rel, exc.reason) for rel, exc in refused.items())
    report.failed.sort()
    report.parsed, report.reused = len(parsed), len(files) - len(todo)
    report.removed = len(set(previous) - set(hashes))
    fingerprint = sorted((d.source_file, d.sha256) for d in docs)
    same_search = previous_manifest.get("model", {}).get("id") == settings.model and \
        previous_manifest.get("analyzer") == get_analyzer(settings.analyzer).name and \
        previous_manifest.get("search_version") == SEARCH_VERSION
    if previous and not todo and not report.removed and same_search and \
            previous_manifest.get("fingerprint") == [list(f) for f in fingerprint]:
        report.unchanged = True
        _fill_counts(report, previous_manifest["counts"], docs)
        report.seconds = time.perf_counter() - t0
        return report
    passages = [p for d in docs for p in ingest.passages(d)]
    counts = {
        "documents": len(docs),
        "pages": sum(len(d.pages) for d in docs),
        "passages": sum(1 for p in passages if p.kind == "passage"),
        "tables": sum(len(d.tables) for d in docs),
        "table_rows": sum(1 for p in passages if p.kind == "table_row"),
    }
    _fill_counts(report, counts, docs)
    report.warnings = [(d.source_file, w) for d in docs for w in d.warnings]
    manifest = {
        "code_version": __version__,
        "parser_version": PARSER_VERSION,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "counts": counts,
        "fingerprint": fingerprint,
        "failed": [{"file": f, "reason": r} for f, r in report.failed],
        "warnings": [{"file": f, "warning": w} for f, w in report.warnings],
    }
    # into the vector cache _publish reads (a Ray cluster's pool); counted in the manifest too
    before = ingest.embed(passages, settings, show)
    if settings.database_url:
        report.embedded = _publish_pg(docs, passages, manifest, settings, show, before)
    else:
        report.embedded = _publish(index, docs, passages, manifest, settings, show, before)
    report.seconds = time.perf_counter() - t0
    return report


def _meta_changed(docs: list[Document], entry: dict | None) -> bool:
    if not entry or len(docs) != 1:  # the manifest describes a file of one document
        return False
    m = docs[0].meta
    return any(entry.get(k) not in (None, getattr(m, k)) for k in
               ("municipality", "doc_type", "title", "period", "period_label", "body",
                "meeting_date"))


def _fill_counts(report: BuildReport, counts: dict, docs: list[Document]) -> None:
    report.documents = counts["documents"]
    report.pages = counts["pages"]
    report.passages = counts["passages"]
    report.tables = counts["tables"]
    report.table_rows = counts["table_rows"]


def _publish(index: Path, docs: list[Document], passages: list, manifest: dict,
             settings: Settings, show: bool, before: int) -> int:
    """Write a complete build folder, then swap it in; returns how many passages were embedded,
    `before` (embedded ahead of it, into the cache) included. Runs under the build lock: no other
    build is writing beside it."""
    builds = index.parent / f"{index.name}.builds"
    name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    folder = builds / name
    try:
        builds.mkdir(parents=True, exist_ok=True)
        _sweep_partial(builds)  # a killed build's leftovers: free their space first
        store.write_db(folder, docs, passages)
        with tqdm(total=len(passages), desc="embed", unit="passage", disable=not show) as bar:
            fields = write_search_index(folder, passages, settings,
                                        lambda done, _total: bar.update(done - bar.n))
        manifest.update(fields, embedded=fields.get("embedded", 0) + before)
        store.write_manifest(folder, manifest)
        previous = live_folder(index)
        link = index.parent / f".{index.name}.{name}.link"
        os.symlink(os.path.relpath(folder, index.parent), link)
        os.replace(link, index)  # the atomic swap
        store.fsync_dir(index.parent)
    except BaseException as exc:
        if live_folder(index) != folder.resolve():
            shutil.rmtree(folder, ignore_errors=True)
            for stale in index.parent.glob(f".{index.name}.{name}.link"):
                stale.unlink(missing_ok=True)
        if isinstance(exc, OSError | sqlite3.Error) and not isinstance(exc, KuntahakuError):
            where = getattr(exc, "filename", None) or folder
            raise StorageError(f"cannot write the new index at {where}: {storage_reason(exc)}; "
                               f"the index at {index} is unchanged") from exc
        raise
    _prune(index, builds, keep={folder.name} | ({previous.name} if previous else set()))
    return int(manifest.get("embedded", 0))


def _publish_pg(docs: list[Document], passages: list, manifest: dict, settings: Settings,
                show: bool, before: int) -> int:
    """The build into PostgreSQL (`pg_store.publish`: a fresh schema, then the live pointer);
    returns how many passages were embedded, `before` included."""
    assert settings.database_url
    with tqdm(total=len(passages), desc="embed", unit="passage", disable=not show) as bar:
        def rows() -> tuple[pg_store.BuildRows, Callable[[dict], dict]]:
            data = search_data(passages, settings, lambda done, _total: bar.update(done - bar.n))
            def fields(dense: dict) -> dict:
                out = manifest_fields(data, dense, settings)
                return out | {"embedded": out.get("embedded", 0) + before}
            return pg_store.build_rows(docs, passages, data), fields

        pg_store.publish(settings.database_url, manifest, rows, settings.ann_threshold)
    return int(manifest.get("embedded", 0))


def _sweep_partial(builds: Path) -> None:
    """Folders without a manifest are builds that died (kill -9, power cut): under the build lock
    nothing else can be writing one."""
    for folder in builds.iterdir():
        if folder.is_dir() and not (folder / store.MANIFEST).exists():
            store.remove_build(folder)


def _prune(index: Path, builds: Path, keep: set[str]) -> None:
    """Drop old builds, keeping the live one, the one it replaced (a server may still answer a
    request from it) and any a server holds (`store.hold`); dead partial builds go too."""
    for folder in builds.iterdir():
        if folder.name not in keep and folder.is_dir():
            store.remove_build(folder)
    for link in index.parent.glob(f".{index.name}.*.link"):  # a swap killed half-way
        link.unlink(missing_ok=True)
