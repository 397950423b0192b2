"""The identities a report table obeys, found at index time, and the rows that break them.

Finance tables carry their own check: Poikkeama = Toteutuma − TA, Tot-% = Toteutuma / TA,
Muutos % = (2024 − 2023) / 2023, a Yhteensä row = the sum of its rows. A row whose columns were
shifted or merged by the parser breaks its table's identity, so the share of rows that hold is a
measure of table fidelity, and a row that fails is marked for the answer side.

An identity is taken to be one the table obeys when it holds for at least 60 % of the rows it
applies to, and for at least three of them (two for totals); chance agreement of printed figures
is negligible at that count. Printed figures are rounded: an identity holds within half a unit of
the last printed decimal of each figure involved.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import permutations

from indexer.models import Cell, Check, Row, Table

MIN_SHARE = 0.6
_YEAR = re.compile(r"(?:19|20)\d\d")
_CHANGE_WORD = re.compile(r"(?i)muutos|poikkeama|erotus|\bero\b|ylitys|alitus|jäljellä")
_TOTAL = re.compile(r"(?i)(^|\s)(yhteensä|yht\.?|total|summa)(\s|$)")


def _unit(cell: Cell) -> float:
    """Half a unit of the last printed decimal: "1 234,5" → 0.05, "1 234" → 0.5."""
    m = re.search(r",(\d+)", cell.text)
    return 0.5 * 10 ** -(len(m.group(1)) if m else 0)


def _holds(kind: str, a: Cell, b: Cell, c: Cell) -> bool | None:
    """Whether c relates to a and b as `kind` says; None where it cannot apply."""
    x, y, z = a.number, b.number, c.number
    if x is None or y is None or z is None:
        return None
    ua, ub, uc = _unit(a), _unit(b), _unit(c)
    if kind == "difference":
        return abs(z - (x - y)) <= ua + ub + uc + 1e-9
    if y == 0 or abs(y) <= ub:
        return None
    base = x if kind == "percent" else x - y
    expected = 100 * base / y
    # rounding of a and b moves the ratio by up to 100·(ua/|y| + |x|·ub/y²)
    slack = 100 * ((ua + (ub if kind == "change" else 0)) / abs(y) + abs(x) * ub / y**2)
    return abs(z - expected) <= uc + slack + 1e-9


def _describe(table: Table, kind: str, cols: tuple[int, ...]) -> str:
    name = [table.columns[k] or f"sarake {k + 1}" for k in cols]
    if kind == "difference":
        return f"{name[2]} = {name[0]} − {name[1]}"
    if kind == "percent":
        return f"{name[2]} = {name[0]} / {name[1]} · 100"
    return f"{name[2]} = ({name[0]} − {name[1]}) / {name[1]} · 100"


def _percent_column(table: Table, rows: list[tuple[int, Row]], k: int) -> bool:
    cells = [r.cells[k] for _, r in rows if k < len(r.cells) and r.cells[k].number is not None]
    return "%" in table.columns[k] or 2 * sum(c.unit == "%" for c in cells) > len(cells)


def _result_column(table: Table, k: int, kind: str, percent: bool) -> bool:
    """Percentages land in a percent column; a difference in a column that is no period's
    value: not "TP2022" or "2024" (a table of counts by year matches a − b by chance), but
    "Muutos 2024/2023", "Poikkeama" or an unheaded one."""
    if kind != "difference":
        return percent
    header = table.columns[k]
    return not percent and (not _YEAR.search(header) or bool(_CHANGE_WORD.search(header)))


def _column_checks(table: Table, rows: list[tuple[int, Row]]) -> list[tuple[Check, dict]]:
    """Column identities the table obeys — the best one per result column — with each applying
    row's outcome."""
    width = len(table.columns)
    numeric = [k for k in range(width)
               if sum(1 for _, r in rows if k < len(r.cells) and r.cells[k].number is not None) >= 3]
    percent = {k: _percent_column(table, rows, k) for k in numeric}
    best: dict[int, tuple[Check, dict]] = {}
    for kind in ("difference", "percent", "change"):
        for a, b, c in permutations(numeric, 3):
            if percent[a] or percent[b] or not _result_column(table, c, kind, percent[c]):
                continue
            outcome = {}
            for i, r in rows:
                if max(a, b, c) < len(r.cells):
                    x, y, z = (r.cells[k].number for k in (a, b, c))
                    # zeros and repeated figures prove nothing
                    if not x or not y or not z or len({x, y, z}) < 3:
                        continue
                    ok = _holds(kind, r.cells[a], r.cells[b], r.cells[c])
                    if ok is not None:
                        outcome[i] = ok
            held = sum(outcome.values())
            if held >= 3 and held >= MIN_SHARE * len(outcome) and \
                    (c not in best or held > best[c][0].holds):
                best[c] = (Check(kind, (a, b, c), _describe(table, kind, (a, b, c)), held,
                                 len(outcome)), outcome)
    # c = a − b and a = c + b are one identity: keep the better-kept form
    unique: dict[frozenset[int], tuple[Check, dict]] = {}
    for check, outcome in best.values():
        key = frozenset(check.columns)
        if key not in unique or check.holds > unique[key][0].holds:
            unique[key] = (check, outcome)
    return list(unique.values())


def _total_check(table: Table) -> tuple[Check, dict] | None:
    """Yhteensä rows against the sum of the rows above them, back to the group row or the
    previous total."""
    outcome: dict[int, bool] = {}
    block: list[Row] = []
    for i, r in enumerate(table.rows):
        if r.is_group:
            block = []
            continue
        if _TOTAL.search(r.label) and len(block) >= 2:
            results = []
            for k, cell in enumerate(r.cells):
                parts = [b.cells[k] for b in block if k < len(b.cells)]
                if cell.number is None or cell.unit == "%" or \
                        sum(p.number is not None for p in parts) < 2:
                    continue
                total = sum(p.number for p in parts if p.number is not None)
                slack = _unit(cell) + sum(_unit(p) for p in parts if p.number is not None)
                results.append(abs(cell.number - total) <= slack + 1e-9)
            if results:
                outcome[i] = all(results)
            block = []
            continue
        block.append(r)
    held = sum(outcome.values())
    if held >= 2 and held >= MIN_SHARE * len(outcome):
        return Check("total", (), "Yhteensä = rivien summa", held, len(outcome)), outcome
    return None


def check_table(table: Table) -> Table:
    """The table with the identities it obeys and, per row, the ones it fails."""
    rows = [(i, r) for i, r in enumerate(table.rows) if not r.is_group and r.cells]
    found = _column_checks(table, rows)
    if total := _total_check(table):
        found.append(total)
    if not found:
        return table
    new_rows = []
    for i, r in enumerate(table.rows):
        applying = [(check, outcome[i]) for check, outcome in found if i in outcome]
        failed = tuple(check.description for check, ok in applying if not ok)
        new_rows.append(replace(r, failed_checks=failed, checked=bool(applying)))
    return replace(table, rows=tuple(new_rows), checks=tuple(check for check, _ in found))
