"""PDF pages → lines → headings, paragraphs, list items and tables.

Extraction choice (measured in eval/RESULTS.md): pypdf's `extract_text()` flattens many report
tables (all numbers first, labels later); pdfplumber rebuilds rows but runs at ~5 pages/s here.
pdfium (pypdfium2, already pdfplumber's renderer) hands out positioned text runs at >100 pages/s,
and the runs carry the geometry needed to rebuild rows and columns ourselves.

Per page: runs are grouped into lines by vertical overlap; a large horizontal gap splits a line
into cells. Lines repeated in the top/bottom margin on many pages are running headers/footers
(removed; a page number among them becomes the printed page label). Runs of lines whose cells hold
numbers become tables, with the header lines above them merged per column (`TOT 2023` + `9 kk`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterator

import pypdfium2 as pdfium

from indexer.blocks import DocBuilder
from indexer.pdf_columns import column_blocks, pair_blocks, rows
from indexer.pdf_headers import foot_header
from indexer.pdf_lines import (
    _BULLET,
    _LABEL_AT_END,
    _NUMBERED_HEADING,
    _PAGE_LABEL,
    _PARAGRAPH_MARK,
    MARGIN,
    Line,
    _heading_level,
    line_gap,
    page_lines,
    split_side_by_side,
)
from indexer.pdf_rules import fold_ruled, page_grids
from indexer.pdf_tables import (
    _caption,
    _continues,
    _emit_table,
    _group_start,
    _header_start,
    _is_year_line,
    _table_end,
    band_start,
    fold_wrapped_rows,
    in_header_band,
    is_unit_line,
    label_above,
    list_heading,
    rate_line,
    sparse_start,
    split_touching_values,
)


def running_keys(pages: list[tuple[list[Line], float]]) -> set[str]:
    """Margin lines that repeat on ≥30% of pages (digits ignored) are headers/footers."""
    counts: Counter[str] = Counter()
    for lines, height in pages:
        keys = {_key(ln) for ln in lines if _in_margin(ln, height)}
        counts.update(keys)
    threshold = max(2, int(0.3 * len(pages)))
    return {k for k, n in counts.items() if n >= threshold}


def _key(line: Line) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _in_margin(line: Line, height: float) -> bool:
    return line.top < MARGIN or line.bottom > height - MARGIN


def strip_running(
    lines: list[Line], height: float, keys: set[str], removed: set[str] | None = None
) -> tuple[list[Line], str | None]:
    """Remove headers/footers (collected into `removed`); return the printed page label."""
    body: list[Line] = []
    label = None
    for ln in lines:
        if _in_margin(ln, height):
            m = _PAGE_LABEL.match(ln.text.replace(" ", " ").strip())
            if m:
                label = label or m.group(1)
                continue
            if _key(ln) in keys:
                found = _LABEL_AT_END.search(ln.text)
                label = label or (found.group(1) if found else None)
                if removed is not None:
                    removed.add(ln.text)
                continue
        body.append(ln)
    return body, label


def layout_page(builder: DocBuilder, lines: list[Line], page_no: int) -> None:
    """Feed one page's body lines to the builder as headings, paragraphs and tables."""
    if not lines:
        return
    lines = fold_wrapped_rows(split_side_by_side(lines))
    body_height = statistics.median(ln.height for ln in lines)
    spans: list[tuple[int, int, int]] = []  # (header start, data start, end)
    i = 0
    while i < len(lines):
        end = _table_end(lines, i)
        if end > i:
            split_touching_values(lines[i:end], lines[i - 1] if i > 0 else None)
            floor = spans[-1][2] if spans else 0
            data = i
            while data < end - 1 and (_is_year_line(lines[data]) or is_unit_line(lines[data])
                                      or data == i and rate_line(lines, i, end, floor)):
                data += 1  # "2024 2023", "1 000 €" · "%", "-1 %" · "0 %": a header line
            if data > i:
                header = max(floor, _header_start(lines, i))
            else:
                data = _group_start(lines, i, floor)
                header = max(floor, _header_start(lines, data))
                # no header above the label-only lines: they are text — unless the first row
                # is values only, standing into the line above, its label's first line
                # ("092234 Ritavuoren koulun" · the values · "kenttä" in a ruled cell)
                if header == data and not label_above(lines, i, data):
                    data = header = max(floor, _header_start(lines, i))
                    header, data = sparse_start(lines, i, end, floor) or (header, data)
            band = data
            while header < band < end - 2 and in_header_band(lines, band, end):
                band += 1
            if band > data:  # the header's lower lines: its cells are set at different heights
                data, header = band, band_start(lines, header, floor)
            if spans and _continues(lines, spans[-1], header, data):
                header, data = spans.pop()[:2]
            spans.append((header, data, end))
            i = end
        else:
            i += 1
    foot = builder.foot_header
    above = foot[1] if foot is not None and foot[0] == page_no - 1 else None
    pos = 0
    for header_start, data_start, end in spans + [(len(lines), len(lines), len(lines))]:
        _emit_texts(builder, lines[pos:header_start], body_height, page_no)
        if data_start < end:
            title = _caption(lines, header_start, pos, body_height)
            name = list_heading(lines, header_start, pos) if header_start == data_start else ""
            _emit_table(builder, lines[header_start:end], data_start - header_start, page_no,
                        title, above if header_start == 0 else None, name,
                        at_top=header_start == 0)
        pos = end
    builder.foot_header = (page_no, foot_header(lines, spans[-1][2] if spans else 0))


