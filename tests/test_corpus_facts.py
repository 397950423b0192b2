"""Facts from the real reports in corpus/, each checked by eye against the source document
(the PDF rows also against pdfplumber's independent layout extraction)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from indexer.build import corpus_files
from indexer.chunk import passages
from indexer.metadata import load_manifest, minutes_meta
from indexer.models import Document, Row, Table
from indexer.parse import parse_file
from indexer.textnorm import join_hyphenation

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

pytestmark = pytest.mark.slow


@cache
def doc(rel: str) -> Document:
    return parse_file(CORPUS / rel, rel, load_manifest(CORPUS).get(rel), 10**9)


def find_row(d: Document, label: str, where: str = "", group: str = "") -> tuple[Table, Row]:
    for t in d.tables:
        context = f"{t.title} {t.label_header} {t.section}"
        for r in t.rows:
            if r.label == label and where in context and any(group in g for g in (*r.groups, "")):
                if not group or any(group in g for g in r.groups):
                    return t, r
    raise AssertionError(f"no row {label!r} in a table about {where!r} / group {group!r}")


def cell(t: Table, r: Row, column: str):
    return r.cells[t.columns.index(column)]


def test_manifest_names_corpus_files_and_the_rest_state_their_own_metadata() -> None:
    files = {rel for rel, _ in corpus_files(CORPUS)}
    manifest = set(load_manifest(CORPUS))
    assert manifest <= files
    assert len(files) == 21 + 94 + 1  # reports and 14 minutes; 94 more minutes; Ahjo decisions
    unlisted = files - manifest
    assert unlisted - {"helsinki-ahjo/decisions_latest.json"} == \
        {rel for rel in files if rel.count("/") >= 2 and rel.startswith("lapua/")}
    # the minutes without an entry print their kind, body and meeting day on their first page
    for rel in sorted(unlisted - {"helsinki-ahjo/decisions_latest.json"}):
        pdf = pdfium.PdfDocument(CORPUS / rel)
        try:
            first = pdf[0].get_textpage().get_text_range().replace("\r", "")
        finally:
            pdf.close()
        stated = minutes_meta(first)
        assert stated["doc_type"] in ("pöytäkirja", "esityslista"), rel
        assert stated["body"].replace(" ", "_") in rel, (rel, stated)
        day, month, year = stated["meeting_date"].split("-")[::-1]
        assert f"{day}.{month}.{year}" in rel, (rel, stated)


def test_kemi_ymparistotoimiala() -> None:
    d = doc("seeds/003_244f33506bdb4e99.txt")
    t, r = find_row(d, "TOIMINTATUOTOT", "KEMIN KAUPUNKI 1.1.2022", "YMPÄRISTÖTOIMIALA")
    assert cell(t, r, "TP 2021").number == 15453237
    t, r = find_row(d, "TOIMINTAKATE", "KEMIN KAUPUNKI 1.1.2022", "YMPÄRISTÖTOIMIALA")
    c = cell(t, r, "Toteuma-%")
    assert (c.text, c.number, c.unit) == ("-30 %", -30.0, "%")
    t, r = find_row(d, "Valtionosuudet", "KEMIN KAUPUNKI Kesäkuu 2022")
    assert cell(t, r, "Toteuma 1-6/2022").number == 27677
    assert d.meta.period == "2022-01-01/2022-06-30"


def test_heinola_talouspalvelut_poistot() -> None:
    d = doc("seeds/002_d603d5f688e74ccc.txt")
    t, r = find_row(d, "Poistot ja arvonalentumiset", "Talouspalvelut")
    c = cell(t, r, "TOT 2024 9 kk")
    assert (c.text, c.number) == ("- 133 429", -133429.0)
    assert t.label_header == "Talouspalvelut Selite"


def test_mikkeli_goal_row() -> None:
    d = doc("seeds/000_0f30cd2b99feaf14.txt")
    for t in d.tables:
        for r in t.rows:
            texts = [join_hyphenation(c.text) for c in r.cells]
            if "Kilpailutus ja hankintasopimusten hallinta sähköisiksi" in texts:
                assert cell(t, r, "tavoite / mittari").text == "100 % käyttö v. 2021"
                assert cell(t, r, "toteuma 31.7.2021").text == "100 %"
                return
    raise AssertionError("goal row not found")


def test_kauhava_tuloslaskelma_page_30() -> None:
    d = doc("kuntaparse/Kauhava-Tilinpaatos-2024.pdf")
    t, r = find_row(d, "Valtionosuudet", "1.3.1 Tilikauden tuloksen muodostuminen")
    assert t.columns == ("2024", "2023")
    assert [(c.number, c.unit) for c in r.cells] == [(15121.0, "1000 €"), (17195.0, "1000 €")]
    assert r.page == 30
    assert d.pages[29].label == "29"  # printed "29/157"
    _, r = find_row(d, "Toimintakate", "1.3.1 Tilikauden tuloksen muodostuminen")
    assert r.cells[0].number == -38396


def test_seinajoki_erityispalvelut_page_91() -> None:
    d = doc("kuntaparse/Seinäjoki-Tilinpaatos-2024.pdf")
    t, r = find_row(d, "Netto (Toimintakate)", "420 Erityispalvelut")
    numbers = [c.number for c in r.cells if c.number is not None]
    assert numbers == [-5236900.0, -5337790.0, -100890.0]
    assert r.page == 91
    assert "420 Erityispalvelut" in t.section


def test_lapua_zero_width_spaces_are_gone() -> None:
    d = doc("lapua/Pöytäkirja-Kaupunginhallitus - 25.08.2025, klo 17_00.pdf")
    assert "\u200b" not in d.text
    assert "kunnallisveroa on kertynyt 13,29 milj. euroa" in d.text


def test_passages_are_reader_sized_and_point_into_the_text() -> None:
    d = doc("kuntaparse/Kauhava-Tilinpaatos-2024.pdf")
    ps = passages(d)
    narrative = [p for p in ps if p.kind == "passage"]
    assert max(len(p.text) for p in narrative) <= 1100
    assert all(d.text[p.start:p.end] == p.text for p in narrative)
    assert all(p.page is not None for p in ps)
