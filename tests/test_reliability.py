"""The server under load, concurrent re-indexing and hostile requests — against a real
`kuntahaku serve` on 127.0.0.1 where threads, processes or sockets matter (issue #19)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from realserver import ROOT, TOKEN, env_for, serve

from api import app as app_mod
from api.app import create_app
from indexer import store
from indexer.build import build
from indexer.settings import Settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _build(corpus: Path, tmp_path: Path) -> Path:
    index = tmp_path / "var" / "index"
    build(Settings(corpus=corpus, index=index, workers=1), progress=False)
    return index


def _complete(folder: Path) -> bool:
    return all((folder / name).exists() for name in
               (store.MANIFEST, store.DB_NAME, "vectors.npy", "dense.faiss", "lexical"))


def test_reindex_while_clients_search_never_fails_a_request(corpus: Path, tmp_path: Path) -> None:
    """8 clients search, read documents and tables and ask while the index is rebuilt and
    swapped 4 times: every request answers 200 and the server stays up (the old index's shared
    SQLite connection was closed under running requests: 500s, then a segfault)."""
    index = _build(corpus, tmp_path)
    with serve(corpus, index) as server:
        _, docs = server.json("GET", "/api/documents")
        doc_ids = [d["id"] for d in docs["documents"]]
        _, found = server.json("GET", "/api/tables?q=toimintakulut")
        table_id = found["tables"][0]["table"]["id"]
        stop = threading.Event()
        statuses: Counter[int] = Counter()
        failures: list[str] = []

        def client(n: int) -> None:
            i = 0
            while not stop.is_set() and i < 5000:
                i += 1
                kind = (n + i) % 4
                try:
                    if kind == 0:
                        status, _, body = server.request("GET", f"/api/search?q=talous+{n}+{i}")
                    elif kind == 1:
                        status, _, body = server.request("GET", f"/api/documents/{doc_ids[i % 2]}")
                    elif kind == 2:
                        status, _, body = server.request("GET", f"/api/tables/{table_id}")
                    else:
                        status, _, body = server.request(
                            "POST", "/api/ask", {"question": f"toimintakulut {n} {i}"})
                except OSError as exc:
                    failures.append(f"{type(exc).__name__}: {exc}")
                    return
                statuses[status] += 1
                if status != 200:
                    failures.append(f"{status}: {body[:200]!r}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        try:
            for round_ in range(4):
                with (corpus / "mikkeli.txt").open("a", encoding="utf-8") as fh:
                    fh.write(f"\n\nLisäys {round_}: talousarvion toteutuma kierroksella {round_}.\n")
                status, body = server.json("POST", "/api/admin/reindex", headers=AUTH, timeout=300)
                assert status == 200, body
                assert "1 parsed" in body["summary"], body
                time.sleep(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        assert server.alive(), server.process.returncode
        assert failures == [], failures[:5]
        assert sum(statuses.values()) > 50, statuses
        status, health = server.json("GET", "/health")
        assert status == 200 and health["counts"]["documents"] == 2


def test_concurrent_reindex_calls_and_a_cli_build_are_serialised(corpus: Path, tmp_path: Path) -> None:
    """Three re-index requests at once and a `kuntahaku index` in another process: all succeed,
    the live index is a complete build of the whole corpus, and pruning kept only the live and
    the previous builds (one build's pruning deleted another's half-written folder)."""
    index = _build(corpus, tmp_path)
    (corpus / "uusi.txt").write_text("# Uusi\n\nUusi raportti vuodelta 2024.\n", encoding="utf-8")
    with serve(corpus, index) as server:
        results: list[tuple[int, object]] = []

        def reindex() -> None:
            results.append(server.json("POST", "/api/admin/reindex", headers=AUTH, timeout=300))

        threads = [threading.Thread(target=reindex) for _ in range(3)]
        for t in threads:
            t.start()
        cli = subprocess.run([sys.executable, "-m", "api.cli", "index"], cwd=ROOT,
                             env=env_for(corpus, index), capture_output=True, text=True, timeout=300)
        for t in threads:
            t.join(300)
        assert cli.returncode == 0, cli.stderr
        assert [status for status, _ in results] == [200, 200, 200], results
        live = store.live_folder(index)
        assert live is not None and _complete(live)
        assert store.read_manifest(live)["counts"]["documents"] == 3
        builds = sorted(p.name for p in (index.parent / "index.builds").iterdir())
        assert len(builds) <= 3 and live.name in builds, builds  # live, previous, the server's
        assert all(_complete(index.parent / "index.builds" / b) for b in builds), builds
        status, health = server.json("GET", "/health")
        assert status == 200 and health["counts"]["documents"] == 3
        assert server.alive()


def test_slow_loris_connections_are_dropped(corpus: Path, tmp_path: Path) -> None:
    """Connections whose headers never finish are closed after KUNTAHAKU_HEADER_TIMEOUT, and
    the server goes on answering."""
    index = _build(corpus, tmp_path)
    with serve(corpus, index, KUNTAHAKU_HEADER_TIMEOUT="1") as server:
        socks = []
        for n in range(40):
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            if n % 2:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # never ends
            socks.append(s)
        started = time.monotonic()
        closed = 0
        for s in socks:
            s.settimeout(max(0.1, 8 - (time.monotonic() - started)))
            try:
                closed += s.recv(100) == b""
            except TimeoutError:
                pass
            finally:
                s.close()
        assert closed == len(socks), f"{closed} of {len(socks)} slow connections were closed"
        assert time.monotonic() - started < 6
        assert server.request("GET", "/health")[0] == 200
        # a request that completes its headers in time is served on a kept-alive connection
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        with s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.1 200")


@pytest.fixture
def client(tmp_path: Path, corpus: Path):
    settings = Settings(corpus=corpus, index=tmp_path / "index", workers=1, admin_token=TOKEN)
    build(settings, progress=False)
    with TestClient(create_app(settings)) as c:
        yield c


def _json_error(response, status: int, code: str) -> str:
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code, body
    return body["error"]["message"]


def test_large_body_is_refused_before_it_is_parsed(client: TestClient) -> None:
    huge = json.dumps({"question": "x", **{f"k{i}": i for i in range(60_000)}})
    t0 = time.perf_counter()
    message = _json_error(client.post("/api/ask", content=huge,
                                      headers={"Content-Type": "application/json"}),
                          413, "body_too_large")
    assert "KUNTAHAKU_MAX_BODY_KB" in message and time.perf_counter() - t0 < 1
    chunks = (b"x" * 4096 for _ in range(40))  # no Content-Length: counted as it arrives
    _json_error(client.post("/api/ask", content=chunks), 413, "body_too_large")
    assert client.post("/api/ask", json={"question": "toimintakulut"}).status_code == 200


def test_security_headers_on_every_response(client: TestClient) -> None:
    doc_id = client.get("/api/documents").json()["documents"][0]["id"]
    for path in ("/", "/static/index.html", "/static/app.js", "/health", "/api/search?q=talous",
                 f"/api/documents/{doc_id}/source", "/api/documents/nope", "/openapi.json",
                 "/docs"):
        response = client.get(path)
        assert "default-src 'self'" in response.headers.get("content-security-policy", ""), path
        assert response.headers.get("x-content-type-options") == "nosniff", path
    error = client.post("/api/ask", content=b"{" * 20000)
    assert error.headers.get("x-content-type-options") == "nosniff"


def test_docs_page_loads_nothing_from_outside(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "swagger-ui" in page.text
    assert "http://" not in page.text and "https://" not in page.text and "//cdn" not in page.text
    assert "<script>" not in page.text  # no inline script: the CSP allows none
    for asset in ("/docs-static/swagger-ui-bundle.js", "/docs-static/swagger-ui.css", "/static/docs.js"):
        assert client.get(asset).status_code == 200, asset


def test_bad_range_headers_get_the_json_error_shape(client: TestClient) -> None:
    doc_id = next(d["id"] for d in client.get("/api/documents").json()["documents"]
                  if d["source_file"] == "raportti.pdf")
    source = f"/api/documents/{doc_id}/source"
    assert client.get(source, headers={"Range": "bytes=0-9"}).status_code == 206
    for path in (source, "/static/app.js"):
        _json_error(client.get(path, headers={"Range": "bytes=zz"}), 400, "invalid_range")
        _json_error(client.get(path, headers={"Range": "lines=1-2"}), 400, "invalid_range")
        _json_error(client.get(path, headers={"Range": "bytes=99999999-"}), 416,
                    "range_not_satisfiable")


def test_admin_token_constant_time_and_case_insensitive_bearer(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = []
    real = app_mod.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(app_mod.hmac, "compare_digest", spy)
    _json_error(client.post("/api/admin/reindex", headers={"Authorization": "Bearer wrong"}),
                401, "unauthorized")
    _json_error(client.post("/api/admin/reindex", headers={"Authorization": f"Basic {TOKEN}"}),
                401, "unauthorized")
    assert compared, "the token was not compared with hmac.compare_digest"
    response = client.post("/api/admin/reindex", headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert client.get("/health").status_code == 200
