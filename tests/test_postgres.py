"""The PostgreSQL backend on a real PostgreSQL 18 + pgvector (conftest starts it): the same
answers as the embedded index, a build swapped in whole, old builds dropped unless a server reads
them, an approximate (HNSW) dense index above the threshold, clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest
from conftest import new_database, pg_server
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api import cli
from api.answer import Answerer
from api.app import create_app
from api.search import Searcher
from indexer import pg_store
from indexer.build import build
from indexer.errors import IndexError_, StorageError
from indexer.settings import Settings

QUERIES = [
    ("Kemin valtionosuudet", {}),
    ("valtionosuudet", {"municipality": "Kemijärvi"}),
    ("uimahallin laajennuksen urakoitsija", {}),
    ("Testilän toimintakulut toteuma 1-6/2023", {}),
    ("työttömyysaste 2022", {"year": 2022}),
    ("miksi kirjanpito kilpailutettiin", {}),
]


def _schemas(url: str) -> set[str]:
    with pg_store.connect(url, vector=False) as con:
        return {r["nspname"] for r in con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'kh\\_%'")}


def _live(url: str) -> str:
    with pg_store.connect(url, vector=False) as con:
        found = pg_store.live(con)
    assert found is not None
    return found[0]


def test_the_server_is_postgresql_18_with_pgvector() -> None:
    with psycopg.connect(pg_server()) as con:
        assert con.info.server_version // 10000 == 18
        con.execute("CREATE EXTENSION IF NOT EXISTS vector")
        assert con.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()


def test_search_and_ask_are_the_same_on_both_backends() -> None:
    from conftest import built_search_settings

    embedded, pg = (Searcher.open(built_search_settings(b)) for b in ("embedded", "postgresql"))
    try:
        for query, filters in QUERIES:
            a, b = embedded.search(query, **filters), pg.search(query, **filters)
            a.pop("took_ms"), b.pop("took_ms")
            assert a == b, query
            a, b = Answerer(embedded).ask(query, **filters), Answerer(pg).ask(query, **filters)
            a.pop("took_ms"), b.pop("took_ms")
            assert a == b, query
    finally:
        pg.close()


def test_a_build_is_swapped_in_whole_and_old_builds_go(corpus: Path, tmp_path: Path,
                                                      fixtures: Path) -> None:
    s = Settings(corpus=corpus, index=tmp_path / "index", workers=1, database_url=new_database())
    assert build(s, progress=False).documents == 2
    first = _live(s.database_url)
    again = build(s, progress=False)
    assert again.unchanged and again.reused == 2 and _live(s.database_url) == first
    reader = Searcher.open(s)  # holds the first build
    shutil.copy(fixtures / "seed_snippet.txt", corpus / "uusi.md")
    report = build(s, progress=False)
    assert (report.parsed, report.reused, report.documents) == (1, 2, 3)
    second = _live(s.database_url)
    assert second != first and _schemas(s.database_url) == {first, second}
    (corpus / "uusi.md").unlink()
    build(s, progress=False)
    third = _live(s.database_url)
    # the first is read by a server still: kept, though neither live nor the one replaced
    assert _schemas(s.database_url) == {first, second, third}
    assert len(reader.search("valtionosuudet")["results"]) > 0
    reader.close()
    (corpus / "mikkeli.txt").write_text("# Uusi\n\nKokonaan uusi teksti.\n", encoding="utf-8")
    build(s, progress=False)
    assert _schemas(s.database_url) == {third, _live(s.database_url)}


def test_a_failed_build_leaves_the_live_index(corpus: Path, tmp_path: Path, fixtures: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    s = Settings(corpus=corpus, index=tmp_path / "index", workers=1, database_url=new_database())
    build(s, progress=False)
    live = _live(s.database_url)
    real = pg_store.lexical_terms

    def broken(lexical):  # noqa: ANN001, ANN202 - the terms, then the database refuses a row
        yield from real(lexical)
        raise psycopg.errors.DiskFull("could not extend file: No space left on device")

    monkeypatch.setattr(pg_store, "lexical_terms", broken)
    shutil.copy(fixtures / "seed_snippet.txt", corpus / "uusi.md")
    with pytest.raises(StorageError, match="No space left on device.*live index there is unchanged"):
        build(s, progress=False)
    assert _live(s.database_url) == live and _schemas(s.database_url) == {live}
    monkeypatch.undo()
    assert build(s, progress=False).documents == 3  # and the next build goes through


def test_approximate_index_above_threshold(corpus: Path, tmp_path: Path) -> None:
    s = Settings(corpus=corpus, index=tmp_path / "index", workers=1, database_url=new_database(),
                 ann_threshold=1)
    build(s, progress=False)
    searcher = Searcher.open(s)
    try:
        assert searcher.manifest["dense_index"]["type"] == "hnsw"
        with pg_store.connect(s.database_url, vector=False) as con:
            (row,) = con.execute("SELECT indexdef FROM pg_indexes WHERE indexdef LIKE '%hnsw%'")
        assert "vector_ip_ops" in row["indexdef"] and _live(s.database_url) in row["indexdef"]
        out = searcher.search("Toimintakulut", municipality="Testilä")
        assert out["results"] and all(r["document"]["municipality"] == "Testilä"
                                      for r in out["results"])
    finally:
        searcher.close()


def test_unreachable_or_empty_database_is_a_clear_error(tmp_path: Path) -> None:
    url = "postgresql://kuntahaku:salainen@127.0.0.1:1/none"
    with pytest.raises(IndexError_, match=r"cannot connect to the database "
                                          r"postgresql://kuntahaku:\*\*\*@127.0.0.1:1/none") as err:
        Searcher.open(Settings(index=tmp_path / "index", database_url=url))
    assert "salainen" not in str(err.value)
    with pytest.raises(IndexError_, match="no index in the database.*run 'kuntahaku index' first"):
        Searcher.open(Settings(index=tmp_path / "index", database_url=new_database()))


def test_database_url_must_be_postgresql() -> None:
    with pytest.raises(ValidationError, match="database_url"):
        Settings(database_url="mysql://localhost/kunta")


def test_the_cli_indexes_and_searches_through_the_setting(corpus: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture) -> None:
    url = new_database()
    monkeypatch.setenv("KUNTAHAKU_DATABASE_URL", url)
    assert cli.main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "index")]) == 0
    assert "2 documents" in capsys.readouterr().out
    assert not (tmp_path / "index").exists()  # nothing in the folder: the index is in the database
    assert cli.main(["search", "toimintakulut", "--index", str(tmp_path / "index"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["results"][0]["document"]["municipality"] == "Testilä"
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    with TestClient(create_app(settings)) as client:
        health = client.get("/health").json()
    assert health["backend"] == "postgresql" and health["counts"]["documents"] == 2
    assert health["dense_index"]["backend"] == "postgresql"


def test_the_cli_names_a_bad_database_url(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("KUNTAHAKU_DATABASE_URL", "mysql://localhost/kunta")
    assert cli.main(["search", "uimahalli"]) == 2
    assert "error: setting KUNTAHAKU_DATABASE_URL has value 'mysql://localhost/kunta'" in \
        capsys.readouterr().err
    monkeypatch.setenv("KUNTAHAKU_DATABASE_URL", "postgresql://k:salainen@127.0.0.1:1/kunta")
    assert cli.main(["search", "uimahalli"]) == 2
    err = capsys.readouterr().err
    assert "cannot connect to the database postgresql://k:***@127.0.0.1:1/kunta" in err
    assert "salainen" not in err and "\\n" not in err.strip()
