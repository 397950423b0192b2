"""Golden test on a two-page Finnish PDF made by tests/fixtures/make_fixtures.py."""

from pathlib import Path

from indexer.chunk import passages
from indexer.parse import parse_file
from indexer.parse_pdf import _sentence_goes_on
from indexer.pdf_lines import Line, Seg, _heading_level

ENTRY = {"municipality": "Testilä", "doc_type": "osavuosikatsaus", "title": "Testiraportti"}


def load(fixtures: Path):
    return parse_file(fixtures / "raportti.pdf", "raportti.pdf", ENTRY, 10**7)


def test_pages_labels_and_running_headers(fixtures: Path) -> None:
    doc = load(fixtures)
    assert [(p.number, p.label) for p in doc.pages] == [(1, "11"), (2, "12")]
    assert "Osavuosikatsaus 1-6/2023" not in doc.text  # running header removed
    assert doc.meta.period == "2023-01-01/2023-06-30"  # …but still read for metadata
    assert doc.warnings == ()  # the header names Testilä


def test_blocks_in_reading_order(fixtures: Path) -> None:
    doc = load(fixtures)
    outline = [(b.page, b.kind, b.text.split("\n")[0][:30]) for b in doc.blocks]
    assert outline == [
        (1, "heading", "1 Talouden toteutuma"),
        (1, "paragraph", "Rakennusvalvonnan analogisen a"),
        (1, "table", "\tTA 2023\tToteuma 1-6/2023\tTot "),
        (2, "heading", "2 Henkilöstö"),
        (2, "paragraph", "Sairauspoissaolot vähenivät ed"),
    ]


def test_table_columns_merge_two_header_lines_and_parse_cells(fixtures: Path) -> None:
    table = load(fixtures).tables[0]
    assert table.columns == ("TA 2023", "Toteuma 1-6/2023", "Tot %")
    cells = {r.label: [(c.text, c.number, c.unit) for c in r.cells] for r in table.rows}
    assert cells == {
        "Toimintatuotot": [("1 234,56", 1234.56, None), ("600", 600.0, None), ("48,6 %", 48.6, "%")],
        "Toimintakulut": [("-6 740 150,20", -6740150.2, None), ("- 502", -502.0, None),
                          ("54,58", 54.58, "%")],
        "Toimintakate": [("-6 738 915,64", -6738915.64, None), ("xx", None, None),
                         ("-", None, None)],
    }
    assert all(r.page == 1 for r in table.rows)


def test_hyphenated_line_break_and_finnish_letters(fixtures: Path) -> None:
    doc = load(fixtures)
    para = next(p for p in passages(doc) if p.kind == "passage" and "arkiston" in p.text)
    assert para.text == (
        "Rakennusvalvonnan analogisen arkiston digi- tointihankkeen kilpailutus on valmis ja työ "
        "alkaa syksyllä. Kasvatus- ja opetuslautakunnan menot ovat ennallaan."
    )
    assert "arkiston digitointihankkeen" in para.search_text
    assert "Kasvatus- ja opetuslautakunnan" in para.search_text
    assert para.page == 1
    assert para.section == "1 Talouden toteutuma"


def test_a_tall_line_of_two_sentences_is_prose() -> None:
    # Kauhava's statement: a line the layout measures tall, but a sentence and the start of the
    # next ("…77 asiaa. Valtuuston kokouksia") — as a heading it left every passage
    def line(text: str, height: float) -> Line:
        seg = Seg(0, 400, 100, 100 + height, text)
        return Line(100, 100 + height, [seg], [seg])

    assert _heading_level(line("Talousarvion toteutuminen ja tunnusluvut", 14), 10) == 2
    assert _heading_level(line("Vuonna 2024 pidettiin seitsemän valtuuston kokousta ja valtuusto "
                               "käsitteli 77 asiaa. Valtuuston kokouksia", 14), 10) == 0


def test_a_tall_line_whose_sentence_goes_on_is_prose() -> None:
    # "…mikä ylittää budjetoidun" + "määrän": read as a heading, it became the title of the
    # table below and a label of each of its 32 rows
    assert _sentence_goes_on("Kauhavan kaupunki sai vuonna 2024 kunnallista tuloveroa 26,4 "
                             "miljoonaa euroa, mikä ylittää budjetoidun", "määrän 1,3 miljoonalla")
    # headings: wrapped at a hyphen, numbered, or short
    assert not _sentence_goes_on("Kaupungin talouden tasapainottamistoimenpiteet ja niiden "
                                 "toteutuminen sekä tasapainottamistoi-", "menpiteet")
    assert not _sentence_goes_on("1.1.9 Arvio merkittävistä riskeistä ja epävarmuustekijöistä "
                                 "sekä muista toiminnan", "kehittymiseen vaikuttavista tekijöistä")
    assert not _sentence_goes_on("Talousarvion toteutuminen", "toimintatuotot ja -kulut")