def _emit_texts(builder: DocBuilder, lines: list[Line], body_height: float, page: int) -> None:
    """Emit a page's text lines between tables; two columns of text side by side (a goal
    grid's cells) row by row, each cell's paragraph apart, and two labels beside their values
    a label with its value (`pdf_columns`)."""
    runs: list[list[Line]] = []
    pos = 0
    pairs = pair_blocks(lines)
    blocks = list(pairs)
    # two columns side by side among the lines between the pairs' blocks
    for lo, hi in zip([0] + [end for _s, end, _r in pairs],
                      [start for start, _e, _r in pairs] + [len(lines)], strict=True):
        blocks += [(lo + start, lo + end, rows(columns))
                   for start, end, columns in column_blocks(lines[lo:hi])]
    for start, end, block_runs in sorted(blocks, key=lambda b: b[0]):
        runs += [lines[pos:start], *block_runs]
        pos = end
    runs.append(lines[pos:])
    for run in runs:
        j = 0
        while j < len(run):
            j = _emit_text(builder, run, j, body_height, page)


def _sentence_goes_on(text: str, following: str) -> bool:
    """A long unnumbered line whose sentence goes on in lower case on the next line ("…mikä
    ylittää budjetoidun" + "määrän"): prose the layout measures tall, not a heading. A heading
    wrapped at a hyphen ("…tasapainottamistoi-" + "menpiteet") is one."""
    return (following[:1].islower() and not text.endswith("-") and len(text.split()) >= 8
            and not _NUMBERED_HEADING.match(text))


def _emit_text(builder: DocBuilder, lines: list[Line], i: int, body_height: float, page: int) -> int:
    """Emit the heading or paragraph starting at line i; return the index after it."""
    line = lines[i]
    if _PARAGRAPH_MARK.match(line.text) and i + 1 < len(lines):
        nxt = lines[i + 1]
        builder.heading(f"{line.text} {nxt.text}", 1, page)
        return i + 2
    level = _heading_level(line, body_height)
    if level and _sentence_goes_on(line.text, lines[i + 1].text if i + 1 < len(lines) else ""):
        level = 0
    if level:
        text, j = line.text, i + 1
        # a heading wrapped onto a second line of the same size ("…tasapainottamistoi-" + "menpiteet")
        while j < len(lines) and abs(lines[j].height - line.height) < 0.8 and \
                line_gap(lines[j], lines[j - 1]) < 0.8 * line.height and \
                _heading_level(lines[j], body_height) == 0 and len(lines[j].text) < 60 and \
                text.endswith("-"):
            text, j = text + " " + lines[j].text, j + 1
        builder.heading(text, level, page)
        return j
    is_item = bool(_BULLET.match(line.text)) and len(line.text) > 2
    parts = [_BULLET.sub("", line.text) if is_item else line.text]
    j = i + 1
    while j < len(lines):
        nxt, prev = lines[j], lines[j - 1]
        gap = line_gap(nxt, prev)
        if gap > 0.75 * max(prev.height, body_height):
            break
        if _BULLET.match(nxt.text) or _PARAGRAPH_MARK.match(nxt.text) or \
                _heading_level(nxt, body_height) and not prev.text.endswith("-"):
            break
        parts.append(nxt.text)
        j += 1
    builder.paragraph(" ".join(parts), page, list_item=is_item)
    return j


def iter_pages(doc: pdfium.PdfDocument) -> Iterator[tuple[list[Line], float]]:
    for index in range(len(doc)):
        page = doc[index]
        try:
            lines, height = page_lines(page)
            yield fold_ruled(lines, page_grids(page)), height
        finally:
            page.close()
