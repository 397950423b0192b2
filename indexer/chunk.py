"""Blocks → passages: bounded narrative groups, one passage per table row, one per table.

A narrative passage groups consecutive paragraphs and list items of one section (and one page)
up to ~TARGET characters and never past MAX; a longer paragraph is cut at sentence ends. A table
row becomes a passage that reads on its own — municipality, table, group rows, label, then
"column: value" pairs — while its quote span stays the printed row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.blocks import SECTION_SEP
from indexer.models import Block, Document, Passage, Row, Table, stable_id
from indexer.tables import unit_only
from indexer.textnorm import join_hyphenation

TARGET = 700
MAX = 1100
EMBED_MAX = 400  # table summaries: title, columns and the first labels are enough to embed
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(])")


def passages(doc: Document) -> list[Passage]:
    out: list[Passage] = []
    group: list[Block] = []
    for block in doc.blocks:
        if block.kind in ("paragraph", "list_item"):
            if group and not _fits(doc, group, block):
                out.extend(_narrative(doc, group))
                group = []
            group.append(block)
            continue
        if group:
            out.extend(_narrative(doc, group))
            group = []
        if block.table is not None:
            out.extend(_table_passages(doc, block.table))
    if group:
        out.extend(_narrative(doc, group))
    return out


def _place(doc: Document, offset: int) -> tuple[str | None, str | None]:
    """The § and the part of it an offset of the text lies in (minutes, decisions)."""
    item = doc.item_at(offset)
    if item is None:
        return None, None
    return item.id, next((p.kind for p in item.parts if p.start <= offset < p.end), None)


def _fits(doc: Document, group: list[Block], block: Block) -> bool:
    first = group[0]
    same_place = block.section == first.section and block.page == first.page and \
        _place(doc, block.start) == _place(doc, first.start)  # one part of one §
    return same_place and block.end - first.start <= TARGET + 200 and \
        group[-1].end - first.start < TARGET


def _narrative(doc: Document, group: list[Block]) -> Iterator[Passage]:
    start, end = group[0].start, group[-1].end
    item_id, part = _place(doc, start)
    for s, e in (w for lo, hi in _page_pieces(doc, start, end) for w in _windows(doc.text, lo, hi)):
        text = doc.text[s:e]
        section = group[0].section
        yield Passage(
            id=stable_id(doc.id, "p", s, text),
            doc_id=doc.id,
            kind="passage",
            text=text,
            search_text=join_hyphenation(f"{section}\n{text}" if section else text),
            section=section,
            page=doc.page_at(s) or group[0].page,
            start=s,
            end=e,
            item_id=item_id,
            part=part,
        )


def _page_pieces(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at the first sentence end after each page break inside it: a paragraph
    going on over a page (`DocBuilder._goes_on`) keeps its sentence across the break whole, and
    what follows is a passage of the next page, cited with that page's number."""
    cuts = []
    for page in doc.pages:
        if page.start >= end:
            break
        if page.start > start:
            m = _SENTENCE_END.search(doc.text, page.start, end)
            if m is not None and (not cuts or m.start() > cuts[-1]):
                cuts.append(m.start())
    bounds = [start, *cuts, end]
    out = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        while lo < hi and doc.text[lo].isspace():
            lo += 1
        if lo < hi:
            out.append((lo, hi))
    return out


def _windows(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut [start, end) at sentence ends into pieces of at most MAX characters."""
    while end - start > MAX:
        cut = start
        for m in _SENTENCE_END.finditer(text, start, start + MAX):
            if m.start() - start >= TARGET // 2:
                cut = m.start()
                if cut - start >= TARGET:
                    break
        if cut == start:  # no sentence end: cut at the last space
            cut = text.rfind(" ", start, start + MAX)
            cut = cut if cut > start else start + MAX
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _context(doc: Document, table: Table, row: Row) -> list[str]:
    context = [doc.meta.municipality]
    if table.title:
        context.append(table.title)
    context += [g for g in row.groups if g and g != table.title]
    if row.label:
        context.append(row.label)
    return context


def row_context(doc: Document, table: Table, row: Row) -> str:
    """What a row is about, without its numbers — the text embedded for dense search (numbers
    cost many tokens and carry little meaning for the model): context, label, the headers of
    numeric cells, and text cells in full (goal tables say what they mean in words)."""
    parts = []
    for header, cell in zip(table.columns, row.cells, strict=False):
        if cell.text and cell.number is None and not unit_only(cell.text):
            parts.append(f"{header}: {cell.text}" if header else cell.text)  # words carry meaning
        elif header and cell.text:
            parts.append(header)
    text = " · ".join(_context(doc, table, row) + parts)
    return join_hyphenation(text)[:EMBED_MAX * 2]


def row_text(doc: Document, table: Table, row: Row) -> str:
    """The row read out with its context: 'Kemi · Keskusvirasto · TOIMINTAKULUT · TA 2022: …'."""
    context = _context(doc, table, row)
    pairs = []
    for header, cell in zip(table.columns, row.cells, strict=False):
        if cell.text:
            value = cell.text + (f" {cell.unit}" if cell.unit and cell.unit not in cell.text else "")
            pairs.append(f"{header}: {value}" if header else value)
    return join_hyphenation(" · ".join(context + pairs))


def _table_passages(doc: Document, table: Table) -> Iterator[Passage]:
    section = table.section
    item_id, part = _place(doc, table.rows[0].start)
    labels = [r.label for r in table.rows if r.label]
    summary = " · ".join(
        [doc.meta.municipality, table.title, " | ".join(c for c in table.columns if c)]
    )
    summary_text = join_hyphenation(f"{summary}\n" + "; ".join(labels))[:MAX]
    first, last = table.rows[0], table.rows[-1]
    embed = " · ".join(x for x in (section, summary) if x) + "\n" + "; ".join(labels)
    yield Passage(
        id=stable_id(doc.id, "t", table.id),
        doc_id=doc.id,
        kind="table",
        text=summary_text,
        search_text=f"{section}\n{summary_text}",
        section=section,
        page=table.page,
        start=first.start,
        end=last.end,
        table_id=table.id,
        item_id=item_id,
        part=part,
        extra={"embed": embed[:EMBED_MAX]},
    )
    for index, row in enumerate(table.rows):
        if row.is_group or not any(c.text for c in row.cells):
            continue
        text = row_text(doc, table, row)
        yield Passage(
            id=stable_id(doc.id, "r", table.id, index, text),
            doc_id=doc.id,
            kind="table_row",
            text=text,
            search_text=f"{section.split(SECTION_SEP)[-1] if section else ''}\n{text}",
            section=section,
            page=row.page or table.page,
            start=row.start,
            end=row.end,
            table_id=table.id,
            row_index=index,
            item_id=item_id,
            part=part,
            extra={"embed": row_context(doc, table, row)},
        )
