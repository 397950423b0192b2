"""Every numeric column of a PDF table that has no header, one a line (issue #15).

    .venv/bin/python eval/unheaded_columns.py [--corpus corpus] [--out var/unheaded.tsv]

The measure is eval/bench_fidelity.py's (`numeric_columns`): a column whose filled cells are at
least half numbers. Each line: file, page of the table, table title, column index, number of
columns, the table's headers, the column's first cells, the first row's label and the layout
class (`layout_class`), tab-separated, in the order the
benchmark walks the tables. Used to sort the unheaded columns into layout classes by eye.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.bench_fidelity import numeric_columns, parse_corpus  # noqa: E402

SCORES = frozenset("12345")
GOAL_WORDS = ("Nykyarvo", "Tavoitearvo", "Toteuma", "Mittari", "Lähtötaso", "Tavoitetaso")


def layout_class(table, k: int, filled: list[str]) -> str:
    """The layout class of an unheaded numeric column, by rule: a goal table's score (its last
    column, every cell a score 1–5, beside the traffic light: no header printed); another
    column of a goal grid (Seinäjoki's toteutumisvertailu: a grid of wrapped text cut into
    parts, a parser miss); else "other" (sorted by eye, eval/RESULTS.md)."""
    goal = any(w in h for h in table.columns for w in GOAL_WORDS) or \
        table.title.startswith(("Tulosalue", "Palvelukeskus", "Kaupungin omistusosuus",
                                "TOIMINNALLISET", "Toimiala"))
    if k == len(table.columns) - 1 and filled and all(c in SCORES for c in filled) and goal:
        return "goal score"
    return "goal grid" if goal else "other"


def unheaded(corpus: Path) -> list[tuple]:
    out = []
    for doc in parse_corpus(corpus).values():
        for table in doc.tables:
            rows = [r for r in table.rows if not r.is_group]
            for k in numeric_columns(table):
                if table.columns[k]:
                    continue
                first = [r.cells[k].text for r in rows if k < len(r.cells) and r.cells[k].text]
                out.append((doc.source_file, table.page, table.title[:60], k, len(table.columns),
                            " | ".join(table.columns)[:120], " · ".join(first[:4])[:80],
                            (rows[0].label[:40] if rows else ""), layout_class(table, k, first)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "var" / "unheaded.tsv"))
    args = ap.parse_args()
    rows = unheaded(Path(args.corpus))
    lines = ["\t".join(str(v) for v in row) for row in rows]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    classes = Counter(row[-1] for row in rows)
    print(f"{len(lines)} unheaded numeric columns → {args.out}; by class: " +
          ", ".join(f"{c} {n}" for c, n in classes.most_common()))


if __name__ == "__main__":
    main()
