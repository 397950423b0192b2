"""Index lifecycle: incremental builds, bad input reported and skipped, atomic swap."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from api.cli import main
from indexer import build as build_mod
from indexer import ocr, store
from indexer.build import build, live_folder
from indexer.settings import Settings


def settings(corpus: Path, tmp_path: Path) -> Settings:
    return Settings(corpus=corpus, index=tmp_path / "var" / "index", workers=1)


def sources(index: Path) -> list[str]:
    con = sqlite3.connect(live_folder(index) / store.DB_NAME)
    try:
        return sorted(r[0] for r in con.execute("SELECT source_file FROM documents"))
    finally:
        con.close()


def test_first_build_then_unchanged(corpus: Path, tmp_path: Path) -> None:
    s = settings(corpus, tmp_path)
    first = build(s, progress=False)
    assert (first.documents, first.pages, first.failed) == (2, 2, [])
    assert first.tables == 3 and first.table_rows > 0 and first.passages > 0
    manifest = store.read_manifest(live_folder(s.index))
    assert manifest["counts"]["documents"] == 2
    second = build(s, progress=False)
    assert second.unchanged and second.reused == 2 and second.parsed == 0
    assert "unchanged, 2 documents, 2 pages" in second.summary()


def test_incremental_add_change_remove(corpus: Path, tmp_path: Path, fixtures: Path) -> None:
    s = settings(corpus, tmp_path)
    build(s, progress=False)
    shutil.copy(fixtures / "seed_snippet.txt", corpus / "uusi.md")
    with (corpus / "mikkeli.txt").open("a", encoding="utf-8") as fh:
        fh.write("\nLisätty kappale.\n")
    (corpus / "raportti.pdf").unlink()
    report = build(s, progress=False)
    assert (report.parsed, report.reused, report.removed) == (2, 0, 1)
    assert sources(s.index) == ["mikkeli.txt", "uusi.md"]


BAD_FILES = {
    "tyhja.txt": (b"", "empty"),
    "latin1.txt": ("Päätös ja äänestys".encode("latin-1"), "not UTF-8"),
    "rikki.pdf": (None, "damaged or truncated"),
    "salattu.pdf": (None, "encrypted"),
    # a blank page, and the scan of one (an image OCR finds nothing on, or cannot read)
    "tyhja_sivu.pdf": (None, "OCR found no text (no page has an image to read)"),
    "skannattu.pdf": (None, "OCR found no text" if ocr.languages() else ocr.INSTALL_HINT),
    "taulukko.xlsx": (b"PK\x03\x04", "unsupported file type '.xlsx'"),
}


def _write_bad_files(corpus: Path, fixtures: Path) -> None:
    good = (fixtures / "raportti.pdf").read_bytes()
    for name, (data, _) in BAD_FILES.items():
        if data is not None:
            (corpus / name).write_bytes(data)
    (corpus / "rikki.pdf").write_bytes(good[: len(good) // 3])
    writer = PdfWriter(clone_from=str(fixtures / "raportti.pdf"))
    writer.encrypt("salasana")
    writer.write(str(corpus / "salattu.pdf"))
    blank = PdfWriter()
    blank.add_blank_page(width=595, height=842)
    blank.write(str(corpus / "tyhja_sivu.pdf"))
    Image.new("1", (1240, 1754), 1).save(corpus / "skannattu.pdf", "PDF", resolution=150)


def test_bad_files_are_reported_by_name_and_the_rest_indexes(
    corpus: Path, tmp_path: Path, fixtures: Path
) -> None:
    _write_bad_files(corpus, fixtures)
    report = build(settings(corpus, tmp_path), progress=False)
    failed = dict(report.failed)
    assert set(failed) == set(BAD_FILES)
    for name, (_, reason) in BAD_FILES.items():
        assert reason in failed[name], (name, failed[name])
    assert report.documents == 2
    assert sources(tmp_path / "var" / "index") == ["mikkeli.txt", "raportti.pdf"]


def test_too_large_file_is_refused(corpus: Path, tmp_path: Path) -> None:
    s = Settings(corpus=corpus, index=tmp_path / "var" / "index", workers=1, max_file_mb=0.001)
    failed = dict(build(s, progress=False).failed)
    assert "over the 0 MB limit" in failed["raportti.pdf"]


def test_a_file_that_breaks_keeps_its_previous_version(
    corpus: Path, tmp_path: Path
) -> None:
    s = settings(corpus, tmp_path)
    build(s, progress=False)
    data = (corpus / "raportti.pdf").read_bytes()
    (corpus / "raportti.pdf").write_bytes(data[:300])
    report = build(s, progress=False)
    assert "kept the previously indexed version" in dict(report.failed)["raportti.pdf"]
    assert sources(s.index) == ["mikkeli.txt", "raportti.pdf"]


@pytest.mark.parametrize("stage", ["write_db", "write_search_index"])
def test_crash_mid_build_leaves_previous_index_live(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    s = settings(corpus, tmp_path)
    build(s, progress=False)
    before = live_folder(s.index)
    (corpus / "mikkeli.txt").write_text("# Uusi\n\nMuuttunut teksti.\n", encoding="utf-8")

    def crash(folder: Path, *args: object) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / store.DB_NAME).write_bytes(b"half-written")
        raise KeyboardInterrupt  # as if killed mid-write (while parsing is saved or embedding)

    if stage == "write_db":
        monkeypatch.setattr(build_mod.store, "write_db", crash)
    else:
        monkeypatch.setattr(build_mod, "write_search_index", crash)
    with pytest.raises(KeyboardInterrupt):
        build(s, progress=False)
    assert live_folder(s.index) == before
    assert sources(s.index) == ["mikkeli.txt", "raportti.pdf"]
    leftovers = [p for p in (s.index.parent / "index.builds").iterdir() if p != before]
    assert leftovers == []
    monkeypatch.undo()
    from api.search import Searcher

    assert Searcher.open(s).search("talouden toteutuma")["results"]  # the old index still serves


def test_cli_index_exit_status_and_summary(
    corpus: Path, tmp_path: Path, fixtures: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index = tmp_path / "idx"
    assert main(["index", "--corpus", str(corpus), "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "2 documents, 2 pages" in out and "0 files failed" in out
    (corpus / "tyhja.txt").write_bytes(b"")
    assert main(["index", "--corpus", str(corpus), "--index", str(index)]) == 1
    captured = capsys.readouterr()
    assert "FAILED tyhja.txt: the file is empty (0 bytes)" in captured.err
    assert "1 files failed" in captured.out


def test_index_path_that_is_a_foreign_folder_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    assert main(["index", "--corpus", str(corpus), "--index", str(foreign)]) == 2
    assert "did not create" in capsys.readouterr().err


def test_the_postgresql_tables_hold_the_embedded_columns_in_their_order() -> None:
    # pg_store writes the rows store.rows gives, so its columns must begin with store's, in order
    from indexer import pg_store

    con = sqlite3.connect(":memory:")
    con.executescript(store._SCHEMA)
    for table in ("documents", "items", "tables", "passages"):
        embedded = [r[1] for r in con.execute(f"PRAGMA table_info({table})")]
        postgres = [c.split()[0].strip('"') for c in pg_store._COLUMNS[table].split(", ")]
        assert postgres[:len(embedded)] == embedded, table
    assert len(pg_store._PASSAGE_TYPES) == len(pg_store._COLUMNS["passages"].split(", "))
