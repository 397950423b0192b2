"""Figures a document prints twice with different values: the same row and period elsewhere.

Seinäjoki's statement gives "Osuus yhteisöveron tuotosta", Kaupunki 2024, as 15 375 879,42 on
p. 56 and as 31 049 287,88 on p. 160 (p. 160 swapped it with kiinteistövero). Found at index
time and stored on both rows (`Row.conflicts`), so an answer from either can say so.

A figure's key is its row label (with the group row above it where the label alone says little:
"Yhteensä", "Muut …") and its period: the one year its column header names, whether the column
is a budget (TA, talousarvio), a forecast or an outturn (TP, toteutuma, a bare year), and
whether it is the group's (konserni) or the city's. Columns of changes ("Muutos 2024/2023") and
headers without a year name no period. Two figures differ when they are not the same amount
printed in € and in 1 000 € (within a unit of the coarser figure).

In minutes, a budget or forecast printed twice with other values is a plan's versions — the
frame and the board's allocation, the proposal and the amended one (Sivistyslautakunta 8.10.2025
§ 125 gives TA 2026 toimintatuotot as 1.245.500 and as 1.288.078) — not a misprint: there only
outturns are compared.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

from indexer.models import Block, Cell, Conflict, Row, Table

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_CHANGE = re.compile(r"(?i)muutos|poikkeama|erotus|%|/\s*(?:19|20)\d\d|ka\b|keskiarvo")
_BUDGET = re.compile(r"(?i)\bta\b|talousarvio|budjetti|määräraha|tuloarvio")
_FORECAST = re.compile(r"(?i)ennuste|arvio")
_GENERIC = re.compile(r"(?i)^(?:yhteensä|yht\.?|muut\b|muu\b|josta|joista|-|\d)")
_NUMBERING = re.compile(r"^(?:[IVX]+\s+|\d+\.\s*|[A-H]\s+)")


def _period(header: str, context: str) -> tuple[str, str, str] | None:
    years = set(_YEAR.findall(header))
    if len(years) != 1 or _CHANGE.search(header):
        return None
    kind = "ta" if _BUDGET.search(header) else "ennuste" if _FORECAST.search(header) else "tot"
    # the header's own word first ("Kaupunki 2024" under a section "Konsernilaskelmat")
    own = header.lower()
    entity = "" if re.search(r"kaupunki|kunta", own) else \
        "konserni" if "konserni" in f"{own} {context.lower()}" else ""
    return years.pop(), kind, entity


def _label(row: Row) -> str:
    label = _NUMBERING.sub("", row.label.lower()).strip(" :.")
    label = " ".join(label.split())
    if _GENERIC.match(label) or len(label) < 4:
        return f"{row.groups[-1].lower()} › {label}" if row.groups else ""
    return label


def _same_amount(a: Cell, b: Cell) -> bool:
    assert a.number is not None and b.number is not None
    x, y = abs(a.number), abs(b.number)
    ua, ub = _half_unit(a), _half_unit(b)
    if abs(x - y) <= ua + ub + 1e-9:
        return True
    for scale_a, scale_b in ((1000, 1), (1, 1000)):
        # "15 376" in 1 000 € is 15 375 879,42 in €; one unit of the coarser figure either
        # way, as some reports cut the decimals off instead of rounding ("34 526,45" → "34")
        a, b = x * scale_a, y * scale_b
        if abs(a - b) <= 2 * (ua * scale_a + ub * scale_b):
            return True
    return False


def _distinctive(cell: Cell) -> bool:
    """A figure two unrelated rows hardly share: four digits or more, not a round hundred
    ("1 000" is a target many subsidiaries' cards print)."""
    assert cell.number is not None
    return abs(cell.number) >= 1000 and abs(cell.number) % 100 != 0


def _half_unit(cell: Cell) -> float:
    m = re.search(r",(\d+)", cell.text)
    return 0.5 * 10 ** -(len(m.group(1)) if m else 0)


def _figures(block: Block, plans: bool = True) -> list[tuple[str, dict[tuple, tuple[int, Cell]]]]:
    """Per row of a table block: its label key and its figures by period (`plans`: budgets and
    forecasts too, else outturns alone)."""
    table = block.table
    assert table is not None
    context = f"{table.title} {table.label_header}"
    periods = [p if p is None or plans or p[1] == "tot" else None
               for p in (_period(h, context) for h in table.columns)]
    out = []
    for row in table.rows:
        label = "" if row.is_group else _label(row)
        figures = {(periods[k], cell.unit == "%"): (k, cell) for k, cell in enumerate(row.cells)
                   if k < len(periods) and periods[k] and cell.number is not None}
        out.append((label, figures))
    return out


def mark_conflicts(blocks: tuple[Block, ...], text: str, plans: bool = True) -> tuple[Block, ...]:
    """The blocks with each table row carrying the other values printed for its label and
    period in this document. Two rows are printings of one row when they share the label and
    agree on at least one other period (Seinäjoki pp. 56 and 160 both give 2023 as
    17 582 013,25): a staff table and a cost table that share "Sivistystoimi" never do. Signs
    are left aside (costs print as −46 216 718 in one table and 46 217 in another). `plans`
    False (minutes): budgets and forecasts are not compared, only outturns."""
    rows: dict[str, list[tuple[int, int, dict]]] = defaultdict(list)
    for b, block in enumerate(blocks):
        if block.table is not None:
            for i, (label, figures) in enumerate(_figures(block, plans)):
                if label and len(figures) >= 2:
                    rows[label].append((b, i, figures))
    found: dict[tuple[int, int], list[tuple[int, Conflict]]] = defaultdict(list)
    for printings in rows.values():
        for b, i, mine in printings:
            for b2, i2, theirs in printings:
                if b2 == b:
                    continue
                shared = [p for p in mine if p in theirs]
                agree = [p for p in shared if _same_amount(mine[p][1], theirs[p][1])]
                if not any(_distinctive(mine[p][1]) for p in agree):
                    continue  # zeros, round targets and small counts agree by chance
                if not agree:
                    continue
                row2 = blocks[b2].table.rows[i2]  # type: ignore[union-attr]
                for p in shared:
                    if p in agree:
                        continue
                    k, _ = mine[p]
                    other = theirs[p][1]
                    assert other.number is not None
                    found[(b, i)].append((k, Conflict(
                        other.text, other.number, row2.page,
                        blocks[b2].table.id, i2,  # type: ignore[union-attr]
                        " ".join(text[row2.start:row2.end].split()))))
    if not found:
        return blocks
    out = list(blocks)
    for b, block in enumerate(blocks):
        table = block.table
        if table is None or not any((b, i) in found for i in range(len(table.rows))):
            continue
        new_rows = tuple(replace(r, conflicts=tuple(found[(b, i)])) if (b, i) in found else r
                         for i, r in enumerate(table.rows))
        out[b] = replace(block, table=replace(table, rows=new_rows))
    return tuple(out)


def conflicting_rows(tables: tuple[Table, ...]) -> list[tuple[Table, Row]]:
    return [(t, r) for t in tables for r in t.rows if r.conflicts]
