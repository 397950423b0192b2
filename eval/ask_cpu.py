"""CPU time per ask, the row channel's sizes side by side (api/choose.py `ROWS`, issue #16).

    .venv/bin/python eval/ask_cpu.py [--set train] [--rows 0 8 16] [--runs 2]

Every question of a readable set asked once per size and run, the sizes alternating question by
question so the machine's drift falls on all alike; the time is the process's CPU time
(`time.process_time`), not the wall clock, which other processes on a shared machine stretch.
The shipped model scores every size (a size it was not fitted for only adds candidates whose
channel features it weighs as fitted). Prints p50 / p95 ms per size; writes nothing.
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

from api import choose  # noqa: E402
from api.answer import Answerer  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.stats import percentile  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="train", choices=READABLE)
    ap.add_argument("--rows", type=int, nargs="+", default=[0, 16])
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    answerer = Answerer(Searcher.open(Settings()))
    questions = sets()[args.set]
    spent: dict[int, list[float]] = {k: [] for k in args.rows}
    for q in questions[:5]:
        answerer.ask(q.question, municipality=q.municipality)  # warm
    for _run in range(args.runs):
        for q in questions:
            for k in args.rows:
                choose.ROWS = k
                answerer.searcher.forget_queries()  # every question new, for every size
                t0 = time.process_time()
                answerer.ask(q.question, municipality=q.municipality)
                spent[k].append(1000 * (time.process_time() - t0))
    for k, ms in spent.items():
        print(f"ROWS {k}: p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms "
              f"({len(ms)} asks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
