"""Two columns of text set side by side (a goal grid's "Talousarviotavoite" beside its
"Tilannekuvaus ja riskiarvio", a minutes' initiative beside how it was handled, a cost centre
beside who approves its bills): read cell by cell — not line by line across both, which ran
"Päätösvalmistelun tavoitteena ovat laadukkaat Uusia ohjelmia ja järjestelmiä on hankittu
laadun palvelut ja asianhallinnan korkea taso. lisäämiseksi…" together.

Found from the lines' runs: a column edge where two or more lines start a cell, which no run
of the lines between crosses, with text on both sides of two or more lines and three lines
or more on each side, and no figures among them (a table's rows are the table's; this is for
the text between tables). The runs of a line are split there even where pdfium's gap left
them one cell ("Päätösvalmistelun tavoitteena" 63–272 · "Uusia ohjelmia" 291–514, a gap of
two word spaces).

Read in rows: the block is cut across where neither column's paragraph goes on (a cell's
paragraph ends at a line that stops short of its column's right edge, after a sentence's end
before a capital, or at a gap; a cell of one column may start a line lower than its row's
cell of the other). Each row reads its left cell, then its right one. Where no cut crosses a
long cell the block is one row: the left column read whole, then the right one. A list of
one-line entries side by side ("Vaalit" · "hallintopäällikkö / kaupunginjohtaja") is no grid
(its columns do not wrap, `_wraps`) and reads line by line, a row a line.

A block headed by its two columns' names ("Talousarviotavoite" · "Tilannekuvaus ja
riskiarvio", `_headed`) is a grid however few its lines — a goal and its follow-up of two lines
each, a goal whose follow-up is empty — where its prose wraps below the header (or only one
side holds text); members beside their deputies under "Varsinainen jäsen" · "Henkilökohtainen
varajäsen" wrap nowhere and stay a list. A ruled band of more cells than sides
(`pdf_rules.fold_ruled`, the strategy row over a goal box) is already read cell by cell and is
no line of a grid; the same row unruled, two labels each beside its wrapped value ("Strateginen
valinta" · "Hyvän johtamisen" · "Strateginen tavoite" · "Osaava henkilöstö", `pair_blocks`),
reads each label with its value.
Used by parse_pdf.py's layout.
"""

from __future__ import annotations

import re

from indexer.pdf_lines import Line, Seg, _cells, line_gap
from indexer.tables import is_number

_EDGE_SLACK = 8.0  # pt a right cell's runs start left of the column edge (ragged starts)
_MIN_LINES = 3  # lines on each side
_MIN_BESIDE = 2  # lines holding text on both sides
_LEVEL = 2.0  # pt: lines whose tops stand this close stand level (one row)
_FULL = 0.75  # of a column's width: a line wrapped there
_MIN_WRAPS = 2
_WRAPPED_SHARE = 0.3  # of a column's lines
# a column's name: up to four words opening in upper case, no figure, no sentence's end
_HEADER = re.compile(r"[A-ZÅÄÖ][^\d.:;!?]*(?<![.,:;])")
_HEADER_WORDS = 4
_WRAP_WORDS = 4  # words of a wrapped line of prose under a header (a name is two or three)
_ONE_SIDE_WORDS = 3  # words under a header whose other column is empty


def _sides(line: Line, edge: float) -> tuple[list[Seg], list[Seg]] | None:
    """The line's runs left and right of the edge, or None where a run crosses it."""
    left, right = [], []
    for sg in sorted(line.segs, key=lambda s: s.x0):
        if not sg.text.strip():
            continue
        if sg.x0 >= edge - _EDGE_SLACK:
            right.append(sg)
        elif sg.x1 <= edge - 2.0:
            left.append(sg)
        else:
            return None
    return left, right


def _fits(line: Line, left_x: float, edge: float) -> tuple[list[Seg], list[Seg]] | None:
    """The line's two sides where it can be a line of the grid: no run across the edge, one
    cell a side at most, starting at its column's start (not a cell of a third column, nor a
    sub-column: "Strateginen valinta" · "Hyvän johtamisen"), no figure (a table's row); a ruled band
    (`pdf_rules.fold_ruled`) by the cells its rules read, one a side at most."""
    sides = _sides(line, edge)
    if sides is None or any(is_number(c.text) for c in line.cells):
        return None
    if line.ruled and len(line.cells) > sum(1 for side in sides if side):
        return None  # its rules' cells, more than one a side (its runs, a band tall, join up)
    for side, start in zip(sides, (left_x, edge), strict=True):
        if side and (len(_cells(side, line.height)) > 1 or abs(side[0].x0 - start) > _EDGE_SLACK):
            return None
    return sides


