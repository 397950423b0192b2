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

import ctypes
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.blocks import DocBuilder
from indexer.tables import is_header_like, is_number, parse_number, unit_only
from indexer.textnorm import clean, join_hyphenation, one_line

_SIZE_EPSILON = 0.01  # pdfium's: smaller character boxes are left out of its rectangles
MARGIN = 62.0  # pt from the top/bottom edge where running headers and footers live
_PAGE_LABEL = re.compile(r"^(?:sivu\s+)?(\d{1,4})(?:\s*(?:/|\(|of|\s)\s*\d{1,4}\)?)?$", re.I)
# "Tilinpäätös 2024 55/157", "Pöytäkirja 5/2025 1 (21)" — but not a period such as "1-6/2023"
_LABEL_AT_END = re.compile(r"(?<![\d-])(\d{1,3})\s*(?:/\s*\d{1,3}|\(\d{1,3}\))\s*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+[A-ZÄÖÅ]")
_PARAGRAPH_MARK = re.compile(r"^§\s*\d+$")
# one sentence ending and the next beginning within a line ("…käsitteli 77 asiaa. Valtuuston…"):
# prose, whatever its height
_SENTENCE_BREAK = re.compile(r"[a-zäöå]\. [A-ZÄÖÅ]")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_NUMBERING = re.compile(r"^(?:\d{1,2}\.|[IVX]{1,4}\.?|[A-H]\.?)$")
_VALUE_STARTS = frozenset({"-", "\u2212", "\u2013", "+"})
_BULLET = re.compile(r"^[-•●▪–−]\s*")


@dataclass
class Seg:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Line:
    top: float
    bottom: float
    segs: list[Seg] = field(default_factory=list)
    cells: list[Seg] = field(default_factory=list)  # segs merged into column cells

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def x0(self) -> float:
        return self.cells[0].x0 if self.cells else 0.0


def open_pdf(path: str) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(path)


def page_lines(page: pdfium.PdfPage) -> tuple[list[Line], float]:
    """Positioned text runs of one page, grouped into lines and cells (top-down coordinates)."""
    height = page.get_height()
    textpage = page.get_textpage()
    try:
        segs = [Seg(left, right, height - top, height - bottom, text)
                for left, bottom, right, top, text in _runs(textpage)]
    finally:
        textpage.close()
    return _group_lines(segs), height


def _runs(textpage: pdfium.PdfTextPage) -> list[tuple[float, float, float, float, str]]:
    """The page's text runs — one per text object, as pdfium's own text rectangles — each with
    its characters taken once, by index.

    Reading a rectangle back by area (`get_text_bounded`) returns every character whose box
    touches it, so where glyph boxes overlap (an en dash, a tight kerning, a run drawn over
    another) neighbouring characters came out twice: "(2022–2–2–2029) 9)". The geometry is the
    union of the run's tight character boxes, like pdfium's rectangles; generated characters
    (pdfium's inferred spaces and line breaks) have no box and count as a space after the run.
    """
    raw = textpage.raw
    box = [ctypes.c_double() for _ in range(4)]
    left, right, bottom, top = box
    runs: list[tuple[float, float, float, float, str]] = []
    obj: int | None = None
    chars: list[str] = []
    extent: list[float] = []  # left, bottom, right, top

    def close() -> None:
        text = clean("".join(chars).replace("\x02", "-").replace("\r", " ").replace("\n", " "))
        if extent and text.strip():
            # keep the run's edge spaces: they tell a word gap from a font change mid-word
            edge = "".join(chars)
            text = (" " if edge[:1].isspace() else "") + text.strip() + \
                (" " if edge[-1:].isspace() else "")
            runs.append((extent[0], extent[1], extent[2], extent[3], text))

    for i in range(pdfium_c.FPDFText_CountChars(raw)):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, i))
        if pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            if chars:
                chars.append(" ")
            continue
        pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top)
        x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        this = ctypes.cast(pdfium_c.FPDFText_GetTextObject(raw, i), ctypes.c_void_p).value
        if this != obj:
            close()
            obj, chars, extent = this, [], []
        chars.append(char)
        if x1 - x0 < _SIZE_EPSILON or y1 - y0 < _SIZE_EPSILON:
            continue
        if extent:
            extent = [min(extent[0], x0), min(extent[1], y0), max(extent[2], x1),
                      max(extent[3], y1)]
        else:
            extent = [x0, y0, x1, y1]
    close()
    return runs


