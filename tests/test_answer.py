"""Answers: table-cell resolution on hand-made tables, passages, abstention, the API contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from api.answer import Answerer
from api.app import create_app
from api.cells import pick_column
from api.query import period_cues
from api.search import Searcher
from indexer.analyze import get_analyzer
from indexer.metadata import period_end_month
from indexer.sentences import sentences
from indexer.settings import Settings

KEMI = ["TP 2021", "TA 2022", "Toteuma 1-6/2022", "Toteuma-%", "TP-ENNUSTE 2022"]
HEINOLA = ["TP 2023", "TOT 2023 9 kk", "TA 2024 +muutos", "TOT 2024 9 kk", "Jäljellä", "TOT-24 %"]


def cells(*texts: str) -> list[dict]:
    return [{"text": t, "number": 1.0 if t else None} for t in texts]


@pytest.mark.parametrize(("question", "columns", "expected"), [
    ("Kemin valtionosuudet tammi–kesäkuu 2022", KEMI, "Toteuma 1-6/2022"),
    ("valtionosuudet kesäkuun loppuun", KEMI, "Toteuma 1-6/2022"),
    ("Kemin valtionosuudet talousarvio 2022", KEMI, "TA 2022"),
    ("Kemin valtionosuuksien budjetti", KEMI, "TA 2022"),
    ("valtionosuudet tilinpäätös 2021", KEMI, "TP 2021"),
    ("valtionosuuksien ennuste", KEMI, "TP-ENNUSTE 2022"),
    ("valtionosuuksien toteutumaprosentti", KEMI, "Toteuma-%"),
    ("poistot syyskuun loppuun 2024", HEINOLA, "TOT 2024 9 kk"),
    ("poistot syyskuun loppuun 2023", HEINOLA, "TOT 2023 9 kk"),
    ("poistot talousarvio 2024", HEINOLA, "TA 2024 +muutos"),
    ("What were the state subsidies in January–June 2022?", KEMI, "Toteuma 1-6/2022"),
])
def test_period_words_pick_the_column(question: str, columns: list[str], expected: str) -> None:
    row = cells(*["x"] * len(columns))
    assert columns[pick_column(columns, row, period_cues(question))] == expected


def test_empty_cells_are_never_chosen() -> None:
    row = cells("1", "", "3", "4", "5")
    assert KEMI[pick_column(KEMI, row, period_cues("talousarvio 2022"))] != "TA 2022"


def test_a_column_without_a_heading_is_never_chosen() -> None:
    # a garbled table: the figure's column has no heading, so nothing says what it is
    assert pick_column(["TA 2024", ""], cells("", "462"), period_cues("investoinnit 2024")) is None
    assert pick_column(["TA 2024", "- 20 531 039"], cells("", "462"), period_cues("2024")) is None
    assert pick_column(["", "2024"], cells("", "462"), period_cues("2024")) == 1


@pytest.mark.parametrize(("text", "expected"), [
    # a sentence wrapped onto the next line stays one (lower case, or a number after a word)
    ("Kesäkuun lopussa toimintakate oli\n-21,05 milj. euroa. Vuosikate on 3,8.",
     ["Kesäkuun lopussa toimintakate oli\n-21,05 milj. euroa.", "Vuosikate on 3,8."]),
    ("Työ jatkuu\nsyksyllä.", ["Työ jatkuu\nsyksyllä."]),
    # headings and table lines stay apart
    ("Talous\nToimintatuotot 1 234\nToimintakulut 600", ["Talous", "Toimintatuotot 1 234",
                                                        "Toimintakulut 600"]),
])
def test_line_breaks_split_lines_but_not_wrapped_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentences(text)] == expected


def test_sentences_keep_dates_and_abbreviations_together() -> None:
    text = "Hallitus valitsi 21.6.2021 § 268 Depona Ab:n. Työ alkaa syksyllä.\tToinen solu"
    assert [text[a:b] for a, b in sentences(text)] == [
        "Hallitus valitsi 21.6.2021 § 268 Depona Ab:n.", "Työ alkaa syksyllä.", "Toinen solu"]
    # "n." (noin) before a figure: the figure is the answer (a held-out question found it cut off)
    text = "Toteutuma on ollut n. 10 milj. euroa. Esim. Kela maksaa. Työ jatkuu. Vuosi 2025 alkaa."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Toteutuma on ollut n. 10 milj. euroa.", "Esim. Kela maksaa.", "Työ jatkuu.",
        "Vuosi 2025 alkaa."]


@pytest.fixture(scope="module")
def answerer(backend_search_settings: Settings) -> Iterator[Answerer]:
    searcher = Searcher.open(backend_search_settings)
    yield Answerer(searcher)
    searcher.close()


@pytest.fixture(scope="module")
def rules_answerer(search_settings: Settings) -> Answerer:
    return Answerer(Searcher.open(search_settings.model_copy(update={"answers": "rules"})))


def test_table_cell_answer_with_sign_and_row_citation(answerer: Answerer) -> None:
    out = answerer.ask("Testilän toimintakulut tammi–kesäkuu 2023")
    assert out["found"] and out["answer_type"] == "table_cell"
    assert out["value"]["text"] == "- 502" and out["value"]["number"] == -502.0
    assert out["table"]["column"] == "Toteuma 1-6/2023"
    quote = out["citations"][0]["quote"]
    assert quote.startswith("Toimintakulut") and "- 502" in quote
    assert "Toimintakulut" in out["answer"] and "Toteuma 1-6/2023" in out["answer"]


def test_table_cell_budget_column(answerer: Answerer) -> None:
    out = answerer.ask("paljonko Testilän toimintatuotot olivat talousarviossa 2023")
    assert out["answer_type"] == "table_cell" and out["value"]["number"] == 1234.56


def test_passage_answer_quotes_the_document(answerer: Answerer) -> None:
    out = answerer.ask("missä vaiheessa on rakennusvalvonnan arkiston digitointi?")
    assert out["found"] and out["answer_type"] == "passage"
    c = out["citations"][0]
    text = answerer.searcher.text_span(c["document"]["id"], c["start"], c["end"])
    assert " ".join(text.split()) == c["quote"]
    assert "kilpailutus" in c["quote"]


@pytest.mark.parametrize(("question", "quote"), [
    # a goal table row: the question names the column (mittari) or asks how it stands (toteuma)
    ("Palvelujen digitalisoinnin mittari Mikkelissä", "100 % käyttö v. 2021"),
    ("missä vaiheessa on palvelujen digitalisointi Mikkelissä", "100 % Työtä jatketaan syksyllä."),
    # …or asks it by the form, yes or no: its follow-up cell, not the action or the measure
    ("Onko Mikkelissä otettu verkkomaksuratkaisut käyttöön?", "Verkkokauppa avattu helmikuussa."),
    # the question names the label column (Toimenpide): the row's label answers
    ("mikä toimenpide edistää verkkomaksamista Mikkelissä", "Palvelujen digitalisointi"),
])
def test_a_table_row_answers_with_the_cell_asked_for(answerer: Answerer, question: str,
                                                     quote: str) -> None:
    out = answerer.ask(question)
    assert out["found"] and out["answer_type"] == "passage"
    assert out["citations"][0]["quote"] == quote and out["answer"] == quote


@pytest.mark.parametrize(("question", "source"), [
    ("What happened to Kemi's state subsidies?", "kemi.txt"),
    ("Hur förändrades statsandelarna i Kemijärvi?", "kemijarvi.txt"),
])
def test_english_and_swedish_questions_are_answered_from_finnish_text(
        answerer: Answerer, question: str, source: str) -> None:
    out = answerer.ask(question)
    assert out["language"] in ("en", "sv") and out["found"]
    assert out["citations"][0]["document"]["source_file"] == source
    assert "valtionosuudet" in out["citations"][0]["quote"]
    assert out["results"][0]["highlights"]  # the Finnish words the glossary gave are marked


@pytest.mark.parametrize(("question", "expected"), [
    # both sentences share "työttömyysaste … 2022 lopussa"; only one is about Kemi
    ("Kemin työttömyysaste vuoden 2022 lopussa", "Kemin työttömyysaste oli 11,2 prosenttia."),
    # every sentence of Kemi's own report is about Kemi: the one saying "Kemin" is not the answer
    ("paljonko Kemi investoi vuonna 2022",
     "Vuonna 2022 kaupunki investoi yhteensä 9,4 miljoonalla eurolla."),
    # Kemijärvi's report names Itä-Lappi, never Kemijärvi: no sentence there is about the town by
    # name, so the one naming the region is not "about elsewhere"
    ("Kemijärven maaseutuhallinnon tehtävät",
     "Itä-Lapin maaseutuhallinnon yhteistoiminta-alue hoitaa maaseutuelinkeinojen tehtävät."),
    # "ylijäämäinen" is made of "ylijäämä": that sentence, not the one sharing "tulos", answers
    ("Heinolan tilinpäätöksen tulos 2023 ylijäämä",
     "Heinolan vuoden 2023 tilinpäätös oli 2,4 miljoonaa euroa ylijäämäinen."),
    # the table counts the unemployed; the laid off are counted in the text beside it
    ("paljonko Heinolassa oli lomautettuja työttömistä marraskuussa 2024",
     "Työttömistä työnhakijoista oli marraskuussa 2024 lomautettuja 210."),
    # the budget's columns say nothing of July: the report of January–July answers
    ("paljonko Heinolan sivistyslautakunnan toimintakate oli heinäkuun loppuun 2025",
     "Sivistyslautakunnan toimintakate on -16,29 milj. euroa."),
    # the sentence going on with "kuitenkaan" belongs to the status
    ("missä vaiheessa on koulukuljetusten kilpailutus",
     "Koulukuljetusten kilpailutusta on valmisteltu kevään aikana. Hankintapäätöstä ei "
     "kuitenkaan ole vielä tehty."),
    # a list of headings says only the question's own words; the next passage says what it does
    ("miten Kumppanuustalo-toimintamallin tavoite on muotoiltu",
     "Kumppanuustalo-toimintamallissa kehitetään yhteisöllisyyttä järjestöjen ja vapaaehtoisten "
     "kanssa."),
    # the first sentence shares more words (kirjanpito, palvelu, tuottaa); the second names who
    ("Kuka tuottaa Heinolan kirjanpidon palvelut?",
     "Palvelut tuottaa vuodesta 2024 alkaen Provincia Oy."),
    ("Kemin kiinteistöveroprosentit", "Yleinen kiinteistöveroprosentti oli 1,10 %."),
], ids=["place-asked", "own-report", "region-only", "derived-word", "row-meets-less",
        "period-end", "however", "heading-list", "who", "figure"])
def test_the_sentence_that_answers(rules_answerer: Answerer, answerer: Answerer, question: str,
                                   expected: str) -> None:
    out = rules_answerer.ask(question)  # the hand rules (KUNTAHAKU_ANSWERS=rules)
    assert out["answer_type"] == "passage"
    assert out["answer"] == expected
    assert out["citations"][0]["quote"] == expected
    # the learned model (the default) chooses the same sentence among every candidate
    s = answerer.searcher
    info, _filters, keep = s.prepare(question)
    hits = s.collapse(s.rank(info, keep), 10)
    chosen, _prob = answerer.chooser.choose(info, hits, answerer._rules(question, info, hits))
    assert answerer.from_candidate(chosen)["answer"] == expected


def test_a_figure_stated_of_another_area_than_the_place_asked_is_marked(answerer: Answerer) -> None:
    # the area named before the figure is whose figure it is (`about_elsewhere`), for the chooser
    s = answerer.searcher

    def marked(question: str) -> dict[str, float]:
        info, _filters, keep = s.prepare(question)
        hits = s.collapse(s.rank(info, keep), 10)
        found = answerer.chooser.candidates(info, hits, answerer._rules(question, info, hits))
        return {s.passages[c.n]["text"][c.start:c.end]: c.features["elsewhere_x_figure"]
                for c in found if c.kind == "sentence"}

    kemi = marked("Kemin työttömyysaste vuoden 2022 lopussa")
    assert kemi["Vuoden 2022 lopussa Lapin työttömyysaste oli 9,1 prosenttia."] == 1.0
    assert kemi["Kemin työttömyysaste oli 11,2 prosenttia."] == 0.0
    # a question naming no place has no place to be elsewhere from
    assert set(marked("työttömyysaste vuoden 2022 lopussa").values()) == {0.0}


def test_the_place_and_its_region_are_not_what_is_asked(answerer: Answerer) -> None:
    info = answerer.searcher.understand("lomautettujen määrä Kemijärven seutukunnassa")
    assert answerer.content_terms(info) == {"lomautettu"}  # not kemi, järvi, seutu, kunta


def test_declines_when_the_best_passage_lacks_the_distinctive_words(answerer: Answerer) -> None:
    # simple words (no compound: api/topic.py does not test them) no passage holds
    out = answerer.ask("montako auraa Mikkelillä on varikolla")
    assert out["found"] is False and out["reason_code"] == "weak_evidence"
    # a compound no passage holds is a topic the reports do not cover, declined before
    out = answerer.ask("montako lumiauraa Mikkelillä on käytössä")
    assert out["found"] is False and out["reason_code"] == "unknown_topic"


@pytest.mark.parametrize(("question", "why", "code"), [
    ("Oulun valtionosuudet tammi–kesäkuu 2022", "Oulu", "unknown_place"),
    ("Kemin valtionosuudet vuonna 2015", "2015", "uncovered_year"),
])
def test_declines_what_the_corpus_cannot_answer(answerer: Answerer, question: str, why: str,
                                                code: str) -> None:
    out = answerer.ask(question)
    assert out["found"] is False and out["answer"] is None and out["answer_type"] == "none"
    assert out["citations"] == [] and why in out["reason"] and out["reason_code"] == code


def test_a_former_municipality_is_asked_of_the_town_it_is_part_of(answerer: Answerer) -> None:
    out = answerer.ask("Milloin Ristiinan koulukeskuksen peruskorjaus valmistui?")
    assert out["found"] and out.get("reason_code") is None
    assert out["citations"][0]["document"]["municipality"] == "Mikkeli"
    assert "Ristiinan koulukeskuksen" in out["citations"][0]["quote"]


def test_a_question_across_places_answers_each_place_with_its_own_citation(answerer: Answerer) -> None:
    out = answerer.ask("Vertaa Kemin ja Kemijärven valtionosuuksia")
    assert out["found"] and out["answer_type"] == "list"
    items = {i["municipality"]: i for i in out["items"]}
    assert set(items) == {"Kemi", "Kemijärvi"}
    for place, words in (("Kemi", "kasvoivat"), ("Kemijärvi", "pienenivät")):
        item = items[place]
        assert item["found"] and words in item["answer"]
        assert [c["document"]["municipality"] for c in item["citations"]] == [place]
    assert out["citations"] == items["Kemi"]["citations"] + items["Kemijärvi"]["citations"]
    assert out["answer"].startswith("Kemi: ") and "; Kemijärvi: " in out["answer"]


def test_a_list_names_the_places_that_do_not_answer(answerer: Answerer) -> None:
    out = answerer.ask("Vertaa Kemin ja Heinolan kiinteistöveroprosentteja")
    items = {i["municipality"]: i for i in out["items"]}
    assert items["Kemi"]["found"] and "1,10 %" in items["Kemi"]["answer"]
    assert not items["Heinola"]["found"] and items["Heinola"]["reason_code"]


def test_a_list_of_places_the_corpus_lacks_is_declined_as_such(answerer: Answerer) -> None:
    out = answerer.ask("Vertaa Oulun ja Vaasan valtionosuuksia")
    assert not out["found"] and out["reason_code"] == "unknown_place" and "items" not in out


@pytest.mark.parametrize(("question", "intent"), [
    ("Paljonko valtionosuuksia Kemi ja Kemijärvi saivat?", ("figure", "amount")),
    ("Vertaa Kemin ja Kemijärven työttömyysprosenttia", ("figure", "share")),
])
def test_each_place_of_a_list_is_asked_what_the_question_asks_of_every_place(
        answerer: Answerer, question: str, intent: tuple) -> None:
    from dataclasses import replace

    asked = answerer.searcher.prepare(question)[0]
    assert asked.intent == ("list", None)
    assert replace(asked, municipalities=["Kemi"], item=True).intent == intent


def test_a_filter_to_one_place_is_no_list(answerer: Answerer) -> None:
    out = answerer.ask("Vertaa Kemin ja Kemijärven valtionosuuksia", municipality="Kemi")
    assert out["answer_type"] == "passage" and "items" not in out


@pytest.fixture(scope="module")
def client(backend_search_settings: Settings):
    with TestClient(create_app(backend_search_settings)) as c:
        yield c


def test_ask_json_has_the_contract_shape(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "Testilän toimintakulut tammi–kesäkuu 2023"})
    assert r.status_code == 200
    body = r.json()
    for key in ("question", "language", "found", "answer", "answer_type", "value", "citations",
                "results", "took_ms"):
        assert key in body
    assert set(body["value"]) >= {"text", "number", "unit"}
    for key in ("document", "page", "section", "quote"):
        assert key in body["citations"][0]
    assert set(body["citations"][0]["document"]) >= {"id", "title", "municipality", "period",
                                                      "doc_type", "source_file"}
    result = body["results"][0]
    assert set(result) >= {"rank", "score", "kind", "document", "page", "section", "text",
                           "highlights"}


def test_search_json_has_the_contract_shape(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "valtionosuudet", "k": 2}).json()
    assert set(body) >= {"query", "language", "took_ms", "results"} and len(body["results"]) <= 2


@pytest.mark.parametrize(("method", "url", "payload", "status", "code"), [
    ("post", "/api/ask", {"question": ""}, 422, "invalid_request"),
    ("post", "/api/ask", {"question": "   "}, 400, "bad_request"),
    ("post", "/api/ask", {"question": "x" * 501}, 422, "invalid_request"),
    ("post", "/api/ask", {"question": "kemi", "municipality": "Oulu"}, 400, "unknown_filter"),
    ("post", "/api/ask", {"question": "kemi", "year": "soon"}, 422, "invalid_request"),
    ("post", "/api/ask", {"kysymys": "kemi"}, 422, "invalid_request"),
    ("get", "/api/search?q=", None, 422, "invalid_request"),
    ("get", "/api/search?q=kemi&k=0", None, 422, "invalid_request"),
    ("get", "/api/search?q=kemi&k=51", None, 422, "invalid_request"),
    ("get", "/api/search?q=kemi&municipality=Oulu", None, 400, "unknown_filter"),
    ("get", "/api/search?q=kemi&doc_type=lehti", None, 400, "unknown_filter"),
    ("get", "/api/tables?q=", None, 422, "invalid_request"),
    ("post", "/api/admin/reindex", None, 403, "forbidden"),
])
def test_error_paths(client: TestClient, method: str, url: str, payload, status: int,
                     code: str) -> None:
    r = client.post(url, json=payload) if method == "post" else client.get(url)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]


def test_bad_json_is_a_4xx(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


def test_tables_endpoint_returns_whole_tables(client: TestClient) -> None:
    body = client.get("/api/tables", params={"q": "Testilän toimintakulut"}).json()
    table = body["tables"][0]["table"]
    assert "Toteuma 1-6/2023" in table["columns"] and body["tables"][0]["matched_rows"]


def test_search_facets_count_matches_per_value_and_choosing_one_keeps_them(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "valtionosuudet"}).json()
    towns = {f["value"]: f for f in body["facets"]["municipality"]}
    assert {"Kemi", "Kemijärvi"} <= set(towns) and not any(f["selected"] for f in towns.values())
    assert [f["count"] for f in body["facets"]["municipality"]] == sorted(
        (f["count"] for f in body["facets"]["municipality"]), reverse=True)
    assert {f["value"] for f in body["facets"]["doc_type"]} >= {"raportti"}
    chosen = client.get("/api/search", params={"q": "valtionosuudet", "municipality": "Kemijärvi"}).json()
    assert {r["document"]["municipality"] for r in chosen["results"]} == {"Kemijärvi"}
    # the municipality facet ignores its own filter (every town stays choosable), the others obey it
    assert {f["value"] for f in chosen["facets"]["municipality"]} == set(towns)
    assert [f["value"] for f in chosen["facets"]["municipality"] if f["selected"]] == ["Kemijärvi"]
    assert sum(f["count"] for f in chosen["facets"]["doc_type"]) == towns["Kemijärvi"]["count"]


def test_ask_takes_a_document_type_filter(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "uimahallin laajennus",
                                         "doc_type": "pöytäkirja"}).json()
    assert body["filters"]["doc_type"] == "pöytäkirja"
    assert {r["document"]["doc_type"] for r in body["results"]} == {"pöytäkirja"}


def test_context_of_a_quote_and_a_whole_table(client: TestClient) -> None:
    ask = client.post("/api/ask", json={"question": "Testilän toimintatuotot tammi–kesäkuu 2023"}).json()
    c = ask["citations"][0]
    ctx = client.get(f"/api/documents/{c['document']['id']}/context",
                     params={"start": c["start"], "end": c["end"]}).json()
    a, b = ctx["quote"]
    assert " ".join(ctx["text"][a:b].split()) == c["quote"]
    assert ctx["page"] == c["page"] and ctx["source_url"].endswith(f"#page={c['page']}")
    table = client.get(f"/api/tables/{ask['table']['id']}").json()
    row = table["table"]["rows"][ask["table"]["row_index"]]
    assert row["cells"][ask["table"]["column_index"]]["text"] == ask["value"]["text"]
    assert table["document"]["id"] == c["document"]["id"]


@pytest.mark.parametrize(("url", "status"), [
    ("/api/tables/0123456789abcdef", 404),
    ("/api/tables/..%2f..", 404),
    ("/api/documents/0123456789ab/context?start=0&end=5", 404),
    ("/api/documents/{doc}/context?start=5&end=5", 400),
    ("/api/documents/{doc}/context?start=0&end=99999999", 400),
    ("/api/documents/{doc}/context?start=-1&end=5", 422),
    ("/api/documents/{doc}/context?start=0", 422),
])
def test_context_and_table_errors(client: TestClient, url: str, status: int) -> None:
    doc = client.get("/api/documents").json()["documents"][0]["id"]
    r = client.get(url.format(doc=doc))
    assert r.status_code == status and r.json()["error"]["message"]


def test_page_and_its_files_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "<form" in page.text and page.headers["content-security-policy"]
    for name in ("app.js", "style.css", "favicon.svg"):
        assert client.get(f"/static/{name}").status_code == 200
    assert client.get("/static/nope.js").json()["error"]["code"] == "not_found"


def test_reindex_needs_the_admin_token(backend_search_settings: Settings) -> None:
    settings = backend_search_settings.model_copy(update={"admin_token": "s3cret"})
    with TestClient(create_app(settings)) as c:
        assert c.post("/api/admin/reindex").status_code == 401
        r = c.post("/api/admin/reindex", headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200 and "documents" in r.json()["summary"]


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=600), k=st.integers(-5, 80), year=st.one_of(st.none(), st.integers(0, 3000)))
def test_fuzz_search_and_ask_never_5xx(client: TestClient, q: str, k: int, year) -> None:
    params = {"q": q, "k": k} | ({"year": year} if year is not None else {})
    assert client.get("/api/search", params=params).status_code < 500
    payload = {"question": q} | ({"year": year} if year is not None else {})
    assert client.post("/api/ask", json=payload).status_code < 500


@pytest.mark.parametrize(("heading", "month"), [
    ("Toteuma 1-6/2022", 6),
    ("TOT 2024 9 kk", 9),
    ("Lapuan kaupungin talouden toteutumaraportti 1.1.-31.7.2025", 7),  # the last date, not 1.1.
    ("Talouden toteutumaraportti 31.3.25 1. osavuosikatsaus", 3),
    ("tammi–kesäkuu 2022", 6),
    ("TA 2022", None),
])
def test_the_month_a_stated_period_ends_with(heading: str, month: int | None) -> None:
    assert period_end_month(heading) == month


def test_an_answer_drawn_from_a_given_ranking(answerer: Answerer) -> None:
    # the benchmark answers from each peer's ranking: the answer comes from the rows it gives
    s = answerer.searcher
    n = next(i for i, p in enumerate(s.passages) if "Provincia Oy" in p["text"])
    out = answerer.ask("Kuka tuottaa Heinolan kirjanpidon palvelut?", ranking=lambda _q: [n])
    assert out["answer"] == "Palvelut tuottaa vuodesta 2024 alkaen Provincia Oy."
    assert [r["text"] for r in out["results"]] == [s.passages[n]["text"]]


@pytest.mark.parametrize("text, expected", [
    ("Toteutuma on ollut n. 10 milj. euroa. Esim. Kela maksaa. Työ jatkuu.",
     ["Toteutuma on ollut n. 10 milj. euroa.", "Esim. Kela maksaa.", "Työ jatkuu."]),
    ("Kuulutus on nähtävänä 14.8. - 10.9.2025. Muutoksia ei tehty.",  # a date range stays whole
     ["Kuulutus on nähtävänä 14.8. - 10.9.2025.", "Muutoksia ei tehty."]),
    ("Käyttöaste oli 3,6 %. Tavoite saavutettiin.", ["Käyttöaste oli 3,6 %.", "Tavoite saavutettiin."]),
    ("100 % käyttö v. 2021\tToinen solu", ["100 % käyttö v. 2021", "Toinen solu"]),
    ("Talous\nToimintatuotot 1 234", ["Talous", "Toimintatuotot 1 234"]),
])
def test_sentences_from_libvoikko(text: str, expected: list[str]) -> None:
    starts = get_analyzer("voikko").sentence_starts
    assert [text[a:b] for a, b in sentences(text, starts)] == expected


@pytest.mark.parametrize(("said", "row", "elsewhere"), [
    ("Koko maassa työttömyysaste oli 10,4 %.", False, True),
    ("Vuoden 2024 lopussa koko maan työttömyysaste oli 12,0 % (ed. vuonna 11,2 %), "
     "Etelä-Pohjanmaalla 8,9 %.", False, True),
    ("Seinäjoella työttömyysaste oli 9,4 %.", False, True),  # another town of the corpus
    # the place's own figure, compared with the country's after it
    ("Lapuan työttömyysaste oli 7,2 %, kun koko maassa se oli 10,4 %.", False, False),
    ("Työttömyysaste oli 7,2 %, kun koko maassa se oli 10,4 %.", False, False),
    ("Seinäjoen seutukunnassa alin työttömyysprosentti oli Lapualla 5,7 %.", False, False),
    ("Kiinteistöveroa kertyi 4,3 miljoonaa euroa.", False, False),
    ("Maakuntien keskiarvo oli 8,1 %.", False, True),  # maakunta in any case
    ("Keski-Suomessa työttömyysaste oli 11,0 %.", False, True),  # a region named …-Suomi
    ("Koko maa", True, True),  # rows of a table of places
    ("Seinäjoki", True, True),
    ("Lapua", True, False),
    ("Kunnallisvero", True, False),
])
def test_an_item_of_a_list_is_not_answered_about_elsewhere(said: str, row: bool,
                                                            elsewhere: bool) -> None:
    from api.answer import about_elsewhere

    analyzer = get_analyzer("auto")
    assert about_elsewhere(analyzer, said, {"lapua"}, {"seinäjoki", "kauhava"}, row_label=row) is elsewhere
