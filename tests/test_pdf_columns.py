"""Two columns of text side by side read cell by cell (indexer/pdf_columns.py), on pages cut from
corpus PDFs with pypdf (expectations read off the rendered pages):

- columns_goal_grid.pdf — Seinäjoki tilinpäätös 2024 p. 82: a goal grid, each
  "Talousarviotavoite" cell beside its "Tilannekuvaus ja riskiarvio" cell, wrapped sentences on
  both sides, the runs of a line close enough that pdfium's gap made them one cell;
- columns_initiative.pdf — Lapua kaupunginhallitus 3.2.2025 p. 46: a council initiative's text
  beside how it has been handled, in narrow ragged cells;
- columns_list.pdf — Lapua kaupunginhallitus 16.12.2024 p. 16: cost centres beside who approves
  their bills, one-line entries that read right line by line.
"""

from __future__ import annotations

from pathlib import Path

from indexer.parse import parse_file


def paragraphs(fixtures: Path, name: str) -> list[str]:
    doc = parse_file(fixtures / name, name, None, 10**7)
    return [b.text for b in doc.blocks if b.kind != "table"]


def test_a_goal_grid_reads_each_cell_whole_not_line_by_line_across(fixtures: Path) -> None:
    found = paragraphs(fixtures, "columns_goal_grid.pdf")
    assert "Päätösvalmistelun tavoitteena ovat laadukkaat palvelut ja asianhallinnan korkea taso." \
        in found
    assert "Uusia ohjelmia ja järjestelmiä on hankittu laadun lisäämiseksi ja sähköisen " \
        "asianhallinnan kehittämiseksi." in found
    assert "Konsernin sisäistä yhteistyötä on parannettu kaupunkikonsernin kokonaisedun " \
        "huomioimiseksi." in found
    # row by row: each goal before its follow-up, the follow-up before the next goal
    order = [next(i for i, p in enumerate(found) if p.startswith(start)) for start in (
        "Talousarviotavoite", "Päätösvalmistelun", "Uusia ohjelmia", "Omistajaohjauksen",
        "Konsernin sisäistä", "Monistus-", "Palvelut on tuotettu")]
    assert order == sorted(order)
    assert not any("laadukkaat Uusia" in p or "taso. lisäämiseksi" in p for p in found)


def test_an_initiative_beside_its_handling_reads_each_column_on(fixtures: Path) -> None:
    text = " ".join(paragraphs(fixtures, "columns_initiative.pdf"))
    assert "tulee olla sellaisessa tilassa, että ne eivät aiheuta häiriötä opetukselle." in text
    assert "Sivistyslautakunta käsitteli asiaa 21.11.2024 § 122." in text
    assert "Kaupunginhallitus käsitteli asiaa 2.12.2024 § 357 ja palautti asian takaisin " \
        "valmisteluun." in text


def test_one_line_entries_side_by_side_stay_rows(fixtures: Path) -> None:
    text = " ".join(paragraphs(fixtures, "columns_list.pdf"))
    assert "Vaalit hallintopäällikkö / kaupunginjohtaja" in text
    assert "Talouspalvelut talouspäällikkö / kaupunginjohtaja" in text


def test_a_ruled_cells_line_goes_on_after_a_sentence_not_after_an_abbreviation_or_a_date() -> None:
    from indexer.pdf_rules import _goes_on

    assert _goes_on("… otettu käyttöön.", "Palveluja kehitettäessä")  # the cell's prose goes on
    assert _goes_on("jaettiin seuraavasti:", "Kaupunki")
    assert _goes_on("Koneet ja kalusto /", "Kalusto")
    # an abbreviation or a date ends a label; the next capitalised line is a row of its own
    for above in ("Toimintatuotot yht.", "Sopimukset mm.", "esim.", "Peruspääoma 31.12."):
        assert not _goes_on(above, "Toimintakulut"), above


def test_a_rate_line_cell_is_a_per_cent_figure_with_any_minus() -> None:
    from indexer.pdf_tables import _per_cent

    assert all(_per_cent(t) for t in ("-1 %", "0 %", "1 %", "–0,5 %", "1\u00a0%", "−2 %"))
    assert not any(_per_cent(t) for t in ("1", "1 000 €", "%-yksikköä", "2024"))
