"""Answers in the report's own words: the sentence(s) of the best passage or text row that share
most with the question, copied from the document.

Content words count double; a sentence naming the asked municipality weighs more where the
passage also names other places, and one naming only other places loses; a figure question
prefers a sentence with a figure, a "who" question one naming an organisation or a person; the
next sentence joins when it goes on from the chosen one ("…ei kuitenkaan ole vielä tehty"); from
a goal-table row, the whole cell the question asks for (`Cells.asked`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from api import render
from api.cells import YEAR
from api.index import Hit
from api.query import QueryInfo
from api.search import Searcher
from indexer.analyze import Analyzer
from indexer.sentences import sentences
from indexer.textnorm import join_hyphenation

MAX_CELL_ANSWER = 400  # characters: a longer asked-for cell is answered by its best sentence
PLACE_WEIGHT = 2  # extra overlap for a sentence naming the municipality the question names
# an organisation by the form of a firm printed after its name (case as printed: "ab" inside a
# word is none) or a municipal one by its word; an association (ry) or a foreign firm acts too,
# which the group's companies of `query.NAMES_GROUP` (a question naming the group) leave out
_ORGANISATION = re.compile(r"\b(?:Oyj?|Ab|AB|Ky|ry|Ltd|Inc|GmbH|kuntayhtymä\w*|liikelaitos\w*)\b")
# a sentence going on from the one before ("however", "therefore") belongs to its answer: a status
# without its "ei kuitenkaan ole vielä" says the opposite of the report
_GOES_ON = re.compile(r"(?:\S+\s+){0,5}?(?:kuitenkaan|kuitenkin|silti|siksi|tämän vuoksi|tästä "
                      r"syystä|näin ollen|however|therefore|dock|ändå|därför)\b", re.I)
_NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*\s*(?:%|prosent|milj|euro|€|henk|hlö)", re.I)

AskedCell = Callable[[dict, str, QueryInfo], "tuple[int, int] | None"]


def printed(searcher: Searcher, p: dict) -> str:
    """A passage's text, or a table row's printed text (its passage text is the row read out
    with headers)."""
    return p["text"] if p["kind"] == "passage" else searcher.text_span(p["doc_id"], p["start"], p["end"])


def says_words(analyzer: Analyzer, text: str) -> list[str]:
    """The words `text` says: its terms of two letters or more that are no number."""
    return [t for t in analyzer.terms(text) if len(t) > 1 and not t[0].isdigit()]


def answer_spans(analyzer: Analyzer, text: str) -> list[tuple[int, int]]:
    """The sentences of a passage's printed `text` that can answer: those holding a word or a
    figure. A mark alone ("k/e", "x", "–") in a table's cell states nothing."""
    return [(a, b) for a, b in sentences(text, analyzer.sentence_starts)
            if any(ch.isdigit() for ch in text[a:b]) or says_words(analyzer, text[a:b])]


