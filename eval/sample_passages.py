"""Passages drawn at random from the index of corpus/, to write held-out questions from
(eval/heldout.json): reading what the system would rank, not what it ranked.

    .venv/bin/python eval/sample_passages.py --seed 20261123 [--count 45]

Table summaries and passages under 15 words are skipped; each passage is printed with its file,
page and section, and the document text it quotes (the gold quote comes from there).
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.search import Searcher  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=45)
    args = ap.parse_args()
    s = Searcher.open(Settings())
    order = list(range(s.n))
    random.Random(args.seed).shuffle(order)
    shown = 0
    for n in order:
        p = s.passages[n]
        if p["kind"] == "table" or len(p["text"].split()) < 15:
            continue
        doc = s.docs[p["doc_id"]]
        print(f"=== #{shown} {doc.source_file} ({doc.municipality}), page {p['page']}, {p['kind']}, "
              f"section {p['section'] or '-'}")
        print(s.text_span(p["doc_id"], p["start"], p["end"]))
        shown += 1
        if shown == args.count:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
