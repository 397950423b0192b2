"""The JSON a result and a citation are served as (`/api/search` results, `/api/ask` citations;
fields in ../shared/CONTRACT.md, plus additive ones the README lists, such as `ocr`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from indexer.analyze import marked
from indexer.metadata import day_label
from indexer.models import file_of

if TYPE_CHECKING:
    from api.index import Hit, ServedIndex
    from api.query import QueryInfo


def result_json(index: ServedIndex, rank: int, hit: Hit, info: QueryInfo) -> dict[str, Any]:
    p = index.passages[hit.n]
    wanted = set(info.terms)
    also = [index.passages[n] for n in hit.also]
    return {
        "rank": rank,
        "score": round(hit.score, 4),
        "kind": p["kind"],
        "id": p["id"],
        "document": index.docs[p["doc_id"]].as_json(),
        "page": p["page"],
        "ocr": _ocr(index, p, p["start"], p["end"]),
        "section": p["section"],
        "text": p["text"],
        "highlights": marked(index._words(hit.n), wanted),  # the index's Finnish analysis
        "start": p["start"],
        "end": p["end"],
        "table_id": p["table_id"],
        "row_index": p["row_index"],
        "scores": {"lexical": round(hit.lexical, 4), "dense": round(hit.dense, 4)},
        "citation": citation_text(index, p),
        "item": item_json(index, p),
        "part": p["part"],
        "also_in": [{"id": a["id"], "document": index.docs[a["doc_id"]].as_json(),
                     "page": a["page"], "ocr": _ocr(index, a, a["start"], a["end"]),
                     "section": a["section"], "start": a["start"], "end": a["end"]}
                    for a in also],
    }


def citation(index: ServedIndex, p: dict, quote: str, start: int, end: int) -> dict[str, Any]:
    """A citation of passage p: its document, page, section and the quoted words [start, end)."""
    return {"document": index.docs[p["doc_id"]].as_json(), "page": p["page"],
            "ocr": _ocr(index, p, start, end), "section": p["section"], "quote": quote,
            "passage_id": p["id"], "kind": p["kind"], "start": start, "end": end,
            "citation": citation_text(index, p), "item": item_json(index, p), "part": p["part"]}


def citation_text(index: ServedIndex, p: dict) -> str:
    """Where a passage is, as a reader cites it: "Lapua, Kaupunginhallitus 17.3.2025 § 85, s. 12"
    for minutes and decisions, "Kemi, Tammi–kesäkuun osavuosikatsaus 2022, s. 4" for reports."""
    doc = index.docs[p["doc_id"]]
    item = index.items.get(p["item_id"] or "")
    where = doc.title
    if doc.body:  # minutes and decisions: the body, the day (an officer's record may lack it), §
        number = f"§ {item['number']}" if item and item["number"] else ""
        day = day_label(doc.meeting_date) if doc.meeting_date else ""
        where = " ".join(x for x in (doc.body, day, number) if x)
    parts = [x for x in (doc.municipality, where) if x]
    text = ", ".join(parts)
    # a decision record is one page of HTML: no page to cite
    if p["page"] is not None and doc.source_file == file_of(doc.source_file):
        text += f", s. {p['page']}"
    return text


def item_json(index: ServedIndex, p: dict) -> dict[str, Any] | None:
    """The § a passage belongs to: number, title, case id and how its decision went."""
    item = index.items.get(p["item_id"] or "")
    if item is None:
        return None
    return {"id": item["id"], "number": item["number"], "title": item["title"],
            "case_id": item["case_id"], "boilerplate": bool(item["boilerplate"]),
            "outcome": item["outcome"], "outcome_text": item["outcome_text"]}


def _ocr(index: ServedIndex, p: dict, start: int, end: int) -> bool:
    """Whether the words [start, end) of passage p's document were read by OCR (a scanned page):
    the page shows a note, as OCR can misread a letter or a digit."""
    return index.docs[p["doc_id"]].read_by_ocr(start, end)
