"""Finnish-aware analysis for lexical search: text → index terms.

`VoikkoAnalyzer` (the default where libvoikko and its Finnish dictionary are installed) turns
every word into its lemma(s) plus the lemmas of its compound parts — `arkistotoimen` → arkistotoimi,
arkisto, toimi; `Kemin` → kemi and `Kemijärven` → kemijärvi, two different terms. Function words
(conjunctions, pronouns, adpositions, the negation verb and `olla`) are dropped by Voikko's own word
class, not by a hand list. Words Voikko does not know fall back to their Snowball stem.
`SnowballAnalyzer` is the fallback where Voikko cannot be loaded (stems + the `stop-words`
package's Finnish list). Swedish and English text gets Snowball's Swedish/English stemmer and
the short NLTK stop lists bm25s ships.

Numbers stay tokens: `27 677` → `27677`, `54,58` → `54,58`, `2022` → `2022`.
Every analyzer also gives each word's span and terms (`words`; `marked` picks the ones a
query meets) so results can highlight what matched.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

import bm25s.stopwords as bm25s_stopwords
import Stemmer
from stop_words import get_stop_words

from indexer.textnorm import clean, join_hyphenation

# A number with Finnish thousand spaces (27 677, 1 234,56), a plain number, or a word.
_TOKEN = re.compile(
    r"(?<![\d,])\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?(?![\d,])"
    r"|\d+(?:,\d+)?"
    r"|[^\W\d_]+"
)
_STOP_CLASSES = frozenset({"sidesana", "asemosana", "kieltosana", "suhdesana"})
_STOP_LEMMAS = frozenset({"olla", "voida", "myös", "vain", "kuin", "niin", "sekä"})
# the participles that are a verb's (kasvanut, kasvava; ylitetty), not the agent participle (poikkeama)
_VERB_PARTICIPLES = frozenset({"past_active", "past_passive", "present_active", "present_passive"})
LANGUAGES = ("fi", "sv", "en")
PLACE = frozenset({"paikannimi"})  # Voikko word classes of proper names
PERSON = frozenset({"etunimi", "sukunimi"})
_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}
# a word ending like a yes/no question's clitic ("pantiinko", "onko"): a guess where Voikko
# cannot tell, which nouns and names ending so ("verkko", "Koivikko", "Marko") share
_CLITIC_ENDING = re.compile(r"\b[^\W\d_]{3,}(?:ko|kö)\b", re.I)


def _word_spans(text: str) -> Iterator[tuple[int, int, str]]:
    for m in _TOKEN.finditer(text):
        yield m.start(), m.end(), m.group(0)


def _number_term(token: str) -> str:
    return token.replace(" ", "").replace("\u00a0", "")


class _Snowball:
    """Snowball stemmers and stop lists per language (PyStemmer is not thread-safe: one lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMER_NAMES.items()}
        # Finnish: the stop-words package's list (the Snowball fallback; Voikko drops function
        # words by their class). English and Swedish questions: the short NLTK lists bm25s ships
        # (function words only); stop-words' English list has 1 333 words with "state", "group",
        # "net", "number", "end", "half", "high" — words a question about a report asks by
        self.stop = {"fi": frozenset(get_stop_words("finnish")),
                     "en": frozenset(bm25s_stopwords.STOPWORDS_EN_PLUS),
                     "sv": frozenset(bm25s_stopwords.STOPWORDS_SWEDISH)}

    def stem(self, word: str, lang: str) -> str:
        with self._lock:
            return self._stemmers[lang].stemWord(word)


