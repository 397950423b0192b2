"""Tables from the geometry of PDF lines: where a table starts and ends, its header lines merged
per column (pdf_headers.py), columns from the edges of its values, labels wrapped over lines put
together, the caption above it, and a part on the next page going on with the header it does not
repeat. Used by parse_pdf.py's layout.
"""

from __future__ import annotations

import re

from indexer.blocks import DocBuilder
from indexer.pdf_headers import (
    CarriedHeader,
    group_texts,
    header_texts,
    heads_columns,
    overlap,
    run_headers,
)
from indexer.pdf_lines import (
    _BULLET,
    _NUMBERING,
    SENTENCE_END,
    Line,
    Seg,
    _heading_level,
    line_gap,
)
from indexer.tables import is_header_like, is_no_value, is_number, is_year, parse_number, unit_only
from indexer.textnorm import join_hyphenation, one_line

_MARKED_YEAR = re.compile(r"^(?:19|20)\d\d\**$")  # "2024", "2024**" (a footnote's mark)


def _is_year_line(line: Line) -> bool:
    """A line of years over the value columns (its first cell may be a word or a year too). A
    year may carry a footnote mark ("2024**"), and two or more years may stand beside header
    words ("2026" · "2027" · "2028" · "Yhteensä")."""
    values = [c.text for c in line.cells[1:]]
    first = line.cells[0].text if line.cells else ""
    years = sum(1 for v in values if _MARKED_YEAR.match(v))
    return len(values) >= 1 and (years == len(values) or years >= 2 and all(
        _MARKED_YEAR.match(v) or not is_number(v) for v in values)) and \
        (is_year(first) or not is_number(first))


def rate_line(lines: list[Line], k: int, end: int, floor: int) -> bool:
    """Line k, the first of a table's lines, states the rate each column is reckoned at
    ("Muutos korkotasossa (%-yksikköä)" over "-1 %" · "0 %" · "1 %" in an interest-rate
    sensitivity table): per cent figures only, two or more, right of the first cell of the
    row below, which fills more columns, and under a header line — the header's lowest line,
    not a row of values."""
    line = lines[k]
    below = next((ln for ln in lines[k + 1:end] if _is_tabular(ln)), None)
    return len(line.cells) >= 2 and all(_per_cent(c.text) for c in line.cells) and \
        below is not None and len(below.cells) > len(line.cells) and \
        line.x0 > below.cells[0].x1 and max(floor, _header_start(lines, k)) < k


def _per_cent(text: str) -> bool:
    """A per cent figure and nothing else ("-1 %", "–0,5 %": `parse_number`'s unit)."""
    parsed = parse_number(text)
    return parsed is not None and parsed[1] == "%"


def is_unit_line(line: Line) -> bool:
    """A line stating each column's unit and nothing else right of its first cell ("Tuloslaskelman
    tuottojen jakaantuminen" · "1 000 €" · "%"): a header line, though "1 000 €" reads as a
    number."""
    values = [c.text for c in line.cells[1:]]
    return bool(values) and all(unit_only(v) for v in values) and any(is_number(v) for v in values)


def in_header_band(lines: list[Line], k: int, end: int) -> bool:
    """Line k, the first of a table's rows under its header, is a part of the header: a line of
    a header whose cells are set at different heights ("Työttömät" · "Työttö-" · "Muutos" a
    little above "työnhakijat" · "myys-%" and the dates' parts "11" · "/2023"), standing into
    the line above it, right of the labels of the rows below (no row label of its own), or the
    label column's header ("Kustannuspaikka" between "Määrärah" and "a €"); or a line of words
    and years set right under it, each under a cell of it (`_header_words`)."""
    line, above = lines[k], lines[k - 1]
    labelled = next((ln for ln in lines[k + 1:end] if _is_tabular(ln) and not
                     is_number(ln.cells[0].text) and not _header_words(ln)), None)
    if labelled is None:
        return False
    if line.top >= above.bottom - 0.5:
        # …or set right under it, a header's next line of words, a year among them ("Edellisten"
        # · "Talous-" · "Toteutuma" over "vuosien" · "arvio" · "2024" · "yhteensä" over "käyttö"
        # · "2024"), right of the labels: no row, though "2024" reads as a value
        return _header_words(line) and line.cells[0].x0 > labelled.cells[0].x1 and \
            line_gap(line, above) <= above.height and \
            all(any(overlap((c.x0, c.x1), (h.x0, h.x1)) > 0 for h in above.cells) for c in line.cells)
    return line.cells[0].x0 > labelled.cells[0].x1 or \
        _label_only(line) and is_header_like([line.text]) and len(line.text) <= 40  # set lower


def _header_words(line: Line) -> bool:
    """A line of a header's words and years, one of each at least, and no other number:
    "vuosien" · "arvio" · "2024" · "yhteensä"."""
    texts = [c.text for c in line.cells]  # (`is_header_like`: words, years and units only)
    return is_header_like(texts) and any(not is_number(t) for t in texts) and \
        any(_MARKED_YEAR.match(t) for t in texts)


