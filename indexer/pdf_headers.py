"""Column headers of PDF tables from the geometry of their header lines: each word over the
column it stands over, a group header over every column it spans. Used by pdf_tables.py.
"""

from __future__ import annotations

import re

from indexer.pdf_lines import Line, Seg
from indexer.tables import is_number, unit_only


def overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def _column_at(x: float, columns: list[tuple[float, float]], slack: float) -> int:
    """The column a header word centred at x heads: the first whose right edge is at or right of
    it (numbers are set flush right), else the last."""
    return next((k for k, (_, right) in enumerate(columns) if x <= right + slack), len(columns) - 1)


def group_texts(line: Line, columns: list[tuple[float, float]], label_right: float,
                 below: set[int]) -> tuple[list[str], list[str | None]] | None:
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
    pieces = [p for p in _header_pieces(line) if p.x1 > label_right + 1.0]
    homes = []
    texts, units = [], []
    for cell in cells:
        words = [p for p in pieces if cell.x0 - 0.5 <= (p.x0 + p.x1) / 2 <= cell.x1 + 0.5]
        units.append(next((u for p in words if (u := unit_only(p.text))), None))
        words = [p for p in words if not unit_only(p.text)]  # "Määrärahat" · "1000€"
        texts.append(" ".join(p.text for p in words))
        places = {_column_at((p.x0 + p.x1) / 2, columns, slack) for p in words}
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


def header_texts(line: Line, columns: list[tuple[float, float]],
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
        home = _column_at(middle, columns, slack)
        # a run standing over one column only is that column's header, all of it: flush-left
        # numbers under "Talousarvio 2024" in a ruled table end short of its last word
        run = next((sg for sg in line.segs if sg.x0 - 0.5 <= middle <= sg.x1 + 0.5), None)
        under = [k for k, span in enumerate(columns)
                 if run is not None and overlap((run.x0, run.x1), span) > 0]
        if len(under) == 1 and run is not None and \
                columns[under[0]][0] <= (run.x0 + run.x1) / 2 <= columns[under[0]][1]:
            home = under[0]
        printed[home].append(piece.text)
        spanned = [k for k, (a, b) in enumerate(columns) if piece.x0 <= (a + b) / 2 <= piece.x1]
        for k in spanned if len(spanned) >= 2 else [home]:
            texts[k].append(piece.text)
        placed.append(piece)
    for k, span in enumerate(columns):
        if not texts[k]:
            texts[k] = [p.text for p in placed if overlap((p.x0, p.x1), span) > 0]
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