class Prose:
    """Sentence answers over a searcher's passages; `asked_cell` finds the cell of a goal-table
    row the question names (`Cells.asked`)."""

    def __init__(self, searcher: Searcher, asked_cell: AskedCell) -> None:
        self.searcher = searcher
        self.analyzer = searcher.analyzer
        self.asked_cell = asked_cell

    def answer(self, info: QueryInfo, hits: list[Hit]) -> dict | None:
        """The sentence(s) of the best passage or text row that share most with the question."""
        s = self.searcher
        near = [h for h in hits[:5] if s.passages[h.n]["kind"] != "table"] or hits[:1]
        # a question stating how far the period runs is answered from the report of that period
        # ("heinäkuun loppuun": not the first quarter's table that ranked above it)
        end = info.cues.end_month
        near.sort(key=lambda h: end is None or s.period_end(h.n) != end)  # stable: rank kept
        first = None
        for h in near[:2]:
            found = self._sentence(info, h)
            if found is None:
                continue
            answer, says = found
            if says:
                return answer
            # a passage whose best line only repeats the question's words (a list of headings
            # "Kumppanuustalo –toimintamalli") tells nothing: the next one may
            first = first or answer
        return first

    def _sentence(self, info: QueryInfo, hit: Hit) -> tuple[dict, bool] | None:
        """The answer from one passage or row, and whether it says anything the question does
        not (a word of its own)."""
        s = self.searcher
        p = s.passages[hit.n]
        text = printed(s, p)
        asked = self.asked_cell(p, text, info) if p["kind"] == "table_row" else None
        spans = answer_spans(self.analyzer, text)
        scored = self._scored(info, text, spans, asked)
        if not scored:
            return None
        top = max(scored)
        a, b = top[4], top[5]
        after = spans[-top[3] + 1] if -top[3] + 1 < len(spans) else None  # the next sentence
        if asked is not None and asked[1] - asked[0] <= MAX_CELL_ANSWER:
            a, b = asked  # the whole cell answers: all of its follow-up, measure or action
        elif top[2] == 0:  # nothing shared (another language): the passage's opening sentences
            a, b = scored[0][4], scored[min(1, len(scored) - 1)][5]
        elif after and _GOES_ON.match(text[after[0]:after[1]]):
            b = after[1]  # "…on edistetty. Päätöstä ei kuitenkaan ole vielä tehty."
        answer = self.span_answer(p, text, a, b)
        says = bool(set(self.analyzer.terms(answer["citations"][0]["quote"])) - set(info.terms))
        return answer, says

    def span_answer(self, p: dict, text: str, a: int, b: int) -> dict:
        """The answer quoting [a, b) of passage p's printed text."""
        while a < b and text[a].isspace():
            a += 1
        quote = " ".join(text[a:b].split())
        return {"answer": join_hyphenation(quote), "answer_type": "passage", "value": None,
                "citations": [render.citation(self.searcher, p, quote, p["start"] + a,
                                              p["start"] + b)]}

    def sentence_answer(self, p: dict, a: int, b: int, starts=None) -> dict:  # noqa: ANN001
        """The answer quoting the sentence [a, b) of passage p, with the next sentence where it
        goes on from it ("…ei kuitenkaan ole vielä tehty")."""
        text = printed(self.searcher, p)
        after = next(((x, y) for x, y in sentences(text, starts) if x >= b), None)
        if after and _GOES_ON.match(text[after[0]:after[1]]):
            b = after[1]
        return self.span_answer(p, text, a, b)

    def _scored(self, info: QueryInfo, text: str, spans: list[tuple[int, int]],
                asked: tuple[int, int] | None) -> list[tuple]:
        """(not about elsewhere, names an agent, overlap, −position, start, end) per sentence."""
        s = self.searcher
        # the place is weighed apart (PLACE_WEIGHT), where it tells sentences apart
        wanted = set(info.terms) - info.place_terms
        # (a former municipality of the asked town is the town's own: "Nurmon lukiossa" in
        # Seinäjoki's report)
        place = s.query_reader.own_terms(info.municipalities)
        content = info.content_terms
        figure = info.figure or info.percent
        # the passages are Finnish whatever the question's language (its terms include the
        # glossary's Finnish words); a derived word also gives the word it is made of
        # ("ylijäämäiseksi" meets "ylijäämä")
        words_of = [set(self.analyzer.terms(text[a:b])) | self.analyzer.bases(text[a:b])
                    for a, b in spans]
        others = [bool(place) and any(n.lower() not in place for n in
                                      self.analyzer.place_names(text[a:b])) for a, b in spans]
        # naming the asked place tells sentences apart only where the passage names other places
        # too (Seinäjoki's statement quoting Kauhava); in Kauhava's own text every sentence is
        # about Kauhava, and the one that says its name is not thereby the answer
        place_matters = any(others)
        place_named = any(place & words for words in words_of)
        # a "who" question: among the sentences naming someone, where the passage has any
        agents = [not info.who or bool(_ORGANISATION.search(text[a:b]))
                  or self.analyzer.names_person(text[a:b]) for a, b in spans]
        if not any(agents):
            agents = [True] * len(spans)
        scored = []
        for i, ((a, b), words, other, agent) in enumerate(zip(spans, words_of, others, agents,
                                                             strict=True)):
            # content words count double; years, periods and the like break ties
            overlap = 2 * len(content & words) + len((wanted - content) & words)
            if place_matters and place & words:
                overlap += PLACE_WEIGHT  # a sentence naming the place asked about is about it
            if figure and _NUMBER.search(text[a:b]):
                overlap += 1  # a question asking for a figure is answered by a sentence with one
            # …and one naming only other places ("Etelä-Pohjanmaan työttömyysaste") is not, where
            # another sentence names the asked one ("Itä-Lapin maaseutuhallinnon…" in a report of
            # Kemijärvi that never names Kemijärvi has no such rival)
            elsewhere = other and place_named and not place & words
            if asked is not None and asked[0] <= a < asked[1]:
                overlap += 100  # the cell the question asks for (follow-up, measure, action…)
            scored.append((not elsewhere, agent, overlap, -i, a, b))
        return scored


# the whole country, a region (maakunta) or a subregion (seutukunta): an area wider than a
# municipality, whose figure is not a municipality's (maakunta, -kunnan, -kuntien)
WIDER = re.compile(r"\bkoko (?:maa|suom)\w*|\b(?:valta|maa|seutu)kun\w*", re.I)
# Finland's regions (maakunnat) as Voikko gives their lemma, by the last part of a compound
# name ("Etelä-Pohjanmaa" → pohjanmaa, "Päijät-Häme" → häme, "Keski-Suomi" → suomi; Suomi itself
# is the whole country)
_REGIONS = frozenset(("uusimaa", "satakunta", "häme", "pirkanmaa", "kymenlaakso", "karjala", "savo",
                      "pohjanmaa", "kainuu", "lappi", "ahvenanmaa", "suomi"))
_FIGURE_NUMBER = re.compile(r"\d+")


def about_elsewhere(analyzer: Analyzer, said: str, place: set[str], other_towns: set[str] | frozenset[str],
                    row_label: bool = False) -> bool:
    """Whether a sentence states what is asked of another area than the place (`place`: its
    terms): it opens on the whole country, a region or another town (`other_towns`: every town's
    terms will do, the place's own never counting, as a sentence naming the place is not elsewhere)
    before its figure ("Koko maassa työttömyysaste oli 10,4 %.", "Vuoden 2024 lopussa koko maan
    työttömyysaste oli 12,0 %, Etelä-Pohjanmaalla 8,9 %") and does not name the place; or a
    row of a table of places (`row_label`: its label) is another's ("Koko maa", "Seinäjoki"
    beside "Lapua")."""
    if not row_label:
        figure = next((m.start() for m in _FIGURE_NUMBER.finditer(said)
                       if not YEAR.fullmatch(m.group())), len(said))
        said = said[:figure]  # the area named before the figure is the one whose figure it is
    named = {n.lower() for n in analyzer.place_names(said)}
    if place & (named | set(analyzer.terms(said))):
        return False
    return bool(WIDER.search(said)) or any(
        n in other_towns or n.rsplit("-", 1)[-1] in _REGIONS for n in named)
