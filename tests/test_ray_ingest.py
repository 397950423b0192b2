"""The ingest on Ray (KUNTAHAKU_RAY_ADDRESS=local, indexer/ray_ingest.py) builds the same index
as the plain path: documents, passages, tables, vectors and search results; a bad file is named
the same way, a file over KUNTAHAKU_FILE_TIMEOUT is skipped, an incremental build reuses.

One local Ray for the module (2 CPUs, no dashboard); each build finds it running and uses it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import ray
from conftest import make_search_corpus, new_database

from api.search import Searcher
from indexer import build as build_mod
from indexer import store
from indexer.build import build, live_folder
from indexer.search_index import VECTORS_FILE
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
HANG_PYTHON = "jumissa.txt"  # parsing loops in Python code: the alarm interrupts it
HANG_C = "jumissa-c.txt"  # parsing blocks the alarm, as C code would: the hard limit ends it


def slow_parser() -> None:
    """Run in each Ray worker (and in this process): two file names whose parsing never ends."""
    real = build_mod.parse_source
    if getattr(real, "hangs", False):
        return

    def parse_source(path: Path, rel: str, *args: object) -> object:
        if rel == HANG_PYTHON:
            while True:
                sum(range(1000))
        if rel == HANG_C:
            signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
            time.sleep(600)
        return real(path, rel, *args)

    parse_source.hangs = True  # type: ignore[attr-defined]
    build_mod.parse_source = parse_source  # type: ignore[assignment]
    build_mod.HARD_LIMIT_GRACE = 1.0


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": path},
                          "worker_process_setup_hook": slow_parser})
    yield
    ray.shutdown()


def settings(corpus: Path, root: Path, name: str, **kw: object) -> Settings:
    """A build of its own with an empty vector cache of its own: both paths really embed."""
    return Settings(corpus=corpus, index=root / name / "index", cache=root / name / "cache",
                    workers=2, **kw)


def rows(index: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(live_folder(index) / store.DB_NAME)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_same_index(plain: Settings, on_ray: Settings) -> None:
    for sql in ("SELECT * FROM documents ORDER BY id", "SELECT * FROM tables ORDER BY id",
                "SELECT * FROM items ORDER BY id", "SELECT * FROM passages ORDER BY n"):
        assert rows(plain.index, sql) == rows(on_ray.index, sql), sql
    a = np.load(live_folder(plain.index) / VECTORS_FILE)
    b = np.load(live_folder(on_ray.index) / VECTORS_FILE)
    assert a.shape == b.shape and np.allclose(a, b, atol=1e-5)
    searchers = Searcher.open(plain), Searcher.open(on_ray)
    for query in ("Kemin valtionosuudet", "uimahallin urakoitsija", "työttömyysaste 2022"):
        first, second = (s.search(query, k=5)["results"] for s in searchers)
        assert [r["id"] for r in first] == [r["id"] for r in second], query
        assert [r["score"] for r in first] == pytest.approx([r["score"] for r in second], abs=1e-4)


@pytest.fixture
def search_corpus(tmp_path: Path) -> Path:
    corpus = make_search_corpus(tmp_path / "corpus")
    (corpus / "tyhja.txt").write_bytes(b"")
    return corpus


def test_local_ray_builds_the_same_index_as_the_plain_path(search_corpus: Path,
                                                           tmp_path: Path) -> None:
    plain = settings(search_corpus, tmp_path, "plain")
    on_ray = settings(search_corpus, tmp_path, "ray", ray_address="local")
    first, second = build(plain, progress=False), build(on_ray, progress=False)
    assert second.failed == first.failed == [("tyhja.txt", "the file is empty (0 bytes)")]
    assert (second.documents, second.passages, second.tables, second.table_rows) == \
        (first.documents, first.passages, first.tables, first.table_rows)
    # both caches started empty: every distinct text embedded, on Ray by the actors
    assert second.embedded == first.embedded > first.passages
    # the manifest counts the vectors the actors embedded into the cache too
    assert store.read_manifest(live_folder(on_ray.index))["embedded"] == second.embedded
    assert_same_index(plain, on_ray)

    # incremental: one file changed, one added; the rest reused, only new text embedded
    with (search_corpus / "kemi.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nKemin uimahallin peruskorjaus alkoi syksyllä.\n")
    (search_corpus / "uusi.txt").write_text("# Uusi\n\nKokonaan uusi kappale.\n", encoding="utf-8")
    files = len(list(search_corpus.glob("*.*"))) - 1  # the manifest aside
    first, second = build(plain, progress=False), build(on_ray, progress=False)
    # the empty file failed before: it is tried again
    assert (second.parsed, second.reused) == (first.parsed, first.reused) == (2, files - 3)
    assert 0 < second.embedded == first.embedded <= 3
    assert_same_index(plain, on_ray)


def test_local_ray_writes_into_postgresql(search_corpus: Path, tmp_path: Path) -> None:
    """KUNTAHAKU_RAY_ADDRESS with KUNTAHAKU_DATABASE_URL: parsed and embedded on Ray, written into
    PostgreSQL; it searches as the plain path's embedded index does."""
    plain = settings(search_corpus, tmp_path, "plain")
    on_ray = settings(search_corpus, tmp_path, "ray-pg", ray_address="local",
                      database_url=new_database())
    first, second = build(plain, progress=False), build(on_ray, progress=False)
    assert (second.documents, second.passages, second.tables, second.table_rows, second.failed) == \
        (first.documents, first.passages, first.tables, first.table_rows, first.failed)
    assert second.embedded == first.embedded > first.passages
    assert not on_ray.index.exists()  # nothing written into the folder
    with Searcher.open(plain) as a, Searcher.open(on_ray) as b:
        assert b.manifest["dense_index"]["backend"] == "postgresql"
        for query in ("Kemin valtionosuudet", "uimahallin urakoitsija", "työttömyysaste 2022"):
            first_hits, second_hits = a.search(query, k=5)["results"], b.search(query, k=5)["results"]
            assert [r["id"] for r in first_hits] == [r["id"] for r in second_hits], query
            assert [r["score"] for r in first_hits] == \
                pytest.approx([r["score"] for r in second_hits], abs=1e-4)


