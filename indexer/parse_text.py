"""Parser for the text/markdown exports the product started from (`corpus/seeds/*.txt`).

What the exports contain: markdown headings (`#`…`#####`, `**bold lines**`), plain heading lines,
`- ` bullet lists, and tab-separated tables whose cells hold HTML fragments (`<b>`, `<p>`, `<ul>`,
nested `<table>`). A table may run across a page break (blank lines, then a continuation row whose
label is empty or starts in lower case), start with a title row (only the first cell filled), and
carry a second header line (`Selite`, or a line of years under "TP · TA+MUUTOS"). Blocks of a
table may be named by lines above their header ("Tulosalue · Hallinto", "Vastuuhenkilö · …"),
the header printed again for each: each block is a table of its own, its naming lines its title.
A group row after a page break, shaped as the table's group rows, goes on it. Strategy cards
were exported one column at a time ("Tavoite", "Toimenpiteet", …); their column names become
sub-headings so every item keeps them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.blocks import DocBuilder
from indexer.tables import is_header_like, is_year, unit_only
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
    after_blank = group_goes_on = False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            j = i
            while j < len(lines) and not lines[j].strip():
                j += 1
            group_goes_on = j < len(lines) and "\t" in lines[j] and \
                _group_goes_on(collected, lines, j)
            if j < len(lines) and "\t" in lines[j] and \
                    (not _is_title_row(_cells(lines[j])) or group_goes_on):
                after_blank, i = True, j
                continue
            break
        if "\t" not in line:
            break
        cells = _cells(line)
        if collected.lines and _is_title_row(cells) and after_blank and not group_goes_on:
            break
        collected.lines.append((cells, after_blank))
        after_blank = False
        i += 1
    _emit_table(collected, builder)
    return i


def _group_goes_on(collected: _TableLines, lines: list[str], j: int) -> bool:
    """After a page break, a line with only its first cell filled goes on the table above when
    it is shaped as that table's group rows are ("VAMMAIS- JA KEHITYSVAMMAPALVELUT" and its tabs,
    as "ERIKOISSAIRAANHOITO" above it) and rows of the table's width follow it."""
    cells = _cells(lines[j])
    if unit_only(cells[0]) and collected.lines:
        return True  # the unit a row label wrapped to the next page ("Palvelujen ostot" · "€")
    width = len(cells)
    groups = [c for c, _ in collected.lines[1:] if _is_title_row(c) and len(c) == width]
    nxt = _cells(lines[j + 1]) if j + 1 < len(lines) and "\t" in lines[j + 1] else []
    return width >= 3 and bool(groups) and len(nxt) == width and \
        (not _is_title_row(nxt) or (j + 2 < len(lines) and len(_cells(lines[j + 2])) == width))


def _is_title_row(cells: list[str]) -> bool:
    return bool(cells and cells[0]) and not any(cells[1:])


def _is_key_value(cells: list[str]) -> bool:
    """A line naming what the block below it is about ("Tulosalue · Hallinto", "Vastuuhenkilö ·
    Kaisa Rauvala"): a label and one word value, the other columns empty."""
    filled = [c for c in cells[1:] if c]
    return bool(cells and cells[0]) and len(filled) == 1 and bool(cells[1]) and \
        not any(ch.isdigit() for ch in cells[1])


def _fills(cells: list[str]) -> int:
    return sum(1 for c in cells[1:] if c)


def _names_block(lines: list[tuple[list[str], bool]], at: int) -> int:
    """Where the lines naming the block whose header is line `at` start ("Tulosalue · Hallinto",
    "Vastuuhenkilö · …" above "Suorite · TP 2021 · …"); `at` when none name it."""
    j = at
    while j > 0 and _is_key_value(lines[j - 1][0]):
        j -= 1
    return j


def _is_full_header(cells: list[str]) -> bool:
    return _fills(cells) >= 2 and is_header_like(cells)


def _blocks(lines: list[tuple[list[str], bool]]) -> list[list[tuple[list[str], bool]]]:
    """A table that prints its header again for each block, below lines naming the block
    (Kemi's suoritteet: "Tulosalue · Hallinto", "Vastuuhenkilö · …", "Suorite · TP 2021 · …",
    then the rows), is one table a block: split before the naming lines of each repeat."""
    if max((len(c) for c, _ in lines), default=0) < 3:
        return [lines]
    first = next((i for i, (c, _) in enumerate(lines) if _fills(c) >= 2), None)
    if first is None or not _is_full_header(lines[first][0]) or \
            _names_block(lines, first) == first or \
            not all(_is_key_value(c) or _is_title_row(c) for c, _ in lines[:first]):
        return [lines]
    starts = [0]
    for i in range(first + 1, len(lines)):
        if lines[i][0] == lines[first][0] and (j := _names_block(lines, i)) < i and j > starts[-1]:
            starts.append(j)
    return [lines[a:b] for a, b in zip(starts, starts[1:] + [len(lines)], strict=True)]


def _emit_table(collected: _TableLines, builder: DocBuilder) -> None:
    for block in _blocks(collected.lines):
        _emit_block(block, builder)


def _emit_block(lines: list[tuple[list[str], bool]], builder: DocBuilder) -> None:
    k = 0
    titles: list[str] = []
    while k < len(lines) - 1 and _is_title_row(lines[k][0]):
        titles.append(lines[k][0][0])
        k += 1
    # the lines naming the block above its header: its title ("Tulosalue Hallinto")
    header_at = next((i for i in range(k, len(lines) - 1) if not _is_key_value(lines[i][0])), k)
    if header_at > k and _is_full_header(lines[header_at][0]) and \
            max(len(c) for c, _ in lines) >= 3:
        titles += [" ".join(c for c in cells if c) for cells, _ in lines[k:header_at]]
        k = header_at
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
        elif _years_line(nxt, header) and k < len(lines) - 1:
            # "TP · TA+MUUTOS · TP" over "2020 · 2021 · 2021": the years are the header's too
            header_lines.append(nxt)
            header = [" ".join(filter(None, (h, y))) for h, y in _zip_pad(header, nxt)]
            k += 1
    rows: list[tuple[str, list[str], int | None]] = []
    for cells, after_blank in lines[k:]:
        label, values = cells[0], cells[1:]
        continues = after_blank and rows and (not label or label[0].islower() or unit_only(label))
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


def _years_line(cells: list[str], header: list[str]) -> bool:
    """A header's second line of years: no label, a year under each headed column."""
    values = [c for c in cells[1:] if c]
    return bool(values) and not cells[0] and all(is_year(v) for v in values) and \
        all(bool(h) for h, c in _zip_pad(header[1:], cells[1:]) if c)


def _zip_pad(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    n = max(len(a), len(b))
    return list(zip(a + [""] * (n - len(a)), b + [""] * (n - len(b)), strict=True))
