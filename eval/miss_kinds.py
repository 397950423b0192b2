"""Why the answers of some intents miss, counted: for each readable question of the intents asked
(the train split of eval/answers.json and eval/train_more.json by their `intent`, the held-out
minutes by their `category`), which of these it is —

- *right*: answered, the citation overlaps the gold;
- *wrongly declined*: answerable, not answered;
- *retrieval miss*: no passage of the top results the answer model sees (`Chooser.results`) holds
  the gold — nor a twin folded into one of them, nor one with the gold quote's words (the agenda's
  text in the minutes: `eval/gold_ranks.py` `holds`, as the answer's scoring counts it);
- *right candidate absent*: a top passage holds the gold, but no sentence or cell of them is right
  (the labels of eval/train_answerer.py);
- *present, not chosen*: a right candidate is there, and the answer is another;
- for an unanswerable question: *declined* or *answered* (and why it was declined; `--show`
  also prints its `why_unanswerable`: `--intents unanswerable --show` lists the abstentions).

    .venv/bin/python eval/miss_kinds.py [--set train|minutes|more|xling|…] [--intents who decision status]
                                        [--languages en sv] [--show]

Reads the index (`make index`); scores no test question. `--show` lists each question's kind
with its answer (in-sample sets only).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.answer import Answerer  # noqa: E402
from api.choose import Chooser  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.evaluate import _supports, gold_spans  # noqa: E402
from eval.gold_ranks import gold_passages, holds  # noqa: E402
from eval.train_answerer import label  # noqa: E402
from indexer.settings import Settings  # noqa: E402

KINDS = ("right", "wrongly declined", "retrieval miss", "right candidate absent",
         "present, not chosen", "declined", "answered")


def kind_of(answerer: Answerer, documents: dict[str, str], q) -> tuple[str, dict]:  # noqa: ANN001
    s = answerer.searcher
    out = answerer.ask(q.question, municipality=q.municipality)
    if not q.answerable:
        return ("answered" if out["found"] else "declined"), out
    if not out["found"]:
        return "wrongly declined", out
    if _supports(s, documents, q.gold, out["citations"]):
        return "right", out
    info, _filters, keep = s.prepare(q.question, q.municipality)
    hits = s.collapse(s.rank(info, keep), 10)
    spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
    # under KUNTAHAKU_ANSWERS=rules the answerer has no model: the candidates are the same
    chooser = answerer.chooser or Chooser(s, answerer.cells.asked, answerer.rare_coverage)
    near = chooser.results(hits)
    gold = set(gold_passages(s, spans))
    quotes = [" ".join(g["quote"].split()) for g in q.gold]
    held = any(holds(s, h, gold, quotes, twins=True) for h in near)
    if not held:
        return "retrieval miss", out
    rules = answerer._rules(q.question, info, hits)
    if not any(label(s, spans, q, c) for c in chooser.candidates(info, hits, rules)):
        return "right candidate absent", out
    return "present, not chosen", out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="train", choices=READABLE)
    ap.add_argument("--intents", nargs="*", default=["who", "decision", "status"],
                    help="intents (train) or categories (minutes); 'all' for every one")
    ap.add_argument("--languages", nargs="*", default=None,
                    help="only questions of these languages (en sv: the English and Swedish ones)")
    ap.add_argument("--show", action="store_true", help="list each question's kind and answer")
    args = ap.parse_args()
    searcher = Searcher.open(Settings())
    answerer = Answerer(searcher)
    documents = searcher.document_texts()
    counts: dict[str, Counter] = {}
    for q in sets()[args.set]:
        intent = q.intent or q.category
        if "all" not in args.intents and intent not in args.intents:
            continue
        if args.languages is not None and q.language not in args.languages:
            continue
        kind, out = kind_of(answerer, documents, q)
        counts.setdefault(intent, Counter())[kind] += 1
        if args.show:
            said = out["answer"] or f"({out.get('reason_code')}) {out.get('reason')}"
            print(f"{q.id} [{intent}] {kind}: {q.question}\n    → {said[:200]}"
                  + (f"\n    (unanswerable: {q.why_unanswerable})" if q.why_unanswerable else ""))
    used = [k for k in KINDS if any(c[k] for c in counts.values())]
    print("| intent | questions | " + " | ".join(used) + " |")
    print("|---|---|" + "---|" * len(used))
    for intent, c in sorted(counts.items()):
        print(f"| {intent} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in used) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
