"""Whether translation costs the right candidate the choice (issue #16): for each English or Swedish
question of the readable sets whose right sentence or cell is among the candidates but another is
chosen (`eval/miss_kinds.py`'s *present, not chosen*), the answer model's overlap features of the
right candidate (the best-scored one labelled right) against the chosen one's — `own_share`,
`own_overlap`, `passage_share` (a sentence), `row_share`, `label_match` (a cell) — and the
question's Finnish terms the chosen one holds and the right one lacks, each by its source: the
dictionary (a translated word's sense), a noun's verb, or the glossary and the question itself.

    .venv/bin/python eval/choice_overlap.py [--sets xling train more heldout dev] [--show]

A miss counts as *lower by translation* where the right candidate's overlap is lower in one of
those features and a term the chosen holds beyond it is a dictionary sense. Reads the readable
sets only (never the test split, never eval/xling_check.json).
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
from api.choose import Candidate  # noqa: E402
from api.prose import printed  # noqa: E402
from api.query import QueryInfo  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import sets  # noqa: E402
from eval.evaluate import gold_spans  # noqa: E402
from eval.miss_kinds import kind_of  # noqa: E402
from eval.train_answerer import label  # noqa: E402
from indexer.settings import Settings  # noqa: E402

OVERLAP = {"sentence": ("own_share", "own_overlap", "passage_share"),
           "cell": ("row_share", "label_match", "passage_share")}


def candidate_terms(s: Searcher, c: Candidate) -> set[str]:
    """The terms the overlap features compare with the question: a sentence's words (and their
    derivation bases), a cell's row label, groups and table title."""
    p = s.passages[c.n]
    if c.kind == "cell":
        table = s.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        names = " ".join([row["label"] or "", *(g for g in row["groups"] if g), table["title"] or ""])
        return set(s.analyzer.terms(names))
    words = printed(s, p)[c.start:c.end]
    return set(s.analyzer.terms(words)) | s.analyzer.bases(words)


def source(info: QueryInfo, term: str) -> str:
    if any(term in g for g in info.senses) and term in info.translated:
        return "dictionary"
    return "translated" if term in info.translated else "glossary/own"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=["xling", "train", "more", "heldout", "dev"])
    ap.add_argument("--show", action="store_true", help="each miss's features and terms")
    args = ap.parse_args()
    s = Searcher.open(Settings())
    answerer = Answerer(s)
    chooser = answerer.chooser
    documents = s.document_texts()
    readable = sets()
    counts: Counter = Counter()
    for name in args.sets:
        for q in readable[name]:
            if q.language not in ("en", "sv") or not q.answerable:
                continue
            kind, _out = kind_of(answerer, documents, q)
            if kind != "present, not chosen":
                continue
            counts["present, not chosen"] += 1
            info, _filters, keep = s.prepare(q.question, q.municipality)
            hits = s.collapse(s.rank(info, keep), 10)
            spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
            found = chooser.candidates(info, hits, answerer._rules(q.question, info, hits))
            probs, order = chooser.ranked(found, info.yes_no)
            chosen = found[order[0]]
            rights = [i for i, c in enumerate(found) if label(s, spans, q, c)]
            right = found[next(i for i in order if i in rights)]
            lower = [f for f in OVERLAP[right.kind] if f in chosen.features
                     and right.features[f] < chosen.features[f] - 1e-9]
            content = info.content_terms
            beyond = sorted((content & candidate_terms(s, chosen)) - candidate_terms(s, right))
            by_source = {t: source(info, t) for t in beyond}
            translation = bool(lower) and "dictionary" in by_source.values()
            counts["right's overlap lower"] += bool(lower)
            counts["lower by translation"] += translation
            counts["right ranked lower"] += right.rank > chosen.rank
            if args.show:
                print(f"{q.id} [{q.language}] {q.question}")
                print(f"   right {right.kind} rank {right.rank} p {probs[found.index(right)]:.3f} "
                      f"chosen {chosen.kind} rank {chosen.rank} p {probs[order[0]]:.3f}; lower: {lower}"
                      f"{' (translation)' if translation else ''}")
                print("   " + " ".join(f"{f} {right.features.get(f, 0):.2f}/{chosen.features.get(f, 0):.2f}"
                                       for f in sorted({*OVERLAP[right.kind], *OVERLAP[chosen.kind]})))
                print(f"   chosen holds beyond the right: {by_source}")
    for k in ("present, not chosen", "right's overlap lower", "lower by translation", "right ranked lower"):
        print(f"{k}: {counts[k]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
