"""The read-only API over a small built index, on both backends: shapes, 404s, error JSON,
source files."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import database_url
from fastapi.testclient import TestClient

from api.app import create_app
from indexer.build import build
from indexer.settings import Settings


@pytest.fixture
def client(tmp_path: Path, corpus: Path, backend: str):
    settings = Settings(corpus=corpus, index=tmp_path / "index", workers=1,
                        database_url=database_url(backend))
    build(settings, progress=False)
    with TestClient(create_app(settings)) as c:
        yield c


def test_health_and_documents(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["counts"]["documents"] == 2
    docs = client.get("/api/documents").json()["documents"]
    assert {d["municipality"] for d in docs} == {"Testilä", "Mikkeli"}
    pdf = next(d for d in docs if d["source_file"] == "raportti.pdf")
    assert pdf["period"] and pdf["pages"] == 2 and pdf["year"] == 2023


def test_document_text_pages_and_tables(client: TestClient) -> None:
    pdf = next(d for d in client.get("/api/documents").json()["documents"]
               if d["source_file"] == "raportti.pdf")
    body = client.get(f"/api/documents/{pdf['id']}").json()
    assert "digi- tointihankkeen" in body["text"]
    assert [p["label"] for p in body["pages"]] == ["11", "12"]
    row = body["tables"][0]["rows"][1]
    assert row["label"] == "Toimintakulut"
    assert row["cells"][0] == {"text": "-6 740 150,20", "number": -6740150.2, "unit": None}


def test_source_file_is_served(client: TestClient, fixtures: Path) -> None:
    pdf = next(d for d in client.get("/api/documents").json()["documents"]
               if d["source_file"] == "raportti.pdf")
    resp = client.get(f"/api/documents/{pdf['id']}/source")
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content == (fixtures / "raportti.pdf").read_bytes()


@pytest.mark.parametrize("doc_id", ["nope", "../../etc/passwd", "0123456789ab", "%2e%2e"])
def test_unknown_document_is_404_json(client: TestClient, doc_id: str) -> None:
    for suffix in ("", "/source"):
        resp = client.get(f"/api/documents/{doc_id}{suffix}")
        assert resp.status_code == 404
        assert resp.json()["error"]["code"] == "not_found"


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(index=tmp_path / "none", corpus=tmp_path)
    with pytest.raises(Exception, match="run 'kuntahaku index' first"):
        with TestClient(create_app(settings)):
            pass
