"""Page text holds each character of the PDF's text layer once (issue #15): the pages a reader
found duplicated characters on, checked against the text and against pdfium's plain page text."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from indexer.fidelity import compare, pdfium_pages, removed_lines, words
from indexer.metadata import load_manifest
from indexer.models import Document
from indexer.parse import parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEINAJOKI = "kuntaparse/Seinäjoki-Tilinpaatos-2024.pdf"
KAUHAVA = "kuntaparse/Kauhava-Tilinpaatos-2024.pdf"

pytestmark = pytest.mark.slow


@cache
def doc(rel: str) -> Document:
    return parse_file(CORPUS / rel, rel, load_manifest(CORPUS).get(rel), 10**9)


def page_text(rel: str, number: int) -> str:
    p = doc(rel).pages[number - 1]
    return " ".join(doc(rel).text[p.start:p.end].split())


@pytest.mark.parametrize(("rel", "page", "printed"), [
    # an en dash whose glyph box overlaps its neighbours' came out as "(2022–2–2–2029) 9)"
    (SEINAJOKI, 17, "Seinäjoen kaupunkistrategian (2022–2029) tavoitteet."),
    # the dash ends the line: "2023–3– 2024, 4, eikä"
    (SEINAJOKI, 91, "lukuvuodelle 2023– 2024, eikä niitä leikattu"),
    (SEINAJOKI, 21, "ei ollut merkittäviä myytäviä erilliskohteita."),
    (SEINAJOKI, 28, "vahvistumista edellisvuoteen verrattuna."),
    (SEINAJOKI, 28, "ilman vuoden 2023 kertaluontoisia, Aallokkoa koskevia alaskirjauksia"),
    # a justified line spreads the digits apart: "+1 25, 5 milj. euroa j ja"
    (SEINAJOKI, 75, "kumulatiivinen ylijäämä on +125,5 milj. euroa ja 1 844"),
    (SEINAJOKI, 63, "(31.12.2023: 291,3 milj. euroa)"),
    # a word set in two text runs a little apart: "Kri isikuntakri- teeri"
    (KAUHAVA, 54, "kriisikuntamittareista. Kriisikuntakri- teeri täyttyy"),
])
def test_named_pages_print_each_character_once(rel: str, page: int, printed: str) -> None:
    assert printed in page_text(rel, page)


@pytest.mark.parametrize(("rel", "page"), [(SEINAJOKI, 17), (SEINAJOKI, 28), (SEINAJOKI, 75),
                                           (KAUHAVA, 54)])
def test_named_pages_match_pdfiums_own_text_word_for_word(rel: str, page: int) -> None:
    reference = pdfium_pages(CORPUS / rel)[page - 1]
    p = doc(rel).pages[page - 1]
    diff = compare(doc(rel).text[p.start:p.end], reference, removed_lines(CORPUS / rel)[page - 1])
    assert diff.inserted == ()
    assert diff.dropped == ()
    assert diff.reference > 100


def test_compare_counts_inserted_dropped_moved_and_removed_words() -> None:
    reference = "Sivu 12\nToimintakate 2024 kasvoi. Tulos 3,2 milj. euroa\n• lisäys"
    ours = "Tulos 3,2 milj. euroa Toimintakate 2024 2–2 kasvoi lisäys"
    diff = compare(ours, reference, removed=["Sivu 12"])
    assert diff.inserted == ("2–2", "kasvoi")  # "kasvoi." is another word
    assert diff.dropped == ("kasvoi.",)
    assert diff.removed == 2  # the running header we strip on purpose
    assert diff.markers == 1  # the bullet of a list item
    assert diff.reference == 11


def test_words_normalise_what_extractors_print_differently() -> None:
    assert words("digi-\ntointihanke") == ["digitointihanke"]
    assert words("Etelä-\nPohjanmaan liitto") == ["Etelä-Pohjanmaan", "liitto"]
    assert words("Kasvatus- ja opetus") == ["Kasvatus-", "ja", "opetus"]
    assert words("Sisällys ........ 3 ﬁnanssi") == ["Sisällys", "3", "finanssi"]


def row_cells(rel: str, page: int, label: str) -> list[list[str]]:
    return [[c.text for c in r.cells if c.text] for t in doc(rel).tables for r in t.rows
            if r.page == page and r.label == label]


@pytest.mark.parametrize(("rel", "page", "label", "values"), [
    # right-aligned numbers of two columns a few points apart were one cell
    (KAUHAVA, 120, "Rakennukset yhteensä", ["9 183 636,30", "303 340,32"]),
    (KAUHAVA, 125, "Henkilöstökulut", ["-29 248 420", "-28 659 192", "98,0 %"]),
    ("lapua/Pöytäkirja-Sivistyslautakunta - 28.04.2025, klo 17_20.pdf", 11, "Toimintakate",
     ["-16.966.783", "-4.293.385"]),
    # a label glued to the first value ("Muu pitkävaikutteiset menot 460 000 150 000")
    (KAUHAVA, 120, "Muu pitkävaikutteiset menot", ["460 000", "150 000", "460 000", "150 000"]),
])
def test_a_cell_never_holds_two_numbers(rel: str, page: int, label: str,
                                        values: list[str]) -> None:
    rows = row_cells(rel, page, label)
    assert rows, f"no row {label!r} on p. {page}"
    n = len(values)
    assert any(cells[i:i + n] == values for cells in rows for i in range(len(cells))), rows


def test_no_pdf_table_cell_holds_two_numbers() -> None:
    from indexer.tables import split_numbers

    for rel in (SEINAJOKI, KAUHAVA):
        merged = [c.text for t in doc(rel).tables for r in t.rows for c in r.cells
                  if c.number is None and len(split_numbers(c.text)) >= 2]
        assert merged == []


def table_with(rel: str, page: int, label: str):
    return next(t for t in doc(rel).tables if t.page == page and any(r.label == label
                                                                     for r in t.rows))


def test_investment_table_has_every_column_headed_and_its_caption_as_title() -> None:
    # Kauhava p. 120 "2.4 Investointien toteutuminen": three header lines over eight columns
    # ("Alkuper." / "määrä-" / "raha"), a group row "Kaupunginhallitus" between header and rows
    t = table_with(KAUHAVA, 120, "Kiinteä omaisuus")
    assert t.columns == ("Alkuper. määräraha", "Alkuper. tuloarvio", "Tarkistettu määräraha",
                         "Tarkistettu tuloarvio", "Toteuma inv.menot", "Toteuma inv.tulot",
                         "Menot Tot-%", "Tulot Tot-%")
    assert t.label_header == "Hanke"
    assert t.title == "INVESTOINTIEN TOTEUTU- MINEN 2024"
    kiintea = next(r for r in t.rows if r.label == "Kiinteä omaisuus")
    assert kiintea.groups == ("Kaupunginhallitus",)
    assert [c.text for c in kiintea.cells] == ["1 500 000", "50 000", "1 500 000", "50 000",
                                               "1 358 430,00", "33 437,73", "90,6 %", "66,9 %"]
    # the part below the blank line and "Tekninen lautakunta" is the same table
    assert any(r.label == "Keskuskeittiö" for r in t.rows)


def test_two_headers_set_in_one_line_head_their_own_columns() -> None:
    # Kauhava p. 22: "TP2023 TP2024" was one header over an empty column
    t = table_with(KAUHAVA, 22, "Yleishallinto")
    assert t.columns == ("TP2023", "TP2024", "Muutos ed. tot.", "Muutos % ed. tot.")


def test_a_header_centred_over_two_columns_heads_both() -> None:
    t = table_with(SEINAJOKI, 25, "Myyntituotot")
    assert t.columns == ("1.1.-31.12.2024",) * 2 + ("1.1.-31.12.2023",) * 2
    assert t.title.startswith("Taulukko. Vertailussa tilikausien 2023–2024 tuloslaskelmat.")


def test_a_line_of_years_over_the_columns_is_their_header() -> None:
    t = table_with(KAUHAVA, 143, "Maa- ja vesialueet")
    assert all(t.columns), t.columns
    assert not any(r.label == "" and [c.text for c in r.cells][:2] == ["2024", "2023"]
                   for r in t.rows)


def test_a_table_part_on_the_next_page_keeps_the_header_it_does_not_repeat() -> None:
    # Kauhava's balance sheet: "31.12.2024 31.12.2023" on p. 130 only, over two group rows
    first = table_with(KAUHAVA, 130, "Aineettomat hyödykkeet")
    assert first.columns == ("31.12.2024", "31.12.2023")
    assert next(r for r in first.rows if r.label == "Aineettomat hyödykkeet").groups == (
        "VASTAAVAA", "PYSYVÄT VASTAAVAT")
    assert table_with(KAUHAVA, 131, "Peruspääoma").columns == ("31.12.2024", "31.12.2023")


def test_a_label_wrapped_over_two_lines_is_one_row_and_years_under_entities_head() -> None:
    # Kauhava p. 141: "Vähennykset tilikau-" / "della 18 154,92 …", "Konserni" / "Kunta" over
    # a line of years
    t = table_with(KAUHAVA, 141, "Eläkevastuu 1.1.")
    assert t.columns[:3] == ("Konserni 2024", "Konserni 2023", "Kunta 2024")
    # the line-end hyphen inside the word is dropped (parser 9; parser 8 kept "tilikau- della")
    row = next(r for r in t.rows if r.label == "Vähennykset tilikaudella")
    assert [c.text for c in row.cells] == ["18 154,92", "17 180,52", "18 154,92", "17 180,52"]


def test_a_unit_statement_in_the_header_is_the_tables_unit_not_a_header_word() -> None:
    # Seinäjoki p. 71: "2024" / "1 000 €" over each column; the "1" was the label's header
    t = table_with(SEINAJOKI, 71, "Toimintatuotot")
    assert t.columns == ("2024", "2023")
    assert t.unit == "1000 €"
    assert t.label_header == ""


def test_a_numbering_mark_belongs_to_the_row_label() -> None:
    # Seinäjoki's balance sheet p. 62: "I" · "Peruspääoma" is the label, not a column
    t = table_with(SEINAJOKI, 62, "I Peruspääoma")
    assert t.columns == ("31.12.2024",) * 2 + ("31.12.2023",) * 2
    row = next(r for r in t.rows if r.label == "I Peruspääoma")
    assert row.groups == ("A OMA PÄÄOMA",)
    assert [c.text for c in row.cells] == ["208 909", "", "208 909", ""]
