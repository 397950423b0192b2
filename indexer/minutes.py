"""Minutes and agendas (pöytäkirja, esityslista) → one `Item` per § with its parts.

Finnish municipal minutes (Dynasty, CloudNC, Tweb alike) print every item the same way:

    § 85 Title                              the § heading (the table of contents repeats it)
    LAPDno-2024-426                         case id (Dnro)
    Valmistelija / lisätiedot: Name, …      who prepared it
    … the case described …                  selostus; "Liitteet" lists attachments
    Ehdotus Esittelijä: Name, title         the proposal (Kaupunginjohtajan ehdotus: …)
    Päätös …                                the decision

and a § that went through several bodies repeats "Kaupunginhallitus, 03.11.2025, § 370" with an
Ehdotus/Päätös pair for each; the body's own decision is the last päätös. What comes before the
first § (attendance, signatures, the contents list) and the appeal instructions after the last one
(oikaisuvaatimusohje, valitusosoitus, muutoksenhakukielto) are boilerplate items, as are the
routine §s every meeting opens with.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.models import Block, Item, Part, stable_id
from indexer.sentences import sentences

MINUTES_TYPES = ("pöytäkirja", "esityslista")

_SECTION = re.compile(r"^§\s*(\d+)\b\s*(.*)$", re.S)
_CASE_ID = re.compile(r"^(?:[A-ZÅÄÖ]{2,}Dno|Dnro|DNRO|Dno|HEL)[-\s:]*\s*\d[\w/.-]*", re.I)
# the appeal instructions after the last §, each starting a page of their own
_APPEAL = re.compile(
    r"^(?:§\s*\d+\s+)?(?:Muutoksenhakukielto|Oikaisuvaatimus|Oikaisuvaatimusohje|"
    r"Valitusosoitus|Muutoksenhakuohje|Muutoksenhaku|Hankintaoikaisu|Kunnallisvalitus)", re.I)
_CONTENTS = re.compile(r"^(?:Käsitellyt|Käsiteltävät) asiat$|^Sisällysluettelo$", re.I)
# routine every meeting repeats (titles as the minutes print them)
_ROUTINE = re.compile(
    r"^(?:kokouksen (?:avaus|avaaminen|laillisuus|järjestäytyminen)|laillisuus ja "
    r"päätösvaltaisuus|pöytäkirjan tarka(?:stus|stajat|stajien valinta|staminen)|"
    r"esityslistan hyväksyminen|työjärjestyksen hyväksyminen|kokouksen päättäminen)", re.I)
# part labels at the start of a block. The label Ehdotus / Päätös stands alone or before its
# text, which opens with a capital ("Päätös Lautakunta hyväksyi…", "Ehdotus Esittelijä: …"); a
# lower-case word after it on its line makes it a sentence's subject ("Päätös ei merkitse
# sopimuksen syntymistä…", "Ehdotus ympäristöluvaksi liitteenä."), part of the text around
_SENTENCE = r"(?![ \t]+[a-zåäö](?![\w-]*:))"  # ("Päätösehdotus kaupunginjohtaja: …" is a label)
_LABELS = (
    (re.compile(r"^Valmistelija(?:t)?\s*/\s*lisätiedot\b|^Valmistelija(?:t)?\b|^Lisätiedot\b"),
     "valmistelija"),
    (re.compile(rf"^Ehdotus\b{_SENTENCE}|^Päätösehdotus\b{_SENTENCE}|^\w+n ehdotus:"), "ehdotus"),
    (re.compile(rf"^Päätös(?!ehdotus)\b{_SENTENCE}"), "paatos"),
    (re.compile(r"^Liitteet\b|^Oheismateriaali\b"), "liitteet"),
    (re.compile(r"^(?:Käsittely|Esteellisyys|Äänestys)\b"), "kasittely"),
    (re.compile(r"^Perustelut\b"), "perustelut"),
)
# "Kaupunginhallitus, 03.11.2025, § 370": an earlier body's handling starts
_HANDLING = re.compile(r"^[A-ZÅÄÖ][\w -]+,\s*(?:§\s*\d+\s*,\s*)?\d{1,2}\.\d{1,2}\.\d{4}\b")
_PERSON = re.compile(r"@|^[A-ZÅÄÖ][\w-]+ [A-ZÅÄÖ][\w-]+, [A-ZÅÄÖ]")

# How the päätös stands to the proposal, in the words the minutes use (first match wins)
OUTCOMES = (
    # decisive wording only: "esitti asian palauttamista" is a motion, which a vote may reject
    ("returned", re.compile(r"\bpalautetaan (?:uudelleen |uuteen )?valmistel\w*|"
                            r"\bpalautettiin\b|\bpäätti\w* (?:\w+ )?palauttaa\b", re.I)),
    ("tabled", re.compile(r"pöydälle\b", re.I)),
    ("removed", re.compile(r"(?:poistettiin|poisti)\w* (?:asian )?esityslistalta", re.I)),
    ("vote", re.compile(r"\bäänest\w*|\bäänin\b|\bäänellä\b", re.I)),
    ("changed", re.compile(r"\bmuutettuna\b|\bsillä muutoksella\b|\bseuraavin muutoksin\b|"
                           r"\bmuutoksella,? että\b|\blisäyksellä\b|\bmuutoksin\b|"
                           r"\bvastaehdotukse\w*\b|\bpoiketen\b|\btäydennettynä\b", re.I)),
)


def is_minutes(doc_type: str) -> bool:
    return doc_type in MINUTES_TYPES


def split(doc_id: str, text: str, blocks: tuple[Block, ...]) -> tuple[tuple[Item, ...],
                                                                      tuple[Block, ...]]:
    """The items of minutes laid out as `blocks`, and the blocks with each § as their section
    (headings inside a § — numbered attachment lines the layout took for headings — become
    paragraphs of it). No § found: no items, the blocks unchanged."""
    starts = _item_starts(blocks)
    if not starts:
        return (), blocks
    appeal = _appeal_start(blocks, starts[-1])
    bounds = [0, *starts, *([appeal] if appeal is not None else []), len(blocks)]
    items: list[Item] = []
    out = list(blocks)
    for k in range(len(bounds) - 1):
        lo, hi = bounds[k], bounds[k + 1]
        if lo == hi:
            continue
        span = blocks[lo:hi]
        if k == 0 and lo == 0 and 0 not in starts:
            items.append(_plain_item(doc_id, span, "Kokouksen tiedot"))
        elif appeal is not None and lo == appeal:
            items.append(_plain_item(doc_id, span, "Muutoksenhaku", kind="muutoksenhaku"))
        else:
            item = _section_item(doc_id, span, text)
            items.append(item)
            section = blocks[lo].text
            for i in range(lo, hi):
                b = out[i]
                kind = "paragraph" if b.kind == "heading" and i != lo else b.kind
                out[i] = replace(b, kind=kind, level=b.level if kind == "heading" else 0,
                                 section=section)
    return tuple(items), tuple(out)


def _item_starts(blocks: tuple[Block, ...]) -> list[int]:
    """Block indexes of the § headings: not the contents list (the page headed "Käsitellyt
    asiat", or a § line followed by another), not an appeal page's "§310 Muutoksenhakukielto",
    not a number out of order (the §s of a meeting run upwards: the secretary's "§33 Tuula
    Vuori" among the signatures before § 22 opens the items is none)."""
    contents = {b.page for b in blocks if _CONTENTS.match(b.text)}
    found: list[tuple[int, int]] = []  # (block index, § number)
    for i, b in enumerate(blocks):
        m = _SECTION.match(b.text)
        if b.kind != "heading" or not m or _APPEAL.match(m.group(2)) or b.page in contents:
            continue
        following = next((n for n in blocks[i + 1:i + 3] if n.kind != "table"), None)
        if following is not None and _SECTION.match(following.text):
            continue  # the contents list
        found.append((i, int(m.group(1))))
    return _increasing(found)


def _increasing(found: list[tuple[int, int]]) -> list[int]:
    """The block indexes of the longest chain of strictly rising § numbers (a "§ 16" heading
    quoted inside § 121 drops out, as does a number before the items start); the first such
    chain where several are as long, each § after the nearest one that can precede it."""
    length = [1] * len(found)
    before = [-1] * len(found)
    for i, (_, number) in enumerate(found):
        for j in range(i):
            # ties go to the nearer §: the signatures' "§33" loses to the § 22 that opens
            if found[j][1] < number and length[j] + 1 >= length[i]:
                length[i], before[i] = length[j] + 1, j
    if not found:
        return []
    end = max(range(len(found)), key=lambda i: (length[i], -i))
    chain = []
    while end >= 0:
        chain.append(found[end][0])
        end = before[end]
    return chain[::-1]


def _appeal_start(blocks: tuple[Block, ...], last: int) -> int | None:
    """Where the appeal instructions begin: the first block after the last § that opens a page
    and reads like them."""
    for i in range(last + 1, len(blocks)):
        b = blocks[i]
        opens_page = blocks[i - 1].page != b.page
        if opens_page and _APPEAL.match(b.text):
            return i
    return None


def _plain_item(doc_id: str, span: tuple[Block, ...], title: str, kind: str | None = None) -> Item:
    start, end = span[0].start, span[-1].end
    parts = (Part(kind, start, end),) if kind else ()
    return Item(stable_id(doc_id, "item", title, start), "", title, start, end, span[0].page,
                parts=parts, boilerplate=True)


def _section_item(doc_id: str, span: tuple[Block, ...], text: str) -> Item:
    head = span[0]
    m = _SECTION.match(head.text)
    assert m is not None
    number, title = m.group(1), " ".join(m.group(2).split())
    follow = span[1] if len(span) > 1 else None
    if follow is not None and follow.kind == "paragraph" and follow.page == head.page and \
            len(follow.text) < 100 and follow.text[:1].islower():
        title = f"{title} {follow.text}"  # a title the layout broke over two lines
    case_id = next((_CASE_ID.match(b.text).group(0) for b in span[1:4]
                    if _CASE_ID.match(b.text)), "")
    parts = _parts(span)
    decided, said = outcome(parts, text, number)
    return Item(stable_id(doc_id, "item", number, head.start), number, title, head.start,
                span[-1].end, head.page, case_id=case_id, parts=parts,
                boilerplate=bool(_ROUTINE.match(title)), outcome=decided, outcome_text=said)


def _parts(span: tuple[Block, ...]) -> tuple[Part, ...]:
    """Consecutive runs of blocks with one part kind; text before any label is selostus."""
    parts: list[Part] = []
    kind, start, end = "selostus", None, None
    follows_valmistelija = False
    for b in span[1:]:
        label = next((k for pattern, k in _LABELS if pattern.match(b.text)), None)
        if label is None and _HANDLING.match(b.text):
            label = "selostus"  # another body's handling begins: its own case text
        if label is None and kind == "valmistelija" and not (follows_valmistelija and
                                                             _PERSON.search(b.text)):
            label = "selostus"  # the names end, the case begins
        if label is not None and label != kind or (label == kind and label in ("ehdotus",
                                                                                 "paatos")):
            if start is not None:
                parts.append(Part(kind, start, end))
            kind, start = label, b.start
        if start is None:
            start = b.start
        end = b.end
        follows_valmistelija = kind == "valmistelija"
    if start is not None:
        parts.append(Part(kind, start, end))
    return tuple(parts)


def outcome(parts: tuple[Part, ...], text: str, number: str = "") -> tuple[str, str]:
    """How the § body's own päätös stands to the proposal: (outcome, the sentence saying so);
    ("", "") where the body has not decided (an agenda quoting the city board's päätös)."""
    own = own_parts(parts, text, number)
    decision = next((p for p in reversed(own) if p.kind == "paatos"), None)
    if decision is None:
        return "", ""
    words = text[decision.start:decision.end]
    handling = [p for p in own if p.kind == "kasittely"]  # before its päätös, or after it
    searched = words + "\n" + "\n".join(text[p.start:p.end] for p in handling)
    for name, pattern in OUTCOMES:
        found = list(pattern.finditer(searched))
        if found:  # the last mention concludes ("… päätti yksimielisesti palauttaa asian …")
            return name, _sentence_at(searched, found[-1].start())
    return "", ""


def own_parts(parts: tuple[Part, ...], text: str, number: str = "", offset: int = 0
              ) -> tuple[Part, ...]:
    """The parts of the § body's own handling (`text` is the document's from `offset` on). A §
    handled by several bodies repeats theirs first, each opening "Kaupunginhallitus, 03.11.2025,
    § 370" with its Ehdotus, Päätös and Käsittely (Esteellisyys); the body's own opens with the
    line naming this § 's `number` (the related handlings listed after the päätös,
    "Kaupunginhallitus, § 373,03.11.2025", name others), else with the last such line before the
    last päätös. No such line: every part."""
    def first_line(p: Part) -> str:
        return text[p.start - offset:p.end - offset].split("\n", 1)[0]

    opens = [i for i, p in enumerate(parts) if p.kind == "selostus" and _HANDLING.match(first_line(p))]
    named = re.compile(rf"§\s*{re.escape(number)}\b") if number else None
    own = [i for i in opens if named and named.search(first_line(parts[i]))]
    if not own:
        last = max((i for i, p in enumerate(parts) if p.kind == "paatos"), default=-1)
        own = [i for i in opens if i < last]
    return parts[own[-1]:] if own else parts


def _sentence_at(text: str, offset: int) -> str:
    """The sentence holding `offset` (`indexer.sentences`), whitespace normalised, at most 400
    characters."""
    a, b = next(((a, b) for a, b in sentences(text) if a <= offset < b), (offset, len(text)))
    return " ".join(text[a:b].split())[:400]
