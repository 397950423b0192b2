"""Two columns of text side by side read cell by cell (indexer/pdf_columns.py), on pages cut from
corpus PDFs with pypdf (expectations read off the rendered pages):

- columns_goal_grid.pdf — Seinäjoki tilinpäätös 2024 p. 82: a goal grid, each
  "Talousarviotavoite" cell beside its "Tilannekuvaus ja riskiarvio" cell, wrapped sentences on
  both sides, the runs of a line close enough that pdfium's gap made them one cell;
- columns_initiative.pdf — Lapua kaupunginhallitus 3.2.2025 p. 46: a council initiative's text
  beside how it has been handled, in narrow ragged cells;
- columns_list.pdf — Lapua kaupunginhallitus 16.12.2024 p. 16: cost centres beside who approves
  their bills, one-line entries that read right line by line;
- columns_goal_boxes.pdf — Seinäjoki tilinpäätös 2024 pp. 79, 83 and 86: goal boxes under their
  columns' names ("Talousarviotavoite" · "Tilannekuvaus ja riskiarvio"), a goal and its
  follow-up of two lines each (p. 79), the strategy row above unruled, two labels each beside
  its wrapped value (p. 83), ruled boxes whose follow-up's last line stands over the mittari
  table's header (p. 86);
- columns_member_list.pdf — Lapua kaupunginvaltuusto 2.6.2025 p. 6: members beside their
  deputies under "Varsinainen jäsen" · "Henkilökohtainen varajäsen", a list.
"""

from __future__ import annotations

from pathlib import Path

from indexer.parse import parse_file
from indexer.pdf_columns import column_blocks
from indexer.pdf_lines import Line, Seg


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


def test_goal_boxes_under_their_columns_names_read_each_cell_whole(fixtures: Path) -> None:
    found = paragraphs(fixtures, "columns_goal_boxes.pdf")
    # p. 79: two and three lines a side, too few for a grid found from its lines alone
    assert "Molemmat vaalit toteutettu vaalilainsäädännön edellyttämällä tavalla." in found
    assert "Vuoden 2024 Presidentinvaalien ja Eu- parlamenttivaalien toteuttaminen vaalilain " \
        "säädösten edellyttämällä tavalla." in found
    # p. 86: the ruled strategy band above the header is no line of the grid, and each
    # follow-up keeps its last line ("ja vaatimuksista.", "riskejä.")
    assert "Kaupunki on haluttu sopimuskumppani ja kaupungin hankinnat kiinnostavat yrityksiä." \
        in found
    assert any(p.startswith("Yrityksiä on huomioitu") and p.endswith("ja vaatimuksista.")
               for p in found)
    assert "Hankinnat toteutetaan suunnitelmallisesti ja vastuullisesti ammattitaidolla" in found
    assert any(p.startswith("Vastuullisten hankintojen") and p.endswith("liittyviä riskejä.")
               for p in found)
    assert not any("Talousarviotavoite Tilannekuvaus" in p for p in found)


def test_two_labels_each_beside_its_wrapped_value_read_a_label_with_its_value(
        fixtures: Path) -> None:
    found = paragraphs(fixtures, "columns_goal_boxes.pdf")
    # p. 83: "Strateginen valinta" · "Hyvän johtamisen" · "Strateginen tavoite" · "Osaava
    # henkilöstö" over "ja tasapainoisen" · "tekee yhdessä työtä" …
    assert "Strateginen valinta Hyvän johtamisen ja tasapainoisen talouden Seinäjoki" in found
    assert "Strateginen tavoite Osaava henkilöstö tekee yhdessä työtä kuntalaisten parhaaksi " \
        "hyvin johdetussa organisaatiossa." in found
    assert "Uusi alkava esihenkilökoulutus ryhmä vuosittain" in found  # its follow-up empty
    assert not any("Hyvän johtamisen Strateginen tavoite" in p for p in found)


def test_a_mittari_tables_header_takes_no_line_of_the_prose_above_it(fixtures: Path) -> None:
    doc = parse_file(fixtures / "columns_goal_boxes.pdf", "columns_goal_boxes.pdf", None, 10**7)
    mittari = [b.table for b in doc.blocks if b.kind == "table"
               and b.table.label_header == "Mittari/mittarit"]
    assert len(mittari) == 3
    assert all(t.columns[:3] == ("Nykyarvo", "Tavoitearvo", "Toteuma-arvo") for t in mittari)


def test_members_beside_their_deputies_under_a_header_stay_a_list(fixtures: Path) -> None:
    text = " ".join(paragraphs(fixtures, "columns_member_list.pdf"))
    assert "pj. Riitta Kangasluoma Ritva-Leena Heikkinen vpj. Esa Rintala Matti Kangas" in text


def line(top: float, *cells: tuple[float, float, str]) -> Line:
    segs = [Seg(x0, x1, top, top + 8, text) for x0, x1, text in cells]
    return Line(top, top + 8, segs, segs)


BOX = [line(22, (50, 140, "Talousarviotavoite"), (288, 420, "Tilannekuvaus ja riskiarvio")),
       line(33, (50, 270, "Vuoden 2024 vaalien toteuttaminen vaalilain"),
            (288, 540, "Molemmat vaalit toteutettu vaalilainsäädännön")),
       line(44, (50, 200, "säädösten edellyttämällä tavalla."), (288, 400, "edellyttämällä tavalla."))]