def label_above(lines: list[Line], i: int, start: int) -> bool:
    """Row i holds values only and stands into the label-only line right above it (`start`):
    that line is the first of its label, wrapped round the values set in the middle of a
    ruled cell."""
    return start == i - 1 and is_number(lines[i].cells[0].text) and \
        lines[i].top < lines[start].bottom - 0.5


def band_start(lines: list[Line], header: int, floor: int) -> int:
    """The first line of a header whose lines stand into one another (cells set at different
    heights), from its line `header`."""
    while header > floor and lines[header].top < lines[header - 1].bottom - 0.5:
        header -= 1
    return header


def _edges(lines: list[Line]) -> list[float]:
    return [c.x1 for ln in lines for c in ln.cells[1:] if is_number(c.text)]


def _continues(lines: list[Line], previous: tuple[int, int, int], header: int, data: int) -> bool:
    """A table part without a header of its own whose values stand in the columns of the table
    just above, with at most a few label-only lines (group rows: "Rahoituksen rahavirta")
    between them, goes on that table."""
    between = lines[previous[2]:header]
    if header != data or len(between) > 3 or not all(map(_label_only, between)):
        return False
    if any(len(ln.text) > 60 or is_number(ln.text) for ln in between):
        return False
    above = _edges(lines[previous[1]:previous[2]])
    below = _edges(lines[data:data + 3])
    slack = 0.8 * lines[data].height
    return bool(below) and all(any(abs(e - a) <= slack for a in above) for e in below)


def _group_start(lines: list[Line], i: int, floor: int, most: int = 5,
                 edges: list[float] | None = None) -> int:
    """Label-only lines right above the first row ("Kaupunginhallitus" under the header) head
    the rows below them: the table starts there. Up to `most` lines; with `edges` (the right
    edges of the table's values), a row whose values end on them is one of the lines too."""
    start = i
    first = lines[i]
    values_left = _values_left(first)
    slack = 0.8 * first.height
    while start > floor and i - start < most:
        prev = lines[start - 1]
        if start - 1 > floor and _values_within_label(prev, lines[start - 2], lines[start]):
            start -= 1  # a row's values set in the middle of its label wrapped round them
            continue
        if edges and _is_tabular(prev) and not _is_year_line(prev) and \
                not is_number(prev.cells[0].text) and \
                all(any(abs(e - a) <= slack for a in edges) for e in _edges([prev])) and \
                line_gap(lines[start], prev) <= 2.5 * max(first.height, prev.height):
            start -= 1  # a lone row of a sparse table, its values in the table's columns
            continue
        # at or left of the row labels (outer groups are indented less), clear of the values
        if not _label_only(prev) or len(prev.text) > 60 or is_number(prev.text) or \
                prev.x0 > lines[i].x0 + 0.8 * lines[i].height or prev.cells[-1].x1 >= values_left or \
                line_gap(lines[start], prev) > 2.5 * max(lines[i].height, prev.height):
            break
        start -= 1
    return start


def sparse_start(lines: list[Line], i: int, end: int, floor: int) -> tuple[int, int] | None:
    """A sparse table (a note whose items mostly print no value: Kauhava's "Vieras pääoma",
    "Muut taseen ulkopuoliset järjestelyt"), its first row (line i) under more label-only lines
    than a table's groups take, and maybe a lone row whose values stand in the table's columns:
    up to twelve such lines under a header holding a line of years, the table's header and data
    start; None where no such header stands over them (the lines are text)."""
    start = _group_start(lines, i, floor, most=12, edges=_edges(lines[i:end]))
    header = max(floor, _header_start(lines, start))
    if start < i and header < start and any(map(_is_year_line, lines[header:start])):
        return header, start
    return None


def _values_within_label(line: Line, above: Line, below: Line) -> bool:
    """A line of values only standing into the label-only lines above and below it: a row whose
    label wraps round its values ("Kunnan peruspalvelujen valtionosuus" · "1 059 213" ·
    "(sis. verotuloihin …)")."""
    return all(is_number(c.text) for c in line.cells) and _label_only(above) and \
        _label_only(below) and line.top < above.bottom - 0.5 and below.top < line.bottom - 0.5


def fold_wrapped_rows(lines: list[Line]) -> list[Line]:
    """A ruled row whose cells wrap over lines set in the middle of the row's height is one
    row: three to five lines, each standing into the next, standing apart from the lines round
    them (not a header band whose lines all stand into one another: "työnhakijat myys-%" · "11"
    · "30.11.2024"), where either
    - the label's two lines wrap round a line of values ("Lapuan Seudun" · "900" · "Ampujat ry",
      "Lapuan Hirvijoen" · "Ei varsinainen urheiluseura. Ei" over "0" over "nuorisoseura ry" ·
      "määrärahaa tukemiseen." in a grant list: `_wrapped_round`), or
    - the lines put together are a label and values only ("6 072,00" over "Alavus" · "10763" ·
      "2 686,16 €" over "€"; "Kiint. Oy" · "Kuortaneen" · "Asunnot*" round its values).
    Each cell is the text of the lines standing over one another, top down."""
    out: list[Line] = []
    k = 0
    while k < len(lines):
        n = 1
        while k + n < len(lines) and lines[k + n].top < lines[k + n - 1].bottom - 0.5:
            n += 1  # the lines standing into one another from line k
        group = lines[k:k + n]
        apart = k == 0 or lines[k].top >= lines[k - 1].bottom - 0.5
        if apart and n <= 3 and k + 2 < len(lines) and _wrapped_round(*lines[k:k + 3]) and \
                not _continues_chain(lines, k + 3):
            out.append(_one_row(lines[k:k + 3]))
            k += 3
            continue
        if apart and 3 <= n <= 5 and _is_value_row(row := _one_row(group)):
            out.append(row)
            k += n
            continue
        out.append(lines[k])
        k += 1
    return out


