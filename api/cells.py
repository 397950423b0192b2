"""Answers from table cells: the figure a question asks for (row × column), and the cell of a goal
table a question names (its follow-up, measure or action).

The column is chosen from what the question says about the period ("tammi–kesäkuu 2022" ↔
"Toteuma 1-6/2022", "syyskuun loppuun 2024" ↔ "TOT 2024 9 kk", "budjetti" ↔ "TA", "tilinpäätös"
↔ "TP", "ennuste" ↔ "TP-ENNUSTE", a year ↔ the header with that year); the row by retrieval
score and a fuzzy match of its label with the question.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from api import render
from api.index import DocInfo, Hit
from api.query import (
    DIFFERENCE,
    EARLIER_YEARS,
    FOLLOW_UP,
    GROUP,
    GROUP_PARTS,
    NAMES_GROUP,
    WORD,
    PeriodCues,
    QueryInfo,
    short_years,
)
from api.search import Searcher
from indexer.analyze import Analyzer
from indexer.metadata import period_end_month

# a year as the reports print it, four digits of this century or the last ("TA 2024",
# "1.1.-31.10.2024"): the reports' years, for cells and sentences alike (a question's are read
# by `query.YEAR`, `period_cues`)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_HEADING = re.compile(r"[^\W\d_]|" + YEAR.pattern)  # a letter or a year


def years_in(text: str | None) -> set[int]:
    """The four-digit years a text prints ("TA 2024", "1.1.-31.10.2024" → {2024})."""
    return {int(y) for y in YEAR.findall(text or "")}


# a column holding a difference: Poikkeama (= Toteutuma − TA), Ero, Erotus, Muutos, Muutossumma,
# +/-; not the budget with its changes added ("TA + MUUTOS 2021", "TA/KS+muutos 2022", "TA 2024
# +muutos"), which is the amended budget itself
DIFFERENCE_COLUMN = re.compile(r"poikkeam|erotus|\bero\b|(?<!\+)(?<!\+ )muutos(?:\b|summa)|ylitys|alitus|"
                               r"\+\s*/\s*-|-\s*/\s*\+", re.I)
# the budget's changes ("TA muutokset", "Talousarviomuutokset"): a difference of the budget, not
# the overrun a Poikkeama column holds
_BUDGET_CHANGES = re.compile(r"muutokset\b", re.I)


_MONTH_OF_YEAR = re.compile(r"(?<![\d./–-])(\d{1,2})\s*/\s*(?:19|20)\d\d(?!\d)")  # "6/2025", not "1-6/2025"


def change_months(header: str) -> set[int] | None:
    """The months of a change column set between two months ("Muutos 6/2025 5/2025" → {5, 6},
    "Muutos 5/2025 5/2024" → {5}), or None for a header stating no two such periods."""
    months = [int(m) for m in _MONTH_OF_YEAR.findall(header)]
    return set(months) if len(months) == 2 and all(1 <= m <= 12 for m in months) else None


def states_difference(header: str) -> bool:
    """A column of differences or of the budget's changes (a feature of the learned choice)."""
    return bool(DIFFERENCE_COLUMN.search(header) or _BUDGET_CHANGES.search(header))


# the budget's columns: TA, talousarvio, the original budget, an appropriation (määräraha), the
# allocation plan (KS, käyttösuunnitelma); a frame (raami) is set before the budget
BUDGET_COLUMN = re.compile(r"\bta\b|talousarvio|alkuperäinen|budjetti|raami|määräraha|\bks\b|"
                           r"käyttösuunnitelm", re.I)
_REMAINDER = re.compile(r"jäljellä|käyttämät", re.I)  # a column of what is left unused
_TARGET_COLUMN = re.compile(r"tavoit", re.I)  # a goal's target value: Tavoitearvo, Tavoitetaso
# a goal's baseline, the value when the goal was set ("Nykyarvo" beside "Tavoitearvo" and
# "Toteuma-arvo"): not the year's figure unless the question asks for it
_BASELINE = re.compile(r"nykyarvo|lähtöta", re.I)


