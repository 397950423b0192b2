"""Every numeric column of a PDF table that has no header, one a line (issue #15).

    .venv/bin/python eval/unheaded_columns.py [--corpus corpus] [--out var/unheaded.tsv]
        [--verdicts eval/unheaded_verdicts.tsv]

The measure is eval/bench_fidelity.py's (`numeric_columns`): a column whose filled cells are at
least half numbers. Each line: file, page of the table, table title, column index, number of
columns, the table's headers, the column's first cells, the first row's label and the layout
class (`layout_class`), tab-separated, in the order the
benchmark walks the tables. Used to sort the unheaded columns into layout classes by eye.

With --verdicts (eval/unheaded_verdicts.tsv: file, page, column, columns, class, verdict, note;
the verdict, "printed" or "not printed", read by eye off each column's rendered page) it also
reports the share of numeric columns headed among those whose header is printed: the columns
judged "not printed" that are still unheaded leave the count. An unheaded column with no
verdict (matched by file, page, column and the table's number of columns) is named.
"""

from __future__ import annotations

import argparse
import csv
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


def unheaded(corpus: Path) -> tuple[list[tuple], int]:
    """The unheaded numeric columns, and how many numeric columns there are."""
    out = []
    numeric = 0
    for doc in parse_corpus(corpus).values():
        for table in doc.tables:
            rows = [r for r in table.rows if not r.is_group]
            columns = numeric_columns(table)
            numeric += len(columns)
            for k in columns:
                if table.columns[k]:
                    continue
                first = [r.cells[k].text for r in rows if k < len(r.cells) and r.cells[k].text]
                out.append((doc.source_file, table.page, table.title[:60], k, len(table.columns),
                            " | ".join(table.columns)[:120], " · ".join(first[:4])[:80],
                            (rows[0].label[:40] if rows else ""), layout_class(table, k, first)))
    return out, numeric


def printed_share(rows: list[tuple], verdicts: Path, numeric: int) -> str:
    """The headed share among the columns whose header is printed, from the by-eye verdicts."""
    with verdicts.open(encoding="utf-8") as fh:
        judged = {(r["file"], r["page"], r["column"], r["columns"]): r["verdict"]
                  for r in csv.DictReader(fh, delimiter="\t")}
    keys = [(str(r[0]), str(r[1]), str(r[3]), str(r[4])) for r in rows]
    found = Counter(judged.get(k, "no verdict") for k in keys)
    unjudged = [f"{r[0]} p. {r[1]} column {r[3]}/{r[4]}" for r, k in zip(rows, keys, strict=True)
                if k not in judged]
    printed = numeric - found["not printed"]
    headed = numeric - len(rows)
    return (f"unheaded by verdict: {dict(found)}; headed among columns whose header is printed: "
            f"{headed}/{printed} ({headed / printed if printed else float('nan'):.3f})" +
            "".join(f"\n  no verdict: {u}" for u in unjudged))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "var" / "unheaded.tsv"))
    ap.add_argument("--verdicts", nargs="?", const=str(ROOT / "eval" / "unheaded_verdicts.tsv"),
                    help="the by-eye verdicts per column (default with no path: eval/unheaded_verdicts.tsv)")
    args = ap.parse_args()
    rows, numeric = unheaded(Path(args.corpus))
    lines = ["\t".join(str(v) for v in row) for row in rows]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    classes = Counter(row[-1] for row in rows)
    print(f"{len(lines)} unheaded numeric columns → {args.out}; by class: " +
          ", ".join(f"{c} {n}" for c, n in classes.most_common()) + f" (of {numeric})")
    if args.verdicts:
        print(printed_share(rows, Path(args.verdicts), numeric))


if __name__ == "__main__":
    main()