class Analyzer:
    """Base: tokenising, numbers, other languages. Subclasses analyse Finnish words."""

    name = "base"

    def __init__(self) -> None:
        self._snowball = _Snowball()
        # word → terms made before (an index's own words, saved when it was built)
        self._known: dict[str, tuple[str, ...]] = {}

    def terms(self, text: str, lang: str = "fi") -> list[str]:
        """Index terms of a text, in order (a word may give several)."""
        out: list[str] = []
        for _, _, token in _word_spans(_prepare(text)):
            out.extend(self._token_terms(token, lang))
        return out

    def lemmas(self, text: str) -> list[str]:
        """The lemma(s) of each word of a Finnish text, as `terms` splits it (a word broken over
        a line joined), without a compound's parts ("jäsenmaksun" → jäsenmaksu, not jäsen); a
        word's terms where the analyzer cannot tell (`compounds`)."""
        out: list[str] = []
        for _, _, token in _word_spans(_prepare(text)):
            found = [] if token[0].isdigit() else [lemma for lemma, _ in self.compounds(token)]
            out.extend(dict.fromkeys(found) or self._token_terms(token, "fi"))
        return out

    def word_lemmas(self, word: str) -> list[str]:
        """The lemma of each reading of one word, not its compound's parts ("Toimintatuotot" →
        toimintatuotto: it says nothing of "toimintakulut"); its first term where the analyzer
        cannot tell (`compounds`)."""
        return list(dict.fromkeys(lemma for lemma, _parts in self.compounds(word))) or self.terms(word)[:1]

    def words(self, text: str, lang: str = "fi") -> list[tuple[int, int, tuple[str, ...]]]:
        """(start, end, terms) of every word in `text` (as given): what `marked` highlights."""
        return [(start, end, self._token_terms(token, lang)) for start, end, token in _word_spans(text)]

    def _token_terms(self, token: str, lang: str) -> tuple[str, ...]:
        if token[0].isdigit():
            return (_number_term(token),)
        word = token.lower()
        if lang != "fi" and lang in _STEMMER_NAMES:
            if word in self._snowball.stop[lang]:
                return ()
            return (self._snowball.stem(word, lang),)
        known = self._known.get(word)
        return known if known is not None else self._finnish(word)

    def word_terms(self, texts: Iterable[str]) -> dict[str, list[str]]:
        """word → Finnish terms of every word in `texts`, as `terms` and `words` split them: an
        index saves its words' analyses so that a server never analyses them again."""
        out: dict[str, list[str]] = {}
        for text in texts:
            for form in (text, _prepare(text)):
                for _, _, token in _word_spans(form):
                    word = token.lower()
                    if not token[0].isdigit() and word not in out:
                        out[word] = list(self._token_terms(word, "fi"))
        return out

    def remember(self, known: dict[str, list[str]]) -> None:
        """Take analyses `word_terms` made (by this analyzer, maybe in another process)."""
        self._known.update((word, tuple(terms)) for word, terms in known.items())

    def _finnish(self, word: str) -> tuple[str, ...]:
        raise NotImplementedError

    def finnish_share(self, words: list[str]) -> float | None:
        """Share of `words` Finnish morphology recognises, or None where it cannot tell."""
        return None

    def place_names(self, text: str) -> list[str]:
        """Lemmas of capitalised words that are place names, where the analyzer can tell."""
        return self.names(text, PLACE)

    def names_person(self, text: str) -> bool:
        """Whether a capitalised word after the first is a first name or surname ("Milloin"
        opening a question reads as the name Milla), where the analyzer can tell."""
        return bool(self.names(text, PERSON, skip_first=True))

    def names(self, text: str, classes: frozenset[str], skip_first: bool = False) -> list[str]:
        return []

    # whether `asks_yes_no` reads the clitic off a word's analysis (Voikko) or guesses it by
    # the word's ending, which nouns and names share ("verkko", "Koivikko")
    reads_clitic = False

    def asks_yes_no(self, text: str) -> bool:
        """Whether a word of `text` asks yes or no by the question clitic -ko/-kö ("Hakatien
        asemakaavan muutos – pantiinko vireille"); by the word's ending where the analyzer cannot
        tell."""
        return bool(_CLITIC_ENDING.search(text))

    def bases(self, text: str) -> set[str]:
        """The words a text's derived words are made from ("ylijäämäiseksi" → ylijäämä), where
        the analyzer can tell."""
        return set()

    def source_verb(self, word: str) -> str | None:
        """The verb a noun is derived from ("investointi" → investoida, "hankinta" → hankkia),
        where the analyzer can tell; None for a word that is no such noun."""
        return None

    def is_verb(self, word: str) -> bool:
        """Whether a word is a form of a verb in some reading, a participle too ("kasvoivat",
        "ylittivät", "kasvaneet", "vähentynyt", "kasvavat", "parani"; not "vähennys", "muutos"),
        where the analyzer can tell; False where it cannot."""
        return False

    def sentence_starts(self, text: str) -> list[int] | None:
        """Offsets in `text` where a sentence probably begins (after the first), where the
        analyzer can tell; None where it cannot."""
        return None

    def compounds(self, word: str) -> list[tuple[str, list[str]]]:
        """(lemma, its parts as words: `part_words`) of each reading of one word, the parts []
        for a simple word ("terveystarkastusta" → [("terveystarkastus", ["terveys",
        "tarkastus"])]); [] where the analyzer cannot tell."""
        return []


class SnowballAnalyzer(Analyzer):
    """Snowball Finnish stems and a stock stop list: the fallback, and a peer baseline."""

    name = "snowball"

    def __init__(self) -> None:
        super().__init__()
        self._finnish = lru_cache(maxsize=200_000)(self._stem_fi)  # type: ignore[method-assign]

    def _stem_fi(self, word: str) -> tuple[str, ...]:
        if word in self._snowball.stop["fi"]:
            return ()
        return (self._snowball.stem(word, "fi"),)


