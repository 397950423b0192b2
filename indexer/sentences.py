"""Sentence spans of a passage: the units an answer quotes.

A boundary is a sentence end followed by a capital, a digit or an opening quote, a tab (a table
cell) or a line break — unless the line break only wraps a sentence onto the next line, or the
full stop ends an abbreviation no Finnish sentence ends with ("n. 10 milj. euroa").
"""

from __future__ import annotations

import re
from collections.abc import Callable

# sentence ends, tabs (cells) and line breaks (see _wrapped)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(–-])|\s*[\n\t]\s*")
_AFTER_YEAR = re.compile(r"(?<=(?<!\d)(?:19|20)\d\d\.)[ \t]+(?=[A-ZÅÄÖ])")
_LINE = re.compile(r"\s*[\n\t]\s*")
# abbreviations no Finnish sentence ends with: "n. 10 milj. euroa" (noin), "esim. Kela", "klo 17"
_ABBREVIATION = re.compile(r"(?:^|(?<=[\s(]))(?:n|ns|esim|mm|vrt|ks|klo|milj|mrd|v|s|ts|ao|em)\.$",
                           re.IGNORECASE)


def _wrapped(text: str, m: re.Match) -> bool:
    """A line break inside a sentence wrapped onto the next line: the next line goes on in lower
    case, or a word is followed by a number ("toimintakate oli\n-21,05 milj. euroa")."""
    if "\n" not in m.group(0) or "\t" in m.group(0) or m.end() >= len(text) or m.start() == 0:
        return False
    before, after = text[m.start() - 1], text[m.end():m.end() + 2]
    return after[0].islower() or (before.isalpha() and bool(re.match(r"[-–]?\d", after)))


def sentences(text: str, starts: Callable[[str], list[int] | None] | None = None
              ) -> list[tuple[int, int]]:
    """Spans of the sentences (and table cells / lines) of a text. `starts` (the analyzer's
    `sentence_starts`: libvoikko's sentence API) says where sentences begin within a line;
    without it, or where it cannot tell, a full stop before a capital does, unless it ends an
    abbreviation."""
    found = starts(text) if starts is not None else None
    if found is None:
        boundaries = [(m.start(), m.end()) for m in _BOUNDARY.finditer(text)
                      if not _wrapped(text, m)
                      and not _ABBREVIATION.search(text, max(0, m.start() - 6), m.start())]
    else:
        boundaries = [(m.start(), m.end()) for m in _LINE.finditer(text) if not _wrapped(text, m)]
        # …but not after an abbreviation ("v. 2021", vuonna): libvoikko takes "v." for a sentence end
        ends = [(len(text[:at].rstrip()), at) for at in found]
        boundaries += [(a, b) for a, b in ends
                       if not _ABBREVIATION.search(text, max(0, a - 6), a)]
        # …and a year or a date ends a sentence before a capital ("…10.9.2025. Muutoksia"),
        # where libvoikko reads a possible ordinal ("2025." is never one in these reports)
        boundaries += [(m.start(), m.end()) for m in _AFTER_YEAR.finditer(text)]
        boundaries = sorted(set(boundaries))
    spans, start = [], 0
    for a, b in boundaries:
        if a < start:  # a sentence start inside a line break already taken
            continue
        if text[start:a].strip():
            spans.append((start, a))
        start = b
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans
