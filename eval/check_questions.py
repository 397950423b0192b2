"""Checks an answer question set (eval/answers.json) against the index's documents and tables,
reading the data only (no search, no answers):

    .venv/bin/python eval/check_questions.py [FILE]

- ids unique; each question has the fields and an intent of the closed set, an unanswerable one
  a why_unanswerable (`format_errors`, which tests/test_question_sets.py runs on every set);
- every gold quote is found (whitespace normalised; or by its row's leading cells, a warning:
  eval.evaluate.located, as the benchmark) in the text of a document whose source_file
  contains its `file`;
- a figure question's value.number equals a parsed cell number of a table row whose printed
  span overlaps a gold quote's span (a cell), or, with "computed": true, the difference (either
  order), sum, or percent change of two such cells of different gold quotes or rows; a figure stated only in
  prose
  (no table row under the quote) must be written in the quote itself;
- a list question has one gold quote and one item per municipality, at least two places, and
  each item's number is a cell of its quoted row or written in its quote;
- a PDF quote is also looked for in `pdftotext` of its page(s) (plain and -layout): a quote
  found in neither, even with all whitespace removed, is reported as possibly garbled index text
  (a warning); one that matches only without whitespace is listed as a spacing difference;
- counts per intent, language, answerable and split are printed, and the documents covered.
Exit 1 when any error is found.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.search import Searcher  # noqa: E402
from eval.evaluate import located  # noqa: E402
from indexer.settings import Settings  # noqa: E402
from indexer.tables import parse_number  # noqa: E402

INTENTS = {"status", "figure_amount", "figure_difference", "figure_share", "figure_per_capita",
           "figure_count", "goal", "reason", "who", "when", "decision", "list", "unanswerable"}
LANGUAGES = {"fi", "en", "sv"}
ROOT = Path(__file__).resolve().parent.parent


def close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1e-6, 1e-9 * abs(b))


def numbers_in(text: str) -> list[float]:
    out = []
    for m in re.finditer(r"-?\s?\d{1,3}(?:[ \u00a0.]\d{3})+(?:,\d+)?|-?\d+(?:,\d+)?", text):
        got = parse_number(m.group(0))
        if got:
            out.append(got[0])
    return out


class Data:
    def __init__(self, s: Searcher) -> None:
        self.s = s
        self.texts = s.document_texts()
        self.rows: dict[str, list[tuple[int, int, list[float]]]] = {}
        for p in s.passages:
            if p["kind"] != "table_row":
                continue
            row = s.table(p["table_id"])["rows"][p["row_index"]]
            nums = [c["number"] for c in row["cells"] if c.get("number") is not None]
            self.rows.setdefault(p["doc_id"], []).append((p["start"], p["end"], nums))
        self.pages: dict[str, list] = {}
        for r in s.con.execute("SELECT id, pages_json FROM documents"):
            self.pages[r["id"]] = json.loads(r["pages_json"] or "[]")
        self._pdf: dict[tuple[str, int, bool], str] = {}

    def row_numbers(self, doc_id: str, a: int, b: int) -> list[list[float]]:
        return [nums for s0, e0, nums in self.rows.get(doc_id, []) if s0 < b and a < e0]

    def page_of(self, doc_id: str, offset: int) -> int | None:
        for k, pg in enumerate(self.pages.get(doc_id, [])):
            start = pg.get("start") if isinstance(pg, dict) else None
            end = pg.get("end") if isinstance(pg, dict) else None
            if start is not None and end is not None and start <= offset < end:
                return pg.get("number", k + 1)
        return None

    def pdftotext(self, source: str, page: int, layout: bool) -> str:
        key = (source, page, layout)
        if key not in self._pdf:
            cmd = ["pdftotext", "-f", str(page), "-l", str(page + 1)] + (["-layout"] if layout else [])
            path = ROOT / "corpus" / source
            try:
                out = subprocess.run(cmd + [str(path), "-"], capture_output=True, text=True,
                                     timeout=60).stdout
            except (OSError, subprocess.SubprocessError):
                out = ""
            self._pdf[key] = " ".join(out.replace("\u00ad", "").replace("\u200b", "").split())
        return self._pdf[key]


def format_errors(qs: list[dict]) -> list[str]:
    """What is wrong with a question set's form, reading no document: ids unique; the fields,
    an intent of the closed set and a language; gold for an answerable question and none (with a
    reason) for an unanswerable one; a figure question's value.number (and value.also, the
    other figures that count as right, a list of numbers)."""
    errors = [f"{i}: id used {n} times" for i, n in Counter(q.get("id") for q in qs).items() if n > 1]
    for q in qs:
        qid = q.get("id")
        intent = q.get("intent") or q.get("category")
        errors += [f"{qid}: no {f}" for f in ("question", "language", "answerable", "gold") if f not in q]
        if intent not in INTENTS:
            errors.append(f"{qid}: unknown intent {intent!r}")
        if q.get("language") not in LANGUAGES:
            errors.append(f"{qid}: language {q.get('language')!r}")
        if (intent == "unanswerable") == bool(q.get("answerable")):
            errors.append(f"{qid}: intent {intent} but answerable {q.get('answerable')}")
        if not q.get("answerable"):
            if q.get("gold"):
                errors.append(f"{qid}: unanswerable with gold")
            if not q.get("why_unanswerable"):
                errors.append(f"{qid}: unanswerable without why_unanswerable")
            continue
        if not q.get("gold"):
            errors.append(f"{qid}: answerable without gold")
        num = (q.get("value") or {}).get("number")
        if intent and intent.startswith("figure_") and not isinstance(num, (int, float)):
            errors.append(f"{qid}: figure without value.number")
        also = (q.get("value") or {}).get("also", [])
        if not isinstance(also, list) or not all(isinstance(a, (int, float)) for a in also):
            errors.append(f"{qid}: value.also {also!r} is not a list of numbers")
    return errors


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", default=str(ROOT / "eval" / "answers.json"))
    ap.add_argument("--no-pdf", action="store_true", help="skip the pdftotext comparison")
    args = ap.parse_args()
    data = json.loads(Path(args.file).read_text(encoding="utf-8"))
    qs = data["questions"]
    d = Data(Searcher.open(Settings()))
    errors = format_errors(qs)
    warnings = [f"{q.get('id')}: no split" for q in qs if q.get("split") not in ("train", "test")]
    spacing: list[str] = []
    covered: Counter[str] = Counter()
    for q in qs:
        qid = q.get("id")
        intent = q.get("intent") or q.get("category")
        if not q.get("answerable"):
            continue
        spans = []
        for g in q.get("gold", []):
            found, whole = located(d.s, d.texts, g)  # as the benchmark finds it
            if not found:
                errors.append(f"{qid}: quote not found in {g['file']!r}: {g['quote'][:80]!r}")
                continue
            if not whole:
                warnings.append(f"{qid}: quote found by its row's leading cells only (`located`)")
            spans.append(found)
            for doc_id, a, _b in found[:1]:
                doc = d.s.docs[doc_id]
                covered[doc.source_file] += 1
                if doc.source_file.endswith(".pdf") and not args.no_pdf:
                    page = d.page_of(doc_id, a)
                    if page is None:
                        continue
                    qn = " ".join(g["quote"].split())
                    pdf = [d.pdftotext(doc.source_file, p, lay)
                           for p in (page - 1, page) if p >= 1 for lay in (False, True)]
                    if any(qn in t for t in pdf):
                        continue
                    bare = "".join(qn.split())
                    if any(bare in "".join(t.split()) for t in pdf):
                        spacing.append(qid)  # the same characters, spaced differently
                    else:
                        warnings.append(f"{qid}: quote not in pdftotext p. {page} of {doc.source_file}"
                                        f" (garbled?): {qn[:70]!r}")
        if intent and intent.startswith("figure_"):
            num = (q.get("value") or {}).get("number")
            if not isinstance(num, (int, float)):
                continue  # a format error
            per_quote = [[nums for doc_id, a, b in found for nums in d.row_numbers(doc_id, a, b)]
                         for found in spans]
            cells = [x for rows in per_quote for nums in rows for x in nums]
            if q.get("computed"):
                ops = [[x for nums in rows for x in nums] for rows in per_quote]
                if len(ops) == 1:  # both operands on one printed row
                    ops = ops * 2
                ok = any(close(num, r) for i, xs in enumerate(ops) for j, ys in enumerate(ops)
                         if i != j or len(spans) == 1 for x in xs for y in ys
                         for r in (x - y, x + y, (x - y) / y * 100 if y else float("nan")))
                if not ok:
                    errors.append(f"{qid}: computed {num} is no difference/sum/change of the cells")
            elif cells:
                if not any(close(num, x) for x in cells):
                    errors.append(f"{qid}: {num} is not a cell of the quoted row(s) {cells[:12]}")
            else:
                if not any(close(num, x) for g in q["gold"] for x in numbers_in(g["quote"])):
                    errors.append(f"{qid}: {num} not written in the prose quote")
        if intent == "list":
            items = q.get("items") or []
            places = {it.get("municipality") for it in items}
            if len(places) < 2 or len(items) != len(places):
                errors.append(f"{qid}: list needs one item per municipality, ≥ 2")
            if len(q.get("gold", [])) < len(places):
                errors.append(f"{qid}: list needs a gold quote per municipality")
            for it in items:  # an item's number: a cell of its quoted row, or written in its quote
                if it.get("number") is None:
                    continue
                mine = [(g, found) for g, found in zip(q["gold"], spans, strict=False)
                        if g["quote"] == it.get("quote")]
                nums = [x for g, found in mine for doc_id, a, b in found
                        for row in d.row_numbers(doc_id, a, b) for x in row]
                nums += [x for g, found in mine for x in numbers_in(g["quote"])]
                if not any(close(it["number"], x) for x in nums):
                    errors.append(f"{qid}: item {it.get('municipality')} number {it['number']} "
                                  "not in its quote")
    by_intent = Counter(q.get("intent") or q.get("category") for q in qs)
    by_lang = Counter(q.get("language") for q in qs)
    by_split = Counter(q.get("split") for q in qs)
    print(f"{len(qs)} questions; answerable {sum(1 for q in qs if q.get('answerable'))}")
    print("intent:", dict(sorted(by_intent.items())))
    print("language:", dict(sorted(by_lang.items())))
    print("split:", dict(by_split))
    split_intent = Counter((q.get("split"), q.get("intent")) for q in qs)
    ordered = sorted(split_intent.items(), key=lambda kv: (kv[0][1], str(kv[0][0])))
    print("split × intent:", {f"{k[1]}/{k[0]}": v for k, v in ordered})
    figure = sum(v for k, v in by_intent.items() if k and k.startswith("figure_"))
    print(f"figure {figure / len(qs):.0%}, non-Finnish {(len(qs) - by_lang['fi']) / len(qs):.0%}")
    missing = sorted(doc.source_file for doc in d.s.docs.values() if doc.source_file not in covered)
    print(f"documents with gold: {len(covered)} of {len(d.s.docs)}" +
          (f"; none for: {missing}" if missing else ""))
    print(f"municipalities asked about: {dict(Counter(q.get('municipality') or '-' for q in qs))}")
    if spacing:
        print(f"{len(spacing)} PDF quotes match pdftotext only up to spacing (the index splits or joins"
              f" text runs differently): {spacing}")
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("ERROR:", e)
    print(f"{len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
