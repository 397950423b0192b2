"""PDF page → positioned text runs → lines of cells (pdfium, by character index: every
character of the text layer once). Used by parse_pdf.py (layout) and pdf_tables.py (tables).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.tables import is_number, parse_number
from indexer.textnorm import clean, one_line

# a cell's text ending a sentence: a word of five letters or more and a full stop ("…
# käyttöön."; not "31.12.", "yht.", "esim.", "mm.")
SENTENCE_END = re.compile(r"[a-zäöå]{5,}\.$")

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
_NUMBERING = re.compile(r"^(?:\d{1,2}\.|[IVX]{1,4}\.?|[A-H]\.?)$")
_VALUE_STARTS = frozenset({"-", "\u2212", "\u2013", "+"})
_BULLET = re.compile(r"^[-•●▪–−]\s*")
_TWO_SIDED = re.compile(r"^t(n+)t(n+)$")  # a row's cells: label, values, label, values


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
    # the lines of a ruled band read as one (pdf_rules.fold_ruled): its height is the band's,
    # not its font's, so no heading by size
    ruled: bool = False

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
        target = _hyphen_line(seg, lines[-4:])
        for line in reversed(lines[-4:] if target is None else []):
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


def _hyphen_line(seg: Seg, lines: list[Line]) -> Line | None:
    """The line of the word a lone hyphen run ends ("omistus" · "-" in a ruled header cell, the
    hyphen's box set lower, nearer the line below): a word-break hyphen drawn against its
    word's last letter, standing into its line, is a part of that word, not a dash for no value
    on the line it overlaps more."""
    if seg.text.strip() not in ("-", "\u00ad"):
        return None
    return next((line for line in reversed(lines) for s in line.segs
                 if abs(seg.x0 - s.x1) <= 1.5 and s.text[-1:].isalpha() and
                 min(line.bottom, seg.bottom) - max(line.top, seg.top) > 0), None)


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
            last = prev_raw.strip()  # the run before, not the cell so far: "… *) - 16.756.130"
            own_value = value and (gap >= line_height or glue and is_number(last)
                                   and is_number(text) and not is_number(f"{last} {text}"))
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


def _heading_level(line: Line, body_height: float) -> int:
    text = line.text
    if len(text) > 110 or text.endswith((".", ",", ";")) and not _NUMBERED_HEADING.match(text):
        return 0
    if m := _NUMBERED_HEADING.match(text):
        plain = len(text) <= 90 and ":" not in text and not text.endswith(".")
        if plain and not parse_number(text.split()[0] + " " + text.split()[1]):
            return min(1 + m.group(1).count("."), 4)
    if not line.ruled and line.height >= 1.18 * body_height and len(text.split()) <= 14 and \
            not _SENTENCE_BREAK.search(text):
        return 1 if line.height >= 1.6 * body_height else 2
    return 0


def split_side_by_side(lines: list[Line]) -> list[Line]:
    """Two tables set side by side (a balance sheet's VASTAAVAA beside its VASTATTAVAA, TULOT
    beside MENOT) read as two columns, the left table's lines first. They are found by three or
    more rows each holding a label and values twice, as many values on each side; the band
    between the left values and the right labels is crossed by no cell of the lines between
    them. Header lines above (cells on both sides) and rows below (no cell across the band, the
    right table going on) go with them. A cell starting left of the band is the left table's."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        found = _side_block(lines, i)
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        start, end, (lo, _) = found
        del out[len(out) - (i - start):]  # header lines above, already passed
        for left in (True, False):
            for ln in lines[start:end]:
                cells = [c for c in ln.cells if (c.x0 < lo + 0.5) == left]
                if cells:
                    segs = [sg for sg in ln.segs if (sg.x0 < lo + 0.5) == left]
                    out.append(Line(ln.top, ln.bottom, segs, cells))
        i = end
    return out


def _two_sided(line: Line) -> tuple[float, float] | None:
    """The band between a row's two label-and-values halves ("Toimintatuotot" 7 726 10,0 ·
    "Toimintakulut" 46 217 63,6), or None."""
    if len(line.cells) < 4:  # (label, values) twice at least: most lines are not, and cheaply
        return None
    kinds = "".join("n" if is_number(c.text) else "t" for c in line.cells)
    m = _TWO_SIDED.match(kinds)
    if m is None or len(m.group(1)) != len(m.group(2)):
        return None
    second = len(m.group(1)) + 1
    return line.cells[second - 1].x1, line.cells[second].x0


def _crosses_band(line: Line, band: tuple[float, float]) -> bool:
    return any(c.x0 < band[0] + 0.5 and c.x1 > band[1] - 0.5 for c in line.cells)


def _near(line: Line, before: Line) -> bool:
    return line.top - before.bottom <= 3.5 * max(line.height, 4.0)


def _side_block(lines: list[Line], i: int) -> tuple[int, int, tuple[float, float]] | None:
    """Where side-by-side tables start at line i: (start, end, band), or None."""
    band = _two_sided(lines[i])
    if band is None:
        return None
    rows, j, last = 1, i + 1, i
    while j < len(lines) and j - last <= 4 and _near(lines[j], lines[j - 1]) and \
            not _crosses_band(lines[j], band):
        other = _two_sided(lines[j])
        if other is not None and min(band[1], other[1]) - max(band[0], other[0]) > 2.0:
            band, rows, last = (max(band[0], other[0]), min(band[1], other[1])), rows + 1, j
        j += 1
    if rows < 3:
        return None
    start = i
    while start > 0 and i - start < 4 and not _crosses_band(lines[start - 1], band) and \
            len({c.x0 < band[0] + 0.5 for c in lines[start - 1].cells}) == 2:
        start -= 1
    end = j = last + 1
    while j < len(lines) and _near(lines[j], lines[j - 1]) and not _crosses_band(lines[j], band):
        j += 1
        if any(c.x0 >= band[0] + 0.5 for c in lines[j - 1].cells):
            end = j  # the right table goes on below the left one's end
    return start, end, band


def line_gap(line: Line, before: Line) -> float:
    """The space between a line and the line before it; infinite where the line before stands
    lower (the next of two tables set side by side, read after the left one)."""
    return line.top - before.bottom if before.top <= line.top + 1.0 else float("inf")