_LABEL_DATE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?!\d)")  # "Kv 27.5. §45"


def row_name(row: dict) -> str:
    """The label a row is known by: its own, or for a row printing none (a block's total under
    its group, "Toimintamenot" · "Yhteensä") its innermost group's."""
    return row["label"] or next((g for g in reversed(row["groups"]) if g), "")


@lru_cache(maxsize=64)
def said_words(analyzer: Analyzer, question: str) -> frozenset[str]:
    """The words of a question (its `finnish_text`) as written (a qualifier the analyzer drops as
    a stopword too: "muut") and by every reading's lemma (`Analyzer.word_lemmas`): what a row
    label's or a column header's words are met by, made once per question, not per row."""
    words = WORD.findall(question)
    return frozenset({w.lower() for w in words}.union(*(analyzer.word_lemmas(w) for w in words)))


def label_words(analyzer: Analyzer, label: str, info: QueryInfo) -> tuple[float, float]:
    """(the row label's words the question says, those it does not): each word as written or
    by its lemma, not by a compound part ("Toimintatuotot" says nothing of "toimintakulut"). A
    qualifier counts ("Muut toimintakulut" says two words of "muut toimintakulut",
    "TOIMINTAKULUT" one), though the analyzer drops it as a stopword. Every reading of a word
    counts ("vakinaista" is "vakinaistaa" or "vakinainen", the header's "Vakinaiset")."""
    said = said_words(analyzer, info.finnish_text)
    words = [w for w in WORD.findall(label) if len(w) > 1]
    asked = sum(w.lower() in said or not said.isdisjoint(analyzer.word_lemmas(w)) for w in words)
    return float(asked), float(len(words) - asked)


# the words naming who a table or a sentence speaks of, beside the city itself: the group
# (konserni), a board (lautakunta, kaupunginhallitus, valtuusto), a sector or unit (toimiala,
# tulosalue, palvelualue), and the group's organisations (`query.GROUP_PARTS`: a company, a
# foundation, a joint authority, a municipal enterprise; not by its "Oy" / "Ab": no name, and
# every text holds "ab"). The boards by their stems, as words are written ("lautakunnan"), not
# by `query.COLLEGIAL`'s lemmas, whose further bodies (jaosto, toimikunta, työryhmä…) would
# change `entity_fit` beyond what its features were measured with
_ENTITY = re.compile(rf"konserni|lautakun|hallitu|valtuust|toimiala|tulosalue|palvelualue|"
                     rf"{GROUP_PARTS}", re.I)


@lru_cache(maxsize=256)
def entity_names(text: str) -> tuple[str, ...]:
    """The organisations a text names, each by its word up to the organisation word:
    "Ympäristölautakunnan" → "ympäristölautakun", "Konsernirahoituslaskelma" → "konserni"."""
    return tuple(word[:m.end()].lower() for word in WORD.findall(text or "")
                 if (m := _ENTITY.search(word)) is not None)


def entity_fit(text: str, info: QueryInfo) -> tuple[float, float]:
    """(whether `text` speaks of the group (konserni, its subsidiaries) where the question
    names neither it nor a company of it: "Konsernirahoituslaskelma" for "Kauhavan
    lyhytaikaiset lainat"; whether the question names an organisation `text` does not:
    "kaupunginhallituksen toimintakulut" against the environment board's minutes, a board's
    sentence for another's). The units inside the city a table's section names ("Asuinympäristö
    tulosalue" over the building control's table) are neither: they hold what the question
    names (in the training questions, a cell naming a unit the question does not was right as
    often as one naming none; a group's cell for a question not naming the group, never)."""
    group = bool(GROUP.search(text or "")) and not (info.cues.group or NAMES_GROUP.search(info.finnish_text))
    said = (text or "").lower()
    missing = any(name not in said for name in entity_names(info.finnish_text))
    return float(group), float(missing)


