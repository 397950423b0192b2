"""CPU time per ask (issue #16), or its wall-clock time.

    .venv/bin/python eval/ask_cpu.py [--set train] [--runs 2] [--clock cpu|wall] [--pools 8 10]

Every question of a readable set asked once per run; the time is the process's CPU time
(`time.process_time`, every thread's), not the wall clock, which other processes on a shared
machine stretch; `--clock wall` times the wall clock instead (work done on two threads at once saves time
there only).
`--pools`: the chooser's pool (`api.choose.TOP`, the results whose sentences and cells are
candidates) at each size given, the runs interleaved, one line each.
Prints p50 / p95 ms; writes nothing. (It once set the row channel's sizes side by side,
`--rows`; the channel is gone.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import api.choose  # noqa: E402
from api.answer import Answerer  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.stats import percentile  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="train", choices=READABLE)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    ap.add_argument("--pools", type=int, nargs="*", default=None,
                    help="the chooser's pool sizes to time side by side (default: the served one)")
    args = ap.parse_args()
    answerer = Answerer(Searcher.open(Settings()))
    questions = sets()[args.set]
    pools = args.pools or [api.choose.TOP]
    spent: dict[int, list[float]] = {p: [] for p in pools}
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    for q in questions[:5]:
        answerer.ask(q.question, municipality=q.municipality)  # warm
    for _run in range(args.runs):
        for pool in pools:
            api.choose.TOP = pool
            for q in questions:
                answerer.searcher.forget_queries()  # every question new, every run
                t0 = clock()
                answerer.ask(q.question, municipality=q.municipality)
                spent[pool].append(1000 * (clock() - t0))
    for pool, times in spent.items():
        print(f"pool {pool}: p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms "
              f"({len(times)} asks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