def test_a_file_over_the_time_limit_is_skipped_on_ray(search_corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The same two hangs as tests/test_faults.py, in Ray tasks: the alarm ends the one, the
    hard limit kills the other's worker, and the driver finds that file alone."""
    monkeypatch.setattr(build_mod, "parse_source", build_mod.parse_source)
    monkeypatch.setattr(build_mod, "HARD_LIMIT_GRACE", build_mod.HARD_LIMIT_GRACE)
    slow_parser()  # here too: the driver parses a file whose worker died again itself
    for name in (HANG_PYTHON, HANG_C):
        (search_corpus / name).write_text("# A\n\nJumittava tiedosto.\n", encoding="utf-8")
    report = build(settings(search_corpus, tmp_path, "ray", ray_address="local", file_timeout=2),
                   progress=False)
    failed = dict(report.failed)
    for name in (HANG_PYTHON, HANG_C):
        assert failed[name].startswith("parsing took longer than 2 s (KUNTAHAKU_FILE_TIMEOUT)")
    assert report.documents == len(list(search_corpus.glob("*.*"))) - 4  # manifest, empty, hangs


def test_kuntahaku_index_starts_a_local_ray_itself(tmp_path: Path) -> None:
    """The CLI with KUNTAHAKU_RAY_ADDRESS=local and no Ray running: it starts one, builds, ends it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kemi.txt").write_text("# Talous\n\nKemin valtionosuudet kasvoivat.\n",
                                     encoding="utf-8")
    (corpus / "manifest.json").write_text('{"documents": {"kemi.txt": {"municipality": "Kemi"}}}',
                                          encoding="utf-8")
    env = {**os.environ, "KUNTAHAKU_RAY_ADDRESS": "local", "KUNTAHAKU_CORPUS": str(corpus),
           "KUNTAHAKU_INDEX": str(tmp_path / "index"), "KUNTAHAKU_WORKERS": "1",
           "KUNTAHAKU_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT),
           "RAY_ADDRESS": ""}
    done = subprocess.run([sys.executable, "-m", "api.cli", "index"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    assert "1 documents" in done.stdout and "1 passages embedded" in done.stdout, done.stdout


def test_a_ray_address_nothing_answers_at_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kemi.txt").write_text("# Talous\n\nKemin valtionosuudet.\n", encoding="utf-8")
    env = {**os.environ, "KUNTAHAKU_RAY_ADDRESS": "127.0.0.1:1", "KUNTAHAKU_CORPUS": str(corpus),
           "KUNTAHAKU_INDEX": str(tmp_path / "index"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "api.cli", "index"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "error: cannot reach Ray at '127.0.0.1:1' (KUNTAHAKU_RAY_ADDRESS): nothing answers" \
        in done.stderr, done.stderr
    assert not (tmp_path / "index").exists()
