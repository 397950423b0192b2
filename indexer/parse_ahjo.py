"""Helsinki's Ahjo decision records (a `.json` file of the open API's `decisions`) → one
`Document` a record, each with one `Item` (the §) split into `Part`s.

The file is `{"decisions": [[record], …]}`. A record's `Content` is the decision's HTML
(`indexer.ahjo_html` reads it), `Motion` the proposal's HTML where a body met (the officers'
decisions have none). Laid out as one page: "§ 825 Title", the Dnro line, the references, then
each section under a level-2 heading. From the `Motion` come what the `Content` lacks: the
proposal (Päätösehdotus, Esitysehdotus, Lausuntoehdotus) where it differs from the decision,
and the presenter's grounds and summary where the `Content` has no grounds of its own (a
body's `Content` holds only the päätös and käsittely).

Dates: `Meeting.DateMeeting` for a body's decision. An officer's decision (`Meeting` null)
states its date nowhere, neither in a field nor in its HTML (`ThisHTMLGenerated` is when the
API made the HTML, the same day for every record), so its `meeting_date` and `period` stay empty
and its `year` 0; the file's first document carries one warning counting them.

Boilerplate: the records classified "Kokousasiat" (Ahjo task class 00 02 09, meeting
formalities: in practice each officer's yearly "pöytäkirjan pitäminen yleisesti nähtävänä"), and
records without a classification whose title names that same formality or the checking of
minutes (the mayors' records carry no class).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from indexer.ahjo_html import DecisionHtml, Flow, Section, read_decision
from indexer.blocks import DocBuilder
from indexer.errors import EncodingError, RecordError
from indexer.models import Document, Item, Meta, Part, document_id, stable_id
from indexer.textnorm import one_line

MUNICIPALITY = "Helsinki"
DOC_TYPE = "päätös"

# Section headings as printed (lower case) → PART_KINDS. The decision of a body that only
# proposes or states is its Esitys / Lausunto; Otteet and Tiedoksi (who is sent the decision)
# are handling, not the case.
_KINDS = {
    "päätös": "paatos", "esitys": "paatos", "lausunto": "paatos",
    "päätösehdotus": "ehdotus", "esitysehdotus": "ehdotus", "lausuntoehdotus": "ehdotus",
    "ehdotus": "ehdotus",
    "päätöksen perustelut": "perustelut", "perustelut": "perustelut",
    "esittelijän perustelut": "perustelut",
    "esittelijä": "esittelija", "esittelijätiedot": "esittelija",
    "lisätiedot": "valmistelija", "valmistelija": "valmistelija",
    "liitteet": "liitteet", "muutoksenhaku": "muutoksenhaku",
    "käsittely": "kasittely", "äänestys": "kasittely", "otteet": "kasittely",
    "tiedoksi": "kasittely", "toimeksi- ja tiedoksiannot": "kasittely",
    "tiivistelmä": "selostus",
}
_ROUTINE_CLASS = "kokousasiat"
_ROUTINE_TITLES = ("pöytäkirjan pitäminen yleisesti nähtävänä", "pöytäkirjan tarkastus")
# "Päätös on ehdotuksen mukainen.": the Motion after the meeting, its proposal replaced by
# this line when the decision followed it
_AS_PROPOSED = "on ehdotuksen mukainen"
_WORD = re.compile(r"\w+")
_CASE_ID = re.compile(r"\b[A-ZÅÄÖ]{2,}\s?\d{4}-\d+")


@dataclass(frozen=True)
class _Record:
    number: int  # 1-based position in the file, for messages
    data: dict
    content: DecisionHtml
    motion: DecisionHtml | None


def parse_decisions(path: Path, rel_path: str, sha: str) -> list[Document]:
    """Every usable record of the file as a Document. A record that cannot be read is
    skipped with a warning on the first document; raises `RecordError` (or `EncodingError`)
    naming `rel_path` when the file is not a decisions file or no record is usable."""
    records, skipped = _records(_load(path, rel_path), rel_path)
    docs = [_document(r, rel_path, sha) for r in records]
    notes = [f"record {n} skipped: {why}" for n, why in skipped]
    undated = sum(1 for d in docs if not d.meta.meeting_date)
    if undated:
        notes.append(f"{undated} of {len(docs)} records (officers' decisions) state no decision "
                     "date: their meeting_date and period are empty")
    if notes:
        first = docs[0]
        docs[0] = Document(first.id, first.source_file, first.sha256, first.meta, first.text,
                           first.pages, first.blocks, (*first.warnings, *notes), first.items)
    return docs


def record_of(path: Path, source_file: str) -> dict | None:
    """The record a document "<file>#<NativeId>" was made from, as the file holds it (the
    document's original, served by /api/documents/{id}/source); None when it is gone. The file
    is read once while it is unchanged, not at every request."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _records_by_id(path, stat.st_mtime_ns, stat.st_size).get(source_file.partition("#")[2])


@functools.lru_cache(maxsize=4)
def _records_by_id(path: Path, _mtime_ns: int, _size: int) -> dict[str, dict]:
    try:
        decisions = _load(path, path.name)
    except (OSError, RecordError, EncodingError):
        return {}
    out = {}
    for entry in decisions:
        data = entry[0] if isinstance(entry, list) and len(entry) == 1 else entry
        if isinstance(data, dict):
            out[str(data.get("NativeId", "")).strip().strip("{}")] = data
    return out


def _load(path: Path, rel_path: str) -> list:
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise EncodingError(rel_path, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                                      f"{exc.start}); save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise RecordError(rel_path, f"not valid JSON ({exc.msg} at line {exc.lineno} column "
                                    f"{exc.colno})") from exc
    decisions = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(decisions, list):
        raise RecordError(rel_path, 'not a file of decision records: no "decisions" list '
                                    "(the Ahjo API's decisions answer)")
    return decisions


def _records(decisions: list, rel_path: str) -> tuple[list[_Record], list[tuple[int, str]]]:
    records: list[_Record] = []
    skipped: list[tuple[int, str]] = []
    for number, entry in enumerate(decisions, start=1):
        # the API wraps each record in a one-element list
        data = entry[0] if isinstance(entry, list) and len(entry) == 1 else entry
        try:
            records.append(_read_record(number, data))
        except ValueError as exc:
            skipped.append((number, str(exc)))
    if not records:
        why = "; ".join(f"record {n}: {w}" for n, w in skipped[:3]) or "the list is empty"
        raise RecordError(rel_path, f"no usable decision record among {len(decisions)} ({why})")
    return records, skipped


def _read_record(number: int, data: object) -> _Record:
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for key in ("NativeId", "Title", "Content"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"no {key}")
    motion = data.get("Motion")
    return _Record(number, data, read_decision(data["Content"]),
                   read_decision(motion) if isinstance(motion, str) and motion.strip() else None)


def _document(record: _Record, rel_path: str, sha: str) -> Document:
    data = record.data
    source = f"{rel_path}#{data['NativeId'].strip().strip('{}')}"
    doc_id = document_id(source)
    sections = _sections(record)
    builder = DocBuilder(doc_id)
    builder.start_page(1, None)
    parts = _layout(builder, record, sections)
    builder.end_page()
    text = builder.text()
    title = one_line(data["Title"])
    number = one_line(str(data.get("Section") or "")) or _digits(record.content.pykala)
    item = Item(
        id=stable_id(doc_id, "item", number),
        number=number,
        title=title,
        start=0,
        end=len(text),
        page=1,
        case_id=one_line(data.get("CaseIDLabel") or "") or _case_id(record.content.dnro),
        parts=tuple(parts),
        boilerplate=_routine(data, title),
        **_outcome(data, sections),
    )
    return Document(id=doc_id, source_file=source, sha256=sha, meta=_meta(data, title),
                    text=text, pages=tuple(builder.pages), blocks=tuple(builder.blocks),
                    items=(item,))


def _sections(record: _Record) -> list[Section]:
    """The Content's sections with the Motion's proposal (where it differs from the decision)
    after the decision, and the Motion's grounds and summary (where the Content has none)
    after the Content's own sections of text."""
    own = [s for s in record.content.sections if s.flows]
    if record.motion is None:
        return own
    kinds = {_kind(s.heading) for s in own}
    decision = next((s for s in own if _kind(s.heading) == "paatos"), None)
    extra_after_decision: list[Section] = []
    extra_text: list[Section] = []
    for s in record.motion.sections:
        kind = _kind(s.heading)
        if not s.flows:
            continue
        if kind == "ehdotus" and (decision is None or not _same(s, decision)):
            extra_after_decision.append(s)
        elif kind in ("perustelut", "selostus") and "perustelut" not in kinds and s.heading:
            extra_text.append(s)
    at = own.index(decision) + 1 if decision is not None else 0
    out = own[:at] + extra_after_decision + own[at:]
    # the grounds follow the last section of text (päätös, käsittely), before the people
    last_text = max((i for i, s in enumerate(out)
                     if _kind(s.heading) in ("paatos", "ehdotus", "kasittely", "selostus")
                     and s.heading.lower() not in ("otteet", "tiedoksi")), default=-1)
    return out[:last_text + 1] + extra_text + out[last_text + 1:]


def _kind(heading: str) -> str:
    return _KINDS.get(one_line(heading).lower().rstrip(":"), "selostus")


def _same(proposal: Section, decision: Section) -> bool:
    """Whether the decision followed the proposal. The words are compared by their first
    three letters: the proposal says päättää / antaa / esittää, the decision päätti / antoi /
    esitti; numbers and anything added or struck out still differ."""
    text = proposal.plain()
    if _AS_PROPOSED in text.lower() and len(text) < 60:
        return True
    return _comparable(text) == _comparable(decision.plain())


def _comparable(text: str) -> list[str]:
    words = _WORD.findall(text.lower())
    return [w if any(ch.isdigit() for ch in w) else w[:3] for w in words]


def _layout(builder: DocBuilder, record: _Record, sections: list[Section]) -> list[Part]:
    content = record.content
    title = content.title or one_line(record.data["Title"])
    number = one_line(str(record.data.get("Section") or "")) or _digits(content.pykala)
    builder.heading(f"§ {number} {title}" if number else title, 1, page=1)
    for line in ([content.dnro] if content.dnro else []) + content.references:
        builder.paragraph(line, page=1)
    parts: list[Part] = []
    for section in sections:
        parts += _lay_section(builder, section)
    return parts


def _lay_section(builder: DocBuilder, section: Section) -> list[Part]:
    """The section under a level-2 heading; a subheading that is itself a section's name
    ("Päätöksen perustelut" printed inside the Päätös) starts a part of its own."""
    spans: list[tuple[str, int]] = []  # (kind, index of its first block)
    if section.heading:
        spans.append((_kind(section.heading), len(builder.blocks)))
        builder.heading(section.heading, 2, page=1)
    for flow in section.flows:
        if flow.kind == "heading" and one_line(flow.text).lower().rstrip(":") in _KINDS:
            spans.append((_kind(flow.text), len(builder.blocks)))
        elif not spans:
            spans.append(("selostus", len(builder.blocks)))
        _lay_flow(builder, flow)
    blocks = builder.blocks
    parts = []
    for i, (kind, first) in enumerate(spans):
        last = spans[i + 1][1] if i + 1 < len(spans) else len(blocks)
        if last > first:
            parts.append(Part(kind, blocks[first].start, blocks[last - 1].end))
    return parts


def _lay_flow(builder: DocBuilder, flow: Flow) -> None:
    if flow.kind == "heading":
        builder.heading(flow.text, max(3, flow.level), page=1)
    elif flow.kind == "table":
        builder.table(
            title_lines=[],
            header=flow.header[1:],
            label_header=flow.header[0] if flow.header else "",
            rows=[(cells[0], cells[1:], 1) for cells in flow.rows],
            header_lines=[flow.header] if flow.header else [],
            page=1,
        )
    else:
        builder.paragraph(flow.text, page=1, list_item=flow.kind == "list_item")


def _meta(data: dict, title: str) -> Meta:
    organization = data.get("Organization") if isinstance(data.get("Organization"), dict) else {}
    body = one_line(organization.get("Name") or "")
    day = _meeting_day(data.get("Meeting"))
    if day is None:
        return Meta(MUNICIPALITY, DOC_TYPE, title, "", "", 0, body, "")
    iso = day.isoformat()
    return Meta(MUNICIPALITY, DOC_TYPE, title, f"{iso}/{iso}", f"{day.day}.{day.month}.{day.year}",
                day.year, body, iso)


def _meeting_day(meeting: object) -> date | None:
    stamp = meeting.get("DateMeeting") if isinstance(meeting, dict) else None
    if not isinstance(stamp, str):
        return None
    try:
        return date.fromisoformat(stamp[:10])
    except ValueError:
        return None


def _routine(data: dict, title: str) -> bool:
    klass = one_line(data.get("ClassificationTitle") or "").lower()
    if klass:
        return klass == _ROUTINE_CLASS
    return any(t in title.lower() for t in _ROUTINE_TITLES)


def _outcome(data: dict, sections: list[Section]) -> dict[str, str]:
    """How the päätös stands to the proposal: a vote (VotingResults), returned for
    preparation, tabled, or changed (a proposal differing from the päätös was kept)."""
    decision = next((s for s in sections if _kind(s.heading) == "paatos"), None)
    said = decision.plain() if decision else ""
    votes = data.get("VotingResults")
    if isinstance(votes, list) and votes:
        return {"outcome": "vote", "outcome_text": _vote_summary(votes)}
    for sentence in _sentences(said):
        words = set(_WORD.findall(sentence.lower()))
        if words & {"palautti", "palauttaa", "palautettiin"} and \
                any(w.startswith("valmistel") for w in words):
            return {"outcome": "returned", "outcome_text": sentence}
    for sentence in _sentences(said):
        if "pöydälle" in sentence.lower():
            return {"outcome": "tabled", "outcome_text": sentence}
    if decision is not None and any(_kind(s.heading) == "ehdotus" for s in sections):
        return {"outcome": "changed", "outcome_text": _sentences(said)[0][:300]}
    return {"outcome": "", "outcome_text": ""}


def _sentences(text: str) -> list[str]:
    found = [s.strip() for s in re.split(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ])", text) if s.strip()]
    return found or [""]


_VOTE_SIDES = (("Ayes", "jaa"), ("Noes", "ei"), ("Blank", "tyhjää"), ("Absent", "poissa"))


def _vote_summary(votes: list) -> str:
    """"Äänestys: jaa 14 (Hyväksyessään selvityksen …), ei 34 (Vastustaa), tyhjää 37, poissa 0"."""
    lines = []
    for vote in votes:
        if not isinstance(vote, dict):
            continue
        sides = []
        for key, word in _VOTE_SIDES:
            side = vote.get(key)
            if not isinstance(side, dict) or side.get("NumberOfVotes") is None:
                continue
            said = one_line(side.get("Content") or "")
            said = f" ({said[:80]}…)" if len(said) > 80 else f" ({said})" if said else ""
            sides.append(f"{word} {side['NumberOfVotes']}{said}")
        if sides:
            lines.append("Äänestys: " + ", ".join(sides))
    return "; ".join(lines)


def _digits(pykala: str) -> str:
    return "".join(ch for ch in pykala if ch.isdigit())


def _case_id(dnro: str) -> str:
    m = _CASE_ID.search(dnro)
    return m.group(0) if m else ""