def test_a_sentence_set_over_a_page_break_is_one_paragraph(fixtures: Path) -> None:
    """tests/fixtures/text_sentence_over_page.pdf — Lapua kaupunginhallitus 12.5.2025 pp. 8–9:
    page 8 ends "… Edellä mainittujen" and page 9 opens "seikkojen takia yhtiön kassavirran
    kertyminen on jäänyt ennakoitua heikommaksi." (346 such breaks in the corpus's PDFs)."""
    doc = parse_file(fixtures / "text_sentence_over_page.pdf", "text_sentence_over_page.pdf",
                     {"municipality": "Lapua"}, 10**7)
    sentence = ("Edellä mainittujen seikkojen takia yhtiön kassavirran kertyminen on jäänyt ennakoitua "
                "heikommaksi.")
    held = [b for b in doc.blocks if sentence in b.text]
    assert len(held) == 1 and held[0].kind == "paragraph" and held[0].page == 1
    at = doc.text.index(sentence)
    # the paragraph crosses the page: page 2 opens where its words on page 2 do
    first, second = doc.pages
    assert first.start <= at < first.end < second.start <= at + len("Edellä mainittujen s")
    assert doc.text[second.start:].startswith("seikkojen takia")
    # the page's next paragraphs are their own
    assert [b.text[:30] for b in doc.blocks if b.page == 2][:1] == ["Simpsiönvuori Oy on Lapuan kau"]


def test_a_page_s_first_paragraph_goes_on_the_last_one_only_mid_sentence_and_in_lower_case() -> None:
    from indexer.blocks import DocBuilder

    def pages(first: str, second: str, *, item: bool = False, table: bool = False) -> list[str]:
        builder = DocBuilder("d")
        builder.start_page(1, None)
        builder.paragraph(first, 1)
        if table:
            builder.table(title_lines=[], header=["2024"], label_header="", rows=[("Tulot", ["5"], 1)],
                          page=1)
        builder.end_page()
        builder.start_page(2, None)
        builder.paragraph(second, 2, list_item=item)
        builder.end_page()
        return [b.text for b in builder.blocks if b.kind != "table"]

    assert pages("Edellä mainittujen", "seikkojen takia kassavirta heikkeni.") == [
        "Edellä mainittujen seikkojen takia kassavirta heikkeni."]
    assert pages("Investoinnit, joista suurimmat olivat koulu,", "päiväkoti ja tiet.") == [
        "Investoinnit, joista suurimmat olivat koulu, päiväkoti ja tiet."]
    # a sentence ended, a capital, a list item, a table between: two paragraphs
    assert len(pages("Kassavirta heikkeni.", "seikkojen takia…")) == 2
    assert len(pages("Edellä mainittujen", "Seikkojen takia…")) == 2
    assert len(pages("Edellä mainittujen", "seikkojen takia…", item=True)) == 2
    assert len(pages("Edellä mainittujen", "seikkojen takia…", table=True)) == 2


def test_a_paragraph_over_a_page_break_is_cut_after_its_crossing_sentence(fixtures: Path) -> None:
    # the sentence across the break stays whole in a passage of page 1; what follows it is a
    # passage of page 2, so a quote of it cites page 2
    doc = parse_file(fixtures / "text_sentence_over_page.pdf", "text_sentence_over_page.pdf",
                     {"municipality": "Lapua"}, 10**7)
    narrative = [p for p in passages(doc) if p.kind == "passage"]
    crossing = [p for p in narrative if "Edellä mainittujen seikkojen takia" in p.text]
    assert len(crossing) == 1 and crossing[0].page == 1
    assert crossing[0].text.endswith("kassavirran kertyminen on jäänyt ennakoitua heikommaksi.")
    after = next(p for p in narrative if p.start > crossing[0].start)
    assert after.page == 2 and after.text.startswith("Nykytilanteessa yhtiö")
    second = doc.pages[1]
    assert all(p.page == (2 if p.start >= second.start else 1) for p in narrative)
