"""Ingest on Ray (KUNTAHAKU_RAY_ADDRESS=local) against the plain path, side by side in one run.

    .venv/bin/python eval/bench_ingest.py [--corpus corpus] [--cache var/cache] [--files 20]
                                          [--out eval/RESULTS.md]

Each variant is one `kuntahaku index` in a process of its own, into a fresh index folder, timed
from process start to exit (imports, Ray's start and stop included) beside the build's own
seconds from its summary line. Both measures:

1. the whole corpus with a copy of the vector cache `--cache` for each variant (a re-index after
   a parser change: every file parsed, almost every vector cached);
2. `--files` files of the corpus (ranked 10th to 10+files-th by size: no trivial ones, no giant)
   with an empty cache and the shipped vectors turned off, so every passage is embedded.

The plain path embeds in the build process with the OpenMP threads it is given (run once with 1
and once with every core); Ray runs one embedding actor per core with one thread each. The
index the Ray variant writes is compared with the plain one (documents, passages, vectors).
Writes a section of eval/RESULTS.md between markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.evaluate import write_section  # noqa: E402
from indexer import store  # noqa: E402
from indexer.build import corpus_files  # noqa: E402
from indexer.search_index import VECTORS_FILE  # noqa: E402

NO_SHIPPED = ("from indexer import embed\n"
              "embed.ShippedVectors.for_model = classmethod(lambda cls, *a, **k: None)\n")
SUMMARY = re.compile(r"(\d+) documents, .*?(\d+) passages, .*?\((\d+) parsed, .*?"
                     r"(\d+) passages embedded, ([\d.]+) s\)")


def run_index(corpus: Path, index: Path, cache: Path, ray: bool, threads: int,
              preamble: str = "") -> dict:
    env = {**os.environ, "KUNTAHAKU_CORPUS": str(corpus), "KUNTAHAKU_INDEX": str(index),
           "KUNTAHAKU_CACHE": str(cache), "KUNTAHAKU_WORKERS": str(os.cpu_count() or 1),
           "KUNTAHAKU_RAY_ADDRESS": "local" if ray else "", "OMP_NUM_THREADS": str(threads),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    code = preamble + "from api.cli import main\nraise SystemExit(main(['index']))\n"
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=3600)
    wall = time.perf_counter() - t0
    found = SUMMARY.search(done.stdout)
    if done.returncode not in (0, 1) or found is None:
        raise SystemExit(f"kuntahaku index failed ({done.returncode}):\n{done.stderr[-3000:]}")
    documents, passages, parsed, embedded, seconds = found.groups()
    return {"wall": wall, "build": float(seconds), "documents": int(documents),
            "passages": int(passages), "parsed": int(parsed), "embedded": int(embedded),
            "index": index, "load": (load, os.getloadavg()[0])}


def compare(plain: Path, on_ray: Path) -> str:
    """How the Ray build's index differs from the plain one's."""
    def rows(index: Path, sql: str) -> list:
        con = sqlite3.connect(store.live_folder(index) / store.DB_NAME)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    same = all(rows(plain, sql) == rows(on_ray, sql) for sql in (
        "SELECT * FROM documents ORDER BY id", "SELECT * FROM tables ORDER BY id",
        "SELECT * FROM passages ORDER BY n"))
    a = np.load(store.live_folder(plain) / VECTORS_FILE)
    b = np.load(store.live_folder(on_ray) / VECTORS_FILE)
    delta = float(np.abs(a - b).max()) if a.shape == b.shape and len(a) else float("nan")
    return (f"documents, tables and passages {'identical' if same else 'DIFFERENT'}, "
            f"vectors {a.shape[0]} × {a.shape[1] if a.ndim == 2 else 0}, max |Δ| {delta:.1e}")


def copy_cache(source: Path, into: Path) -> Path:
    """A consistent copy of each cache file (SQLite's backup: others may be writing to it)."""
    into.mkdir(parents=True)
    for path in source.glob("*.sqlite"):
        src, dst = sqlite3.connect(path), sqlite3.connect(into / path.name)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    return into


def subset(corpus: Path, n: int, into: Path) -> Path:
    """`n` files of the corpus, ranked 10th on by size, with the manifest."""
    files = sorted(corpus_files(corpus), key=lambda f: (f[1].stat().st_size, f[0]))[10:10 + n]
    for rel, path in files:
        (into / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, into / rel)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    manifest["documents"] = {k: v for k, v in manifest["documents"].items()
                             if k in {rel for rel, _ in files}}
    (into / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return into


def row(name: str, r: dict) -> str:
    return (f"| {name} | {r['wall']:.1f} | {r['build']:.1f} | {r['documents']} | {r['passages']} "
            f"| {r['parsed']} | {r['embedded']} | {r['load'][0]:.1f} → {r['load'][1]:.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--cache", type=Path, default=ROOT / "var" / "cache")
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "RESULTS.md")
    args = ap.parse_args()
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="kuntahaku-bench-ingest-"))
    try:
        full = {}
        for name, ray in (("plain", False), ("ray", True)):
            cache = copy_cache(args.cache, work / f"cache-{name}")
            full[name] = run_index(args.corpus.resolve(), work / f"full-{name}" / "index", cache,
                                   ray, 1)
            print(row(f"whole corpus, {name}", full[name]), flush=True)
        small = subset(args.corpus.resolve(), args.files, work / "subset")
        fresh = {}
        for name, ray, threads in (("plain, 1 thread", False, 1),
                                   (f"plain, {cores} threads", False, cores),
                                   (f"ray, {cores} actors × 1 thread", True, 1)):
            slug = re.sub(r"\W+", "-", name)
            fresh[name] = run_index(small, work / f"sub-{slug}" / "index", work / f"cache-{slug}",
                                    ray, threads, NO_SHIPPED)
            print(row(f"{args.files} files, empty cache, {name}", fresh[name]), flush=True)
        same_full = compare(full["plain"]["index"], full["ray"]["index"])
        same_small = compare(fresh["plain, 1 thread"]["index"],
                             fresh[f"ray, {cores} actors × 1 thread"]["index"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    machine = f"{platform.machine()}, {cores} cores, Python {platform.python_version()}"
    import ray

    lines = [
        f"### Ingest on Ray against the plain path ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{machine}, Ray {ray.__version__})",
        "",
        f"Command: `.venv/bin/python eval/bench_ingest.py --files {args.files}` (each variant one "
        "`kuntahaku index` process into a fresh index; `KUNTAHAKU_WORKERS` = cores; Ray variants "
        "`KUNTAHAKU_RAY_ADDRESS=local`, start-up and shut-down included in the process time).",
        "",
        "| variant | process s | build s | documents | passages | parsed files | embedded | "
        "load before → after |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        row("whole corpus, cache copied, plain", full["plain"]),
        row("whole corpus, cache copied, Ray local", full["ray"]),
        *(row(f"{args.files} files, empty cache, {name}", r) for name, r in fresh.items()),
        "",
        f"Same index? Whole corpus: {same_full}. {args.files} files: {same_small}.",
        "",
        "*passages* counts narrative passages (the vectors hold table rows and tables too); "
        "*load* is the 1-minute load average of the machine (other processes than the build "
        "included) as the variant started and ended.",
    ]
    print("\n".join(lines))
    write_section(args.out, "bench_ingest", lines)


if __name__ == "__main__":
    main()