def _group_lines(segs: list[Seg]) -> list[Line]:
    lines: list[Line] = []
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        center = (seg.top + seg.bottom) / 2
        target = None
        for line in reversed(lines[-4:]):
            overlap = min(line.bottom, seg.bottom) - max(line.top, seg.top)
            tiny = seg.height < 2.5 and abs(center - (line.top + line.bottom) / 2) < 6
            if tiny or overlap >= 0.5 * min(line.height, seg.height):
                target = line
                break
        if target is None:
            lines.append(Line(seg.top, seg.bottom, [seg]))
        else:
            target.segs.append(seg)
            if seg.height > target.height:  # the tallest run defines the line's extent
                target.top, target.bottom = seg.top, seg.bottom
    for line in lines:
        line.cells = _cells(sorted(line.segs, key=lambda s: s.x0), line.height)
    lines.sort(key=lambda ln: ln.top)
    return [ln for ln in lines if ln.cells]


def _cells(segs: list[Seg], line_height: float) -> list[Seg]:
    """Join runs into cells: small gaps are spaces (or nothing), large gaps separate columns."""
    cells: list[Seg] = []
    prev_raw = ""
    for seg in segs:
        text = seg.text.strip()
        if not text:
            continue
        if cells:
            prev = cells[-1]
            gap = seg.x0 - prev.x1
            spaced = prev_raw.endswith(" ") or seg.text.startswith(" ")
            # pdfium infers spaces from the font's own space width and puts them between runs
            # that follow each other in the content stream; a justified line spreads the digits
            # of "+125,5" that far apart too. Runs that are no such neighbours get a space only
            # for a gap wider than a space (0.4 of the line's height ≈ 0.35 em).
            glue = " " if spaced or gap >= 0.4 * line_height else ""
            # a number (or a sign, or a "-" for no value) set apart by more than a word gap is a
            # value of its own column ("9 183 636,30" · "303 340,32", "Muu pitkävaikutteiset
            # menot" · "460 000", "-29 248 420" · "-28 659 192"); so is a number after a space
            # that cannot go on the one before ("-16.966.783" · "-4.293.385", "859 100" ·
            # "12 331 778,01")
            value = is_number(text) or text in _VALUE_STARTS
            own_value = value and (gap >= line_height or glue and is_number(prev.text)
                                   and is_number(text) and not is_number(f"{prev.text} {text}"))
            if gap < max(2.2 * line_height, 12.0) and not own_value:
                prev.text = prev.text + glue + text
                prev.x1 = max(prev.x1, seg.x1)
                prev_raw = seg.text
                continue
        cells.append(Seg(seg.x0, seg.x1, seg.top, seg.bottom, text))
        prev_raw = seg.text
    for c in cells:
        c.text = one_line(c.text)
    return cells


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
    body_height = statistics.median(ln.height for ln in lines)
    spans: list[tuple[int, int, int]] = []  # (header start, data start, end)
    i = 0
    while i < len(lines):
        end = _table_end(lines, i)
        if end > i:
            floor = spans[-1][2] if spans else 0
            data = i
            while data < end - 1 and _is_year_line(lines[data]):
                data += 1  # "2024 2023" over the columns: a header line, though numbers
            if data > i:
                header = max(floor, _header_start(lines, i))
            else:
                data = _group_start(lines, i, floor)
                header = max(floor, _header_start(lines, data))
                if header == data:  # no header above the label-only lines: they are text
                    data = header = max(floor, _header_start(lines, i))
            if spans and _continues(lines, spans[-1], header, data):
                header, data = spans.pop()[:2]
            spans.append((header, data, end))
            i = end
        else:
            i += 1
    pos = 0
    for header_start, data_start, end in spans + [(len(lines), len(lines), len(lines))]:
        text_lines = lines[pos:header_start]
        j = 0
        while j < len(text_lines):
            j = _emit_text(builder, text_lines, j, body_height, page_no)
        if data_start < end:
            title = _caption(lines, header_start, pos, body_height)
            _emit_table(builder, lines[header_start:end], data_start - header_start, page_no,
                        title)
        pos = end


def _is_year_line(line: Line) -> bool:
    """A line of years over the value columns (its first cell may be a word or a year too)."""
    values = [c.text for c in line.cells[1:]]
    first = line.cells[0].text if line.cells else ""
    return len(values) >= 1 and all(_YEAR.match(v) for v in values) and \
        (bool(_YEAR.match(first)) or not is_number(first))


