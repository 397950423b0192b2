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

from indexer.pdf_lines import SENTENCE_END, Line, Seg, _cells
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
    # the grid's band 0 is its header where it holds text; an empty band 0 is a grid going on
    # from the page before, its first band with text a row ("86 500" over "Myönnettävä avustus
    # -90 000" in one ruled cell)
    if len(per_band[0]) >= 2 and not _no_values(per_band[0]):
        return lines  # a first band of several lines with numbers: no header the rules show
        # ("Vahvist." · "henkilö-t" · "yövuodet" · "37 %"), the grid left to the lines' reading
    folded: list[Line] = []
    wrapped = False
    first = next(n for n, group in enumerate(per_band) if group)
    for n, (band, group) in enumerate(zip(grid, per_band, strict=True)):
        rows = _band_rows(band, group, header=n == 0) if len(group) >= 2 else \
            _split_at_rules(band, group[0], n == first) if group else None
        # (the header band read as one is no wrapping: "Talous" · "2026")
        wrapped = wrapped or rows is not None and not (n == 0 and _no_values(group))
        folded += rows if rows is not None else group
    if not wrapped:
        return lines  # nothing wraps but a header: the lines read as they are
    return lines[:inside[0]] + folded + lines[inside[-1] + 1:]


def _split_at_rules(band: Band, line: Line, first: bool) -> list[Line] | None:
    """A band's one line whose cell, as the line's gaps read it, reaches over a vertical rule
    the line's runs do not cross, as its ruled cells: where the cell holds a number in a ruled
    cell of its own ("026" · "€" under Aika · Myönnetty avustus, the rest of a row that crossed
    the page, read as "026 €"; "siirretty kulttuuritoimelle" · "0"; "Toimintatuotot" ·
    "1.086.860"), or in the grid's `first` band holding text, its header ("Muutos%" over
    "TA 2025-2026" · "Ero raamiin", read as "Muutos% Ero raamiin"). None where no cell does
    so: the line stays as read (a note's words over the rules, "*) sisältää …")."""
    inner = band.dividers[1:-1]
    crossing = [c for c in line.cells if any(c.x0 < x - _SAME and c.x1 > x + _SAME for x in inner)]
    row = _band_row(band, [line]) if crossing else None
    if row is None or not first and not any(
            is_number(p.text) for c in crossing for p in row.cells
            if c.x0 - _SAME <= p.x0 and p.x1 <= c.x1 + _SAME):
        return None
    return [row]


def _band_rows(band: Band, group: list[Line], header: bool) -> list[Line] | None:
    """A band's lines as its rows: one row (`_is_one_row`), or where the band is not, its
    parts, each one row starting anew, a part ending at a blank line's gap or where a line
    starts anew in a column ("Sähköisen arkistoinnin …" · "Kyllä" over a gap over "Palveluja
    kehitettäessä …" · "Kyllä"; "Kontaktoitujen yritysten" over "määrä kpl" · values over
    "Neuvontapalvelujen": two mittari in one ruled cell), each with a value of its own (a
    part's one word in one column goes on the part above: "NPS"). None where the band is
    neither: its lines are left as they are (a group label over its rows, "Pitkäaikaiset
    velat" · "Lainat …"; a part starting with a value a cell set lower)."""
    if not header and _no_values(group) and _columns_of(band, group) != {0}:
        # no number in it, words in several columns: a header below a group header's band
        # ("Kaupungin" · "omistus-" · "osuus %") or a goal grid's prose (its paragraphs read
        # by pdf_columns): left as it is; a label alone ("Velat kuntayhtymille, jossa kunta
        # jä-" over "senenä") is read whole
        return None
    if _is_one_row(band, group, header):
        row = _band_row(band, group)
        return [row] if row is not None else None
    parts = [[group[0]]]
    for prev, ln in itertools.pairwise(group):
        if ln.top - prev.bottom > prev.height or not _is_one_row(band, parts[-1] + [ln], False):
            parts.append([])
        parts[-1].append(ln)
    merged: list[list[Line]] = []
    for part in parts:
        columns = _columns_of(band, part)
        if merged and len(columns) == 1 and columns != {0}:
            merged[-1] += part  # a mittari's last word alone ("Yritysten suositteluindeksi" · "NPS")
        else:
            merged.append(part)
    if len(merged) >= 2 and all(_starts_anew(band, part) and _has_value(band, part)
                                for part in merged):
        rows = [_band_row(Band(part[0].top, part[-1].bottom, band.dividers), part)
                if len(part) >= 2 else part[0] for part in merged]
        if all(r is not None for r in rows):
            return rows
    if not _goes_on_in(band, group, 0):
        return None  # a label starting anew: rows the rules frame together ("Pitkäaikaiset
        # velat" over "Lainat rahoitus- ja vak.laitoksilta")
    # the label going on, the other cells' items not each with values of their own: the band
    # one row as ruled ("Sähköisen arkistoinnin …" · "Kyllä" over "Palveluja kehitettäessä
    # …" · "Kyllä"; "Traficom/Suomi- liikkeelle -ohjelma" over "Valtionavustushaku …"),
    # unless a cell would hold two numbers (`_band_row`)
    row = _band_row(band, group)
    return [row] if row is not None else None


def _starts_anew(band: Band, part: list[Line]) -> bool:
    """A part of a band starts an item of its own: its first line's first run in the band's
    first two columns is words starting in upper case ("Palveluja …", "Yritysten
    suositteluindeksi"), not a value a cell set lower."""
    first = [sg.text.strip() for sg in sorted(part[0].segs, key=lambda sg: sg.x0)
             if sg.text.strip() and _column(band.dividers, sg) in (0, 1)]
    return bool(first) and first[0][:1].isupper() and not is_number(first[0])


