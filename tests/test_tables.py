import pytest

from indexer.tables import (
    GridRow,
    build_table,
    column_unit,
    is_header_like,
    label_unit,
    parse_number,
    unit_only,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,56", (1234.56, None)),
        ("-6 740 150,20", (-6740150.2, None)),
        ("- 502", (-502.0, None)),
        ("54,58", (54.58, None)),
        ("56 %", (56.0, "%")),
        ("-30 %", (-30.0, "%")),
        ("260224100,00", (260224100.0, None)),
        ("4.161.531,04", (4161531.04, None)),
        ("\u2212133 429", (-133429.0, None)),
        ("15 453 237", (15453237.0, None)),
        ("672700 €", (672700.0, "€")),
        ("0", (0.0, None)),
    ],
)
def test_parse_number_finnish_formats(text: str, expected: tuple) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["xx", "-", "", "–", "1.1.2022", "TA 2022", "Toteutunut 4", "1,2,3"])
def test_placeholders_and_words_are_not_numbers(text: str) -> None:
    assert parse_number(text) is None


def test_units_from_headers_and_labels() -> None:
    assert unit_only("1 000 €") == "1000 €"
    assert unit_only("(1000 €)") == "1000 €"
    assert unit_only("€") == "€"
    assert unit_only("2024") is None
    assert column_unit("Toteuma-%") == "%"
    assert column_unit("TOT-24 %") == "%"
    assert column_unit("Tot%") == "%"
    assert column_unit("TA 2022") is None
    assert label_unit("Vakituinen henkilökunta, hlö") == "hlö"
    assert label_unit("Henkilöstömenot €") == "€"
    assert label_unit("Vuosikate, €/asukas") == "€/asukas"
    assert label_unit("Kassan riittävyys, pv") == "pv"
    assert label_unit("Avustettavat yksityistiet, km") == "km"  # Kauhava p. 106's key figures
    assert label_unit("Kaupungin omistamien rakennusten tilavuus, m³") == "m³"
    assert label_unit("Kaupungin omistaman metsän pinta-ala, ha") == "ha"
    assert label_unit("Hankitaan raakamaata väh. 40 ha") is None  # a goal's words
    assert label_unit("Kunnossapito € / km") is None and label_unit("Vuokra, € / m²") is None  # ratios
    assert label_unit("Asukasmäärä") == ""  # a count: no unit
    assert label_unit("Kunnan asukasmäärä 31.12.") == ""
    assert label_unit("Toimintakate") is None
    # a figure per such a count is money
    assert label_unit("Toimintakate / asukasmäärä") is None
    assert label_unit("Lainat asukasmäärää kohden") is None


def test_a_row_stating_its_own_unit_or_a_count_takes_no_money_unit_of_its_column() -> None:
    # Kauhava tilinpäätös 2024 p. 30: the tuloslaskelma's key figures under "2024 1 000 €"
    table = build_table(doc_id="d", title="t", header=["2024 1 000 €", "2023 1 000 €"],
                        label_header="", rows=_grid(("Vuosikate", ["9 552", "10 107"]),
                                                    ("Vuosikate, €/asukas", ["635", "667"]),
                                                    ("Asukasmäärä", ["15 049", "15 164"]),
                                                    ("Kassan riittävyys, pv", ["101", "83"]),
                                                    ("Henkilöstömenot €", ["1 200", "1 100"])),
                        section="", page=1, unit=None)
    units = [[c.unit for c in r.cells] for r in table.rows]
    assert units == [["1000 €"] * 2, ["€/asukas"] * 2, [None] * 2, ["pv"] * 2, ["1000 €"] * 2]
    assert table.rows[2].cells[0].number == 15049.0
    # a count under a table-wide money unit: a number too
    counted = build_table(doc_id="d", title="t", header=["2024"], label_header="",
                          rows=_grid(("Väestön määrä", ["15 049"])), section="", page=1,
                          unit="1000 €")
    assert counted.rows[0].cells[0].unit is None


def test_header_like_lines() -> None:
    assert is_header_like(["", "TP 2021", "TA 2022", "Toteuma 1-6/2022", "Toteuma-%"])
    assert is_header_like(["2024", "2023"])
    assert is_header_like(["1 000 €", "1 000 €"])
    assert not is_header_like(["Verotulot", "92 335", "89 680"])


def test_split_numbers_finds_the_numbers_a_cell_holds() -> None:
    from indexer.tables import split_numbers

    assert split_numbers("9 183 636,30 303 340,32") == ["9 183 636,30", "303 340,32"]
    assert split_numbers("8 688 200 45 253 300") == ["8 688 200", "45 253 300"]
    assert split_numbers("90,6 % 66,9 %") == ["90,6 %", "66,9 %"]
    assert split_numbers("-6 740 150,20") == ["-6 740 150,20"]
    assert split_numbers("- 502") == ["- 502"]
    assert split_numbers("0,93 - 2,00") == []  # a range is one value
    assert split_numbers("Kalusto 1") == []


def _grid(*rows: tuple[str, list[str]]) -> list[GridRow]:
    return [GridRow(label, cells, 10 * i, 10 * i + 5) for i, (label, cells) in enumerate(rows)]


def _groups(rows: list[GridRow]) -> list[tuple[str, ...]]:
    table = build_table(doc_id="d", title="t", header=["", "Talousarvio €", "Toteutuma €"],
                        label_header="", rows=rows, section="", page=1, unit=None)
    return [r.groups for r in table.rows]


def test_a_second_label_level_groups_its_block_only_when_blocks_close_alike() -> None:
    two_level = _grid(("Toimintatulot", ["Alkuperäinen", "200", ""]), ("", ["Yhteensä", "200", "375"]),
                      ("Toimintamenot", ["Alkuperäinen", "192 100", ""]),
                      ("Kv 9.12. §98", ["Muutos", "3 100", ""]), ("", ["Yhteensä", "195 200", "203 437"]),
                      ("Netto", ["", "-195 000", "-203 062"]))
    assert _groups(two_level) == [(), ("Toimintatulot",), (), ("Toimintamenot",), ("Toimintamenot",), ()]
    # rows closing with different words (a goal table's measures under its goal) keep the
    # label above as their group, as any unlabelled row does
    goals = _grid(("Tilojen käyttöaste", ["Käyttöaste, %", "95", "100"]),
                  ("", ["Korjausvelan määrä", "…", "kyllä"]), ("Asiakkaat", ["Kl1 osuus", "55 %", "53 %"]),
                  ("", ["Asiakastyytyväisyys", "…", "4"]))
    assert _groups(goals) == [(), ("Tilojen käyttöaste",), (), ("Asiakkaat",)]
    # a domicile column beside every row's own label has no blocks
    places = _grid(("Eelan Laajennus Oy", ["Seinäjoki", "717", "702"]),
                   ("Lappavesi Oy", ["Lapua", "780", "283"]))
    assert _groups(places) == [(), ()]