def _edges(lines: list[Line]) -> list[float]:
    return [c.x1 for ln in lines for c in ln.cells[1:] if is_number(c.text)]


def _continues(lines: list[Line], previous: tuple[int, int, int], header: int, data: int) -> bool:
    """A table part without a header of its own whose values stand in the columns of the table
    just above, with at most a few label-only lines (group rows: "Rahoituksen rahavirta")
    between them, goes on that table."""
    between = lines[previous[2]:header]
    if header != data or len(between) > 3 or any(len(ln.cells) != 1 for ln in between):
        return False
    if any(len(ln.text) > 60 or is_number(ln.text) for ln in between):
        return False
    above = _edges(lines[previous[1]:previous[2]])
    below = _edges(lines[data:data + 3])
    slack = 0.8 * lines[data].height
    return bool(below) and all(any(abs(e - a) <= slack for a in above) for e in below)


def _group_start(lines: list[Line], i: int, floor: int) -> int:
    """Label-only lines right above the first row ("Kaupunginhallitus" under the header) head
    the rows below them: the table starts there."""
    start = i
    first = lines[i]
    values_left = min((c.x0 for c in first.cells[_label_cells(first):]),
                      default=first.cells[0].x1)
    while start > floor and i - start < 3:
        prev = lines[start - 1]
        # at or left of the row labels (outer groups are indented less), clear of the values
        if len(prev.cells) != 1 or len(prev.text) > 60 or is_number(prev.text) or \
                prev.x0 > lines[i].x0 + 0.8 * lines[i].height or prev.cells[-1].x1 >= values_left or \
                lines[start].top - prev.bottom > 2.5 * lines[i].height:
            break
        start -= 1
    return start


def _caption(lines: list[Line], header_start: int, floor: int, body_height: float) -> str:
    """The table's title: one or two short lines of their own right above its header
    ("INVESTOINTIEN TOTEUTU-" + "MINEN 2024"); "" where the header follows prose or a heading
    (then the section's heading titles it)."""
    start = header_start
    while start > floor and header_start - start < 2:
        prev = lines[start - 1]
        gap = lines[start].top - prev.bottom
        if len(prev.cells) != 1 or len(prev.text) > 90 or _heading_level(prev, body_height) or \
                gap > 2.5 * max(prev.height, body_height) or _BULLET.match(prev.text):
            break
        start -= 1
    if start == header_start:
        return ""
    above = lines[start - 1] if start > floor else None
    if above is not None and lines[start].top - above.bottom < 0.75 * body_height and \
            _heading_level(above, body_height) == 0:
        return ""  # the last lines of a paragraph, not a caption
    return one_line(" ".join(ln.text for ln in lines[start:header_start]))


def _numeric_cells(line: Line) -> int:
    return sum(1 for c in line.cells[1:] if is_number(c.text))


def _is_tabular(line: Line) -> bool:
    return len(line.cells) >= 2 and _numeric_cells(line) >= 1 and not is_number(line.cells[0].text) \
        or len(line.cells) >= 3 and _numeric_cells(line) >= 2


def _table_end(lines: list[Line], i: int) -> int:
    """Index after a run of ≥2 tabular lines starting at i (label-only group rows allowed)."""
    if not _is_tabular(lines[i]):
        return i
    j, data = i, 0
    while j < len(lines):
        ln = lines[j]
        if _is_tabular(ln):
            data += 1
        elif not (len(ln.cells) == 1 and len(ln.text) < 60 and any(
                _is_tabular(nxt) for nxt in lines[j + 1:j + 3])):
            break  # one or two label-only lines (a group row, a label wrapped: "…tilikau-")
        if j > i and ln.top - lines[j - 1].bottom > 3.5 * max(ln.height, 4.0):
            break
        j += 1
    return j if data >= 2 else i


def _header_start(lines: list[Line], i: int) -> int:
    """Header lines directly above a table: multi-cell lines of words, years and units."""
    start = i
    while start > 0 and i - start < 4:
        prev = lines[start - 1]
        gap = lines[start].top - prev.bottom
        if gap > max(3.0 * prev.height, 2.5 * lines[i].height, 14.0):
            break
        texts = [c.text for c in prev.cells]
        first_far_right = prev.cells[0].x0 > lines[i].cells[0].x1
        if not is_header_like(texts) or (len(texts) < 2 and not first_far_right):
            break
        if any(_runs_across(c, lines[i]) for c in prev.cells):
            break
        start -= 1
    return start


