"""What a question asks, read once from its form (api/query.py)."""

from __future__ import annotations

import pytest

from api.query import QueryReader, intent_of
from indexer.analyze import get_analyzer
from indexer.glossary import Glossary


@pytest.mark.parametrize(("question", "intent"), [
    ("missä vaiheessa on rakennusvalvonnan arkiston digitointi?", ("status", None)),
    ("Onko Kemijärvellä otettu Kevan oppimisympäristö esimiesten käyttöön?", ("status", None)),
    ("Paljonko Kauhavan kunnallisvero poikkesi talousarviosta 2024?", ("figure", "difference")),
    ("Paljonko investoinnit ylittivät talousarvion?", ("figure", "difference")),
    ("Montako vakinaista työntekijää Kauhavalla oli 2023 lopussa?", ("figure", "count")),
    ("Mikä on lainakanta euroa asukasta kohden?", ("figure", "per_capita")),
    ("What was the unemployment rate in Kemi?", ("figure", "share")),
    ("Hur stor andel av kostnaderna täcktes med statsandelar?", ("figure", "share")),
    ("Paljonko Kemi sai valtionosuuksia 2022?", ("figure", "amount")),
    ("Seinäjoen lainasalkun keskikoron tavoitetaso", ("goal", None)),
    ("miksi toimintakate heikkeni?", ("reason", None)),
    ("Kuka valittiin tarkastuslautakunnan puheenjohtajaksi?", ("who", None)),
    ("milloin uimahalli valmistuu?", ("when", None)),
    ("missä kaupungeissa työttömyys laski?", ("list", None)),
    ("vertaa Kemiä ja Heinolaa", ("list", None)),
    ("Which municipalities had a deficit?", ("list", None)),
    ("Kemin valtionosuudet tammi–kesäkuu 2022", ("other", None)),
])
def test_intent_from_the_question_form(question: str, intent: tuple) -> None:
    assert intent_of(question) == intent


def test_two_places_named_ask_across_places() -> None:
    assert intent_of("Kemin ja Kemijärven valtionosuudet", places=2) == ("list", None)
    assert intent_of("Kemin valtionosuudet", places=1) == ("other", None)


def test_a_body_is_named_by_the_head_of_its_name_where_no_other_body_shares_it() -> None:
    analyzer = get_analyzer("auto")
    reader = QueryReader(analyzer, Glossary(analyzer), ["Lapua"], [],
                         bodies=["Kaupunginvaltuusto", "Kaupunginhallitus", "Tekninen lautakunta",
                                 "Hyvinvointilautakunta", "Kulttuuri- ja vapaa-aikalautakunta"])
    assert reader.read("Mitä valtuusto päätti sopimuksesta?").bodies == ["Kaupunginvaltuusto"]
    assert reader.read("Hyväksyikö hallitus ohjeen?").bodies == ["Kaupunginhallitus"]
    assert reader.read("Mitä tekninen lautakunta päätti?").bodies == ["Tekninen lautakunta"]
    # "lautakunta" ends every board's name: it names none of them; "vapaa" is no head
    assert reader.read("Mitä lautakunta päätti?").bodies == []
    assert reader.read("Onko uimahalli vapaa?").bodies == []