def _grids(lines: list[Line]) -> list[tuple[float, float]]:
    """Candidate (left column's start, column edge) pairs, most lines first: where the cells of
    two-cell text lines start, those within a few points of each other one (ragged starts:
    285, 288, 291) — two such lines or more, or one that names its two columns (`_names`)."""
    pairs = sorted((ln.cells[1].x0, ln.cells[0].x0, _names(ln)) for ln in lines
                   if len(ln.cells) == 2 and not any(is_number(c.text) for c in ln.cells))
    groups: list[list[tuple[float, float, bool]]] = []
    for edge, left, names in pairs:
        near = next((g for g in groups if edge - g[-1][0] <= _EDGE_SLACK
                     and abs(left - g[0][1]) <= _EDGE_SLACK), None)
        if near is None:
            groups.append([(edge, left, names)])
        else:
            near.append((edge, left, names))
    return [(min(x for _e, x, _n in g), g[0][0]) for g in sorted(groups, key=len, reverse=True)
            if len(g) >= 2 or any(n for _e, _x, n in g)]


def _names(line: Line) -> bool:
    """A two-cell line that names its columns ("Talousarviotavoite" · "Tilannekuvaus ja
    riskiarvio"), a short name a side (`_name`)."""
    return len(line.cells) == 2 and all(_name(c.text) for c in line.cells)


def _name(text: str) -> bool:
    """A column's or a value's name: up to four words opening in upper case, no figure and no
    sentence's end ("Strateginen valinta", "Tilannekuvaus ja riskiarvio")."""
    return bool(_HEADER.fullmatch(text)) and len(text.split()) <= _HEADER_WORDS


def _close(line: Line, above: Line) -> bool:
    """A line set under the one above within a line's height and a fifth: the same block."""
    return line_gap(line, above) <= 1.2 * max(line.height, 4.0)


def column_blocks(lines: list[Line]) -> list[tuple[int, int, list[list[Line]]]]:
    """(start, end, its two columns' lines) of each run of lines (a page's text between its
    tables) that is two columns of text side by side."""
    out: list[tuple[int, int, list[list[Line]]]] = []
    used: set[int] = set()
    for left_x, edge in _grids(lines):
        i = 0
        while i < len(lines):
            if i in used or _fits(lines[i], left_x, edge) is None:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and j not in used and \
                    _fits(lines[j], left_x, edge) is not None and _close(lines[j], lines[j - 1]):
                j += 1
            columns = _columns(lines[i:j], edge)
            # the run a grid; else from its first line that names the columns on, where lines
            # fit above it (a heading at the left column's start, a value's last wrapped line)
            start = i if _is_grid(columns, j - i) else next(
                (k for k in range(i, j - 1) if _names(lines[k]) and
                 _headed(lines[k:j], _columns(lines[k:j], edge), edge)), None)
            if start is not None:
                out.append((start, j, _columns(lines[start:j], edge)))
                used |= set(range(start, j))
            i = j
    return sorted(out)


def _is_grid(columns: list[list[Line]], lines: int) -> bool:
    """Text on both sides of two of the block's `lines` or more, three lines or more on each
    side, and each side wrapped text (`_wraps`): a list of one-line entries side by side —
    names beside their parties, a cost centre beside who approves its bills — reads right line
    by line."""
    beside = sum(len(col) for col in columns) - lines  # every line has a side at least
    return beside >= _MIN_BESIDE and all(len(col) >= _MIN_LINES and _wraps(col) for col in columns)


def _headed(block: list[Line], columns: list[list[Line]], edge: float) -> bool:
    """A block (split at the grid's `edge`) whose first line names its two columns
    ("Talousarviotavoite" · "Tilannekuvaus ja riskiarvio", `_names`): a grid of two lines or
    more, however few besides (a goal and its follow-up of two lines each, a goal whose
    follow-up is empty) — where a column's prose wraps below the header (a line of four words or
    more filling the column, going on in lower case), or where only one column holds text below
    the header, three words or more. Entries beside their values, none wrapped, are a list that
    reads line by line: members beside their deputies ("pj. Riitta Kangasluoma" · "Ritva-Leena
    Heikkinen"), names beside parties
    ("Kari Jorma" · "keskusta"), a signature's names, associations over their representatives
    set a line lower ("Pohjanmaan vesi ja ympäristö" · "tekninen johtaja ympäristöinsinööri")."""
    if len(block) < 2 or not _names(block[0]):
        return False
    if not any(all(_sides(ln, edge) or ()) for ln in block[1:]):  # one side only, a few words
        return sum(len(col) > 1 for col in columns) == 1 and \
            sum(len(ln.text.split()) for ln in block[1:]) >= _ONE_SIDE_WORDS
    return sum(_wrap_count(col[1:], _WRAP_WORDS) for col in columns) >= 1


