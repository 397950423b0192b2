"""Table identities found at index time (indexer/checks.py): hand-made tables with figures
checked by hand, and the Kauhava tables issue #15 names."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.checks import check_table
from indexer.models import Cell, Row, Table
from indexer.parse import parse_file
from indexer.store import _table
from indexer.tables import parse_number

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def table(columns: tuple[str, ...], rows: list[tuple[str, list[str]]]) -> Table:
    built = []
    for label, texts in rows:
        cells = []
        for t in texts:
            parsed = parse_number(t)
            cells.append(Cell(t, *parsed) if parsed else Cell(t))
        built.append(Row(label, tuple(cells)))
    return Table("t", "", "", columns, tuple(built))


BUDGET = table(("TA", "Toteutuma", "Poikkeama", "Tot-%"), [
    ("Toimintatuotot", ["1 200", "1 260", "60", "105,0 %"]),
    ("Toimintakulut", ["-8 000", "-7 600", "400", "95,0 %"]),
    ("Toimintakate", ["-6 800", "-6 340", "460", "93,2 %"]),
    # a row whose columns the parser shifted: it breaks the difference
    ("Verotulot", ["5 100", "5 300", "98,0 %", ""]),
])


def test_difference_and_percent_identities_are_found_and_a_broken_row_is_marked() -> None:
    checked = check_table(BUDGET)
    assert {c.description for c in checked.checks} == {
        "Poikkeama = Toteutuma − TA", "Tot-% = Toteutuma / TA · 100"}
    holds = {c.description: (c.holds, c.applies) for c in checked.checks}
    assert holds["Poikkeama = Toteutuma − TA"] == (3, 4)
    assert holds["Tot-% = Toteutuma / TA · 100"] == (3, 3)
    assert [r.failed_checks for r in checked.rows] == [(), (), (),
                                                      ("Poikkeama = Toteutuma − TA",)]
    assert all(r.checked for r in checked.rows)


def test_rounded_figures_hold_within_half_a_printed_unit() -> None:
    t = table(("2023", "2024", "Muutos %"), [
        ("a", ["454", "438", "-3,5"]),  # -3,524… printed -3,5
        ("b", ["123", "112", "-8,9"]),  # -8,943…
        ("c", ["337", "327", "-3,0"]),  # -2,967…
    ])
    (check,) = check_table(t).checks
    assert check.description == "Muutos % = (2024 − 2023) / 2023 · 100"
    assert (check.holds, check.applies) == (3, 3)


def test_a_total_row_is_the_sum_of_the_rows_above() -> None:
    t = table(("2024", "2023"), [
        ("Myyntituotot", ["1 000,50", "900"]),
        ("Maksutuotot", ["250,25", "300"]),
        ("Tuet ja avustukset", ["49,25", "40"]),
        ("Toimintatuotot yhteensä", ["1 300,00", "1 240"]),
        ("Palkat", ["-700", "-650"]),
        ("Eläkekulut", ["-150", "-140"]),
        ("Henkilöstökulut yhteensä", ["-850", "-790"]),
    ])
    checked = check_table(t)
    assert [(c.kind, c.holds, c.applies) for c in checked.checks] == [("total", 2, 2)]


def test_counts_by_year_are_no_identity() -> None:
    # small counts match a − b or a / b by chance: no period column is a result
    t = table(("TP2021", "TP2022", "TP2023", "TP2024"), [
        ("Ympäristölupa", ["9", "0", "3", "3"]), ("Maa-aineslupa", ["2", "2", "3", "0"]),
        ("Muut", ["19", "13", "26", "29"]), ("Lausunnot", ["5", "3", "2", "4"]),
        ("Tarkastukset", ["8", "5", "3", "7"]),
    ])
    assert check_table(t).checks == ()


def test_checks_survive_the_store() -> None:
    from dataclasses import asdict

    checked = check_table(BUDGET)
    assert _table(asdict(checked)) == checked


@pytest.mark.slow
def test_kauhava_tables_obey_their_identities() -> None:
    rel = "kuntaparse/Kauhava-Tilinpaatos-2024.pdf"
    doc = parse_file(CORPUS / rel, rel, None, 10**9)
    by_page = {t.page: t for t in doc.tables if t.checks}
    invest = {c.description: (c.holds, c.applies) for c in by_page[120].checks}
    assert invest["Menot Tot-% = Toteuma inv.menot / Tarkistettu määräraha · 100"] == (18, 18)
    staff = {c.description for c in by_page[22].checks}
    assert "Muutos ed. tot. = TP2024 − TP2023" in staff


@pytest.mark.slow
def test_seinajoki_prints_yhteisovero_2024_twice_with_different_values() -> None:
    # p. 160 swapped yhteisövero with kiinteistövero; both pages give 2023 as 17 582 013,25
    rel = "kuntaparse/Seinäjoki-Tilinpaatos-2024.pdf"
    doc = parse_file(CORPUS / rel, rel, None, 10**9)
    rows = {(r.page, r.label): (t, r) for t in doc.tables for r in t.rows}
    t56, r56 = rows[(56, "Osuus yhteisöveron tuotosta")]
    ((k, conflict),) = r56.conflicts
    assert t56.columns[k] == "Kaupunki 2024" and r56.cells[k].text == "15 375 879,42"
    assert (conflict.value, conflict.page) == ("31 049 287,88", 160)
    assert conflict.quote.startswith("Osuus yhteisöveron tuotosta 31 049 287,88 17 582 013,25")
    _, r160 = rows[(160, "Osuus yhteisöveron tuotosta")]
    assert [(c.value, c.page) for _, c in r160.conflicts] == [("15 375 879,42", 56)]
    # the 2023 column agrees, so it is no conflict
    assert all(k == 0 for k, _ in r160.conflicts)
    from dataclasses import asdict

    assert _table(asdict(t56)) == t56  # stored in the table JSON and read back


def test_rows_that_share_a_label_but_no_figure_are_not_compared() -> None:
    from indexer.conflicts import mark_conflicts
    from indexer.models import Block

    staff = table(("TP2023", "TP2024"), [("Sivistystoimi", ["451", "423"])])
    costs = table(("TP2023", "TP2024"), [("Sivistystoimi", ["2 962 888,63", "2 600 526,81"])])
    blocks = (Block("table", "", 0, 0, 1, 0, staff), Block("table", "", 0, 0, 2, 0, costs))
    assert mark_conflicts(blocks, "") == blocks


def test_in_minutes_a_budget_printed_twice_is_a_plans_versions_not_a_conflict() -> None:
    from indexer.conflicts import mark_conflicts
    from indexer.models import Block

    frame = table(("TA 2026", "TP 2024"), [("Toimintatuotot", ["1.245.500", "1.301.522"])])
    allocation = table(("TA 2026", "TP 2024"), [("Toimintatuotot", ["1.288.078", "1.301.522"])])
    blocks = (Block("table", "", 0, 0, 7, 0, frame), Block("table", "", 0, 0, 9, 0, allocation))
    assert mark_conflicts(blocks, "", plans=False) == blocks  # minutes
    marked = mark_conflicts(blocks, "")  # a report: the same two printings do conflict
    assert [c.value for _, c in marked[0].table.rows[0].conflicts] == ["1.288.078"]
    # an outturn printed twice with two values conflicts in minutes too
    cols = ("TP 2023", "TP 2024")
    one = table(cols, [("Toimintakulut", ["-24.112.517", "-24.301.522"])])
    other = table(cols, [("Toimintakulut", ["-24.112.517", "-24.310.522"])])
    blocks = (Block("table", "", 0, 0, 7, 0, one), Block("table", "", 0, 0, 9, 0, other))
    marked = mark_conflicts(blocks, "", plans=False)
    assert [(k, c.value) for k, c in marked[0].table.rows[0].conflicts] == [(1, "-24.310.522")]
