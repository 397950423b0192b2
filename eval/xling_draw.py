"""The units the English/Swedish development set (eval/xling_dev.json) was written from: a
seeded pick from `eval/sample_units.py --json` of a new seed, spread over municipalities and
documents.

    .venv/bin/python eval/sample_units.py --seed 20261204 \
        --json > eval/out/units_20261204.jsonl
    .venv/bin/python eval/xling_draw.py eval/out/units_20261204.jsonl

The units are shuffled with random.Random(seed) and read in that order; a unit is taken when
its document gave fewer than ceil(PER_PLACE / the place's documents) (one, where the place
has PER_PLACE documents or more) and its municipality has fewer than PER_PLACE taken, half of each
place's cells and half prose where it has both (a cell while the place's cells are fewer than its
prose units, else prose). Each taken unit is printed in full, with the language its question is
to be written in: English and Swedish by turns in the drawn order.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from pathlib import Path

PER_PLACE = 7


def pick(units: list[dict], seed: int, per_place: int = PER_PLACE) -> list[dict]:
    """The taken units, in the drawn order (see the module's docstring)."""
    order = list(units)
    random.Random(seed).shuffle(order)
    has_cells = {u["municipality"] for u in units if u["kind"] == "cell"}
    files: dict[str, set[str]] = {}
    for u in units:
        files.setdefault(u["municipality"], set()).add(u["file"])
    taken: list[dict] = []
    for u in order:
        place = u["municipality"]
        mine = [t for t in taken if t["municipality"] == place]
        per_doc = math.ceil(per_place / len(files[place]))
        if len(mine) >= per_place or sum(t["file"] == u["file"] for t in mine) >= per_doc:
            continue
        cells = sum(t["kind"] == "cell" for t in mine)
        want_cell = place in has_cells and cells <= len(mine) - cells
        if (u["kind"] == "cell") != want_cell:
            continue
        taken.append(u)
    return taken


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("units", type=Path, help="output of sample_units.py --json")
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--per-place", type=int, default=PER_PLACE,
                    help="units a municipality at most (eval/xling_check.json: 4)")
    args = ap.parse_args()
    units = [json.loads(line) for line in args.units.read_text(encoding="utf-8").splitlines()]
    for n, u in enumerate(pick(units, args.seed, args.per_place)):
        lang = "en" if n % 2 == 0 else "sv"
        print(f"=== #{n} {lang} {u['unit']} page {u['page']} section {u['section'] or '-'}")
        if u["kind"] == "cell":
            print(f"table: {u['table']!r}  columns: {u['columns']}")
            print(f"row: {u['row']!r}  groups: {u['groups']}  column: {u['column']!r}  "
                  f"cell: {u['cell']!r} number {u['number']} unit {u['unit_of']}")
        print(u["text"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
