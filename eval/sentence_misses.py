"""Of the cross-validated answer model's misses where a right candidate is there, which kind
chose over which (a sentence over a sentence, a cell over a sentence…), and of the sentence
against sentence ones: the same passage or another, how many sentences apart, and which of the
chosen and the best right sentence has more of a feature.

    .venv/bin/python eval/sentence_misses.py [--show]

The training questions and folds of eval/train_answerer.py (its `gather`, the served model's
features and C, left-out scores); writes nothing. `--show` prints each such miss's two sentences.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.answer import Answerer  # noqa: E402
from api.choose import Candidate, Chooser, answer_order  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.train_answerer import (  # noqa: E402
    by_question,
    choice_fitter,
    folds_of,
    gather,
    held_out,
    matrix,
    training_questions,
)
from indexer.settings import Settings  # noqa: E402

COMPARED = ("own_share", "own_overlap", "has_number", "log_words", "position", "no_end", "names_agent")


def said(s: Searcher, c: Candidate) -> str:
    """A sentence candidate's text."""
    p = s.passages[c.n]
    return " ".join(s.text_span(p["doc_id"], p["start"] + c.start, p["start"] + c.end).split())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="print each sentence-against-sentence miss")
    args = ap.parse_args()
    s = Searcher.open(Settings(answers="rules"))
    answerer = Answerer(s)
    chooser = Chooser(s, answerer.cells.asked, answerer.rare_coverage, model=Path("/nonexistent"))
    rows = gather(answerer, chooser, training_questions())
    features = sorted({f for r in rows for c in r["candidates"] for f in c.features})
    x, y, group = matrix(rows, features)
    # the served choice: the choice model's, fitted on the folds without each question
    scores = by_question(group, held_out(x, y, group, folds_of(x, y, group, 5), choice_fitter()))
    counts: Counter = Counter()
    for i, r in enumerate(rows):
        if r["ruled"] or not r["candidates"] or not any(r["labels"]):
            continue
        order = answer_order(scores[i], r["candidates"], r["yes_no"])
        if r["labels"][order[0]]:
            continue
        found = r["candidates"]
        chosen, right = found[order[0]], found[next(j for j in order if r["labels"][j])]
        counts[f"{chosen.kind} over {right.kind}"] += 1
        if chosen.kind != "sentence" or right.kind != "sentence":
            continue
        if chosen.n == right.n:
            starts = sorted(c.start for c in found if c.n == chosen.n and c.kind == "sentence")
            counts[f"same passage, right {starts.index(right.start) - starts.index(chosen.start):+d}"] += 1
        else:
            counts["another passage"] += 1
        for f in COMPARED:
            a, b = right.features.get(f, 0.0), chosen.features.get(f, 0.0)
            counts[f"right has more {f}" if a > b else f"right has less {f}" if a < b else f"same {f}"] += 1
        if args.show:
            print(f"{r['q'].id}: {r['q'].question}\n  chosen: {said(s, chosen)[:200]}"
                  f"\n  right:  {said(s, right)[:200]}")
    for k, n in sorted(counts.items()):
        print(f"{k}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
