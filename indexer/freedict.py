"""English → Finnish and Swedish → Finnish word lookup in Debian's FreeDict dictionaries
(`dict-freedict-eng-fin`, `dict-freedict-swe-fin`, dictd format in /usr/share/dictd).

A dictd dictionary is an index (`headword TAB offset TAB length`, the numbers in dictd's base64)
and a dictzip text (gzip-readable) holding the entries. A FreeDict entry opens with the headword
line ("budget /ˈbʌd͡ʒ.ɪt/ <n>"); its translations are the first line after it, or the lines
numbered "1. …", "2. …" for several senses, comma-separated ("budjetti, talousarvio"); the other
lines are glosses in the source language. `translations` returns the translation phrases of a
word, looked up as written, then by its Snowball stem (PyStemmer's English and Swedish
stemmers, the headwords indexed by theirs: "appealed" → appeal, "beviljades" → bevilja,
"anbuden" → anbud; a British word also in the dictionary's American spelling, by breame:
"organisations", "labour", "programme"),
then — for a compound, as Swedish writes them ("tandvården") — by its two parts, or by the
longest headword it starts with ("arbetslöshetsgraden").

swe-fin is small (14 633 headwords: no *ränta*, *intäkt*, *invandring*, *nio*, *lämna*); the
Finnish → Swedish dictionary (`dict-freedict-fin-swe`, 19 930 Swedish translations of Finnish
headwords) read backwards gives a Swedish word swe-fin lacks its Finnish headwords
("invandring" → maahanmuutto, "ränta" → korko), and a Swedish compound's first part is also
looked for in the form it has standing alone ("skol|skjuts": skola; "ränte|intäkter": ränta).

A form Snowball's suffix stripping does not bring back to its headword is looked up by its base
forms (`BaseForms`), where the dictionary has no headword for it nor its Snowball stem: a Swedish
strong verb's past ("fick": få, "återstod": återstå), a past whose stem changes ("beställde":
beställa) by its Hunspell stems (Debian's `hunspell-sv`, through the `hunspell` binding); an
English irregular form ("children": child, "paid": pay) by WordNet's exception lists (Debian's
`wordnet-base`; `hunspell-en-us` lists such forms as words of their own); before those, by
simplemma's lemma dictionary of the language, which holds the forms sv_SE's Hunspell parses
wrongly or not at all: an s-passive or a deponent ("tas": ta, "fanns": finnas, not Hunspell's
noun "fan"), a particle verb's strong past ("deltog": delta, "uppgick": uppgå). Without them
that step is left out.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import threading
from functools import lru_cache
from pathlib import Path

import Stemmer
from breame.spelling import get_american_spelling

try:  # pyhunspell, the binding of libhunspell (optional: without it no Hunspell stems)
    import hunspell
except ImportError:  # pragma: no cover - the binding is not installed
    hunspell = None
try:  # simplemma's lemma dictionaries (optional: without it no lemmas)
    from simplemma.strategies import DictionaryLookupStrategy
except ImportError:  # pragma: no cover - simplemma is not installed
    DictionaryLookupStrategy = None

_log = logging.getLogger(__name__)

DICTD = Path("/usr/share/dictd")
HUNSPELL = Path("/usr/share/hunspell")
# the Hunspell dictionary (Debian's hunspell-sv) of a language whose forms Snowball leaves
# unstemmed; none for English: hunspell-en-us lists "children", "paid" as words of their own
HUNSPELL_DICTIONARIES = {"sv": "sv_SE"}
WORDNET = Path("/usr/share/wordnet")
# WordNet's lists of English irregular forms ("children child"), by part of speech
WORDNET_EXCEPTIONS = {"verb.exc": "v", "adj.exc": "adj", "noun.exc": "n"}
# the languages whose lemmas simplemma's dictionaries give (its own language codes)
LEMMA_LANGUAGES = frozenset({"en", "sv"})
FILES = {"en": "freedict-eng-fin", "sv": "freedict-swe-fin"}
# the dictionary from Finnish into the language, read backwards for the words FILES' lacks
REVERSE = {"sv": "freedict-fin-swe"}
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_SENSE = re.compile(r"^(\d+)\.\s+(.*?)(?:\s+\d+\.)?\s*$")
_TRAILING_SENSE = re.compile(r"\s+\d+\.\s*$")
# the Snowball stemmer of each source language (PyStemmer)
STEMMERS = {"en": "english", "sv": "swedish"}
MIN_STEM = 3  # letters a stem or a compound's last part has at the least
# letters of a compound's first part, at the least, where the compound is checked against the
# index's words (`split`: "år|s|kurs", "el|arbeten"); a word's translations (`translations`) take
# a first part of MIN_STEM letters of the word ("bo|städer" is no nest's anvils; "års|kurs" is)
MIN_HEAD = 2
WORD_ONLY = re.compile(r"[^\W\d_]+")  # a one-word headword (no phrase, no number)
MIN_PART = 5  # letters of the headword a Swedish compound begins with, at the least


def _number(text: str) -> int:
    n = 0
    for c in text:
        n = n * 64 + _B64[c]
    return n


NOUN = ("n",)
# the parts of speech a base form is looked up as, in this order; a Hunspell stem as a verb or an
# adjective — the forms Snowball's suffix stripping misses ("fick": få, "nya": ny); its noun
# stems are as often a wrong parse ("fanns": fan, "tas": tum)
BASE_FORM_KINDS = ("v", "adj", "n")
HUNSPELL_KINDS = ("v", "adj")
_HUNSPELL_STEM = re.compile(r"\bst:(\S+)")  # the stem of a Hunspell analysis (" st:få fl:M")
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

    def __init__(self, index: Path, text: Path, reverse: FreeDict | None = None,
                 base_forms: BaseForms | None = None) -> None:
        self.index_path, self.text_path = index, text
        # the dictionary from Finnish into this one's language (`backwards`), or None
        self.reverse = reverse
        # the base forms of the language's irregular forms (`BaseForms`), or None
        self.base_forms = base_forms
        self._backwards: dict[str, list[tuple[str, str]]] | None = None
        self._lock = threading.Lock()
        # a question's Swedish word is split once for its translations and once for its compounds
        self._parts = lru_cache(maxsize=100_000)(self._split)
        self._where: dict[str, list[tuple[int, int]]] | None = None
        self._text = b""
        # language → Snowball stem → the one-word headwords of that stem (built on first use)
        # the own headwords of a stem, else the reverse dictionary's (swe-fin's "bygga" before
        # fin-swe's "bygge")
        self._stems: dict[str, dict[str, list[str]]] = {}
        self._stemmers: dict[str, Stemmer.Stemmer] = {}

    @classmethod
    def installed(cls, lang: str, folder: Path = DICTD, hunspell_folder: Path = HUNSPELL,
                  wordnet: Path = WORDNET, lemmas: bool = True) -> FreeDict | None:
        """The Debian dictionary from `lang` to Finnish, or None where it is not installed; with
        the reverse dictionary and the language's base forms (`BaseForms`; `lemmas`: simplemma's
        among them) where those are."""
        name = FILES.get(lang)
        if name is None or not (folder / f"{name}.index").exists():
            return None
        back = REVERSE.get(lang)
        reverse = cls(folder / f"{back}.index", folder / f"{back}.dict.dz") \
            if back and (folder / f"{back}.index").exists() else None
        return cls(folder / f"{name}.index", folder / f"{name}.dict.dz", reverse,
                   BaseForms.installed(lang, hunspell_folder, wordnet, lemmas))

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
        parts of speech alone, in that order (NOUN: the header line says "<n…>")."""
        where = self._load()
        if headword not in where:
            return self._backwards_of(headword, kinds)
        entries = [self._text[offset:offset + length].decode("utf-8", "replace")
                   for offset, length in where[headword]]
        if kinds:  # in the order of `kinds`: "vind" a noun (tuuli) before an adjective (vino)
            entries = sorted((e for e in entries if _kind(e) in kinds),
                             key=lambda e: kinds.index(_kind(e)))
        return list(dict.fromkeys(t for e in entries for t in parse_entry(e)))

    def _backwards_of(self, word: str, kinds: tuple[str, ...] = ()) -> list[str]:
        return [fi for fi, kind in self.backwards().get(word, ()) if not kinds or kind in kinds]

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
        """Translations of a word of a question: as written, without an inflection ending, by
        its base forms (`BaseForms`), or (a compound) by its two parts, its first part of
        MIN_STEM letters of the word at the least (a linking "s" counted: "års|kurs"), else by
        the longest headword it begins with."""
        word = word.lower()
        found = self.headword_translations(word, lang)
        if found or lang != "sv":  # Swedish writes compounds as one word
            return found
        first, heads, tails = self._parts(word, False)
        return list(dict.fromkeys(heads + tails)) if first >= MIN_STEM else self._prefix(word)

    def headword_translations(self, word: str, lang: str) -> list[str]:
        """The translations of the word's own headword (`translations` without a compound's
        parts): as written, without an inflection ending, in the dictionary's spelling, by its
        base forms."""
        word = word.lower()
        # a British word that is no headword of its own is looked up in the dictionary's
        # American spelling before its stem's headwords ("programme": program, ohjelma, not the
        # stem's "programme manager", ohjelmapäällikkö)
        found = self.lookup(word) or self._american(word, lang, False) or \
            self._inflected(word, lang) or self._american(word, lang, True)
        return found or self._by_base_forms(word)

    def _american(self, word: str, lang: str, inflected: bool) -> list[str]:
        """The translations of an English word's American spelling (breame's British-American
        spelling pairs, VarCon's: "organisations", "labour", "programme", "travelled"; the
        dictionary spells "organization"): of its headword, or (`inflected`) of it as
        `_inflected` reads it; [] for a word of another language or none."""
        if lang != "en" or (us := get_american_spelling(word)) == word:
            return []
        return self._inflected(us, lang) if inflected else self.lookup(us)

    def _by_base_forms(self, word: str) -> list[str]:
        """The translations of a word's base forms (`BaseForms`) of the first part of speech
        (BASE_FORM_KINDS) that has any, the dictionary's own entries of it, else the reverse
        one's ("fick": få as a verb — swe-fin's is only the adjective harva, fin-swe's saada)."""
        bases = self.base_forms(word) if self.base_forms else []
        for kind in BASE_FORM_KINDS if bases else ():
            found = [t for b, k in bases if k == kind
                     for t in self.lookup(b, (kind,)) or self._backwards_of(b, (kind,))]
            if found:
                return list(dict.fromkeys(found))
        return []

    def phrase(self, first: str, last: str, lang: str) -> list[str]:
        """Translations of two neighbouring words that are one headword of the dictionary ("tax
        revenue" → verokertymä, verotulo; "wind farms" → tuulipuisto: the last word as written,
        else by the headwords of its Snowball stem; a verb's inflected first word by its base
        forms, `BaseForms`: "took part" → take part → osallistua); [] where they are none."""
        first, last = first.lower(), last.lower()
        found = self.lookup(f"{first} {last}") or [
            t for h in self.by_stem(last, lang) for t in self.lookup(f"{first} {h}")]
        bases = self.base_forms(first) if self.base_forms and not found else []
        return found or list(dict.fromkeys(
            t for b in dict.fromkeys(b for b, _kind in bases) for t in self.lookup(f"{b} {last}")))

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
        own = self._load()
        heads = [h for h in self.backwards() if h not in own]
        with self._lock:
            if lang not in self._stems:
                stemmer = self._stemmers[lang] = Stemmer.Stemmer(STEMMERS[lang])
                stems: dict[str, list[str]] = {}
                # the dictionary's own headwords of a stem, else the reverse one's ("bygger":
                # bygga, not bygge); shortest first: the base form before its derivations
                # ("invest", "investment")
                for source in (own, heads):
                    found: dict[str, list[str]] = {}
                    for head in sorted((h for h in source if WORD_ONLY.fullmatch(h)), key=len):
                        found.setdefault(stemmer.stemWord(head), []).append(head)
                    for stem, these in found.items():
                        stems.setdefault(stem, these)
                self._stems[lang] = stems
        return self._stems[lang]

    def split(self, word: str, nested: bool = False) -> tuple[list[str], list[str]]:
        """A Swedish compound as its two parts' translations (`_split`), ([], []) for a word
        that is none."""
        return self._parts(word, nested)[1:]

    def split_at(self, word: str) -> int:
        """Where a Swedish compound splits into its two parts (`split`): its first part's
        letters, 0 for a word that is none."""
        return self._parts(word, False)[0]

    def _compound(self, word: str, nested: bool = False) -> list[str]:
        """Both parts' translations of a Swedish compound (`split`): "tand|vården" → hammas,
        hoito."""
        heads, tails = self.split(word, nested)
        return list(dict.fromkeys(heads + tails))

    def _split(self, word: str, nested: bool = False) -> tuple[int, list[str], list[str]]:
        """A Swedish compound as its two parts' translations, each part a word the dictionary
        knows: the longest first part that is a noun or an adjective (`first_part_forms`:
        "varumärke|s|utbildning", "skol|skjuts", "kommunal|skatt"; of MIN_HEAD letters, "el|
        arbeten", in the word itself, of MIN_STEM in a compound's last part: "vän|te|tiden" is no
        friend's tea) and a last part that translates as a word does (inflected, a compound of
        two parts itself, or by the headword it begins with), with the first part's letters;
        (0, [], []) for a word that is none."""
        word = word.lower()
        for end in range(len(word) - MIN_STEM, (MIN_STEM if nested else MIN_HEAD) - 1, -1):
            head, tail = word[:end], word[end:]
            first = self.first_part(head)
            if first is None:
                continue
            tails = self._inflected(tail, "sv")
            if not tails and self.lookup(first[0], NOUN):
                # a noun's last part may be a compound or begin with a headword; an adjective's
                # is a word ("lam|minneva", a Finnish name, is no lame memory)
                tails = ([] if nested else self._compound(tail, nested=True)) or self._prefix(tail)
            if tails:
                return end, first[1], tails
        return 0, [], []

    def first_part(self, head: str) -> tuple[str, list[str]] | None:
        """(the headword, its translations) that a Swedish compound's first part is
        (`first_part_forms`: "skol" → skola), the first of its forms the dictionary has; None
        where it has none."""
        return next(((form, found) for form, kinds in first_part_forms(head)
                     if (found := self.lookup(form, kinds))), None)

    def _prefix(self, word: str) -> list[str]:
        """The longest noun headword of at least MIN_PART letters the word begins with."""
        for end in range(len(word) - 1, MIN_PART - 1, -1):
            found = self.lookup(word[:end], NOUN)  # not "under" in "underskott"
            if found:
                return found
        return []


