"""Word-level fidelity of our page text against an independent extraction of the same page.

Quotes are copied from the page text, so every word of the PDF's text layer should be there once.
`compare` aligns our words with a reference's (difflib over the word sequences); words left over
on either side are then matched as a bag, since two extractors may read columns and tables in
another order without either losing a word. What is still left over is *inserted* (ours only:
duplicated characters, glued words) or *dropped* (reference only) — except reference words of the
running headers/footers our parser removes on purpose, which are counted apart.

References: poppler's `pdftotext` (another PDF library altogether) and pdfium's plain page text
(`PdfTextPage.get_text_range`, the text layer in content order, without our layout).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pypdfium2 as pdfium

from indexer.textnorm import clean, join_hyphenation

# dot leaders of a table of contents: layout, not words (extractors cut them differently)
_LEADER = re.compile(r"\.{4,}")
# a hyphenated compound broken at its hyphen ("Etelä-" + "Pohjanmaan"): some extractors rejoin it
_COMPOUND_BREAK = re.compile(r"(\w)- (?!(?:ja|tai|sekä|eli|och|eller|and|or) )([A-ZÄÖÅ])")


_BULLETS = frozenset("-•●▪–−◦■□➢✓")


@dataclass(frozen=True)
class WordDiff:
    reference: int  # words in the reference page text
    ours: int
    inserted: tuple[str, ...]  # ours only
    dropped: tuple[str, ...]  # reference only, not among the removed headers/footers
    removed: int  # reference words that are running headers/footers we removed on purpose
    markers: int  # list bullets ("•", "-") one side has as words: list items drop theirs


def words(text: str) -> list[str]:
    """Comparable words: NFKC (ligatures, NBSP), invisible characters gone, line-break
    hyphenation joined the same way on both sides (extractors differ in whether they keep it)."""
    text = unicodedata.normalize("NFKC", clean(text.replace("\x02", "-")))
    text = _LEADER.sub(" ", text)
    text = _COMPOUND_BREAK.sub(r"\1-\2", join_hyphenation(" ".join(text.split())))
    return text.split()


def compare(ours: str, reference: str, removed: Iterable[str] = ()) -> WordDiff:
    a, b = words(ours), words(reference)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    left: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            left.update(a[i1:i2])
            right.update(b[j1:j2])
    moved = left & right  # read in another order by one of the extractors
    inserted, dropped = left - moved, right - moved
    headers = Counter(w for line in removed for w in words(line)) & dropped
    dropped -= headers
    markers = Counter({w: n for w, n in (inserted + dropped).items() if w in _BULLETS})
    inserted -= markers
    dropped -= markers
    return WordDiff(len(b), len(a), tuple(sorted(inserted.elements())),
                    tuple(sorted(dropped.elements())), sum(headers.values()),
                    sum(markers.values()))


def pdftotext_available() -> bool:
    return shutil.which("pdftotext") is not None


def poppler_pages(path: Path) -> list[str]:
    """Every page's text from poppler's `pdftotext` (reading order; pages end with a form feed),
    the same text as `pdftotext -f N -l N` page by page, in one run."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8", errors="replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdfium_pages(path: Path) -> list[str]:
    """Every page's plain text from pdfium (`get_text_range`: the text layer in content order)."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            # pdfium marks a hyphen that ends a line with U+FFFE in its plain text
            texts.append(textpage.get_text_range().replace("\ufffe", "-\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def removed_lines(path: Path) -> list[list[str]]:
    """Per page, the lines our parser removes on purpose (running headers/footers, page labels)."""
    from indexer import parse_pdf, pdf_lines

    pdf = pdf_lines.open_pdf(str(path))
    try:
        pages = list(parse_pdf.iter_pages(pdf))
    finally:
        pdf.close()
    keys = parse_pdf.running_keys(pages)
    out = []
    for lines, height in pages:
        body, _ = parse_pdf.strip_running(lines, height, keys)
        kept = {id(ln) for ln in body}
        out.append([ln.text for ln in lines if id(ln) not in kept])
    return out
