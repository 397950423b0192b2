"""How the goal boxes of the corpus PDFs read, counted (issue #16, round 12), and which table
cells' units differ between two trees.

    .venv/bin/python eval/goal_boxes.py [--corpus corpus] [--units OUT.json]
    .venv/bin/python eval/goal_boxes.py --compare A.json B.json

Parses every corpus PDF with the tree it runs in (`PYTHONPATH=<a worktree at another commit>`
measures that commit's parser the same way) and prints, over the text blocks and tables:

- *read across*: paragraphs holding a goal box's two column names as one line
  ("Talousarviotavoite Tilannekuvaus ja riskiarvio"): the box read line by line across both
  columns, not cell by cell;
- *a name run on*: paragraphs opening with a box's column name and going on ("Talousarviotavoite
  Lapsiystävällisen …");
- *mittari headers holding prose*: of the tables headed "Mittari/mittarit", those whose printed
  header holds words of the text above it (a word ending a sentence, or words before
  "Mittari/mittarit").

`--units OUT.json` also writes every numeric cell's unit (file, page, table title, row label,
column, text → unit); `--compare A.json B.json` counts the cells two such files give another
unit, by (unit in A, unit in B, row label). Writes nothing else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.bench_fidelity import parse_corpus  # noqa: E402

_NAMES = ("Talousarviotavoite", "Tilannekuvaus ja riskiarvio")
_ACROSS = " ".join(_NAMES)
_RUN_ON = re.compile(r"^(?:Strateginen valinta )?(?:Talousarviotavoite|Tilannekuvaus ja riskiarvio) \S")
_PROSE_WORD = re.compile(r"[a-zåäö]{3,}\.(?:\s|$)")


def counts(corpus: Path) -> tuple[Counter, dict[str, str | None]]:
    found: Counter = Counter()
    units: dict[str, str | None] = {}
    for path, doc in parse_corpus(corpus).items():
        for b in doc.blocks:
            if b.kind != "table":
                found["read across"] += _ACROSS in b.text
                found["a name run on"] += bool(_RUN_ON.match(b.text)) and _ACROSS not in b.text
                continue
            header = b.text.split("\n", 1)[0]
            if "Mittari/mittarit" in header:
                found["mittari tables"] += 1
                found["mittari headers holding prose"] += bool(
                    _PROSE_WORD.search(header) or not header.startswith("Mittari/mittarit"))
            for r in b.table.rows:
                for h, c in zip(b.table.columns, r.cells, strict=False):
                    if c.number is not None:
                        key = f"{path.name}|{b.page}|{b.table.title}|{r.label}|{h}|{c.text}"
                        units[key] = c.unit
    return found, units


def compare(a: dict[str, str | None], b: dict[str, str | None]) -> Counter:
    return Counter((a[k], b[k], k.split("|")[3]) for k in a.keys() & b.keys() if a[k] != b[k])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--units", type=Path)
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    args = ap.parse_args()
    if args.compare:
        a, b = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        changed = compare(a, b)
        print(f"{sum(changed.values())} cells of {len(a.keys() & b.keys())} in both give another unit")
        for (was, now, label), n in changed.most_common():
            print(f"  {n:3d}  {was} → {now}  {label}")
        return 0
    found, units = counts(args.corpus)
    for name in ("read across", "a name run on", "mittari tables", "mittari headers holding prose"):
        print(f"{name}: {found[name]}")
    if args.units:
        args.units.write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
        print(f"{len(units)} numeric cells' units → {args.units}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
