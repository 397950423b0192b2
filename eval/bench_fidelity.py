"""PDF text and table fidelity: every corpus PDF page against an independent extraction.

    .venv/bin/python eval/bench_fidelity.py [--corpus corpus] [--out eval/RESULTS.md]

Text: for every page of every corpus PDF, our page text (what quotes are copied from) is compared
word by word with poppler's `pdftotext` of the same page and with pdfium's plain page text
(`indexer/fidelity.py`): inserted words (ours only) and dropped words (the reference's only), the
running headers/footers we remove counted apart. Targets: inserted ≤ 0.1 %, dropped ≤ 0.5 %.
Writes a section of eval/RESULTS.md between markers.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.evaluate import write_section  # noqa: E402
from indexer.fidelity import (  # noqa: E402
    WordDiff,
    compare,
    pdfium_pages,
    pdftotext_available,
    poppler_pages,
    removed_lines,
)
from indexer.metadata import load_manifest  # noqa: E402
from indexer.models import Document, Table  # noqa: E402
from indexer.parse import parse_file  # noqa: E402
from indexer.tables import split_numbers  # noqa: E402


def page_texts(doc: Document) -> list[str]:
    return [doc.text[p.start:p.end] for p in doc.pages]


BOTH = "both agree (a word off against each reference)"


def _new_total() -> dict:
    return {"pages": 0, "reference": 0, "ours": 0, "inserted": 0, "dropped": 0, "removed": 0,
            "markers": 0, "pages_over_2pct": 0, "examples": Counter()}


def _add(t: dict, d: WordDiff) -> None:
    t["pages"] += 1
    t["reference"] += d.reference
    t["ours"] += d.ours
    t["inserted"] += len(d.inserted)
    t["dropped"] += len(d.dropped)
    t["removed"] += d.removed
    t["markers"] += d.markers
    t["examples"].update(d.inserted)
    if (len(d.inserted) + len(d.dropped)) / max(d.reference, 1) > 0.02 and d.reference >= 20:
        t["pages_over_2pct"] += 1


def _agreed(diffs: list[WordDiff]) -> WordDiff:
    """Inserted/dropped words that every reference finds: where the references disagree with
    each other (clipped text, a dash drawn as a line, "§1" against "§ 1"), the text layer
    itself is ambiguous."""
    ins = Counter(diffs[0].inserted)
    dro = Counter(diffs[0].dropped)
    for d in diffs[1:]:
        ins &= Counter(d.inserted)
        dro &= Counter(d.dropped)
    return WordDiff(min(d.reference for d in diffs), diffs[0].ours, tuple(sorted(ins.elements())),
                    tuple(sorted(dro.elements())), min(d.removed for d in diffs),
                    min(d.markers for d in diffs))


def text_fidelity(docs: dict[Path, Document]) -> tuple[dict[str, dict], list[tuple]]:
    """Totals per reference (and where they agree), and the pages that differ most."""
    refs = {"pdfium get_text_range": pdfium_pages}
    if pdftotext_available():
        refs = {"poppler pdftotext": poppler_pages, **refs}
    totals = {name: _new_total() for name in [*refs, BOTH]}
    worst: list[tuple] = []
    for path, doc in docs.items():
        removed = removed_lines(path)
        extracted = {name: extract(path) for name, extract in refs.items()}
        for number, ours in enumerate(page_texts(doc), start=1):
            diffs = [compare(ours, extracted[name][number - 1], removed[number - 1])
                     for name in refs]
            for name, d in zip(refs, diffs, strict=True):
                _add(totals[name], d)
            both = _agreed(diffs)
            _add(totals[BOTH], both)
            worst.append((len(both.inserted) + len(both.dropped), path.name, number,
                          both.inserted[:6], both.dropped[:6]))
    if len(refs) == 1:
        del totals[BOTH]
    worst.sort(reverse=True)
    return totals, [w for w in worst[:8] if w[0]]


def numeric_columns(table: Table) -> list[int]:
    """The table's numeric columns: at least half of their filled cells (group rows left out)
    are numbers."""
    rows = [r for r in table.rows if not r.is_group]
    out = []
    for k in range(len(table.columns)):
        filled = [r.cells[k] for r in rows if k < len(r.cells) and r.cells[k].text]
        numbers = sum(1 for c in filled if c.number is not None)
        if numbers and 2 * numbers >= len(filled):
            out.append(k)
    return out


def table_structure(docs: Iterable[Document]) -> dict:
    """Numeric columns (at least half of their filled cells numbers) that have a header, and
    cells that hold two or more printed numbers ("9 183 636,30 303 340,32")."""
    out = {"tables": 0, "numeric_columns": 0, "headed": 0, "cells": 0, "two_number_cells": 0,
           "examples": [], "with_header_row": 0, "numeric_in_headed": 0, "headed_in_headed": 0}
    for doc in docs:
        for table in doc.tables:
            out["tables"] += 1
            rows = [r for r in table.rows if not r.is_group]
            has_header = any(table.columns)
            out["with_header_row"] += has_header
            for k in numeric_columns(table):
                header = table.columns[k]
                out["numeric_columns"] += 1
                out["headed"] += bool(header)
                out["numeric_in_headed"] += has_header
                out["headed_in_headed"] += bool(header) and has_header
            for r in rows:
                for c in r.cells:
                    out["cells"] += bool(c.text)
                    if c.number is None and len(split_numbers(c.text)) >= 2:
                        out["two_number_cells"] += 1
                        out["examples"].append(f"{doc.source_file.split('/')[-1]} p. {r.page}: "
                                               f"`{c.text}`")
    return out


def table_lines(t: dict, text: dict | None = None) -> list[str]:
    share = t["headed"] / max(t["numeric_columns"], 1)
    inner = t["headed_in_headed"] / max(t["numeric_in_headed"], 1)
    beside = [] if text is None else [
        "", f"Text exports beside them (the same measure): {text['headed']} of "
        f"{text['numeric_columns']} numeric columns headed "
        f"({text['headed'] / max(text['numeric_columns'], 1):.3f}), {text['two_number_cells']} "
        "two-number cells."]
    return [
        "Tables (every PDF table): numeric columns are those whose filled cells are at least half",
        "numbers. Targets: numeric columns with a header ≥ 0.95; no cell holding two numbers.",
        "The same share over the tables the parser found a header row for (at least one column",
        "headed) is shown beside it, as a second reading, not the target's measure.",
        "",
        "| tables | numeric columns | with a header | share | filled cells | two-number cells |"
        " tables with a header row | their numeric columns headed |",
        "|---|---|---|---|---|---|---|---|",
        f"| {t['tables']} | {t['numeric_columns']} | {t['headed']} | {share:.3f} | {t['cells']} | "
        f"{t['two_number_cells']} | {t['with_header_row']} | {t['headed_in_headed']}/"
        f"{t['numeric_in_headed']} ({inner:.3f}) |",
        *([""] + [f"- {e}" for e in t["examples"][:5]] if t["examples"] else []),
        *beside,
    ]


def table_checks(docs: list[Document]) -> dict:
    """Rows that hold where one of their table's identities applies (indexer/checks.py)."""
    out = {"tables": 0, "with_checks": 0, "rows": 0, "hold": 0, "kinds": Counter()}
    for doc in docs:
        for table in doc.tables:
            out["tables"] += 1
            out["with_checks"] += bool(table.checks)
            out["kinds"].update(c.kind for c in table.checks)
            for r in table.rows:
                if r.checked:
                    out["rows"] += 1
                    out["hold"] += not r.failed_checks
    return out


