"""A ruled table read by its ruling lines (issue #15): where thin path objects of a page draw a
grid round the table's text — horizontal rules stacked over one another, each band between two
of them crossed by vertical rules at three or more places — every band is one row, and the text
between two vertical rules of a band is one cell, however its lines wrap ("Taajaan" · "asuttu" ·
"alue" · "(UCC)" round the row's values; "Alueen" over "koko" over "(ha)" in a header cell).

Narrow and safe: a grid is used only where every text line standing in it lies inside one band,
within the grid's width, and no run of text reaches over a vertical rule; anything else stays as
the line geometry reads it (pdf_tables.py).
"""

from __future__ import annotations

import ctypes
import itertools
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from indexer.pdf_lines import Line, Seg, _cells
from indexer.tables import is_number, is_year
from indexer.textnorm import join_hyphenation

_THIN = 1.5  # a rule is a path at most this thick
_SAME = 2.0  # rules this close are one boundary (cells drawn as boxes of their own, a gap apart)


@dataclass
class Band:
    top: float
    bottom: float
    dividers: list[float]  # x of the vertical rules crossing the band, left to right


def page_grids(page: pdfium.PdfPage) -> list[list[Band]]:
    """The page's ruled grids, top-down coordinates: runs of two or more bands, one under the
    other, each crossed by vertical rules at three or more places."""
    height = page.get_height()
    flat: list[tuple[float, float, float]] = []  # y, x0, x1
    upright: list[tuple[float, float, float]] = []  # x, top, bottom
    for left, bottom, right, top in _path_bounds(page):
        w, h = right - left, top - bottom
        if h <= _THIN and w >= 3 * _THIN:
            flat.append((height - (top + bottom) / 2, left, right))
        elif w <= _THIN and h >= 3 * _THIN:
            upright.append(((left + right) / 2, height - top, height - bottom))
    if len(flat) < 3 or len(upright) < 6:
        return []
    levels = _cluster(sorted(y for y, _, _ in flat))
    bands: list[Band] = []
    for top, bottom in itertools.pairwise(levels):
        xs = _cluster(sorted(x for x, t, b in upright
                             if t <= top + _SAME and b >= bottom - _SAME))
        if len(xs) >= 3 and bottom - top > 2.0:
            bands.append(Band(top, bottom, xs))
    grids: list[list[Band]] = []
    for band in bands:
        if grids and abs(grids[-1][-1].bottom - band.top) < 0.01:
            grids[-1].append(band)
        else:
            grids.append([band])
    return [g for g in grids if len(g) >= 2]


