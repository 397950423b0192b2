"""Parse + chunk throughput on the corpus PDFs, and the extractor comparison behind the choice.

    .venv/bin/python eval/bench_parse.py [--corpus corpus] [--out eval/RESULTS.md]

Measures (1) raw text extraction pages/s for pypdf, pdfplumber (words) and pypdfium2 (text runs)
on one core, over a sample of pages; (2) the whole parse + chunk pipeline (pypdfium2 runs →
lines → tables/passages) over every corpus PDF on all cores, the way `kuntahaku index` runs it.
Embedding is excluded. Writes a section of eval/RESULTS.md between markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eval.evaluate import write_section  # noqa: E402
from indexer.chunk import passages  # noqa: E402
from indexer.metadata import load_manifest  # noqa: E402
from indexer.parse import parse_file  # noqa: E402


def extractor_rates(pdfs: list[Path]) -> dict[str, float]:
    import pdfplumber
    import pypdfium2 as pdfium
    from pypdf import PdfReader

    by_file: dict[Path, list[int]] = {}
    for path in pdfs:
        n = len(PdfReader(str(path)).pages)
        by_file[path] = list(range(0, n, max(1, n // 6)))[:6]
    rates = {}

    def timed(fn) -> float:
        t0, pages = time.perf_counter(), 0
        for path, idx in by_file.items():
            pages += fn(path, idx)
        return pages / (time.perf_counter() - t0)

    def pypdf_fn(path: Path, idx: list[int]) -> int:
        reader = PdfReader(str(path))
        for i in idx:
            reader.pages[i].extract_text()
        return len(idx)

    def plumber_fn(path: Path, idx: list[int]) -> int:
        with pdfplumber.open(str(path)) as pdf:
            for i in idx:
                pdf.pages[i].extract_words()
        return len(idx)

    def pdfium_fn(path: Path, idx: list[int]) -> int:
        pdf = pdfium.PdfDocument(str(path))
        for i in idx:
            tp = pdf[i].get_textpage()
            for r in range(tp.count_rects()):
                tp.get_text_bounded(*tp.get_rect(r))
        pdf.close()
        return len(idx)

    rates["pypdf extract_text()"] = timed(pypdf_fn)
    rates["pdfplumber extract_words()"] = timed(plumber_fn)
    rates["pypdfium2 text runs"] = timed(pdfium_fn)
    return rates


def _parse_one(args: tuple[Path, str, dict | None]) -> tuple[int, int, int, int]:
    path, rel, entry = args
    doc = parse_file(path, rel, entry, 10**9)
    ps = passages(doc)
    return (len(doc.pages), sum(1 for p in ps if p.kind == "passage"), len(doc.tables),
            sum(1 for p in ps if p.kind == "table_row"))


def pipeline(corpus: Path, workers: int) -> dict[str, float]:
    manifest = load_manifest(corpus)
    pdfs = sorted(corpus.rglob("*.pdf"), key=lambda p: -p.stat().st_size)
    jobs = [(p, p.relative_to(corpus).as_posix(), manifest.get(p.relative_to(corpus).as_posix()))
            for p in pdfs]
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_parse_one, jobs))
    seconds = time.perf_counter() - t0
    pages, narrative, tables, rows = (sum(r[i] for r in results) for i in range(4))
    return {"documents": len(pdfs), "pages": pages, "passages": narrative, "tables": tables,
            "table_rows": rows, "seconds": seconds, "pages_per_s": pages / seconds,
            "passages_per_s": (narrative + rows) / seconds, "workers": workers}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--out", default=str(ROOT / "eval" / "RESULTS.md"))
    args = ap.parse_args()
    corpus = Path(args.corpus)
    pdfs = sorted(corpus.rglob("*.pdf"))
    rates = extractor_rates(pdfs)
    workers = os.cpu_count() or 1
    run = pipeline(corpus, workers)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"### Parse + chunk throughput ({time.strftime('%Y-%m-%d')}, {machine})",
        "",
        "Command: `.venv/bin/python eval/bench_parse.py` (embedding excluded).",
        "",
        "Text extraction alone, one core, 6 pages sampled per corpus PDF:",
        "",
        "| extractor | pages/s |",
        "|---|---|",
        *[f"| {name} | {rate:.1f} |" for name, rate in rates.items()],
        "",
        f"Whole pipeline on all corpus PDFs, {run['workers']} worker processes:",
        "",
        "| PDFs | pages | narrative passages | tables | table rows | seconds | pages/s | passages/s |",
        "|---|---|---|---|---|---|---|---|",
        f"| {run['documents']} | {run['pages']} | {run['passages']} | {run['tables']} | "
        f"{run['table_rows']} | {run['seconds']:.1f} | {run['pages_per_s']:.1f} | "
        f"{run['passages_per_s']:.1f} |",
        "",
        "Target: ≥ 50 PDF pages/s on the 2-core machine.",
    ]
    print(write_section(Path(args.out), "bench_parse", lines))


if __name__ == "__main__":
    main()