def _continues_chain(lines: list[Line], j: int) -> bool:
    """Line j stands into the line above it."""
    return 0 < j < len(lines) and lines[j].top < lines[j - 1].bottom - 0.5


def _is_value_row(line: Line) -> bool:
    """A label, then values, units and dashes only, a number among them."""
    rest = [c.text for c in line.cells[1:]]
    return bool(rest) and not is_number(line.cells[0].text) and \
        any(is_number(t) for t in rest) and \
        all(is_number(t) or unit_only(t) or is_no_value(t) for t in rest)


def _one_row(group: list[Line]) -> Line:
    """Lines of one row as one line: cells standing over one another joined, top down."""
    cells: list[Seg] = []
    for cell in (c for ln in group for c in ln.cells):
        over = next((k for k, c in enumerate(cells)
                     if overlap((c.x0, c.x1), (cell.x0, cell.x1)) > 0), None)
        if over is None:
            cells.append(Seg(cell.x0, cell.x1, group[0].top, group[-1].bottom, cell.text))
        else:
            c = cells[over]
            cells[over] = Seg(min(c.x0, cell.x0), max(c.x1, cell.x1), c.top, c.bottom,
                              join_hyphenation(f"{c.text} {cell.text}"))
    return Line(group[0].top, group[-1].bottom, [sg for ln in group for sg in ln.segs],
                sorted(cells, key=lambda c: c.x0))


def _wrapped_round(above: Line, values: Line, below: Line) -> bool:
    """`values` (numbers only) stands into `above` and `below` into it (or nearly, on one side:
    tight boxes); the label's lines begin at one edge, both words; every cell of `below` stands
    under one cell of `above`, and no value under or over a cell of either."""
    if not above.cells or not below.cells or not values.cells or \
            not all(is_number(c.text) for c in values.cells):
        return False
    # standing into one of them and nearly into the other (tight boxes: "ry" is short)
    into = (values.top < above.bottom - 0.5, below.top < values.bottom - 0.5)
    near = 0.25 * values.height
    if not (any(into) and values.top < above.bottom + near and below.top < values.bottom + near):
        return False
    first, last = above.cells[0], below.cells[0]
    if is_number(first.text) or is_number(last.text) or abs(first.x0 - last.x0) > 1.5:
        return False
    spans = [(c.x0, c.x1) for c in above.cells]
    if not all(sum(overlap(s, (b.x0, b.x1)) > 0 for s in spans) == 1 for b in below.cells):
        return False
    return not any(overlap((v.x0, v.x1), (c.x0, c.x1)) > 0
                   for v in values.cells for c in above.cells + below.cells)


def _caption(lines: list[Line], header_start: int, floor: int, body_height: float) -> str:
    """The table's title: one or two short lines of their own right above its header
    ("INVESTOINTIEN TOTEUTU-" + "MINEN 2024"); "" where the header follows prose or a heading
    (then the section's heading titles it)."""
    start = header_start
    while start > floor and header_start - start < 2:
        prev = lines[start - 1]
        gap = line_gap(lines[start], prev)
        if len(prev.cells) != 1 or len(prev.text) > 90 or _heading_level(prev, body_height) or \
                prev.text.startswith("=") or \
                gap > 2.5 * max(prev.height, body_height) or _BULLET.match(prev.text):
            break
        start -= 1
    if start == header_start or lines[start].text[:1].islower():
        return ""  # no line of its own, or a sentence going on ("laskettavien …avulla."): prose
    above = lines[start - 1] if start > floor else None
    if above is not None and line_gap(lines[start], above) < 0.75 * body_height and \
            _heading_level(above, body_height) == 0:
        return ""  # the last lines of a paragraph, not a caption
    return one_line(" ".join(ln.text for ln in lines[start:header_start]))


