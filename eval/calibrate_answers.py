"""Where to set the answerer's evidence threshold, from the training questions.

    .venv/bin/python eval/calibrate_answers.py [--questions FILE]

The training questions are the answer model's (eval/train_answerer.py: the train split of
eval/answers.json, the dev set, eval/train_more.json and eval/train_more2.json), never the test
split; `--questions` takes one file instead.

For every Finnish question it prints the idf-weighted share of the question's terms that the best
passage holds (`Answerer.rare_coverage`), answerable and unanswerable apart, and the threshold
halfway between the lowest value of an answerable question whose best passage is a gold one and
the highest unanswerable value below it (declining an answerable question whose best passage is
wrong loses no right answer): `MIN_RARE_COVERAGE` in api/answer.py was set from this.
Questions the answerer already declines for another reason (an unknown place, an uncovered year,
a compound no passage holds: `api/topic.py`) are left out.

Then the same for the questions naming a word that no passage of the index holds (its term's
document frequency is 0: "lumiauraa", "juhlaviikoille", but also "Tenavakodin", "valituslausunnon"):
whether such a word, below some coverage, would tell an unanswerable question from an answerable
one that the coverage alone does not.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from api.answer import Answerer
from api.search import Searcher
from eval.evaluate import Qrels, load_questions
from eval.train_answerer import training_questions
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", help="one question file instead of the training questions")
    args = ap.parse_args()
    s = Searcher.open(Settings())
    answerer = Answerer(s)
    questions = load_questions(Path(args.questions)) if args.questions else training_questions()
    qrels = Qrels(s, s.document_texts(), [q for q in questions if q.answerable and q.gold])
    rows = []
    for q in questions:
        info, _filters, keep = s.prepare(q.question, q.municipality)
        if info.language != "fi":
            continue
        hits = s.collapse(s.rank(info, keep), 10)
        if not hits or info.unknown_places or not answerer.year_covered(info, hits) \
                or answerer.topics.absent(info, keep) is not None:
            continue
        right = bool({hits[0].n, *hits[0].also} & qrels.relevant.get(q.id, set()))
        absent = sorted(t for t in info.content_terms if not s.storage.doc_freq(t))
        rows.append((answerer.rare_coverage(info, hits[0].n), q.answerable, right, q.id,
                     q.question, absent))
    rows.sort()
    threshold(rows, "")
    threshold([r for r in rows if r[5]], "naming a word no passage holds")


def threshold(rows: list[tuple], which: str) -> None:
    """Print the questions by coverage and the threshold between the answerable and the
    unanswerable ones."""
    if which:
        print(f"\n-- questions {which}")
    for cov, answerable, right, qid, text, absent in rows:
        kind = ("answerable  " if right else "answerable? ") if answerable else "UNANSWERABLE"
        print(f"{cov:5.2f}  {kind}  {qid:4}  {text}" + (f"  (no passage: {', '.join(absent)})"
                                                        if which and absent else ""))
    print("(answerable? = its best passage is not a gold one)")
    right = [c for c, a, r, *_ in rows if a and r]
    if not right:
        print("no answerable question's best passage is a gold one: no threshold to draw")
        return
    lowest = min(right)
    below = [c for c, a, _r, *_ in rows if not a and c < lowest]
    if below:
        print(f"lowest answerable {lowest:.3f}, highest unanswerable below it {max(below):.3f}: "
              f"threshold {(lowest + max(below)) / 2:.3f}")
    else:
        print(f"no unanswerable question lies below the lowest answerable ({lowest:.2f})")
    above = [c for c, a, _r, *_ in rows if not a and c >= lowest]
    if above:
        print(f"unanswerable at or above it: {len(above)} (" + ", ".join(f"{c:.2f}" for c in above) + ")")


if __name__ == "__main__":
    main()
