"""Frozen dataclasses that flow between the indexer's stages.

A parsed report is a `Document`: its reader-visible `text`, page spans, and `blocks` in reading
order (headings, paragraphs, list items, tables). `chunk.passages()` turns blocks into `Passage`s:
bounded narrative groups and one passage per table row. Offsets are into `Document.text`, so every
quote can be copied from the source.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]
PassageKind = Literal["passage", "table", "table_row"]


def stable_id(*parts: object, length: int = 16) -> str:
    """Content-derived id, so citations survive re-indexing (sha256 of the joined parts)."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


def document_id(source_file: str) -> str:
    """A document's id, from where it came from in the corpus."""
    return stable_id("doc", source_file, length=12)


def file_of(source_file: str) -> str:
    """The corpus file a document came from: a decision record's source is "<file>#<record>",
    one file holding many records."""
    return source_file.split("#", 1)[0]


@dataclass(frozen=True)
class Cell:
    text: str  # as printed, whitespace-normalised
    number: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Check:
    """An identity a table obeys, found at index time: `difference` (columns[2] = columns[0] −
    columns[1]: Poikkeama = Toteutuma − TA, Muutos = 2024 − 2023), `percent` (columns[2] =
    100 · columns[0] / columns[1]: Tot-%), `change` (columns[2] = 100 · (columns[0] −
    columns[1]) / columns[1]: Muutos %), `total` (a Yhteensä row = the sum of the rows above it,
    columns = ()). `holds` of `applies` rows meet it."""

    kind: str
    columns: tuple[int, ...]
    description: str
    holds: int
    applies: int


@dataclass(frozen=True)
class Conflict:
    """The same row label and period printed with another value elsewhere in the document."""

    value: str
    number: float
    page: int | None
    table_id: str
    row_index: int
    quote: str  # the other row as printed


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    groups: tuple[str, ...] = ()  # enclosing group rows, outermost first ("TOIMINTAKULUT")
    is_group: bool = False  # a label-only row that heads the rows below it
    page: int | None = None
    start: int = 0  # span of the printed row in Document.text
    end: int = 0
    # the table's checks this row fails (their descriptions); () where they hold or none apply
    failed_checks: tuple[str, ...] = ()
    checked: bool = False  # whether any of the table's checks applies to this row
    # per cell index: the same label and period with another value elsewhere in the document
    conflicts: tuple[tuple[int, Conflict], ...] = ()


@dataclass(frozen=True)
class Table:
    id: str
    title: str
    label_header: str  # header of the label column ("Selite", "Toimenpide"), may be ""
    columns: tuple[str, ...]  # headers of the cell columns, multi-line headers merged
    rows: tuple[Row, ...]
    section: str = ""
    page: int | None = None
    unit: str | None = None  # unit stated for the whole table ("1000 €")
    checks: tuple[Check, ...] = ()  # the identities the table obeys (indexer/checks.py)


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    start: int
    end: int
    page: int | None = None
    level: int = 0  # heading level (1 = top)
    table: Table | None = None
    section: str = ""  # enclosing headings, outermost first, joined with " › "


@dataclass(frozen=True)
class Page:
    number: int  # 1-based physical page
    label: str | None  # printed page label where it differs ("55/157" → "55")
    start: int
    end: int
    ocr: bool = False  # the page had no text layer: its text was read from the image (Tesseract)


# The parts of a § (minutes, agenda) or a decision record, in the words the documents use:
# selostus (the case described), valmistelija / esittelijä (who prepared / presents it),
# ehdotus (the proposal), päätös (the decision), perustelut (the grounds), liitteet
# (attachments), muutoksenhaku (appeal instructions), käsittely (how it was handled: votes,
# amendments). Kept as plain ASCII keys for the JSON.
PART_KINDS = ("selostus", "valmistelija", "esittelija", "ehdotus", "paatos", "perustelut",
              "liitteet", "muutoksenhaku", "kasittely")


@dataclass(frozen=True)
class Part:
    kind: str  # one of PART_KINDS
    start: int  # span in Document.text
    end: int


@dataclass(frozen=True)
class Item:
    """One § (pykälä) of a minutes or an agenda, or one decision record."""

    id: str
    number: str  # "85"; "" where the record has none
    title: str
    start: int  # span in Document.text, the § heading included
    end: int
    page: int | None = None  # the page the § starts on
    case_id: str = ""  # Dnro / diaarinumero as printed ("LAPDno-2024-426", "HEL 2020-009208")
    parts: tuple[Part, ...] = ()
    # routine every meeting repeats (legality and quorum, minutes checkers, appeal
    # instructions): searchable and low in results, an answer only to a question about them
    boilerplate: bool = False
    # how the päätös stands to the ehdotus: "" (as proposed or no proposal), "changed",
    # "returned" (palautettiin valmisteluun), "tabled" (jätettiin pöydälle), "vote" (äänestys
    # decided it), "removed" (poistettiin esityslistalta)
    outcome: str = ""
    outcome_text: str = ""  # the words of the päätös that say so


@dataclass(frozen=True)
class Meta:
    municipality: str
    doc_type: str
    title: str
    period: str  # ISO range "2022-01-01/2022-06-30"
    period_label: str  # as a reader would write it ("1-6/2022")
    year: int
    body: str = ""  # toimielin: the body that met or decided ("Kaupunginhallitus"); "" for reports
    meeting_date: str = ""  # ISO date of the meeting or decision; "" for reports


@dataclass(frozen=True)
class Document:
    id: str
    source_file: str  # relative to the corpus root
    sha256: str
    meta: Meta
    text: str
    pages: tuple[Page, ...]
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()
    items: tuple[Item, ...] = ()  # the §s of minutes and agendas, a decision record's one item

    def item_at(self, offset: int) -> Item | None:
        """The § whose span holds this offset of the text."""
        return next((i for i in self.items if i.start <= offset < i.end), None)

    def page_at(self, offset: int) -> int | None:
        """The number of the page whose text holds this offset (None where no page does: a text
        export has none)."""
        return next((p.number for p in self.pages if p.start <= offset < p.end), None)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b.table for b in self.blocks if b.table is not None)


@dataclass(frozen=True)
class Passage:
    id: str
    doc_id: str
    kind: PassageKind
    text: str  # what a reader sees (for a table row: the row read out with its headers)
    search_text: str  # hyphenation joined, for analysis and embedding
    section: str
    page: int | None
    start: int  # quoted span in Document.text
    end: int
    table_id: str | None = None
    row_index: int | None = None
    item_id: str | None = None  # the § it belongs to
    part: str | None = None  # which part of the § (PART_KINDS)
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