def list_heading(lines: list[Line], header_start: int, floor: int) -> str:
    """The heading of a key–value list printed without a header ("Osuuspankki SEINAJOKI2" over
    "Koronvaihtosopimuksella suojataan …" and then "alkuperäinen pääoma" · "eur" · "39 680
    400,00"): a short line of its own, set apart from the text above it, at the left of the
    lines below it, with at most three lines of description between it and the rows (the first
    a line of words longer than the heading), set close. The list is one thing's terms, so the
    heading names its value column. "" where there is no such line."""
    rows = lines[header_start]
    for n in range(header_start - 1, max(floor, header_start - 4) - 1, -1):
        line, below = lines[n], lines[n + 1]
        if line_gap(below, line) > 0.75 * max(line.height, below.height) and n + 1 < header_start:
            return ""  # the block above the rows is not set close
        text = line.text
        above = lines[n - 1] if n > floor else None
        apart = above is None or line_gap(line, above) > max(2 * line_gap(below, line),
                                                             0.8 * line.height)
        if n + 1 < header_start and len(line.cells) == 1 and len(text) <= 60 and apart and \
                text[:1].isupper() and not text.endswith((".", ":", ",", "-")) and \
                line.x0 <= min(below.x0, rows.x0) + 0.5 and not _heading_level(line, rows.height) \
                and len(below.cells) == 1 and len(below.text.split()) >= 4 and \
                below.cells[-1].x1 > line.cells[-1].x1:
            return text  # over a description: a line of words, longer than the heading
    return ""


def _label_only(line: Line) -> bool:
    """A line holding a row label only: one cell, or a numbering mark and the words after it
    ("II" · "Saamiset" in a balance sheet)."""
    return len(line.cells) == _label_cells(line)


def _numeric_cells(line: Line) -> int:
    """Values right of the label, a number in parentheses too ("Sisältää myyntivoittoa" ·
    "(1 012 468,60)": an of-which figure)."""
    return sum(1 for c in line.cells[1:] if is_number(c.text) or
               c.text[:1] == "(" and c.text[-1:] == ")" and is_number(c.text[1:-1]))


def _is_tabular(line: Line) -> bool:
    """A row: a label and values, or values only — a dash for no value in every column it fills
    ("Lisäykset" · "-" · "-" · "-" · "-", "Muut tulojäämät" · "-") is a row too, not a header."""
    cells = line.cells
    return len(cells) >= 2 and _numeric_cells(line) >= 1 and not is_number(cells[0].text) \
        or len(cells) >= 3 and _numeric_cells(line) >= 2 \
        or len(cells) >= 2 and all(is_no_value(c.text) for c in cells[1:])


def _table_end(lines: list[Line], i: int) -> int:
    """Index after a run of ≥2 tabular lines starting at i (label-only group rows allowed)."""
    if not _is_tabular(lines[i]):
        return i
    j, data, row = i, 0, lines[i]
    while j < len(lines):
        ln = lines[j]
        if j > i and len(ln.cells) >= 3 and _is_year_line(ln):
            break  # the year header of the next table ("Investoinnit yhteensä netto" · "2025" …)
        if _is_tabular(ln):
            data, row = data + 1, ln
        elif _in_word_columns(ln, row):
            pass
        elif not (_label_only(ln) and len(ln.text) < 60 and _rows_follow(lines, j)) or \
                _heads_values(ln, lines[i]):
            # up to four label-only lines before the next row (group rows, nested: "II
            # Saamiset" · "Pitkäaikaiset saamiset" · items without a value; a label wrapped:
            # "…tilikau-"); one before lines of header cells ("TA" over "muutosten jälkeen"), or
            # right of the labels over several values, heads the next table
            break
        if j > i and line_gap(ln, lines[j - 1]) > 3.5 * max(ln.height, 4.0):
            break
        j += 1
    # one row at the foot of the page under a line of header cells: a table going on over the
    # page ("€/v" · "%" over "Ympäristölautakunnan kulut" · "9.411" · "2,7"; a ruled header's
    # runs read as one cell, "TA 2024" · "Tot. 09/2024" · "Tot-%", count as its cells)
    above = lines[i - 1] if i > 0 else None
    heads = [] if above is None else \
        above.cells if len(above.cells) >= 2 or _runs_over_values(above, row) < 2 else \
        [sg for sg in above.segs if sg.text.strip()]
    foot = data == 1 and j == len(lines) and len(heads) >= 2 and \
        is_header_like([c.text for c in heads]) and \
        all(len(c.text.split()) <= 2 for c in heads) and _numeric_cells(row) >= 2
    return j if data >= 2 or foot else i


def _rows_follow(lines: list[Line], j: int) -> bool:
    """Within the four lines after line j, a row comes before any line that is neither a row
    nor label-only (a header line of the next table)."""
    for nxt in lines[j + 1:j + 5]:
        if _is_tabular(nxt):
            return True
        if not _label_only(nxt):
            return False
    return False


def _values_left(row: Line) -> float:
    """Where a row's values begin (its label cells' right edge where it has none)."""
    return min((c.x0 for c in row.cells[_label_cells(row):]), default=row.cells[-1].x1)