class PlainAnalyzer(Analyzer):
    """Lower-cased surface words, nothing else: the 'BM25 plain' peer baseline."""

    name = "plain"

    def _finnish(self, word: str) -> tuple[str, ...]:
        return (word,)


class VoikkoAnalyzer(Analyzer):
    """Voikko lemmas + compound parts; Snowball stems for words Voikko does not know."""

    name = "voikko"

    def __init__(self) -> None:
        import libvoikko

        super().__init__()
        self._voikko = libvoikko.Voikko("fi")  # raises if the dictionary is missing
        self._probable = libvoikko.Sentence.PROBABLE
        self._lock = threading.Lock()  # one Voikko handle is not safe across threads
        self._finnish = lru_cache(maxsize=200_000)(self._analyse)  # type: ignore[method-assign]
        # language checks, place names and lemmas all ask about the same words
        self._analyses = lru_cache(maxsize=200_000)(self._voikko_analyses)  # type: ignore[method-assign]

    def _voikko_analyses(self, word: str) -> tuple[dict, ...]:
        with self._lock:
            return tuple(self._voikko.analyze(word))

    def finnish_share(self, words: list[str]) -> float | None:
        return sum(1 for w in words if self._analyses(w)) / len(words) if words else None

    def names(self, text: str, classes: frozenset[str], skip_first: bool = False) -> list[str]:
        out = []
        for i, (_, _, token) in enumerate(_word_spans(_prepare(text))):
            if token[0].isupper() and not (skip_first and i == 0):
                for a in self._analyses(token):
                    if a.get("CLASS") in classes and a["BASEFORM"] not in out:
                        out.append(a["BASEFORM"])
        return out

    def sentence_starts(self, text: str) -> list[int] | None:
        # libvoikko's sentence API: each sentence's text (its trailing space included) and how
        # surely the next one starts there; "n. 10 milj. euroa" or "esim. Kela" are POSSIBLE
        # starts at most, a full stop before a capitalised word PROBABLE
        with self._lock:
            found = self._voikko.sentences(text)
        starts, at = [], 0
        for sentence in found:
            at += len(sentence.sentenceText)
            if sentence.nextStartType == self._probable and at < len(text):
                starts.append(at)
        return starts if at == len(text) else None  # (never seen: the pieces not the text)

    reads_clitic = True

    def asks_yes_no(self, text: str) -> bool:
        # Voikko reads the clitic off the word: "pantiinko", "onko", "hyväksyttiinkö", not
        # "Sadevesiverkko", "Koivikko", "Tilinpäätöstaulukko", "Marko", "Hanko"
        return any(a.get("KYSYMYSLIITE") == "true" for _, _, token in _word_spans(_prepare(text))
                   if not token[0].isdigit() for a in self._analyses(token.lower()))

    def bases(self, text: str) -> set[str]:
        return {base for _, _, token in _word_spans(_prepare(text)) if not token[0].isdigit()
                for a in self._analyses(token.lower())
                if (base := derivation_base(a.get("WORDBASES", "")))}

    def compounds(self, word: str) -> list[tuple[str, list[str]]]:
        return [(a.get("BASEFORM", word).lower(), part_words(a.get("WORDBASES", "")))
                for a in self._analyses(word.lower())]

    def is_verb(self, word: str) -> bool:
        # Voikko reads a participle as an adjective with its PARTICIPLE ("kasvanut":
        # laatusana, past_active); an agent participle is a noun ("poikkeama", "toteutuma": the
        # row's label) and an imperative reading no question's verb ("eroa": erota, or ero)
        return any((a.get("CLASS") == "teonsana" and a.get("MOOD") != "imperative")
                   or a.get("PARTICIPLE") in _VERB_PARTICIPLES for a in self._analyses(word.lower()))

    def source_verb(self, word: str) -> str | None:
        # Voikko's WORDBASES of the noun name its base ('+investoi(investoida)+n+ti(+ti)'), and
        # the base's own analyses say it is a verb (not "sähköinen" → sähkö, a noun)
        for a in self._analyses(word.lower()):
            base = derivation_base(a.get("WORDBASES", "")) if a.get("CLASS") == "nimisana" else None
            if base and any(b.get("CLASS") == "teonsana" for b in self._analyses(base)):
                return base
        return None

    def _analyse(self, word: str) -> tuple[str, ...]:
        analyses = self._analyses(word)
        if not analyses:
            return (self._snowball.stem(word, "fi"),)
        if all(a.get("CLASS") in _STOP_CLASSES or a.get("BASEFORM", "").lower() in _STOP_LEMMAS
               for a in analyses):
            return ()
        terms: list[str] = []
        for a in analyses:
            lemma = a.get("BASEFORM", word).lower()
            if lemma not in terms:
                terms.append(lemma)
            for part in compound_parts(a.get("WORDBASES", "")):
                if part not in terms:
                    terms.append(part)
        return tuple(terms)


