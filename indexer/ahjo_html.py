"""The HTML of a Helsinki Ahjo decision record, read into sections of blocks (no offsets yet).

A record's `Content` is one `div.paatos`: `div.Asiapykala` ("§ 825" or "1 §"), `h1.AsiaOtsikko`,
`div.DnroTmuoto` ("HEL 2020-009208 T 00 01 00"), `div.Viite` references, then sections. A
section is either a `div.SisaltoSektio` opened by its `h3.SisaltoOtsikko` ("Päätös", "Päätöksen
perustelut", "Käsittely") or a classed `h3` directly in the `div` ("Esittelijätiedot",
"Lisätiedot", "Liitteet", "Muutoksenhaku", "Otteet", "Tiedoksi") whose content is the siblings
up to the next classed `h3`. Unclassed `h3`/`h4`/`h5` are subheadings. The `Motion` is the same
shape in a `div.esitys` ("Päätösehdotus", "Esittelijän perustelut").

The HTML is walked with lxml, never matched with patterns: block elements (p, div, li, h*,
table) end a paragraph, inline ones (a, em, span) join it, `<br>` is a space.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from indexer.tables import is_header_like, is_number
from indexer.textnorm import one_line

_BLOCK_TAGS = frozenset(
    "p div ul ol li table thead tbody tfoot tr td th h1 h2 h3 h4 h5 h6 blockquote section "
    "colgroup col dl dt dd pre".split()
)
_HEADING_TAGS = frozenset({"h3", "h4", "h5", "h6"})
_REFERENCE_CLASSES = frozenset({"Otsikonviite", "Otsikonviite2", "Viite"})


@dataclass
class Flow:
    """One block of a section in reading order."""

    kind: str  # "heading" | "paragraph" | "list_item" | "table"
    text: str = ""
    level: int = 0  # heading level as printed (h3 → 3)
    header: list[str] = field(default_factory=list)  # table: the header row, [] if none
    rows: list[list[str]] = field(default_factory=list)  # table: the body rows' cell texts


@dataclass
class Section:
    heading: str  # as printed: "Päätös", "Esittelijätiedot", "Päätösehdotus"
    flows: list[Flow] = field(default_factory=list)

    def plain(self) -> str:
        """The section's words on one line (for comparing a proposal with its decision)."""
        parts = [f.text for f in self.flows if f.kind != "table"]
        parts += [" ".join(cells) for f in self.flows if f.kind == "table"
                  for cells in (f.header, *f.rows)]
        return one_line(" ".join(parts))


@dataclass
class DecisionHtml:
    pykala: str = ""  # "§ 825" / "1 §" as printed
    title: str = ""
    dnro: str = ""  # "HEL 2022-000063 T 00 01 00"
    references: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