def _runs_across(cell: Seg, row: Line) -> bool:
    """Four or more words running over three or more of the first row's values: prose (a goal
    table's "Tilannekuvaus" paragraph), not a column header."""
    middles = sum(1 for c in row.cells[1:] if cell.x0 <= (c.x0 + c.x1) / 2 <= cell.x1)
    return len(cell.text.split()) >= 4 and middles >= 3


def _label_cells(line: Line) -> int:
    """Cells of the row label: the first, or a numbering mark and the words after it
    ("1." · "Aineettomat oikeudet", "I" · "Peruspääoma" in a balance sheet)."""
    cells = line.cells
    if len(cells) >= 3 and _NUMBERING.match(cells[0].text) and not is_number(cells[1].text):
        return 2
    return 1


def _columns(rows: list[Line]) -> list[tuple[float, float]]:
    """Column spans from every cell right of the label in the data rows (clustered by right edge)."""
    spans = [(c.x0, c.x1) for ln in rows for c in ln.cells[_label_cells(ln):]]
    clusters: list[list[tuple[float, float]]] = []
    for span in sorted(spans, key=lambda s: s[1]):
        if clusters and span[1] - clusters[-1][-1][1] <= 10:
            clusters[-1].append(span)
        else:
            clusters.append([span])
    return [(min(s[0] for s in c), max(s[1] for s in c)) for c in clusters]


def _assign(cells: list[Seg], columns: list[tuple[float, float]]) -> list[str]:
    out = [""] * len(columns)
    for c in cells:
        best = min(
            range(len(columns)),
            key=lambda k: (-_overlap((c.x0, c.x1), columns[k]), abs(c.x1 - columns[k][1])),
        )
        out[best] = (out[best] + " " + c.text).strip()
    return out


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass
class _Header:
    """A table's header and where its columns end, for a part of it on the next page that
    does not print the header again."""

    page: int
    rights: list[float]
    header: list[str]
    units: list[str | None]
    label: str
    row_height: float

    def goes_on(self, page: int, columns: list[tuple[float, float]]) -> bool:
        slack = 0.8 * self.row_height
        return page - self.page <= 1 and len(columns) == len(self.rights) and all(
            abs(c[1] - r) <= slack for c, r in zip(columns, self.rights, strict=True))


def _emit_table(builder: DocBuilder, lines: list[Line], n_header: int, page_no: int,
                title: str = "") -> None:
    header_lines, data_lines = lines[:n_header], lines[n_header:]
    columns = _columns(data_lines)
    label_right = min(col[0] for col in columns) if columns else 0
    header = [""] * len(columns)
    printed = [""] * len(columns)  # as printed, unit statements too: quotes come from the text
    units: list[str | None] = [None] * len(columns)
    label_header = ""
    for hl in header_lines:
        label_words, as_printed, texts = _header_texts(hl, columns, label_right)
        label_header = " ".join(filter(None, [label_header, label_words]))
        for k, text in enumerate(texts):
            printed[k] = f"{printed[k]} {as_printed[k]}".strip()
            if unit := unit_only(text):
                units[k] = unit
            elif text:
                header[k] = f"{header[k]} {text}".strip()
    carried = builder.last_header
    if header_lines:
        builder.last_header = _Header(page_no, [c[1] for c in columns], header, units,
                                      label_header, data_lines[0].height)
    elif isinstance(carried, _Header) and carried.goes_on(page_no, columns):
        header, units, label_header = list(carried.header), list(carried.units), carried.label
        carried.page = page_no  # a table may run over several pages
    rows = []
    for ln in data_lines:
        # left of every value column: the label, even a number ("2019" in a time series)
        label_cells = [c for c in ln.cells if c.x1 <= label_right and
                       (not is_number(c.text) or c is ln.cells[0] and len(ln.cells) > 1)]
        value_cells = [c for c in ln.cells if c not in label_cells]
        label = " ".join(c.text for c in label_cells)
        if rows and not any(rows[-1][1]) and rows[-1][0].endswith("-") and label[:1].islower():
            # a label wrapped onto the row's line: "Vähennykset tilikau-" + "della 18 154,92"
            label = f"{rows.pop()[0]} {label}"
        rows.append((label, _assign(value_cells, columns), page_no))
    shared = {u for u in units if u}
    builder.table(
        title_lines=[],
        title=title or builder.current_heading,  # the caption above, or the section's heading
        header=[join_hyphenation(h) for h in header],
        label_header=label_header,
        rows=rows,
        header_lines=[[label_header] + printed] if header_lines else [],
        page=page_no,
        unit=shared.pop() if len(shared) == 1 and all(units) else None,
        column_units=units,
    )