def _in_word_columns(line: Line, row: Line) -> bool:
    """A row of words only, its label by the labels' edge and starting anew (upper case), whose
    cells right of the label, each a name of a few words, stand on an edge of such a cell of the
    row above ("Sedu Education Oy" · "Seinäjoki" under a
    Kotipaikka column): a row of the table with no values, not a header (a header's words stand
    over values), nor a goal table's wrapped sentences."""
    words = [c for c in row.cells[1:] if not is_number(c.text) and len(c.text.split()) <= 3]
    label = line.cells[0]
    return len(line.cells) >= 2 and label.text[:1].isupper() and \
        abs(label.x0 - row.cells[0].x0) <= row.height and all(len(c.text.split()) <= 3 and
        any(abs(c.x0 - w.x0) <= 1.5 or abs(c.x1 - w.x1) <= 1.5 for w in words)
        for c in line.cells[1:])


def _heads_values(line: Line, row: Line) -> bool:
    """A one-cell line right of the row's label that reaches over two or more of its values
    ("TA 2024 Tot. 09/2024 Tot-%" between two stacked minutes tables)."""
    cell = line.cells[0]
    middles = sum(1 for c in row.cells[1:] if cell.x0 <= (c.x0 + c.x1) / 2 <= cell.x1)
    return len(line.cells) == 1 and cell.x0 >= min(sg.x1 for sg in row.segs) and middles >= 2


def _header_start(lines: list[Line], i: int) -> int:
    """Header lines directly above a table: multi-cell lines of words, years and units. Past
    four lines, only the lines of a tall ruled header (`_tall_header_line`)."""
    start = i
    while start > 0 and i - start < 8:
        prev = lines[start - 1]
        gap = line_gap(lines[start], prev)
        mid_label = False
        if i - start >= 4:
            mid_label = _label_only(prev) and start >= 2 and \
                prev.top < lines[start - 2].bottom - 0.5
            if not (mid_label or _tall_header_line(prev, lines[start], lines[i])):
                break
        # a header set in a coloured band may stand further off, but then it heads several
        # columns (two or more cells), which no paragraph or caption line does
        reach = 4.0 if len(prev.cells) >= 2 else 3.0
        if len(prev.cells) >= 2 and all(_MARKED_YEAR.match(c.text) or unit_only(c.text)
                                        for c in prev.cells):
            reach = 6.0  # years or units over the columns ("2024" · "2023"): a header only
        if gap > max(reach * prev.height, 2.5 * lines[i].height, 14.0):
            break
        texts = [c.text for c in prev.cells]
        first_far_right = prev.cells[0].x0 > lines[i].cells[0].x1
        if not is_header_like(texts) or (_label_only(prev) and not first_far_right and
                                         not mid_label and _runs_over_values(prev, lines[i]) < 2):
            break
        if _runs_across(prev, lines[i]):
            break
        start -= 1
    return start


def _tall_header_line(line: Line, below: Line, row: Line) -> bool:
    """A line of a ruled header taller than four lines ("Kaupungin" · "Konsernin" over
    "omistus-" · "omistus-" over "osuus" · "osuus" beside "(1000 €)" over three lines of
    "omasta pää-" · "omasta" …): set close above the line below (not standing into it, as the
    lines of a header whose cells stand at different heights do), right of the first row's label,
    each run a header's few words wrapped. The label column's header may stand at the middle
    of the header's height ("Nimi" standing into "omistus-"), a label-only line of its own."""
    gap = line_gap(below, line)
    label_header = _label_only(below) and below.x0 < row.cells[0].x1  # "Nimi", set lower
    return (gap >= 0 or label_header) and gap <= 0.8 * line.height and \
        line.cells[0].x0 > row.cells[0].x1 and \
        all(len(sg.text.split()) <= 3 for sg in line.segs)


def _runs_over_values(line: Line, row: Line) -> int:
    """How many of the row's values have a run of the line set over them and over no other
    value: a ruled table's header cells read as one line cell ("YMPÄRISTÖLAUTAKUNTA" ·
    "Talousarvio 2024" · "Toteuma 31.12.2024" · "Tot-%") stand one run to a column."""
    values = row.cells[1:]
    over = set()
    for seg in line.segs:
        under = [k for k, c in enumerate(values) if overlap((seg.x0, seg.x1), (c.x0, c.x1)) > 0]
        if len(under) == 1:
            over.add(under[0])
    return len(over)


def _runs_across(line: Line, row: Line) -> bool:
    """Prose, not column headers: a cell of four or more words over three or more of the first
    row's values (a goal table's "Tilannekuvaus" paragraph) — unless its runs each stand over
    one value, flush with its edge, as a ruled table's header cells read as one cell do ("TA
    2024" · "Tot. 09/2024" · "Tot-%") — or a cell of three or more words over two or more values that ends a
    sentence ("…parantamiseksi."; an abbreviation such as "ed. tot." is short)."""
    values = row.cells[1:]
    spans = [(c.x0, c.x1) for c in values]
    for cell in line.cells:
        words = cell.text.split()
        middles = sum(1 for c in values if cell.x0 <= (c.x0 + c.x1) / 2 <= cell.x1)
        if len(words) >= 3 and middles >= 2 and SENTENCE_END.search(cell.text):
            return True
        if len(words) < 4 or middles < 3 or run_headers(cell, spans) or \
                _period_run(cell.text, middles):
            continue
        runs = [sg for sg in line.segs if cell.x0 - 0.5 <= sg.x0 and sg.x1 <= cell.x1 + 0.5]
        covered = [c for c in values if any(overlap((sg.x0, sg.x1), (c.x0, c.x1)) > 0
                                            for sg in runs)]
        flush = [c for c in covered if any(abs(sg.x0 - c.x0) <= 2.0 or abs(sg.x1 - c.x1) <= 2.0
                                           for sg in runs)]
        if any(sum(overlap((sg.x0, sg.x1), (c.x0, c.x1)) > 0 for c in values) > 1
               for sg in runs) or len(flush) < len(covered):
            return True
    return False


