"""Place names as English and Swedish questions write them, read as the reports' Finnish names
(indexer/places.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.places import PlaceNames


def test_swedish_names_and_genitives_read_as_finnish() -> None:
    places = PlaceNames()
    known = {"Kauhava", "Seinäjoki", "Kuopio"}.__contains__
    assert places.read("Arbetslösheten i Lappo och Lappos budget", "sv", known) == \
        "Arbetslösheten i Lapua och Lapua budget"
    assert places.read("Hur mycket i S:t Michel?", "sv", known) == "Hur mycket i Mikkeli?"
    assert places.read("Kauhavas och Seinäjokis soliditet", "sv", known) == \
        "Kauhava och Seinäjoki soliditet"
    # "Helsingfors" ends in s as written: no genitive; "Lahtis" is a name of its own
    assert places.read("i Helsingfors och Lahtis", "sv", known) == "i Helsinki och Lahti"
    # English has "Kemi's" (the tokenizer splits it) and no genitive -s
    assert places.read("Lappo's budget and Kauhavas", "en", known) == "Lapua's budget and Kauhavas"
    # a word that is no place keeps its -s; "vasa" (not capitalised) is no town
    assert places.read("Boys och vasa", "sv", known) == "Boys och vasa"


def test_finnish_text_is_read_as_it_is() -> None:
    assert PlaceNames().read("Vasa ja Kauhavas", "fi", lambda word: True) == "Vasa ja Kauhavas"


def test_a_malformed_line_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "place_names.tsv"
    bad.write_text("# comment\nHelsinki\tHelsingfors\nLapua Lappo\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"place_names.tsv:3: expected 2 tab-separated columns"):
        PlaceNames(bad)


def test_former_municipalities_are_read_with_the_town_they_are_part_of(tmp_path: Path) -> None:
    assert PlaceNames().now_part_of["Kortesjärvi"] == "Kauhava"
    assert PlaceNames().now_part_of["Nurmo"] == "Seinäjoki"
    bad = tmp_path / "former.tsv"
    bad.write_text("Kauhava Kortesjärvi\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"former.tsv:1: expected 2 tab-separated columns"):
        PlaceNames(former=bad)


def test_the_municipalities_of_finland_are_known_and_regions_are_none(tmp_path: Path) -> None:
    known = PlaceNames().municipalities
    assert len(known) > 300  # 308 municipalities in 2024, and the former ones of the corpus towns
    assert {"oulu", "vaasa", "pietarsaari", "kemi", "lapua", "nurmo", "kortesjärvi"} <= known
    # every municipality's Swedish name reads as its Finnish one, not only the listed places'
    places = PlaceNames()
    assert places.read("skattesatsen i Hangö och Birkala 2024", "sv", lambda w: False) == \
        "skattesatsen i Hanko och Pirkkala 2024"
    # a region and parts of a town are no municipality
    assert not {"pohjanmaa", "etelä-pohjanmaa", "kaisaniemi", "törnävä"} & known
    bad = tmp_path / "municipalities.tsv"
    bad.write_text("Oulu\tUleåborg\nVaasa Vasa\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"municipalities.tsv:2: expected 2 tab-separated columns"):
        PlaceNames(municipalities=bad)
