"""Finnish search terms for English and Swedish questions (dictionary-based query translation).

The reports are Finnish; an English or Swedish question shares no words with them but names and
numbers, and the small multilingual embedding model bridges the languages poorly on short table
rows. `data/glossary.tsv` maps municipal finance and administration phrases to the Finnish words
the reports use; a phrase matches when each of its stemmed words is a word of the question or,
in Swedish, from PREFIX letters on, begins one (compounds: arbetslös… → arbetslöshetsgraden, and
Snowball stems inflected and bare forms differently), and the question holds the function words
the phrase has besides ("below budget" is not every question of a budget, "laid off" not of
everyone laid). Of phrases one inside another where the longer is written, the longest is the
one meant ("support services" is tukipalvelu, not also tuki).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer.analyze import Analyzer

GLOSSARY = Path(__file__).parent / "data" / "glossary.tsv"
COLUMNS = {"en": 1, "sv": 2}
PREFIX = 5
# the languages whose phrase words also match as the start of a question's word: Swedish writes
# its compounds as one word (arbetslöshetsgraden); English writes them apart, so an English word
# beginning with a phrase's word is another word ("contractor" is no "contract", "residential"
# no "resident")
PREFIXED = frozenset({"sv"})
WORD = re.compile(r"[^\W\d_]+")
# function words that join a phrase's terms without changing what it names ("result for the
# financial period" is asked as "result of the financial period"): a phrase needs the question to
# hold only its other function words, the particles that do ("below budget", "laid off")
CONNECTIVES = {"en": frozenset({"the", "a", "an", "of", "for", "and", "at", "from", "to", "in", "on",
                                "with", "by"}),
               "sv": frozenset({"och", "i", "av", "för", "på", "en", "ett", "den", "det", "till",
                                "med", "om"})}


@dataclass(frozen=True)
class Entry:
    finnish: tuple[str, ...]  # analysed Finnish terms
    written: tuple[str, ...]  # the Finnish phrases as the reports write them ("muut toimintakulut")
    phrases: dict[str, tuple[frozenset[str], ...]]  # language → stemmed phrases
    # language → each phrase's function words (no terms of their own: "below", "off", "for")
    stops: dict[str, tuple[frozenset[str], ...]]


class Glossary:
    def __init__(self, analyzer: Analyzer, path: Path = GLOSSARY) -> None:
        self.entries: list[Entry] = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != 3:
                raise ValueError(f"{path}:{number}: expected 3 tab-separated columns, got {len(cols)}")
            finnish = tuple(dict.fromkeys(t for w in cols[0].split("|") for t in analyzer.terms(w)))
            kept = {lang: [p for p in cols[i].split("|") if analyzer.terms(p, lang)]
                    for lang, i in COLUMNS.items()}
            phrases = {lang: tuple(frozenset(analyzer.terms(p, lang)) for p in ps)
                       for lang, ps in kept.items()}
            stops = {lang: tuple(frozenset(w for w in WORD.findall(p.lower())
                                           if w not in CONNECTIVES[lang] and not analyzer.terms(w, lang))
                                 for p in ps)
                     for lang, ps in kept.items()}
            self.entries.append(Entry(finnish, tuple(cols[0].split("|")), phrases, stops))
        # language → phrase word → the entries with a phrase of that word, so that a question is
        # checked against the few phrases sharing a word with it, not against every entry
        self._by_word: dict[str, dict[str, set[int]]] = {lang: {} for lang in COLUMNS}
        for i, e in enumerate(self.entries):
            for lang, phrases in e.phrases.items():
                for word in set().union(*phrases):
                    self._by_word[lang].setdefault(word, set()).add(i)

    def one_word(self, term: str, lang: str) -> list[Entry]:
        """The entries with a phrase of that one stem ("intäkt": tulot), as a whole word: what a
        Swedish compound's last part is (`QueryReader.glossary_tail`: "ränte|intäkter")."""
        whole = frozenset({term})
        return [self.entries[i] for i in sorted(self._by_word.get(lang, {}).get(term, ()))
                if whole in self.entries[i].phrases[lang]]

    def finnish_terms(self, terms: list[str], lang: str, words: Iterable[str]) -> list[str]:
        """Finnish terms for the glossary phrases found among a question's `terms`."""
        return self.matches(terms, lang, words)[0]

    def matches(self, terms: list[str], lang: str, words: Iterable[str]) -> tuple[list[str], set[str]]:
        """(Finnish terms, the question's terms the matched phrases cover) for the glossary
        phrases found among a question's `terms` (`found`)."""
        entries, covered = self.found(terms, lang, words)
        return list(dict.fromkeys(t for e in entries for t in e.finnish)), covered

    def found(self, terms: list[str], lang: str, words: Iterable[str]) -> tuple[list[Entry], set[str]]:
        """(the entries, the question's terms their phrases cover) of the glossary phrases found
        among a question's `terms`; `words`, the question's words as written (any case), hold
        the function words a phrase has besides its terms."""
        if lang not in COLUMNS:
            return [], set()
        have = set(terms)
        # a phrase word is present as a term, or from PREFIX letters on as the start of one
        present = have | {t[:n] for t in have for n in range(PREFIX, len(t))} \
            if lang in PREFIXED else have
        by_word = self._by_word[lang]
        candidates = sorted({i for word in present for i in by_word.get(word, ())})
        written = {w.lower() for w in words}
        matched: list[tuple[Entry, list[frozenset[str]]]] = []
        used: set[str] = set()
        for e in (self.entries[i] for i in candidates):
            found = [p for p, stop in zip(e.phrases[lang], e.stops[lang], strict=True)
                     if p <= present and stop <= written]
            if found:
                used.update(*found)
                matched.append((e, found))
        # the longest phrase is the one meant: "support" inside "support services" is no tuki
        # (and its lemmas tukea, tukkia), "expenses" inside "operating expenses" no menot, "board"
        # inside "city board" no lautakunta; inside where the longer one is written, word by
        # word ("the operating income and the costs": "costs" is no part of "operating income")
        longer = [p for _e, found in matched for p in found]
        out = [e for e, found in matched
               if not all(_positions(p, terms) <= set().union(
                   *(_written_at(q, terms) for q in longer if _inside(p, q))) for p in found)]
        covered = {t for t in have if any(t == w or (lang in PREFIXED and t.startswith(w))
                                          for w in used)}
        return out, covered


def _inside(part: frozenset[str], phrase: frozenset[str]) -> bool:
    """Whether a phrase's stems are all words (or the starts of words) of a longer phrase."""
    return part != phrase and all(any(v == w or v.startswith(w) for v in phrase) for w in part) \
        and not all(any(w == v or w.startswith(v) for w in part) for v in phrase)


def _matches(word: str, term: str) -> bool:
    """Whether a phrase's stem is a question's term, or from PREFIX letters on begins it."""
    return term == word or (len(word) >= PREFIX and term.startswith(word))


def _positions(phrase: frozenset[str], terms: list[str]) -> set[int]:
    """The places in `terms` of a phrase's stems."""
    return {i for i, t in enumerate(terms) if any(_matches(w, t) for w in phrase)}


def _written_at(phrase: frozenset[str], terms: list[str]) -> set[int]:
    """The places in `terms` where a phrase is written: each run of terms next to each other
    (function words left out) that are its stems and hold them all."""
    out: set[int] = set()
    run: list[int] = []
    for i in [*sorted(_positions(phrase, terms)), -2]:
        if run and i != run[-1] + 1:
            if all(any(_matches(w, terms[j]) for j in run) for w in phrase):
                out.update(run)
            run = []
        run.append(i)
    return out