def _header_texts(line: Line, columns: list[tuple[float, float]],
                  label_right: float) -> tuple[str, list[str], list[str]]:
    """One header line's words over the label column, and over each value column: as printed
    (each word once) and as headers. Numbers are set flush right, and their header above them
    right-aligned or centred: a word belongs to the column whose right edge is the first at or
    right of its middle (so "TP2023 TP2024" set in one run are two columns' headers, "Muutos ed.
    tot." one). A word that spans the middles of two or more columns, or reaches over a column
    left without a word ("1.1.-31.12.2024" centred over a detail and a total column), heads
    each of them."""
    label: list[str] = []
    printed: list[list[str]] = [[] for _ in columns]
    texts: list[list[str]] = [[] for _ in columns]
    slack = 0.5 * line.height
    placed: list[Seg] = []
    for piece in _header_pieces(line):
        middle = (piece.x0 + piece.x1) / 2
        if piece.x1 <= label_right + 1.0 or not columns:
            label.append(piece.text)
            continue
        home = next((k for k, (_, right) in enumerate(columns) if middle <= right + slack),
                    len(columns) - 1)
        printed[home].append(piece.text)
        spanned = [k for k, (a, b) in enumerate(columns) if piece.x0 <= (a + b) / 2 <= piece.x1]
        for k in spanned if len(spanned) >= 2 else [home]:
            texts[k].append(piece.text)
        placed.append(piece)
    for k, span in enumerate(columns):
        if not texts[k]:
            texts[k] = [p.text for p in placed if _overlap((p.x0, p.x1), span) > 0]
    return (" ".join(label), [" ".join(t) for t in printed], [" ".join(t) for t in texts])


def _header_pieces(line: Line) -> list[Seg]:
    """A line's words with their positions: runs split at spaces (a run's width shared out by
    its characters), and the runs of one word ("Tot" "-" "%") glued."""
    pieces: list[Seg] = []
    space_before = True
    for seg in sorted(line.segs, key=lambda sg: sg.x0):
        stripped = seg.text.strip()
        if not stripped:
            continue
        width = (seg.x1 - seg.x0) / len(stripped)
        for m in re.finditer(r"\S+", stripped):
            x0, x1 = seg.x0 + m.start() * width, seg.x0 + m.end() * width
            if pieces and m.start() == 0 and not space_before and \
                    not seg.text[:1].isspace() and x0 - pieces[-1].x1 < 0.4 * line.height:
                pieces[-1].text += m.group()
                pieces[-1].x1 = max(pieces[-1].x1, x1)
            else:
                pieces.append(Seg(x0, x1, seg.top, seg.bottom, m.group()))
        space_before = seg.text[-1:].isspace()
    # a number or unit statement is one piece: "1 000 €", not "1" · "000" · "€"
    merged: list[Seg] = []
    for piece in pieces:
        if merged:
            prev = merged[-1]
            joined = f"{prev.text} {piece.text}"
            if piece.x0 - prev.x1 < line.height and (
                    is_number(prev.text) and (is_number(joined) or unit_only(joined))):
                prev.text, prev.x1 = joined, max(prev.x1, piece.x1)
                continue
        merged.append(piece)
    return merged


def _heading_level(line: Line, body_height: float) -> int:
    text = line.text
    if len(text) > 110 or text.endswith((".", ",", ";")) and not _NUMBERED_HEADING.match(text):
        return 0
    if m := _NUMBERED_HEADING.match(text):
        plain = len(text) <= 90 and ":" not in text and not text.endswith(".")
        if plain and not parse_number(text.split()[0] + " " + text.split()[1]):
            return min(1 + m.group(1).count("."), 4)
    if line.height >= 1.18 * body_height and len(text.split()) <= 14 and \
            not _SENTENCE_BREAK.search(text):
        return 1 if line.height >= 1.6 * body_height else 2
    return 0


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
                lines[j].top - lines[j - 1].bottom < 0.8 * line.height and \
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
        gap = nxt.top - prev.bottom
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
            yield page_lines(page)
        finally:
            page.close()