def _wrap_count(col: list[Line], words: int = 1) -> int:
    """How many of a column's lines (of `words` words or more) fill the column and go on in
    lower case on the next (or end in a hyphen or a dash: "lukuvuodelle 2023–" over "2024")."""
    if not col:
        return 0
    right = max(ln.cells[-1].x1 for ln in col)
    left = min(ln.x0 for ln in col)
    full = [ln.cells[-1].x1 - left >= _FULL * (right - left) and len(ln.text.split()) >= words
            for ln in col]
    return sum(f and (b.text[:1].islower() or a.text.endswith(("-", "–")))
               for a, b, f in zip(col, col[1:], full, strict=False))


def _wraps(col: list[Line]) -> bool:
    """Whether a column's text is wrapped: lines that fill the column and go on in lower case
    on the next (or end in a hyphen or a dash, `_wrap_count`), two or more and a third of its
    lines at least."""
    wraps = _wrap_count(col)
    return wraps >= _MIN_WRAPS and wraps >= _WRAPPED_SHARE * len(col)


def _columns(lines: list[Line], edge: float) -> list[list[Line]]:
    """The block's lines split at the edge: the left column's lines and the right one's."""
    columns: list[list[Line]] = [[], []]
    for ln in lines:
        sides = _sides(ln, edge)
        assert sides is not None  # column_blocks checked every line
        for k, segs in enumerate(sides):
            if segs:
                columns[k].append(Line(ln.top, ln.bottom, segs, _cells(segs, ln.height),
                                       ruled=ln.ruled))
    return columns


def _paragraph_starts(col: list[Line], names: set[float]) -> set[int]:
    """Indices of the column's lines that start a paragraph (the first one too); a column's name
    (a line at one of the `names` tops) is a paragraph of its own where the line below opens in
    upper case ("Strateginen valinta" over "Talousarviotavoite" over "Lapsiystävällisen …" in a
    narrow column, where each ends near enough the column's edge to seem to wrap)."""
    if not col:
        return set()
    right = max(ln.cells[-1].x1 for ln in col)
    return {0} | {k for k in range(1, len(col)) if _new_paragraph(col[k - 1], col[k], right)
                  or _level(col[k - 1].top, names) and col[k].text[:1].isupper()}


def _level(top: float, tops: set[float]) -> bool:
    """A line's top stands level with one of `tops`."""
    return any(abs(top - t) <= _LEVEL for t in tops)


def _name_tops(columns: list[list[Line]]) -> set[float]:
    """The tops of the lines naming the block's two columns: a short name (`_name`) on each
    side, level ("Strateginen valinta" · "Strateginen tavoite", "Talousarviotavoite" ·
    "Tilannekuvaus ja riskiarvio")."""
    left, right = columns
    return {a.top for a in left if _name(a.text)
            and _level(a.top, {b.top for b in right if _name(b.text)})}


def rows(columns: list[list[Line]]) -> list[list[Line]]:
    """A block's two columns read row by row (see the module's docstring): its paragraphs, in
    order."""
    names = _name_tops(columns)
    starts = [_paragraph_starts(col, names) for col in columns]
    out: list[list[Line]] = []
    bounds = [t for t in _row_tops(columns) if _cut(columns, starts, t)] + [float("inf")]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        for col, st in zip(columns, starts, strict=True):
            mine = [k for k, ln in enumerate(col) if lo - _LEVEL <= ln.top < hi - _LEVEL]
            for k in mine:
                if k in st or k == mine[0]:
                    out.append([])
                out[-1].append(col[k])
    return out


def _row_tops(columns: list[list[Line]]) -> list[float]:
    """Where rows may start: the lines' tops, those within a few points of each other one."""
    tops: list[float] = []
    for t in sorted(ln.top for col in columns for ln in col):
        if not tops or t - tops[-1] > _LEVEL:
            tops.append(t)
    return tops


