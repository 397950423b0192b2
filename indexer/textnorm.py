"""Text clean-up shared by every parser and by the analyzer.

Two levels: `clean` makes text a reader sees (drops zero-width spaces, soft hyphens and control
characters that exports and PDFs leave behind); `join_hyphenation` is for analysis only, gluing
line-break hyphenation (`digi- tointihankkeen`) while leaving Finnish shorthand coordination
(`Kasvatus- ja opetuslautakunta`) alone. Quotes always come from `clean` text.
"""

from __future__ import annotations

import html
import re
import unicodedata

# U+200B..U+200D zero-width (Lapua's Dynasty PDFs put U+200B inside numbers: "13,​29"),
# U+2060 word joiner, U+FEFF BOM, U+00AD soft hyphen, U+FFFE/FFFF non-characters.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u2007\u2009\u202f]+")

# Words after which a trailing hyphen is Finnish/Swedish coordination, not a line break:
# "Kasvatus- ja opetus", "sosiaali- tai terveys", "el- och värme".
_COORDINATORS = frozenset(
    "ja tai sekä eli että kuin taikka and or och eller samt".split()
)
_HYPHEN_BREAK = re.compile(r"(\w+)[-\u2010\u00ad]\s+(\w+)")


def clean(text: str) -> str:
    """Reader text: NFC, invisible characters removed, runs of spaces collapsed per line."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(lines)


def one_line(text: str) -> str:
    """All whitespace collapsed to single spaces (for labels, cells and comparisons)."""
    return " ".join(clean(text).split())


def join_hyphenation(text: str) -> str:
    """Glue words split by line-break hyphenation, for analysis; keep coordination hyphens."""

    def glue(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if right.lower() in _COORDINATORS or not right[0].islower() or left.isdigit():
            return m.group(0)
        return left + right

    return _HYPHEN_BREAK.sub(glue, text)


def strip_html(fragment: str) -> str:
    """Cell text from the exports' HTML fragments (<b>, <p>, <ul>, <li>, nested <table>)."""
    text = re.sub(r"(?i)<\s*(br|/p|/li|/h\d|/tr|/div)\s*/?>", "\n", fragment)
    text = re.sub(r"(?i)<\s*(li)\b[^>]*>", "\n", text)
    text = re.sub(r"(?i)<\s*/t[dh]\s*>", " ", text)
    text = re.sub(r"<[^>]*>", "", text)
    text = html.unescape(text)
    lines = [one_line(line) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)