def check_lines(pdf: dict, text: dict) -> list[str]:
    def row(name: str, t: dict) -> str:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(t["kinds"].items()))
        return (f"| {name} | {t['tables']} | {t['with_checks']} ({kinds}) | {t['rows']} | "
                f"{t['hold']} | {t['hold'] / max(t['rows'], 1):.3f} |")

    return [
        "Table checks: the identities a table obeys (difference, percent, change %, Yhteensä =",
        "sum of the rows above; one that holds for ≥ 60 % of at least three rows), and the rows",
        "that hold where one applies. Target ≥ 0.97 on PDF tables.",
        "",
        "| tables | count | with an identity (kinds) | rows checked | rows that hold | share |",
        "|---|---|---|---|---|---|",
        row("PDF", pdf),
        row("text exports", text),
    ]


def conflict_lines(docs: list[Document]) -> list[str]:
    found = [(doc, t, r, k, c) for doc in docs for t in doc.tables for r in t.rows
             for k, c in r.conflicts]
    rows = {(doc.id, t.id, r.start) for doc, t, r, _, _ in found}
    lines = [
        "Conflicting figures: the same row label and period printed with another value elsewhere",
        "in the same document (two printings agreeing on another, distinctive figure;",
        f"`indexer/conflicts.py`): {len(found)} figures in {len(rows)} rows.",
        "",
    ]
    shown: set[tuple] = set()
    for doc, t, r, k, c in found:
        key = tuple(sorted([(r.page, r.label), (c.page, r.label)]))
        if key in shown:
            continue
        shown.add(key)
        lines.append(f"- {doc.source_file.split('/')[-1]}: {r.label} · {t.columns[k]}: "
                     f"{r.cells[k].text} (p. {r.page}) against {c.value} (p. {c.page})")
    return lines


