"""Filters and facets by body (toimielin) and meeting date, over conftest's FILTER_DOCS index:
three Kaupunginhallitus minutes (two Lapua, one Kemi), one Tekninen lautakunta minutes, a report
of 1-6/2025, a report of 2024 and a leaflet without any date."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import cli
from api.answer import Answerer
from api.app import create_app
from api.search import InvalidFilter, Searcher, UnknownFilter
from indexer import store
from indexer.build import _meta_changed
from indexer.metadata import resolve_meta
from indexer.settings import Settings

QUERY = "uimahallin peruskorjaus"
ALL = {"lapua_kh_2025-03-17.txt", "lapua_tekla_2025-04-10.txt", "lapua_kh_2025-06-02.txt",
       "kemi_kh_2025-03-20.txt", "lapua_seuranta_2025.txt", "lapua_tilinpaatos_2024.txt",
       "lapua_esite.txt"}


@pytest.fixture(scope="module")
def searcher(backend_filter_settings: Settings) -> Iterator[Searcher]:
    s = Searcher.open(backend_filter_settings)
    yield s
    s.close()


@pytest.fixture(scope="module")
def client(backend_filter_settings: Settings):
    with TestClient(create_app(backend_filter_settings)) as c:
        yield c


def _files(out: dict) -> set[str]:
    return {r["document"]["source_file"] for r in out["results"]}


def test_documents_carry_body_and_meeting_date(searcher: Searcher) -> None:
    assert searcher.bodies == ["Kaupunginhallitus", "Tekninen lautakunta"]
    out = searcher.search(QUERY, k=10)
    assert _files(out) == ALL  # unfiltered: every document
    docs = {r["document"]["source_file"]: r["document"] for r in out["results"]}
    assert docs["lapua_tekla_2025-04-10.txt"]["body"] == "Tekninen lautakunta"
    assert docs["lapua_tekla_2025-04-10.txt"]["meeting_date"] == "2025-04-10"
    assert docs["lapua_tekla_2025-04-10.txt"]["year"] == 2025  # the meeting's, the text names none
    assert docs["lapua_seuranta_2025.txt"]["body"] == docs["lapua_seuranta_2025.txt"]["meeting_date"] == ""
    assert out["filters"] == {"municipality": None, "year": None, "doc_type": None, "body": None,
                              "date_from": None, "date_to": None}


def test_body_filter_in_any_letter_case_and_with_a_municipality(searcher: Searcher) -> None:
    out = searcher.search(QUERY, body="KAUPUNGINHALLITUS")
    assert out["filters"]["body"] == "Kaupunginhallitus"  # as the index spells it
    assert _files(out) == {"lapua_kh_2025-03-17.txt", "lapua_kh_2025-06-02.txt", "kemi_kh_2025-03-20.txt"}
    out = searcher.search(QUERY, body="tekninen  lautakunta")
    assert _files(out) == {"lapua_tekla_2025-04-10.txt"}
    out = searcher.search(QUERY, municipality="Kemi", body="Kaupunginhallitus")
    assert _files(out) == {"kemi_kh_2025-03-20.txt"}


def test_unknown_body_names_it_and_the_known_ones(searcher: Searcher) -> None:
    with pytest.raises(UnknownFilter, match="unknown body 'Valtuusto'; the index has: "
                                            "Kaupunginhallitus, Tekninen lautakunta"):
        searcher.search(QUERY, body="Valtuusto")


@pytest.mark.parametrize(("date_from", "date_to", "files"), [
    # a meeting on or after the day, a report whose period ends on or after it
    ("2025-04-01", None, {"lapua_tekla_2025-04-10.txt", "lapua_kh_2025-06-02.txt",
                          "lapua_seuranta_2025.txt"}),
    # a meeting on or before the day, a report whose period starts on or before it
    (None, "2025-03-17", {"lapua_kh_2025-03-17.txt", "lapua_seuranta_2025.txt",
                          "lapua_tilinpaatos_2024.txt"}),
    ("2025-03-18", "2025-04-30", {"kemi_kh_2025-03-20.txt", "lapua_tekla_2025-04-10.txt",
                                  "lapua_seuranta_2025.txt"}),
    ("2025-03-17", "2025-03-17", {"lapua_kh_2025-03-17.txt", "lapua_seuranta_2025.txt"}),  # inclusive
    ("2024-12-31", "2024-12-31", {"lapua_tilinpaatos_2024.txt"}),
    ("2026-01-01", None, set()),
])
def test_date_range_keeps_meetings_in_it_and_reports_overlapping_it(
        searcher: Searcher, date_from: str | None, date_to: str | None, files: set[str]) -> None:
    out = searcher.search(QUERY, date_from=date_from, date_to=date_to)
    assert _files(out) == files
    assert "lapua_esite.txt" not in files  # a document without any date never passes a date filter


def test_body_and_dates_together(searcher: Searcher) -> None:
    out = searcher.search(QUERY, body="Kaupunginhallitus", date_from="2025-03-18")
    assert _files(out) == {"kemi_kh_2025-03-20.txt", "lapua_kh_2025-06-02.txt"}
    out = searcher.search(QUERY, municipality="Lapua", body="Kaupunginhallitus",
                          date_from="2025-03-18", date_to="2025-05-31")
    assert out["results"] == []


@pytest.mark.parametrize(("date_from", "date_to", "named"), [
    ("2025-13-01", None, "date_from"), ("17.3.2025", None, "date_from"),
    ("2025-3-17", None, "date_from"), (None, "2025-02-30", "date_to"), (None, "huomenna", "date_to"),
    ("2025-05-01", "2025-04-01", "date_from 2025-05-01 is after date_to 2025-04-01"),
])
def test_malformed_dates_are_refused_naming_the_parameter(
        searcher: Searcher, date_from: str | None, date_to: str | None, named: str) -> None:
    with pytest.raises(InvalidFilter, match=named):
        searcher.search(QUERY, date_from=date_from, date_to=date_to)


def test_facets_count_bodies_under_the_other_filters(searcher: Searcher) -> None:
    bodies = searcher.search(QUERY)["facets"]["body"]
    assert bodies == [{"value": "Kaupunginhallitus", "count": 3, "selected": False},
                      {"value": "Tekninen lautakunta", "count": 1, "selected": False}]
    # its own filter leaves every body choosable; the others narrow the counts
    chosen = searcher.search(QUERY, body="tekninen lautakunta")["facets"]["body"]
    assert [(f["value"], f["count"], f["selected"]) for f in chosen] == [
        ("Kaupunginhallitus", 3, False), ("Tekninen lautakunta", 1, True)]
    kemi = searcher.search(QUERY, municipality="Kemi")["facets"]["body"]
    assert [(f["value"], f["count"]) for f in kemi] == [("Kaupunginhallitus", 1)]
    later = searcher.search(QUERY, date_from="2025-04-01")["facets"]["body"]
    assert [(f["value"], f["count"]) for f in later] == [("Kaupunginhallitus", 1),
                                                          ("Tekninen lautakunta", 1)]


def test_the_answer_keeps_to_the_filters(searcher: Searcher) -> None:
    answerer = Answerer(searcher)
    question = "Kuka valittiin uimahallin peruskorjauksen urakoitsijaksi?"
    out = answerer.ask(question, body="Tekninen lautakunta")
    assert out["filters"]["body"] == "Tekninen lautakunta"
    assert _files(out) == {"lapua_tekla_2025-04-10.txt"}
    assert all(c["document"]["body"] == "Tekninen lautakunta" for c in out["citations"])
    out = answerer.ask(question, date_to="2025-03-31")
    assert "lapua_kh_2025-06-02.txt" not in _files(out)
    assert all(c["document"]["source_file"] != "lapua_kh_2025-06-02.txt" for c in out["citations"])
    unfiltered = answerer.ask(question)
    assert unfiltered["found"] and \
        unfiltered["citations"][0]["document"]["source_file"] == "lapua_kh_2025-06-02.txt"


def test_an_answer_across_places_keeps_the_filters_for_every_place(searcher: Searcher) -> None:
    out = Answerer(searcher).ask("Vertaa Lapuan ja Kemin uimahallin päätöksiä",
                                 body="Kaupunginhallitus", date_from="2025-03-18")
    for item in out.get("items", []):
        for c in item["citations"]:
            assert c["document"]["body"] == "Kaupunginhallitus"
            assert c["document"]["meeting_date"] >= "2025-03-18"


def test_http_search_and_ask_take_the_filters(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": QUERY, "body": "kaupunginhallitus",
                                          "date_from": "2025-03-18", "date_to": ""})
    assert r.status_code == 200, r.text
    body = r.json()
    assert _files(body) == {"kemi_kh_2025-03-20.txt", "lapua_kh_2025-06-02.txt"}
    assert body["filters"]["body"] == "Kaupunginhallitus" and body["filters"]["date_to"] is None
    assert [f["value"] for f in body["facets"]["body"]] == ["Kaupunginhallitus", "Tekninen lautakunta"]
    r = client.post("/api/ask", json={"question": QUERY, "body": "Tekninen lautakunta",
                                      "date_from": "2025-04-01", "date_to": "2025-04-30"})
    assert r.status_code == 200, r.text
    assert _files(r.json()) == {"lapua_tekla_2025-04-10.txt"}
    doc = r.json()["results"][0]["document"]
    listed = {d["id"]: d for d in client.get("/api/documents").json()["documents"]}
    assert listed[doc["id"]]["body"] == "Tekninen lautakunta"
    assert listed[doc["id"]]["meeting_date"] == "2025-04-10"


@pytest.mark.parametrize(("method", "url", "payload", "status", "code", "named"), [
    ("get", f"/api/search?q={QUERY}&body=Valtuusto", None, 400, "unknown_filter", "Valtuusto"),
    ("post", "/api/ask", {"question": QUERY, "body": "Valtuusto"}, 400, "unknown_filter",
     "Kaupunginhallitus"),
    ("get", f"/api/search?q={QUERY}&date_from=2025-13-01", None, 400, "invalid_filter", "date_from"),
    ("get", f"/api/search?q={QUERY}&date_to=1.4.2025", None, 400, "invalid_filter", "date_to"),
    ("get", f"/api/search?q={QUERY}&date_from=2025-05-01&date_to=2025-04-01", None, 400,
     "invalid_filter", "after date_to"),
    ("post", "/api/ask", {"question": QUERY, "date_from": "eilen"}, 400, "invalid_filter",
     "date_from"),
    ("post", "/api/ask", {"question": QUERY, "date_to": 20250401}, 422, "invalid_request",
     "date_to"),
])
def test_http_filter_errors_are_4xx_json_naming_the_value(
        client: TestClient, method: str, url: str, payload, status: int, code: str,
        named: str) -> None:
    r = client.post(url, json=payload) if method == "post" else client.get(url)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and named in error["message"]


def test_cli_search_and_ask_flags(filter_settings: Settings, capsys: pytest.CaptureFixture) -> None:
    index = str(filter_settings.index)
    assert cli.main(["search", QUERY, "--index", index, "--body", "kaupunginhallitus",
                     "--from", "2025-03-18", "--to", "2025-12-31", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _files(out) == {"kemi_kh_2025-03-20.txt", "lapua_kh_2025-06-02.txt"}
    assert out["filters"]["date_from"] == "2025-03-18"
    assert cli.main(["search", QUERY, "--index", index, "--body", "Tekninen lautakunta"]) == 0
    assert "Tekninen lautakunta · § 12 Uimahallin peruskorjaus · 2025-04-10" in capsys.readouterr().out
    assert cli.main(["ask", QUERY, "--index", index, "--to", "2025-03-17", "--json"]) == 0
    assert _files(json.loads(capsys.readouterr().out)) <= {
        "lapua_kh_2025-03-17.txt", "lapua_seuranta_2025.txt", "lapua_tilinpaatos_2024.txt"}
    assert cli.main(["ask", QUERY, "--index", index, "--body", "Valtuusto"]) == 2
    assert "unknown body 'Valtuusto'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["search", QUERY, "--index", index, "--from", "17.3.2025"])
    assert exit_.value.code == 2 and "--from" in capsys.readouterr().err


def test_manifest_states_body_and_meeting_date() -> None:
    meta, warnings = resolve_meta("kh.txt", "Pöytäkirja\n\n§ 5 Asia", {
        "municipality": "Lapua", "body": " Tekninen   lautakunta ", "meeting_date": "2025-04-10"})
    assert (meta.body, meta.meeting_date, meta.year) == ("Tekninen lautakunta", "2025-04-10", 2025)
    meta, warnings = resolve_meta("kh.txt", "Pöytäkirja", {"municipality": "Lapua",
                                                            "meeting_date": "10.4.2025"})
    assert meta.meeting_date == "" and any("meeting_date" in w and "10.4.2025" in w for w in warnings)
    meta, _ = resolve_meta("raportti.txt", "Toteutuma 1-6/2025", {"municipality": "Lapua"})
    assert meta.body == meta.meeting_date == ""


def test_a_changed_body_or_meeting_date_in_the_manifest_parses_the_file_again(
        filter_settings: Settings) -> None:
    docs = store.load_documents(store.live_folder(filter_settings.index))
    doc = next(d for d in docs.values() if d.source_file == "lapua_tekla_2025-04-10.txt")
    same = {"municipality": "Lapua", "body": "Tekninen lautakunta", "meeting_date": "2025-04-10"}
    assert not _meta_changed([doc], same)
    assert _meta_changed([doc], {**same, "body": "Kaupunginhallitus"})
    assert _meta_changed([doc], {**same, "meeting_date": "2025-04-11"})


def test_readme_documents_the_new_parameters() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for word in ("body=", "date_from=", "date_to=", "--body", "--from", "--to"):
        assert word in readme, word
