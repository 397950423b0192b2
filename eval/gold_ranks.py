"""Where the gold passage of each readable answerable question ranks among the non-table results
(the collapse of the top 100), counted in buckets, and — with `--show` — why the ones past the
chooser's TOP are there: for each such question its gold passage's kind, whether the filters keep
it, whether it was pooled at all, its lexical share and cosine, and the question's terms it lacks.

    .venv/bin/python eval/gold_ranks.py [--sets train more more2] [--intents difference] [--show] [--from 11]

Reads the index (`make index`); scores no test question.
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

from api.choose import TOP  # noqa: E402
from api.index import Hit  # noqa: E402
from api.prose import printed  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import sets  # noqa: E402
from eval.evaluate import gold_spans, same_words  # noqa: E402
from indexer.settings import Settings  # noqa: E402

# the chooser's pool (`TOP`) ends a bucket: ranks past it are no candidates' passages
BUCKETS = ("1", "2-3", f"4-{TOP}", f"{TOP + 1}-15", "16-30", "31+", "none")


def bucket(rank: int | None) -> str:
    if rank is None:
        return "none"
    return next(b for b, top in zip(BUCKETS, (1, 3, TOP, 15, 30, 100, None), strict=True)
                if top is None or rank <= top)


def gold_passages(s: Searcher, spans: list[tuple[str, int, int]]) -> list[int]:
    """Every passage (any kind) overlapping a gold span."""
    return [n for n, p in enumerate(s.passages)
            if any(d == p["doc_id"] and a < p["end"] and p["start"] < b for d, a, b in spans)]


def holds(s: Searcher, hit: Hit, gold: set[int], quotes: list[str], twins: bool) -> bool:
    """Whether a result holds the gold: its passage overlaps a gold span, or (`twins`) a
    passage folded into it does, or its printed text (a table row's as printed, not read out
    with headers) and a gold quote hold the same words (`evaluate.same_words`, as the scoring
    takes them: the agenda's twin of the minutes' text)."""
    if hit.n in gold:
        return True
    if not twins:
        return False
    return bool(gold & set(hit.also)) or same_words(printed(s, s.passages[hit.n]), quotes)


def gold_rank(s: Searcher, question: str, municipality: str | None,
              spans: list[tuple[str, int, int]], quotes: list[str], twins: bool = True
              ) -> tuple[int | None, dict]:
    """The gold's rank among the non-table results of the top 100 (None: not there) and what
    the ranking knew of it."""
    info, _filters, keep = s.prepare(question, municipality)
    ranked = s.rank(info, keep)
    hits = s.collapse(ranked, 100)
    nontab = [h for h in hits if s.passages[h.n]["kind"] != "table"]
    gold = set(gold_passages(s, spans))
    rank = next((i for i, h in enumerate(nontab, 1) if holds(s, h, gold, quotes, twins)), None)
    pooled = {h.n: i for i, h in enumerate(ranked, 1) if h.n in gold}
    return rank, {"info": info, "keep": keep, "gold": sorted(gold), "pooled": pooled,
                  "ranked": ranked, "top": nontab[:1], "hits": nontab}


def explain(s: Searcher, q, rank: int | None, seen: dict) -> str:  # noqa: ANN001
    info, keep = seen["info"], seen["keep"]
    lines = [f"{q.id} rank {rank} [{q.intent}] {q.question}  (muni {q.municipality})",
             f"    terms {info.terms}"]
    if not seen["gold"]:
        return "\n".join(lines + ["    GOLD NOT LOCATED"])
    by_n = {h.n: h for h in seen["ranked"]}
    for n in seen["gold"][:3]:
        p = s.passages[n]
        kept = keep is None or bool(keep.mask[n])
        have = set(s.understand(p["text"], "fi").terms)
        lacks = [t for t in info.terms if t not in have]
        h = by_n.get(n)
        where = (f"pooled #{seen['pooled'][n]} score {h.score:.3f} lex {h.lexical:.2f} "
                 f"cos {h.dense:.3f}") if h else "not pooled"
        lines.append(f"    gold n={n} kind={p['kind']} kept={kept} {where} lacks {lacks}")
        lines.append("      " + p["text"][:300].replace("\n", " / "))
    if seen["top"]:
        h = seen["top"][0]
        lines.append(f"    top: score {h.score:.3f} lex {h.lexical:.2f} cos {h.dense:.3f} "
                     + s.passages[h.n]["text"][:160].replace("\n", " / "))
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=["train", "more", "more2"])
    ap.add_argument("--intents", nargs="*", default=None,
                    help="only questions of these intents (difference, who…); every one if not given")
    ap.add_argument("--show", action="store_true", help="explain each question ranked past --from")
    ap.add_argument("--from", dest="start", type=int, default=TOP + 1)
    ap.add_argument("--strict", action="store_true",
                    help="only the gold passage itself counts (not a twin holding its words)")
    args = ap.parse_args()
    if "test" in args.sets:
        ap.error("the test split is scored by the merger only")
    s = Searcher.open(Settings())
    documents = s.document_texts()
    for name in args.sets:
        c: Counter = Counter()
        for q in sets()[name]:
            if not q.answerable or (args.intents is not None and (q.intent or q.category)
                                                     not in args.intents):
                continue
            spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
            quotes = [" ".join(g["quote"].split()) for g in q.gold]
            rank, seen = gold_rank(s, q.question, q.municipality, spans, quotes, not args.strict)
            c[bucket(rank)] += 1
            if args.show and (rank is None or rank >= args.start):
                print(explain(s, q, rank, seen))
        print(name, " ".join(f"{b}: {c[b]}" for b in BUCKETS), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
