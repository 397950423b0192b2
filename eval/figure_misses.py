"""Why figure questions miss: each miss of a readable set put in one class (issue #16).

    .venv/bin/python eval/figure_misses.py [--set train] [--show] [--why]

For every figure question (one with a gold value) that the served answerer gets wrong, the
first class that applies:
- `retrieval`: no result the answer is chosen from (the answer's first `TOP` collapsed
  passages and rows: `Chooser.results`) holds a gold quote;
- `scale or unit`: the answer's number is the gold one in another scale or sign;
- `computed wrongly`: the answer is computed from two cells and its figure is not the gold one;
- `needs computing`: no candidate holds the figure, but two cells of a gold row give it (their
  difference, or one as a share of the other);
- `not a candidate`: a gold result is there, but none of its sentences or cells holds the figure;
- `not chosen`: a candidate holds the figure and another was chosen. `--why` sorts these further,
  by the candidate chosen (`Chooser.ranked`'s first) against the right one it ranks first
  (`chosen_and_right`): `right row, wrong column` (the
  period, budget, actual, % or difference column), `right column, wrong row`, `other row and
  column`, `sentence over cell`, `cell over sentence`, `other sentence`; or `declined` (a rule
  or the threshold declined what a candidate held).
`--ranks` places each `retrieval` miss further: the rank of its first gold result among the
ranking's non-table results (11–30, 31–100, past 100; a gold table row or a gold passage), so a
channel of more candidates is sized before it is built.
`--pairs` prints, for each `not chosen` miss, the same two candidates (with `--why` too: both sort it)
(document, year, section, table, row label, column; or the sentence) and sorts the pair by what
tells them apart (`pair_class`): another organisation, another period, another row of the same
table, another table, another passage's sentence, the same passage's.
Only the sets whose misses may be read (never the test split); writes nothing.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import re
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.answer import Answerer  # noqa: E402
from api.cells import BUDGET_COLUMN, row_name  # noqa: E402
from api.choose import TOP, Candidate, Chooser  # noqa: E402
from api.prose import printed  # noqa: E402
from api.query import NAMES_GROUP  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.evaluate import Figure, Question, figure_right, gold_spans, right_figure  # noqa: E402
from eval.gold_ranks import gold_passages, gold_rank, holds  # noqa: E402
from eval.train_answerer import label  # noqa: E402
from indexer.settings import Settings  # noqa: E402

CLASSES = ("retrieval", "scale or unit", "computed wrongly", "needs computing", "not a candidate",
           "not chosen")


def _rescaled(q: Question, number: float) -> bool:
    """The gold figure in another scale (×1000ⁿ) or sign."""
    return any(right_figure(q, [Figure(number * 1000.0 ** k * s)]) for k in (-2, -1, 1, 2)
               for s in (1, -1)) or right_figure(q, [Figure(-number)])


def _computable(q: Question, rows: list[dict]) -> bool:
    """Two numeric cells of a gold row whose difference, or share (%), is the gold figure."""
    for row in rows:
        numbers = [c["number"] for c in row["cells"] if c.get("number") is not None]
        for a, b in itertools.permutations(numbers, 2):
            said = [Figure(a - b)] + ([Figure(round(100 * a / b, 2)), Figure(round(100 * a / b, 1)),
                                       Figure(round(100 * a / b))] if b else [])
            if right_figure(q, said):
                return True
    return False


def classify(answerer: Answerer, chooser: Chooser, documents: dict[str, str], q: Question,
             out: dict) -> str:
    s = answerer.searcher
    info, _filters, keep = s.prepare(q.question, q.municipality)
    hits = s.collapse(s.rank(info, keep), 10)
    spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
    near = chooser.results(hits)
    gold = set(gold_passages(s, spans))
    # a retrieval miss as `eval/miss_kinds.py` counts one: no result holds the gold (`holds`:
    # its place, a twin folded into it, or the same words printed elsewhere)
    if not any(holds(s, h, gold, _quotes(q), twins=True) for h in near):
        return "retrieval"
    gold_hits = [h for h in near if holds(s, h, gold, _quotes(q), True)]
    v = out.get("value") or {}
    if v.get("number") is not None and _rescaled(q, v["number"]):
        return "scale or unit"
    if "computed" in (out.get("table") or {}):
        return "computed wrongly"
    found = chooser.candidates(info, hits, answerer._rules(q.question, info, hits))
    if any(label(s, spans, q, c) for c in found):
        return "not chosen"
    rows = [s.table(s.passages[h.n]["table_id"])["rows"][s.passages[h.n]["row_index"]]
            for h in gold_hits if s.passages[h.n]["kind"] == "table_row"]
    return "needs computing" if _computable(q, rows) else "not a candidate"


def retrieval_place(answerer: Answerer, documents: dict[str, str], q: Question) -> str:
    """Of a `retrieval` miss: where its first gold result ranks among the non-table results of
    the collapsed ranking (the answer sees the first TOP), whether it is a table row, or whether
    it was folded into a twin among them (the agenda's text in the minutes': the twin is a
    candidate, the gold's own place is not)."""
    s = answerer.searcher
    spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
    rank, seen = gold_rank(s, q.question, q.municipality, spans, _quotes(q), twins=False)
    hits, gold = seen["hits"], set(seen["gold"])
    if any(gold & set(h.also) for h in hits[:TOP]):
        return f"folded into a twin among the first {TOP}"
    if rank is None:
        return "past 100"
    bucket = f"1–{TOP}" if rank <= TOP else f"{TOP + 1}–30" if rank <= 30 else "31–100"
    return f"{bucket}, {'row' if s.passages[hits[rank - 1].n]['kind'] == 'table_row' else 'passage'}"


def _quotes(q: Question) -> list[str]:
    return [" ".join(g["quote"].split()) for g in q.gold]


def chosen_and_right(answerer: Answerer, chooser: Chooser, documents: dict[str, str],
                     q: Question) -> tuple[Candidate, Candidate]:
    """Of a `not chosen` miss answered: the candidate the answer picks (`Chooser.ranked`'s first,
    as `Chooser` answers) and the right one it ranks first."""
    s = answerer.searcher
    info, _filters, keep = s.prepare(q.question, q.municipality)
    hits = s.collapse(s.rank(info, keep), 10)
    found = chooser.candidates(info, hits, answerer._rules(q.question, info, hits))
    spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
    order = chooser.ranked(found, info.yes_no)[1]
    right = next(i for i in order if label(s, spans, q, found[i]))
    return found[order[0]], found[right]


def why_not_chosen(s: Searcher, best: Candidate, right: Candidate) -> str:
    """Of a `not chosen` miss: what the chosen candidate is against the right one
    (`chosen_and_right`)."""
    if best.kind != right.kind:
        return f"{best.kind} over {right.kind}"
    if best.kind == "sentence":
        return "other sentence"
    if best.n == right.n:
        return "right row, wrong column"
    header = [s.table(s.passages[c.n]["table_id"])["columns"][c.col] or "" for c in (best, right)]
    return "right column, wrong row" if header[0] == header[1] else "other row and column"


_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def describe(s: Searcher, c) -> dict:
    """Where a candidate stands: its document, section, table, row and column, or its sentence."""
    p = s.passages[c.n]
    doc = s.docs[p["doc_id"]]
    out = {"doc": doc.title, "year": doc.year, "municipality": doc.municipality,
           "section": p["section"] or "", "kind": c.kind, "n": c.n}
    if c.kind == "cell":
        table = s.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        out |= {"table": p["table_id"], "title": table["title"] or "", "row": p["row_index"],
                "label": row_name(row), "groups": " / ".join(g for g in row["groups"] if g),
                "header": table["columns"][c.col] or "", "value": row["cells"][c.col]["text"]}
    else:
        out["text"] = printed(s, p)[c.start:c.end]
    return out


def _where(d: dict) -> str:
    return " ".join(d.get(k, "") for k in ("doc", "section", "title", "groups", "header", "text"))


def pair_class(best: dict, right: dict) -> str:
    """What tells the chosen candidate from the right one, the first that applies: another
    organisation (the group or a company named where the right one names none, another
    municipality's document), another period (another document year where no year is printed,
    another year or role — budget, actual, forecast — in the column or the sentence), another row
    of the same table, another table, a sentence of another passage, or of the same passage."""
    if best["municipality"] != right["municipality"] or \
            bool(NAMES_GROUP.search(_where(best))) != bool(NAMES_GROUP.search(_where(right))):
        return "another organisation"
    years = [set(_YEARS.findall(d.get("header", "") or d.get("text", ""))) for d in (best, right)]
    roles = [bool(BUDGET_COLUMN.search(d.get("header", ""))) for d in (best, right)]
    if (years[0] and years[1] and years[0] != years[1]) or roles[0] != roles[1] or \
            (best["n"] == right["n"] and best["kind"] == "cell" == right["kind"]):
        return "another period or role"
    if best["kind"] == right["kind"] == "cell":
        if best["table"] == right["table"]:
            return "another row, same table"
        return "another table" + (", another year's document" if best["year"] != right["year"] else "")
    if best["n"] == right["n"]:
        return "same passage"
    return f"{best['kind']} over {right['kind']}, another passage" + \
        (", another year's document" if best["year"] != right["year"] else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", default="train", choices=READABLE)
    ap.add_argument("--show", action="store_true", help="one line per miss")
    ap.add_argument("--why", action="store_true", help="sort the `not chosen` misses further")
    ap.add_argument("--ranks", action="store_true",
                    help="rank the `retrieval` misses' first gold result (11–30, 31–100, past 100)")
    ap.add_argument("--pairs", action="store_true",
                    help="the `not chosen` misses' best candidate against the right one, classed")
    args = ap.parse_args()
    searcher = Searcher.open(Settings())
    answerer = Answerer(searcher)
    chooser = answerer.chooser or Chooser(searcher, answerer.cells.asked, answerer.rare_coverage)
    documents = searcher.document_texts()
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    why: collections.Counter = collections.Counter()
    for q in sets()[args.set]:
        if q.value is None:
            continue
        out = answerer.ask(q.question, municipality=q.municipality)
        kind = "right" if figure_right(q, out) else classify(answerer, chooser, documents, q, out)
        counts[q.intent or q.category][kind] += 1
        if kind == "not chosen" and (args.why or args.pairs):
            # the chosen and the right candidate once, for both sortings (the class tested
            # before either renames it)
            picked = chosen_and_right(answerer, chooser, documents, q) if out["found"] else None
            tags = [f"({why_not_chosen(searcher, *picked) if picked else 'declined'})"] if args.why else []
            if args.pairs and picked:
                best, right = (describe(searcher, c) for c in picked)
                tags.append(f"[{pair_class(best, right)}]")
                print(f"{q.id} not chosen {tags[-1]}: {q.question} | gold {q.value}\n"
                      f"  chosen {best}\n  right  {right}")
            kind = " ".join(["not chosen", *tags])
            why[kind] += 1
        if args.ranks and kind == "retrieval":
            kind = f"retrieval ({retrieval_place(answerer, documents, q)})"
            why[kind] += 1
        if args.show and kind != "right":
            print(f"{q.id} [{q.intent}] {kind}: {q.question} | gold {q.value} | "
                  f"{out['answer_type']}: {(out['answer'] or out.get('reason') or '')[:150]}")
    head = ("right", *CLASSES)
    print("| intent | questions | " + " | ".join(head) + " |")
    print("|---" * (len(head) + 2) + "|")
    total: collections.Counter = collections.Counter()
    for intent in sorted(counts):
        total.update(counts[intent])
        print(f"| {intent} | {sum(counts[intent].values())} | "
              + " | ".join(str(counts[intent][k]) for k in head) + " |")
    print(f"| all | {sum(total.values())} | " + " | ".join(str(total[k]) for k in head) + " |")
    for kind, n in why.most_common():
        print(f"{kind}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