def header_words(analyzer: Analyzer, header: str, info: QueryInfo) -> tuple[float, float]:
    """(a column header's words the question says, those it does not), as `label_words`, of the
    words besides the column's role (budget, actual, forecast, difference: `column_score`'s) and
    its years: "Vakinaiset Yhteensä" beside "Yhteensä", "euroa / vuosi" beside "euroa / kuukausi"."""
    roles = (BUDGET_COLUMN, _ACTUAL_COLUMN, _FORECAST, DIFFERENCE_COLUMN, _BUDGET_CHANGES)
    words = [w for w in WORD.findall(header or "") if not any(r.search(w) for r in roles)]
    return label_words(analyzer, " ".join(words), info)


def label_month(row: dict) -> int | None:
    """The month of a date a row's label states: a budget change is labelled by its decision
    ("Kv 27.5. §45" · "Muutos" → 5)."""
    m = _LABEL_DATE.search(row["label"] or "")
    return int(m.group(2)) if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(1)) <= 31 else None


def month_fit(row: dict, cues: PeriodCues) -> float:
    """+1 where the row's label dates it in the month the question names, −1 in another, else 0."""
    month = label_month(row)
    if month is None or cues.end_month is None:
        return 0.0
    return 1.0 if month == cues.end_month else -1.0


def column_score(header: str, cues: PeriodCues) -> float:
    """How well a column header fits what the question says about the period (higher is better)."""
    h = header.lower()
    score = 0.0
    years = {y for y in years_in(h) if y >= 2000}  # (a question's years are this century's: period_cues)
    if cues.years and years:
        score += 2.0 if years & set(cues.years) else -2.0
    is_pct = "%" in h
    if is_pct != cues.percent:
        score -= 3.0
    is_budget = bool(BUDGET_COLUMN.search(h))
    is_statement = bool(re.search(r"\btp\b|tilinpäätös", h)) and "ennuste" not in h
    is_forecast = "ennuste" in h
    is_actual = bool(re.search(r"toteuma|\btot\b|toteutunut|toteutuma", h))
    month = period_end_month(h)
    if cues.end_month is not None:
        if month == cues.end_month:
            score += 3.0
        elif month is not None:
            score -= 1.0
    # what is left of the appropriation ("Jäljellä", "Käyttämättä 2024 €", the budget less what
    # was used) beside what was used ("Käytetty"): its figure only where the question asks what is
    # left ("jäi käyttämättä", which reads as a difference too)
    if _REMAINDER.search(h):
        score += 3.0 if cues.remainder else -2.5
    if cues.difference:
        # "ylittyikö talousarvio ja kuinka paljon": the budget is the base of the difference the
        # table prints beside it, not the figure asked for; not for what is left ("jäi
        # käyttämättä" reads as a difference too), which the remainder's column holds
        # ("Jäljellä €" beside "Poikkeama")
        if DIFFERENCE_COLUMN.search(h) and not cues.remainder:
            score += 3.0
            # a change between two months ("Muutos 6/2025 5/2025", from May to June, beside
            # "Muutos 5/2025 5/2024", from a year before): the months the question names
            between = change_months(h)
            if between and len(set(cues.months)) >= 2:
                score += 2.0 if between == set(cues.months[-2:]) else -2.0
        return score
    score += 1.5 * (cues.budget and is_budget) - 1.0 * (is_budget and not cues.budget)
    score -= 0.5 * (cues.budget and "raami" in h)  # the frame is not the budget decided
    is_target = bool(_TARGET_COLUMN.search(h))
    score += 1.5 * (cues.target and is_target) - 0.5 * (is_target and not cues.target)
    # (Mikkeli's "Lähtötaso /toteuma 2022" is the baseline and the year's actual at once)
    score -= 1.0 * (bool(_BASELINE.search(h)) and not is_actual and not cues.baseline)
    score += 1.5 * (cues.statement and is_statement) - 0.5 * (is_statement and not cues.statement)
    score += 1.5 * (cues.forecast and is_forecast) - 1.0 * (is_forecast and not cues.forecast)
    score += 1.0 * (cues.actual and is_actual)
    if "muutet" in h or "muutos" in h or h.startswith("ero"):
        score -= 0.5
    return score


