"""Helsinki Ahjo decision records: one document a record, its § and parts, outcomes, bad input.

The fixture holds eight records trimmed from the real API answer (each says how in "_note"):
an officer's routine record, two officer decisions (nested divs, &nbsp;, an address table and
lists; a real table), a confidential one, a council vote, a board decision that changed the
proposal, one returned for preparation and a Kaupunginhallitus decision tabled.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from indexer.build import build
from indexer.errors import EncodingError, RecordError
from indexer.models import document_id
from indexer.parse import parse_source
from indexer.parse_ahjo import parse_decisions
from indexer.settings import Settings

REL = "helsinki/ahjo_sample.json"
FIXTURE = Path(__file__).parent / "fixtures" / "ahjo_sample.json"
NAMES = ("routine", "officer", "table", "secret", "vote", "changed", "returned", "tabled")


@pytest.fixture(scope="module")
def docs() -> dict:
    parsed = parse_decisions(FIXTURE, REL, "abc123")
    return dict(zip(NAMES, parsed, strict=True)) | {"_all": parsed}


def _record(content: str, motion: str = "", **fields: object) -> dict:
    record = {"NativeId": "{AAAA-1}", "Title": "Testiasia", "Section": "5",
              "CaseIDLabel": "HEL 2021-000001", "ClassificationTitle": "Avustukset",
              "Organization": {"Name": "Kaupunginhallitus"},
              "Meeting": {"DateMeeting": "2021-11-08T16:00:00.000"}, "VotingResults": [],
              "Content": content, "Motion": motion}
    return record | fields


def _html(cls: str, *sections: tuple[str, str]) -> str:
    body = "".join(f'<div class="SisaltoSektio"><h3 class="SisaltoOtsikko">{h}</h3>{inner}</div>'
                   for h, inner in sections)
    return (f'<html><body><div class="{cls}"><div class="Asiapykala">§ 5</div>'
            f'<h1 class="AsiaOtsikko">Testiasia</h1>{body}</div></body></html>')


def _write(tmp_path: Path, records: list) -> Path:
    path = tmp_path / "paatokset.json"
    path.write_text(json.dumps({"decisions": [[r] for r in records]}), encoding="utf-8")
    return path


def test_one_document_per_record(docs: dict) -> None:
    all_docs = docs["_all"]
    raw = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert len(all_docs) == len(raw["decisions"]) == 8
    for doc, [record] in zip(all_docs, raw["decisions"], strict=True):
        assert doc.source_file == f"{REL}#{record['NativeId'][1:-1]}"
        assert doc.id == document_id(doc.source_file)
        assert doc.sha256 == "abc123"
        assert len(doc.pages) == 1 and doc.pages[0].end == len(doc.text)
        assert len(doc.items) == 1
    assert len({d.id for d in all_docs}) == 8


def test_meta_of_a_meeting_and_an_officer(docs: dict) -> None:
    council = docs["vote"].meta
    assert (council.municipality, council.doc_type, council.body) == \
        ("Helsinki", "päätös", "Kaupunginvaltuusto")
    assert (council.meeting_date, council.period, council.period_label, council.year) == \
        ("2021-12-08", "2021-12-08/2021-12-08", "8.12.2021", 2021)
    assert council.title.startswith("Selvitys vuoden 2020 arviointikertomuksen")
    officer = docs["officer"].meta  # the records state no date for an officer's decision
    assert officer.body == "Sairaala-, kuntoutus- ja hoivapalvelujen johtaja"
    assert (officer.meeting_date, officer.period, officer.year) == ("", "", 0)
    assert docs["_all"][0].warnings == (
        "4 of 8 records (officers' decisions) state no decision date: their meeting_date "
        "and period are empty",)


def test_heading_dnro_and_item(docs: dict) -> None:
    doc = docs["tabled"]
    assert doc.text.startswith("§ 928 Rahoituksen myöntäminen nuorten palkkaamiseksi")
    heading = doc.blocks[0]
    assert (heading.kind, heading.level) == ("heading", 1)
    assert doc.blocks[1].text.startswith("HEL 2021-")
    item = doc.items[0]
    assert (item.start, item.end, item.page) == (0, len(doc.text), 1)
    assert item.case_id == doc.blocks[1].text.split(" T ")[0]
    assert docs["officer"].text.startswith("§ 2 Varasairaalan sairaansijojen")
    assert docs["officer"].items[0].case_id == "HEL 2022-000063"


def test_parts_start_with_their_section(docs: dict) -> None:
    heads = {"paatos": ("Päätös", "Esitys", "Lausunto"), "ehdotus": ("Päätösehdotus",),
             "perustelut": ("Päätöksen perustelut", "Esittelijän perustelut"),
             "esittelija": ("Esittelijä",), "valmistelija": ("Lisätiedot",),
             "liitteet": ("Liitteet",), "muutoksenhaku": ("Muutoksenhaku",),
             "kasittely": ("Käsittely", "Otteet", "Tiedoksi")}
    for doc in docs["_all"]:
        parts = doc.items[0].parts
        for part in parts:
            assert doc.text[part.start:part.end].startswith(heads[part.kind]), part
        assert all(a.end < b.start for a, b in zip(parts, parts[1:], strict=False))
    tabled = docs["tabled"]
    paatos = next(p for p in tabled.items[0].parts if p.kind == "paatos")
    assert tabled.text[paatos.start:paatos.end] == \
        "Päätös\n\nKaupunginhallitus päätti panna asian pöydälle."
    assert docs["secret"].items[0].parts == ()  # confidential: only § and title


def test_no_markup_left(docs: dict) -> None:
    for doc in docs["_all"]:
        assert not re.search(r"<\s*/?[a-zA-Z][^>]*>", doc.text), doc.source_file
        assert not re.search(r"&(nbsp|amp|lt|gt|quot|#\d+);", doc.text)
        assert "\xa0" not in doc.text and "  " not in doc.text


def test_lists_and_tables(docs: dict) -> None:
    officer = docs["officer"]
    texts = [b.text for b in officer.blocks]
    # the appeal authority's address: a layout table, read as lines
    assert "Sähköpostiosoite: helsinki.kirjaamo@hel.fi" in texts
    assert "00099 HELSINGIN KAUPUNKI" in texts
    assert officer.tables == ()
    items = [b.text for b in officer.blocks if b.kind == "list_item"]
    assert "kunnan jäsen." in items
    assert officer.blocks[texts.index("Oikaisuvaatimusaika")].section == \
        "§ 2 Varasairaalan sairaansijojen paikkamäärän vahvistaminen covid-19 -potilaiden " \
        "hoitoa varten › Muutoksenhaku › Oikaisuvaatimusaika"
    [table] = docs["table"].tables  # a real grid in the Päätös
    assert table.columns == ("Muutettu toiminta-aika", "Peruste")
    assert table.rows[0].label == "päiväkoti Savela"


def test_outcomes(docs: dict) -> None:
    outcomes = {n: docs[n].items[0].outcome for n in NAMES}
    assert outcomes == {"routine": "", "officer": "", "table": "", "secret": "", "vote": "vote",
                        "changed": "changed", "returned": "returned", "tabled": "tabled"}
    assert [docs[n].items[0].number for n in NAMES] == ["1", "2", "3", "2", "388", "207", "84",
                                                         "928"]
    assert docs["vote"].items[0].outcome_text.startswith("Äänestys: jaa 14 (Hyväksyessään")
    assert "ei 34 (Vastustaa), tyhjää 37, poissa 0" in docs["vote"].items[0].outcome_text
    assert docs["returned"].items[0].outcome_text.startswith(
        "Rakentamispalveluliikelaitoksen johtokunta päätti palauttaa esityksen valmisteluun")
    assert docs["tabled"].items[0].outcome_text == "Kaupunginhallitus päätti panna asian pöydälle."
    # "Päätös on ehdotuksen mukainen.": the proposal is not repeated
    assert "ehdotus" not in {p.kind for p in docs["vote"].items[0].parts}
    assert "Päätösehdotus\n\nKaupunginhallitus päättää myöntää" in docs["tabled"].text


def test_boilerplate_from_the_classification(docs: dict) -> None:
    assert [n for n in NAMES if docs[n].items[0].boilerplate] == ["routine"]


def test_a_proposal_the_decision_followed_is_not_repeated(tmp_path: Path) -> None:
    content = _html("paatos", ("Päätös", "<p>Kaupunginhallitus päätti myöntää 5&nbsp;000 euroa."
                                         "</p>"))
    same = _html("esitys", ("Päätösehdotus", "<p>Kaupunginhallitus päättää myöntää 5 000 euroa."
                                             "</p>"), ("Esittelijän perustelut", "<p>Syy.</p>"))
    other = same.replace("5 000", "6 000")
    path = _write(tmp_path, [_record(content, same),
                             _record(content, other, NativeId="{AAAA-2}")])
    followed, changed = parse_decisions(path, "p.json", "s")
    assert [p.kind for p in followed.items[0].parts] == ["paatos", "perustelut"]
    assert followed.items[0].outcome == ""
    assert "Päätösehdotus" not in followed.text and "Esittelijän perustelut\n\nSyy." in followed.text
    assert [p.kind for p in changed.items[0].parts] == ["paatos", "ehdotus", "perustelut"]
    assert changed.items[0].outcome == "changed"


def test_bad_files_name_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "rikki.json"
    broken.write_text('{"decisions": [', encoding="utf-8")
    with pytest.raises(RecordError, match=r"^rikki\.json: not valid JSON"):
        parse_decisions(broken, "rikki.json", "s")
    other = tmp_path / "muu.json"
    other.write_text('{"meetings": []}', encoding="utf-8")
    with pytest.raises(RecordError, match=r'muu\.json: not a file of decision records: no '
                                          r'"decisions" list'):
        parse_decisions(other, "muu.json", "s")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"decisions": ["Päätös"]}'.encode("latin-1"))
    with pytest.raises(EncodingError, match="latin.json: not UTF-8"):
        parse_decisions(latin, "latin.json", "s")
    empty = _write(tmp_path, [{"NativeId": "{X}", "Title": "T"}, {"Content": "<p>x</p>"}])
    with pytest.raises(RecordError, match=r"no usable decision record among 2 \(record 1: no "
                                          r"Content; record 2: no NativeId\)") as err:
        parse_source(empty, "paatokset.json", None, 10_000_000)
    assert err.value.path == "paatokset.json"


def test_a_bad_record_among_good_ones_is_skipped_with_a_warning(tmp_path: Path) -> None:
    good = _record(_html("paatos", ("Päätös", "<p>Kaupunginhallitus päätti.</p>")))
    path = _write(tmp_path, [good, {"NativeId": "{B}", "Content": "<p>x</p>"}, "teksti"])
    [doc] = parse_decisions(path, "p.json", "s")
    assert doc.warnings == ("record 2 skipped: no Title", "record 3 skipped: not a JSON object")


def test_build_indexes_every_record(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "helsinki").mkdir(parents=True)
    shutil.copy(FIXTURE, corpus / REL)
    report = build(Settings(corpus=corpus, index=tmp_path / "index", workers=1), progress=False)
    assert (report.documents, report.failed) == (8, [])
    assert report.passages > 8


def test_served_decisions_cite_their_body_and_section_and_serve_their_record(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    corpus = tmp_path / "corpus"
    (corpus / "helsinki").mkdir(parents=True)
    shutil.copy(FIXTURE, corpus / REL)
    settings = Settings(corpus=corpus, index=tmp_path / "index", workers=1)
    build(settings, progress=False)
    records = [r[0] for r in json.loads(FIXTURE.read_text(encoding="utf-8"))["decisions"]]
    board = next(r for r in records if r["Organization"]["Name"] == "Kaupunginhallitus")
    with TestClient(create_app(settings)) as client:
        hits = client.get("/api/search", params={"q": board["Title"]}).json()["results"]
        top = hits[0]
        assert top["document"]["title"] == board["Title"]
        assert top["item"]["number"] == board["Section"]
        day = board["Meeting"]["DateMeeting"][:10].split("-")
        assert top["citation"] == (f"Helsinki, Kaupunginhallitus {int(day[2])}.{int(day[1])}."
                                   f"{day[0]} § {board['Section']}")  # one page: no page cited
        record = client.get(f"/api/documents/{top['document']['id']}/source")
        assert record.status_code == 200 and record.json()["NativeId"] == board["NativeId"]
