"""Golden test of the export format on a snippet shaped like the Mikkeli seed."""

from pathlib import Path

from indexer.chunk import passages
from indexer.parse import parse_file
from indexer.textnorm import join_hyphenation

ENTRY = {"municipality": "Mikkeli", "doc_type": "talousseuranta", "title": "Seuranta"}


def load(fixtures: Path):
    return parse_file(fixtures / "seed_snippet.txt", "seed_snippet.txt", ENTRY, 10**7)


def test_headings_sections_and_period(fixtures: Path) -> None:
    doc = load(fixtures)
    headings = [(b.level, b.text) for b in doc.blocks if b.kind == "heading"]
    assert headings[:3] == [
        (1, "Toiminnan ja talouden seuranta"),
        (2, "1.1.–31.7.2021"),
        (2, "Talouden toteutuma"),
    ]
    assert doc.meta.period == "2021-01-01/2021-07-31"  # read from the document
    assert doc.meta.year == 2021
    assert doc.pages == ()  # text exports carry no page numbers


def test_financial_table_rows_groups_and_numbers(fixtures: Path) -> None:
    doc = load(fixtures)
    table = doc.tables[0]
    assert table.columns == ("TA 2021", "Toteutuma 2021 1-7", "Tot%")
    rows = {r.label: r for r in table.rows}
    assert rows["TOIMINTATUOTOT"].is_group
    myynti = rows["Myyntituotot"]
    assert myynti.groups == ("TOIMINTATUOTOT",)
    assert [c.number for c in myynti.cells] == [14838800.0, 8098649.8, 54.58]
    assert myynti.cells[2].unit == "%"
    assert rows["Palkat ja palkkiot"].groups == ("TOIMINTAKULUT",)
    assert doc.text[myynti.start:myynti.end] == "Myyntituotot\t14838800,00\t8098649,80\t54,58"


def test_goal_table_html_cells_carry_down_and_page_break_continuation(fixtures: Path) -> None:
    doc = load(fixtures)
    goals = doc.tables[1]
    assert goals.title == "Painopiste: Kaupungistuminen"
    assert goals.label_header == "Toimenpide"
    assert goals.columns == ("Toiminnan kuvaus / vastuu", "tavoite / mittari", "toteuma 31.7.2021")
    first, second = goals.rows
    assert first.cells[1].text == "Verkkomaksuratkaisujen käyttöönotto. Myyntilaskumäärän väheneminen."
    assert second.label == "" and second.groups == ("Palvelujen digitalisointi",)
    assert join_hyphenation(second.cells[0].text) == "Kilpailutus ja hankintasopimusten hallinta sähköisiksi"
    assert second.cells[1].text == "100 % käyttö v. 2021"
    # the row after the page break continues the last cell
    assert second.cells[2].text == "100 % Työtä jatketaan syksyllä."


def test_passages_keep_original_words_and_join_hyphenation_for_search(fixtures: Path) -> None:
    doc = load(fixtures)
    narrative = [p for p in passages(doc) if p.kind == "passage"]
    para = next(p for p in narrative if "arkiston" in p.text)
    assert "digi- tointihankkeen" in para.text
    assert "digitointihankkeen" in para.search_text
    assert "Kasvatus- ja opetuslautakunta" in para.search_text
    assert doc.text[para.start:para.end] == para.text
    assert para.section == "Toiminnan ja talouden seuranta › 2. KESTÄVÄN KASVUN OHJELMA"
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert items == ["ensimmäinen kohta", "toinen kohta"]


def test_table_row_passage_reads_on_its_own(fixtures: Path) -> None:
    doc = load(fixtures)
    rows = [p for p in passages(doc) if p.kind == "table_row"]
    myynti = next(p for p in rows if "Myyntituotot" in p.text)
    assert myynti.text == (
        "Mikkeli · Talouden toteutuma · TOIMINTATUOTOT · Myyntituotot · TA 2021: 14838800,00 · "
        "Toteutuma 2021 1-7: 8098649,80 · Tot%: 54,58 %"
    )
    goal = next(p for p in rows if "Kilpailutus" in p.text)
    assert "Kilpailutus ja hankintasopimusten hallinta sähköisiksi" in goal.text
    assert "tavoite / mittari: 100 % käyttö v. 2021" in goal.text


def _blocks(fixtures: Path):
    entry = {"municipality": "Kemi", "doc_type": "osavuosikatsaus", "title": "Katsaus"}
    return parse_file(fixtures / "seed_blocks.txt", "seed_blocks.txt", entry, 10**7)


def test_a_header_printed_again_for_each_named_block_is_one_table_a_block(fixtures: Path) -> None:
    # "Tulosalue · Hallinto" and "Vastuuhenkilö · …" name the block below them; the header row
    # under them heads it (before: the first naming line was read as the header, the rest as data)
    tables = _blocks(fixtures).tables
    first, second = tables[0], tables[1]
    assert first.title == "Tulosalue Hallinto · Vastuuhenkilö Maija Meikäläinen"
    assert first.label_header == "Suorite"
    assert first.columns == ("TP 2021", "TA 2022", "TOTEUMA 1-6/2022", "TP-ENNUSTE 2022")
    assert [r.label for r in first.rows] == ["Lautakunnan kokousten lkm"]
    assert second.title.startswith("Tulosalue Nuorisopalvelut")
    row = second.rows[0]
    assert (row.label, second.columns[2], row.cells[2].number) == \
        ("Nuorisotoiminta kävijät", "TOTEUMA 1-6/2022", 4200.0)


def test_a_group_row_after_a_page_break_goes_on_the_table_above(fixtures: Path) -> None:
    table = _blocks(fixtures).tables[2]
    rows = {r.label: r for r in table.rows}
    assert rows["VAMMAISPALVELUT"].is_group
    care = rows["Palveluasuminen hoitopäivät"]
    assert care.groups == ("VAMMAISPALVELUT",)
    assert table.columns[2] == "TOTEUMA 1-6/2022" and care.cells[2].number == 2683.0


def test_a_line_of_years_under_the_header_is_the_header_s_too(fixtures: Path) -> None:
    table = _blocks(fixtures).tables[3]
    assert table.columns == ("TP 2020", "TA+MUUTOS 2021", "TP 2021", "TOT 30.6. 2022")
    assert [r.label for r in table.rows] == ["MENOT"]


def test_a_label_s_unit_wrapped_past_a_page_break_goes_on_its_row(fixtures: Path) -> None:
    table = _blocks(fixtures).tables[4]
    assert [r.label for r in table.rows] == ["Palvelujen ostot €", "Toimintakate €/asukas"]
    assert table.columns == ("TP 2020", "TP 2021") and table.rows[1].cells[1].number == -768.0