class BaseForms:
    """The base forms of a word's irregular inflection, each with its part of speech: its lemma
    in simplemma's dictionary of the language ("fanns" → finnas, "deltog" → delta; no part of
    speech given, so as each of BASE_FORM_KINDS); a Swedish word's Hunspell stems, as a verb or
    an adjective (HUNSPELL_KINDS), of its analyses as one word ("fick" → få; "vind|krafts|
    projekt", whose Hunspell "stem" is vind, has none); an English word's in WordNet's exception
    lists ("children" → child, a noun; "paid" → pay)."""

    def __init__(self, hunspell_files: tuple[Path, Path] | None = None,
                 wordnet: Path | None = None, lemma_language: str | None = None) -> None:
        self.hunspell_files, self.wordnet = hunspell_files, wordnet
        self.lemma_language = lemma_language  # simplemma's code of the language, or None
        self._speller: object | None = None  # False: the dictionary would not load
        self._lemmas: object | None = None  # False: simplemma's dictionary would not load
        self._exceptions: dict[str, list[tuple[str, str]]] | None = None
        self._lock = threading.Lock()

    @classmethod
    def installed(cls, lang: str, hunspell_folder: Path = HUNSPELL, wordnet: Path = WORDNET,
                  lemmas: bool = True) -> BaseForms | None:
        """The language's Hunspell dictionary (with the binding) or WordNet's exception lists,
        and (`lemmas`) simplemma's lemmas; None where none of them is installed."""
        spell = HUNSPELL_DICTIONARIES.get(lang)
        files = (hunspell_folder / f"{spell}.dic", hunspell_folder / f"{spell}.aff")
        found = {"hunspell_files": files} \
            if spell and hunspell is not None and all(f.exists() for f in files) else {}
        if lang == "en" and any((wordnet / name).exists() for name in WORDNET_EXCEPTIONS):
            found["wordnet"] = wordnet
        if lemmas and DictionaryLookupStrategy is not None and lang in LEMMA_LANGUAGES:
            found["lemma_language"] = lang
        return cls(**found) if found else None

    def __call__(self, word: str) -> list[tuple[str, str]]:
        """(base form, part of speech) of a word (lower case), none the word itself: its lemma's
        first, then its Hunspell stems' or WordNet's."""
        lemma = self._lemma(word)
        found = [(lemma, kind) for kind in BASE_FORM_KINDS] if lemma and lemma != word else []
        if self.hunspell_files is not None:
            found += self._stems(word)
        elif self.wordnet is not None:
            found += self._exception_list().get(word, [])
        return list(dict.fromkeys(found))

    def _lemma(self, word: str) -> str | None:
        """The word's lemma in simplemma's dictionary (lower case): a form it lists, not a guess
        of its rules ("eltillbehör": none), None where it lists none."""
        if self.lemma_language is None:
            return None
        with self._lock:  # its dictionary loads on the first look-up (0.5 s for Swedish)
            if self._lemmas is None:
                self._lemmas = DictionaryLookupStrategy()
            if self._lemmas is False:
                return None
            try:
                lemma = self._lemmas.get_lemma(word, self.lemma_language)
            except Exception as e:  # noqa: BLE001 — a broken dictionary costs this step only
                _log.warning("simplemma's %s lemmas unreadable (%s): none", self.lemma_language, e)
                self._lemmas = False
                return None
        return lemma.lower() if lemma else None

    def _stems(self, word: str) -> list[tuple[str, str]]:
        """A Swedish word's Hunspell stems, each as a verb and an adjective (HUNSPELL_KINDS)."""
        with self._lock:  # loaded once (0.07 s for sv_SE); a Hunspell object is not thread-safe
            if self._speller is None:
                dic, aff = self.hunspell_files
                try:
                    self._speller = hunspell.HunSpell(str(dic), str(aff))
                except Exception as e:  # noqa: BLE001 — a broken dictionary costs this step only
                    _log.warning("Hunspell dictionary %s unreadable (%s): no base forms", dic, e)
                    self._speller = False
            if self._speller is False:
                return []
            encoding = self._speller.get_dic_encoding()
            readings = [a.decode(encoding, "replace") for a in self._speller.analyze(word)]
        stems = [m.group(1) for a in readings if "pa:" not in a and (m := _HUNSPELL_STEM.search(a))]
        return [(s, kind) for s in dict.fromkeys(stems) if s != word for kind in HUNSPELL_KINDS]

    def _exception_list(self) -> dict[str, list[tuple[str, str]]]:
        """WordNet's exception lists ("paid pay": an irregular form, then its base forms)."""
        with self._lock:
            if self._exceptions is None:
                found: dict[str, list[tuple[str, str]]] = {}
                for name, kind in WORDNET_EXCEPTIONS.items():
                    path = self.wordnet / name
                    try:
                        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
                    except (OSError, UnicodeDecodeError) as e:  # this list is skipped, once
                        _log.warning("WordNet exception list %s unreadable (%s): skipped", path, e)
                        lines = []
                    for form, *bases in (line.split() for line in lines if line.strip()):
                        found.setdefault(form.replace("_", " "), []).extend(
                            (b.replace("_", " "), kind) for b in bases if b != form)
                self._exceptions = found
        return self._exceptions
