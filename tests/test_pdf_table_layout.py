"""Table structure from PDF geometry (issue #15), on single pages cut from corpus PDFs with pypdf
(tests/fixtures/tables_*.pdf; expectations read off the rendered pages):

- tables_talous_grid.pdf — Seinäjoki tilinpäätös 2024 p. 94: a budget-change grid whose
  unheaded Alkuperäinen / Muutos / Yhteensä column is set flush left;
- tables_stacked_minutes.pdf — Lapua sivistyslautakunta 21.11.2024 p. 18: five small ruled
  tables stacked, each with its own "TA 2024 · Tot. 09/2024 · Tot-%" header, numbers flush left
  and each label nearly touching its first value;
- tables_touching_value.pdf — Lapua tekninen lautakunta 14.10.2025 p. 15: "Valmistus omaan
  käyttöön" set against its first value;
- tables_wrapped_labels.pdf — Seinäjoki tilinpäätös 2024 p. 72: a label wrapped with its
  numbers on the second line;
- tables_label_below.pdf — Seinäjoki tilinpäätös 2024 p. 141: a label going on below its
  numbers in parentheses;
- tables_group_headers.pdf — Seinäjoki tilinpäätös 2024 p. 147: "Määrärahat 1000€" and
  "Tuloarviot 1000€" set flush left over five column headers each;
- tables_header_band.pdf — Seinäjoki tilinpäätös 2024 p. 142: the header set in white on a
  coloured band, a blank stretch of the band between it and the first row;
- tables_ruled_header.pdf — Lapua ympäristölautakunta 12.02.2025 p. 5: a ruled table whose
  header cells are close enough to read as one line cell;
- tables_narrow_ruled.pdf — Lapua kaupunginhallitus 18.11.2025 p. 22: a narrow ruled table
  whose neighbouring values ("30 667" · "111 555") read as one number;
- tables_goal_grid.pdf — Seinäjoki tilinpäätös 2024 p. 104: goal tables (Mittari / Nykyarvo /
  Tavoitearvo / Toteuma-arvo, a traffic light, a score) under a prose cell, words and numbers
  flush left in one column, a label set against its first value;
- tables_side_by_side.pdf — Kauhava tilinpäätös 2024 p. 35: a balance sheet's VASTAAVAA and
  VASTATTAVAA set side by side on one page;
- tables_detail_total.pdf — Seinäjoki tilinpäätös 2024 p. 61: "31.12.2024" centred over a
  detail and a total column, numbered group rows ("II" · "Saamiset") under the header;
- tables_continued.pdf — Lapua kaupunginhallitus 3.2.2025 pp. 24–25: a ruled minutes table
  going on over the page without its header, its values not set flush with the columns;
- tables_year_header.pdf — Lapua kaupunginhallitus 4.11.2024 p. 9: a header row of years with
  footnote marks ("Tilivuosi" · "2023" · "2024**" · "2025**");
- tables_name_rows.pdf — Seinäjoki tilinpäätös 2024 p. 69: rows holding a name and a place but
  no values ("Sedu Education Oy" · "Seinäjoki") inside a table of holdings;
- tables_dash_rows.pdf — Kauhava tilinpäätös 2024 p. 147: rows printing a dash for no value in
  every column ("Lisäykset" · "-" · "-" · "-" · "-");
- tables_foot_header.pdf — Lapua kaupunginhallitus 3.11.2025 pp. 48–49: a ruled table's header
  printed at the foot of one page, its rows at the top of the next;
- tables_header_first_word.pdf — Kauhava tilinpäätös 2024 p. 90: budget tables stacked, the
  first word of a three-line header ("TA" over "muutosten jälkeen") on a line of its own;
- tables_run_header.pdf — Seinäjoki tilinpäätös 2024 pp. 20 and 31: a header line set as one
  text run over all the columns ("TP-2020 TP-2021 … Asukasluku", "Luonn. väestönlisäys Kuntien
  välinen nettomuutto …");
- tables_one_word_header.pdf — Lapua kaupunginhallitus 4.11.2024 p. 31: a ruled header whose
  third line is one run of a word a column ("30.9.2024 30.9.2024 9/2023 9/2023");
- tables_unit_header.pdf — Seinäjoki tilinpäätös 2024 p. 54: the header a line of units beside
  the table's name ("Tuloslaskelman tuottojen jakaantuminen" · "1 000 €" · "%");
- tables_gutter_year.pdf — Seinäjoki tilinpäätös 2024 p. 183: "2024" and "2023" each set in the
  gutter between a detail and a total column;
- tables_key_value.pdf — Seinäjoki tilinpäätös 2024 pp. 175–176: swap contracts' key–value
  lists, each under its contract's heading, the last going on over the page;
- tables_staggered_header.pdf — Lapua kaupunginhallitus 20.1.2025 p. 38: a ruled header whose
  cells stand at different heights, so that its lines stand into one another;
- tables_cell_over_page.pdf — Lapua kaupunginhallitus 3.2.2025 pp. 25–26: a ruled table whose
  last row's cell goes on at the top of the next page ("= -3 500"), the next row's label wrapped
  round its values;
- tables_period_run.pdf — Lapua hyvinvointilautakunta 18.2.2025 p. 11: a header set as one run
  whose headers name their periods and unit ("TA 2024 TOT 2024 käyttö-%");
- tables_far_year_header.pdf — Kauhava tilinpäätös 2024 p. 47: "2024" · "2023" over "1 000 €" ·
  "1 000 €", set well above the first row;
- tables_label_round_values.pdf — Lapua kaupunginhallitus 20.1.2025 pp. 23–24: a first row whose
  label wraps round its values ("Kunnan peruspalvelujen valtionosuus" · values · "(sis. …)"),
  the table going on over the page;
- tables_one_row_foot.pdf — Lapua ympäristölautakunta 12.9.2023 pp. 10–11: a header and one row
  at the foot of a page, the table going on at the top of the next;
- tables_grant_list.pdf — Lapua hyvinvointilautakunta 21.5.2025 pp. 8–9: a ruled grant list
  whose names wrap over two lines, each grant set in the middle of its cell's height between
  them, and a header run flush left with the grants under it ("Valmistelijan e" · "hdotus");
- tables_wrapped_values.pdf — Lapua kaupunginhallitus 23.6.2025 p. 26: a ruled table whose
  values wrap round the line of their label ("6 072,00" over "Alavus" · "10763" · "2 686,16 €"
  over "€"), one label wrapped over three lines round its values, and a header whose cells
  stand at different heights ("Väkiluku" over "Kunta" over "vuonna 2024");
- tables_tall_header.pdf — Kauhava tilinpäätös 2024 p. 145: a ruled header seven lines tall
  ("Kaupungin" over "omistus-" over "osuus"), the label column's "Nimi" set at its middle, each
  word-break hyphen's box set lower than its word;
- tables_header_left_of_values.pdf — Seinäjoki tilinpäätös 2024 p. 181: "2024" centred over a
  column of short numbers ("97" · "2 273"), so that it ends left of them, beside a long label
  header ("42) Henkilöstön lukumäärä 31.12. ml.");
- tables_flush_left_zero.pdf — Lapua hyvinvointilautakunta 22.1.2025 p. 16: a ruled table of
  right-set values whose zeros are set flush left ("0" · "-10.000" · "-10.000");
- tables_foot_run_header.pdf — Lapua hyvinvointilautakunta 14.11.2024 pp. 23–24: a ruled
  header read as one cell ("TA 2024" · "Tot. 09/2024" · "Tot-%") and one row at the foot of a
  page, its label set against its first value; the table goes on over the page;
- tables_ruled_grid.pdf — Lapua kaupunginhallitus 18.11.2025 p. 38: a ruled grid of tall label
  cells ("Taajaan" over "asuttu" over the row's values over "alue" over "(UCC)") and header
  cells wrapped over three lines ("Alueen" over "koko" over "pintaala (ha)");
- tables_ruled_goal_grid.pdf — Seinäjoki tilinpäätös 2024 p. 139: a ruled goal grid whose cells
  wrap ("+1 000" over "(ilman kaupungin" over "ylimääräistä" over "vastiketta)");
- tables_ruled_columns.pdf — Seinäjoki tilinpäätös 2024 p. 170: a statement whose columns are
  ruled but not its rows, so that a band between two rules holds several rows;
- tables_sparse_note.pdf — Kauhava tilinpäätös 2024 p. 149: a sparse note ("30) Vieras
  pääoma") whose items mostly print no value, seven label-only lines between its first row and
  the next, and a header of four printed columns ("2024" · "2023" over "Pitkäaikainen" ·
  "Lyhytaikainen" twice) of which two hold values;
- tables_sparse_groups.pdf — Kauhava tilinpäätös 2024 p. 151: "41) Muut taseen ulkopuoliset
  järjestelyt", nine label-only lines between its header and its first row;
- tables_rate_header.pdf — Seinäjoki tilinpäätös 2024 p. 180: an interest-rate sensitivity
  table, "Muutos korkotasossa (%-yksikköä)" over "-1 %" · "0 %" · "1 %".
- tables_ruled_mittari.pdf — Seinäjoki tilinpäätös 2024 pp. 129–130: subsidiaries' goal grids
  whose mittari cells wrap beside a wrapped tavoite ("Ylläpitokorjauksia" over "suoritetaan
  vuosittain" beside "hallinnassa"), and a ruled cell holding two mittari, each with its own
  values ("Kontaktoitujen yritysten määrä kpl" · "1920", "Neuvontapalvelujen määrä kpl" ·
  "1208");
- tables_ruled_goal_items.pdf — Seinäjoki tilinpäätös 2024 pp. 87 and 98: goal grids (Mittari
  / Nykyarvo / Tavoitearvo / Toteuma-arvo) whose cells wrap in every column, one ruled row
  holding two mittari set a blank line apart, the second without values;
- tables_wrapped_numbers.pdf — Lapua tekninen lautakunta 26.8.2025 p. 20 and kaupunginhallitus
  3.2.2025 p. 22: ruled cells too narrow for their numbers ("85.80" over "0 €", "600.0" over
  "00 €", "-394.450,5" over "0");
- tables_row_over_page.pdf — Lapua tekninen lautakunta 26.8.2025 pp. 20–21: a ruled project
  table going on over the page without its header, the row crossing the page ending at the top
  of the next in two ruled cells set close ("026" · "€", the rest of "31.8.2026" and
  "31.144,29 €");
- tables_grant_rest.pdf — Lapua hyvinvointilautakunta 29.4.2025 pp. 27–28: a ruled grant list
  going on over the page, its words set against the next ruled cell's value ("siirretty
  kulttuuritoimelle" · "0");
- tables_header_year_words.pdf — Seinäjoki tilinpäätös 2024 p. 145: a three-line header whose
  lower lines hold words and a year ("vuosien" · "arvio" · "2024" · "yhteensä"), set right under
  the line above, so that "2024" reads as a value.

Four cuts (tables_dash_rows.pdf, tables_header_first_word.pdf, tables_tall_header.pdf,
tables_sparse_note.pdf) had their
embedded font programs (ArialMT, TimesNewRomanPSMT and others, up to 1 MB each) dropped to keep
them small; their parse is the same to the character as the page cut whole.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from indexer.models import Table
from indexer.parse import parse_file
from indexer.pdf_lines import Line, Seg, page_lines
from indexer.pdf_tables import in_header_band
from indexer.tables import split_numbers


def tables(fixtures: Path, name: str) -> list[Table]:
    return list(parse_file(fixtures / name, name, None, 10**7).tables)


def cells(table: Table, label: str) -> list[str]:
    row = next(r for r in table.rows if r.label == label)
    return [c.text for c in row.cells]


def test_a_flush_left_text_column_is_one_column_and_values_sit_under_their_headers(
        fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_talous_grid.pdf") if "Talous" in t.label_header)
    assert list(table.columns) == ["", "Talousarvio €", "Toteutuma €", "Poikkeama €"]
    assert cells(table, "Toimintatulot") == ["Alkuperäinen", "393 900", "", ""]
    assert cells(table, "Kv 22.4. §26") == ["Muutos", "-99 200", "", ""]
    assert cells(table, "Netto (Toimintakate)") == ["", "-11 066 600", "-11 220 390", "-153 790"]


def test_a_two_level_label_column_names_each_block_down_to_its_total(fixtures: Path) -> None:
    """"Toimintamenot" over "Alkuperäinen / Kv 22.4. §26 Muutos / … / Yhteensä": the outer
    label is the group of its block's rows down to the block's total (the total had the last
    decision's label, "Kv 21.10. §81", as its group); the rows stay as printed."""
    table = next(t for t in tables(fixtures, "tables_talous_grid.pdf") if "Talous" in t.label_header)
    rows = [(r.groups, r.label, r.cells[0].text) for r in table.rows]
    assert rows == [
        ((), "Toimintatulot", "Alkuperäinen"),
        (("Toimintatulot",), "", "Yhteensä"),
        ((), "Toimintamenot", "Alkuperäinen"),
        (("Toimintamenot",), "Kv 22.4. §26", "Muutos"),
        (("Toimintamenot",), "Kv 9.12. §98", "Muutos"),
        (("Toimintamenot",), "Kv 21.10. §81", "Muutos"),
        (("Toimintamenot",), "", "Yhteensä"),
        ((), "Netto (Toimintakate)", ""),
    ]


def test_stacked_minutes_tables_each_get_their_header_and_labels(fixtures: Path) -> None:
    found = tables(fixtures, "tables_stacked_minutes.pdf")
    headed = [t for t in found if list(t.columns) == ["TA 2024", "Tot. 09/2024", "Tot-%"]]
    # the first goes on from the page before, without a header; the fifth is INVESTOINNIT's at
    # the page's foot, the same header as printed
    assert len(headed) == 5
    assert cells(headed[0], "Toimintatuotot") == ["119.250", "55.177", "46,3"]
    assert cells(headed[0], "Toimintakulut *)") == ["- 980.650", "-747.137", "76,2"]
    assert cells(found[0], "Toimintakulut *)") == ["- 16.756.130", "- 13.155.924", "78,5"]
    assert cells(headed[2], "Toimintakate") == ["- 277.130", "-493.853", "178,2"]


def test_no_cell_holds_two_numbers(fixtures: Path) -> None:
    for name in ("tables_stacked_minutes.pdf", "tables_touching_value.pdf", "tables_talous_grid.pdf"):
        two = [c.text for t in tables(fixtures, name) for r in t.rows for c in r.cells
               if c.number is None and len(split_numbers(c.text)) >= 2]
        assert two == [], name


def test_a_label_set_against_its_first_value_is_split_from_it(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_touching_value.pdf")
                 if any(r.label == "Toimintatuotot" for r in t.rows))
    assert cells(table, "Valmistus omaan käyttöön") == ["400 000", "400 000", "0"]
    assert cells(table, "Toimintatuotot") == ["4 622 200", "4 622 200", "0"]


def test_a_label_wrapped_onto_its_numbers_line_is_one_label(fixtures: Path) -> None:
    table = tables(fixtures, "tables_wrapped_labels.pdf")[0]
    assert list(table.columns) == ["2024", "2023"]
    labels = [r.label for r in table.rows]
    assert "Pysyvien vastaavien hyödykkeiden luovutustulot" in labels
    assert "luovutustulot" not in labels and "Pysyvien vastaavien hyödykkeiden" not in labels
    assert cells(table, "Pysyvien vastaavien hyödykkeiden luovutustulot") == ["1 258", "-5 530"]


def test_a_label_going_on_below_its_numbers_is_one_label(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_label_below.pdf")
                 if t.label_header == "Tunnusluku (euroa)")
    assert cells(table, "Tilikauden voitto/-tappio (ennen TP-siirtoja ja veroja)") == [
        "1 707 320", "0", "684 342", "-1 022 978"]
    assert not any(r.is_group for r in table.rows)


def test_a_group_header_heads_every_column_it_spans(fixtures: Path) -> None:
    table = tables(fixtures, "tables_group_headers.pdf")[0]
    parts = ["Alkup. talousarvio", "TA:n muutokset", "TA muutosten jälkeen", "Toteutuma",
             "Poikkeama"]
    assert list(table.columns) == ["*) B", *(f"Määrärahat {p}" for p in parts),
                                   *(f"Tuloarviot {p}" for p in parts)]
    vaalit = next(r for r in table.rows if r.label == "100 Vaalit")
    assert [(c.text, c.unit) for c in vaalit.cells[1:3]] == [("606", "1000 €"), ("", None)]


def test_a_header_on_a_band_above_a_blank_stretch_heads_the_table(fixtures: Path) -> None:
    table = tables(fixtures, "tables_header_band.pdf")[0]
    assert list(table.columns) == ["Alkuperäinen talousarvio", "Talousarviomuutokset",
                                   "Talousarvio muutosten jälkeen", "Toteutuma", "Poikkeama"]
    assert table.label_header == "TULOSLASKELMAOSA KAUPUNKI ulkoiset ja sisäiset"
    assert table.rows[0].label == "Toimintatulot" and table.rows[0].is_group


def test_a_ruled_header_read_as_one_cell_heads_its_columns(fixtures: Path) -> None:
    table = tables(fixtures, "tables_ruled_header.pdf")[0]
    assert table.label_header == "YMPÄRISTÖLAUTAKUNTA"
    assert list(table.columns) == ["Talousarvio 2024", "Toteuma 31.12.2024", "Tot-%"]
    assert cells(table, "Toimintakate") == ["-207.050", "-142.678", "68,9 %"]


def test_neighbouring_values_of_a_narrow_ruled_table_stay_apart(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_narrow_ruled.pdf")
                 if any(r.label == "Kokonaisrahoitus" for r in t.rows))
    assert cells(table, "Kokonaisrahoitus")[:2] == ["30 667", "111 555"]
    assert cells(table, "EU-valtio rahoitus")[:2] == ["24 533", "89 244"]


def test_goal_tables_keep_their_columns_apart_from_prose_and_labels(fixtures: Path) -> None:
    found = tables(fixtures, "tables_goal_grid.pdf")
    museum = next(t for t in found if any(r.label.startswith("Museolla") for r in t.rows))
    assert list(museum.columns) == ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo", ""]
    assert cells(museum, "Museolla on pysyväisnäyttelyitä") == ["9", "9", "Kyllä", "1"]
    staff = next(t for t in found if any(r.label.startswith("Työhyvinvoinnin") for r in t.rows))
    assert list(staff.columns) == ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo", ""]
    assert cells(staff, "Tehtäväkuvien ja työnjaon selkeä kirjaaminen") == [
        "Aloitettu", "Valmis", "Tehty", "1"]


def test_tables_side_by_side_are_two_tables_with_their_own_headers(fixtures: Path) -> None:
    found = tables(fixtures, "tables_side_by_side.pdf")
    assets = next(t for t in found if t.label_header == "VASTAAVAA")
    debts = next(t for t in found if t.label_header == "VASTATTAVAA")
    assert list(assets.columns) == list(debts.columns) == ["2024", "2023"]
    assert cells(assets, "A PYSYVÄT VASTAAVAT") == ["114 995", "109 531"]
    assert cells(assets, "Pankkisaamiset") == ["18 895", "16 940"]
    assert cells(debts, "A OMA PÄÄOMA") == ["54 712", "50 421"]
    assert cells(debts, "Omavaraisuusaste, %") == ["40,3 %", "39,5 %"]
    assert all(c.unit == "1000 €" for c in debts.rows[0].cells)
    assert not any(r.label == "A OMA PÄÄOMA" for r in assets.rows)


def test_a_header_over_a_detail_and_a_total_column_heads_both(fixtures: Path) -> None:
    found = tables(fixtures, "tables_detail_total.pdf")
    assert len(found) == 1  # numbered group rows ("II" · "Saamiset") do not cut it
    table = found[0]
    assert table.label_header == "VASTAAVAA"
    assert list(table.columns) == ["31.12.2024", "31.12.2024", "31.12.2023", "31.12.2023"]
    assert table.title == "4. Rahoitusasema ja sen muutokset"
    assert [r.label for r in table.rows[:2]] == ["A PYSYVÄT VASTAAVAT", "I Aineettomat hyödykkeet"]
    assert cells(table, "4. Siirtosaamiset") == ["8 808", "16 759", "4 343", "14 130"]
    assert cells(table, "VASTAAVAA YHTEENSÄ") == ["", "630 724", "", "629 115"]


def test_a_table_going_on_over_the_page_keeps_the_header_above(fixtures: Path) -> None:
    found = tables(fixtures, "tables_continued.pdf")
    part = next(t for t in found if t.page == 2 and t.rows[0].label.startswith("Ulkovalaistus"))
    # the header's second line ("ha €" · "€" · "2024 €" · "2025 €", standing into the first
    # and into "Kustannuspaikka") is the header's, not a row
    header = ["Määrära ha €", "Käytetty", "Käyttämättä 2024 €", "Lisämääräraha 2025 €"]
    assert list(part.columns) == header
    assert part.label_header == "Kustannuspaikka"
    assert cells(part, "Ulkovalaistuslaitteet puistot") == ["45 000", "29 000", "16 000", "16 000"]
    first = found[0]
    assert list(first.columns) == header
    assert not any(c.text in ("ha €", "2025 €") for t in found for r in t.rows for c in r.cells)


def test_a_row_of_years_with_footnote_marks_is_the_header(fixtures: Path) -> None:
    table = tables(fixtures, "tables_year_header.pdf")[0]
    assert table.label_header == "Tilivuosi"
    assert list(table.columns) == ["2023", "2024**", "2025**"]
    assert table.rows[0].label == "Kunnallisvero (1000 €)"


def test_rows_of_names_without_values_stay_in_their_table(fixtures: Path) -> None:
    found = tables(fixtures, "tables_name_rows.pdf")
    table = next(t for t in found if any(r.label == "Etelä-Pohjanmaan liitto" for r in t.rows))
    assert cells(table, "Sedu Education Oy")[0] == "Seinäjoki"
    assert cells(table, "As Oy Soidinvatro") == ["Seinäjoki", "31,00", "31,00", "45", "1", "-1"]
    assert table.columns[1] == "Kaupungin omistusosuus %"


def test_a_header_row_of_years_and_a_word_is_the_header(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_touching_value.pdf")
                 if t.label_header == "Investoinnit yhteensä netto")
    assert list(table.columns) == ["2026", "2027", "2028", "Yhteensä"]
    assert not any(r.label == "Investoinnit yhteensä netto" for r in table.rows)


def test_rows_of_dashes_are_rows_not_headers(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_dash_rows.pdf")
                 if any(r.label == "Peruspääoma 1.1." for r in t.rows))
    assert list(table.columns) == ["Konserni 2024", "Konserni 2023", "Kunta 2024", "Kunta 2023"]
    assert cells(table, "Lisäykset")[:2] == ["-", "-"]
    assert cells(table, "Peruspääoma 31.12.")[1] == "36 430 262,72"
    assert not any("-" in h for t in tables(fixtures, "tables_dash_rows.pdf") for h in t.columns)


def test_a_header_at_the_foot_of_a_page_heads_the_rows_on_the_next(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_foot_header.pdf")
                 if any(r.label == "Lapua" for r in t.rows))
    assert table.page == 2
    assert all(table.columns)
    assert table.columns[0] == "Työttömät työnhakijat 30.9.2025"
    assert table.columns[-1] == "Muutos 9/2025 8/2025"
    assert cells(table, "Lapua") == ["459", "7,2", "5,7", "+ 99", "+ 24"]
    doc = parse_file(fixtures / "tables_foot_header.pdf", "x.pdf", None, 10**7)
    second = doc.pages[1]
    assert "Työnhakijat" not in doc.text[second.start:second.end].title()  # printed on p. 1 only


def test_a_header_word_on_a_line_of_its_own_heads_the_next_table(fixtures: Path) -> None:
    found = tables(fixtures, "tables_header_first_word.pdf")
    headed = [t for t in found if any(r.label == "TOIMINTATUOTOT" for r in t.rows)]
    assert headed and all(list(t.columns) == ["Alkuperäinen TA", "TA muutokset",
                                              "TA muutosten jälkeen", "Toteutuma", "Poikkeama"]
                          for t in headed)
    assert not any(c.text == "TA" for t in found for r in t.rows for c in r.cells)


def test_a_header_set_as_one_run_splits_into_its_columns_headers(fixtures: Path) -> None:
    found = tables(fixtures, "tables_run_header.pdf")
    table = next(t for t in found if any(r.label == "Hämeenlinna" for r in t.rows))
    assert list(table.columns) == ["TP-2020", "TP-2021", "TP-2022", "TP-2023", "TP-2024",
                                   "Muutos-% 2024/2023", "Asukasluku 31.12.2024"]
    assert table.label_header == "Toimintakate €/asukas"
    assert cells(table, "Seinäjoki") == ["5 682", "6 020", "6 069", "2 905", "2 684", "-7,6 %",
                                         "66 610"]
    table = next(t for t in found if any(r.label == "Alavus" for r in t.rows))
    assert list(table.columns) == ["Luonn. väestönlisäys", "Kuntien välinen nettomuutto",
                                   "Nettomaahanmuutto", "Kokonaismuutos", "Väkiluku"]
    assert table.title.startswith("Taulukko. Asukasluvun kehitys")  # the header is no caption


def test_one_word_a_column_in_one_run_heads_each_column(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_one_word_header.pdf")
                 if any(r.label == "Lapua" for r in t.rows))
    assert list(table.columns) == ["Työttömät työnhakijat 30.9.2024", "Työttömyys-% 30.9.2024",
                                   "Työttömyys-% 9/2023", "Muutos 9/2024 9/2023",
                                   "Muutos 9/2024 8/2024"]
    assert cells(table, "Lapua") == ["360", "5,7", "5,9", "- 5", "+ 1"]


def test_a_line_of_units_over_the_columns_is_their_header(fixtures: Path) -> None:
    found = tables(fixtures, "tables_unit_header.pdf")
    assert len(found) == 2
    for table in found:
        assert list(table.columns) == ["1 000 €", "%"]
        assert not any(r.cells[0].text == "1 000 €" for r in table.rows)
    assert found[0].label_header == "Tuloslaskelman tuottojen jakaantuminen"
    assert cells(found[0], "Verotulot") == ["166 889", "66 %"]


def test_a_year_in_the_gutter_heads_the_detail_and_the_total_column(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_gutter_year.pdf")
                 if any(r.label == "Myyntituotot" and r.cells[0].text == "88 022,34"
                        for r in t.rows))
    assert list(table.columns) == ["2024", "2024", "2023", "2023"]
    assert cells(table, "Muut toimintatuotot") == ["143,43", "88 165,77", "0,00", "92 563,14"]


def test_a_key_value_list_is_headed_by_its_own_heading(fixtures: Path) -> None:
    found = tables(fixtures, "tables_key_value.pdf")
    named = [(t.page, t.columns[-1]) for t in found]
    assert named[:3] == [(1, "Osuuspankki SEINAJOKI2"), (1, "Osuuspankki 3283971"),
                         (1, "Nordea Pankki Suomi Oyj no 2089581/3726655")]
    # the rest of the last list at the top of the next page, under no heading of its own
    assert named[3] == (2, "Nordea Pankki Suomi Oyj no 2089581/3726655")
    assert cells(found[0], "nimellispääoma") == ["eur", "39 680 400,00"]
    assert all(t.columns[0] == "" for t in found)  # the unit column is no value column


def test_a_header_whose_cells_stand_at_different_heights_is_one_header(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_staggered_header.pdf")
                 if any(r.label == "Lapua" for r in t.rows))
    assert len(table.columns) == 5 and all(table.columns)
    assert table.columns[0] == "Työttömät työnhakijat 30.11.2024"
    assert [r.label for r in table.rows] == ["Etelä-Pohjanmaa", "Seinäjoen seutukunta", "Lapua"]
    assert cells(table, "Lapua") == ["457", "7,2", "6,6", "+ 44", "+ 43"]


def test_a_cell_going_on_over_the_page_is_no_header_of_the_rest(fixtures: Path) -> None:
    found = tables(fixtures, "tables_cell_over_page.pdf")
    rest = next(t for t in found if t.page == 2)
    assert list(rest.columns) == list(found[-2].columns) and all(rest.columns)
    assert "= -3 500" not in rest.columns and not rest.title.startswith("=")
    # a label wrapped round its values in a ruled cell is the first row's, not text
    assert cells(rest, "092234 Ritavuoren koulun kenttä") == ["286 000", "700", "286 000",
                                                             "286 000"]


def test_a_run_of_headers_naming_their_periods_heads_the_columns_under_it(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_period_run.pdf")
                 if any(r.label == "Toimintakate" for r in t.rows))
    assert list(table.columns) == ["TA 2024", "TOT 2024", "käyttö-%"]
    assert cells(table, "Toimintakulut") == ["-7.501.230", "-7.152.838", "95,4"]


def test_years_and_units_over_the_columns_head_them_from_further_up(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_far_year_header.pdf")
                 if any(r.label == "Toimintatuotot" for r in t.rows))
    assert list(table.columns) == ["2024", "2023"]
    assert table.unit == "1000 €"
    assert cells(table, "Vuosikate") == ["15 239", "16 398"]


def test_a_first_row_whose_label_wraps_round_its_values_keeps_the_header(fixtures: Path) -> None:
    found = tables(fixtures, "tables_label_round_values.pdf")
    first = next(t for t in found if t.page == 1 and t.rows)
    assert list(first.columns) == ["euroa / kuukausi", "euroa / vuosi"]
    assert first.rows[0].label.startswith("Kunnan peruspalvelujen valtionosuus (sis.")
    assert [c.text for c in first.rows[0].cells] == ["1 059 213", "12 710 556"]
    rest = next(t for t in found if t.page == 2)  # going on over the page, the header carried
    assert list(rest.columns) == ["euroa / kuukausi", "euroa / vuosi"]
    assert cells(rest, "Yhteensä") == ["1 196 819", "14 361 890"]


def test_one_row_under_a_header_at_the_foot_of_a_page_starts_a_table(fixtures: Path) -> None:
    found = tables(fixtures, "tables_one_row_foot.pdf")
    first = next(t for t in found if any(r.label == "Ympäristölautakunnan kulut" for r in t.rows))
    assert first.page == 1 and list(first.columns) == ["€/v", "%"]
    assert cells(first, "Ympäristölautakunnan kulut") == ["9.411", "2,7"]
    rest = next(t for t in found if any(r.label == "Henkilöstökulut" for r in t.rows))
    assert rest.page == 2 and list(rest.columns) == ["€/v", "%"]
    assert cells(rest, "Henkilöstökulut") == ["271.109", "77,9"]


def test_a_value_set_between_its_wrapped_label_lines_is_one_row(fixtures: Path) -> None:
    """A ruled row whose label wraps over two lines, its grant standing into both: the three
    lines are one row (each was read as a line of its own: the table began well below its
    header, and its first rows were text)."""
    found = tables(fixtures, "tables_grant_list.pdf")
    table = next(t for t in found if t.page == 1 and t.rows)
    assert list(table.columns) == ["Valmistelijan e hdotus", "Peruste"]
    assert table.label_header == "Yhdistyksen virallinen nimi"
    assert cells(table, "Teichikan ry") == ["500", ""]
    assert cells(table, "Lapuan Hirvijoen nuorisoseura ry") == [
        "0", "Ei varsinainen urheiluseura. Ei määrärahaa tukemiseen."]
    assert cells(table, "Lapuan Seudun Ampujat ry") == ["900", ""]
    assert cells(table, "Lapuan Ponnistus-90 ry") == ["9.300", ""]
    rest = next(t for t in found if t.page == 2)
    assert cells(rest, "Salibandyseura Lapua ry") == ["1.300"]


def test_a_header_run_flush_left_with_short_values_heads_their_column(fixtures: Path) -> None:
    """"Tot. 09/2024" over flush-left values shorter than half of it ("-9.706"): the run stands
    over that column only and starts at its edge, so all of it is that column's header."""
    table = next(t for t in tables(fixtures, "tables_stacked_minutes.pdf")
                 if any(r.label == "Lukio" for r in t.rows))
    assert list(table.columns) == ["TA 2024", "Tot. 09/2024", "Tot-%"]
    assert cells(table, "Lukio") == ["-10.000", "-245", "2,5"]


def test_values_wrapped_round_their_label_line_are_one_row(fixtures: Path) -> None:
    """Each row's cells wrap over three lines (five for "Kiint. Oy" · "Kuortaneen" ·
    "Asunnot*") set in the middle of the row's height: one row each, a number wrapped at its
    digit groups one value ("10" over "938,93 €"), the header's cells put together by column
    ("Väkiluku" is the first line of its cell, not a group over every column)."""
    table = next(t for t in tables(fixtures, "tables_wrapped_values.pdf") if t.rows)
    assert table.label_header == "Kunta"
    assert list(table.columns) == ["Väkiluku vuonna 2024", "perusosa",
                                   "asukasmäärän mukaan vaihtuva osuus", "yhteensä"]
    assert [r.label for r in table.rows] == ["Alavus", "Kauhava", "Kuortaneen kunta",
                                             "Kiint. Oy Kuortaneen Asunnot*", "Kurikka", "Lapua",
                                             "Yhteensä"]
    assert cells(table, "Alavus") == ["10763", "6 072,00 €", "2 686,16 €", "8 758,16 €"]
    assert cells(table, "Kiint. Oy Kuortaneen Asunnot*") == ["-", "2 353,71 €", "-", "2 353,71 €"]
    assert cells(table, "Kurikka") == ["19501", "6 072,00 €", "4 866,93 €", "10 938,93 €"]
    assert cells(table, "Yhteensä") == ["62667", "30 360,00 €", "15 640,00 €", "46 000,00 €"]


def test_a_word_break_hyphen_set_lower_stays_with_its_word(fixtures: Path) -> None:
    """"omistus" · "-": the hyphen's box stands lower than its word, more into the line of
    "Nimi" below, where it read as two dashes for no value ("Nimi" · "-" · "-": a row)."""
    with pdfium.PdfDocument(fixtures / "tables_tall_header.pdf") as doc:
        lines, _ = page_lines(doc[0])
    texts = [[c.text for c in ln.cells] for ln in lines]
    assert ["omistus-", "omistus-"] in texts
    assert ["Nimi"] in texts


def test_a_header_taller_than_four_lines_heads_its_columns(fixtures: Path) -> None:
    """Seven header lines set close, right of the row labels (the label column's "Nimi" at
    their middle): all of them are the header (four were, the rest a table of its own)."""
    found = tables(fixtures, "tables_tall_header.pdf")
    assert len(found) == 1
    table = found[0]
    assert table.label_header == "Nimi"
    assert list(table.columns)[:3] == ["Y-tunnus", "Kaupungin omistusosuus", "Konsernin omistusosuus"]
    assert cells(table, "Suomen Yrittäjäopisto Oy")[:5] == ["0208850-1", "75%", "75%", "6 905", "1 617"]


def test_a_header_cell_right_of_the_labels_heads_the_column_it_ends_left_of(
        fixtures: Path) -> None:
    """"2024" is a cell of its own right of every row label, centred over "97" · "2 273" and
    ending left of them: the first column's header, not a word of the label header."""
    found = tables(fixtures, "tables_header_left_of_values.pdf")
    first = found[0]
    # the ruled header cell as printed, both its lines (parser 20 read the first only)
    assert first.label_header == "42) Henkilöstön lukumäärä 31.12. ml. sijaiset ja määräaikaiset"
    assert list(first.columns) == ["2024", "2023"]
    assert cells(first, "Konsernipalvelut") == ["97", "98"]
    assert all(list(t.columns) == ["2024", "2023"] for t in found)


def test_a_narrow_value_set_flush_left_stays_in_its_column(fixtures: Path) -> None:
    """"0" set flush left under "2026" ends within a few points of the right edge of the
    "-10.000"s of the column before, but stands clear of them: it is no value of that
    column (the zeros made a column of their own and moved each row's zeros one left)."""
    table = next(t for t in tables(fixtures, "tables_flush_left_zero.pdf")
                 if t.label_header == "Investoinnit yhteensä netto")
    assert list(table.columns) == ["2025", "2026", "2027", "Yhteensä"]
    assert cells(table, "97101 Kansalaisopisto") == ["-10.000", "-10.000", "-10.000", "-30.000"]
    assert cells(table, "97007 Musiikkiopisto") == ["0", "-10.000", "-10.000", "-20.000"]
    assert cells(table, "97052 Nuorisotoimi") == ["0", "0", "-10.000", "-10.000"]


def test_a_part_on_the_next_page_with_fewer_columns_keeps_the_headers_it_stands_under(
        fixtures: Path) -> None:
    """The rest of the grant list at the top of the next page fills only its grant column (no
    "Peruste" on that page): that column ends where "Valmistelijan e hdotus" ends, so it is
    that column, though the part has one column fewer than the table above."""
    rest = next(t for t in tables(fixtures, "tables_grant_list.pdf") if t.page == 2)
    assert list(rest.columns) == ["Valmistelijan e hdotus"]
    assert rest.label_header == "Yhdistyksen virallinen nimi"
    assert cells(rest, "Lapuan Virkiä ry") == ["37.600"]


def test_one_row_under_a_ruled_header_run_at_a_page_foot_starts_a_table(fixtures: Path) -> None:
    """The header's runs read as one cell, each standing over one value: a line of header
    cells, so the row under it at the page's foot is a table going on over the page. Its
    label touches its first value, which stands flush under the header's "TA 2024" (one row
    has no other rows to stand on); the part on the next page, two rows, likewise."""
    found = tables(fixtures, "tables_foot_run_header.pdf")
    foot = next(t for t in found if t.page == 1)
    assert list(foot.columns) == ["TA 2024", "Tot. 09/2024", "Tot-%"]
    assert cells(foot, "Toimintatuotot") == ["131.070", "46.822", "35,7"]
    rest = next(t for t in found if t.page == 2)
    assert list(rest.columns) == ["TA 2024", "Tot. 09/2024", "Tot-%"]
    assert cells(rest, "Toimintakulut *)") == ["-1.124.270", "-759.122", "67,5"]
    assert cells(rest, "Toimintakate") == ["- 993.200", "-712.300", "71,7"]


def test_a_ruled_grid_reads_each_band_between_two_rules_as_one_row(fixtures: Path) -> None:
    """Parser 19 cut each row where its label wrapped ("(UCC)" · values, "ja lähialue" and
    "(1 km vyöhyke)" rows of their own) and left every column unheaded: the ruling lines now
    say which lines are one cell."""
    (table,) = tables(fixtures, "tables_ruled_grid.pdf")
    assert list(table.columns) == [
        "Alueen koko pintaala (ha)", "kaavoitettu a (ha)", "yksityisomistuksessa (ha)",
        "peltoa (ha)", "metsä ä (ha)", "viheralueita (ha)", "Maisema- ja kulttuurialueet (ha)"]
    assert [(r.label, [c.text for c in r.cells]) for r in table.rows] == [
        ("Taajaan asuttu alue (UCC)", ["1 300", "911", "800", "170", "130", "214", "139"]),
        ("Taajaan asuttu alue (UCC) ja lähialue (1 km vyöhyke)",
         ["3 500", "1 205", "2 440", "850", "1 100", "293", "749"]),
        ("Suurin alue", ["13 000", "1 441", "11 150", "3 290", "7 140", "310", "3335"]),
    ]


def test_a_ruled_goal_grid_keeps_a_wrapped_cell_in_its_row(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_ruled_goal_grid.pdf")
                 if t.label_header == "Tavoite")
    assert list(table.columns) == ["Mittari", "Lähtötaso/ toteuma 2022", "Tavoite-taso 2024",
                                   "Toteuma 2024", ""]
    assert cells(table, "Käyttötalous") == [
        "Käyttökate", "+14 746", "+1 000 (ilman kaupungin ylimääräistä vastiketta)", "+40601", "1"]
    assert cells(table, "Asiakastyytyväisyys") == ["Kyselyt ja palautteet", "Hyvä", "Hyvä", "Hyvä",
                                                   "1"]
    assert len(table.rows) == 6


def test_rules_framing_several_rows_leave_the_rows_as_the_lines_read(fixtures: Path) -> None:
    """Columns ruled, rows not: a band between two rules holds "Pitkäaikaiset velat" and the
    loans under it, each a row of its own."""
    table = next(t for t in tables(fixtures, "tables_ruled_columns.pdf")
                 if t.title.startswith("27)"))
    assert [r.label for r in table.rows] == [
        "Pitkäaikaiset velat", "Lainat rahoitus- ja vak.laitoksilta", "Lainat julkisyhteisöiltä",
        "Lainat muilta luotonantajilta", "Yhteensä"]
    assert cells(table, "Lainat rahoitus- ja vak.laitoksilta") == ["135 953 690,58",
                                                                   "71 482 557,00"]


def test_a_sparse_note_is_one_table_under_its_header(fixtures: Path) -> None:
    """Parser 20 read the first row and the seven label-only lines after it as text and the rest
    as a table without a header; a header word over a printed column that holds no value
    ("Pitkäaikainen") heads no column of the values."""
    table = next(t for t in tables(fixtures, "tables_sparse_note.pdf")
                 if t.title == "30) Vieras pääoma")
    assert list(table.columns) == ["2024 Lyhytaikainen", "2023 Lyhytaikainen"]
    assert table.label_header == ""
    assert cells(table, "Velat tytäryhteisöille") == ["201 093,73", "306 220,88"]
    ostovelat = [[c.text for c in r.cells] for r in table.rows if r.label == "Ostovelat"]
    assert ostovelat == [[], ["645,00", "989,80"], []]  # one item of three prints values
    assert cells(table, "Vieras pääoma yhteensä") == ["201 738,73", "307 210,68"]
    labels = [r.label for r in table.rows]
    assert labels[0] == "Velat tytäryhteisöille" and labels[-1] == "Vieras pääoma yhteensä"
    # "yhteensä" set under "Siirtovelat", neither printing a value, is a total of its own
    assert labels[1:6] == ["Saadut ennakot", "Ostovelat", "Muut velat", "Siirtovelat", "yhteensä"]
    assert "Velat kuntayhtymille, jossa kunta jäsenenä" in labels


def test_label_only_rows_between_a_header_and_the_first_values_stay_under_it(
        fixtures: Path) -> None:
    """Nine items without a value under "Järjestelyn tarkoitus" · "Konserni"/"Kunta" over the
    years: parser 20 read them as text and the rows below without a header."""
    table = next(t for t in tables(fixtures, "tables_sparse_groups.pdf")
                 if t.title.startswith("41)"))
    assert table.label_header == "Järjestelyn tarkoitus"
    assert list(table.columns) == ["Konserni 2024", "Konserni 2023", "Kunta 2024", "Kunta 2023"]
    assert [r.label for r in table.rows][:3] == [
        "Sopimusvastuut", "Maankäyttösopimuksista kunnalle aiheutuvat velvoitteet",
        "Sitoumukset avustukseen"]
    assert cells(table, "Johdannaissopimukset") == ["2 680 000,00", "2 680 000,00", "", ""]
    assert cells(table, "Taseen ulkopuolisten, kaupungin y-tunnuksen alla olevien pankkitilien "
                        "varat") == ["", "", "184,20", "9 022,40"]


def test_a_line_of_rates_under_a_group_header_is_the_header_not_a_row(fixtures: Path) -> None:
    """"-1 %" · "0 %" · "1 %" under "Muutos korkotasossa (%-yksikköä)": parser 20 read the rates
    as the first row and split the group header's words over two columns."""
    (table,) = tables(fixtures, "tables_rate_header.pdf")
    assert list(table.columns) == [f"Muutos korkotasossa (%-yksikköä) {rate}"
                                   for rate in ("-1 %", "0 %", "1 %")]
    assert table.label_header == "Johdannaissopimusten nimellispääoma"
    values = [[c.text for c in r.cells] for r in table.rows if r.cells]
    assert values[0] == ["-32 076 487,33", "-3 567 672,17", "23 228 486,20"]
    assert all("%" not in v for row in values for v in row)
def test_a_ruled_goal_grid_reads_each_mittari_whole_in_its_column(fixtures: Path) -> None:
    """The mittari words wrap beside the tavoite's and stand at three right edges: one column,
    each row's cells whole (parser 20 gave "Mittari" three columns and cut the rows)."""
    table = next(t for t in tables(fixtures, "tables_ruled_mittari.pdf")
                 if t.page == 2 and t.label_header == "Tavoite")
    assert list(table.columns) == ["Mittari", "Lähtötaso /toteuma 2022", "Tavoitetaso 2024",
                                   "Toteuma 2024", ""]
    assert cells(table, "Korjausvelan määrä on hallinnassa") == [
        "Ylläpitokorjauksia suoritetaan vuosittain suunnitelmallisesti", "…", "…", "on", "1"]
    assert cells(table, "Riittävä maksuvalmius") == [
        "Tilikauden vastikerahoituslaskelma on ylijäämäinen", "-2 633", "+60 000", "+78 830", "1"]
    assert len(table.rows) == 4


def test_a_ruled_cell_of_two_mittari_reads_as_two_rows(fixtures: Path) -> None:
    table = next(t for t in tables(fixtures, "tables_ruled_mittari.pdf")
                 if t.page == 1 and t.label_header == "Tavoite")
    assert list(table.columns) == ["Mittari", "Lähtötaso /toteuma 2022", "Tavoite-taso 2024",
                                   "Toteuma 2024", ""]
    rows = [(r.label, [c.text for c in r.cells]) for r in table.rows]
    assert rows[:2] == [
        ("Yritysten kasvu ja kansainvälistyminen",
         ["Kontaktoitujen yritysten määrä kpl", "…", "1 500", "1920", "1"]),
        ("", ["Neuvontapalvelujen määrä kpl", "1 249", "1 300", "1208", "2"])]
    assert ("", ["Yritysten suositteluindeksi NPS", "+58", "+50", "+91", "1"]) in rows


def test_a_goal_grid_wrapped_in_every_column_keeps_its_header(fixtures: Path) -> None:
    """Cells wrapped in every column, read one band a row: the header heads one column each
    (parser 20: "Nykyarvo" three times, each row's words spread over seven columns)."""
    found = tables(fixtures, "tables_ruled_goal_items.pdf")
    table = next(t for t in found if any(r.label == "Toiminnan rahoitusperuste" for r in t.rows))
    assert list(table.columns) == ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo", ""]
    assert cells(table, "Toiminnan rahoitusperuste") == [
        "kehittämishankkeet", "opiston oma toiminta", "kehittämishankkeet", "2"]
    assert cells(table, "Etujen kohdentumisen ja käytön seuranta") == [
        "toteutuu", "toteutuu", "toteutui", "1"]
    # p. 87: the two mittari of one ruled row, the second without values, stay that row
    first = next(t for t in found if any(r.label.startswith("Asiakastyytyväisyys") for r in t.rows))
    assert list(first.columns)[:3] == ["Nykyarvo", "Tavoitearvo", "Toteuma-arvo"]
    assert [r.label[:22] for r in first.rows] == [
        "Sähköisen arkistoinnin", "Asiakastyytyväisyys: a", "Palvelutaso: häiriöide",
        "Digiohjelmaan kirjattu"]
    assert cells(first, "Asiakastyytyväisyys: asiakaspalaute") == ["99 %", "Väh. 80 %.", "96 %", "1"]


def test_a_number_wrapped_in_its_narrow_ruled_cell_reads_as_one(fixtures: Path) -> None:
    found = tables(fixtures, "tables_wrapped_numbers.pdf")
    grants = [t for t in found if t.page == 1]
    assert all(list(t.columns) == ["Rahoittaja", "Aika", "Myön netty avust us",
                                   "Kokonaisbu djetti"] for t in grants)
    rows = {r.label: [c.text for c in r.cells] for t in grants for r in t.rows}
    assert rows["Ritavuoren koulun monitoimikenttä (92234)"][2:] == ["85.800 €", "371.800 €"]
    assert rows["Uimahalli (90562)"][2:] == ["600.000 €", "13,800.000 €"]
    # "-394.450,5" over "0": the line was full, one number (−400.000 − −394.450,50 = −5.549,50)
    land = next(t for t in found if t.page == 2)
    assert cells(land, "Maa- ja vesialueet ostot") == ["-400.000", "-394.450,50", "-5.549,50"]


def test_a_ruled_table_going_on_over_the_page_keeps_its_header(fixtures: Path) -> None:
    """p. 21's first row is the rest of p. 20's last ("026" · "€" in the Aika and Myönnetty
    avustus cells, close enough to read as one cell "026 €"): each ruled cell its own, the
    columns line up with p. 20's and the header printed there heads them."""
    found = tables(fixtures, "tables_row_over_page.pdf")
    header = ["Rahoittaja", "Aika", "Myön netty avust us", "Kokonaisbu djetti"]
    rest = next(t for t in found if t.page == 2 and any(r.label == "2030 (33212)" for r in t.rows))
    assert list(rest.columns) == header
    assert rest.label_header == "Hanke ja kust.paikka"
    assert cells(rest, "2030 (33212)") == ["", "026", "€", ""]
    assert cells(rest, "Lankilankoskentien sillan uusiminen (91157)") == [
        "EP Ely", "30.10. 2026", "1.122.035 €", "1.320.042 €"]


def test_words_set_against_the_next_ruled_cell_s_value_stay_apart(fixtures: Path) -> None:
    """"siirretty kulttuuritoimelle" fills its ruled cell up to the rule, the "0" beside it
    close enough to read as one cell with it: each ruled cell its own, so p. 28's rows fall
    under p. 27's two value columns and take the header printed there."""
    found = tables(fixtures, "tables_grant_rest.pdf")
    rest = next(t for t in found if t.page == 2)
    assert list(rest.columns) == ["Tiivistetty kuvaus käyttötarkoituksesta", "Valmistelija n ehdotus"]
    assert cells(rest, "Deformed Dollz") == ["siirretty kulttuuritoimelle", "0"]
    assert cells(rest, "Lapuan Seudun Kalakerho ry") == ["Tapahtuma-avustus", "1.200"]
    assert cells(rest, "yhteensä") == ["", "6.000"]


def test_a_header_line_of_words_and_a_year_is_no_row(fixtures: Path) -> None:
    # "Edellisten" · "Talous-" · "Toteutuma" · "Poikkeama" · "Kustannukset" over "vuosien" ·
    # "arvio" · "2024" · "yhteensä" over "käyttö" · "2024": before, the lower lines were two rows
    # with no label and "2024" under Toteutuma a sixth column, empty in every project's row
    table = tables(fixtures, "tables_header_year_words.pdf")[0]
    assert list(table.columns) == ["Edellisten vuosien käyttö", "Talousarvio 2024", "Toteutuma 2024",
                                   "Poikkeama", "Kustannukset yhteensä"]
    assert table.rows[0].label == "5000 Alakylän koulu"
    assert cells(table, "5392 Nuorisokeskus saneeraus") == ["44 153", "60 000", "56 618", "3 382",
                                                            "100 771"]
    assert cells(table, "5020 Kirjamatin koulun perustukset") == ["283 919", "", "", "0", "283 919"]



def _line(top: float, *cells: tuple[float, float, str]) -> Line:
    segs = [Seg(x0, x1, top, top + 10, text) for x0, x1, text in cells]
    return Line(top, top + 10, segs, segs)


def test_only_a_line_of_words_and_a_year_each_under_a_header_cell_joins_the_header() -> None:
    # p. 145's header lines, as set on the page, then the first project's row
    header = _line(108, (253, 295, "Edellisten"), (317, 348, "Talous-"), (367, 413, "Toteutuma"))
    row = _line(154, (61, 141, "5000 Alakylän koulu"), (271, 302, "128 565"), (328, 359, "330 000"),
                (385, 416, "364 535"))
    words = _line(119.7, (255, 289, "vuosien"), (322, 343, "arvio"), (380, 399, "2024"))
    assert in_header_band([header, words, row], 1, 3)
    # words without a year (a row of a table whose label stands lower): not the header's
    assert not in_header_band([header, _line(119.7, (255, 289, "Rakenteilla"), (322, 343, "arvio")),
                               row], 1, 3)
    # a year under no cell of the line above, or a line far below it: not the header's
    assert not in_header_band([header, _line(119.7, (255, 289, "vuosien"), (440, 460, "2024")),
                               row], 1, 3)
    assert not in_header_band([header, _line(140, (255, 289, "vuosien"), (380, 399, "2024")), row], 1, 3)
