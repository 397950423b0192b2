"""English → Finnish and Swedish → Finnish word lookup in Debian's FreeDict dictionaries
(`dict-freedict-eng-fin`, `dict-freedict-swe-fin`, dictd format in /usr/share/dictd).

A dictd dictionary is an index (`headword TAB offset TAB length`, the numbers in dictd's base64)
and a dictzip text (gzip-readable) holding the entries. A FreeDict entry opens with the headword
line ("budget /ˈbʌd͡ʒ.ɪt/ <n>"); its translations are the first line after it, or the lines
numbered "1. …", "2. …" for several senses, comma-separated ("budjetti, talousarvio"); the other
lines are glosses in the source language. `translations` returns the translation phrases of a
word, looked up as written, then by its Snowball stem (PyStemmer's English and Swedish
stemmers, the headwords indexed by theirs: "appealed" → appeal, "beviljades" → bevilja,
"anbuden" → anbud; an English word also in the dictionary's -ize spelling: "organisations"),
then — for a compound, as Swedish writes them ("tandvården") — by its two parts, or by the
longest headword it starts with ("arbetslöshetsgraden").

swe-fin is small (14 633 headwords: no *ränta*, *intäkt*, *invandring*, *nio*, *lämna*); the
Finnish → Swedish dictionary (`dict-freedict-fin-swe`, 19 930 Swedish translations of Finnish
headwords) read backwards gives a Swedish word swe-fin lacks its Finnish headwords
("invandring" → maahanmuutto, "ränta" → korko), and a Swedish compound's first part is also
looked for in the form it has standing alone ("skol|skjuts": skola; "ränte|intäkter": ränta).
"""

from __future__ import annotations

import gzip
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import Stemmer

DICTD = Path("/usr/share/dictd")
FILES = {"en": "freedict-eng-fin", "sv": "freedict-swe-fin"}
# the dictionary from Finnish into the language, read backwards for the words FILES' lacks
REVERSE = {"sv": "freedict-fin-swe"}
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE = re.compile(r"^(\d+)\.\s+(.*?)(?:\s+\d+\.)?\s*$")
_TRAILING_SENSE = re.compile(r"\s+\d+\.\s*$")
# the Snowball stemmer of each source language (PyStemmer)
STEMMERS = {"en": "english", "sv": "swedish"}
# British -ise/-isation, which the dictionary writes -ize/-ization ("organisations")
_BRITISH = re.compile(r"is(ations?|ing|ed|es|e)$")
MIN_STEM = 3  # letters a stem or a compound's last part has at the least
MIN_HEAD = 2  # letters of a compound's first part, at the least ("år|skurs", "el|arbeten")
WORD_ONLY = re.compile(r"[^\W\d_]+")  # a one-word headword (no phrase, no number)
MIN_PART = 5  # letters of the headword a Swedish compound begins with, at the least


def _number(text: str) -> int:
    n = 0
    for c in text:
        n = n * 64 + _B64[c]
    return n


NOUN = ("n",)
# what a Swedish compound's first part is: a noun ("tand|vården"), an adjective
# ("kommunal|skatt"); not a preposition or adverb ("under|skott" is alijäämä, no "under" of it)
FIRST_PART = ("n", "adj")
_KIND = re.compile(r"<([a-z]+)")


def _kind(entry: str) -> str:
    """An entry's part of speech, as its header line says ("budget /…/ <n>", "<n, ut>": n)."""
    m = _KIND.search(entry.split("\n", 1)[0])
    return m.group(1) if m else ""


def parse_entry(entry: str) -> list[str]:
    """The translation phrases of one entry's text, in the dictionary's order."""
    lines = entry.splitlines()[1:]  # the headword line first
    found: list[str] = []
    for i, line in enumerate(lines):
        m = _SENSE.match(line)
        if m:
            text = m.group(2)
        elif i == 0 and line and not line[0].isspace():
            text = _TRAILING_SENSE.sub("", line)
        else:
            continue
        found += [p.strip() for p in text.split(",") if p.strip()]
    return list(dict.fromkeys(found))


def first_part_forms(head: str) -> list[tuple[str, tuple[str, ...]]]:
    """The headwords a Swedish compound's first part may be, with their parts of speech, in this
    order: as written, a noun or an adjective (FIRST_PART: "kommunal|skatt"); a noun without the
    linking "s" or "e" Swedish puts after one ("grundvatten|s|skyddet", "år|s|kurs"); a noun in
    -a, which the compound drops or writes "-e" ("skol|skjuts": skola; "ränte|intäkter":
    ränta)."""
    forms = [(head, FIRST_PART)]
    if len(head) > MIN_HEAD and head[-1] in "se":
        forms.append((head[:-1], NOUN))
    if len(head) >= MIN_STEM:
        if head[-1] == "e":
            forms.append((head[:-1] + "a", NOUN))
        elif head[-1] not in "aeiouyåäö":
            forms.append((head + "a", NOUN))
    return forms


