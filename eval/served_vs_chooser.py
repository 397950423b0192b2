"""The served answer against the answer model's own first choice (issue #16): for each answerable
question of the readable sets that is answered (no list question), whether the served answer's
citation supports it (`eval/evaluate.py` `_supports`, as the benchmark scores) and whether the
chooser's best candidate is right (`eval/train_answerer.py` `label`) — counted by intent; and, with
`--show`, the questions the chooser had right and the served answer not (where the answerer's
other paths, a goal cell, a computed difference, a § 's päätös, answer instead); with
`--by-path`, also counted by the path that answered: a § 's päätös (`Decisions.answer`, whose
answer says its `decision`), a difference computed from two cells, or the rest (the answer model,
or a rule it stands beside).

    .venv/bin/python eval/served_vs_chooser.py [--sets train more more2 …] [--show] [--by-path]

Reads the readable sets only (never the test split); needs `make index`.
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
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.evaluate import _supports, gold_spans  # noqa: E402
from eval.train_answerer import label  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=["train", "more", "more2", "more3", "more4",
                                                   "more5", "more6"], choices=READABLE)
    ap.add_argument("--show", action="store_true",
                    help="list the questions the chooser had right and the served answer not")
    ap.add_argument("--by-path", action="store_true",
                    help="also count by the path that answered (päätös, computed, the rest)")
    args = ap.parse_args()
    searcher = Searcher.open(Settings())
    answerer = Answerer(searcher)
    documents = searcher.document_texts()
    counts: dict[str, Counter] = {}
    for name in args.sets:
        for q in sets()[name]:
            if not q.answerable or q.items:
                continue
            out = answerer.ask(q.question, municipality=q.municipality)
            if not out["found"]:
                continue
            info, _filters, keep = searcher.prepare(q.question, q.municipality)
            hits = searcher.collapse(searcher.rank(info, keep), 10)
            found = answerer.chooser.candidates(info, hits, answerer._rules(q.question, info, hits))
            if not found:
                continue
            _probs, order = answerer.chooser.ranked(found, info.yes_no)
            spans = [span for g in q.gold for span in gold_spans(searcher, documents, g)]
            served = _supports(searcher, documents, q.gold, out["citations"])
            chosen = label(searcher, spans, q, found[order[0]])
            kind = ("served right" if served else "served wrong") + \
                (", chooser right" if chosen else ", chooser wrong")
            counts.setdefault(q.intent or "", Counter())[kind] += 1
            if args.by_path:
                path = "päätös" if out.get("decision") else \
                    "computed" if "computed" in (out.get("table") or {}) else "the rest"
                counts.setdefault(f"{path}: {q.intent or ''}", Counter())[kind] += 1
            if args.show and chosen and not served:
                print(f"{name} {q.id} [{q.intent}] {q.question}\n    → {(out['answer'] or '')[:160]}")
    kinds = sorted({k for c in counts.values() for k in c})
    print("| intent | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    every = sum((c for i, c in counts.items() if ": " not in i), Counter())
    for intent, c in sorted([*counts.items(), ("all", every)]):
        print(f"| {intent} | " + " | ".join(str(c[k]) for k in kinds) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
