"""Minutes by §: Lapua's own pages (tests/fixtures/minutes_*.pdf are pages of three corpus minutes,
cut with pypdf; minutes_record.pdf the first three of Ympäristölautakunta 6.2.2024, its record),
their parts, proposal against decision, and the § through search and ask."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.chunk import passages
from indexer.minutes import split
from indexer.models import Block
from indexer.parse import parse_file

FIXTURES = Path(__file__).parent / "fixtures"


def parsed(name: str):
    return parse_file(FIXTURES / name, name, None, 10**8)


def test_minutes_state_their_body_day_and_kind() -> None:
    meta = parsed("minutes_tekninen.pdf").meta
    assert (meta.municipality, meta.doc_type, meta.body, meta.meeting_date) == \
        ("Lapua", "pöytäkirja", "Tekninen lautakunta", "2025-04-29")
    assert meta.period == "2025-04-29/2025-04-29" and meta.year == 2025
    assert meta.title == "Tekninen lautakunta: pöytäkirja 29.4.2025"


def test_one_item_per_section_the_contents_list_and_appeal_apart() -> None:
    doc = parsed("minutes_tekninen.pdf")
    outline = [(i.number, i.title, i.boilerplate) for i in doc.items]
    assert outline == [
        ("", "Kokouksen tiedot", True),  # attendance, signatures, the contents list
        ("55", "Kokouksen laillisuus ja päätösvaltaisuus", True),
        ("56", "Pöytäkirjan tarkastus", True),
        ("63", "Anomus / Maantien 7112 peruskorjaus, Hirvijoki", False),
        ("64", "Suomi liikkeelle -ohjelman avustuspäätös / Simpsiön kuntopolut",
         False),
        ("", "Muutoksenhaku", True),  # the appeal instructions after the last §
    ]
    assert doc.items[-1].parts[0].kind == "muutoksenhaku"
    spans = [(i.start, i.end) for i in doc.items]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # in order, apart


def test_parts_of_a_section() -> None:
    doc = parsed("minutes_tekninen.pdf")
    item = next(i for i in doc.items if i.number == "63")
    assert item.case_id == "LAPDno-2025-464"
    assert [p.kind for p in item.parts] == ["selostus", "valmistelija", "selostus", "ehdotus",
                                            "paatos"]
    text = {p.kind: doc.text[p.start:p.end] for p in item.parts}
    assert text["valmistelija"].startswith("Valmistelija / lisätiedot:")
    assert "Ulpu Viimaluoto" in text["valmistelija"]
    assert text["ehdotus"].startswith("Ehdotus Esittelijä: Mirva Korpi")
    assert text["paatos"].startswith("Päätös Keskustelun kuluessa Rauno Latvala")
    assert item.page == 4  # its page in the cut fixture


def test_a_decision_returned_for_preparation_and_a_changed_one() -> None:
    returned = next(i for i in parsed("minutes_tekninen.pdf").items if i.number == "63")
    assert returned.outcome == "returned"
    assert returned.outcome_text == \
        "Lautakunta päätti yksimielisesti palauttaa asian uuteen valmisteluun."
    changed = next(i for i in parsed("minutes_sivistys.pdf").items if i.number == "139")
    assert changed.outcome == "changed"
    assert "siten muutettuna että tammikuun kokous pidetään 15.1.2025" in changed.outcome_text
    as_proposed = next(i for i in parsed("minutes_sivistys.pdf").items if i.number == "140")
    assert as_proposed.outcome == ""


def test_passages_keep_to_one_part_of_one_section() -> None:
    doc = parsed("minutes_tekninen.pdf")
    items = {i.id: i for i in doc.items}
    for p in passages(doc):
        item = doc.item_at(p.start)
        assert p.item_id == (item.id if item else None)
        if p.part:  # its span lies inside that one part
            part = next(x for x in items[p.item_id].parts if x.start <= p.start < x.end)
            assert part.kind == p.part and p.end <= part.end
    decision = next(p for p in passages(doc) if p.part == "paatos" and "palauttaa" in p.text)
    assert decision.section.startswith("§ 63 Anomus / Maantien 7112")


def test_headings_inside_a_section_are_its_paragraphs() -> None:
    # a numbered attachment line the layout took for a heading does not start a section
    blocks = (
        Block("heading", "§ 5 Kaava", 0, 10, 1, 1, None, "§ 5 Kaava"),
        Block("heading", "1 Liite kartta.pdf", 12, 30, 1, 1, None, "1 Liite kartta.pdf"),
        Block("paragraph", "Ehdotus Esittelijä: N.N.", 32, 56, 1, 0, None, "1 Liite kartta.pdf"),
        Block("paragraph", "Päätös Hyväksyttiin.", 58, 78, 1, 0, None, "1 Liite kartta.pdf"),
    )
    items, out = split("d", "x" * 80, blocks)
    assert [i.number for i in items] == ["5"]
    assert [(b.kind, b.section) for b in out[1:]] == [("paragraph", "§ 5 Kaava")] * 3
    assert [p.kind for p in items[0].parts] == ["selostus", "ehdotus", "paatos"]


def test_no_sections_no_items() -> None:
    blocks = (Block("heading", "1 Talous", 0, 8, 1, 1, None, "1 Talous"),)
    assert split("d", "1 Talous", blocks) == ((), blocks)


def laid_out(lines: list[str]) -> tuple[str, tuple[Block, ...]]:
    """Minutes text and its blocks, one a line ("§ …" lines are headings)."""
    blocks, at = [], 0
    for line in lines:
        kind = "heading" if line.startswith("§") else "paragraph"
        blocks.append(Block(kind, line, at, at + len(line), 1, 1 if kind == "heading" else 0))
        at += len(line) + 2
    return "\n\n".join(lines), tuple(blocks)


# § 88 of the council: the city board's handling first (its vote in its Käsittely), then the
# council's own, opened by the line naming this § (Lapua's Dynasty minutes)
HANDLED_TWICE = [
    "§ 88 Kirkonkylän koulun lakkauttaminen",
    "Kaupunginhallitus, 3.11.2025, § 370",
    "Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja",
    "Kaupunginhallitus esittää, että valtuusto lakkauttaa koulun.",
    "Päätös Kaupunginhallitus hyväksyi ehdotuksen äänin 7–4.",
    "Käsittely Asiasta äänestettiin nimenhuutoäänestyksenä.",
    "Kaupunginvaltuusto, 17.11.2025, § 88",
    "Ehdotus",
    "Kaupunginhallitus esittää, että valtuusto lakkauttaa koulun.",
]


def test_the_outcome_is_the_sections_own_bodys() -> None:
    from indexer.minutes import outcome, own_parts

    # the council decided unanimously: the board's vote is no outcome of the council's päätös
    text, blocks = laid_out([*HANDLED_TWICE, "Päätös Kaupunginvaltuusto hyväksyi ehdotuksen."])
    item = split("d", text, blocks)[0][0]
    assert (item.outcome, item.outcome_text) == ("", "")
    own = own_parts(item.parts, text, "88")
    assert [p.kind for p in own] == ["selostus", "ehdotus", "paatos"]
    assert text[own[0].start:own[0].end] == "Kaupunginvaltuusto, 17.11.2025, § 88"
    # its own vote, in its own Käsittely after the päätös, is
    text, blocks = laid_out([*HANDLED_TWICE, "Päätös Kaupunginvaltuusto hyväksyi ehdotuksen.",
                             "Käsittely Asiasta äänestettiin, äänin 30–5."])
    item = split("d", text, blocks)[0][0]
    assert (item.outcome, item.outcome_text) == ("vote", "Käsittely Asiasta äänestettiin, "
                                                 "äänin 30–5.")
    # the agenda: the council has not decided, whatever the board did
    text, blocks = laid_out(HANDLED_TWICE)
    item = split("d", text, blocks)[0][0]
    assert (item.outcome, item.outcome_text) == ("", "")
    # the board's own minutes of § 370: the handlings listed after its päätös name other §s
    text, blocks = laid_out([
        "§ 370 Kirkonkylän koulun lakkauttaminen", "Sivistyslautakunta, 20.10.2025, § 140",
        "Päätös Sivistyslautakunta hyväksyi ehdotuksen.", "Kaupunginhallitus, 3.11.2025, § 370",
        "Ehdotus Esittelijä: Satu Kankare, Kaupunginjohtaja",
        "Päätös Kaupunginhallitus päätti jättää asian pöydälle.",
        "Sivistyslautakunta, § 140,20.10.2025 Kaupunginvaltuusto, § 88, 17.11.2025"])
    item = split("d", text, blocks)[0][0]
    assert item.outcome == "tabled"
    assert outcome(item.parts, text) == ("tabled", "Päätös Kaupunginhallitus päätti jättää asian "
                                         "pöydälle.")  # no number: the last päätös's handling


def test_a_sentence_opening_with_the_word_paatos_is_no_label() -> None:
    # "Päätös ei merkitse sopimuksen syntymistä…" is a sentence of the proposal, and "Ehdotus
    # ympäristöluvaksi liitteenä." one of the case text: neither opens a part
    text, blocks = laid_out([
        "§ 6 Yksityisteiden kiviaineshankinnat 2025-2027",
        "Ehdotus ympäristöluvaksi liitteenä.",
        "Ehdotus Esittelijä: Mirva Korpi, Tekninen johtaja",
        "Lautakunta päättää hankkia kiviainekset Kuortaneen Sora ja Kuljetus Oy:ltä.",
        "Päätös ei merkitse sopimuksen syntymistä, vaan se laaditaan myöhemmin erikseen.",
        "Päätös", "Lautakunta hyväksyi ehdotuksen."])
    item = split("d", text, blocks)[0][0]
    assert [p.kind for p in item.parts] == ["selostus", "ehdotus", "paatos"]
    assert text[item.parts[-1].start:item.parts[-1].end].startswith("Päätös\n\nLautakunta")
    # a lower-case title before its colon is the label's speaker, not a sentence
    text, blocks = laid_out(["§ 7 Asia", "Selostus asiasta.",
                             "Päätösehdotus kaupunginjohtaja: Kaupunginhallitus hyväksyy asian.",
                             "Päätös", "Hyväksyttiin."])
    assert [p.kind for p in split("d", text, blocks)[0][0].parts] == ["selostus", "ehdotus", "paatos"]


# -- through the index --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def minutes_client(backend_minutes_settings):
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(backend_minutes_settings)) as client:
        yield client


def test_ask_what_was_decided_answers_from_the_decision_and_says_it_was_returned(
        minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "mitä tekninen lautakunta päätti maantien 7112 peruskorjauksesta?"}).json()
    assert r["found"] and r["answer_type"] == "passage", r
    assert r["decision"]["item"] == "63" and r["decision"]["outcome"] == "returned"
    assert "palauttaa asian uuteen valmisteluun" in r["answer"]
    cited = r["citations"][0]
    assert cited["part"] == "paatos"
    assert cited["citation"].startswith("Lapua, Tekninen lautakunta 29.4.2025 § 63, s. ")
    assert cited["item"]["case_id"] == "LAPDno-2025-464"


def test_a_changed_decision_is_said_to_differ(minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "mitä sivistyslautakunta päätti kevään 2025 kokousajankohdista?"}).json()
    assert r["found"] and r["decision"]["outcome"] == "changed", r
    assert "tammikuun kokous pidetään 15.1.2025" in r["answer"]


def test_a_decision_that_accepts_the_proposal_quotes_it_too(minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "kenet lautakunta hyväksyi katuvalaistuksen saneerauksen urakoitsijaksi?"}).json()
    assert r["found"], r
    assert r["answer"].startswith("Lautakunta hyväksyi ehdotuksen. Ehdotus: ")
    assert "Valo ja Sähkö Oy" in r["answer"]
    assert [c["part"] for c in r["citations"]] == ["paatos", "ehdotus"]
    assert r["decision"]["outcome"] == "as_proposed"
    # the minutes are cited, not the agenda that repeats the proposal
    assert all(c["document"]["doc_type"] == "pöytäkirja" for c in r["citations"])


@pytest.mark.parametrize(("paatos", "accepts"), [
    ("Lautakunta hyväksyi ehdotuksen.", True),
    ("Kaupunginhallitus hyväksyi kaupunginjohtajan ehdotuksen.", True),
    # the proposer's title in several words, as 183 of the corpus's päätös texts write it
    ("Hyvinvointilautakunta hyväksyi sivistys- ja hyvinvointijohtajan ehdotuksen.", True),
    ("Sivistyslautakunta kuuli opetuspäällikköä asiassa ja hyväksyi sivistys- ja "
     "hyvinvointijohtajan ehdotuksen.", True),
    ("Kaupunginhallitus hyväksyi kaupunginhallituksen puheenjohtajan muutetun ehdotuksen.", True),
    ("Kaupunginvaltuusto hyväksyi kaupunginjohtajan korjatun esityksen.", True),
    # a päätös of its own words states the decision itself; a counter-proposal won in a vote
    # is no proposal of the §
    ("Lautakunta hyväksyi tarjouksen ja valitsi urakoitsijaksi Valo ja Sähkö Oy:n.", False),
    ("Kaupunginhallitus hyväksyi äänestyksen jälkeen Matti Virtasen ehdotuksen.", False),
    ("Kaupunginhallitus hyväksyi Virtasen tekemän ehdotuksen.", False),
    ("Kaupunginhallitus päätti palauttaa asian valmisteluun.", False),
])
def test_a_paatos_accepting_the_proposal_is_told_by_its_words(paatos: str, accepts: bool) -> None:
    from api.decisions import ACCEPTS_PROPOSAL

    assert bool(ACCEPTS_PROPOSAL.search(paatos)) == accepts


def test_a_figure_asked_of_a_decision_is_answered_by_a_paatos_only_where_it_states_one(
        minutes_client) -> None:
    # the council's päätös accepts a proposal stating its cost: it answers, quoting the proposal
    r = minutes_client.post("/api/ask", json={
        "question": "Paljonko Lapuan kaupunginvaltuusto päätti käyttää Alajoen hulevesiverkoston "
                    "saneeraukseen?"}).json()
    assert r["found"] and r["answer"].startswith("Kaupunginvaltuusto hyväksyi ehdotuksen. Ehdotus: "), r
    assert "1,2 miljoonan euron" in r["answer"]
    # the board's päätös on the street lights states no figure: it is not the answer of how much
    r = minutes_client.post("/api/ask", json={
        "question": "Paljonko Lapuan tekninen lautakunta päätti maksaa katuvalaistuksen "
                    "saneerauksesta?"}).json()
    assert not (r["answer"] or "").startswith("Lautakunta hyväksyi ehdotuksen"), r
    assert r.get("decision") is None, r


def test_a_figure_asked_of_a_decision_is_the_answer_models_choice_not_another_figure_of_the_paatos(
        minutes_client) -> None:
    # the päätös states a figure (the extra work ordered), not the one asked (the approved
    # procurement value): the answer model's sentence answers
    r = minutes_client.post("/api/ask", json={
        "question": "Mikä on Lapuan kirjaston peruskorjauksen kokonaisurakan hyväksytty "
                    "hankinta-arvo?"}).json()
    assert r["found"] and "412 000 euroa" in r["answer"], r
    assert r.get("decision") is None, r
    # asked of the päätös's own figure, the päätös answers
    r = minutes_client.post("/api/ask", json={
        "question": "Paljonko Lapuan kaupunginvaltuusto päätti tilata kirjaston urakkaan "
                    "ilmanvaihdon lisätöitä?"}).json()
    assert r["found"] and "6 200 eurolla" in r["answer"], r
    assert r["decision"]["item"] == "90", r


def test_a_paatos_answers_a_who_question_where_it_names_someone_not_asked(minutes_settings) -> None:
    from api.answer import Answerer
    from api.search import Searcher

    searcher = Searcher.open(minutes_settings)
    answerer = Answerer(searcher)
    bodies_only = {"answer": "Kaupunginvaltuusto hyväksyi kaupunginhallituksen ehdotuksen."}
    firm = {"answer": "Lautakunta hyväksyi ehdotuksen. Ehdotus: Tekninen lautakunta päättää "
                      "hyväksyä urakoitsijaksi Valo ja Sähkö Oy:n."}
    chosen = "Kuka valittiin Lankilan sillan rakentamissuunnittelun toteuttajaksi?"
    info = searcher.prepare(chosen)[0]
    assert not answerer._states_asked(chosen, info, bodies_only)
    assert answerer._states_asked(chosen, info, firm)
    # who decided is asked of the päätös itself: a body is its answer
    decider = "Kuka hyväksyi Lankilan sillan rakentamissuunnittelun toteuttajan?"
    assert answerer._states_asked(decider, searcher.prepare(decider)[0], bodies_only)
    # a figure question: a päätös stating a figure besides its dates
    figure = "Paljonko Lapua päätti myöntää sillan uusimiseen?"
    info = searcher.prepare(figure)[0]
    assert not answerer._states_asked(figure, info, {"answer": "Lautakunta hyväksyi 3.2.2025 "
                                                                "§ 12 ehdotuksen."})
    assert answerer._states_asked(figure, info, {"answer": "Kaupunginvaltuusto myönsi 300.000 euroa."})
    searcher.close()


def test_agenda_and_minutes_fold_into_one_result_minutes_first(minutes_client) -> None:
    r = minutes_client.get("/api/search", params={"q": "katuvalaistuksen saneeraus urakoitsija"})
    top = r.json()["results"][0]
    assert top["document"]["doc_type"] == "pöytäkirja"
    assert [a["document"]["doc_type"] for a in top["also_in"]] == ["esityslista"]


def test_routine_sections_are_found_but_low_and_answer_only_about_the_routine(minutes_client) -> None:
    results = minutes_client.get("/api/search", params={"q": "pöytäkirjan tarkastajat"}).json()
    assert any(h["item"] and h["item"]["boilerplate"] for h in results["results"])
    # asked about the routine itself, the routine answers …
    r = minutes_client.post("/api/ask", json={"question": "ketkä valittiin pöytäkirjan "
                                                          "tarkastajiksi?"}).json()
    assert r["found"] and "Marko Makkonen" in r["answer"], r
    # … any other question never does
    r = minutes_client.post("/api/ask", json={"question": "mitä lautakunta päätti "
                                                          "kokouksessaan?"}).json()
    assert all(not (c["item"] or {}).get("boilerplate") for c in r["citations"])
    # a question about the case itself ranks its § above the routine ones
    hits = minutes_client.get("/api/search", params={"q": "Maantien 7112 peruskorjaus"}).json()
    assert hits["results"][0]["item"]["number"] == "63"


def test_the_cli_cites_the_section_and_the_part(minutes_settings, capsys) -> None:
    from api import cli

    question = "mitä tekninen lautakunta päätti maantien 7112 peruskorjauksesta?"
    assert cli.main(["ask", question, "--index", str(minutes_settings.index)]) == 0
    out = capsys.readouterr().out
    assert "palauttaa asian uuteen valmisteluun" in out
    assert "— Lapua, Tekninen lautakunta 29.4.2025 § 63, s. " in out and "(päätös)" in out


def test_section_numbers_run_upwards() -> None:
    # the secretary's "§33 Tuula Vuori" among the signatures, and a "§ 16" quoted inside § 121
    def heading(text: str, at: int, page: int) -> tuple[Block, Block]:
        return (Block("heading", text, at, at + 5, page, 1, None, text),
                Block("paragraph", "Teksti.", at + 7, at + 14, page, 0, None, text))

    blocks = (*heading("§33 Tuula Vuori", 0, 2), *heading("§ 22 Kokouksen laillisuus", 20, 4),
              *heading("§ 121 Kaava", 40, 5), *heading("§ 16 Aiempi käsittely", 60, 6),
              *heading("§ 122 Muut asiat", 80, 7))
    items, _ = split("d", "x" * 100, blocks)
    assert [i.number for i in items if i.number] == ["22", "121", "122"]


def test_a_section_named_by_its_number_and_day_is_the_one_answered(minutes_client) -> None:
    # only the § number and the meeting's day say which decision is meant
    r = minutes_client.post("/api/ask", json={"question": "mitä päätettiin 29.4.2025 § 63?"}).json()
    assert r["found"] and r["decision"]["item"] == "63", r.get("reason")
    top = minutes_client.get("/api/search", params={"q": "päätös § 63"}).json()["results"][0]
    assert top["item"]["number"] == "63"


def test_who_presented_a_section_is_its_esittelija_line(minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "kuka esitteli maantien 7112 peruskorjauksen tekniselle lautakunnalle?"}).json()
    assert r["found"], r
    assert r["answer"] == "Esittelijä: Mirva Korpi, Tekninen johtaja"
    cited = r["citations"][0]
    assert cited["part"] == "ehdotus" and cited["item"]["number"] == "63"


def test_who_prepared_a_section_is_its_valmistelija_part(minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "kuka valmisteli sivistyslautakunnan kevään 2025 kokousajankohdat?"}).json()
    assert r["found"], r
    assert r["answer"].startswith("Valmistelija / lisätiedot: Tiina Lassila, Mika Kamunen")
    assert r["citations"][0]["part"] == "valmistelija"
    assert r["citations"][0]["item"]["number"] == "139"


def test_who_decided_is_the_decision_only_where_it_is_about_what_is_asked(minutes_client) -> None:
    # "kuka hyväksyi…" asks for the decider: the päätös names it where it is about the matter …
    r = minutes_client.post("/api/ask", json={
        "question": "kuka hyväksyi sivistyslautakunnan kevään 2025 kokousajankohdat?"}).json()
    assert r["found"] and r["decision"]["item"] == "139", r
    assert r["answer"].startswith("Sivistyslautakunta hyväksyi")
    # … not where the § lists officers' decisions and its päätös only takes note of them
    r = minutes_client.post("/api/ask", json={
        "question": "kuka päätti peruskoulun ja lukion lukuvuoden 2025-2026 työpäivät?"}).json()
    assert r["found"] and "decision" not in r, r
    assert "§ 24 Peruskoulun ja lukion lukuvuoden 2025-2026 työpäivät" in r["answer"]


def test_a_section_found_by_its_title_is_evidence_for_the_title_words(minutes_settings) -> None:
    # a päätös passage ("Päätös Hyväksyi esityksen.") is about its § title: a question in the
    # title's words is not declined for the passage's own few words
    from api.answer import Answerer
    from api.search import Searcher

    searcher = Searcher.open(minutes_settings)
    try:
        answerer = Answerer(searcher)

        def own_share(n: int) -> tuple[float, float]:
            title = searcher.items[searcher.passages[n]["item_id"]]["title"]
            info = searcher.prepare(title)[0]
            words = set(searcher.analyzer.terms(searcher.passages[n]["text"]))
            return searcher.weight_share(info.content_terms, words), answerer.rare_coverage(info, n)

        decisions = [n for n, p in enumerate(searcher.passages) if p["part"] == "paatos"
                     and not searcher.items[p["item_id"]]["boilerplate"]]
        text_only, with_title = min(own_share(n) for n in decisions)
        assert text_only < 0.5 and with_title == 1.0
    finally:
        searcher.close()


def test_a_who_question_of_a_named_meeting_finds_its_record(minutes_client) -> None:
    # the routine §s are that meeting's record: a candidate and lifted, though unasked routine
    # ("pöytäkirja", "tarkastus") is in no word of the question
    q = "Ketkä olivat teknisen lautakunnan kokouksessa 29.4.2025 vuorossa?"
    results = minutes_client.get("/api/search", params={"q": q}).json()["results"]
    assert results[0]["item"]["boilerplate"], [r["item"] for r in results[:3]]
    # another day's meeting is not this one: its routine stays low
    other = minutes_client.get("/api/search", params={
        "q": "Ketkä olivat teknisen lautakunnan kokouksessa 6.5.2025 vuorossa?"}).json()["results"]
    assert not other or not (other[0]["item"] or {}).get("boilerplate")


def test_an_attendance_list_is_told_from_prose_naming_attendance() -> None:
    from api.index import ATTENDANCE

    assert ATTENDANCE.search("Saapuvilla olleet jäsenet Harri Seppälä, puheenjohtaja Pekka Hella")
    assert ATTENDANCE.search("Aika 29.04.2025\n\nLäsnä Matti Meikäläinen, puheenjohtaja")
    assert not ATTENDANCE.search("Kokouksessa oli läsnä 9 jäsentä.")
    assert not ATTENDANCE.search("Läsnäolovelvollisuus koskee kaikkia jäseniä.")


def test_a_role_of_the_meeting_is_the_name_its_attendance_list_gives_it() -> None:
    from api.decisions import role_entry

    text = ("Saapuvilla olleet jäsenet Kai Pöntinen, puheenjohtaja Pekka Kivisaari, 1. "
            "varapuheenjohtaja Riitta Kangasluoma\n\nMuut saapuvilla olleet Anneli Jäätteenmäki, "
            "Kaupunginvaltuuston puheenjohtaja Satu Kankare, Kaupunginjohtaja, esittelijä "
            "Tuula Vuori, Hallintosihteeri, sihteeri")

    def entry(role: str) -> str | None:
        span = role_entry(text, role)
        return text[span[0]:span[1]] if span else None

    # the first entry of a list is quoted with the list's opening words
    assert entry("puheenjohtaja") == "Saapuvilla olleet jäsenet Kai Pöntinen, puheenjohtaja"
    assert entry("varapuheenjohtaja") == "Pekka Kivisaari, 1. varapuheenjohtaja"
    assert entry("esittelijä") == "Satu Kankare, Kaupunginjohtaja, esittelijä"  # a title between
    assert entry("sihteeri") == "Tuula Vuori, Hallintosihteeri, sihteeri"
    # another body's chair, a guest of the meeting, is not this meeting's chair
    assert role_entry(text.replace("Kai Pöntinen, puheenjohtaja", "Kai Pöntinen"),
                      "puheenjohtaja") is None
    # a role written with a capital is the same role, and no title of the entry after it
    capital = "Saapuvilla olleet jäsenet Kai Pöntinen, Puheenjohtaja Pekka Kivisaari, 1. varapuheenjohtaja"
    assert role_entry(capital, "puheenjohtaja") == (0, capital.index("Puheenjohtaja") + 13)
    vice = role_entry(capital, "varapuheenjohtaja")
    assert vice and capital[vice[0]:vice[1]] == "Pekka Kivisaari, 1. varapuheenjohtaja"


def test_who_held_a_role_at_a_named_meeting_is_read_from_its_attendance_list(minutes_client) -> None:
    r = minutes_client.post("/api/ask", json={
        "question": "Kuka oli Lapuan ympäristölautakunnan puheenjohtaja helmikuussa 2024?"}).json()
    assert r["found"] and r["answer"] == "Saapuvilla olleet jäsenet Juha Kattelus, puheenjohtaja", r
    r = minutes_client.post("/api/ask", json={
        "question": "Kuka toimi sihteerinä ympäristölautakunnan kokouksessa 6.2.2024?"}).json()
    assert r["found"] and r["answer"] == "Tuula Vuori, Hallintosihteeri, sihteeri", r
    assert r["citations"][0]["quote"] == r["answer"]
    # another month's meeting is not this one: its list answers no role of it (what else
    # answers is the chooser's)
    r = minutes_client.post("/api/ask", json={
        "question": "Kuka oli Lapuan ympäristölautakunnan puheenjohtaja maaliskuussa 2024?"}).json()
    assert "Saapuvilla olleet jäsenet Juha Kattelus" not in (r["answer"] or ""), r


def test_who_was_at_a_meeting_the_corpus_holds_no_minutes_of_is_declined(minutes_client) -> None:
    # the environment board's minutes of the corpus are of 6.2.2024: none of March, nor of 7.2.
    # (the day or month named as the minutes write it, not ISO)
    for question, named in (("Kuka oli Lapuan ympäristölautakunnan puheenjohtaja maaliskuussa 2024?",
                             "3/2024"),
                            ("Kuka toimi sihteerinä ympäristölautakunnan kokouksessa 7.2.2024?",
                             "7.2.2024")):
        r = minutes_client.post("/api/ask", json={"question": question}).json()
        assert not r["found"] and r["reason_code"] == "uncovered_meeting", r
        assert "Ympäristölautakunta" in r["reason"] and r["reason"].endswith(f"of {named}"), r
    held = minutes_client.post("/api/ask", json={
        "question": "Kuka toimi sihteerinä ympäristölautakunnan kokouksessa 6.2.2024?"}).json()
    assert held["found"]


def test_what_a_body_decided_at_a_meeting_the_corpus_holds_no_minutes_of_is_declined(
        minutes_client) -> None:
    # the environment board's minutes of the corpus are of 6.2.2024: it decided nothing the
    # corpus holds in March 2024 nor on 7.2.2024, however its questions are asked
    for question in ("Mitä Lapuan ympäristölautakunta päätti maaliskuussa 2024?",
                     "Mitä ympäristölautakunta päätti rakennusjärjestyksestä 7.2.2024?",
                     "Mitä tekninen lautakunta päätti 12.12.2024?",
                     "What did Lapua's environment board decide at its meeting in March 2024?"):
        r = minutes_client.post("/api/ask", json={"question": question}).json()
        assert not r["found"] and r["reason_code"] == "uncovered_meeting", (question, r)
    # …of 6.2.2024 it did; and another decider named decided elsewhere, which the board's
    # minutes may quote
    for question in ("Mitä ympäristölautakunta päätti 6.2.2024?",
                     "Mitä Vaasan hallinto-oikeus päätti maaliskuussa 2024 ympäristölautakunnan "
                     "asiassa?",
                     # the technical board's minutes of 29.4.2025 tell its decision of 11.12.2024
                     # ("Tekninen lautakunta on kokouksessaan 11.12.2024 § 172 päättänyt hakea …")
                     "Mitä tekninen lautakunta päätti 11.12.2024?",
                     "Mitä tekninen lautakunta päätti joulukuussa 2024?"):
        r = minutes_client.post("/api/ask", json={"question": question}).json()
        assert r.get("reason_code") != "uncovered_meeting", (question, r)


def test_a_decider_named_that_is_not_the_sections_body_is_not_answered_by_its_paatos(
        minutes_client) -> None:
    from api.query import named_decider

    assert named_decider("Mitä Vaasan hallinto-oikeus päätti 22.6.2022 asiassa?") == "hallinto-oikeus"
    assert named_decider("Mitä vesijohto-osuuskunnan vuosikokous päätti?") == "vuosikokous"
    # the verb before its subject: a word in a local case is no decider
    assert named_decider("Mitä asiasta päätti kaupunginhallitus?") is None
    assert named_decider("Mitä kokouksessa päätti kaupunginhallitus?") is None
    assert named_decider("Mitä päätettiin 29.4.2025 § 63?") is None
    # the § body's own decision is its päätös …
    r = minutes_client.post("/api/ask", json={
        "question": "Mitä tekninen lautakunta päätti maantien 7112 peruskorjauksesta?"}).json()
    assert r["found"] and r["decision"]["item"] == "63", r
    # … what the ELY-keskus decided is not: the lautakunta's päätös on the anomus is no answer
    r = minutes_client.post("/api/ask", json={
        "question": "Mitä ELY-keskus päätti maantien 7112 peruskorjauksesta?"}).json()
    assert "decision" not in r, r


def test_minutes_of_the_meeting_named_cover_its_year_however_they_rank(minutes_settings) -> None:
    # ranked passages of another year alone: the year check of the ranking would decline, but
    # the corpus holds the technical board's minutes of April 2025 (29.4.)
    from api.answer import Answerer
    from api.index import Hit
    from api.search import Searcher

    searcher = Searcher.open(minutes_settings)
    try:
        answerer = Answerer(searcher)
        of_2024 = next(n for n, p in enumerate(searcher.passages)
                       if searcher.docs[p["doc_id"]].meeting_date == "2024-02-06")
        hits = [Hit(of_2024, 1.0, 1.0, 0.0)]

        def reason(question: str) -> str | None:
            info, _filters, keep = searcher.prepare(question)
            assert info.bodies == ["Tekninen lautakunta"]
            declined = answerer._decline_reason(info, hits, keep=keep)
            return declined[0] if declined else None

        assert reason("Mitä tekninen lautakunta päätti huhtikuussa 2025?") != "uncovered_year"
        assert reason("Mitä tekninen lautakunta päätti kesäkuussa 2025?") == "uncovered_year"
        # a who question of the meeting: both the meeting check and the year check ask whether
        # the minutes are there, answered by one pass over the corpus
        passes = []
        of_meeting = searcher.of_meeting
        searcher.of_meeting = lambda *args: passes.append(args) or of_meeting(*args)
        assert reason("Kuka oli teknisen lautakunnan puheenjohtaja huhtikuussa 2025?") is None
        assert len(passes) == 1
    finally:
        searcher.close()
def test_a_decision_of_a_named_month_lifts_that_meetings_minutes(minutes_settings) -> None:
    # a body decides at its meetings: "Mitä … päätti … huhtikuussa 2025?" is of its minutes of
    # that month, as a who question of its meeting is; another month's question lifts them not
    from api.search import MEETING_BOOST, Searcher

    searcher = Searcher.open(minutes_settings)
    try:
        def scores(question: str):
            info, _filters, keep = searcher.prepare(question)
            return info, {h.n: h.score for h in searcher.rank(info, keep)}

        asked = "Mitä tekninen lautakunta päätti maantien 7112 peruskorjauksesta {}?"
        info, april = scores(asked.format("huhtikuussa 2025"))
        _, may = scores(asked.format("toukokuussa 2025"))
        assert info.decided_at_meeting and not info.asks_meeting
        item = [n for n in april if int(searcher._item_number[n]) == 63 and n in may]
        assert item and all(april[n] - may[n] > MEETING_BOOST / 2 for n in item)
        # a § named by its number is lifted as such, not again
        assert not searcher.understand(
            "Mitä tekninen lautakunta päätti 29.4.2025 § 63?").decided_at_meeting
        # a month reported on is no meeting's decision: "toteuma huhtikuu 2025" lifts nothing
        assert not searcher.understand(
            "teknisen lautakunnan toimintakulujen toteuma huhtikuu 2025").decided_at_meeting
    finally:
        searcher.close()


def test_the_others_present_are_an_attendance_list_too() -> None:
    # the secretary and the presenter stand in "Muut saapuvilla olleet", a list of its own
    from api.index import ATTENDANCE

    assert ATTENDANCE.search("Muut saapuvilla olleet Tuula Vuori, Hallintosihteeri, sihteeri")
    assert ATTENDANCE.search("Kai Pöntinen\n\nMuut saapuvilla olleet Satu Kankare, esittelijä")
    assert not ATTENDANCE.search("Kokouksessa muut saapuvilla olleet esittäytyivät.")


def test_a_vote_asked_about_is_answered_by_its_tally_and_the_chairs_conclusion() -> None:
    from api.decisions import VOTE, vote_result
    from api.query import asks_decision

    text = ("Kuusisaari teki vastaehdotuksen. Ne, jotka kannattavat esittelijän pohjaehdotusta, "
            "äänestävät JAA ja ne, jotka kannattavat vastaehdotusta, äänestävät EI. Suoritetussa "
            "nimenhuutoäänestyksessä annettiin 1 JAA-ääntä (Knuuttila) ja 8 EI-ääntä (Kuusisaari, "
            "Tuuri). Lautakunnan päätökseksi tuli Matti Kuusisaaren tekemä vastaehdotus.")
    span = vote_result(text)
    assert span and text[span[0]:span[1]].startswith("Suoritetussa nimenhuutoäänestyksessä")
    assert text[span[0]:span[1]].endswith("tekemä vastaehdotus.")
    # the voting order alone ("… äänestävät JAA") is no result; Helsinki's tally is one
    assert vote_result("Ne, jotka kannattavat ehdotusta, äänestävät JAA.") is None
    helsinki = "Äänestys: jaa 14 (Esityksen mukaan), ei 34 (Vastustaa), tyhjää 37, poissa 0"
    assert vote_result(helsinki) == (0, len(helsinki))
    # a vote in a compound is asked about as one
    question = "Miten Lapuan teknisen lautakunnan nimenhuutoäänestys 18.2.2025 päättyi?"
    assert asks_decision(question) and VOTE.search(question)


def test_a_section_named_by_its_title_alone_is_answered_by_its_decision(minutes_client) -> None:
    # a topic named without a question ("Maantien 7112 peruskorjaus Hirvijoki") that is a §'s
    # title asks what became of it: the päätös, as "mitä päätettiin" would be answered
    r = minutes_client.post("/api/ask", json={"question": "Maantien 7112 peruskorjaus Hirvijoki"}).json()
    assert r["found"] and r["decision"]["item"] == "63", r
    # a figure named so ("… kustannukset") or a question asked in words is not such a topic
    from api.query import QueryReader
    from indexer.analyze import get_analyzer
    from indexer.glossary import Glossary

    analyzer = get_analyzer("auto")
    reader = QueryReader(analyzer, Glossary(analyzer), ["Lapua"], [])
    assert reader.read("Mäntyhaka 28:10 viemäriverkostoon liittyminen", "fi").names_topic
    for asked in ("Mitä kortteleita Ritaharjun asemakaava koskee?", "Lapuan tuloveroprosentti 2025",
                  "Hakatien asemakaavan muutos – pantiinko vireille"):
        assert not reader.read(asked, "fi").names_topic, asked


def test_a_vote_is_answered_by_its_own_bodys_tally_once(minutes_client) -> None:
    # the council's roll call: its tally, then the päätös, not again the voting order ("…
    # äänestävät EI", the sentence the § 's outcome "vote" was read from)
    r = minutes_client.post("/api/ask", json={
        "question": "Miten valtuuston äänestys hulevesiverkoston saneerauksesta päättyi?"}).json()
    assert r["found"] and r["decision"]["item"] == "89", r
    assert r["answer"].startswith("Suoritetussa nimenhuutoäänestyksessä annettiin 30 JAA-ääntä")
    assert "äänestävät" not in r["answer"] and "Asiasta äänestettiin" not in r["answer"], r
    # the city board voted on the school before the council decided it unanimously: the
    # board's tally is no result of the council's decision
    r = minutes_client.post("/api/ask", json={
        "question": "Miten Kirkonkylän koulun lakkauttamisesta äänestettiin valtuustossa?"}).json()
    assert r["found"] and r["decision"]["item"] == "88", r
    assert "yksimielisesti" in r["answer"]
    assert all("7 JAA" not in c["quote"] for c in r["citations"]), r


def test_an_agenda_quoting_the_boards_decision_is_answered_by_its_own_proposal(minutes_client) -> None:
    # the council's agenda quotes the city board's päätös; the council has not decided yet
    r = minutes_client.post("/api/ask", json={
        "question": "Mitä liikuntahallin katon korjauksesta päätettiin?"}).json()
    assert r["found"] and r["decision"]["item"] == "95", r
    assert not r["decision"]["decided"] and r["decision"]["outcome"] == "", r
    assert r["answer"].startswith("Ehdotus (ei vielä päätös): Kaupunginhallitus esittää"), r
    assert all("hyväksyi ehdotuksen" not in c["quote"] for c in r["citations"]), r


def test_a_question_about_appealing_finds_the_appeal_instructions_first(minutes_settings) -> None:
    # the appeal instructions are boilerplate, held below the §s that match as well, but for a
    # question about the appeal itself (`asks_routine`), whose answer they are
    from api.search import Searcher

    s = Searcher.open(minutes_settings)
    for question in ("Kenelle teknisen lautakunnan päätöksestä tehdään oikaisuvaatimus?",
                     "Miten oikaisuvaatimus tehdään?"):
        info, _filters, keep = s.prepare(question, None)
        best = s.passages[s.collapse(s.rank(info, keep), 3)[0].n]
        assert best["part"] == "muutoksenhaku", (question, best["section"])
    # any other question keeps them below: the § about a claim first
    info, _filters, keep = s.prepare("Mitä lautakunta päätti maantien peruskorjauksesta?", None)
    assert s.passages[s.collapse(s.rank(info, keep), 3)[0].n]["part"] != "muutoksenhaku"
