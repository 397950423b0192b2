"""The web page, driven in Debian's headless Chromium through Playwright (no browser download).

A real server (uvicorn in a thread) serves the page over the small real index of conftest's
`search_settings`. Every page records the requests it makes; a test fails if any goes anywhere but
that server (and such a request is aborted, not sent).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 20_000

DIGITISATION = "missä vaiheessa on rakennusvalvonnan arkiston digitointi?"
FIGURE = "Testilän toimintatuotot tammi–kesäkuu 2023"
NOWHERE = "Paljonko Oulun valtionosuudet olivat 2022?"


def _chromium() -> str:
    if not os.path.exists(CHROMIUM):
        message = ("Debian's chromium is not installed (scripts/install-system.sh installs it as "
                   "root: apt-get install chromium chromium-driver)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@contextmanager
def _serving(settings) -> Iterator[str]:
    import uvicorn

    from api.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(search_settings) -> Iterator[str]:
    with _serving(search_settings) as url:
        yield url


@pytest.fixture(scope="module")
def filter_url(filter_settings) -> Iterator[str]:
    """A server over conftest's FILTER_DOCS: minutes with a body and a meeting day, reports."""
    with _serving(filter_settings) as url:
        yield url


@pytest.fixture(scope="module")
def minutes_url(minutes_settings) -> Iterator[str]:
    """A server over conftest's minutes: cut corpus minutes, an agenda and its minutes."""
    with _serving(minutes_settings) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as pw:
        # Playwright gives each launch a new, empty profile directory
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@contextmanager
def _own_page(browser, own: str) -> Iterator[object]:
    """A page that may request only `own` (a server's base URL) and must raise no JavaScript error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fi-FI")
    outside: list[str] = []
    errors: list[str] = []

    def only_own_server(route) -> None:
        url = route.request.url
        if url.startswith(own + "/"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_own_server)
    p = context.new_page()
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.set_default_timeout(WAIT_MS)
    yield p
    context.close()
    assert outside == [], f"the page made requests outside its server: {outside}"
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser, base_url: str) -> Iterator[object]:
    with _own_page(browser, base_url) as p:
        yield p


def _ask(page, question: str) -> None:
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector("#answer:not([hidden])")


def _eventually(check, what: str) -> None:
    """Poll `check` until it holds (the page's CSP forbids string-evaluated wait_for_function)."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_question_gives_answer_card_and_highlighted_source(page, base_url: str) -> None:
    page.goto(base_url + "/")
    assert page.is_visible("#examples")
    _ask(page, DIGITISATION)
    assert _query(page.url)["q"] == [DIGITISATION]
    card = page.locator("#answer")
    assert card.locator("h2").inner_text() == "Vastaus"
    api = httpx.post(f"{base_url}/api/ask", json={"question": DIGITISATION}).json()
    assert api["found"] and api["answer_type"] == "passage"
    assert card.locator(".answer-text").inner_text() == api["answer"]
    quote = api["citations"][0]["quote"]
    assert _flat(card.locator(".quote").inner_text()) == _flat(quote)
    assert api["citations"][0]["document"]["municipality"] in card.locator(".cite-meta").inner_text()

    page.click("#answer .cite-open")
    dialog = page.locator("dialog#source[open]")
    mark = dialog.locator("mark.quote-mark")
    mark.wait_for()
    assert _flat(mark.inner_text()) == _flat(quote)  # the quoted words, in their document
    assert mark.is_visible()  # scrolled into view
    context = dialog.locator("pre.context").inner_text()
    assert len(_flat(context)) > len(_flat(quote))  # shown among the words around it
    original = dialog.locator("a.original").get_attribute("href")
    doc_id = api["citations"][0]["document"]["id"]
    assert original.startswith(f"/api/documents/{doc_id}/source")
    if api["citations"][0]["page"]:  # a PDF opens at the cited page
        assert original.endswith(f"#page={api['citations'][0]['page']}")
    assert httpx.get(base_url + original.split("#")[0]).status_code == 200
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog#source", state="hidden")


def test_figure_answer_shows_value_and_highlighted_table_cell(page, base_url: str) -> None:
    page.goto(base_url + "/")
    _ask(page, FIGURE)
    card = page.locator("#answer")
    assert card.locator(".value .number").inner_text() == "600"
    cell = card.locator("dl.cell").inner_text()
    assert "Toimintatuotot" in cell and "Toteuma 1-6/2023" in cell
    assert "Testilä" in card.locator(".cite-meta").inner_text()
    page.click("#answer .cite-open")
    hit = page.locator("dialog#source[open] td.hit")
    hit.wait_for()
    assert hit.count() == 1 and hit.inner_text() == "600"
    row = hit.locator("xpath=..")
    assert row.locator("th").inner_text() == "Toimintatuotot"
    header = page.locator("dialog#source thead th").nth(2).inner_text()
    assert _flat(header) == "Toteuma 1-6/2023"
    assert _flat(page.locator("dialog#source mark.quote-mark").inner_text()).startswith("Toimintatuotot")


def test_shared_link_runs_the_same_search(page, base_url: str) -> None:
    params = {"q": "uimahallin laajennus", "municipality": "Lapua"}
    page.goto(f"{base_url}/?{urlencode(params)}")
    page.wait_for_selector("#result-list li")
    assert page.input_value("#q") == params["q"]
    shown = page.locator("#result-list li h3").all_inner_texts()
    api = httpx.get(f"{base_url}/api/search", params={**params, "k": 10}).json()
    assert shown == [f"{r['document']['municipality']} · {r['document']['title']}"
                     for r in api["results"]]
    assert all(t.startswith("Lapua") for t in shown)
    # the agenda and the minutes say the same: one result that names both documents; the
    # minutes' päätös is a passage of its own (passages keep to one part of a §)
    assert api["results"][0]["also_in"]
    assert [r["part"] for r in api["results"][1:]] == ["paatos"]
    assert page.locator("#result-list .also").count() == 1
    page.click("#result-list .also-open")  # the twin document opens at the same words
    twin = page.locator("dialog#source[open] mark.quote-mark")
    twin.wait_for()
    assert "Uimahallin laajennuksen" in twin.inner_text()
    page.keyboard.press("Escape")
    # the selected municipality shows as chosen; the page's title names the query
    assert page.locator("[data-facet=municipality] [aria-current=true]").inner_text().startswith("Lapua")
    assert params["q"] in page.title()


def test_facet_filters_results_and_is_undone(page, base_url: str) -> None:
    page.goto(f"{base_url}/?{urlencode({'q': 'valtionosuudet'})}")
    page.wait_for_selector("#result-list li")
    before = page.locator("#result-list li h3").all_inner_texts()
    assert {t.split(" · ")[0] for t in before} >= {"Kemi", "Kemijärvi"}
    facet = page.locator("[data-facet=municipality] a", has_text="Kemijärvi")
    count = int(re.search(r"\((\d+)\)", facet.inner_text()).group(1))
    facet.click()
    page.wait_for_url(re.compile(r"municipality=Kemij"))
    titles = page.locator("#result-list li h3")
    _eventually(lambda: (t := titles.all_inner_texts()) and all(x.startswith("Kemijärvi") for x in t),
                "only Kemijärvi's results are listed")
    after = titles.all_inner_texts()
    assert 0 < len(after) <= count
    chosen = page.locator("[data-facet=municipality] a[aria-current=true]")
    assert chosen.inner_text().startswith("Kemijärvi")
    chosen.click()  # choosing it again removes the filter
    page.wait_for_url(re.compile(r"^(?!.*municipality=)"))
    _eventually(lambda: titles.all_inner_texts() == before, "the unfiltered results are back")
    page.go_back()  # the browser's history walks the filters back
    page.wait_for_url(re.compile(r"municipality=Kemij"))


def test_unanswerable_question_says_ei_loytynyt(page, base_url: str) -> None:
    page.goto(base_url + "/")
    _ask(page, NOWHERE)
    card = page.locator("#answer")
    assert card.locator("h2").inner_text() == "Ei löytynyt"
    assert "kunnan" in card.inner_text()  # why: the collection has no reports of Oulu
    assert card.locator(".quote").count() == 0 and card.locator(".value").count() == 0


def test_english_labels_and_language_switch(page, base_url: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{base_url}/?{urlencode({'q': NOWHERE, 'lang': 'en'})}")
    page.wait_for_selector("#answer:not([hidden])")
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("#submit") == "Search"
    assert page.locator("#answer h2").inner_text() == "Not found"
    page.click("#lang")
    expect(page.locator("#answer h2")).to_have_text("Ei löytynyt")
    assert page.get_attribute("html", "lang") == "fi"
    assert _query(page.url)["q"] == [NOWHERE]


def test_keyboard_only_use(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # skip link → main content; the search box is next
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type(FIGURE)
    page.keyboard.press("Enter")
    page.wait_for_selector("#answer:not([hidden])")
    page.focus("#answer .cite-open")
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog#source[open] td.hit")
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus moved in
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog#source", state="hidden")
    assert page.evaluate("document.activeElement.classList.contains('cite-open')")  # and back


def test_no_accessibility_violations(page, base_url: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    wcag = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
    page.goto(f"{base_url}/?{urlencode({'q': FIGURE})}")
    page.wait_for_selector("#answer:not([hidden])")
    result = Axe().run(page, options=wcag)
    assert result.violations_count == 0, result.generate_report()
    page.click("#answer .cite-open")
    page.wait_for_selector("dialog#source[open] td.hit")
    result = Axe().run(page, options=wcag)
    assert result.violations_count == 0, result.generate_report()


def test_readable_on_a_phone(browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        p = context.new_page()
        p.goto(f"{base_url}/?{urlencode({'q': DIGITISATION})}")
        p.wait_for_selector("#answer:not([hidden])")
        width = p.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"the page scrolls sideways on a phone ({width}px wide)"
        assert p.locator("#answer").bounding_box()["width"] <= 360
    finally:
        context.close()


def test_page_is_served_with_a_same_origin_policy(base_url: str) -> None:
    r = httpx.get(base_url + "/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    # nothing in the page's own files points outside the server
    for path in ("/", "/static/app.js", "/static/style.css"):
        body = httpx.get(base_url + path).text
        assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", body), path
        assert not re.search(r"(?:fetch|import)\(\s*[\"'`](?:https?:)?//", body), path


def test_an_example_question_runs_when_clicked(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.locator("#examples a", has_text="digitointi").click()
    page.wait_for_selector("#answer:not([hidden])")
    assert page.input_value("#q") == DIGITISATION and not page.is_visible("#examples")
    assert page.locator("#answer .quote").count() >= 1


def test_an_answer_across_places_is_a_list_with_a_citation_each(page, base_url: str) -> None:
    page.goto(base_url + "/")
    _ask(page, "Vertaa Kemin ja Kemijärven valtionosuuksia")
    items = page.locator("#answer ul.items > li")
    assert items.count() == 2
    assert [items.nth(i).locator("h3").inner_text() for i in range(2)] == ["Kemi", "Kemijärvi"]
    for i, words in enumerate(("kasvoivat", "pienenivät")):
        assert words in items.nth(i).locator(".answer-text").inner_text()
        assert items.nth(i).locator(".quote").count() == 1
    items.nth(1).locator(".cite-open").click()
    mark = page.locator("dialog#source[open] mark.quote-mark")
    mark.wait_for()
    assert "pienenivät" in mark.inner_text()


def test_body_facet_and_dates_narrow_the_results_and_land_in_the_url(browser, filter_url: str) -> None:
    with _own_page(browser, filter_url) as page:
        page.goto(f"{filter_url}/?{urlencode({'q': 'uimahallin peruskorjaus'})}")
        page.wait_for_selector("#result-list li")
        metas = page.locator("#result-list li .meta")
        before = metas.all_inner_texts()
        assert any("Kaupunginhallitus" in m for m in before)
        # the body and the meeting day (Finnish style) of a minutes show on its result
        assert any("Tekninen lautakunta · 10.4.2025" in m for m in before)
        facet = page.locator("[data-facet=body] a", has_text="Tekninen lautakunta")
        assert "(1)" in facet.inner_text()
        facet.click()
        page.wait_for_url(re.compile(r"body=Tekninen"))
        assert _query(page.url)["body"] == ["Tekninen lautakunta"]
        _eventually(lambda: (m := metas.all_inner_texts()) and len(m) < len(before)
                    and all("Tekninen lautakunta" in x for x in m), "only that body's results show")
        assert page.locator("[data-facet=body] a[aria-current=true]").inner_text().startswith("Tekninen")
        # the date fields: a new question keeps them, drops the body, and both go into the URL
        page.fill("#date_from", "2025-04-01")
        page.fill("#date_to", "2025-06-30")
        page.fill("#q", "uimahallin urakoitsija")
        page.press("#q", "Enter")
        page.wait_for_url(re.compile(r"date_to=2025-06-30"))
        state = _query(page.url)
        assert state["date_from"] == ["2025-04-01"] and state["date_to"] == ["2025-06-30"]
        assert "body" not in state
        _eventually(lambda: (m := metas.all_inner_texts()) and not any("17.3.2025" in x for x in m)
                    and any("2.6.2025" in x for x in m), "only results of those days show")
        page.reload()  # the link alone restores the fields
        page.wait_for_selector("#result-list li")
        assert page.input_value("#date_from") == "2025-04-01"


def test_a_decision_shows_the_part_quoted_and_that_it_was_returned(browser, minutes_url: str) -> None:
    with _own_page(browser, minutes_url) as page:
        page.goto(minutes_url)
        _ask(page, "mitä tekninen lautakunta päätti maantien 7112 peruskorjauksesta?")
        card = page.locator("#answer")
        card.locator(".outcome").wait_for()
        assert card.locator(".outcome").inner_text().startswith("Asia palautettiin valmisteluun:")
        assert card.locator(".part-badge").first.inner_text() == "päätös"
        meta = card.locator(".cite-meta").first.inner_text()
        assert "Lapua, Tekninen lautakunta 29.4.2025 § 63, s." in meta