def test_a_headed_box_is_found_under_a_line_that_fits_above_it() -> None:
    # a heading at the left column's start set just above the header
    above = [line(11, (50, 160, "Hallinto- ja talouspalvelut"))]
    assert [(s, e) for s, e, _ in column_blocks(above + BOX)] == [(1, 4)]
    assert [(s, e) for s, e, _ in column_blocks(BOX)] == [(0, 3)]


def test_a_headed_block_split_at_the_grids_edge_not_the_headers() -> None:
    # ragged right starts (276, 282) left of the header's 288: the grid's edge is the smallest
    lines = [line(0, (50, 140, "Talousarviotavoite"), (288, 420, "Tilannekuvaus ja riskiarvio")),
             line(11, (276, 420, "Vaalit toteutettiin lain mukaisesti ja ajallaan")),
             line(22, (50, 200, "Tavoite on hyvä ja"), (282, 420, "kaikki sujui hyvin vuonna"))]
    assert [(s, e) for s, e, _ in column_blocks(lines)] == [(0, 3)]


def test_a_grid_below_a_pair_block_is_read_as_a_grid() -> None:
    from indexer.blocks import DocBuilder
    from indexer.parse_pdf import _emit_texts

    strategy = [line(0, (50, 110, "Strateginen valinta"), (150, 190, "Hyvän johtamisen"),
                     (220, 270, "Strateginen tavoite"), (288, 420, "Osaava henkilöstö")),
                line(11, (288, 420, "tekee yhdessä työtä"))]
    grid = [line(22 + 11 * k, (50, 270, left), (288, 540, right)) for k, (left, right) in enumerate([
        ("Päätösvalmistelun tavoitteena ovat laadukkaat", "Uusia ohjelmia ja järjestelmiä on hankittu"),
        ("palvelut ja asianhallinnan korkea taso ja", "laadun lisäämiseksi ja sähköisen asianhallinnan"),
        ("hyvä yhteistyö kaikkien toimijoiden kanssa", "kehittämiseksi ja yhteistyötä on parannettu"),
        ("kaupungin kokonaisedun mukaisesti.", "kokonaisedun huomioimiseksi.")])]
    builder = DocBuilder("d")
    builder.start_page(1, None)
    _emit_texts(builder, strategy + grid, 8.0, 1)
    found = [b.text for b in builder.blocks]
    assert "Strateginen tavoite Osaava henkilöstö tekee yhdessä työtä" in found
    assert "Päätösvalmistelun tavoitteena ovat laadukkaat palvelut ja asianhallinnan korkea " \
        "taso ja hyvä yhteistyö kaikkien toimijoiden kanssa kaupungin kokonaisedun mukaisesti." \
        in found


def test_names_beside_parties_under_a_name_pair_are_no_grid() -> None:
    # Kauhava tilinpäätös 2024 p. 10: "Kamppinen Aapo" · "PS" reads like two columns' names,
    # and the parties fill their narrow column, "keskusta" over "keskusta"
    lines = [line(0, (216, 294, "Kamppinen Aapo"), (372, 383, "PS")),
             line(13, (216, 263, "Kari Jorma"), (372, 411, "keskusta")),
             line(26, (216, 296, "Kivikangas Emma"), (372, 391, "SDP")),
             line(39, (216, 295, "Mäki-Fränti Tuula"), (372, 411, "keskusta")),
             line(52, (216, 282, "Ojanperä Harri"), (372, 411, "keskusta"))]
    assert column_blocks(lines) == []


def test_a_sentences_last_word_is_no_header_an_abbreviation_may_be() -> None:
    from indexer.tables import is_header_like

    # the goal's and the follow-up's last lines over a mittari table (Seinäjoki pp. 86, 90)
    for tail in ("riskejä.", "ja vaatimuksista.", "saavutettiin.", "tavoitteen mukaisesti."):
        assert not is_header_like([tail]), tail
        assert not is_header_like(["toimintojen edistäminen", tail]), tail
    # a header's abbreviations, dates and units (Kauhava pp. 120, 143; Seinäjoki p. 166)
    for header in ("Alkuper.", "keskener.", "omistusyht.", "Toteuma 31.12.", "Tot.",
                   "1 000 euroa."):
        assert is_header_like([header]), header


def test_a_columns_name_is_a_paragraph_of_its_own_in_a_narrow_column() -> None:
    from indexer.pdf_columns import rows

    # Seinäjoki p. 90: a narrow left column, each short line ending near its edge
    left = [line(0, (63, 116, "Strateginen valinta")), line(24, (63, 148, "Talousarviotavoite")),
            line(36, (63, 186, "Lapsiystävällisen kaupungin")),
            line(48, (63, 172, "toimintojen edistäminen"))]
    right = [line(0, (204, 293, "Strateginen tavoite")),
             line(24, (204, 329, "Tilannekuvaus ja riskiarvio")),
             line(36, (205, 520, "Lapsiystävällisen kunnan toimintojen edistämiselle asetetut")),
             line(48, (204, 259, "saavutettiin."))]
    read = [" ".join(ln.text for ln in run) for run in rows([left, right])]
    assert read.index("Talousarviotavoite") < read.index("Lapsiystävällisen kaupungin toimintojen "
                                                         "edistäminen")
    assert "Strateginen valinta" in read and "Tilannekuvaus ja riskiarvio" in read
    assert "Lapsiystävällisen kunnan toimintojen edistämiselle asetetut saavutettiin." in read
