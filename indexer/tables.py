"""Structured tables: Finnish number parsing, units, and the grid → `Table` builder.

Both parsers produce a grid (a title, header lines, then rows of printed strings, the first cell
being the row label); `build_table` turns it into rows with group context, cells with parsed
numbers and units. Finnish reports print numbers as `1 234,56`, `-6 740 150,20`, `- 502`
(a detached minus), `4.161.531,04`, `56 %`, and placeholders (`xx`, `-`, empty) for no value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from indexer.checks import check_table
from indexer.models import Cell, Row, Table, stable_id
from indexer.textnorm import one_line

_NUMBER = re.compile(
    r"""^(?P<sign>[-\u2212\u2013+]\s?)?
        (?P<int>\d{1,3}(?:(?:[ \u00a0]\d{3})+|(?:\.\d{3})+)|\d+)  # one thousands separator
        (?:,(?P<frac>\d+))?
        \s*(?P<unit>%|€|e|t€|M€|1000\s?€|1\s000\s?€|milj\.\s?€|hlö|kpl|htv)?$""",
    re.X,
)
_DASHES = frozenset({"-", "\u2013", "\u2014"})  # printed for no value
_PLACEHOLDERS = _DASHES | {"", "xx", "x", "..", "…", "*", "n/a"}
_UNIT_ONLY = re.compile(r"^\(?\s*(1\s?000\s?€|t€|€|euroa|%|hlö|kpl|htv|milj\.\s?€|M€)\s*\)?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
# Row labels that state their own unit: "Vakituinen henkilökunta, hlö", "Henkilöstömenot €",
# "Toimintakate €/asukas", "Muutos %"; a length, area or volume after a comma only ("Avustettavat
# yksityistiet, km", "… tilavuus, m³"; not "Hankitaan raakamaata väh. 40 ha", a goal's words),
# and no ratio's denominator ("Kunnossapito € / km")
_LABEL_UNIT = re.compile(r"(?<!/)(?:(?:,\s*|\s)(€/asukas|€/as|1000\s?€|€|%|hlö|kpl|htv|lkm|pv)|"
                         r",\s*(km|m²|m³|ha))\.?$")
# Row labels that count people or things, in no money unit whatever the column states ("Asukasmäärä"
# in a "2024 1 000 €" column of a tuloslaskelma's key figures; "Väestön määrä", "Kunnan
# asukasmäärä 31.12.")
_COUNT_LABEL = re.compile(r"asukasmäärä|asukasluku|väkiluku|väestön määrä|asukkaiden määrä|"
                          r"henkilöstömäärä|henkilöstön määrä|lukumäärä", re.I)
# … but not a figure per such a count ("Toimintakate / asukasmäärä", "Lainat asukasmäärää kohden")
_PER = re.compile(r"/|\bkohde?n\b|\bkohti\b|\bper\b|€", re.I)
_MONEY = ("1000 €", "€", "milj. €")
# a cell that ends a sentence with a word ("riskejä.", "ja vaatimuksista.", "saavutettiin."): the
# last line of the prose above a table (a goal grid's goal and follow-up over its mittari), never
# a header; a header's abbreviations end in a consonant ("Alkuper.", "keskener.", "omistusyht."),
# and a figure's unit is none ("1 000 euroa.")
_SENTENCE_TAIL = re.compile(r"[a-zåäö]{3,}[aeiouyäön][.!?]$")
_DIGIT = re.compile(r"\d")


def normalize_unit(unit: str) -> str:
    unit = one_line(unit).strip("() ")
    if re.fullmatch(r"1\s?000\s?€|t€", unit):
        return "1000 €"
    if unit in ("e", "euroa"):
        return "€"
    if re.fullmatch(r"milj\.\s?€|M€", unit):
        return "milj. €"
    return unit


def parse_number(text: str) -> tuple[float, str | None] | None:
    """`-6 740 150,20` → (-6740150.2, None); `56 %` → (56.0, '%'); `xx` → None."""
    s = one_line(text)
    if s.lower() in _PLACEHOLDERS:
        return None
    m = _NUMBER.match(s)
    if not m:
        return None
    digits = re.sub(r"[ \u00a0.]", "", m.group("int"))
    value = float(digits + ("." + m.group("frac") if m.group("frac") else ""))
    if m.group("sign") and m.group("sign").strip() in ("-", "\u2212", "\u2013"):
        value = -value
    unit = normalize_unit(m.group("unit")) if m.group("unit") else None
    return value, unit


_GROUP = re.compile(r"\d{3}(?:,\d+)?\s*%?$")


def split_numbers(text: str) -> list[str]:
    """A cell that holds several printed numbers, split into them ("9 183 636,30 303 340,32" →
    ["9 183 636,30", "303 340,32"]; "8 688 200 45 253 300" → two). Thousands groups have exactly
    three digits, so a group of one or two digits, or one after a decimal comma, starts a new
    number. [] where the text is not all numbers; one number stays one."""
    tokens = one_line(text).split()
    if any(t in ("-", "\u2013") for t in tokens[1:-1]):
        return []  # a range ("0,93 - 2,00") is one value
    numbers: list[str] = []
    for tok in tokens:
        glued = f"{numbers[-1]} {tok}" if numbers else ""
        # a detached sign ("- 502"), a thousands group or a unit goes on the number before
        if numbers and (numbers[-1] in ("-", "\u2212", "\u2013", "+") or
                        _GROUP.match(tok) and "," not in numbers[-1] and "%" not in numbers[-1]
                        or tok in ("%", "€")) and is_number(glued):
            numbers[-1] = glued
        else:
            numbers.append(tok)
    return numbers if all(is_number(n) for n in numbers) else []


def is_number(text: str) -> bool:
    return parse_number(text) is not None


def is_year(text: str) -> bool:
    """A year as a header prints it ("2024")."""
    return bool(_YEAR.match(one_line(text)))


def is_no_value(text: str) -> bool:
    """A dash printed for no value ("-", "–", "—")."""
    return one_line(text) in _DASHES


def unit_only(text: str) -> str | None:
    """`1 000 €` in a header line is a unit statement, not a value."""
    m = _UNIT_ONLY.match(one_line(text))
    return normalize_unit(m.group(1)) if m else None


def is_header_like(cells: Sequence[str]) -> bool:
    """A header line: no values, only words, periods, years and unit statements — and no
    result of a sum ("= -3 500", a row's cell wrapped onto the next page), nor a sentence's end
    (`_SENTENCE_TAIL`: the last line of the prose above a table)."""
    values = [one_line(c) for c in cells if one_line(c)]
    if not values:
        return False
    return all((not is_number(v) or _YEAR.match(v) or unit_only(v)) and not v.startswith("=")
               and not (_SENTENCE_TAIL.search(v) and not _DIGIT.search(v)) for v in values)


def column_unit(header: str) -> str | None:
    h = one_line(header)
    if h.endswith("%") or h.lower().startswith("tot%") or "%" in h.split():
        return "%"
    m = re.search(r"\((1\s?000\s?€|t€|€|%)\)|(1\s?000\s?€|t€)$|\s(€)$", h)
    if m:
        return normalize_unit(next(g for g in m.groups() if g))
    return None


def label_unit(label: str) -> str | None:
    """The unit a row label states ("Vuosikate, €/asukas": "€/asukas"), "" for one that counts
    people or things ("Asukasmäärä": a number, no unit), None otherwise."""
    label = one_line(label)
    m = _LABEL_UNIT.search(label)
    if m:
        return normalize_unit(m.group(1) or m.group(2))
    return "" if _COUNT_LABEL.search(label) and not _PER.search(label) else None


@dataclass
class GridRow:
    """A printed row before structuring: label + cell strings, with its span in the text."""

    label: str
    cells: list[str]
    start: int
    end: int
    page: int | None = None


def build_table(
    *,
    doc_id: str,
    title: str,
    header: Sequence[str],
    label_header: str,
    rows: Sequence[GridRow],
    section: str,
    page: int | None,
    unit: str | None,
    column_units: Sequence[str | None] | None = None,
) -> Table:
    """Structure a grid: group rows give context to the rows below; cells get numbers + units."""
    width = max([len(header)] + [len(r.cells) for r in rows]) if rows or header else 0
    columns = tuple(one_line(h) for h in list(header) + [""] * (width - len(header)))
    col_units = list(column_units or [None] * width) + [None] * width
    grid = [(one_line(r.label), [one_line(c) for c in r.cells] + [""] * (width - len(r.cells)))
            for r in rows]
    blocks = label_blocks(columns, grid)
    built: list[Row] = []
    groups: tuple[str, ...] = ()
    previous_was_group = False
    carried = ""  # a goal table prints "Toimenpide" once for the rows below it (merged cell)
    for r, (label, texts), block in zip(rows, grid, blocks, strict=True):
        if label and not any(texts):
            groups = (groups + (label,)) if previous_was_group else (label,)
            carried = ""
            built.append(Row(label, (), groups[:-1], True, r.page, r.start, r.end))
            previous_was_group = True
            continue
        previous_was_group = False
        context = groups + ((block,) if block else (carried,) if not label and carried else ())
        carried = label or carried
        own_unit = label_unit(label)
        cells = tuple(
            _cell(t, columns[i], col_units[i] or column_unit(columns[i]), own_unit, unit)
            for i, t in enumerate(texts)
        )
        built.append(Row(label, cells, context, False, r.page, r.start, r.end))
    table_id = stable_id(doc_id, page, title, columns, len(built), built[0].start if built else 0)
    return check_table(Table(table_id, one_line(title), one_line(label_header), columns,
                             tuple(built), section, page, unit))


def label_blocks(columns: Sequence[str], grid: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
    """Per row, the outer label naming its block where the label column has two levels, else "".

    Two levels (Seinäjoki's käyttötalous: "Toimintamenot" · "Alkuperäinen", "Kv 22.4. §26" ·
    "Muutos", "" · "Yhteensä"): the first column is unheaded beside headed value columns and
    holds only words, every row without a label has one, and those rows — each closing its
    block, the total — print one word, twice or more. A block runs from the row naming it to its
    total; an outer label inside it is its own row's (the decision of a Muutos line), and a row
    with no inner word ("Netto (Toimintakate)") stands outside any block. The row naming the
    block says its name itself."""
    data = [(label, texts) for label, texts in grid if any(texts)]
    inner = [texts[0] for _, texts in data if texts and texts[0]]
    closing = [texts[0] for label, texts in data if not label]
    if len(columns) < 3 or columns[0] or not any(columns[1:]) or not inner or \
            any(is_number(t) or unit_only(t) or is_no_value(t) for t in inner) or \
            not all(closing) or len(closing) < 2 or len(set(closing)) > 1:
        return [""] * len(grid)
    out, block = [], ""
    for label, texts in grid:
        opens = bool(label) and bool(texts[0]) and not block
        out.append("" if opens or not texts[0] else block)
        block = "" if not texts[0] or not label else label if opens else block
    return out


def _cell(
    text: str, header: str, col_unit: str | None, row_unit: str | None, table_unit: str | None
) -> Cell:
    parsed = parse_number(text)
    if parsed is None:
        return Cell(text)
    number, own = parsed
    # Precedence: the cell's own sign (%), then the column ("Tot %"), the row label
    # ("Henkilöstömenot €"), and last the unit stated for the whole table ("1 000 €") — but a
    # money unit of the column or the table is none of a row whose label states one not of money
    # ("Vuosikate, €/asukas", "Kassan riittävyys, pv") or counts ("Asukasmäärä": a number); a
    # label's "€" under "1 000 €" is the currency, the column its scale
    if (col_unit or table_unit) in _MONEY and row_unit is not None and row_unit not in _MONEY:
        return Cell(text, number, own or row_unit or None)
    unit = own or col_unit or row_unit or table_unit
    return Cell(text, number, unit)