def read_decision(html: str) -> DecisionHtml:
    """Content or Motion HTML → its § line, title, Dnro and sections. Raises ValueError where
    the HTML holds no document at all."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"its HTML cannot be read ({exc})") from exc
    top = next((el for el in root.iter("div") if el.get("class") in ("paatos", "esitys")), None)
    if top is None:
        top = root.find("body")
    if top is None:
        raise ValueError("its HTML has no body")
    out = DecisionHtml()
    current: Section | None = None
    for child in _elements(top):
        cls = child.get("class") or ""
        if cls == "Asiapykala":
            out.pykala = _text(child)
        elif cls == "AsiaOtsikko":
            out.title = _text(child)
        elif cls == "DnroTmuoto":
            out.dnro = _text(child)
        elif cls in _REFERENCE_CLASSES:
            if _text(child):
                out.references.append(_text(child))
        elif cls == "SisaltoSektio":
            current = _content_section(child)
            out.sections.append(current)
        elif child.tag == "h3" and cls:
            current = Section(_text(child))
            out.sections.append(current)
        else:
            if current is None:
                current = Section("")
                out.sections.append(current)
            _block(child, current.flows)
    return out


def _elements(el: etree._Element) -> list[etree._Element]:
    return [c for c in el if isinstance(c.tag, str)]  # no comments or processing instructions


def _text(el: etree._Element) -> str:
    return one_line(" ".join(f.text for f in _flows_of(el)) if len(el) else el.text_content())


def _content_section(div: etree._Element) -> Section:
    children = _elements(div)
    head = next((c for c in children if c.tag == "h3" and c.get("class") == "SisaltoOtsikko"),
                None)
    section = Section(_text(head) if head is not None else "")
    for child in children:
        if child is not head:
            _block(child, section.flows)
    return section


def _flows_of(el: etree._Element) -> list[Flow]:
    out: list[Flow] = []
    _inline_run(el, out)
    return out


def _block(el: etree._Element, out: list[Flow]) -> None:
    tag = el.tag
    if tag in _HEADING_TAGS:
        out.append(Flow("heading", one_line(el.text_content()), level=int(tag[1])))
    elif tag == "table":
        _table(el, out)
    elif tag in ("ul", "ol"):
        _list(el, out, numbered=tag == "ol")
    elif tag == "li":
        _list_item(el, out, "")
    elif tag in _BLOCK_TAGS:
        _inline_run(el, out)
    else:  # inline at block level (an <a> or <span> between divs)
        _paragraph(out, [el.text_content()])
    _paragraph(out, [el.tail or ""])


def _inline_run(el: etree._Element, out: list[Flow]) -> None:
    """An element's own text and inline children as paragraphs, split where a block child
    stands; the block children in between laid out in turn."""
    buf = [el.text or ""]
    for child in el:
        if not isinstance(child.tag, str):
            buf.append(child.tail or "")
        elif child.tag == "br":
            buf += [" ", child.tail or ""]
        elif child.tag in _BLOCK_TAGS:
            _paragraph(out, buf)
            tail, child.tail = child.tail, None
            _block(child, out)
            child.tail = tail
            buf = [tail or ""]
        else:
            buf += [child.text_content(), child.tail or ""]
    _paragraph(out, buf)


def _paragraph(out: list[Flow], buf: list[str]) -> None:
    text = one_line("".join(buf))
    if text:
        out.append(Flow("paragraph", text))
    buf.clear()


def _list(el: etree._Element, out: list[Flow], numbered: bool) -> None:
    n = 0
    for child in _elements(el):
        if child.tag == "li":
            n += 1
            _list_item(child, out, f"{n}. " if numbered else "")
        else:
            _block(child, out)


def _list_item(li: etree._Element, out: list[Flow], prefix: str) -> None:
    inner: list[Flow] = []
    tail, li.tail = li.tail, None
    _inline_run(li, inner)
    li.tail = tail
    first = True
    for flow in inner:
        if flow.kind == "paragraph":
            flow.kind = "list_item"
            if first and prefix:
                flow.text = prefix + flow.text
            first = False
        out.append(flow)


def _table(table: etree._Element, out: list[Flow]) -> None:
    """A real grid goes out as a table; a layout table (the appeal authority's address as
    label/value pairs, a voting line) as one paragraph a row."""
    rows: list[list[str]] = []
    header: list[str] = []
    for tr in _rows(table):
        cells = [_cell_text(c) for c in _elements(tr) if c.tag in ("td", "th")]
        if not any(cells):
            continue
        marked = tr.getparent().tag == "thead" or all(c.tag == "th" for c in _elements(tr)
                                                        if c.tag in ("td", "th"))
        if marked and not rows and not header:
            header = cells
        else:
            rows.append(cells)
    width = max((len(r) for r in [header, *rows]), default=0)
    if not header and _grid_like(rows, width) and is_header_like(rows[0]):
        header, rows = rows[0], rows[1:]
    if rows and (header or _grid_like(rows, width)) and width >= 2:
        pad = [*header, *[""] * (width - len(header))] if header else []
        out.append(Flow("table", header=pad, rows=[r + [""] * (width - len(r)) for r in rows]))
        return
    for cells in [header, *rows]:
        _paragraph(out, [" ".join(c for c in cells if c)])


def _grid_like(rows: list[list[str]], width: int) -> bool:
    """Three columns or more, or two whose values are mostly numbers (a grant list)."""
    if len(rows) < 2:
        return False
    if width >= 3:
        return True
    values = [r[-1] for r in rows[1:] if len(r) > 1 and r[-1]]
    return bool(values) and sum(is_number(v) for v in values) * 2 > len(values)


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (those of a table nested in a cell stay in that cell)."""
    found: list[etree._Element] = []
    for child in _elements(table):
        if child.tag == "tr":
            found.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            found += [tr for tr in _elements(child) if tr.tag == "tr"]
    return found


def _cell_text(cell: etree._Element) -> str:
    flows = _flows_of(cell)
    parts = [f.text for f in flows if f.kind != "table"]
    parts += [" ".join(r) for f in flows if f.kind == "table" for r in (f.header, *f.rows)]
    return one_line(" ".join(parts))
