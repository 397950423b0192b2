"""Column headers of PDF tables from the geometry of their header lines: each word over the
column it stands over, a group header over every column it spans; a header carried to a part
of its table further on, and one printed at a page's foot for the table on the next page. Used
by pdf_tables.py and parse_pdf.py.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from indexer.pdf_lines import Line, Seg, line_gap
from indexer.tables import is_header_like, is_number, unit_only

_PERIOD = re.compile(r"^(?:(?:\d{1,2}\.){2}-?)?(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d\d$")  # 2024, 31.12.2024


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _column_at(x: float, columns: list[tuple[float, float]], slack: float) -> int:
    """The column a header word centred at x heads: the first whose right edge is at or right of
    it (numbers are set flush right), else the last."""
    return next((k for k, (_, right) in enumerate(columns) if x <= right + slack), len(columns) - 1)


def group_texts(line: Line, columns: list[tuple[float, float]], label_right: float,
                below: set[int], labels_end: float | None = None
                ) -> tuple[list[str], list[str | None]] | None:
    """A group header over the column headers below it ("Konserni" over 2024 · 2023, "Määrärahat
    1000€" over five budget columns) heads every column it spans (its unit statement becomes
    theirs); None if the line is no such
    header: a group line has at most half as many cells as there are headers below it, and
    each of its cells stands over one column's header place (its words do not fall to two
    columns, as "Osakkeet kon-" · "Osakkeet omis-" set close do). A group set flush left spans
    from its column to the next group; one set centred on the line between two columns spans
    the columns centred under it, up to half way to the next group."""
    cells = [c for c in line.cells if c.x1 > label_right + 1.0]
    if not cells or not columns or 2 * len(cells) > len(below):
        return None
    slack = 0.5 * line.height
    # right of every row label (`labels_end`), a word left of the values is the group's too
    # ("Aineettomat hyödykkeet" centred over three columns)
    left = label_right + 1.0 if labels_end is None else min(label_right + 1.0, labels_end + slack)
    pieces = [p for p in _header_pieces(line) if p.x1 > label_right + 1.0 or p.x0 > left]
    homes = []
    texts, units = [], []
    for cell in cells:
        words = [p for p in pieces if cell.x0 - 0.5 <= (p.x0 + p.x1) / 2 <= cell.x1 + 0.5]
        units.append(next((u for p in words if (u := unit_only(p.text))), None))
        words = [p for p in words if not unit_only(p.text)]  # "Määrärahat" · "1000€"
        texts.append(" ".join(p.text for p in words))
        places = {_column_at((p.x0 + p.x1) / 2, columns, slack) for p in words}
        # the line's one group, words only, may reach over the columns it spans from its
        # first ("Muutos korkotasossa (%-yksikköä)" over "-1 %" · "0 %" · "1 %")
        if len(places) > 1 and len(cells) == 1 and _phrase(cell.text):
            places = {min(places)}
        if len(places) != 1:
            return None
        homes.append(places.pop())
    middles = [(a + b) / 2 for a, b in columns]
    bounds = [(columns[k][1] + columns[k + 1][0]) / 2 for k in range(len(columns) - 1)]
    out = [""] * len(columns)
    out_units: list[str | None] = [None] * len(columns)
    for i, (cell, home) in enumerate(zip(cells, homes, strict=True)):
        centre = (cell.x0 + cell.x1) / 2
        if cell.x0 <= columns[home][0] + 2.0:
            span = list(range(home, homes[i + 1] if i + 1 < len(cells) else len(columns)))
        elif len(cells) >= 2 and bounds and min(abs(centre - b) for b in bounds) < \
                min(abs(centre - m) for m in middles):
            gaps = [abs(centre - (o.x0 + o.x1) / 2) for o in cells if o is not cell]
            span = [k for k, m in enumerate(middles) if abs(m - centre) < min(gaps) / 2]
        else:
            return None
        for k in span:
            if k in below:
                out[k] = f"{out[k]} {texts[i]}".strip()
                out_units[k] = units[i] or out_units[k]
    return (out, out_units) if sum(1 for t in out if t) > len(cells) else None


def run_headers(cell: Seg, columns: list[tuple[float, float]]) -> list[tuple[int, str]] | None:
    """A header line set as one run over three or more columns: one word a column ("työnhakijat
    myys-% myys-% 9/2024"), or headers of a few words each beginning with a capital or a digit
    ("TP-2020 TP-2021 … Muutos-% Asukasluku", "Luonn. väestönlisäys Kuntien välinen nettomuutto
    … Väkiluku"): the run splits into as many headers as the columns it stands over, in order
    — where it is no sentence (no comma, no sentence end). None where the run is no such line."""
    under = [k for k, span in enumerate(columns) if overlap((cell.x0, cell.x1), span) > 0]
    words = cell.text.split()
    if len(under) < 3 or "," in cell.text or re.search(r"[a-zäöå]{3,}\.$", cell.text):
        return None
    if len(words) == len(under) and not any(w.endswith("-") for w in words):
        return list(zip(under, words, strict=True))  # no word wrapped: one word a column
    groups: list[list[str]] = []
    for word in words:
        # a number's digit groups ("1 000 €") are one word
        if word[:1].isupper() or word[:1].isdigit() and not (groups and groups[-1][-1].isdigit()):
            groups.append([word])
        elif groups:
            groups[-1].append(word)
        else:
            return None
    if len(groups) != len(under) or any(len(g) > 4 for g in groups):
        return None
    return [(k, " ".join(g)) for k, g in zip(under, groups, strict=True)]


def header_texts(line: Line, columns: list[tuple[float, float]], label_right: float,
                 labels_end: float | None = None) -> tuple[str, list[str], list[str]]:
    """One header line's words over the label column, and over each value column: as printed
    (each word once) and as headers. Numbers are set flush right, and their header above them
    right-aligned or centred: a word belongs to the column whose right edge is the first at or
    right of its middle (so "TP2023 TP2024" set in one run are two columns' headers, "Muutos ed.
    tot." one). A word that spans the middles of two or more columns, or reaches over a column
    left without a word ("1.1.-31.12.2024" centred over a detail and a total column), heads
    each of them. A cell of its own right of every row label (`labels_end`, their right
    edge), though left of the values, heads a column: "2024" centred over a column of short
    numbers ("97" · "2 273") ends left of them."""
    label: list[str] = []
    printed: list[list[str]] = [[] for _ in columns]
    texts: list[list[str]] = [[] for _ in columns]
    slack = 0.5 * line.height
    placed: list[Seg] = []
    runs = [(cell, found) for cell in line.cells if cell.x1 > label_right + 1.0 and
            (found := run_headers(cell, columns))]
    for _, found in runs:
        for k, text in found:
            printed[k].append(text)
            texts[k].append(text)
    pieces = _header_pieces(line)
    for n, piece in enumerate(pieces):
        middle = (piece.x0 + piece.x1) / 2
        if any(cell.x0 - 0.5 <= middle <= cell.x1 + 0.5 for cell, _ in runs):
            continue
        # right of every row label: its own cell, even the line's first ("2024" centred over
        # "Pitkäaikainen" · "Lyhytaikainen" right of short labels)
        own_cell = labels_end is not None and piece.x0 > labels_end + slack and \
            (piece.x0 > line.cells[0].x1 + slack or line.cells[0].x0 > labels_end + slack)
        if own_cell and _over_empty_column(piece, line, pieces[n + 1:n + 2], columns):
            printed[_column_at(middle, columns, slack)].append(piece.text)  # the text keeps it
            continue
        if (piece.x1 <= label_right + 1.0 and not own_cell) or not columns:
            label.append(piece.text)
            continue
        home = _column_at(middle, columns, slack)
        # a run standing over one column only is that column's header, all of it: flush-left
        # numbers under "Talousarvio 2024" in a ruled table end short of its last word, and
        # short ones ("500" under "Valmistelijan e") short of its middle
        run = next((sg for sg in line.segs if sg.x0 - 0.5 <= middle <= sg.x1 + 0.5), None)
        under = [k for k, span in enumerate(columns)
                 if run is not None and overlap((run.x0, run.x1), span) > 0]
        if len(under) == 1 and run is not None and (
                columns[under[0]][0] <= (run.x0 + run.x1) / 2 <= columns[under[0]][1] or
                abs(run.x0 - columns[under[0]][0]) <= slack):  # flush left with its values
            home = under[0]
        printed[home].append(piece.text)
        spanned = [k for k, (a, b) in enumerate(columns) if piece.x0 <= (a + b) / 2 <= piece.x1]
        for k in spanned if len(spanned) >= 2 else [home]:
            texts[k].append(piece.text)
        placed.append(piece)
    for k, span in enumerate(columns):
        if not texts[k]:
            texts[k] = [p.text for p in placed if overlap((p.x0, p.x1), span) > 0]
    for k, span in enumerate(columns):
        if texts[k]:
            continue
        # a year or a date set in the gutter right of a column's numbers, before a column
        # without a word ("2024" over a detail column and its total column) heads it too
        texts[k] = [p.text for p in placed if _PERIOD.match(p.text) and
                    k > 0 and columns[k - 1][1] < (p.x0 + p.x1) / 2 < span[0]]
    return (" ".join(label), [" ".join(t) for t in printed], [" ".join(t) for t in texts])


def _phrase(text: str) -> bool:
    """Words of one header, not several read as one cell nor a sentence's end: no number, no
    word wrapped, the first word capitalised and no other ("Muutos korkotasossa
    (%-yksikköä)", not "Työttömät Työttö- Muutos" nor "ja vaatimuksista.")."""
    words = text.split()
    return len(words) >= 2 and words[0][:1].isupper() and not re.search(r"\d|\.$", text) and \
        not any(w.endswith("-") or w[:1].isupper() for w in words[1:])


def _over_empty_column(piece: Seg, line: Line, after: list[Seg],
                       columns: list[tuple[float, float]]) -> bool:
    """A header word, a run of its own, over a printed column that holds no value in this
    table: the run stands over no value column, and the word after it, a column's gap off,
    stands over the column the word would head ("Pitkäaikainen" · "Lyhytaikainen" over a
    sparse note's values, all of them short-term). A year or a date heads a column."""
    run = next((sg for sg in line.segs if sg.x0 - 0.5 <= piece.x0 and piece.x1 <= sg.x1 + 0.5),
               piece)
    if re.search(r"\d", piece.text) or \
            any(overlap((run.x0, run.x1), span) > 0 for span in columns):
        return False
    home = _column_at((piece.x0 + piece.x1) / 2, columns, 0.0)
    return bool(after) and after[0].x0 - run.x1 > line.height and \
        overlap((after[0].x0, after[0].x1), columns[home]) > 0


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


@dataclass
class CarriedHeader:
    """A table's header and where its columns stand, for a part of it further down or on the
    next page that does not print the header again."""

    page: int
    spans: list[tuple[float, float]]
    header: list[str]
    units: list[str | None]
    label: str
    row_height: float
    # taken from a heading over the part (a key–value list's name): it goes on only at the top
    # of the next page, where no heading of its own stands over the rest of the list
    next_page: bool = False

    def goes_on(self, page: int, columns: list[tuple[float, float]]) -> bool:
        """As many columns, each ending where its column above ends (numbers set flush right)
        or, in a grid whose values are not set flush, standing under that column and no other."""
        slack = 0.8 * self.row_height
        if self.next_page and page != self.page + 1:
            return False

        def under(k: int, col: tuple[float, float]) -> bool:
            if abs(col[1] - self.spans[k][1]) <= slack:
                return True
            over = [j for j, span in enumerate(self.spans) if overlap(col, span) > 0]
            return over == [k]

        return page - self.page <= 1 and len(columns) == len(self.spans) and all(
            under(k, col) for k, col in enumerate(columns))

    def columns_under(self, page: int, columns: list[tuple[float, float]],
                      at_top: bool) -> list[int] | None:
        """The carried column each column stands under: all of them in order where the part
        `goes_on`; at the top of the next page, fewer columns too, each ending where a column
        above ends, in order (the rest of a grant list leaves its "Peruste" column empty).
        None where the part is no part of this table."""
        if self.goes_on(page, columns):
            return list(range(len(columns)))
        if not at_top or page != self.page + 1 or self.next_page or \
                not columns or len(columns) >= len(self.spans):
            return None
        slack = 0.8 * self.row_height
        found: list[int] = []
        for col in columns:
            k = next((k for k, span in enumerate(self.spans) if abs(col[1] - span[1]) <= slack),
                     None)
            if k is None or (found and k <= found[-1]):
                return None
            found.append(k)
        return found


def foot_header(lines: list[Line], floor: int) -> list[Line]:
    """Header lines at the foot of a page with no rows under them (from `floor`, the end of the
    page's last table): lines of header cells set close together, right of the text's left
    edge two or more (a ruled header's runs read as one cell count as cells), from it three or
    more. The table they head begins on the next page."""
    left = statistics.median(ln.x0 for ln in lines) if lines else 0.0  # the text's left edge

    def cells(ln: Line) -> int:
        """Header cells: two by the left edge are a label and a word of a row more likely
        ("Lapuan Harrastajanäyttelijät ry" · "käsitellään"), so there it takes three."""
        if ln.x0 < left + 3 * ln.height:
            return len(ln.cells) if len(ln.cells) >= 3 else 0
        return max(len(ln.cells), len([sg for sg in ln.segs if sg.text.strip()]))

    k = len(lines)
    while k > floor and len(lines) - k < 3 and cells(lines[k - 1]) >= 2 and \
            is_header_like([c.text for c in lines[k - 1].cells]) and \
            (k == len(lines) or line_gap(lines[k], lines[k - 1]) < 2.5 * lines[k - 1].height):
        k -= 1
    return lines[k:]


def heads_columns(lines: list[Line], columns: list[tuple[float, float]], label_right: float) -> bool:
    """Every cell of the lines over the label or over a column: a header for these columns."""
    return bool(lines) and all(c.x1 <= label_right + 1.0 or any(
        overlap((c.x0, c.x1), col) > 0 for col in columns) for ln in lines for c in ln.cells)
