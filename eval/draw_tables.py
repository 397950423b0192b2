"""Random draw of PDF tables for the hand-checked gold set (issue #15), seed 20261202.

Population: every table the parser finds in the 16 PDF reports tracked in the repository, the
2 in corpus/kuntaparse/ and the 14 directly in corpus/lapua/ (the 94 minutes in corpus/lapua/
subfolders are not tracked, so a fresh clone could not rerun the gold set on them). Files are
taken in sorted path order and tables in document order.

Rule: a table is eligible when it has ≥ 2 rows and ≥ 1 cell that is a number. Tables spanning
pages are kept (their first page is the page drawn). `random.Random(SEED).sample` of N of the
eligible tables, listed in draw order; the gold set checks the first 40.

Usage: .venv/bin/python eval/draw_tables.py > eval/table_draws.tsv  (the list, as TSV)

The development set (eval/table_dev.json, what parser changes are worked from while the gold set
stays a test set) is drawn by the same rule with another seed, leaving out every page that holds
a gold table: .venv/bin/python eval/draw_tables.py --exclude-gold -n 20 (seed 20261203)
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.metadata import load_manifest  # noqa: E402
from indexer.models import Table  # noqa: E402
from indexer.parse import parse_file  # noqa: E402

CORPUS = ROOT / "corpus"
SEED = 20261202
N = 48  # a few spare draws beyond the 40 checked
DEV_SEED = 20261203
GOLD = ROOT / "eval" / "table_gold.json"


def gold_files() -> list[str]:
    """The PDFs the draw is taken from, as paths relative to corpus/."""
    paths = [*(CORPUS / "kuntaparse").glob("*.pdf"), *(CORPUS / "lapua").glob("*.pdf")]
    return sorted(str(p.relative_to(CORPUS)) for p in paths)


def tables(rel: str) -> list[Table]:
    doc = parse_file(CORPUS / rel, rel, load_manifest(CORPUS).get(rel), 10**9)
    return [b.table for b in doc.blocks if b.kind == "table" and b.table is not None]


def eligible(table: Table) -> bool:
    return len(table.rows) >= 2 and any(c.number is not None for r in table.rows for c in r.cells)


def gold_pages() -> set[tuple[str, int]]:
    """(file, page) of every gold table: the development draw leaves these pages out."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["tables"]
    return {(g["file"], g["page"]) for g in gold}


def draw(seed: int = SEED, n: int = N, exclude: frozenset[tuple[str, int]] = frozenset()
         ) -> tuple[list[tuple[str, Table]], list[tuple[str, Table]]]:
    """(all tables, the drawn ones in draw order)."""
    every = [(rel, t) for rel in gold_files() for t in tables(rel)]
    pool = [(rel, t) for rel, t in every
            if eligible(t) and not any((rel, r.page) in exclude for r in t.rows)]
    return every, random.Random(seed).sample(pool, n)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None,
                    help=f"default {SEED} (the gold draw), {DEV_SEED} with --exclude-gold")
    ap.add_argument("-n", type=int, default=N)
    ap.add_argument("--exclude-gold", action="store_true",
                    help="leave out the pages of the gold tables (for the development draw)")
    args = ap.parse_args()
    if args.seed is None:
        args.seed = DEV_SEED if args.exclude_gold else SEED
    exclude = frozenset(gold_pages()) if args.exclude_gold else frozenset()
    every, drawn = draw(args.seed, args.n, exclude)
    pool = sum(eligible(t) for _, t in every)
    out = sys.stdout
    out.write(f"# {len(every)} tables, {pool} eligible, seed {args.seed}, {args.n} drawn"
              f"{', gold pages left out' if exclude else ''}\n")
    out.write("draw\tfile\tpage\ttable_id\trows\tcolumns\tfirst_row\n")
    for i, (rel, t) in enumerate(drawn, 1):
        first = t.rows[0].label if t.rows else ""
        out.write(f"{i}\t{rel}\t{t.page}\t{t.id}\t{len(t.rows)}\t{len(t.columns)}\t{first}\n")


if __name__ == "__main__":
    main()
