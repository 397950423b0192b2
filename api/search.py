"""Hybrid retrieval over a served index: filters, ranking, collapse, the `/api/search` response.

Ranking (`Searcher.rank`): the top lexical and top dense candidates are pooled; each score is
normalised (lexical as the share of the query's idf weight matched, dense as the cosine above the
POOL-th nearest passage's in units of DENSE_SCALE) and combined as a convex combination
`w·dense + (1−w)·lexical`. Bruch et al.
(2023, "An Analysis of Fusion Functions for Hybrid Retrieval") show this beats reciprocal-rank
fusion, which throws the score gaps away; on our dev set and TyDi QA fi it does too
(eval/RESULTS.md, where `w` is swept).
What the query states (`api/query.py`) is used: a municipality named in it (any case form:
"Kemin") filters to that municipality's own documents; a year or document type boosts matching
documents. Explicit filters: municipality, year, doc_type, body (toimielin, any letter case) and
date_from/date_to (ISO days, inclusive, on the meeting day, else overlapping a report's period).
Near-duplicates (the agenda and the minutes of one meeting) are collapsed into one
result listing both sources (`api/collapse.py`).
"""

from __future__ import annotations

import math
import re
import time
from datetime import date
from typing import Any

import numpy as np

from api import collapse, facets, render
from api.index import Hit, ServedIndex
from api.query import QueryInfo, asks_decision, asks_routine
from api.storage import Selection
from indexer.errors import KuntahakuError

POOL = 100  # candidates taken from each of the lexical and the dense list
TABLE_SUMMARY_PRIOR = 0.8  # a table's label list matches broadly; its rows are the answers
# "why / how" questions are answered by prose; a table row matching their words is rarely it
NARRATIVE_ROW_PRIOR = 0.9
# routine §s every minutes repeats and appeal instructions (`indexer/minutes.py`): found when
# asked for by their own words, below any § that matches as well — but for a question about
# the routine itself (`asks_routine`: "Mihin … voi valittaa?", "Kenelle … tehdään
# oikaisuvaatimus?"), whose answer they are
BOILERPLATE_PRIOR = 0.5
# month and period words ("kesäkuun lopussa") count at this weight in lexical scores
PERIOD_WEIGHT = 0.25  # swept on the dev set (1, 0.5, 0.25): 11, 11, 10 misses; TyDi unchanged
# "Paljonko verotulot kasvoivat…", "…ylittivät talousarvion": the verb asking a difference is
# the prose's word ("kasvoivat 1,6 prosenttia"); a table row states the difference in a column
# ("Muutos", "Poikkeama", "Vuosimuutos") and holds no such verb. Counted in full, the verb (idf
# 5–7, above most labels) lifted any sentence saying it over the row (eval/gold_ranks.py: 14 of
# the 47 Finnish questions whose gold ranked past the chooser's 8 asked a difference by a verb).
# At a period word's weight; the column words as extra terms at this weight were tried and
# dropped (figure right −1 on train, −2 on more: eval/RESULTS.md)
DIFFERENCE_WEIGHT = PERIOD_WEIGHT
YEAR_BOOST = 0.04
DOC_TYPE_BOOST = 0.04
# "mitä tarkastuslautakunta päätti …": the minutes of the body that decided. Only in a question
# about a decision: elsewhere a body named is what is reported on ("sivistyslautakunnan
# toimintakate" stands in the city board's report), and lifting its own minutes cost two dev
# questions
BODY_BOOST = 0.04
FOLLOW_UP_BOOST = 0.04  # a status question lifts passages under a follow-up heading
# "kaupunginhallituksen äänestys 2.12.2024 (§ 357)": a § named by its number (and the meeting's
# day, where named) is the one asked about: its passages come first
ITEM_REF_BOOST = 0.5
# "Kuka oli Lapuan tarkastuslautakunnan puheenjohtaja joulukuussa 2024?", "…kaupunginhallituksen
# kokouksesta 7.4.2025": a body and a day (or month) name one meeting, whose minutes a who question
# asks about, and so does a decision question (`QueryInfo.decided_at_meeting`: "Mitä … päätti …
# kesäkuussa 2024?" names the month the decision was taken in). Not every question:
# "hyvinvointilautakunnan toimintakulujen toteuma tammikuu 2025" names the month reported on, in
# the next month's minutes (minutes m09, m05 lost so)
MEETING_BOOST = 0.1
# and of that meeting, a who question is of its record (`QueryInfo.asks_meeting`)
RECORD_BOOST = 0.1
# "kesäkuun lopussa" ↔ a heading "toteutumaraportti 1.1.-30.6.2025": the report of that period
PERIOD_END_BOOST = 0.04
# A passage's dense evidence is its cosine above the POOL-th nearest passage's, in units of
# DENSE_SCALE (not min–max over the list, which stretches the 0.03 spread of a corpus of look-alike
# reports as far as the 0.13 of Wikipedia articles: eval/RESULTS.md)
DENSE_SCALE = 0.1