# a goal table's follow-up column proper ("Toteuma 1-6/2022", "Arvio toteutumisesta", "Tilanne
# 31.12."), against one that only evaluates ("Mittarit, arviointi": the measure and how it is
# assessed, "Seuranta"), a baseline that is also an earlier year's actual ("Lähtötaso /toteuma
# 2022", "Lähtötilanne/ tavoite") and a budget, whose "…arvio" is no assessment ("Talousarvio €"
# beside "Toteutuma €")
_FOLLOW_UP_PROPER = re.compile(r"toteum|toteutu|tilanne", re.I)
_MEASURE_COLUMN = re.compile(r"mittar", re.I)
_STARTING_POINT = re.compile(_BASELINE.pattern + r"|lähtötil", re.I)


def follow_up_fit(header: str, years: list[int]) -> float:
    """How surely a column whose header reads as a follow-up (query.FOLLOW_UP) holds how the row's
    goal went, in the year asked where the question names one (higher is better)."""
    h = header.lower()
    score = 2.0 * bool(_FOLLOW_UP_PROPER.search(h)) - 2.0 * bool(_MEASURE_COLUMN.search(h)) \
        - 2.0 * bool(_STARTING_POINT.search(h)) - 2.0 * bool(BUDGET_COLUMN.search(h)) \
        - 1.0 * bool(_TARGET_COLUMN.search(h))
    stated = years_in(h)
    if years and stated:
        score += 1.0 if stated & set(years) else -1.0
    return score


def pick_column(columns: list[str], cells: list[dict], cues: PeriodCues) -> int | None:
    """Index of the best column with a value in this row; ties go to the leftmost. A share
    asked for is in a % column where the row has one, whatever period the others state
    ("Toteuma-%" beside "Toteuma 1-6/2022")."""
    best, best_score = None, float("-inf")
    shares = cues.percent and any(is_percent(h, c) and c.get("number") is not None
                                  for h, c in zip(columns, cells, strict=False))
    for i, (header, cell) in enumerate(zip(columns, cells, strict=False)):
        # a figure without a real column heading (a word or a year, not other figures) cannot say
        # what it is: the table was garbled
        if not cell.get("text") or cell.get("number") is None or not _HEADING.search(header or ""):
            continue
        if shares and not is_percent(header, cell):
            continue
        s = column_score(header or "", cues)
        if GROUP.search(header or "") and not cues.group:
            s -= 1.0  # the group's column ("Konserni 2024") beside the city's, the group not asked
        if s > best_score:
            best, best_score = i, s
    return best


def is_percent(header: str | None, cell: dict) -> bool:
    """A share: a % column, or a figure printed with its % sign."""
    return "%" in (header or "") or "%" in (cell.get("unit") or "")


def _decimals(text: str) -> int:
    m = re.search(r",(\d+)\s*\D*$", text or "")
    return len(m.group(1)) if m else 0


def format_number(number: float, decimals: int = 0) -> str:
    """A number as Finnish reports print it: "−1 183 990", "51 652,30"."""
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return sign + " ".join(groups) + ("," + frac if frac else "")


_ACTUAL_COLUMN = re.compile(r"toteum|toteutu|\btot\b|\btp\b|tilinpäätös", re.I)
_FORECAST = re.compile(r"ennuste", re.I)


