"""Parser for the text/markdown exports the product started from (`corpus/seeds/*.txt`).

What the exports contain: markdown headings (`#`…`#####`, `**bold lines**`), plain heading lines,
`- ` bullet lists, and tab-separated tables whose cells hold HTML fragments (`<b>`, `<p>`, `<ul>`,
nested `<table>`). A table may run across a page break (blank lines, then a continuation row whose
label is empty or starts in lower case), start with a title row (only the first cell filled), and
carry a second header line (`Selite`). Strategy cards were exported one column at a time
("Tavoite", "Toimenpiteet", …); their column names become sub-headings so every item keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.blocks import DocBuilder
from indexer.tables import is_header_like
from indexer.textnorm import one_line, strip_html

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BOLD_LINE = re.compile(r"^\*{2,3}(.+?)\*{2,3}$")
_BULLET = re.compile(r"^\s*[-•●▪–]\s+(.*)$")
_HEADING_PREFIXES = ("Strateginen päämäärä:", "Painopiste:", "Tulosalue", "Vastuuhenkilö")


@dataclass
class _TableLines:
    lines: list[tuple[list[str], bool]] = field(default_factory=list)  # (cells, after_blank)


def parse_text(raw: str, doc_id: str) -> DocBuilder:
    """Lay the export out into blocks; returns the filled builder (text, blocks, no pages)."""
    builder = DocBuilder(doc_id)
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            builder.paragraph(" ".join(paragraph))
            paragraph.clear()

    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            flush()
            i = _consume_table(lines, i, builder)
            continue
        text = one_line(strip_html(line)) if "<" in line else one_line(line)
        if not text:
            flush()
        elif m := _MD_HEADING.match(text):
            flush()
            builder.heading(m.group(2).strip("*_ "), len(m.group(1)))
        elif m := _BOLD_LINE.match(text):
            flush()
            builder.heading(m.group(1).strip("*_ "), 2)
        elif m := _BULLET.match(text):
            flush()
            builder.paragraph(m.group(1), list_item=True)
        elif not paragraph and (level := _plain_heading_level(text, lines, i)):
            builder.heading(text, level)
        else:
            paragraph.append(text)
        i += 1
    flush()
    return builder


def _next_text(lines: list[str], i: int) -> str:
    """The paragraph that follows line i (after blank lines), as one line."""
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    out: list[str] = []
    while j < len(lines) and lines[j].strip():
        out.append(lines[j])
        j += 1
    return one_line(" ".join(out))


def _plain_heading_level(text: str, lines: list[str], i: int) -> int:
    """A standalone short line that introduces longer text, a table or a card column."""
    standalone = i + 1 >= len(lines) or not lines[i + 1].strip() or "\t" in lines[i + 1]
    words = text.split()
    if not standalone or len(words) > 12 or text[-1] in ".,;" or not text[0].isalnum():
        return 0
    if text.startswith(_HEADING_PREFIXES[:2]):
        return 2
    if ":" in text and not text.startswith(_HEADING_PREFIXES):
        return 0
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return 2
    following = _next_text(lines, i)
    if "\t" in lines[min(i + 1, len(lines) - 1)] or len(following) > len(text) + 10:
        return 3
    return 0


def _cells(line: str) -> list[str]:
    return [one_line(strip_html(c)) if "<" in c else one_line(c) for c in line.split("\t")]


def _consume_table(lines: list[str], i: int, builder: DocBuilder) -> int:
    """Collect one table's lines (across page-break gaps) and hand the grid to the builder."""
    collected = _TableLines()
    after_blank = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and "\t" in lines[j] and not _is_title_row(_cells(lines[j])):
                after_blank, i = True, j
                continue
            break
        if "\t" not in line:
            break
        cells = _cells(line)
        if collected.lines and _is_title_row(cells) and after_blank:
            break
        collected.lines.append((cells, after_blank))
        after_blank = False
        i += 1
    _emit_table(collected, builder)
    return i


def _is_title_row(cells: list[str]) -> bool:
    return bool(cells and cells[0]) and not any(cells[1:])


def _emit_table(collected: _TableLines, builder: DocBuilder) -> None:
    lines = collected.lines
    k = 0
    titles: list[str] = []
    while k < len(lines) - 1 and _is_title_row(lines[k][0]):
        titles.append(lines[k][0][0])
        k += 1
    header: list[str] = []
    header_lines: list[list[str]] = []
    if k < len(lines) - 1 and is_header_like(lines[k][0]):
        header = list(lines[k][0])
        header_lines.append(header)
        k += 1
        # "Selite" under a header whose first cell is the table's name: a second header line.
        nxt = lines[k][0] if k < len(lines) else []
        if header[0] and _is_title_row(nxt) and len(nxt[0].split()) <= 2 and not nxt[0].isupper() \
                and k < len(lines) - 1:
            header_lines.append(nxt)
            header[0] = f"{header[0]} {nxt[0]}"
            k += 1
    rows: list[tuple[str, list[str], int | None]] = []
    for cells, after_blank in lines[k:]:
        label, values = cells[0], cells[1:]
        continues = after_blank and rows and (not label or label[0].islower())
        if continues:
            prev_label, prev_values, _ = rows[-1]
            merged = [" ".join(filter(None, (a, b))) for a, b in _zip_pad(prev_values, values)]
            rows[-1] = (" ".join(filter(None, (prev_label, label))), merged, None)
            continue
        rows.append((label, values, None))
    label_header = header[0] if header else ""
    title_lines = titles
    builder.table(
        title_lines=title_lines,
        header=header[1:],
        label_header=label_header,
        rows=rows,
        header_lines=header_lines,
    )


def _zip_pad(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    n = max(len(a), len(b))
    return list(zip(a + [""] * (n - len(a)), b + [""] * (n - len(b)), strict=True))