def parse_corpus(corpus: Path) -> dict[Path, Document]:
    manifest = load_manifest(corpus)
    docs = {}
    for path in sorted(corpus.rglob("*.pdf")):
        rel = path.relative_to(corpus).as_posix()
        docs[path] = parse_file(path, rel, manifest.get(rel), 10**9)
    return docs


def parse_texts(corpus: Path) -> list[Document]:
    manifest = load_manifest(corpus)
    return [parse_file(p, p.relative_to(corpus).as_posix(),
                       manifest.get(p.relative_to(corpus).as_posix()), 10**9)
            for p in sorted(corpus.rglob("*.txt"))]


def text_lines(totals: dict[str, dict], worst: list[tuple]) -> list[str]:
    lines = [
        "Text: our page text against an independent extraction of the same page, word by word",
        "(difflib alignment, then words read in another order matched as a bag; the running",
        "headers/footers we remove on purpose and the bullets of list items counted apart;",
        "dot leaders and line-break hyphenation normalised on both sides). Target: inserted ≤ 0.1 %,",
        "dropped ≤ 0.5 %.",
        "",
        "| reference | pages | reference words | inserted | dropped | headers/footers removed |"
        " list bullets | pages > 2 % off |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, t in totals.items():
        ref = max(t["reference"], 1)
        lines.append(
            f"| {name} | {t['pages']} | {t['reference']} | {t['inserted']} "
            f"({100 * t['inserted'] / ref:.2f} %) | {t['dropped']} "
            f"({100 * t['dropped'] / ref:.2f} %) | {t['removed']} | {t['markers']} | "
            f"{t['pages_over_2pct']} |")
    if "poppler pdftotext" not in totals:
        lines += ["", "(poppler-utils not installed: `scripts/install-system.sh` installs it.)"]
    first = totals.get(BOTH) or next(iter(totals.values()))
    common = ", ".join(f"`{w}` ×{n}" for w, n in first["examples"].most_common(8))
    lines += ["", f"Most frequent inserted words: {common or 'none'}."]
    if worst:
        lines += ["", "Pages that differ most (words off against every reference; inserted / dropped,",
                  "first few):", ""]
        lines += [f"- {name} p. {n}: {k} words — +{list(ins)} −{list(dro)}"
                  for k, name, n, ins, dro in worst]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs = parse_corpus(Path(args.corpus))
    totals, worst = text_fidelity(docs)
    texts = parse_texts(Path(args.corpus))
    lines = [f"### PDF fidelity ({time.strftime('%Y-%m-%d')})", "",
             "Command: `.venv/bin/python eval/bench_fidelity.py`.", "",
             *text_lines(totals, worst), "",
             *table_lines(table_structure(docs.values()), table_structure(texts)), "",
             *check_lines(table_checks(list(docs.values())),
                          table_checks(texts)), "",
             *conflict_lines([*docs.values(), *texts]), "",
             f"({time.perf_counter() - t0:.0f} s for the whole benchmark.)"]
    print(write_section(Path(args.out), "bench_fidelity", lines))


if __name__ == "__main__":
    main()