def difference_operands(columns: list[str], cells: list[dict], cues: PeriodCues
                        ) -> tuple[int, int] | None:
    """(a, b) for a difference the question asks and the row holds only the operands of: the
    actual − the budget (an overrun: Toteutuma − TA, the rightmost of each — a changed budget
    stands right of the original), else the later year − the earlier (the years the question
    names, or the two latest). The operands cover the stretch of the year asked: a half year's
    actual is an overrun of the year's budget only when the question asks about that half year
    ("toteuma tammi–kesäkuussa ylitti koko vuoden talousarvion"), and no change from the whole
    year before (Kemi's "Toteuma 1-6/2022" beside "TA 2022" and "TP 2021"); a column of a year
    the question does not ask about is no operand."""
    usable = [i for i, (h, c) in enumerate(zip(columns, cells, strict=False))
              if c.get("number") is not None and _HEADING.search(h or "") and "%" not in (h or "")]
    if cues.budget or cues.target or not cues.years or len(cues.years) < 2:
        # the base: the budget, or the goal's target where the question names one ("jäi
        # tavoitearvosta": Toteuma-arvo − Tavoitearvo)
        base = _TARGET_COLUMN if cues.target and not cues.budget else BUDGET_COLUMN
        budget = [i for i in usable
                  if base.search(columns[i]) and not _FORECAST.search(columns[i])]
        # the figure set against it: the actual, or the forecast where the question asks of one
        # ("ennuste ylittää talousarvion": TP-ENNUSTE − TA)
        against = _FORECAST if cues.forecast else _ACTUAL_COLUMN
        actual = [i for i in usable if against.search(columns[i]) and i not in budget
                  and (cues.forecast or not _FORECAST.search(columns[i]))]
        if cues.years:
            budget = [i for i in budget if years_in(columns[i]) <= set(cues.years)]
            actual = [i for i in actual if not years_in(columns[i]) or years_in(columns[i]) & set(cues.years)]
        if budget and (cues.budget or cues.target):
            stretch = cues.end_month or _period(columns[budget[-1]])
            actual = [i for i in actual if _period(columns[i]) == stretch]
            if actual:
                return actual[-1], budget[-1]
    by_year: dict[int, list[int]] = {}
    for i in usable:
        years = years_in(columns[i])
        if len(years) == 1 and not BUDGET_COLUMN.search(columns[i]) and not _FORECAST.search(columns[i]):
            by_year.setdefault(years.pop(), []).append(i)
    wanted = sorted(set(cues.years) & set(by_year)) if len(cues.years) >= 2 else []
    pair = wanted[-2:] if len(wanted) >= 2 else sorted(by_year)[-2:]
    if len(pair) < 2:
        return None
    return next(((a, b) for a in by_year[pair[1]] for b in by_year[pair[0]]
                 if _period(columns[a]) == _period(columns[b])), None)


def holds_change(table: dict, row: dict, cues: PeriodCues) -> bool:
    """Whether a row holds both operands of a change between the years a question names and
    its table prints no difference of its own: the row's "2024" and "2023" cells for "kasvoi
    vuodesta 2023 vuoteen 2024"."""
    if not cues.difference or len(cues.years) < 2 or cues.budget or cues.target \
            or has_difference_column(table):
        return False
    operands = difference_operands(table["columns"], row["cells"], cues)
    if operands is None:
        return False
    years = set().union(*(years_in(table["columns"][i]) for i in operands))
    return years <= set(cues.years) and len(years) == 2


def _period(header: str) -> int:
    """The month a column's figures run to: a year's own column runs to December."""
    return period_end_month(header or "") or 12


def has_difference_column(table: dict) -> bool:
    return any(DIFFERENCE_COLUMN.search(c or "") for c in table["columns"])


# a year as the reports print it: "2024"; a span "2026–2028" (each year of it); two digits after a
# column's role (`query.SHORT_YEAR`: "TA26", "TOT-24")
_YEAR_SPAN = re.compile(r"(?<!\d)(20\d\d)\s*[-–]\s*(20\d\d)(?!\d)")


def stated_years(text: str) -> set[int]:
    """The years a text states: "1.1.-31.10.2024" → {2024}, "vuosille 2026-2028" → {2026, 2027,
    2028}, "3 TA26, investoinnit" → {2026}, "TOT-24 %" → {2024}."""
    years = years_in(text) | set(short_years(text))
    for a, b in _YEAR_SPAN.findall(text):
        if int(a) < int(b) <= int(a) + 10:
            years |= set(range(int(a), int(b) + 1))
    return years


