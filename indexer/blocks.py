"""`DocBuilder`: the one place that lays blocks out into a document's text with offsets.

Both parsers feed it headings, paragraphs, list items and table grids in reading order; it keeps
the section path (a heading of level L closes every open heading of level ≥ L) and the character
span of every block, printed row and page, so passages and quotes point into `Document.text`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from indexer.models import Block, Page
from indexer.tables import GridRow, build_table
from indexer.textnorm import one_line

SECTION_SEP = " › "
# a paragraph's last word left without its sentence's end: a letter, a comma, a hyphen after a letter
_STOPS_MID_SENTENCE = re.compile(r"(?:[^\W\d_]|,|[^\W\d_]-)$")


class DocBuilder:
    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        self._parts: list[str] = []
        self._pos = 0
        self.blocks: list[Block] = []
        self.pages: list[Page] = []
        self._headings: list[tuple[int, str]] = []
        self.running: set[str] = set()  # running headers/footers removed from the pages
        # the parser's note of the last table's header (a PDF table part on the next page
        # without a header of its own continues it)
        self.last_header: object | None = None
        # header lines at the foot of the last page with no rows under them, and that page
        self.foot_header: tuple[int, list] | None = None

    @property
    def section(self) -> str:
        return SECTION_SEP.join(text for _, text in self._headings)

    @property
    def current_heading(self) -> str:
        """The innermost open heading."""
        return self._headings[-1][1] if self._headings else ""

    def _write(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n\n")
            self._pos += 2
        start = self._pos
        self._parts.append(text)
        self._pos += len(text)
        return start, self._pos

    def heading(self, text: str, level: int, page: int | None = None) -> None:
        text = one_line(text)
        if not text:
            return
        while self._headings and self._headings[-1][0] >= level:
            self._headings.pop()
        self._headings.append((level, text))
        start, end = self._write(text)
        self.blocks.append(Block("heading", text, start, end, page, level, None, self.section))

    def paragraph(self, text: str, page: int | None = None, list_item: bool = False) -> None:
        text = one_line(text)
        if not text:
            return
        if not list_item and self._goes_on(text, page):
            self._continue(text)
            return
        start, end = self._write(text)
        kind = "list_item" if list_item else "paragraph"
        self.blocks.append(Block(kind, text, start, end, page, 0, None, self.section))

    def _goes_on(self, text: str, page: int | None) -> bool:
        """Whether a page's first block is the last page's last paragraph going on: that
        paragraph stops mid-sentence (on a letter, a comma or a hyphen: "Edellä mainittujen",
        "…digi-") and this one begins in lower case ("seikkojen takia …"); a page break set
        inside a sentence, not a paragraph's end."""
        last = self.blocks[-1] if self.blocks else None  # (every write is a block's)
        opened = bool(self.pages) and self.pages[-1].number == page and self.pages[-1].start == self._pos
        return (opened and last is not None and last.kind == "paragraph" and last.page != page
                and _STOPS_MID_SENTENCE.search(last.text) is not None and text[:1].islower())

    def _continue(self, text: str) -> None:
        """Append `text` to the last paragraph (`_goes_on`), one space apart; the page opens
        where its words do."""
        last = self.blocks[-1]
        self._parts.append(" ")
        self._pos += 1
        p = self.pages[-1]
        self.pages[-1] = Page(p.number, p.label, self._pos, self._pos, p.ocr)
        self._parts.append(text)
        self._pos += len(text)
        self.blocks[-1] = replace(last, text=f"{last.text} {text}", end=self._pos)

    def table(
        self,
        *,
        title_lines: Sequence[str],
        header: Sequence[str],
        title: str = "",
        label_header: str,
        rows: Sequence[tuple[str, Sequence[str], int | None]],
        header_lines: Sequence[Sequence[str]] = (),
        page: int | None = None,
        unit: str | None = None,
        column_units: Sequence[str | None] | None = None,
    ) -> None:
        """Write the grid as tab-separated printed lines and structure it into a Table."""
        printed = [one_line(t) for t in title_lines if one_line(t)]
        printed += ["\t".join(one_line(c) for c in line) for line in header_lines]
        offset = self._pos + (2 if self._parts else 0)
        cursor = offset + sum(len(p) + 1 for p in printed)
        grid: list[GridRow] = []
        for label, cells, row_page in rows:
            line = "\t".join([one_line(label)] + [one_line(c) for c in cells])
            grid.append(GridRow(label, list(cells), cursor, cursor + len(line), row_page))
            printed.append(line)
            cursor += len(line) + 1
        if not grid:
            return
        text = "\n".join(printed)
        start, end = self._write(text)
        assert start == offset
        # the title printed with the grid, else the one the parser found (a PDF's caption or
        # heading), else the label column's header, which names what the rows are
        printed_title = " · ".join(one_line(t) for t in title_lines if one_line(t))
        title = printed_title or one_line(title) or label_header or self.current_heading
        table = build_table(
            doc_id=self.doc_id,
            title=title,
            header=header,
            label_header=label_header,
            rows=grid,
            section=self.section,
            page=page,
            unit=unit,
            column_units=column_units,
        )
        self.blocks.append(Block("table", text, start, end, page, 0, table, self.section))

    def start_page(self, number: int, label: str | None, ocr: bool = False) -> None:
        """Open a page; `ocr`: its text was read from the image (no text layer)."""
        self.pages.append(Page(number, label, self._pos, self._pos, ocr))

    def end_page(self) -> None:
        if self.pages:
            p = self.pages[-1]
            self.pages[-1] = Page(p.number, p.label, p.start, self._pos, p.ocr)

    def text(self) -> str:
        return "".join(self._parts)