def _period_run(text: str, columns: int) -> bool:
    """A run of column headers, each naming its period or unit ("TA 2024 TOT 2024 käyttö-%"):
    a few words a column, a year, a date or a per cent sign for nearly every column, and no
    sentence (no comma, no sentence end). Its words head their columns by where they stand."""
    words = text.split()
    marked = sum(1 for w in words if re.search(r"(?:19|20)\d\d|%", w))
    return "," not in text and not SENTENCE_END.search(text) and \
        len(words) <= 3 * columns and marked >= columns - 1


def _label_cells(line: Line) -> int:
    """Cells of the row label: the first, or a numbering mark and the words after it
    ("1." · "Aineettomat oikeudet", "I" · "Peruspääoma" in a balance sheet)."""
    cells = line.cells
    if len(cells) >= 2 and _NUMBERING.match(cells[0].text) and not is_number(cells[1].text):
        return 2
    return 1


def _columns(rows: list[Line]) -> list[tuple[float, float]]:
    """Column spans from every cell right of the label in the data rows. Numbers are set flush
    right: cells are first clustered by right edge. Words (and some minutes' numbers) are set
    flush left: clusters whose cells share a left edge are one column ("Alkuperäinen" · "Muutos"
    · "Yhteensä" in a budget-change grid, "9" · "Toteutuu" in a goal table) — but never two
    clusters with cells in the same row, for a column holds one cell of each row."""
    cells = [(c.x0, c.x1, i) for i, ln in enumerate(rows) for c in ln.cells[_label_cells(ln):]]
    clusters: list[list[tuple[float, float, int]]] = []
    for cell in sorted(cells, key=lambda c: c[1]):
        # near the last right edge, and under the cluster: a narrow value ending short of it
        # and left of its cells is set flush left in the column before ("0" · "-10.000")
        if clusters and cell[1] - clusters[-1][-1][1] <= 10 and \
                all(c[2] != cell[2] for c in clusters[-1]) and \
                (cell[1] - clusters[-1][-1][1] <= 2.0 or
                 cell[0] < max(c[1] for c in clusters[-1]) and
                 cell[1] > min(c[0] for c in clusters[-1])):
            clusters[-1].append(cell)
        else:
            clusters.append([cell])
    merged = True
    while merged:
        merged = False
        pairs = [(a, b) for a in range(len(clusters)) for b in range(a + 1, len(clusters))]
        for a, b in pairs:
            rows_a, rows_b = {c[2] for c in clusters[a]}, {c[2] for c in clusters[b]}
            shared = any(abs(p[0] - q[0]) <= 1.5 for p in clusters[a] for q in clusters[b])
            if shared and not rows_a & rows_b and not _crosses(clusters, a, b):
                clusters[a] += clusters.pop(b)
                merged = True
                break
    spans = [(min(c[0] for c in cl), max(c[1] for c in cl)) for cl in clusters]
    return sorted(spans, key=lambda s: s[1])