def report_year(doc: DocInfo) -> int | None:
    """The year a report is of (a financial statement's, an interim report's: its own columns'
    year), or None for minutes and decisions, whose meeting's year is not the figures'."""
    return None if doc.meeting_date or not doc.year else doc.year


def nearest_years(parts: list[str]) -> set[int]:
    """The years the first of a candidate's texts stating any states (`parts`, the most specific
    first: a cell's header, its table's title, its section; a sentence, its section)."""
    return next((y for y in map(stated_years, parts) if y), set())


def period_fit(stated: set[int], cues: PeriodCues, own_year: int | None,
               earlier: bool = False) -> dict[str, float]:
    """The period a candidate's figure is of against the years a question asks (`cues.years`).
    `stated`: the years its nearest text states (`nearest_years`), else the report's own year
    (`own_year`; a financial statement 2024 is of 2024 where nothing nearer says otherwise).
    `period_year_fit` / `period_year_clash`: it is / is not of a year asked ("1.1.-31.10.2025" for
    "lokakuun 2024 loppuun"); `earlier` (a column of the earlier years' figures, "Edellisten
    vuosien", unless the question asks of them: `cues.earlier`) clashes with any year asked.
    Neither where the question names no year."""
    out = {"period_year_fit": 0.0, "period_year_clash": 0.0}
    if not cues.years:
        return out
    stated = stated or ({own_year} if own_year is not None else set())
    if (earlier and not cues.earlier) or (stated and not stated & set(cues.years)):
        out["period_year_clash"] = 1.0
    elif stated:
        out["period_year_fit"] = 1.0
    return out


def earlier_years(header: str) -> bool:
    """A column of the years before the report's own ("Edellisten vuosien", "Aiemmat vuodet")
    beside the year's own ("Toteutuma", "Kustannukset")."""
    return bool(EARLIER_YEARS.search(header))