class FreeDict:
    """One dictd dictionary, read into memory on first use."""

    def __init__(self, index: Path, text: Path, reverse: FreeDict | None = None) -> None:
        self.index_path, self.text_path = index, text
        # the dictionary from Finnish into this one's language (`backwards`), or None
        self.reverse = reverse
        self._backwards: dict[str, list[tuple[str, str]]] | None = None
        self._lock = threading.Lock()
        # a question's Swedish word is split once for its translations and once for its compounds
        self.split = lru_cache(maxsize=100_000)(self._split)
        self._where: dict[str, list[tuple[int, int]]] | None = None
        self._text = b""
        # language → Snowball stem → the one-word headwords of that stem (built on first use)
        self._stems: dict[str, dict[str, list[str]]] = {}
        self._stemmers: dict[str, Stemmer.Stemmer] = {}

    @classmethod
    def installed(cls, lang: str, folder: Path = DICTD) -> FreeDict | None:
        """The Debian dictionary from `lang` to Finnish, or None where it is not installed."""
        name = FILES.get(lang)
        if name is None or not (folder / f"{name}.index").exists():
            return None
        back = REVERSE.get(lang)
        reverse = cls(folder / f"{back}.index", folder / f"{back}.dict.dz") \
            if back and (folder / f"{back}.index").exists() else None
        return cls(folder / f"{name}.index", folder / f"{name}.dict.dz", reverse)

    def _load(self) -> dict[str, list[tuple[int, int]]]:
        with self._lock:
            if self._where is None:
                where: dict[str, list[tuple[int, int]]] = {}
                for line in self.index_path.read_text(encoding="utf-8").splitlines():
                    parts = line.split("\t")
                    if len(parts) == 3 and not parts[0].startswith("00database"):
                        where.setdefault(parts[0].lower(), []).append(
                            (_number(parts[1]), _number(parts[2])))
                with gzip.open(self.text_path) as f:
                    self._text = f.read()
                self._where = where
        return self._where

    def lookup(self, headword: str, kinds: tuple[str, ...] = ()) -> list[str]:
        """Translations of a headword exactly as listed (lower case), else the Finnish headwords
        the reverse dictionary translates as it (`backwards`); `kinds`: of the entries of those
        parts of speech alone (NOUN: the header line says "<n…>")."""
        where = self._load()
        if headword not in where:
            return [fi for fi, kind in self.backwards().get(headword, ())
                    if not kinds or kind in kinds]
        out: list[str] = []
        for offset, length in where[headword]:
            entry = self._text[offset:offset + length].decode("utf-8", "replace")
            if not kinds or _kind(entry) in kinds:
                out += parse_entry(entry)
        return list(dict.fromkeys(out))

    def backwards(self) -> dict[str, list[tuple[str, str]]]:
        """The reverse dictionary read backwards: each of its translations (lower case) → the
        headwords it translates, in the dictionary's order, with each entry's part of speech;
        {} where there is none."""
        if self.reverse is None:
            return {}
        where = self.reverse._load()
        with self._lock:
            if self._backwards is None:
                back: dict[str, list[tuple[str, str]]] = {}
                text = self.reverse._text
                for head, places in where.items():
                    for offset, length in places:
                        entry = text[offset:offset + length].decode("utf-8", "replace")
                        pair = (head, _kind(entry))
                        for phrase in parse_entry(entry):
                            found = back.setdefault(phrase.lower(), [])
                            if pair not in found:
                                found.append(pair)
                self._backwards = back
        return self._backwards

    def translations(self, word: str, lang: str) -> list[str]:
        """Translations of a word of a question: as written, without an inflection ending, or
        (a compound) by the longest headword it begins with."""
        word = word.lower()
        found = self._inflected(word, lang)
        if not found and lang == "en" and (us := _BRITISH.sub(r"iz\1", word)) != word:
            found = self._inflected(us, lang)  # the dictionary spells "organization"
        if found or lang != "sv":  # Swedish writes compounds as one word
            return found
        return self._compound(word) or self._prefix(word)

    def phrase(self, first: str, last: str, lang: str) -> list[str]:
        """Translations of two neighbouring words that are one headword of the dictionary ("tax
        revenue" → verokertymä, verotulo; "wind farms" → tuulipuisto: the last word as written,
        else by the headwords of its Snowball stem); [] where they are none."""
        first, last = first.lower(), last.lower()
        return self.lookup(f"{first} {last}") or [
            t for h in self.by_stem(last, lang) for t in self.lookup(f"{first} {h}")]

    def _inflected(self, word: str, lang: str) -> list[str]:
        """A word's translations as written, else those of the headwords of its Snowball stem
        (`by_stem`)."""
        return self.lookup(word) or [t for h in self.by_stem(word, lang) for t in self.lookup(h)]

    def by_stem(self, word: str, lang: str) -> list[str]:
        """The headword an inflected word is a form of, among those of its Snowball stem: the
        longest that begins the word ("kostade": kosta, not kost; "investerade": investera, not
        investerare; "services": service, not serviceable), else those sharing the longest
        beginning with it, the shortest of them ("subsidies": subsidy); [] where the stemmer has
        no such language, the stem is under MIN_STEM letters, or the stemmer leaves the word
        whole: a base form the dictionary lacks, not a form of a longer headword ("fick", the
        past of "få", is no form of "ficka")."""
        stems = self._stem_index(lang)
        if stems is None:
            return []
        stem = self._stem(word, lang)
        heads = stems.get(stem, []) if MIN_STEM <= len(stem) < len(word) else []
        # the dictionary's own headwords before the reverse one's ("bygger": bygga, not bygge)
        heads = [h for h in heads if h in self._load()] or heads
        if len(heads) < 2:
            return heads
        fit = {h: (word.startswith(h), len(os.path.commonprefix([h, word])), -len(h)) for h in heads}
        best = max(fit.values())
        return [h for h in heads if fit[h] == best]

    def _stem(self, word: str, lang: str) -> str:
        with self._lock:  # a PyStemmer stemmer is not thread-safe
            return self._stemmers[lang].stemWord(word)

    def _stem_index(self, lang: str) -> dict[str, list[str]] | None:
        if lang not in STEMMERS:
            return None
        if lang in self._stems:
            return self._stems[lang]
        heads = list(dict.fromkeys([*self._load(), *self.backwards()]))
        with self._lock:
            if lang not in self._stems:
                stemmer = self._stemmers[lang] = Stemmer.Stemmer(STEMMERS[lang])
                stems: dict[str, list[str]] = {}
                # shortest first: the base form before its derivations ("invest", "investment")
                for head in sorted((h for h in heads if WORD_ONLY.fullmatch(h)), key=len):
                    stems.setdefault(stemmer.stemWord(head), []).append(head)
                self._stems[lang] = stems
        return self._stems[lang]

    def _compound(self, word: str, nested: bool = False) -> list[str]:
        """Both parts' translations of a Swedish compound (`split`): "tand|vården" → hammas,
        hoito."""
        heads, tails = self.split(word, nested)
        return list(dict.fromkeys(heads + tails))

    def _split(self, word: str, nested: bool = False) -> tuple[list[str], list[str]]:
        """A Swedish compound as its two parts' translations, each part a word the dictionary
        knows: the longest first part that is a noun or an adjective (`first_part_forms`:
        "varumärke|s|utbildning", "skol|skjuts", "kommunal|skatt"; of MIN_HEAD letters, "el|
        arbeten", in the word itself, of MIN_STEM in a compound's last part: "vän|te|tiden" is no
        friend's tea) and a last part that translates as a word does (inflected, a compound of
        two parts itself, or by the headword it begins with); ([], []) for a word that is none."""
        word = word.lower()
        for end in range(len(word) - MIN_STEM, (MIN_STEM if nested else MIN_HEAD) - 1, -1):
            head, tail = word[:end], word[end:]
            first = next(((form, found) for form, kinds in first_part_forms(head)
                          if (found := self.lookup(form, kinds))), None)
            if first is None:
                continue
            tails = self._inflected(tail, "sv")
            if not tails and self.lookup(first[0], NOUN):
                # a noun's last part may be a compound or begin with a headword; an adjective's
                # is a word ("lam|minneva", a Finnish name, is no lame memory)
                tails = ([] if nested else self._compound(tail, nested=True)) or self._prefix(tail)
            if tails:
                return first[1], tails
        return [], []

    def _prefix(self, word: str) -> list[str]:
        """The longest noun headword of at least MIN_PART letters the word begins with."""
        for end in range(len(word) - 1, MIN_PART - 1, -1):
            found = self.lookup(word[:end], NOUN)  # not "under" in "underskott"
            if found:
                return found
        return []