def split_touching_values(rows: list[Line], above: Line | None = None) -> None:
    """Values read into the cell before them because they nearly touch it. A label set against
    its first value ("Valmistus omaan käyttöön 400 000"): the value is a run of its own whose
    right edge (or, in minutes whose numbers are set flush left, left edge) stands on the edge
    of other rows' numbers in that column. Two values of a narrow ruled table read as one
    number ("30 667" · "111 555" → "30 667 111 555"): each run stands on the edges of values
    that are cells of their own in other rows. Split them. A table of one or two rows has
    fewer rows to stand on: there the value stands on the other row's edge, or on the edge of
    a run of the header line `above` ("TA 2024" over "Toimintatuotot" · "131.070")."""
    tails = {id(ln): _value_tail(ln) for ln in rows}
    values = [c for ln in rows for c in ln.cells[_label_cells(ln):] if is_number(c.text)]
    values += [t for t in tails.values() if t is not None and is_number(t.text)]
    n_rows = sum(map(_is_tabular, rows))
    heads = [sg for sg in above.segs if sg.text.strip()] if above is not None and \
        n_rows < 3 and is_header_like([c.text for c in above.cells]) else []
    least = min(3, n_rows + (1 if heads else 0))

    def stands(seg: Seg, others: list[Seg], edge: int, least: int = 3) -> bool:  # with itself
        tol = 2.0 if edge else 1.5
        return sum(abs((o.x1 if edge else o.x0) - (seg.x1 if edge else seg.x0)) <= tol
                   for o in others) >= least

    def aligned(seg: Seg, edge: int) -> bool:
        """On one edge of two or more cells of other rows whose other edges differ: a column
        set flush on that edge, not numbers of one width ("41 262" · "36 371") that share both."""
        tol = 2.0 if edge else 1.5
        on = [o for o in values if o.top != seg.top and  # other rows only
              abs((o.x1 if edge else o.x0) - (seg.x1 if edge else seg.x0)) <= tol]
        far = [o.x0 if edge else o.x1 for o in on]
        return len(on) >= 2 and max(far) - min(far) > tol

    texts = [c for ln in rows for c in ln.cells[1:]]  # a goal table's "Aloitettu" too
    for ln in rows:
        tail = tails[id(ln)]
        if tail is not None and (stands(tail, values + heads, 1, max(2, least)) or
                                 stands(tail, values + heads, 0, max(2, least))
                                 if is_number(tail.text) else stands(tail, texts, 0, 2)):
            first = ln.cells[0]
            label = first.text[:-len(tail.text)].rstrip()
            end = max(sg.x1 for sg in ln.segs if first.x0 <= sg.x0 < tail.x0)
            ln.cells[0:1] = [Seg(first.x0, min(end, tail.x0), first.top, first.bottom, label), tail]
        for k in range(len(ln.cells) - 1, 0, -1):
            cell = ln.cells[k]
            parts = [sg for sg in ln.segs if cell.x0 - 0.5 <= sg.x0 and sg.x1 <= cell.x1 + 0.5]
            if len(parts) != 2 or not all(is_number(sg.text.strip()) for sg in parts):
                continue
            head, rest = sorted(parts, key=lambda sg: sg.x0)
            if overlap((head.x0, head.x1), (rest.x0, rest.x1)) > 0:
                continue  # one over the other: a number wrapped in its cell ("10" · "938,93 €")
            for edge in (0, 1):
                # each on an edge of cells of their own in other rows, not only of runs: the
                # runs of one number ("4 780" · "470") line up down a column too
                if aligned(head, edge) and aligned(rest, edge):
                    ln.cells[k:k + 1] = [Seg(head.x0, head.x1, cell.top, cell.bottom,
                                             head.text.strip()),
                                         Seg(rest.x0, rest.x1, cell.top, cell.bottom,
                                             rest.text.strip())]
                    break


def _value_tail(line: Line) -> Seg | None:
    """The last run of a line's first cell when it follows words of another run."""
    first = line.cells[0] if line.cells else None
    if first is None or is_number(first.text):
        return None
    tail = next((sg for sg in line.segs if sg.x0 > first.x0 and abs(sg.x1 - first.x1) < 0.5
                 and sg.text.strip()), None)
    if tail is None or not first.text.endswith(tail.text.strip()):
        return None
    label = first.text[:-len(tail.text.strip())].rstrip()
    if not label or is_number(label) or _NUMBERING.match(label):  # "1." · "Lainat …" is a label
        return None
    return Seg(tail.x0, tail.x1, first.top, first.bottom, tail.text.strip())


def _crosses(clusters: list[list[tuple[float, float, int]]], a: int, b: int) -> bool:
    """Would clusters a and b joined reach over a cell of another cluster? Not one of the same
    flush-left column (a left edge shared, no row in common: three mittari cells of a goal
    grid, "Käyttöaste, %" · "Ylläpitokorjauksia suoritetaan …" · "Tilikauden
    vastikerahoituslaskelma …", each cluster reaching over the others)."""
    joined = clusters[a] + clusters[b]
    span = (min(c[0] for c in joined), max(c[1] for c in joined))
    rows = {c[2] for c in joined}

    def same_column(cl: list[tuple[float, float, int]]) -> bool:
        return not rows & {c[2] for c in cl} and \
            any(abs(p[0] - q[0]) <= 1.5 for p in cl for q in joined)

    return any(overlap(span, (c[0], c[1])) > 0.5 for k, cl in enumerate(clusters)
               if k not in (a, b) and not same_column(cl) for c in cl)


def _assign(cells: list[Seg], columns: list[tuple[float, float]]) -> list[str]:
    out = [""] * len(columns)
    for c in cells:
        best = min(
            range(len(columns)),
            key=lambda k: (-overlap((c.x0, c.x1), columns[k]), abs(c.x1 - columns[k][1])),
        )
        out[best] = (out[best] + " " + c.text).strip()
    return out


