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
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from indexer import __version__, store
from indexer.analyze import get_analyzer
from indexer.chunk import passages as make_passages
from indexer.errors import IndexError_, InputError
from indexer.metadata import load_manifest
from indexer.models import Document
from indexer.parse import PARSER_VERSION, parse_file, sha256_file
from indexer.search_index import SEARCH_VERSION, write_search_index
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


def _previous(index: Path) -> tuple[dict[str, Document], dict]:
    folder = live_folder(index)
    if folder is None:
        return {}, {}
    manifest = store.read_manifest(folder)
    if manifest.get("parser_version") != PARSER_VERSION:
        return {}, manifest  # parsed with other rules: parse everything again
    return store.load_documents(folder), manifest


def _parse_all(
    todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings, bar: tqdm
) -> tuple[dict[str, Document], dict[str, str]]:
    max_bytes = int(settings.max_file_mb * 1e6)
    docs: dict[str, Document] = {}
    errors: dict[str, str] = {}
    workers = settings.workers or os.cpu_count() or 1
    jobs = [(path, rel, manifest.get(rel), max_bytes, sha) for rel, path, sha in todo]
    if workers == 1 or len(jobs) <= 1:
        results = (_safe_parse(*job) for job in jobs)
        for rel, result in zip((j[1] for j in jobs), results, strict=True):
            _collect(rel, result, docs, errors, bar)
        return docs, errors
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        # largest first, so two cores finish together
        jobs.sort(key=lambda j: -j[0].stat().st_size)
        for rel, result in zip((j[1] for j in jobs), pool.map(_safe_parse, *zip(*jobs, strict=True)),
                               strict=True):
            _collect(rel, result, docs, errors, bar)
    return docs, errors


def _safe_parse(
    path: Path, rel: str, entry: dict | None, max_bytes: int, sha: str
) -> Document | InputError:
    try:
        return parse_file(path, rel, entry, max_bytes, sha)
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the whole build
        return InputError(rel, f"could not be parsed ({type(exc).__name__}: {exc})")


def _collect(rel: str, result: Document | InputError, docs: dict, errors: dict, bar: tqdm) -> None:
    if isinstance(result, InputError):
        errors[rel] = result.reason
    else:
        docs[rel] = result
    bar.update(1)


def build(settings: Settings, progress: bool | None = None) -> BuildReport:
    """Bring the index at `settings.index` up to date with `settings.corpus`."""
    t0 = time.perf_counter()
    index = settings.index
    if index.exists() and not index.is_symlink():
        raise IndexError_(
            f"{index} is a folder kuntahaku did not create; the index path must be free or a "
            "symlink made by 'kuntahaku index'"
        )
    manifest_meta = load_manifest(settings.corpus)
    files = corpus_files(settings.corpus)
    previous, previous_manifest = _previous(index)
    report = BuildReport(index_dir=str(index))
    hashes = {rel: sha256_file(path) for rel, path in files}
    todo = [(rel, path, hashes[rel]) for rel, path in files
            if rel not in previous or previous[rel].sha256 != hashes[rel]
            or _meta_changed(previous[rel], manifest_meta.get(rel))]
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(todo), desc="parse", unit="file", disable=not show) as bar:
        parsed, errors = _parse_all(todo, manifest_meta, settings, bar)
    docs: list[Document] = []
    for rel, _path in files:
        if rel in parsed:
            docs.append(parsed[rel])
        elif rel in errors:
            kept = " (kept the previously indexed version)" if rel in previous else ""
            report.failed.append((rel, errors[rel] + kept))
            if rel in previous:
                docs.append(previous[rel])
        else:
            docs.append(previous[rel])
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
    passages = [p for d in docs for p in make_passages(d)]
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
    report.embedded = _publish(index, docs, passages, manifest, settings, show)
    report.seconds = time.perf_counter() - t0
    return report


def _meta_changed(doc: Document, entry: dict | None) -> bool:
    if not entry:
        return False
    m = doc.meta
    return any(entry.get(k) not in (None, getattr(m, k)) for k in
               ("municipality", "doc_type", "title", "period", "period_label"))


def _fill_counts(report: BuildReport, counts: dict, docs: list[Document]) -> None:
    report.documents = counts["documents"]
    report.pages = counts["pages"]
    report.passages = counts["passages"]
    report.tables = counts["tables"]
    report.table_rows = counts["table_rows"]


def _publish(index: Path, docs: list[Document], passages: list, manifest: dict,
             settings: Settings, show: bool) -> int:
    """Write a complete build folder, then swap it in; returns how many passages were embedded."""
    builds = index.parent / f"{index.name}.builds"
    builds.mkdir(parents=True, exist_ok=True)
    name = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    folder = builds / name
    try:
        store.write_db(folder, docs, passages)
        with tqdm(total=len(passages), desc="embed", unit="passage", disable=not show) as bar:
            fields = write_search_index(folder, passages, settings,
                                        lambda done, _total: bar.update(done - bar.n))
        manifest.update(fields)
        store.write_manifest(folder, manifest)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    link = index.parent / f".{index.name}.{name}.link"
    os.symlink(os.path.relpath(folder, index.parent), link)
    os.replace(link, index)  # the atomic swap
    _prune(builds, keep={folder.name})
    return int(manifest.get("embedded", 0))


def _prune(builds: Path, keep: set[str]) -> None:
    """Drop old builds, keeping the live one and the newest previous one (a reader may hold it)."""
    older = sorted((p for p in builds.iterdir() if p.name not in keep), key=lambda p: p.name)
    for stale in older[:-1]:
        shutil.rmtree(stale, ignore_errors=True)
