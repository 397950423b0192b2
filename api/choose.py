"""The answer chosen by a learned model among every candidate of the top results: the prose
sentences of passages and text rows, and the cells (row × column) of table rows.

Each candidate gets generic features — retrieval (rank, fused/lexical/dense score, the share of
the question's weighted words its passage holds), the share its own words hold (a sentence's,
or a cell's row label, group rows, table title and column header), how the column fits what the
question says of the period and what it measures (a difference, a share, per inhabitant), the
intent of the question, whether the sentence states a figure, reads as a heading or as
boilerplate, whether it says when finer than a year (for a when question) and names the day a
question names, whom it names (for a who question) — and a logistic regression (scikit-learn,
fitted by eval/train_answerer.py on the train split of eval/answers.json and the dev set;
coefficients in api/data/answer_model.json) scores it. A conditional logit over the same
features (fitted alongside: the softmax of each question's candidates) chooses the candidate
that answers; a decline model (a logistic regression stacked on the two: the choice's score, its
margin over the runner-up, the regression's probability of it and the chosen candidate's
evidence features) gives the probability it is right, below whose threshold the question is
declined.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from api.cells import (
    _HEADING,
    YEAR,
    column_score,
    earlier_years,
    entity_fit,
    header_words,
    is_percent,
    label_words,
    month_fit,
    nearest_years,
    period_fit,
    pick_column,
    report_year,
    row_name,
    stated_years,
    states_difference,
    years_in,
)
from api.index import Hit
from api.prose import _ORGANISATION, AskedCell, about_elsewhere, answer_spans, printed, says_words
from api.query import (
    COLLEGIAL,
    DIFFERENCE,
    INTENTS,
    MEASURES,
    QueryInfo,
    asks_routine,
    day_ranges,
    iso_days,
    named_days,
)
from api.search import Searcher
from indexer.analyze import PERSON, Analyzer
from indexer.metadata import MONTHS, period_end_month

MODEL = Path(__file__).parent / "data" / "answer_model.json"
# results whose sentences and cells are candidates (no row channel bringing a figure question's
# table rows from further down the ranking: with the choice model, 8 or 16 such rows chose right
# 0.551 / 0.553 of the cross-validated training questions against 0.552 with none,
# eval/RESULTS.md): the answer's first 10 collapsed results but its table summaries (and the
# routine §s `Answerer._answer` leaves out unless asked), not only the first 8 (which chose a
# question's figure less often: eval/RESULTS.md, round 15)
TOP = 10
# a cardinal's counted noun: Finnish puts it in the partitive singular, -a/-ä ("2 tarjousta", "3
# hakijaa", "1.140 tuntia", "kaksi tarjousta"); a unit of money or share is no counted noun
_COUNTED = r"\s+(?!(?:milj|mrd|euro|prosent|procent)\w*)[a-zåäö]+[aä]\b"
# a cardinal in words (2–10; "yksi" takes the nominative)
_NUMBER_WORD = r"\b(?:kaksi|kolme|neljä|viisi|kuusi|seitsemän|kahdeksan|yhdeksän|kymmenen)"
_NUMBER = re.compile(r"\d+(?:[ ,.]\d+)*\s*(?:%|prosent|milj|euro|€|henk|hlö|kpl)|\d{2,}|"
                     r"(?<![\d§])\d" + _COUNTED + "|" + _NUMBER_WORD + _COUNTED, re.I)
# the measure a figure is stated in: a share (%), an amount of money (€, euroa, 1000 €, milj.), a
# count (kpl, lkm, henkilöä, a cardinal with its counted noun: "2 tarjousta", "kolme hakijaa")
_UNIT_SHARE = re.compile(r"%|prosent|procent|percent", re.I)
_UNIT_AMOUNT = re.compile(r"€|\beur(?:o\w*)?\b|\bmilj\b|\bmrd\b|miljoon\w* euro", re.I)
_UNIT_COUNT = re.compile(r"\bkpl\b|\blkm\b|lukumäär|\bhlö|henkilö(?:ä|t|määrä)|henkeä|\bhtv\b|"
                         r"(?:\d|" + _NUMBER_WORD + r")" + _COUNTED, re.I)
_UNITS = {"share": _UNIT_SHARE, "amount": _UNIT_AMOUNT, "count": _UNIT_COUNT}
UNIT_MEASURES = tuple(_UNITS)  # the measures asked whose unit a figure can state
# a year, a date or a § number: what a sentence names, not a figure it states
_DATE = re.compile(YEAR.pattern + r"|(?<!\d)\d{1,2}\.\d{1,2}\.(?:(?:19|20)\d\d)?|§\s*\d+")
# a sentence stating when, as Finnish writes a time finer than a year: a day ("20.3.2025",
# "12.2.-11.4.2025", "11.6., 27.8."; not a section's number "3.2.1 Tuloslaskelma"), a clock
# time ("klo 15.00"), a weekday ("torstaina"), a month ("maaliskuussa 2025", "tammikuun
# kokous"); what a when question asks (a year alone is mostly the one the question names, which
# adds nothing)
_STATES_DATE = re.compile(r"(?<![\d.,])(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\."
                          r"(?:(?:19|20)\d\d(?!\d)|(?!\d))|\bklo\b|\bkello\s*\d|"
                          r"\b(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai)|"
                          r"\b(?:" + "|".join(MONTHS) + r")kuu", re.I)
_FINITE_END = re.compile(r"[.!?:]\s*$")
# text every minute repeats: appeal instructions, attendance, the meeting's legality, signatures
BOILERPLATE = re.compile(r"muutoksenhak|oikaisuvaatimu|valitusosoitu|valitusviranomai|"
                         r"laillisuus ja päätösvaltaisuus|pöytäkirjan (?:tarkast|nähtävä)|"
                         r"allekirjoitu|läsnä|poissa|kokouksen avaus", re.I)
_PER_CAPITA = re.compile(r"/\s*as|asukas|per capita", re.I)
# a sentence stating a share ("toteutunut 27,1 %:sti", "77 % havainnoista", "12 prosenttia")
_STATES_PERCENT = re.compile(r"\d\s*%|\d\s+prosent", re.I)
# …or a difference: a change, an overrun, a figure set against another ("talousarvion tasaiseen
# toteutumaan verrattuna 0,3 milj. euroa")
_STATES_DIFFERENCE = re.compile(DIFFERENCE.pattern + r"|verrattuna|jäljessä", re.I)
# what a sentence says, by the words Finnish says it with (Voikko's lemmas, a participle as its
# own): how a matter stands — done, under way, unfinished, put off, reached or not ("Tavoite
# toteutui …", "ei yltänyt tavoitteeseen", "urakka jatkuu", "hinta on pysynyt maltillisena",
# "Toteutuma 31.12. oli …") — which a status question asks
STATE_LEMMAS = frozenset({
    "toteutua", "toteutunut", "toteutuma", "toteuma", "yltää", "yltänyt", "saavuttaa", "saavutettu",
    "saavuttanut", "valmis", "valmistua", "valmistunut", "kesken", "keskeneräinen", "jatkua",
    "siirtyä", "siirtynyt", "siirretty", "pysyä", "pysynyt", "viivästyä", "viivästynyt", "lykätä",
    "lykkääntyä", "lykkääntynyt", "aloittaa", "aloitettu", "käynnistyä", "käynnistynyt",
    "käynnistetty", "edetä", "edennyt", "edistynyt", "onnistua", "onnistunut", "päättyä",
    "päättynyt"})
# …its cause ("johtuen pienemmistä ennakonpidätyksistä", "määrärahojen riittämättömyyden takia",
# "koska tarjouspyyntöön saapui vain yksi tarjous"), which a reason question asks; "koska" is a
# stop word of the index, so it is read off the text
CAUSE_LEMMAS = frozenset({"johtua", "vuoksi", "takia", "syy", "seuraus", "ansio", "peruste", "siksi"})
_KOSKA = re.compile(r"\bkoska\b", re.I)
# …a goal set: the constructions stating one ("tavoitteena on", "tavoitteeksi asetettiin",
# "tavoitellaan", "pyritään", "tarkoituksena on", "Tuottotavoite: 5 %"), which a goal question
# asks and a status question does not (the goal is not how it went)
_STATES_GOAL = re.compile(r"\btavoit(?:teena|teeksi|el(?:laan|tiin|lut|tu))\b|"
                          r"tavoite(?:taso|arvo)?\s*(?:(?:on|oli)\b|:)|"
                          r"\bpyr(?:i(?:tään|ttiin|mme)|ki(?:i|vät|mys))\b|\btarkoitukse(?:na|ksi)\b", re.I)

# who acts, by the head of its (Finnish, head-final) lemma: an office or a title
# ("kaupunginjohtaja", "varhaiskasvatuspäällikkö", "sihteeri", "kaupunginhallituksen jäsen",
# "valtuutettu"), a body (`query.COLLEGIAL`: "sivistyslautakunta", "työryhmä") or an
# organisation ("Väylävirasto", "Etelä-Pohjanmaan liitto", "vesijohto-osuuskunta", a firm's Oy)
TITLE_HEADS = ("johtaja", "päällikkö", "sihteeri", "esittelijä", "insinööri", "arkkitehti",
               "koordinaattori", "asiamies", "lakimies", "tarkastaja", "valmistelija",
               "asiantuntija", "suunnittelija", "rehtori", "kamreeri", "jäsen", "valtuutettu",
               "urakoitsija", "konsultti")
# (lemma heads of any organisation acting: wider than the group's organisations of
# `query.GROUP_PARTS`, which are matched in any form of a word, not by a lemma's end)
ORGANISATION_HEADS = ("virasto", "laitos", "yhtymä", "liitto", "yhdistys", "osuuskunta", "säätiö",
                      "yhtiö", "ministeriö")
_BODY = re.compile(rf"(?:{COLLEGIAL.pattern})$", re.I)
_FIRM = re.compile(rf"([\w&-]+)\s+{_ORGANISATION.pattern}")


def agents(analyzer: Analyzer, words: str) -> dict[str, set[str]]:
    """Who a sentence names, by kind, as lemmas: "person" (a first name or surname after the
    first word, Voikko's `PERSON` classes), "title", "body", "organisation" (a lemma's head, or
    a firm's Oy, ry, Ab: `prose._ORGANISATION`). Each word by its lemma(s) only, not its
    compound's parts ("jäsenmaksun" names no jäsen, "Yhtiökokous" no yhtiö: `Analyzer.lemmas`)."""
    lemmas = set(analyzer.lemmas(words))
    out = {"person": {n.lower() for n in analyzer.names(words, PERSON, skip_first=True)},
           "title": {t for t in lemmas if t.endswith(TITLE_HEADS)},
           "body": {t for t in lemmas if _BODY.search(t)},
           "organisation": {t for t in lemmas if t.endswith(ORGANISATION_HEADS)}}
    # a firm by the word naming it ("Thermopolis Oy:n" → thermopolis), not by its "Oy"
    out["organisation"] |= {t for m in _FIRM.finditer(words) for t in analyzer.terms(m.group(1))[:1]}
    return out


def agent_fit(named: dict[str, set[str]] | None, info: QueryInfo) -> dict[str, float]:
    """For a who question, whom a sentence names (`named`: its `agents`, None for another
    question) against whom the question does: a title or a
    body (an office-holder, a board: "Sisäisen tarkastuksen koordinoinnista vastaa
    kaupunginjohtaja"), anyone the question does not name (`agent_new`), or only those it names
    (`agent_given`: "Kulttuuri- ja vapaa-aikalautakunta päätti panna asian pöydälle" for "Kenen
    ehdotuksesta … lautakunta pani … pöydälle?" names no one asked for). All 0 for another
    question."""
    if not info.who or named is None:
        return dict.fromkeys(("names_title_x_who", "names_body_x_who", "agent_new_x_who",
                              "agent_given_x_who"), 0.0)
    every = set().union(*named.values())
    given = set(info.terms)
    return {"names_title_x_who": float(bool(named["title"])),
            "names_body_x_who": float(bool(named["body"])),
            "agent_new_x_who": float(bool(every - given)),
            "agent_given_x_who": float(bool(every) and every <= given)}


def states_date(text: str) -> bool:
    """Whether a sentence says when finer than a year (`_STATES_DATE`: "pidetään ke 22.10.2025 -
    to 23.10.2025", "tammikuun kokous", "klo 15.00"; not "vuonna 2025" alone)."""
    return bool(_STATES_DATE.search(text))


def day_fit(text: str, asked: frozenset[str]) -> dict[str, float]:
    """The days a sentence names against those a question does (`QueryInfo.asked_days`):
    `day_match` where it names one of them, `day_clash` where it names only others ("… virkaan
    21.2.2022 lukien" for "… virkaan 15.1.2022 alkaen"); neither where either names none."""
    if not asked:
        return {"day_match": 0.0, "day_clash": 0.0}
    named = set(iso_days(text)) | set(named_days(text))
    # a day asked within a range the sentence names is its day ("toimikausi 1.1.–31.3.2025")
    within = any(a <= day <= b for a, b in day_ranges(text) for day in asked)
    match = within or bool(named & asked)
    return {"day_match": float(match), "day_clash": float(bool(named) and not match)}


def titled_person(analyzer: Analyzer, words: str, titles: set[str]) -> bool:
    """Whether a sentence names a person (a capitalised first name or surname, Voikko's `PERSON`
    classes) within two words of a title the question names ("Saapuvilla olleet jäsenet Kai
    Pöntinen, puheenjohtaja …" for "Kuka oli … puheenjohtaja …?"): the one who holds it."""
    if not titles:
        return False
    spans = analyzer.words(words)
    held = [i for i, (_a, _b, terms) in enumerate(spans) if titles.intersection(terms)]
    if not held:
        return False
    persons = [i for i, (a, b, _t) in enumerate(spans)
               if words[a].isupper() and analyzer.names(words[a:b], PERSON)]
    return any(abs(i - j) <= 2 for i in held for j in persons)


def undated(text: str) -> str:
    """`text` with the years, dates and §s it names blanked (a figure's own words kept where they
    stood): what `states_figure`, `units` and `figure_near` read, made once per sentence."""
    return _DATE.sub(lambda m: " " * len(m.group(0)), text)


def states_figure(plain: str) -> bool:
    """Whether a text (`undated`) states a figure besides the years, dates and §s it names
    ("Käydään läpi talousarvio vuodelle 2026" states none; "talousarvio vuodelle 2026 on 41 000
    euroa" does)."""
    return bool(_NUMBER.search(plain))


def units(plain: str) -> set[str]:
    """The measures (of `UNIT_MEASURES`) the figures of a text (`undated`) are stated in: "share"
    for "12,0 %", "amount" for "80.300 eurolla" or a "1000 €" header, "count" for "2 tarjousta",
    "kpl"."""
    return {m for m, unit in _UNITS.items() if unit.search(plain)}


def unit_fit(stated: set[str], measure: str | None) -> dict[str, float]:
    """The units a candidate's figure is stated in against the measure a question asks (a count
    — "montako", "how many", "hur många" — is answered by a count, a share by a %, an amount
    by euros): `unit_fit` where it states the one asked, `unit_clash` where it states only
    others ("80.300 eurolla" for "montako"), neither where the measure has no unit or the
    candidate states none."""
    if measure not in UNIT_MEASURES or not stated:
        return {"unit_fit": 0.0, "unit_clash": 0.0}
    return {"unit_fit": float(measure in stated), "unit_clash": float(measure not in stated)}


def figure_near(analyzer: Analyzer, text: str, plain: str, content: frozenset[str],
                unit: re.Pattern | None = None) -> float:
    """How near the figure a text states stands to the question's subject: 1 / (1 + how many
    words apart stand a figure — a year, a date or a § is none; with `unit`, only one stated in it
    (its unit within the figure or the 12 characters after) — and a word holding a content term
    of the question), the figure's own noun or unit counting as the figure ("virkaan haki 11
    henkilöä" for "montako henkilöä haki virkaa": 1; "Katuvaloja poistetaan 31 kpl": 1/2); 0
    where it states no such figure or no such word ("Katuvalokeskus 203 … on päätetty poistaa
    käytöstä" for a count, the § 's "19.12.2022 § 443" for "montako henkilöä"). `plain`: the
    text `undated`."""
    # (the unit searched in the whole text, not a cut of it: a cut ends a word, and a counted
    # noun's pattern would read "15 kaupunginha…" as a count)
    figures = [(m.start(), m.end()) for m in _NUMBER.finditer(plain)
               if unit is None or ((u := unit.search(plain, m.start())) is not None
                                   and u.start() <= m.end() + 12)]
    if not figures or not content:
        return 0.0
    words = analyzer.words(text)
    at = [i for i, (a, b, _t) in enumerate(words) if any(a < e and s < b for s, e in figures)]
    subject = [i for i, (a, _b, terms) in enumerate(words)
               if not text[a].isdigit() and content.intersection(terms)]
    if not at or not subject:
        return 0.0
    return 1.0 / (1 + min(abs(i - j) for i in at for j in subject))


def says_nothing(c: Candidate, yes_no: bool) -> bool:
    """A line of prose holding only the question's own words ("Kumppanuustalo –toimintamalli" for
    "miten Kumppanuustalo-toimintamallin tavoite on muotoiltu", a heading of a list) answers
    nothing, unless the question asks yes or no ("Toteutui" for "Toteutuiko …?")."""
    return c.kind == "sentence" and bool(c.features.get("nothing_new")) \
        and not c.features.get("is_row_text") and not yes_no


def states_no_figure(c: Candidate, yes_no: bool) -> bool:
    """A sentence stating no figure (`Candidate.figureless`) answers no figure question: what a
    figure question asks is a number, and a sentence that answers it states one
    ("Kuukausivuokra on 1 061,00 euroa", not "… on ollut kaupungin vuokralaisena 1.2.2007
    lukien"), unless the question asks yes or no ("Mitataanko … määrää?")."""
    return c.figureless and not yes_no


# a year-like number stated in a unit is a figure ("Hinta on 2050 euroa"), and a cardinal in
# words one without its counted noun after it ("Tarjouksia saatiin kaksi.")
_YEAR_FIGURE = re.compile(r"\b(?:19|20)\d\d\s*(?:€|%|euro\w*|prosent\w*|henkilöä\b|henkeä\b|hlö\b|kpl\b)",
                          re.I)
_BARE_NUMBER_WORD = re.compile(_NUMBER_WORD + r"\b", re.I)
# the first part of a region's compound name ("Etelä-Pohjanmaa", "Keski-Suomi", "Päijät-Häme")
_REGION_PREFIX = frozenset(("etelä", "pohjois", "itä", "länsi", "keski", "varsinais", "päijät", "kanta"))
# a place's name in a label or a question: a word, or a region's prefix and name ("Etelä-Pohjanmaa")
_PLACE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?")
# the whole country as a row of a table of places names it
_COUNTRY_ROWS = frozenset(("koko maa", "koko suomi", "suomi", "manner-suomi", "valtakunta",
                           "koko valtakunta"))
COUNTRY = "koko maa"
# …and as a question asks of it ("koko maassa", "valtakunnallinen", "the whole country",
# "nationwide", "hela landet"); a region or subregion asked by its common noun ("maakunnan",
# "seutukunnan", "the region") is a place no row's name tells
_COUNTRY_ASKED = re.compile(r"\bkoko (?:maa|suome)\w*|\bvaltakunn\w*|\bwhole (?:of )?(?:the )?country\b|"
                            r"\bnation(?:al(?:ly)?|wide)\b|\bhela (?:landet|finland|riket)\b|"
                            r"\briks(?:nivå|genomsnitt)\w*", re.I)
_AREA_ASKED = re.compile(r"\b(?:maa|seutu)kun\w*|\bregion\w*|\bsub-?region\w*|\blandskap\w*", re.I)


def place_keys(analyzer: Analyzer, word: str) -> set[str]:
    """The place a word names, as a key rows and questions share: its lemma ("Alavus",
    "Ilmajoen" → ilmajoki), a region's with its prefix ("Etelä-Pohjanmaan" → etelä-pohjanmaa),
    "koko maa" for Finland; none where it names no place."""
    prefix, _, name = word.rpartition("-")
    if prefix and prefix.lower() not in _REGION_PREFIX:
        return set()
    named = {n.lower() for n in analyzer.place_names(name)} & set(analyzer.terms(name))
    keys = {f"{prefix.lower()}-{n}" if prefix else n for n in named}
    return {COUNTRY if k == "suomi" else k for k in keys}


def place_row(analyzer: Analyzer, label: str) -> frozenset[str] | None:
    """The places a table row's label is the name of (`place_keys`: "Alavus" → alavus,
    "Etelä-Pohjanmaa" → etelä-pohjanmaa, "Koko maa" and "Suomi" → koko maa), or None where it
    names something else ("Kauhavan Kaukolämpö Oy", "Marttilan koulu", "Toimintakulut",
    "Maakunta"): a row of a table of places holds that place's figures."""
    words = _PLACE_WORD.findall(label)
    if not words or len(words) > 3:
        return None
    if " ".join(words).lower() in _COUNTRY_ROWS:
        return frozenset({COUNTRY})
    keys = [place_keys(analyzer, w) for w in words]
    return frozenset(k for ks in keys for k in ks) if all(keys) else None


def answer_order(probs: np.ndarray, found: list[Candidate], yes_no: bool) -> list[int]:
    """The candidates by the model's probability, best first; those saying nothing, for a figure
    question those stating no figure, and a row of another place than the one asked, last."""
    order = [int(i) for i in np.argsort(-probs, kind="stable")]
    last = [says_nothing(found[i], yes_no) or states_no_figure(found[i], yes_no)
            or found[i].elsewhere for i in range(len(found))]
    return [i for i in order if not last[i]] + [i for i in order if last[i]]


@dataclass
class Candidate:
    kind: str  # "sentence" or "cell"
    rank: int  # of its result
    n: int  # passage row
    start: int  # [start, end) in the passage's printed text (sentence) or None for a cell
    end: int
    col: int | None  # a cell's column
    features: dict[str, float]
    asked: tuple[int, int] | None = None  # the goal-table cell the question names, holding it
    # a row of a table of places, of another place than the question names (`place_row`)
    elsewhere: bool = False
    # a figure question's sentence stating no figure besides its years, dates and §s
    # (`states_no_figure`)
    figureless: bool = False


class Chooser:
    """Candidates, their features, and the model's choice."""

    def __init__(self, searcher: Searcher, asked_cell: AskedCell,
                 coverage: Callable[[QueryInfo, int], float], model: Path = MODEL) -> None:
        self.searcher = searcher
        self.coverage = coverage  # the share of the question's weighted words passage n holds
        self.asked_cell = asked_cell  # the goal-table cell a question names (Cells.asked)
        self.analyzer = searcher.analyzer
        self.model = json.loads(model.read_text(encoding="utf-8")) if model.exists() else None

    # -- candidates ----------------------------------------------------------------------------

    def candidates(self, info: QueryInfo, hits: list[Hit], rules: dict | None = None
                   ) -> list[Candidate]:
        """Every sentence and cell of the top results, with features; `rules` (the hand rules'
        answer, or None) marks the candidate they would answer with."""
        s = self.searcher
        out: list[Candidate] = []
        near = self.results(hits)
        intent, measure = info.intent
        base = {f"intent_{i}": float(intent == i) for i in INTENTS}
        base |= {f"measure_{m}": float(measure == m) for m in MEASURES}
        base["figure_words"] = float(info.figure or info.percent)
        # routine text (appeal instructions, minutes checkers) is unasked boilerplate unless the
        # question asks about the routine itself, as the answerer keeps those results then
        unasked = not (asks_routine(info.text) or info.asks_meeting)
        asked = self._asked_places(info)  # (once: what a row of a table of places is against)
        for rank, h in enumerate(near):
            p = s.passages[h.n]
            common = base | {"rank_inv": 1.0 / (rank + 1), "score": h.score, "lexical": h.lexical,
                             "dense": h.dense, "first": float(rank == 0),
                             "passage_share": self.coverage(info, h.n),
                             "boilerplate": float(unasked and bool(BOILERPLATE.search(p["section"] or ""))),
                             "period_match": float(info.cues.end_month is not None
                                                   and s.period_end(h.n) == info.cues.end_month),
                             "period_clash": float(info.cues.end_month is not None
                                                   and s.period_end(h.n) not in (None, info.cues.end_month))}
            cells = self._cells(info, rank, h, p, common, asked) if p["kind"] == "table_row" else []
            out += self._sentences(info, rank, h, p, common, unasked, figures_are_cells=bool(cells))
            out += cells
        # a row against every row of the results: how far it falls short of the one naming the
        # question best
        best = {f: max((c.features[f] for c in out if c.kind == "cell"), default=0.0)
                for f in ("label_match", "row_share")}
        for c in out:
            c.features["rules_choice"] = float(self._is_rules(c, rules))
            if c.kind == "cell":
                c.features |= {"label_gain": c.features["label_match"] - best["label_match"],
                               "row_share_gain": c.features["row_share"] - best["row_share"]}
        return out

    def results(self, hits: list[Hit]) -> list[Hit]:
        """The results whose sentences and cells are candidates: the first TOP that are no table
        summary."""
        return [h for h in hits if self.searcher.passages[h.n]["kind"] != "table"][:TOP]

    def _is_rules(self, c: Candidate, rules: dict | None) -> bool:
        if not rules:
            return False
        p = self.searcher.passages[c.n]
        if c.kind == "cell":
            t = rules.get("table") or {}
            return t.get("id") == p["table_id"] and t.get("row_index") == p["row_index"] \
                and t.get("column_index") == c.col
        cite = rules["citations"][0]
        return rules["answer_type"] == "passage" and cite["passage_id"] == p["id"] and \
            p["start"] + c.start <= cite["start"] < p["start"] + c.end

    def _sentences(self, info: QueryInfo, rank: int, h: Hit, p: dict, common: dict,
                   unasked: bool, figures_are_cells: bool = False) -> list[Candidate]:
        """The sentences of a passage or a row's printed text; where the row's figures are cell
        candidates (their columns headed), a figure alone is no sentence candidate: the cell
        says which column it is."""
        s = self.searcher
        text = printed(s, p)
        spans = answer_spans(self.analyzer, text)
        names = self._names(p)
        intent, measure = info.intent
        doc_title = s.docs[p["doc_id"]].title
        own_year = report_year(s.docs[p["doc_id"]])
        section_years = stated_years(p["section"] or "")  # (once, not per sentence)
        # a figure question of a place: the area a sentence names before its figure, if another
        # (the country, a region, another town) and not the place, is whose figure it states
        place = s.query_reader.own_terms(info.municipalities) \
            if intent == "figure" and info.municipalities else set()
        asked = self.asked_cell(p, text, info) if p["kind"] == "table_row" else None
        # the titles a who question names ("puheenjohtaja"): whoever a sentence names beside one
        titles = {t for t in info.terms if t.endswith(TITLE_HEADS)} if info.who else set()
        if asked is not None and any(asked[0] <= a < asked[1] for a, _b in spans):
            # the question names a column of this goal-table row: that cell is the row's answer
            spans = [(a, b) for a, b in spans if asked[0] <= a < asked[1]]
        out = []
        for i, (a, b) in enumerate(spans):
            words = text[a:b]
            lemmas = set(self.analyzer.terms(words))
            terms = lemmas | self.analyzer.bases(words)
            n_words = len(words.split())
            years = years_in(words)
            number = bool(_NUMBER.search(words))
            plain = undated(words)  # (once: the figure's unit, whether and where it states one)
            own = says_words(self.analyzer, words)
            if not own and figures_are_cells:
                continue
            inside = asked is not None and asked[0] <= a < asked[1]
            states = self._states(words, lemmas)
            named = agents(self.analyzer, words) if info.who else None
            figureless = intent == "figure" and p["kind"] != "table_row" and not states_figure(plain) \
                and not _YEAR_FIGURE.search(words) and not _BARE_NUMBER_WORD.search(words)
            out.append(Candidate("sentence", rank, h.n, a, b, None, common | {
                "is_sentence": 1.0, "is_row_text": float(p["kind"] == "table_row"),
                "own_share": s.content_share(info, terms),
                "own_overlap": float(info.met(terms)),
                "has_number": float(number),
                "number_x_figure": float(number) * float(info.figure or info.percent
                                                         or info.intent[0] == "figure"),
                # a table row's label line without its figures (a heading of the row)
                "label_only": float(p["kind"] == "table_row" and not number),
                "year_match": float(bool(years & set(info.years))),
                "year_clash": float(bool(years) and bool(info.years) and not years & set(info.years)),
                "log_words": math.log1p(n_words),
                "short": float(n_words < 5),
                "no_end": float(not _FINITE_END.search(words)),
                "position": 1.0 / (i + 1),
                "boilerplate_text": float(unasked and bool(BOILERPLATE.search(words))),
                "names_agent": float(named is not None and bool(named["person"]
                                                                or _ORGANISATION.search(words))),
                # …and whom: a title, a body, anyone the question does not name already, the
                # holder of the title it asks of
                **agent_fit(named, info),
                "titled_person_x_who": float(titled_person(self.analyzer, words, titles)),
                # when: a day, a month, a clock time, for a when question; the day a question
                # names against those a sentence does (of any question)
                "states_date_x_when": float(intent == "when" and states_date(words)),
                **day_fit(words, info.asked_days),
                "asked_cell": float(inside),
                # a line only repeating the question's words (a heading) tells nothing
                "nothing_new": float(not lemmas - set(info.terms)),
                # a figure alone ("-52 300"), and a line naming only its row or column (the
                # row's label "TOIMINTAKULUT", a total "Yhteensä 2024"), say what, not how much
                "bare_figure": float(not own),
                "names_only": float(bool(own) and names is not None and set(own) <= names),
                # the measure a sentence's figure states against the measure asked
                "states_percent": float(bool(_STATES_PERCENT.search(words))),
                "states_percent_x_asked": float(bool(_STATES_PERCENT.search(words))
                                                and measure == "share"),
                "states_difference_x_asked": float(number and bool(_STATES_DIFFERENCE.search(words))
                                                   and measure == "difference"),
                # the unit its figure is stated in against the measure asked ("6 %" or "80.300
                # eurolla" for "montako")
                **unit_fit(units(plain) if number else set(), measure),
                # a figure besides the years and dates it names ("talousarvio vuodelle 2026"
                # states none) for a figure question
                "figure_x_figure": float(states_figure(plain)) * float(info.intent[0] == "figure"),
                # "Vuoden 2022 lopussa Lapin työttömyysaste oli 9,1 prosenttia." for Kemi's
                "elsewhere_x_figure": float(bool(place) and about_elsewhere(
                    self.analyzer, words, place, s.query_reader.all_place_terms)),
                # how near a figure in the unit asked stands to the question's subject words
                # ("virkaan haki 11 henkilöä" against "… on päätetty poistaa käytöstä", a bare
                # "6 %" or a code "5125 Nurmon liikuntahallin laajennus" for an amount)
                "figure_near_unit": figure_near(self.analyzer, words, plain, info.content_terms,
                                               _UNITS[measure])
                if measure in _UNITS else 0.0,
                # an organisation the question names that neither the sentence, its section nor
                # its document does ("Teknisen lautakunnan toimintakate" for the welfare board's)
                "sentence_entity_missing": entity_fit(f"{words} {p['section'] or ''} {doc_title}",
                                                      info)[1],
                # the year its figure is of (its own words', else its section's, else its
                # report's) against the years asked ("… 1.1.-31.10.2025" for "lokakuun 2024")
                **period_fit(stated_years(words) or section_years, info.cues, own_year),
                # what the sentence states against what the question asks of it: a state for
                # a status question (and the goal it was set, which is not how it went), a cause
                # for a reason question, the goal for a goal question
                "states_state_x_status": float("state" in states and intent == "status"),
                "states_goal_x_status": float("goal" in states and intent == "status"),
                "states_cause_x_reason": float("cause" in states and intent == "reason"),
                "states_goal_x_goal": float("goal" in states and intent == "goal"),
            }, asked if inside else None, figureless=figureless))
        return out

    @staticmethod
    def _states(words: str, lemmas: set[str]) -> set[str]:
        """What a sentence states of those a question may ask ("state", "cause", "goal"), by
        its words (`lemmas`: theirs, a derived word's own: "pysyviä" is no "pysyä")."""
        out = set()
        if lemmas & STATE_LEMMAS:
            out.add("state")
        if lemmas & CAUSE_LEMMAS or _KOSKA.search(words):
            out.add("cause")
        if _STATES_GOAL.search(words) and "state" not in out:  # "Tavoite on saavutettu." is a state
            out.add("goal")
        return out

    def _names(self, p: dict) -> frozenset[str] | None:
        """The terms naming a table row's place (its label, group rows, column headers, table
        title), or None for a passage outside a table."""
        if p["kind"] != "table_row":
            return None
        table = self.searcher.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        return frozenset(self.analyzer.terms(" ".join(
            [row["label"] or "", *(g or "" for g in row["groups"]), *(c or "" for c in table["columns"]),
             table["title"] or ""])))

    def _asked_places(self, info: QueryInfo) -> frozenset[str]:
        """The places a question names, as `place_keys` (the corpus municipalities' own terms,
        any other place's key, "koko maa" for the whole country), with the question's terms
        (a row's place lemma the question has is asked); of one place's item of a question
        across places, that place's (and the country's) only. None where it names no place, or
        asks of a region by its common noun ("maakunnan työttömyysaste": which row is its,
        no name tells); a surname Voikko also reads as a place ("Nieminen") counts as one."""
        own = self.searcher.query_reader.own_terms(info.municipalities)
        country = {COUNTRY} if _COUNTRY_ASKED.search(info.text) else set()
        if info.item:
            return frozenset(own | country)
        places = {k for w in _PLACE_WORD.findall(info.text) for k in place_keys(self.analyzer, w)}
        regions = {k.split("-")[-1] for k in places if "-" in k}
        if _AREA_ASKED.search(info.text) and not regions:
            return frozenset()
        if not own and not places and not country:
            return frozenset()
        return frozenset(own | places | regions | set(info.terms) | country)

    def _cells(self, info: QueryInfo, rank: int, h: Hit, p: dict, common: dict,
               asked: frozenset[str]) -> list[Candidate]:
        s = self.searcher
        table = s.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        best = pick_column(table["columns"], row["cells"], info.cues)
        label = row_name(row)  # a block's total ("" · "Yhteensä") by its group
        names = " ".join([row["label"] or "", *(g for g in row["groups"] if g), table["title"] or ""])
        row_share = s.content_share(info, set(self.analyzer.terms(names)))
        label_match = fuzz.partial_ratio(label.lower(), info.finnish_text.lower()) / 100 if label else 0.0
        # who the table speaks of: its title, section, group rows and document, and the column
        where = " ".join([table["title"] or "", p["section"] or "", *(g for g in row["groups"] if g),
                          s.docs[p["doc_id"]].title])
        unasked = label_words(self.analyzer, label, info)[1]  # (the row's: once, not per column)
        # a row of a table of places ("Alavus", "Etelä-Pohjanmaa", "Koko maa") is that place's:
        # of another than the question names, it answers nothing asked (where it names a place)
        places = place_row(self.analyzer, row["label"] or "") if asked else None
        elsewhere = bool(places and not places & asked)
        own_year = report_year(s.docs[p["doc_id"]])
        row_years = nearest_years([table["title"] or "", p["section"] or ""])  # (once, not per cell)
        out = []
        for col, (header, cell) in enumerate(zip(table["columns"], row["cells"], strict=False)):
            header = header or ""
            if cell.get("number") is None or not _HEADING.search(header):
                continue
            month = period_end_month(header) or s.period_end(h.n)
            _, measure = info.intent
            group_unasked, entity_missing = entity_fit(f"{where} {label} {header}", info)
            header_asked, header_unasked = header_words(self.analyzer, header, info)
            out.append(Candidate("cell", rank, h.n, 0, 0, col, common | {
                "is_cell": 1.0, "row_share": row_share, "label_match": label_match,
                # the row label's words the question does not say ("Muut" of "Muut
                # toimintakulut" for "toimintakulut"); its words said, a feature too, cost the
                # cross-validation's threshold its one decline (0.041 → 0)
                "label_unasked": unasked,
                # the organisation the table speaks of against the one asked (the group's
                # "Konsernirahoituslaskelma" for the city's loans, another board's minutes)
                "group_unasked": group_unasked, "entity_missing": entity_missing,
                # the column's own words besides its role ("Vakinaiset Yhteensä", "euroa / vuosi")
                "header_asked": header_asked, "header_unasked": header_unasked,
                "column_fit": column_score(header, info.cues), "best_column": float(col == best),
                # the year the column is of (its header's, else its table title's or section's,
                # else its report's; "Edellisten vuosien" of earlier years) against the years
                # asked ("Tot.-%" under "… 1.1.-31.10.2025" for "lokakuun 2024 loppuun")
                **period_fit(stated_years(header) or row_years, info.cues, own_year,
                             earlier_years(header)),
                "cell_period_clash": float(info.cues.end_month is not None and month is not None
                                           and month != info.cues.end_month),
                # figures: a row dated by its decision in the month asked ("Kv 27.5." · "Muutos")
                "label_month_fit": month_fit(row, info.cues),
                "difference_column": float(states_difference(header)),
                "difference_x_asked": float(states_difference(header))
                * float(measure == "difference"),
                "percent_column": float(is_percent(header, cell)),
                "percent_x_asked": float(is_percent(header, cell))
                * float(measure == "share"),
                # the cell's unit (its own — the parser's: its table's, or none for a count row
                # under a money table — its header's, its table title's) against the measure asked
                # (a "1000 €" row for "montako", a "kpl" row for "paljonko")
                **unit_fit(units(undated(" ".join([cell.get("unit") or "", header, label,
                                                   table["title"] or ""]))), measure),
                "per_capita_x_asked": float(bool(_PER_CAPITA.search(header + " " + label)))
                * float(measure == "per_capita"),
                "cell_x_figure": float(info.figure or info.percent or info.intent[0] == "figure"),
                # the row fails an identity its table obeys (a shifted or merged column)
                "failed_check": float(bool(row.get("failed_checks"))),
                "checked": float(bool(row.get("checked"))),
            }, elsewhere=elsewhere))
        return out

    # -- the model -----------------------------------------------------------------------------

    def ranked(self, candidates: list[Candidate], yes_no: bool) -> tuple[np.ndarray, list[int]]:
        """(each candidate's probability of being right, the logistic regression's; the
        candidates best first, `answer_order`, by the choice model's scores where the model has
        one, else by the probabilities), from one standardised design matrix. (What a question
        is declined by is `choose`'s: the decline model's probability of the chosen one.)"""
        probs, scores = self._scored(candidates)
        return probs, answer_order(scores, candidates, yes_no)

    def _scored(self, candidates: list[Candidate]) -> tuple[np.ndarray, np.ndarray]:
        """(each candidate's probability, the logistic regression's; its score the choice is by,
        `choice_scores`), from one standardised design matrix."""
        m = self.model
        z = standardised(m, design(candidates, m["features"]))
        probs = logistic(m, z)
        return probs, choice_scores(m, z, probs)

    def choose(self, info: QueryInfo, hits: list[Hit], rules: dict | None = None,
               keep: Callable[[Candidate], bool] | None = None) -> tuple[Candidate, float] | None:
        """The best candidate (of those `keep` keeps) and its probability, or None (no candidate
        or no model)."""
        if self.model is None:
            return None
        found = self.candidates(info, hits, rules)
        if not found:
            return None
        probs, scores = self._scored(found)
        order = answer_order(scores, found, info.yes_no)
        # (the best first: `keep` is asked of as few as it takes)
        at = next((k for k, i in enumerate(order) if keep is None or keep(found[i])), None)
        if at is None:
            return None
        best = order[at]
        if "decline" not in self.model:
            return found[best], float(probs[best])
        second = order[at + 1] if at + 1 < len(order) else None
        return found[best], self.decline_probability(
            found[best], float(scores[best]), None if second is None else float(scores[second]),
            float(probs[best]))

    def decline_probability(self, c: Candidate, top: float, second: float | None,
                            pointwise: float) -> float:
        """The decline model's probability that the chosen candidate `c` is right (`m["decline"]`,
        eval/train_answerer.py `fit_decline`): a logistic regression over its choice score `top`,
        its margin over the next candidate's `second`, the logistic regression's `pointwise`
        probability and its own evidence features — what tells an answer from one of a question
        the reports do not answer better than the probability alone (the choice model picks its
        candidate by other weights than the probability's)."""
        d = self.model["decline"]
        x = np.array([decline_features(top, second, pointwise)
                      + [c.features.get(f, 0.0) for f in d["features"]]])
        return float(logistic(d, standardised(d, x))[0])

    @property
    def threshold(self) -> float:
        """The probability below which the chosen candidate is declined: the decline model's
        where the model has one, else the logistic regression's."""
        if not self.model:
            return 0.0
        return float(self.model.get("decline", self.model)["threshold"])


def decline_features(top: float, second: float | None, pointwise: float) -> list[float]:
    """What a decline model reads of a question's choice: the chosen candidate's score, its
    margin over the next one's (0 when it is the only one) and the logistic regression's
    probability of it, as a logit."""
    p = min(max(pointwise, 1e-6), 1 - 1e-6)
    return [top, 0.0 if second is None else top - second, math.log(p / (1 - p))]


def design(candidates: list[Candidate], names: list[str]) -> np.ndarray:
    """The candidates' rows of the named features; "a*b" is the product of features a and b (an
    interaction: a feature of a cell apart from one of a sentence, of one intent apart; the ones
    eval/train_answerer.py --compare measures)."""
    plain = [n for n in names if "*" not in n]
    x = np.array([[c.features.get(n, 0.0) for n in plain] for c in candidates], dtype=float) \
        .reshape(len(candidates), len(plain))
    if len(plain) == len(names):
        return x
    out = np.zeros((len(candidates), len(names)))
    out[:, [i for i, n in enumerate(names) if "*" not in n]] = x
    for i, n in enumerate(names):
        if "*" in n:
            out[:, i] = [math.prod(c.features.get(part, 0.0) for part in n.split("*")) for c in candidates]
    return out


def standardised(m: dict, x: np.ndarray) -> np.ndarray:
    """The features standardised as the model was fitted on them (`m`: mean, scale)."""
    return (x - np.array(m["mean"])) / np.array(m["scale"])


def logistic(m: dict, z: np.ndarray) -> np.ndarray:
    """A logistic regression's probabilities over standardised features `z` (`m`: coef,
    intercept)."""
    return 1.0 / (1.0 + np.exp(-(z @ np.array(m["coef"]) + m["intercept"])))


def choice_scores(m: dict, z: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """The scores a question's candidates are chosen by: the conditional logit's (`m`'s
    `choice_coef`, over the same standardised features `z`; eval/train_answerer.py
    `fit_choice`), which is fitted to pick one right candidate among a question's rather than to
    tell each one right or wrong; `probs` where the model has none."""
    if "choice_coef" not in m:
        return probs
    return z @ np.array(m["choice_coef"])
