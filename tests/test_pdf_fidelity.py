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