def _path_bounds(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """Left, bottom, right, top of each path object at the page's top level (none inside form
    objects): pdfium's own calls, as `page.get_objects(filter=[FPDF_PAGEOBJ_PATH],
    max_depth=0)` and `get_bounds()` make them, without a wrapper object a path."""
    raw = page.raw
    box = [ctypes.c_float() for _ in range(4)]
    out: list[tuple[float, float, float, float]] = []
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_PATH and \
                pdfium_c.FPDFPageObj_GetBounds(obj, *box):
            out.append((box[0].value, box[1].value, box[2].value, box[3].value))
    return out


def _cluster(values: list[float]) -> list[float]:
    """Sorted values, those within `_SAME` of the one before taken as one (their mean)."""
    groups: list[list[float]] = []
    for v in values:
        if groups and v - groups[-1][-1] <= _SAME:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def fold_ruled(lines: list[Line], grids: list[list[Band]]) -> list[Line]:
    """The lines of each ruled grid's bands as one line a band, its cells the text between the
    band's vertical rules (top down, hyphenation joined); lines outside a usable grid as they
    are."""
    for grid in grids:
        lines = _fold_grid(lines, grid)
    return lines


def _fold_grid(lines: list[Line], grid: list[Band]) -> list[Line]:
    top, bottom = grid[0].top, grid[-1].bottom
    inside = [k for k, ln in enumerate(lines) if top < (ln.top + ln.bottom) / 2 < bottom]
    if not inside or inside != list(range(inside[0], inside[-1] + 1)):
        return lines
    left = min(b.dividers[0] for b in grid) - _SAME
    right = max(b.dividers[-1] for b in grid) + _SAME
    per_band: list[list[Line]] = [[] for _ in grid]
    for k in inside:
        ln = lines[k]
        if any(sg.x0 < left or sg.x1 > right for sg in ln.segs if sg.text.strip()):
            return lines  # text beside the grid: not a table the rules enclose
        band = next((n for n, b in enumerate(grid)
                     if b.top - 1.0 <= ln.top and ln.bottom <= b.bottom + 1.0), None)
        if band is None:
            return lines  # a line across a rule
        per_band[band].append(ln)
    if not all(_one_row(band, group, header=n == 0)
               for n, (band, group) in enumerate(zip(grid, per_band, strict=True))):
        return lines  # rules framing several rows in a band: the rows are not ruled apart
    if all(len(group) <= 1 or _header_band(n, group) for n, group in enumerate(per_band)):
        return lines  # nothing wraps: the lines read as they are
    folded: list[Line] = []
    for band, group in zip(grid, per_band, strict=True):
        row = _band_row(band, group) if len(group) >= 2 else None
        if row is None and len(group) >= 2:
            return lines
        folded += [row] if row is not None else group
    return lines[:inside[0]] + folded + lines[inside[-1] + 1:]


def _one_row(band: Band, group: list[Line], header: bool) -> bool:
    """The band's lines are one row: at most one of them reaches over two or more columns
    (the row's values, the other lines its cells' wrapped words: "Taajaan" · "asuttu" over the
    values' line over "alue" · "(UCC)"), or, the grid's first band, none holds a number (a
    header whose cells wrap: "Alueen" over "koko" over "(ha)"). Rules framing several rows
    (a statement's columns ruled, its rows not) leave several lines reaching over columns."""
    edges = band.dividers
    wide = sum(1 for ln in group
               if len({_column(edges, sg) for sg in ln.segs if sg.text.strip()}) >= 2)
    if header and _header_band(0, group):
        return True
    return wide <= 1 and _label_goes_on(edges, group)


def _label_goes_on(edges: list[float], group: list[Line]) -> bool:
    """Each line of the band's first cell after its first goes on the words above it (lower
    case, a parenthesis, a number, or after a break: "Taajaan" · "asuttu" · "alue" · "(UCC)",
    "Koneet ja kalusto /" · "Hyvinvointilautakunta yhteensä"); a line starting anew ("Pitkä-
    aikaiset velat" over "Lainat rahoitus- ja vak.laitoksilta" · values over "Lainat
    julkisyhteisöiltä") is a row of its own, the rules framing several."""
    pieces = [" ".join(sg.text.strip() for sg in sorted(ln.segs, key=lambda sg: sg.x0)
                       if sg.text.strip() and _column(edges, sg) == 0) for ln in group]
    pieces = [p for p in pieces if p]
    return all(not b[:1].isupper() or a.endswith(("-", "/", ",", "–"))
               for a, b in itertools.pairwise(pieces))


def _header_band(n: int, group: list[Line]) -> bool:
    """The grid's first band, no number but years in it: a header ("Talous" · "2026" · "2027")."""
    return n == 0 and not any(is_number(c.text) and not is_year(c.text)
                              for ln in group for c in ln.cells)


def _column(edges: list[float], sg: Seg) -> int | None:
    """The column (between two vertical rules) a run stands in; None where it reaches over one."""
    return next((n for n in range(len(edges) - 1)
                 if edges[n] - _SAME <= sg.x0 and sg.x1 <= edges[n + 1] + _SAME), None)


def _band_row(band: Band, group: list[Line]) -> Line | None:
    """One band's lines as one line: a cell between each two vertical rules holding text, its
    lines' words (runs joined as the line's cells join them) top down."""
    edges = band.dividers
    parts: list[list[str]] = [[] for _ in edges[:-1]]
    spans: list[list[float]] = [[] for _ in edges[:-1]]
    for ln in group:
        runs: list[list[Seg]] = [[] for _ in edges[:-1]]
        for sg in ln.segs:
            if not sg.text.strip():
                continue
            k = _column(edges, sg)
            if k is None:
                return None  # a run over a vertical rule: a spanning cell the rules don't show
            runs[k].append(sg)
        for k, found in enumerate(runs):
            if found:
                cells = _cells(sorted(found, key=lambda sg: sg.x0), ln.height)
                parts[k].append(" ".join(c.text for c in cells))
                spans[k] += [min(sg.x0 for sg in found), max(sg.x1 for sg in found)]
    if any(sum(map(is_number, texts)) >= 2 for texts in parts[1:]):
        return None  # a number wrapped in its cell ("-394.450,5" over "0"), or two: unsure
    out = [Seg(min(spans[k]), max(spans[k]), band.top, band.bottom,
               " ".join(join_hyphenation(" ".join(texts)).split()))
           for k, texts in enumerate(parts) if texts]
    # each ruled cell one run: its text in reading order, wherever its words stood
    # (a run's text ends in the space pdfium puts after it, as the page's own runs do)
    runs = [Seg(c.x0, c.x1, c.top, c.bottom, c.text + " ") for c in out]
    return Line(min(ln.top for ln in group), max(ln.bottom for ln in group), runs, out)