def marked(words: list[tuple[int, int, tuple[str, ...]]], wanted: set[str]) -> list[list[int]]:
    """[start, end] of the `words` (from `Analyzer.words`) whose terms meet `wanted`."""
    return [[start, end] for start, end, terms in words if not wanted.isdisjoint(terms)]


def compound_parts(wordbases: str) -> list[str]:
    """Lemmas of the parts of a compound from Voikko's WORDBASES, or [] for a simple word.

    '+arkisto(arkisto)+toimi(toimi)' → ['arkisto', 'toimi']; derivational suffixes ('+n+ta(+ta)')
    are not parts; '+Kemijärvi(Kemi=järvi)' (a place name) is one word.
    """
    parts = []
    for chunk in wordbases.split("+"):
        m = re.fullmatch(r"([^()]+)\(([^()]*)\)", chunk)
        if m and not m.group(2).startswith("+") and m.group(2):
            parts.append(m.group(2).lower())
    return parts if len(parts) > 1 else []


def part_words(wordbases: str) -> list[str]:
    """The parts of a compound from Voikko's WORDBASES as words, each with its derivational
    suffixes, or [] for a simple word: '+terve(terve)+ys(+ys)+tarkast(tarkastaa)+us(+us)' →
    ['terveys', 'tarkastus'] (where `compound_parts` gives the roots terve and tarkastaa, which
    a report's "terveys" and "tarkastus" are not); a part without a suffix is its lemma
    ('+kaupungin(kaupunki)+johta(johtaa)+ja(+ja)' → ['kaupunki', 'johtaja']); a hyphen
    ('+hallinto(hallinto)+-+oikeus(oikeus)') only parts them. A prefix with no base form before
    a part begins that part ('+liiku(liikkua)+nta(+ta)+esi+opetus(opetus)' → ['liikunta',
    'esiopetus']); before a suffix it belongs to the part before it ('+lli' of
    '+tappio(tappio)+lli+nen(+nen)')."""
    parts: list[list] = []  # [written, lemma, suffixed]
    pieces = re.findall(r"\+([^+(]*)(?:\(([^)]*)\))?", wordbases)
    pending = ""  # prefixes of the next part
    for i, (written, base) in enumerate(pieces):
        if _is_base(base):
            parts.append([pending + written, pending + base, False])
            pending = ""
        elif not base and written != "-" and i + 1 < len(pieces) and _is_base(pieces[i + 1][1]):
            pending += written
        elif parts and written != "-":
            parts[-1][0] += written
            parts[-1][2] = True
    words = [(written if suffixed else lemma).lower() for written, lemma, suffixed in parts]
    return words if len(words) > 1 else []


def _is_base(base: str) -> bool:
    """Whether a WORDBASES piece's parenthesised form is a base form (not a suffix, not none)."""
    return bool(base) and not base.startswith("+")


def derivation_base(wordbases: str) -> str | None:
    """The word a derived word is made from, from Voikko's WORDBASES, or None for a word not
    derived: '+yli+jäämä(jäämä)+inen(+inen)' → 'ylijäämä', '+tappio(tappio)+lli+nen(+nen)' →
    'tappio', '+poist(poistaa)+o(+o)' → 'poistaa' (the parts before the last base as written,
    the last base as its lemma)."""
    chunks = wordbases.split("+")[1:]
    bases = [i for i, c in enumerate(chunks) if re.search(r"\([^+)][^)]*\)$", c)]
    if not bases or bases[-1] == len(chunks) - 1:
        return None
    last = bases[-1]
    lemma = chunks[last].split("(")[1].rstrip(")")
    return ("".join(c.split("(")[0] for c in chunks[:last]) + lemma).lower()


def _prepare(text: str) -> str:
    return join_hyphenation(clean(text))


_lock = threading.Lock()
_analyzers: dict[str, Analyzer] = {}


def get_analyzer(name: str = "auto") -> Analyzer:
    """The named analyzer ('voikko', 'snowball', 'plain'), or 'auto': Voikko where it loads."""
    with _lock:
        if name == "auto":
            try:
                return get_analyzer_unlocked("voikko")
            except (OSError, ImportError):
                return get_analyzer_unlocked("snowball")
        return get_analyzer_unlocked(name)


def get_analyzer_unlocked(name: str) -> Analyzer:
    if name not in _analyzers:
        classes = {"voikko": VoikkoAnalyzer, "snowball": SnowballAnalyzer, "plain": PlainAnalyzer}
        if name not in classes:
            raise ValueError(f"unknown analyzer '{name}' (choose voikko, snowball, plain or auto)")
        _analyzers[name] = classes[name]()
    return _analyzers[name]