class Searcher(ServedIndex):
    """An opened index that ranks: `search` is the `/api/search` call."""

    def understand(self, query: str, language: str | None = None) -> QueryInfo:
        return self.query_reader.read(query, language)

    def mask(self, municipality: str | None = None, year: int | None = None,
             doc_type: str | None = None, body: str | None = None,
             date_from: str | None = None, date_to: str | None = None) -> Selection | None:
        """The passages the filters keep (None: all). `body` is a known body's name as the index
        spells it; the dates (ISO, inclusive) keep documents whose span (`DocInfo.date_span`:
        the meeting day, else the reporting period) overlaps them, none without a date."""
        keep = np.ones(self.n, dtype=bool)
        if municipality:
            keep &= self._municipality == municipality
        if year:
            keep &= self._year == year
        if doc_type:
            keep &= self._doc_type == doc_type
        if body:
            keep &= self._body == body
        if date_from or date_to:
            keep &= self._date_first > 0
        if date_from:
            keep &= self._date_last >= date.fromisoformat(date_from).toordinal()
        if date_to:
            keep &= self._date_first <= date.fromisoformat(date_to).toordinal()
        if keep.all():
            return None
        return Selection({"municipality": municipality, "year": year, "doc_type": doc_type,
                          "body": body, "date_from": date_from, "date_to": date_to}, keep)

    def prepare(
        self, query: str, municipality: str | None = None, year: int | None = None,
        doc_type: str | None = None, language: str | None = None, *, body: str | None = None,
        date_from: str | None = None, date_to: str | None = None,
    ) -> tuple[QueryInfo, dict[str, Any], Selection | None]:
        """Understand a query and settle its filters: (info, filters applied, passage mask)."""
        info = self.understand(query, language)
        filters = self.filters(info, municipality, year, doc_type, body, date_from, date_to)
        if filters["municipality"] is not None:
            # every passage left belongs to it: its name would only reward passages repeating it
            drop = self.municipality_terms.get(filters["municipality"], set())
            info.terms = [t for t in info.terms if t not in drop] or info.terms
        return info, filters, self.mask(**filters)

    def rank(
        self, info: QueryInfo, keep: Selection | None, dense_weight: float | None = None,
        dense_only: bool = False, dense_scale: float = DENSE_SCALE,
    ) -> list[Hit]:
        """All pooled candidates, best first (`dense_only` is the dense peer in eval/)."""
        if self.n == 0:
            return []
        w = self.settings.dense_weight if dense_weight is None else dense_weight
        lex = self._lexical_scores(info)
        if keep is not None:
            lex = np.where(keep.mask, lex, 0.0)
        lex_top = [int(i) for i in np.argsort(-lex)[:POOL] if lex[i] > 0]
        qvec = self._query_vector(info.text)
        dense_ids, dense_scores = self._dense_top(qvec, keep)
        if keep is None:
            info.dense_unfiltered = dense_ids  # the facets count the same neighbours
        pool = list(dict.fromkeys(([] if dense_only else lex_top) + dense_ids))
        if info.asks_meeting and not dense_only:
            pool = list(dict.fromkeys(pool + self._meeting_record(info, keep)))
        if not pool:
            return []
        cos = self.storage.vectors(pool) @ qvec[0]
        # lexical as the share of the query's term weight a passage matches (BM25 over the sum of
        # the terms' idf, at most 1): a passage matching only a common word stays low even when
        # it is the best lexical match, where dividing by the best score would lift it to 1
        # (fsum: exactly rounded in any order — a set's order changes with the hash seed, and
        # a last-bit difference would reorder tied passages from one process to the next)
        ideal = math.fsum(self.idf(t) * self.weight(info, t) for t in set(info.terms))
        floor = float(dense_scores[-1]) if dense_scores else float(cos.min())
        # every candidate at once, in float64 (the same arithmetic as one at a time)
        ids = np.asarray(pool)
        dense = cos.astype(np.float64)
        ln = np.minimum(1.0, lex[ids].astype(np.float64) / ideal) if ideal > 0 else np.zeros(len(ids))
        if dense_only:
            score = dense
        else:
            dn = np.maximum(0.0, (dense - floor) / dense_scale)
            meeting = self._of_meeting(ids, info) \
                if info.asks_meeting or info.decided_at_meeting else None
            score = w * dn + (1 - w) * ln + self._boosts(ids, info, meeting)
            kind = self._kind[ids]
            score *= np.where(kind == "table", TABLE_SUMMARY_PRIOR,
                              np.where(info.narrative & (kind == "table_row"), NARRATIVE_ROW_PRIOR, 1.0))
            routine = self._boilerplate[ids]
            if meeting is not None and info.asks_meeting:
                # the meeting's own record (who was present, chaired, checked the minutes: the
                # routine §s) is what is asked, before the §s of its agenda
                record = (routine | self._attendance[ids]) & meeting
                routine = routine & ~record
                score += np.where(record, RECORD_BOOST, 0.0)
                # and who was there in what role, its attendance list, most of all
                score += np.where(meeting & self._attendance[ids], RECORD_BOOST, 0.0)
            if not asks_routine(info.text):
                score *= np.where(routine, BOILERPLATE_PRIOR, 1.0)
        hits = [Hit(n, s, lx, c) for n, s, lx, c in
                zip(pool, score.tolist(), ln.tolist(), dense.tolist(), strict=True)]
        hits.sort(key=lambda h: (-h.score, h.n))
        return hits


    @staticmethod
    def weight(info: QueryInfo, term: str) -> float:
        """A query term's weight: month and period words a quarter (reports state periods in
        many ways: "1-6/2025", "puolivuotiskausi"), a dictionary translation its share, the verbs
        asking a difference as much (`QueryInfo.difference_terms`: a row states it in a column)."""
        if term in info.difference_terms and info.intent == ("figure", "difference"):
            return DIFFERENCE_WEIGHT
        return PERIOD_WEIGHT if term in info.period_terms else info.translated.get(term, 1.0)

    def _lexical_scores(self, info: QueryInfo) -> np.ndarray:
        """BM25 of every passage for the query's terms, computed once per query."""
        if info.lexical is None:
            groups: dict[float, list[str]] = {}
            for t in info.terms:
                groups.setdefault(self.weight(info, t), []).append(t)
            # the full-weight terms first, then the others by weight (the order of the sums)
            ordered = ([(1.0, groups.pop(1.0))] if 1.0 in groups else []) + \
                [(w, groups[w]) for w in sorted(groups, reverse=True)]
            info.lexical = self.storage.lexical_scores(ordered)
        return info.lexical

    def _boosts(self, ids: np.ndarray, info: QueryInfo, meeting: np.ndarray | None = None
                ) -> np.ndarray:
        """What the query states, as a lift (or a drop) for each of the passages `ids`
        (`meeting`: which are of the meeting it names, `_of_meeting`)."""
        boost = np.zeros(len(ids))
        if info.years:
            year = np.isin(self._year[ids], info.years)
            for y in info.years:  # a year the passage's text names
                if str(y) in self._year_mentions:
                    year |= self._year_mentions[str(y)][ids]
            boost += np.where(year, YEAR_BOOST, 0.0)
        if info.doc_types:
            asked = set(info.doc_types)  # (an object array with None: no np.isin, which sorts)
            boost += np.where([t in asked for t in self._doc_type[ids]], DOC_TYPE_BOOST, 0.0)
        if info.bodies and asks_decision(info.text):
            boost += np.where(self._of_bodies(ids, info), BODY_BOOST, 0.0)
        if info.status:
            boost += np.where(self._follow_up[ids], FOLLOW_UP_BOOST, 0.0)
        if info.item_refs:
            named = np.isin(self._item_number[ids], info.item_refs)
            if info.days:  # of the meeting of a day named
                named &= np.isin(self._meeting_date[ids], info.days)
            boost += np.where(named, ITEM_REF_BOOST, 0.0)
        if meeting is not None:
            boost += np.where(meeting, MEETING_BOOST, 0.0)
        if info.cues.end_month:
            # the report of the period asked for is lifted, that of another period lowered
            end = self._end_month[ids]
            boost += np.where(end == 0, 0.0,
                              np.where(end == info.cues.end_month, PERIOD_END_BOOST, -PERIOD_END_BOOST))
        return boost

    def attendance_lists(self, hits: list[Hit], info: QueryInfo) -> list[int]:
        """The passages among `hits`, in rank order, that are the attendance list of the meeting
        the question names (its body, its day or month)."""
        listed = np.asarray([h.n for h in hits if self._attendance[h.n]], dtype=np.int64)
        return listed[self._of_meeting(listed, info)].tolist() if len(listed) else []

    def _of_bodies(self, ids: np.ndarray, info: QueryInfo) -> np.ndarray:
        """Whether each of the passages `ids` is of the minutes of a body the question names."""
        return np.isin(self._body_text[ids], info.bodies)

    def _of_meeting(self, ids: np.ndarray, info: QueryInfo) -> np.ndarray:
        """Whether each of the passages `ids` is of the minutes of a body the question names, of
        a meeting on the day (or in the month) it names."""
        on = np.zeros(len(ids), dtype=bool)
        for day in info.meeting:
            on |= np.char.startswith(self._meeting_date[ids], day)
        return on & self._of_bodies(ids, info)

    def _meeting_record(self, info: QueryInfo, keep: Selection | None) -> list[int]:
        """The routine passages of the meeting a question names (`QueryInfo.asks_meeting`): its
        record, a candidate however few of the question's words it holds ("Saapuvilla olleet
        jäsenet …, puheenjohtaja")."""
        record = (self._boilerplate | self._attendance) & self.of_meeting(info, keep)
        return np.flatnonzero(record).tolist()

    def of_meeting(self, info: QueryInfo, keep: Selection | None) -> np.ndarray:
        """Which passages (of those `keep` selects) are of the minutes of a body the question
        names on the day, or in the month, it names (`_of_meeting` over every passage)."""
        on = self._of_meeting(np.arange(self.n), info)
        return on & keep.mask if keep is not None else on

    def naming_days(self, days: tuple[str, ...], keep: Selection | None) -> np.ndarray:
        """Which passages (of those `keep` selects) name in their text a day of `days` or, for a
        month ("2025-07"), a day of it ("8.4.2024", "24. maaliskuuta 2025"), on its own (a
        range's days, "1.1.-31.7.2025", are a period's: `single_days`)."""
        on = np.zeros(self.n, dtype=bool)
        for day, ids in self._day_mentions.items():
            if day.startswith(days):
                on[ids] = True
        return on & keep.mask if keep is not None else on

    def holds_minutes_of(self, info: QueryInfo, keep: Selection | None) -> bool:
        """Whether the passages `keep` selects (None: all) hold minutes of a body the question
        names, of any meeting."""
        of = self._of_bodies(np.arange(self.n), info) & (self._meeting_date != "")
        return bool((of & keep.mask if keep is not None else of).any())

    def _dense_top(self, qvec: np.ndarray, keep: Selection | None) -> tuple[list[int], list[float]]:
        k = min(POOL, self.n)
        if keep is not None:
            kept = int(keep.mask.sum())
            if kept == 0:
                return [], []
            k = min(k, kept)
        return self.storage.dense_top(qvec, k, keep)

    def collapse(self, hits: list[Hit], k: int) -> list[Hit]:
        return collapse.collapse(self, hits, k)

    def facets(self, info: QueryInfo, filters: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
        return facets.count(self, info, filters)

    def result_json(self, rank: int, hit: Hit, info: QueryInfo) -> dict[str, Any]:
        return render.result_json(self, rank, hit, info)

    def filters(self, info: QueryInfo, municipality: str | None, year: int | None,
                doc_type: str | None, body: str | None = None, date_from: str | None = None,
                date_to: str | None = None) -> dict[str, Any]:
        """Explicit filters win; otherwise one corpus municipality named in the query filters."""
        for value, known, what in ((municipality, self.municipalities, "municipality"),
                                   (doc_type, self.doc_types, "doc_type"),
                                   (year, self.years, "year")):
            if value is not None and value not in known:
                raise UnknownFilter(what, value, known)
        if body is not None:
            body = self.known_body(body)
        for value, what in ((date_from, "date_from"), (date_to, "date_to")):
            if value is not None:
                iso_day(value, what)
        if date_from and date_to and date_from > date_to:
            raise InvalidFilter("date_from", f"date_from {date_from} is after date_to {date_to}")
        if municipality is None and len(info.municipalities) == 1:
            municipality = info.municipalities[0]
        return {"municipality": municipality, "year": year, "doc_type": doc_type, "body": body,
                "date_from": date_from, "date_to": date_to}

    def known_body(self, name: str) -> str:
        """A body of the index as the index spells it, matched in any letter case and spacing
        ("tekninen  LAUTAKUNTA" → "Tekninen lautakunta"); UnknownFilter for another name."""
        wanted = " ".join(name.split()).casefold()
        for body in self.bodies:
            if " ".join(body.split()).casefold() == wanted:
                return body
        raise UnknownFilter("body", name, self.bodies)

    def search(
        self, query: str, k: int = 10, municipality: str | None = None, year: int | None = None,
        doc_type: str | None = None, language: str | None = None, *, body: str | None = None,
        date_from: str | None = None, date_to: str | None = None,
    ) -> dict[str, Any]:
        t0 = time.perf_counter()
        info, filters, keep = self.prepare(query, municipality, year, doc_type, language, body=body,
                                           date_from=date_from, date_to=date_to)
        hits = self.collapse(self.rank(info, keep), k)
        results = [self.result_json(rank, hit, info) for rank, hit in enumerate(hits, 1)]
        found = self.facets(info, filters)
        return {
            "query": query,
            "language": info.language,
            "took_ms": round((time.perf_counter() - t0) * 1000, 1),
            "filters": filters,
            "understood": {"municipalities": info.municipalities, "years": info.years,
                           "doc_types": info.doc_types, "bodies": info.bodies},
            "results": results,
            "facets": found,
        }


class UnknownFilter(KuntahakuError):
    def __init__(self, what: str, value: object, known: list) -> None:
        self.what, self.value = what, value
        super().__init__(f"unknown {what} '{value}'; the index has: "
                         + (", ".join(str(k) for k in known) or "none"))


class InvalidFilter(KuntahakuError):
    """A filter value of the wrong form (a date that is not an ISO day, a range that ends
    before it starts); `what` names the parameter."""

    def __init__(self, what: str, message: str) -> None:
        self.what = what
        super().__init__(message)


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: str, what: str) -> date:
    """An ISO day ("2025-03-17"); InvalidFilter naming `what` for anything else (also
    "2025-3-17", "20250317" or "17.3.2025", which `date.fromisoformat` would partly take)."""
    try:
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise InvalidFilter(what, f"{what} '{value}' is not a date: write it as YYYY-MM-DD "
                              "(2025-03-17)")
