"""Two revisions' servers side by side over one index: `GET /api/search` latency, A against B.

    .venv/bin/python eval/ab_serve.py REV [--rounds 2] [--questions eval/questions.json]

A is REV (say HEAD~1), checked out into a temporary git worktree; B is the working tree. Both
servers run at once and read the live index of corpus/ (`make index`), so REV must read the same
index format. Each dev question goes to both, the order alternating question by question: on
this shared 2-core machine a whole run drifts by ±4 ms from the next, more than most changes
move it, and only a paired, interleaved comparison sees past that. A later round asks each
question again with " (round)" added, new to both servers. Prints the p50s and the median paired
difference; writes nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_serve import ROOT, Client, p50, p95, running_server  # noqa: E402

from eval.evaluate import load_questions  # noqa: E402
from indexer import store  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the revision to compare the working tree with (A)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.json"))
    args = ap.parse_args()
    queries = [q.question for q in load_questions(Path(args.questions))]
    index = ROOT / Settings().index  # (an absolute setting stays as it is)
    if store.live_folder(index) is None:
        raise SystemExit("no index of corpus/; run 'make index' first")
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "a"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.rev], cwd=ROOT,
                       check=True)
        try:
            with running_server(old, index) as port_a, running_server(ROOT, index) as port_b:
                clients = {"A": Client(port_a), "B": Client(port_b)}
                times: dict[str, list[float]] = {"A": [], "B": []}
                for r in range(args.rounds):
                    for i, q in enumerate(queries):
                        asked = q if r == 0 else f"{q} ({r})"
                        for side in ("A", "B") if (i + r) % 2 == 0 else ("B", "A"):
                            times[side].append(clients[side].get("/api/search", q=asked)[0])
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=True)
    for side, name in (("A", args.rev), ("B", "working tree")):
        print(f"{side} ({name}): p50 {p50(times[side]):.1f} ms, p95 {p95(times[side]):.1f} ms")
    paired = [a - b for a, b in zip(times["A"], times["B"], strict=True)]
    print(f"median A − B over {len(paired)} paired requests: {statistics.median(paired):+.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
