"""Assigns the train/test split of an answer question set (eval/answers.json), by seed, before
anyone looks at how the system does on it:

    python eval/split_questions.py [FILE] [--check]

Rule: the questions are grouped by intent; within each intent the ids, in sorted order, are
shuffled with one random.Random(20261202) (intents taken in sorted order, the same generator
going on from one intent to the next), and the first ceil(n / 2) of each intent are "train",
the rest "test". The split depends only on the ids and intents; adding questions later could move
earlier ones of the same intent, so it was assigned once, on the finished set, before the system
was run on any of it. --check exits 1 when the file's split differs from the rule.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 20261202


def assign(questions: list[dict]) -> dict[str, str]:
    rng = random.Random(SEED)
    by_intent: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        by_intent[q.get("intent") or q.get("category") or ""].append(q["id"])
    split: dict[str, str] = {}
    for intent in sorted(by_intent):
        ids = sorted(by_intent[intent])
        rng.shuffle(ids)
        half = (len(ids) + 1) // 2
        for k, qid in enumerate(ids):
            split[qid] = "train" if k < half else "test"
    return split


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(Path(__file__).resolve().parent / "answers.json"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    path = Path(args.file)
    data = json.loads(path.read_text(encoding="utf-8"))
    split = assign(data["questions"])
    if args.check:
        bad = [q["id"] for q in data["questions"] if q.get("split") != split[q["id"]]]
        print(f"{len(bad)} questions off the seeded split" + (f": {bad[:10]}" if bad else ""))
        return 1 if bad else 0
    for q in data["questions"]:
        q["split"] = split[q["id"]]
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts = defaultdict(int)
    for q in data["questions"]:
        counts[q["split"]] += 1
    print(dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