def _cut(columns: list[list[Line]], starts: list[set[int]], top: float) -> bool:
    """Whether a row may start at `top`: in each column the first line from there on (if any)
    starts a paragraph."""
    for col, st in zip(columns, starts, strict=True):
        k = next((k for k, ln in enumerate(col) if ln.top >= top - _LEVEL), None)
        if k is not None and k not in st:
            return False
    return True


def _new_paragraph(prev: Line, line: Line, right: float) -> bool:
    """A new paragraph of a column whose text reaches `right`: a line opening in upper case
    after a gap of over half a line, after a sentence's end, or after a line that ended where
    the new line's first word would have fitted (a cell's last line, a heading:
    "Talousarviotavoite" over "Päätösvalmistelun tavoitteena…"). A line in lower case goes on
    the sentence before (a narrow cell's ragged lines leave room for words)."""
    if not line.text[:1].isupper():
        return False
    if line.top - prev.bottom > 0.5 * max(line.height, prev.height):
        return True
    first = line.cells[0]
    word = first.text.split()[0]
    width = (first.x1 - first.x0) * len(word) / max(len(first.text), 1)
    return prev.cells[-1].x1 + 0.3 * prev.height + width < right - 1.0 or \
        prev.text.endswith((".", ":", "!", "?"))


def pair_blocks(lines: list[Line]) -> list[tuple[int, int, list[list[Line]]]]:
    """(start, end, its runs) of each block of two labels, each beside its wrapped value
    ("Strateginen valinta" · "Hyvän johtamisen" · "Strateginen tavoite" · "Osaava henkilöstö"
    over "ja tasapainoisen" · "tekee yhdessä työtä" …): each label read with its value, the
    first pair, then the second — not line by line across all four ("Hyvän johtamisen Strateginen
    tavoite Osaava henkilöstö ja tasapainoisen tekee…"). The first line holds the four cells,
    the labels short names (`_name`); the lines below go on in those columns, a label's own
    words in lower case only ("Strateginen" over "valinta"), and a value holds two lines or
    more. A line with a new name in a label's column ("Talousarviotavoite") ends the block."""
    out: list[tuple[int, int, list[list[Line]]]] = []
    i = 0
    while i < len(lines):
        first = lines[i]
        starts = [c.x0 for c in first.cells]
        if first.ruled or len(first.cells) != 4 or not all(_name(first.cells[k].text)
                                                           for k in (0, 2)):
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].ruled and _close(lines[j], lines[j - 1]) and \
                _goes_on_pairs(lines[j], starts):
            j += 1
        columns = [_in_column(lines[i:j], starts, k) for k in range(4)]
        if j - i >= 2 and (len(columns[1]) >= 2 or len(columns[3]) >= 2):
            out.append((i, j, [[_one_line(first, columns[k] + columns[k + 1])] for k in (0, 2)]))
            i = j
        else:
            i += 1
    return out


def _column_of(x0: float, starts: list[float]) -> int | None:
    """The column (of a pair block's four) a cell starting at x0 stands in, None off them."""
    return next((k for k, x in enumerate(starts) if abs(x0 - x) <= _EDGE_SLACK), None)


def _goes_on_pairs(line: Line, starts: list[float]) -> bool:
    """A line goes on a pair block: each cell starts at one of its columns and ends before the
    next, no figure, a label's column only in lower case."""
    for c in line.cells:
        k = _column_of(c.x0, starts)
        if k is None or k < 3 and c.x1 > starts[k + 1] - 2.0 or is_number(c.text):
            return False
        if k in (0, 2) and not c.text[:1].islower():
            return False
    return True


def _one_line(first: Line, lines: list[Line]) -> Line:
    """A label's lines and its value's as one line of the block's first line's height (a
    paragraph of its own, no heading): "Strateginen" over "valinta" · "Yrittäjyyden ja" over
    "yhteistyön" over "Seinäjoki" → "Strateginen valinta Yrittäjyyden ja yhteistyön Seinäjoki"."""
    cells = [Seg(min(c.x0 for c in ln.cells), max(c.x1 for c in ln.cells), first.top,
                 first.bottom, ln.text) for ln in lines]
    return Line(first.top, first.bottom, cells, cells)


def _in_column(lines: list[Line], starts: list[float], k: int) -> list[Line]:
    """The block's lines' cells in column k, a line each."""
    out = []
    for ln in lines:
        cells = [c for c in ln.cells if _column_of(c.x0, starts) == k]
        if cells:
            out.append(Line(ln.top, ln.bottom, cells, cells))
    return out
