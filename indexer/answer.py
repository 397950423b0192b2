"""Answers with citations: a table cell, the sentences of a passage, or an honest "not found".

`Answerer.ask` runs the hybrid search, then
- declines (`answer_type: none`) when the question names a place that is not a municipality of
  the corpus, a year no matching report covers, or when the evidence is weak — the best result
  holds less than MIN_RARE_COVERAGE of a Finnish question's idf-weighted terms (threshold set by
  eval/calibrate_answers.py on the dev set);
- answers with a `table_cell` when the question asks for a figure and a retrieved table row
  matches: the column is chosen from what the question says about the period ("tammi–kesäkuu
  2022" ↔ "Toteuma 1-6/2022", "syyskuun loppuun 2024" ↔ "TOT 2024 9 kk", "budjetti" ↔ "TA",
  "tilinpäätös" ↔ "TP", "ennuste" ↔ "TP-ENNUSTE", a year ↔ the header with that year);
- otherwise answers with the sentence(s) of the best passage that share most with the question,
  copied from the document (`passage`).
Every quote is a span of the document's text.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz

from indexer.metadata import PeriodCues, period_end_month
from indexer.search import FIGURE_WORDS, FOLLOW_UP, Hit, QueryInfo, Searcher
from indexer.textnorm import join_hyphenation

MAX_CELL_ANSWER = 400  # characters: a longer asked-for cell is answered by its best sentence
# Set on the dev set by eval/calibrate_answers.py: halfway between the lowest idf-weighted
# coverage of an answerable Finnish question whose best passage is a gold one (0.43) and the
# highest unanswerable one below it (0.10). Few points: re-run it as the question set grows.
MIN_RARE_COVERAGE = 0.27
PLACE_WEIGHT = 2  # extra overlap for a sentence naming the municipality the question names
# "who" is answered by a sentence naming an organisation or a person ("valitsi … Depona Ab:n")
_WHO = re.compile(r"\b(kuka|ketkä|kenet|keneltä|kenelle|kenen|ketä|keitä|mikä yritys|mikä yhtiö|"
                  r"who|whom|which company|vem|vilket företag)\b", re.I)
_ORGANISATION = re.compile(r"\b(?:Oyj?|Ab|AB|Ky|ry|Ltd|Inc|GmbH|kuntayhtymä\w*|liikelaitos\w*)\b")

# a sentence going on from the one before ("however", "therefore") belongs to its answer: a status
# without its "ei kuitenkaan ole vielä" says the opposite of the report
_GOES_ON = re.compile(r"(?:\S+\s+){0,5}?(?:kuitenkaan|kuitenkin|silti|siksi|tämän vuoksi|tästä "
                      r"syystä|näin ollen|however|therefore|dock|ändå|därför)\b", re.I)
_HEADING = re.compile(r"[^\W\d_]|(?<!\d)(?:19|20)\d\d(?!\d)")  # a letter or a year
# words the answerer matches to column headers (see period_cues) rather than to passage words
_HEADER_CUE = re.compile(r"talousarvi|budjet|tilinpäät|ennuste|toteu|prosent|paljon|määrä|summa|"
                         r"euro|budget|bokslut|forecast|prognos|actual|utfall|percent|procent")
_NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*\s*(?:%|prosent|milj|euro|€|henk|hlö)", re.I)
# sentence ends, tabs (cells) and line breaks (see _wrapped)
_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9\"”(–-])|\s*[\n\t]\s*")
# abbreviations no Finnish sentence ends with: "n. 10 milj. euroa" (noin), "esim. Kela", "klo 17"
_ABBREVIATION = re.compile(r"(?:^|(?<=[\s(]))(?:n|ns|esim|mm|vrt|ks|klo|milj|mrd|v|s|ts|ao|em)\.$",
                           re.IGNORECASE)
def column_score(header: str, cues: PeriodCues) -> float:
    """How well a column header fits what the question says about the period (higher is better)."""
    h = header.lower()
    score = 0.0
    years = [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", h)]
    if cues.years and years:
        score += 2.0 if set(years) & set(cues.years) else -2.0
    is_pct = "%" in h
    if is_pct != cues.percent:
        score -= 3.0
    is_budget = bool(re.search(r"\bta\b|talousarvio|alkuperäinen|budjetti|raami", h))
    is_statement = bool(re.search(r"\btp\b|tilinpäätös", h)) and "ennuste" not in h
    is_forecast = "ennuste" in h
    is_actual = bool(re.search(r"toteuma|\btot\b|toteutunut|toteutuma", h))
    month = period_end_month(h)
    if cues.end_month is not None:
        if month == cues.end_month:
            score += 3.0
        elif month is not None:
            score -= 1.0
    score += 1.5 * (cues.budget and is_budget) - 1.0 * (is_budget and not cues.budget)
    score += 1.5 * (cues.statement and is_statement) - 0.5 * (is_statement and not cues.statement)
    score += 1.5 * (cues.forecast and is_forecast) - 1.0 * (is_forecast and not cues.forecast)
    score += 1.0 * (cues.actual and is_actual)
    if "muutet" in h or "muutos" in h or "jäljellä" in h or h.startswith("ero"):
        score -= 0.5
    return score


def pick_column(columns: list[str], cells: list[dict], cues: PeriodCues) -> int | None:
    """Index of the best column with a value in this row; ties go to the leftmost."""
    best, best_score = None, float("-inf")
    for i, (header, cell) in enumerate(zip(columns, cells, strict=False)):
        # a figure without a real column heading (a word or a year, not other figures) cannot say
        # what it is: the table was garbled
        if not cell.get("text") or cell.get("number") is None or not _HEADING.search(header or ""):
            continue
        s = column_score(header or "", cues)
        if s > best_score:
            best, best_score = i, s
    return best


def _wrapped(text: str, m: re.Match) -> bool:
    """A line break inside a sentence wrapped onto the next line: the next line goes on in lower
    case, or a word is followed by a number ("toimintakate oli\n-21,05 milj. euroa")."""
    if "\n" not in m.group(0) or "\t" in m.group(0) or m.end() >= len(text) or m.start() == 0:
        return False
    before, after = text[m.start() - 1], text[m.end():m.end() + 2]
    return after[0].islower() or (before.isalpha() and bool(re.match(r"[-–]?\d", after)))


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences (and table cells / lines) of a text."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if _wrapped(text, m) or _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()):
            continue
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


class Answerer:
    def __init__(self, searcher: Searcher) -> None:
        self.searcher = searcher
        self.analyzer = searcher.analyzer
        self.table = searcher.table
        self._place_terms = set().union(*searcher.municipality_terms.values())

    # -- evidence ------------------------------------------------------------------------------

    def unknown_places(self, question: str, info: QueryInfo) -> list[str]:
        places = self.analyzer.place_names(question)
        return [p for p in places if p.lower() not in self._place_terms and not info.municipalities]

    def content_terms(self, info: QueryInfo) -> set[str]:
        """The question's terms that passage or row words must meet: without years, places (and
        the region named after one) and period or column words ("tammi–kesäkuu", "vuonna",
        "talousarviossa", "paljonko"), which meet table headers ("1-6/2023", "TA 2023") or are
        checked apart."""
        cues = {w for w in re.findall(r"[^\W\d_]+", info.text.lower()) if _HEADER_CUE.match(w)}
        skip = set(self.analyzer.terms(" ".join(cues))) | self.place_terms(info) | info.period_terms
        return {t for t in info.terms if not t.isdigit() and t not in skip}

    def place_terms(self, info: QueryInfo) -> set[str]:
        """The terms of the places a question names ("Seinäjoen seutukunnassa": seinäjoki, seinä,
        joki, seutukunta…) and of every municipality of the corpus."""
        return set(self.analyzer.terms(" ".join(self.searcher.place_words(info.text)))) | \
            self._place_terms

    def rare_coverage(self, info: QueryInfo, n: int) -> float:
        """Share of the question's content term weight (BM25 idf: rare words weigh most) found
        in passage n; a question whose rarest words the best passage lacks asks something else."""
        terms = self.content_terms(info)
        total = math.fsum(self.searcher.idf(t) for t in terms)  # (fsum: see Searcher.rank)
        if not total:
            return 1.0
        have = set(self.analyzer.terms(self.searcher.passages[n]["text"]))
        return math.fsum(self.searcher.idf(t) for t in terms & have) / total

    def year_covered(self, info: QueryInfo, hits: list[Hit]) -> bool:
        if not info.years:
            return True
        for h in hits[:10]:
            p = self.searcher.passages[h.n]
            doc = self.searcher.docs[p["doc_id"]]
            if doc.year in info.years or any(str(y) in p["text"] or str(y) in (p["section"] or "")
                                             for y in info.years):
                return True
        return False

    # -- the answer ----------------------------------------------------------------------------

    def ask(self, question: str, municipality: str | None = None, year: int | None = None,
            k: int = 5, doc_type: str | None = None,
            ranking: Callable[[str], list[int]] | None = None) -> dict[str, Any]:
        """The answer to a question. `ranking` (passage rows, best first, for the question) stands
        in for the searcher's ranking: the benchmark answers from each peer's results with it."""
        t0 = time.perf_counter()
        s = self.searcher
        info, filters, keep = s.prepare(question, municipality, year, doc_type)
        if ranking is None:
            hits = s.collapse(s.rank(info, keep), max(k, 10))
        else:  # a peer's order, its scores unknown here: rank order alone
            hits = [Hit(n, 1.0 - 0.01 * r, 0.0, 0.0) for r, n in enumerate(ranking(question))]
        results = [s.result_json(r, h, info) for r, h in enumerate(hits[:k], 1)]
        out: dict[str, Any] = {"question": question, "language": info.language, "found": False,
                               "answer": None, "answer_type": "none", "value": None,
                               "citations": [], "results": results, "filters": filters}
        declined = self._decline_reason(question, info, hits)
        if declined is None:
            cell = self._table_cell(question, info, hits) if self._wants_figure(question, hits) else None
            if cell is None:
                cell = self._passage(info, hits)
            if cell is not None:
                out.update(cell, found=True)
            else:
                declined = ("no_answer", "no passage answers the question")
        if declined:
            out["reason_code"], out["reason"] = declined
        out["took_ms"] = round((time.perf_counter() - t0) * 1000, 1)
        return out

    def _decline_reason(self, question: str, info: QueryInfo,
                        hits: list[Hit]) -> tuple[str, str] | None:
        """Why the corpus does not answer: (code, message), or None when it may."""
        if not hits:
            return "no_match", "nothing in the corpus matches"
        unknown = self.unknown_places(question, info)
        if unknown:
            return "unknown_place", (f"the corpus has no reports of {', '.join(unknown)} (it "
                                     f"covers {', '.join(self.searcher.municipalities)})")
        if not self.year_covered(info, hits):
            return "uncovered_year", f"no matching report covers {', '.join(map(str, info.years))}"
        top = hits[0]
        # only Finnish questions: an English or Swedish question's own words are not in the
        # Finnish index at all (only its glossary terms are), so the share would say nothing
        if info.language == "fi" and self.rare_coverage(info, top.n) < MIN_RARE_COVERAGE:
            return "weak_evidence", ("the evidence is too weak: the best passage lacks the "
                                     "question's distinctive words")
        return None

    def _wants_figure(self, question: str, hits: list[Hit]) -> bool:
        """A figure is asked for in words, or the best evidence that is not a table summary is a
        table row with numbers."""
        if FIGURE_WORDS.search(question):
            return True
        for h in hits[:3]:
            p = self.searcher.passages[h.n]
            if p["kind"] == "table":
                continue
            return p["kind"] == "table_row" and self._row_has_numbers(p)
        return False

    def _row_has_numbers(self, p: dict) -> bool:
        row = self.table(p["table_id"])["rows"][p["row_index"]]
        return any(c.get("number") is not None for c in row["cells"])

    def _table_cell(self, question: str, info: QueryInfo, hits: list[Hit]) -> dict | None:
        s = self.searcher
        cues = info.cues  # read once, by the searcher
        asked = self.content_terms(info)
        # a row meeting less of the question than the best narrative passage answers something
        # else ("lomautettujen määrä Seinäjoen seutukunnassa": the table counts the unemployed,
        # the text beside it the laid off)
        prose = max((self.rare_coverage(info, h.n) for h in hits[:3]
                     if s.passages[h.n]["kind"] == "passage"), default=0.0)
        best = None
        for rank, h in enumerate(hits[:10]):
            p = s.passages[h.n]
            if p["kind"] != "table_row" or self.rare_coverage(info, h.n) < prose:
                continue
            table = self.table(p["table_id"])
            row = table["rows"][p["row_index"]]
            col = pick_column(table["columns"], row["cells"], cues)
            if col is None or not self._row_named(row, table, asked):
                continue
            # a question stating how far the period runs ("heinäkuun loppuun") is answered by a
            # column of that period, or by one stating none in a report or section of that period
            if cues.end_month is not None and cues.end_month != (
                    period_end_month(table["columns"][col] or "") or s.period_end(h.n)):
                continue
            label = row["label"] or ""
            label_match = fuzz.partial_ratio(label.lower(), question.lower()) / 100 if label else 0
            fit = column_score(table["columns"][col] or "", cues)
            score = h.score + 0.3 * label_match + 0.05 * fit - 0.02 * rank
            if best is None or score > best[0]:
                best = (score, h, p, table, row, col)
        if best is None:
            return None
        _, h, p, table, row, col = best
        cell = row["cells"][col]
        header = table["columns"][col] or ""
        doc = s.docs[p["doc_id"]]
        unit = cell.get("unit") or table.get("unit")
        value_text = cell["text"] + (f" {unit}" if unit and unit not in cell["text"] else "")
        label = " › ".join([g for g in row["groups"] if g] + [row["label"] or ""])
        answer = f"{label}, {header}: {value_text} ({doc.municipality}, {doc.title}"
        answer += f", s. {p['page']})" if p["page"] else ")"
        quote = " ".join(s.text_span(p["doc_id"], row["start"], row["end"]).split())
        return {
            "answer": answer,
            "answer_type": "table_cell",
            "value": {"text": cell["text"], "number": cell["number"], "unit": unit},
            "table": {"id": table["id"], "title": table["title"], "row_index": p["row_index"],
                      "row_label": row["label"], "column": header, "column_index": col},
            "citations": [self._citation(p, quote, row["start"], row["end"])],
        }

    def _row_named(self, row: dict, table: dict, asked: set[str]) -> bool:
        """Whether the question names what the row is (its label, group rows or table title share
        a word with it): a figure from a row the question does not name answers something else."""
        words = " ".join([row["label"] or "", *(g for g in row["groups"] if g), table["title"] or ""])
        return bool(asked & set(self.analyzer.terms(words)))

    def _passage(self, info: QueryInfo, hits: list[Hit]) -> dict | None:
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
        # a row's printed text (its passage text is the row read out with headers)
        text = p["text"] if p["kind"] == "passage" else s.text_span(p["doc_id"], p["start"], p["end"])
        # the place is weighed apart (PLACE_WEIGHT), where it tells sentences apart
        wanted = set(info.terms) - self.place_terms(info)
        place = {t for m in info.municipalities for t in s.municipality_terms.get(m, ())}
        content = self.content_terms(info)
        figure = bool(FIGURE_WORDS.search(info.text) or re.search(r"prosent|percent|procent",
                                                                   info.text, re.I))
        asked = self._asked_cell(p, text, info) if p["kind"] == "table_row" else None
        spans = sentences(text)
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
        who = bool(_WHO.search(info.text))
        agents = [not who or bool(_ORGANISATION.search(text[a:b]))
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
        while a < b and text[a].isspace():
            a += 1
        quote = " ".join(text[a:b].split())
        says = bool(set(self.analyzer.terms(quote)) - set(info.terms))
        return {"answer": join_hyphenation(quote), "answer_type": "passage", "value": None,
                "citations": [self._citation(p, quote, p["start"] + a, p["start"] + b)]}, says

    def _asked_cell(self, p: dict, row_text: str, info: QueryInfo) -> tuple[int, int] | None:
        """[start, end) in the printed row of the cell the question asks for: its follow-up cell
        (toteuma, tilanne, arviointi) when it asks how something stands; else a cell whose column
        the question names ("…mittari", "…toimenpiteet"), or failing that the row's label when
        the question names the label column ("…tavoite" under "Toiminnalliset tavoitteet");
        None otherwise."""
        table = self.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        named = set(info.terms) - set(self.analyzer.terms(row["label"] or ""))
        spans, pos = [], 0
        columns = [(True, table.get("label_header") or "", row["label"] or "")]
        columns += [(False, h or "", c.get("text") or "") for h, c in
                    zip(table["columns"], row["cells"], strict=False)]
        for is_label, header, text in columns:
            if not text.split():
                continue
            # where the cell stands in the printed row (its words, any whitespace between)
            m = re.compile(r"\s+".join(map(re.escape, text.split()))).search(row_text, pos)
            if m is not None:
                pos = m.end()
                spans.append((is_label, header, m.start(), m.end()))
        for want_label in (False, True):  # a named data column first, then the label column
            for is_label, header, a, b in spans:
                if is_label != want_label or not header or (info.status and is_label):
                    continue
                if FOLLOW_UP.search(header) if info.status else named & set(self.analyzer.terms(header)):
                    return a, b
        return None

    def _citation(self, p: dict, quote: str, start: int, end: int) -> dict[str, Any]:
        return {"document": self.searcher.docs[p["doc_id"]].as_json(), "page": p["page"],
                "section": p["section"], "quote": quote, "passage_id": p["id"], "kind": p["kind"],
                "start": start, "end": end}
