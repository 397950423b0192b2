"""Whether the corpus speaks of what a question asks about at all: a compound of the question
("äänestysprosentti", "kesäseteli", "padel-halli") that no passage of the places searched holds,
neither as the word nor as its parts together, is a topic the reports do not cover, and any
passage found answers something else (issue #16: "a topic whose words and lemmas are in no
passage").

A simple word is not tested: a report's word Voikko reads otherwise than the question's
("muotoiltu", "Lounea") would decline a question the reports answer (eval/RESULTS.md, #16
"Declining"); nor a unit of measure written out (`QueryReader.measure_unit`: "kilometriä",
which the reports print as "km"). A compound's part is met by a passage word that is the
part or begins or ends with it ("terveys" in "terveysneuvonta", "määräraha" in
"avustusmääräraha"): a report writes "Terveysneuvonta käynnit" for the question's
"terveysneuvontakäynnit".
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

import numpy as np

from api.index import ServedIndex
from api.query import QueryInfo
from api.storage import Selection

# a word, or words joined by hyphens ("padel-hallin", "Kumppanuustalo-toimintamallin"): the
# analyzer splits these at the hyphen; written so, they are one compound
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# a shorter part ("k" of "K-Supermarket") begins and ends too many words to say anything
MIN_AFFIX = 4


class Topics:
    def __init__(self, searcher: ServedIndex) -> None:
        self.searcher = searcher
        self.analyzer = searcher.analyzer
        # a question's parts recur ("palvelu" meets ~300 index terms): each expanded once
        self._part = lru_cache(maxsize=4096)(self._part_terms)

    def absent(self, info: QueryInfo, keep: Selection | None) -> str | None:
        """The first compound of a question (a Finnish question's words as written, an English or
        Swedish one's Finnish words, `QueryInfo.native`: "frisbeegolf") whose topic no passage
        that `keep` selects (None: the whole corpus) holds; None when every one is there."""
        scope = keep.mask if keep is not None else np.ones(self.searcher.n, dtype=bool)
        for written, readings in self._compounds(info):
            if not any(self.held(alternative, scope) for alternative in readings):
                return written
        return None

    def _compounds(self, info: QueryInfo) -> list[tuple[str, list[list[frozenset[str]]]]]:
        """(the word as written, its readings) of each compound content word (of a Finnish
        question one that meets `QueryInfo.content_terms`); a reading is a list of term sets,
        each of which one passage must meet: [{the compound's lemma}], or one set per part. A
        word with a simple reading is none."""
        out = []
        # an English or Swedish question's topic is in the Finnish words it keeps as written
        # (its other words are translated: the dictionary's senses, no compound of the reports')
        finnish = info.language == "fi"
        for written in (m.group(0) for m in _WORD.finditer(info.text)) if finnish else info.native:
            if finnish and not set(self.analyzer.terms(written)) & info.content_terms:
                continue
            if "-" in written:
                readings = [[self._part(p) for p in written.split("-")]]
            else:
                found = self.analyzer.compounds(written)
                if not found or any(not parts for _, parts in found) or \
                        info.reader is not None and info.reader.measure_unit(written):
                    continue  # (a simple word, or the unit a figure is counted in)
                readings = [r for lemma, parts in found
                            for r in ([frozenset({lemma})], [self._part(p) for p in parts])]
            out.append((written, readings))
        return out

    def _part_terms(self, part: str) -> frozenset[str]:
        """The terms that meet one part: its own (`Analyzer.terms`, its lemma first) and every
        index term beginning or ending with its lemma (`ServedIndex.sorted_terms`)."""
        own = self.analyzer.terms(part)
        if not own:
            return frozenset()
        lemma = own[0]
        if len(lemma) < MIN_AFFIX:
            return frozenset(own)
        terms, reversed_ = self.searcher.sorted_terms
        return frozenset(own) | _starting(terms, lemma) | \
            {t[::-1] for t in _starting(reversed_, lemma[::-1])}

    def held(self, reading: list[frozenset[str]], scope: np.ndarray) -> bool:
        """Whether one passage of `scope` (a mask of every passage) meets every set of a reading
        (one of its terms each)."""
        storage = self.searcher.storage
        tested = [terms for terms in reading if terms]  # (a part that is no term: nothing to test)
        if len(tested) == 1 and scope.all():
            # one set over every passage: a passage holds one of its terms (bm25s's idf is
            # positive, so each such passage scores above 0)
            return any((storage.doc_freq(t) or 0) > 0 for t in storage.known_terms(sorted(tested[0])))
        have = scope.copy()
        for terms in tested:
            known = storage.known_terms(sorted(terms))
            if not known:
                return False
            have &= storage.lexical_scores([(1.0, sorted(known))]) > 0
            if not have.any():
                return False
        return True


def _starting(terms: list[str], prefix: str) -> set[str]:
    """The terms of a sorted list that begin with `prefix`."""
    i = bisect.bisect_left(terms, prefix)
    out = set()
    while i < len(terms) and terms[i].startswith(prefix):
        out.add(terms[i])
        i += 1
    return out
