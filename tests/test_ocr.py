"""Scanned pages read with Tesseract: the words of a scan, only pages without a text layer
OCR'd, `ocr: true` in the API, the time limit, and the refusal without Tesseract.

skannattu.pdf is skannattu_lahde.pdf rendered at 200 dpi as a two-tone image without a text
layer (tests/fixtures/make_fixtures.py); the text layer of the source is what OCR should read.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter
from rapidfuzz import fuzz, process

from api.app import create_app
from indexer import ocr
from indexer.build import _safe_parse, build
from indexer.errors import NoTextLayerError, ParseTimeoutError
from indexer.parse import parse_file
from indexer.settings import Settings

MAX_BYTES = 10**8


def _tesseract() -> None:
    if ocr.languages() is None:
        message = f"Tesseract with its Finnish model is not installed ({ocr.INSTALL_HINT})"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def tesseract() -> None:
    _tesseract()


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _mixed(fixtures: Path, out: Path) -> Path:
    """Page 1 of raportti.pdf (a text layer) followed by the scanned page."""
    writer = PdfWriter()
    writer.add_page(PdfReader(fixtures / "raportti.pdf").pages[0])
    writer.add_page(PdfReader(fixtures / "skannattu.pdf").pages[0])
    writer.write(out)
    return out


def test_scanned_page_is_read_like_a_text_page(tesseract: None, fixtures: Path) -> None:
    t0 = time.perf_counter()
    doc = parse_file(fixtures / "skannattu.pdf", "skannattu.pdf", None, MAX_BYTES)
    seconds = time.perf_counter() - t0
    source = parse_file(fixtures / "skannattu_lahde.pdf", "lahde.pdf", None, MAX_BYTES)
    expected, read = _words(source.text), _words(doc.text)
    found = [w for w in expected if process.extractOne(w, read, scorer=fuzz.ratio,
                                                        score_cutoff=80)]
    assert len(found) >= 0.8 * len(expected), sorted(set(expected) - set(found))
    assert [p.ocr for p in doc.pages] == [True]
    # the same layout as the text layer's: a heading, then the three paragraphs
    assert [b.kind for b in doc.blocks] == [b.kind for b in source.blocks]
    assert doc.blocks[0].text == "3 Investoinnit"
    note = next(w for w in doc.warnings if "OCR" in w)
    assert note.startswith("1 of 1 pages had no text layer and were read by OCR")
    assert re.search(r"mean word confidence \d+ %", note)
    assert seconds < 30, seconds


def test_only_the_page_without_a_text_layer_is_read(
    tesseract: None, fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = ocr.read_page

    def counted(page: object, langs: str) -> ocr.OcrPage:
        calls.append(1)
        return real(page, langs)  # type: ignore[arg-type]

    monkeypatch.setattr(ocr, "read_page", counted)
    doc = parse_file(_mixed(fixtures, tmp_path / "sekalainen.pdf"), "sekalainen.pdf", None,
                     MAX_BYTES)
    assert len(calls) == 1
    assert [p.ocr for p in doc.pages] == [False, True]
    first, second = (doc.text[p.start:p.end] for p in doc.pages)
    assert "Toimintakulut" in first and "Investoinnit" not in first
    assert "koulukeskuksen" in second
    assert any(w.startswith("1 of 2 pages had no text layer") for w in doc.warnings)


def test_search_and_ask_mark_passages_of_a_scanned_page(
    tesseract: None, fixtures: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _mixed(fixtures, corpus / "sekalainen.pdf")
    (corpus / "manifest.json").write_text(
        '{"documents": {"sekalainen.pdf": {"municipality": "Testilä", '
        '"doc_type": "osavuosikatsaus"}}}', encoding="utf-8")
    settings = Settings(corpus=corpus, index=tmp_path / "index", workers=1)
    report = build(settings, progress=False)
    assert not report.failed
    with TestClient(create_app(settings)) as client:
        hits = client.get("/api/search", params={"q": "koulukeskuksen peruskorjaus"}).json()
        top = hits["results"][0]
        assert "koulukeskuksen" in top["text"] and top["page"] == 2 and top["ocr"] is True
        text_hit = client.get("/api/search", params={"q": "toimintakulut"}).json()["results"][0]
        assert text_hit["page"] == 1 and text_hit["ocr"] is False
        doc = client.get(f"/api/documents/{top['document']['id']}").json()
        assert [p["ocr"] for p in doc["pages"]] == [False, True]
        context = client.get(f"/api/documents/{top['document']['id']}/context",
                             params={"start": top["start"], "end": top["end"]}).json()
        assert context["ocr"] is True and context["page"] == 2
        ask = client.post("/api/ask", json={"question": "Milloin koulukeskuksen "
                                                        "peruskorjauksen työt alkavat?"}).json()
        for c in ask["citations"]:
            assert c["ocr"] is (c["page"] == 2)


def test_without_tesseract_a_scan_is_refused_with_the_install(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ocr, "languages", lambda: None)
    with pytest.raises(NoTextLayerError) as refused:
        parse_file(fixtures / "skannattu.pdf", "skannattu.pdf", None, MAX_BYTES)
    message = str(refused.value)
    assert "skannattu.pdf" in message
    assert "install tesseract-ocr and tesseract-ocr-fin (make install)" in message
    # a text page beside the scan: the text is indexed, the note says how to read the rest
    doc = parse_file(_mixed(fixtures, tmp_path / "sekalainen.pdf"), "sekalainen.pdf", None,
                     MAX_BYTES)
    assert [p.ocr for p in doc.pages] == [False, False]
    assert doc.pages[1].start == doc.pages[1].end
    assert any("page(s) 2 have no text layer" in w and "tesseract-ocr-fin" in w
               for w in doc.warnings)


def test_blank_pages_stay_empty_and_nothing_read_is_an_error(
    tesseract: None, tmp_path: Path
) -> None:
    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    blank.write(tmp_path / "tyhja.pdf")
    with pytest.raises(NoTextLayerError, match="OCR found no text"):
        parse_file(tmp_path / "tyhja.pdf", "tyhja.pdf", None, MAX_BYTES)


def _tesseract_children() -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        parent = int(text[text.rindex(")") + 2:].split()[1])
        if parent == os.getpid() and name == "tesseract":
            found.append(int(stat.parent.name))
    return found


def test_the_file_time_limit_stops_ocr_and_its_process(
    tesseract: None, fixtures: Path, tmp_path: Path
) -> None:
    """The alarm of KUNTAHAKU_FILE_TIMEOUT interrupts the wait on Tesseract; the child process
    is killed with it, not left reading pages of a file already given up."""
    scan = PdfReader(fixtures / "skannattu.pdf").pages[0]
    writer = PdfWriter()
    for _ in range(40):  # ~0.5 s a page: far over the limit
        writer.add_page(scan)
    writer.write(tmp_path / "pitka.pdf")
    t0 = time.perf_counter()
    result = _safe_parse(tmp_path / "pitka.pdf", "pitka.pdf", None, MAX_BYTES, "x", limit=1.5)
    seconds = time.perf_counter() - t0
    assert isinstance(result, ParseTimeoutError), result
    assert seconds < 5, seconds
    assert _tesseract_children() == []