def _columns_of(band: Band, part: list[Line]) -> set[int | None]:
    """The columns a band's lines hold text in."""
    return {_column(band.dividers, sg) for ln in part for sg in ln.segs if sg.text.strip()}


def _has_value(band: Band, part: list[Line]) -> bool:
    """A part of a band holds a number right of its first column: a mittari with its values."""
    return any(is_number(c.text) for ln in part for c in ln.cells
               if _column(band.dividers, c) not in (0, None))


def _is_one_row(band: Band, group: list[Line], header: bool) -> bool:
    """The band's lines are one row: in every column each line after the first goes on the
    words above it (`_goes_on`: "Taajaan" · "asuttu" over "alue" · "(UCC)"; a goal grid's
    mittari "Ylläpitokorjauksia" over "suoritetaan vuosittain" beside its tavoite's
    "hallinnassa"), or, the grid's first band, none holds a number (a header whose cells wrap:
    "Alueen" over "koko" over "(ha)"). Rules framing several rows (a statement's columns ruled,
    its rows not) leave a label starting anew ("Pitkäaikaiset velat" over "Lainat
    rahoitus- ja vak.laitoksilta"; "Peruspääoma 1.1. ja 31.12." over "Säätiöiden
    peruspääomat 31.12."), or two numbers in a column (`_band_row`)."""
    if header and _no_values(group):
        return True
    return all(_goes_on_in(band, group, k) for k in range(len(band.dividers) - 1))


def _goes_on_in(band: Band, group: list[Line], k: int) -> bool:
    """In column k of the band, each line's words go on the words above them (`_goes_on`)."""
    pieces = [" ".join(sg.text.strip() for sg in sorted(ln.segs, key=lambda sg: sg.x0)
                       if sg.text.strip() and _column(band.dividers, sg) == k) for ln in group]
    return all(_goes_on(a, b) for a, b in itertools.pairwise(p for p in pieces if p))


def _goes_on(above: str, text: str) -> bool:
    """A line of a cell goes on the one above it: it starts in lower case, with a parenthesis
    or a number, or the line above breaks off ("Koneet ja kalusto /" · "Hyvinvointilautakunta
    yhteensä"), leads on ("… seuraavasti:") or ends a sentence of the cell's prose ("…
    käyttöön." · "Palveluja …", `SENTENCE_END`; not a date, "31.12." · "Säätiöiden …", nor an
    abbreviation, "Toimintatuotot yht." · "Toimintakulut": each starts a row of its own)."""
    if not text[:1].isupper() or above.endswith(("-", "/", ",", "–")):
        return True
    return bool(SENTENCE_END.search(above)) or above.endswith(":") and not above[-2:-1].isdigit()


def _no_values(group: list[Line]) -> bool:
    """No number but years in a band's lines: in the grid's first band, a header ("Talous" ·
    "2026" · "2027")."""
    return not any(is_number(c.text) and not is_year(c.text) for ln in group for c in ln.cells)


def _column(edges: list[float], sg: Seg) -> int | None:
    """The column (between two vertical rules) a run stands in; None where it reaches over one."""
    return next((n for n in range(len(edges) - 1)
                 if edges[n] - _SAME <= sg.x0 and sg.x1 <= edges[n + 1] + _SAME), None)


def _band_row(band: Band, group: list[Line]) -> Line | None:
    """One band's lines as one line: a cell between each two vertical rules holding text, its
    lines' words (runs joined as the line's cells join them) top down, a number wrapped in its
    cell one number (`_wrapped_number`)."""
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
            if not found:
                continue
            cells = _cells(sorted(found, key=lambda sg: sg.x0), ln.height)
            text = " ".join(c.text for c in cells)
            x0, x1 = min(sg.x0 for sg in found), max(sg.x1 for sg in found)
            joined = _wrapped_number(parts[k][-1], spans[k][-1], text, x0, x1,
                                     edges[k + 1]) if parts[k] else None
            if joined is not None:
                parts[k][-1] = joined
            else:
                parts[k].append(text)
            spans[k] += [x0, x1]
    if any(sum(map(is_number, texts)) >= 2 for texts in parts[1:]):
        return None  # two numbers in a cell ("-394.450,5" over "0": a wrap or two values)
    out = [Seg(min(spans[k]), max(spans[k]), band.top, band.bottom,
               " ".join(join_hyphenation(" ".join(texts)).split()))
           for k, texts in enumerate(parts) if texts]
    # each ruled cell one run: its text in reading order, wherever its words stood
    # (a run's text ends in the space pdfium puts after it, as the page's own runs do)
    runs = [Seg(c.x0, c.x1, c.top, c.bottom, c.text + " ") for c in out]
    return Line(min(ln.top for ln in group), max(ln.bottom for ln in group), runs, out,
                ruled=True)


def _wrapped_number(above: str, above_x1: float, text: str, x0: float, x1: float,
                    right: float) -> str | None:
    """A number its narrow cell wrapped, as one: broken after a thousands point ("102." over
    "827", "1.122." over "035 €"), or where the line above was full, its next word not
    fitting before the rule (the line ends short of it by less than that word's width):
    inside a group ("85.80" over "0 €") or at a thousands space ("38" over "500 €", "2 173"
    over "831"). None where the lines are no such wrap."""
    word = text.split()[0]
    full = above_x1 + _SAME + (x1 - x0) * len(word) / max(len(text), 1) > right - _SAME
    if above.endswith((".", ",")) and not is_number(above) and is_number(above + text):
        return above + text
    if not full:
        return None
    if is_number(above) and is_number(f"{above} {text}") and text[:3].isdigit() and \
            not text[3:4].isdigit():
        return f"{above} {text}"
    return above + text if is_number(above + text) else None
