"""Units drawn at random from every document of the index of corpus/, to write the answer
questions of eval/answers.json from: reading what the reports say, before the system is run.

    .venv/bin/python eval/sample_units.py --seed 20261201

Two kinds of unit, drawn for each document (documents in source-file order) with its own
random.Random(f"{seed}:{source_file}"):

- prose: a narrative passage, or a table row none of whose numbers sits under a named column
  (a goal table's row, or a row whose headers the PDF reconstruction lost), whose indexed
  passage text (for a row: with its context and column names) has at least 15 words;
- cell: one cell (row × column) of a table row whose cell has a parsed number and whose column
  has a non-empty header.

How many: prose max(2, ceil(P / 30)) and cells ceil(C / 15) with P the document's prose units
and C its table rows with at least one such cell (cells max(1, …) where C > 0), each capped at
what the document has; a document with fewer than 3 in all is topped up with prose (then cells)
to 3 where it has them. Each unit is printed with its file, municipality, period, page, section
and the document text span it comes from (the gold quote is copied from there); a cell also with
its table title, row label, group rows, column header, cell text, number and unit.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.search import Searcher  # noqa: E402
from indexer.settings import Settings  # noqa: E402

PROSE_PER = 30  # one prose unit per this many in the document
CELL_PER = 15  # one cell per this many rows with numeric cells


def cells_of(s: Searcher, p: dict) -> list[int]:
    """Column indexes of a table row's cells with a number under a non-empty header."""
    table = s.table(p["table_id"])
    row = table["rows"][p["row_index"]]
    cols = table["columns"]
    return [j for j, c in enumerate(row["cells"])
            if c.get("number") is not None and j < len(cols) and (cols[j] or "").strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--doc", help="only documents whose source file contains this")
    ap.add_argument("--json", action="store_true", help="one JSON object a line instead of text")
    args = ap.parse_args()
    s = Searcher.open(Settings())
    by_doc: dict[str, list[int]] = {}
    for n, p in enumerate(s.passages):
        by_doc.setdefault(p["doc_id"], []).append(n)
    total = 0
    for doc in sorted(s.docs.values(), key=lambda d: d.source_file):
        prose, rows = [], []
        for n in by_doc.get(doc.id, []):
            p = s.passages[n]
            if p["kind"] == "passage":
                if len(p["text"].split()) >= 15:
                    prose.append(n)
            elif p["kind"] == "table_row":
                cols = cells_of(s, p)
                if cols:
                    rows.append((n, cols))
                elif len(p["text"].split()) >= 15:
                    prose.append(n)
        rng = random.Random(f"{args.seed}:{doc.source_file}")
        n_prose = min(len(prose), max(2, math.ceil(len(prose) / PROSE_PER)))
        n_cells = min(len(rows), max(1, math.ceil(len(rows) / CELL_PER))) if rows else 0
        while n_prose + n_cells < 3 and (n_prose < len(prose) or n_cells < len(rows)):
            if n_prose < len(prose):
                n_prose += 1
            else:
                n_cells += 1
        picked_prose = rng.sample(prose, n_prose)
        picked_rows = rng.sample(rows, n_cells)
        if args.doc and args.doc not in doc.source_file:
            continue
        if args.json:
            for k, n in enumerate(picked_prose):
                p = s.passages[n]
                print(json.dumps({"unit": f"{doc.municipality}:{Path(doc.source_file).name}:P{k}",
                                  "file": doc.source_file, "municipality": doc.municipality,
                                  "page": p["page"], "section": p["section"], "kind": p["kind"],
                                  "text": s.text_span(p["doc_id"], p["start"], p["end"])},
                                 ensure_ascii=False))
            for k, (n, cols) in enumerate(picked_rows, start=len(picked_prose)):
                p = s.passages[n]
                j = rng.choice(cols)
                table = s.table(p["table_id"])
                row = table["rows"][p["row_index"]]
                cell = row["cells"][j]
                print(json.dumps({"unit": f"{doc.municipality}:{Path(doc.source_file).name}:C{k}",
                                  "file": doc.source_file, "municipality": doc.municipality,
                                  "page": p["page"], "section": p["section"], "kind": "cell",
                                  "table": table.get("title"), "columns": table["columns"],
                                  "row": row["label"], "groups": row.get("groups"),
                                  "column": table["columns"][j], "cell": cell["text"],
                                  "number": cell["number"],
                                  "unit_of": cell.get("unit"),
                                  "text": s.text_span(p["doc_id"], p["start"], p["end"])},
                                 ensure_ascii=False))
            continue
        print(f"##### {doc.source_file} ({doc.municipality}, {doc.title}, {doc.period}): "
              f"{len(prose)} prose units, {len(rows)} rows with numeric cells; "
              f"drawn {n_prose} prose, {n_cells} cells")
        k = 0
        for n in picked_prose:
            p = s.passages[n]
            print(f"=== {doc.municipality} P{k} {p['kind']} page {p['page']} section {p['section'] or '-'}")
            print(s.text_span(p["doc_id"], p["start"], p["end"]))
            k += 1
        for n, cols in picked_rows:
            p = s.passages[n]
            j = rng.choice(cols)
            table = s.table(p["table_id"])
            row = table["rows"][p["row_index"]]
            cell = row["cells"][j]
            print(f"=== {doc.municipality} C{k} cell page {p['page']} section {p['section'] or '-'}")
            print(f"table: {table.get('title')!r}  columns: {table['columns']}")
            print(f"row: {row['label']!r}  groups: {row.get('groups')}  column: {table['columns'][j]!r}"
                  f"  cell: {cell['text']!r} number {cell['number']} "
                  f"unit {cell.get('unit') or table.get('unit')}")
            print("printed row: " + s.text_span(p["doc_id"], p["start"], p["end"]))
            k += 1
        total += k
    if not args.json:
        print(f"##### {total} units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