class Cells:
    """Table-cell answers over a searcher's tables; `coverage(info, n)` is the share of the
    question's weighted words passage n holds (the answerer's)."""

    def __init__(self, searcher: Searcher, coverage: Callable[[QueryInfo, int], float]) -> None:
        self.searcher = searcher
        self.analyzer = searcher.analyzer
        self.table = searcher.table
        self.coverage = coverage

    def row_has_numbers(self, p: dict) -> bool:
        row = self.table(p["table_id"])["rows"][p["row_index"]]
        return any(c.get("number") is not None for c in row["cells"])

    def figure(self, question: str, info: QueryInfo, hits: list[Hit]) -> dict | None:
        """The cell answering a figure question, or None when no retrieved row does."""
        s = self.searcher
        cues = info.cues  # read once, by the searcher
        asked = info.content_terms
        # a row meeting less of the question than the best narrative passage answers something
        # else ("lomautettujen määrä Seinäjoen seutukunnassa": the table counts the unemployed,
        # the text beside it the laid off)
        prose = max((self.coverage(info, h.n) for h in hits[:3]
                     if s.passages[h.n]["kind"] == "passage"), default=0.0)
        best = None
        for rank, h in enumerate(hits[:10]):
            p = s.passages[h.n]
            if p["kind"] != "table_row":
                continue
            table = self.table(p["table_id"])
            row = table["rows"][p["row_index"]]
            cues = self._cues_for(info.cues, row, table)
            # …except a row holding both figures of a change between the years asked, where no
            # passage meeting more of the question says a change of what the row names ("0,4
            # miljoonaa euroa korkeampi kuin vuonna 2023, eli verotulot kasvoivat"): a sentence
            # may print both figures ("vuosikate on 66,9 milj. euroa (vuonna 2023: 53,1 milj.
            # euroa)"), but only the row's cells give the difference
            covered = self.coverage(info, h.n)
            if covered < prose and not (holds_change(table, row, cues) and not any(
                    self.coverage(info, g.n) > covered and self._says_change(g.n, row_name(row))
                    for g in hits[:3] if s.passages[g.n]["kind"] == "passage")):
                continue
            col = pick_column(table["columns"], row["cells"], cues)
            if col is None or not self._row_named(row, table, asked):
                continue
            # a difference asked of a table printing its differences: a row with none there
            # (the original budget's line) does not hold it
            if cues.difference and has_difference_column(table) and \
                    not DIFFERENCE_COLUMN.search(table["columns"][col] or ""):
                continue
            # a question stating how far the period runs ("heinäkuun loppuun") is answered by a
            # column of that period, or by one stating none in a report or section of that period
            # (or by a row dated in that month: the budget change decided then)
            if cues.end_month is not None and month_fit(row, cues) <= 0 and cues.end_month != (
                    period_end_month(table["columns"][col] or "") or s.period_end(h.n)):
                continue
            label = row_name(row)
            label_match = fuzz.partial_ratio(label.lower(), info.finnish_text.lower()) / 100 if label else 0
            fit = column_score(table["columns"][col] or "", cues)
            # of two rows the question names alike, the one saying more of it ("Muut
            # toimintakulut" over "TOIMINTAKULUT" for "muut toimintakulut")
            asked_words, other_words = label_words(self.analyzer, label, info)
            score = h.score + 0.3 * label_match + 0.05 * fit - 0.02 * rank + 0.3 * month_fit(row, cues) \
                + 0.05 * (asked_words - other_words)
            if best is None or score > best[0]:
                best = (score, h, p, table, row, col)
        if best is None:
            return None
        _, h, p, table, row, col = best
        cues = self._cues_for(info.cues, row, table)
        if cues.difference and not has_difference_column(table):
            # the table holds the operands, not the difference: compute it from the two cells
            operands = difference_operands(table["columns"], row["cells"], cues)
            if operands is not None:
                return self.answer_difference(p, table, row, *operands)
        return self.answer_cell(p, table, row, col)

    @staticmethod
    def _cues_for(cues: PeriodCues, row: dict, table: dict) -> PeriodCues:
        """The question's cues for one row: a difference word that names the row itself
        ("Rahavarojen muutos", "Rahastojen vähennys") asks for the row's figure, not a difference."""
        if cues.difference and DIFFERENCE.search(f"{row['label'] or ''} {table['title'] or ''}"):
            return replace(cues, difference=False)
        return cues

    def _says_change(self, n: int, label: str) -> bool:
        """Whether a sentence of passage n says a change (`DIFFERENCE`) of what a row label
        names: a word of the label by its whole lemma ("Vuosikate" is not said by
        "toimintakatekasvu")."""
        text = self.searcher.passages[n]["text"]
        lemmas = {t[0] for w in WORD.findall(label) if len(w) > 1 and (t := self.analyzer.terms(w))}
        starts = [0, *(self.analyzer.sentence_starts(text) or ()), len(text)]
        return any(DIFFERENCE.search(text[a:b]) and lemmas & set(self.analyzer.terms(text[a:b]))
                   for a, b in zip(starts, starts[1:], strict=False))

    def answer_difference(self, p: dict, table: dict, row: dict, a: int, b: int) -> dict[str, Any]:
        """The difference of two cells of a row, cell a − cell b, citing the row (which holds
        both); `table.computed` names the columns."""
        out = self.answer_cell(p, table, row, a)
        ca, cb = row["cells"][a], row["cells"][b]
        ha, hb = table["columns"][a] or "", table["columns"][b] or ""
        number = round(ca["number"] - cb["number"], 6)
        decimals = max(_decimals(ca["text"]), _decimals(cb["text"]))
        text = format_number(number, decimals)
        unit = out["value"]["unit"]
        doc = self.searcher.docs[p["doc_id"]]
        label = " › ".join([g for g in row["groups"] if g] + [row["label"] or ""])
        out["answer"] = (f"{label}, {ha} − {hb}: {ca['text']} − {cb['text']} = {text}"
                         f"{' ' + unit if unit else ''} ({doc.municipality}, {doc.title}"
                         + (f", s. {p['page']})" if p["page"] else ")"))
        out["value"] = {"text": text, "number": number, "unit": unit}
        out["table"] |= {"column": f"{ha} − {hb}", "column_index": a,
                         "computed": {"operation": "difference", "columns": [a, b],
                                      "headers": [ha, hb]}}
        return out

    def answer_cell(self, p: dict, table: dict, row: dict, col: int) -> dict[str, Any]:
        """The answer of one cell: its value, row and column, the printed row as the quote; a row
        failing its table's check says so (`table.failed_checks`), and the same row and period
        printed with another value elsewhere in the document comes along as `conflicts`."""
        s = self.searcher
        cell = row["cells"][col]
        header = table["columns"][col] or ""
        doc = s.docs[p["doc_id"]]
        # the cell's own unit: the parser gives it its table's unit, or none where its row counts
        # ("Asukasmäärä" under "1 000 €") or the cell is words
        unit = cell.get("unit")
        value_text = cell["text"] + (f" {unit}" if unit and unit not in cell["text"] else "")
        label = " › ".join([g for g in row["groups"] if g] + [row["label"] or ""])
        answer = f"{label}, {header}: {value_text} ({doc.municipality}, {doc.title}"
        answer += f", s. {p['page']})" if p["page"] else ")"
        quote = " ".join(s.text_span(p["doc_id"], row["start"], row["end"]).split())
        failed = list(row.get("failed_checks") or ())
        if failed:
            answer += f" — huom.: rivi ei täsmää taulukon omaan tarkistukseen ({'; '.join(failed)})"
        out = {
            "answer": answer,
            "answer_type": "table_cell",
            "value": {"text": cell["text"], "number": cell["number"], "unit": unit},
            "table": {"id": table["id"], "title": table["title"], "row_index": p["row_index"],
                      "row_label": row["label"], "column": header, "column_index": col,
                      "failed_checks": failed},
            "citations": [render.citation(s, p, quote, row["start"], row["end"])],
        }
        conflicts = [c for k, c in row.get("conflicts") or () if k == col]
        if conflicts:
            out["conflicts"] = [{"value": c["value"], "number": c["number"], "document": doc.as_json(),
                                 "page": c["page"], "quote": c["quote"], "table_id": c["table_id"],
                                 "row_index": c["row_index"]} for c in conflicts]
        return out

    def _row_named(self, row: dict, table: dict, asked: frozenset[str]) -> bool:
        """Whether the question names what the row is (its label, group rows or table title share
        a word with it): a figure from a row the question does not name answers something else."""
        words = " ".join([row["label"] or "", *(g for g in row["groups"] if g), table["title"] or ""])
        return bool(asked & set(self.analyzer.terms(words)))

    def asked(self, p: dict, row_text: str, info: QueryInfo) -> tuple[int, int] | None:
        """[start, end) in the printed row of the cell the question asks for: its follow-up cell
        (toteuma, tilanne, arviointi; the one `follow_up_fit` puts first) when it asks how
        something stands; else a cell whose column
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
        # how something stands, in words ("missä vaiheessa") or by the form ("Onko X otettu
        # käyttöön?"): its follow-up cell
        status = info.status or info.intent[0] == "status"
        if status:  # the follow-up column that fits best; of equals, the first
            follow = [(follow_up_fit(header, info.years), -i, a, b)
                      for i, (is_label, header, a, b) in enumerate(spans)
                      if not is_label and FOLLOW_UP.search(header)]
            return max(follow)[2:] if follow else None
        for want_label in (False, True):  # a named data column first, then the label column
            for is_label, header, a, b in spans:
                if is_label == want_label and header and named & set(self.analyzer.terms(header)):
                    return a, b
        return None
