"""PDF tables against a hand-checked gold set (issue #15).

    .venv/bin/python eval/bench_tables.py [--gold eval/table_gold.json] [--out eval/RESULTS.md]
    .venv/bin/python eval/bench_tables.py --gold eval/table_dev.json --section bench_tables_dev

eval/table_gold.json holds 40 tables drawn at random (eval/draw_tables.py, seed 20261202) and
written down by eye from the rendered page. Each gold table is found again among the tables the
parser now gives for the same file and page (the one sharing most row labels), its rows are
aligned with the parsed rows by label (difflib, so repeated labels pair in order), and scored:

- header: share of the gold's numeric columns (a column with a cell that reads as a number) whose
  parsed header at the same position is equal;
- cell: share of the gold's non-empty cells equal to the parsed cell at the same row and position;
- label: share of gold rows paired with a parsed row of the same label;
- exact: tables whose headers, labels and every cell (empty ones too) all equal the gold.

Texts are compared with whitespace normalised, nothing else. Writes a section of eval/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.evaluate import write_section  # noqa: E402
from indexer.metadata import load_manifest  # noqa: E402
from indexer.models import Table  # noqa: E402
from indexer.parse import parse_file  # noqa: E402
from indexer.tables import parse_number  # noqa: E402

CORPUS = ROOT / "corpus"
GOLD = ROOT / "eval" / "table_gold.json"


def norm(text: str) -> str:
    return " ".join(text.split())


@cache
def parsed_tables(rel: str) -> tuple[Table, ...]:
    doc = parse_file(CORPUS / rel, rel, load_manifest(CORPUS).get(rel), 10**9)
    return tuple(b.table for b in doc.blocks if b.kind == "table" and b.table is not None)


def load_gold(path: Path = GOLD) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def _on_page(table: Table, page: int) -> bool:
    return table.page == page or any(r.page == page for r in table.rows)


def _labels(table: Table) -> list[str]:
    return [norm(r.label) for r in table.rows]


def find(gold: dict) -> Table | None:
    """The parsed table on the gold's page sharing most row labels with it (None if none does)."""
    want = [norm(r["label"]) for r in gold["rows"]]
    best, best_n = None, 0
    for t in parsed_tables(gold["file"]):
        if not _on_page(t, gold["page"]):
            continue
        n = sum(b.size for b in SequenceMatcher(None, want, _labels(t), autojunk=False)
                .get_matching_blocks())
        if n > best_n:
            best, best_n = t, n
    return best


def numeric_columns(gold: dict) -> list[int]:
    return [j for j in range(len(gold["columns"]))
            if any(parse_number(r["cells"][j]) is not None for r in gold["rows"])]


@dataclass(frozen=True)
class Score:
    found: bool
    headers: int  # gold numeric columns
    headers_ok: int
    cells: int  # gold non-empty cells
    cells_ok: int
    labels: int
    labels_ok: int
    exact: bool


def score(gold: dict, table: Table | None) -> Score:
    rows = gold["rows"]
    cols = numeric_columns(gold)
    n_cells = sum(1 for r in rows for c in r["cells"] if norm(c))
    if table is None:
        return Score(False, len(cols), 0, n_cells, 0, len(rows), 0, False)
    parsed_cols = [norm(c) for c in table.columns]
    headers_ok = sum(1 for j in cols
                     if j < len(parsed_cols) and parsed_cols[j] == norm(gold["columns"][j]))
    want = [norm(r["label"]) for r in rows]
    pairs = [(a + k, b + k) for a, b, size in
             SequenceMatcher(None, want, _labels(table), autojunk=False).get_matching_blocks()
             for k in range(size)]
    cells_ok = 0
    all_cells = True
    for i, j in pairs:
        got = [norm(c.text) for c in table.rows[j].cells]
        got = got or [""] * len(rows[i]["cells"])  # a label-only parsed row: all blank
        exp = [norm(c) for c in rows[i]["cells"]]
        cells_ok += sum(1 for k, c in enumerate(exp) if c and k < len(got) and got[k] == c)
        all_cells &= got == exp
    exact = (all_cells and len(pairs) == len(rows)
             and parsed_cols == [norm(c) for c in gold["columns"]])
    return Score(True, len(cols), headers_ok, n_cells, cells_ok, len(rows), len(pairs), exact)


def score_all(gold: list[dict]) -> list[Score]:
    return [score(g, find(g)) for g in gold]


def _pct(ok: int, n: int) -> str:
    return f"{ok}/{n} ({100 * ok / n:.1f} %)" if n else "–"


GOLD_ABOUT = [
    "Command: `.venv/bin/python eval/bench_tables.py`. Gold: `eval/table_gold.json`, "
    "{n} tables drawn by `eval/draw_tables.py` (seed 20261202, tables with ≥ 2 rows and",
    "≥ 1 numeric cell in the 16 tracked PDF reports) and written down by eye from the rendered",
    "page; long tables to row 15. Texts compared with whitespace normalised only.",
]
DEV_ABOUT = [
    "Command: `.venv/bin/python eval/bench_tables.py --gold eval/table_dev.json --section "
    "bench_tables_dev`. The development set the parser was worked from (the gold set above is",
    "the test set): {n} tables drawn by the same rule with seed 20261203, gold pages left out,",
    "read off their 80 dpi renders; scored as the gold set is.",
]


def lines(gold: list[dict], scores: list[Score], seconds: float, dev: bool = False) -> list[str]:
    tot = {f: sum(getattr(s, f) for s in scores)
           for f in ("headers", "headers_ok", "cells", "cells_ok", "labels", "labels_ok")}
    what = "the development set" if dev else "a hand-checked gold set"
    out = [
        f"### PDF tables against {what} ({time.strftime('%Y-%m-%d')}, "
        f"{platform.machine()}, Python {platform.python_version()})", "",
        *(line.replace("{n}", str(len(gold))) for line in (DEV_ABOUT if dev else GOLD_ABOUT)), "",
        "| tables | found | exact | header (numeric columns) | cell (non-empty) | row label |",
        "|---|---|---|---|---|---|",
        f"| {len(gold)} | {sum(s.found for s in scores)} | {sum(s.exact for s in scores)} | "
        f"{_pct(tot['headers_ok'], tot['headers'])} | {_pct(tot['cells_ok'], tot['cells'])} | "
        f"{_pct(tot['labels_ok'], tot['labels'])} |", "",
        "Per table (draw order):", "",
        "| # | file | page | first label | header | cell | label | exact |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for g, s in zip(gold, scores, strict=True):
        name = g["file"].split("/")[-1][:28]
        first = g["rows"][0]["label"][:32] if g["rows"] else ""
        out.append(f"| {g['draw']} | {name} | {g['page']} | {first} | "
                   f"{s.headers_ok}/{s.headers} | {s.cells_ok}/{s.cells} | "
                   f"{s.labels_ok}/{s.labels} | {'yes' if s.exact else ''} |")
    out += ["", f"({seconds:.0f} s for the whole benchmark.)"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    ap.add_argument("--section", default="bench_tables",
                    help="the RESULTS section to write (bench_tables_dev for the development set)")
    args = ap.parse_args()
    t0 = time.perf_counter()
    gold = load_gold(Path(args.gold))
    scores = score_all(gold)
    dev = args.section != "bench_tables"
    print(write_section(Path(args.out), args.section,
                        lines(gold, scores, time.perf_counter() - t0, dev)))


if __name__ == "__main__":
    main()