def _emit_table(builder: DocBuilder, lines: list[Line], n_header: int, page_no: int,
                title: str = "", above: list[Line] | None = None, name: str = "",
                at_top: bool = False) -> None:
    """Emit a table from its header and data lines; `above`: header lines at the foot of the
    page before, for a table beginning the page without a header of its own; `name`: the
    heading of a key–value list without a header (`list_heading`), its one value column's;
    `at_top`: the table begins the page."""
    header_lines, data_lines = lines[:n_header], lines[n_header:]
    columns = _columns(data_lines)
    label_right = min(col[0] for col in columns) if columns else 0
    if not header_lines and above and heads_columns(above, columns, label_right):
        header_lines = above  # printed on the page before: not this page's text
    header = [""] * len(columns)
    printed = [""] * len(columns)  # as printed, unit statements too: quotes come from the text
    units: list[str | None] = [None] * len(columns)
    label_header = ""
    labels_end = max((c.x1 for ln in data_lines for c in ln.cells if c.x1 <= label_right + 1.0),
                     default=0.0)
    per_line = [header_texts(hl, columns, label_right, labels_end) for hl in header_lines]
    for n, (hl, (label_words, as_printed, texts)) in enumerate(zip(header_lines, per_line,
                                                                    strict=True)):
        below = {k for _, _, t in per_line[n + 1:] for k, text in enumerate(t) if text}
        # a line standing into the header line below it is a part of its cells set at
        # another height ("Väkiluku" over "vuonna 2024"), not a group over the columns
        into = n + 1 < len(header_lines) and header_lines[n + 1].top < hl.bottom - 0.5
        if not into and (group := group_texts(hl, columns, label_right, below, labels_end)):
            texts = group[0]
            units = [u or group[1][k] for k, u in enumerate(units)]
        label_header = " ".join(filter(None, [label_header, label_words]))
        for k, text in enumerate(texts):
            printed[k] = f"{printed[k]} {as_printed[k]}".strip()
            if unit := unit_only(text):
                units[k] = unit
            elif text:
                header[k] = f"{header[k]} {text}".strip()
    # a column headed by its unit alone ("1 000 €" · "%" beside a TULOT table's labels): that
    # is its header as printed
    header = [h or (p if unit_only(p) else "") for h, p in zip(header, printed, strict=True)]
    carried = builder.last_header
    rows = _rows(data_lines, columns, label_right, page_no)
    valued = [k for k in range(len(columns))
              if sum(is_number(r[1][k]) for r in rows) * 2 > sum(bool(r[1][k]) for r in rows)]
    numbers = [sum(map(is_number, r[1])) for r in rows]
    if not header_lines and name and valued and max(numbers) == 1 and sum(numbers) >= 2:
        # one value a key: the list's values are the named thing's terms
        for k in valued:
            header[k] = name
        builder.last_header = CarriedHeader(page_no, list(columns), header, units, "",
                                            data_lines[0].height, next_page=True)
    elif header_lines:
        builder.last_header = CarriedHeader(page_no, list(columns), header, units,
                                      label_header, data_lines[0].height)
    elif isinstance(carried, CarriedHeader) and \
            (under := carried.columns_under(page_no, columns, at_top)) is not None:
        header, units = [carried.header[k] for k in under], [carried.units[k] for k in under]
        label_header = carried.label
        carried.page = page_no  # a table may run over several pages
    shared = {u for u in units if u}
    builder.table(
        title_lines=[],
        title=title or builder.current_heading,  # the caption above, or the section's heading
        header=[join_hyphenation(h) for h in header],
        label_header=label_header,
        rows=rows,
        header_lines=[[label_header] + printed] if n_header else [],
        page=page_no,
        unit=shared.pop() if len(shared) == 1 and all(units) else None,
        column_units=units,
    )


def _rows(lines: list[Line], columns: list[tuple[float, float]], label_right: float,
          page_no: int) -> list[tuple[str, list[str], int]]:
    """The data rows, with labels wrapped over several lines put together. A label line that
    goes on a sentence ("Palkkojen ja henkilösivukulujen" + "jaksotukset 4 713 614,11", "tava-"
    + "rat") or opens a parenthesis ("(sis. verotuloihin …)") continues the label above it, the
    numbers standing on the label's first, last or middle line."""
    rows: list[tuple[str, list[str], int]] = []
    for n, ln in enumerate(lines):
        # left of every value column: the label, even a number ("2019" in a time series)
        label_cells = [c for c in ln.cells if c.x1 <= label_right and
                       (not is_number(c.text) or c is ln.cells[0] and len(ln.cells) > 1)]
        value_cells = [c for c in ln.cells if c not in label_cells]
        label = " ".join(c.text for c in label_cells)
        values = _assign(value_cells, columns)
        close = n > 0 and line_gap(ln, lines[n - 1]) < 0.8 * ln.height
        # ... but a line ending in a colon introduces the rows below it ("ohjaajat:")
        goes_on = (label[:1].islower() or label[:1] == "(") and not label.endswith(":")
        if rows and close and (goes_on or not label) and any(values) and not any(rows[-1][1]):
            # the numbers on the label's last line: "Palkkojen ja …" + "jaksotukset 4 713 614,11"
            label = join_hyphenation(f"{rows.pop()[0]} {label}".strip())
        elif rows and close and goes_on and not any(values) and rows[-1][0] and \
                label.lower() != "yhteensä":  # a total of its own under an item without values
            # the label goes on below its numbers: "Tilikauden voitto/-tappio" + "(ennen …)"
            label = join_hyphenation(f"{rows[-1][0]} {label}")
            rows[-1] = (label, rows[-1][1], rows[-1][2])
            continue
        rows.append((label, values, page_no))
    return rows
