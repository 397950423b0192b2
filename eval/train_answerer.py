"""Fit the answer model (api/choose.py) on the training questions and write
api/data/answer_model.json.

    .venv/bin/python eval/train_answerer.py [--folds 5] [--add eval/train_more6.json …]

Training questions: the train split of eval/answers.json, the dev set (eval/questions.json) and
the questions of a second, a third, a fourth and a fifth seeded draw (eval/train_more.json,
eval/train_more2.json, eval/train_more3.json, eval/train_more4.json + eval/train_more5.json),
and those of the files `--add` names (a later draw's, the latest then); never the test split or
the check set (refused), nor the held-out set. Every candidate of a question's top results (its
sentences and cells) is labelled: a sentence is right when it overlaps a gold quote's place (or
quotes the same words) and, for a figure question, states the figure; a cell when its row
overlaps a gold quote (or prints the same words: a twin of the row in another document) and it
holds the figure. A logistic regression (scikit-learn, standardised
features, balanced classes) scores candidates one by one. The choice model, a conditional logit
over the same standardised features (`fit_choice`: each question's candidates compete in a
softmax), picks the candidate that answers. The decline model (`decline_model`), a logistic
regression stacked on the two over the questions' left-out choices, reads the chosen candidate's
choice score, its margin over the runner-up, the regression's probability of it and its own
evidence features (`DECLINE_EVIDENCE`): its probability is what the threshold declines by. The
decline threshold is the one that, over the questions left out in a cross-validation grouped by
question, gives the most right answers plus right declines. Needs a built index of corpus/.

`--declines` fits nothing: it prints the cross-validated right answers, declines and answered
of the logistic regression's probability (served before the decline model) and of stacked
decline models over other features, over three fold splits.

`--compare` fits nothing: it prints, for the same candidates and the same grouped folds (those of
the served model's cross-validation, over every training question), each variant's best
candidate right among the left-out answerable questions and, at the threshold chosen as for the
served model, right answers, declines and answered, side by side: the logistic regression alone
(choosing as well as declining), the choice model at other penalties, the logistic regression
with other C; with interactions (`INTERACTIONS`: every candidate feature apart for a cell and a
sentence, or for each intent, or the question's features apart for a cell and a sentence); and
LightGBM rankers over each question's candidates (`ranker_grid`: lambdarank and rank_xendcg,
small trees) that decline by a logistic regression over the chosen candidate's ranker score,
its margin over the second and the logistic regression's probability (stacked: fitted on the
other folds' left-out scores). So a change of model is judged on the training questions alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from api.answer import Answerer  # noqa: E402
from api.choose import MODEL, Candidate, Chooser, answer_order, decline_features, design  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.evaluate import (  # noqa: E402
    Question,
    cell_figure,
    gold_spans,
    load_questions,
    right_figure,
    same_words,
    stated,
)
from indexer.settings import Settings  # noqa: E402

C = 0.5  # inverse regularisation strength
# the choice model's L2 penalty (`fit_choice`; --compare: 3, 10 and 30 within 0.005 of each other
# over three fold splits, 100 worse)
CHOICE_LAMBDA = 10.0
# the share of answerable training questions the decline threshold must still answer (issue #16's
# target, over the cross-validation's left-out questions)
ANSWERED_MIN = 0.95


SETS = ("eval/answers.json train split + eval/questions.json + eval/train_more.json"
        " + eval/train_more2.json + eval/train_more3.json + eval/train_more4.json"
        " + eval/train_more5.json")


# question files a refit must not learn from (`--add`): the test split's and the English/Swedish
# check set, scored only by eval/bench_answers.py
NEVER_TRAINED = ("eval/answers.json", "eval/xling_check.json")


def training_sets(add: tuple[Path, ...] = ()) -> tuple[list[Question], ...]:
    """(the first training questions: answers.json's train split and the dev set, the questions of
    the second draw: eval/train_more.json, those of the third: eval/train_more2.json, those of the
    fourth: eval/train_more3.json, those of the fifth: eval/train_more4.json and
    eval/train_more5.json, its units written from by two people; then, where `add` names files
    (`--add`), their questions together, the latest draw; else the fifth is the latest)."""
    for path in add:
        if path.resolve() in {(ROOT / n).resolve() for n in NEVER_TRAINED}:
            raise SystemExit(f"--add {path}: {path.name} holds questions scored only by the "
                             "benchmark (the test split or the check set); no refit learns from them")
        if not path.is_file():
            raise SystemExit(f"--add {path}: no such question file")
    new = [q for q in load_questions(ROOT / "eval" / "answers.json") if q.split == "train"]
    parts = (new + load_questions(ROOT / "eval" / "questions.json"),
             load_questions(ROOT / "eval" / "train_more.json"),
             load_questions(ROOT / "eval" / "train_more2.json"),
             load_questions(ROOT / "eval" / "train_more3.json"),
             load_questions(ROOT / "eval" / "train_more4.json")
             + load_questions(ROOT / "eval" / "train_more5.json"))
    if add:
        parts += ([q for path in add for q in load_questions(path)],)
    ids = [q.id for part in parts for q in part]
    if len(ids) != len(set(ids)):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise SystemExit(f"--add: question ids {', '.join(twice[:5])} are in two training files")
    return parts


def training_questions() -> list[Question]:
    """Every training question (the sets of `SETS`)."""
    return [q for part in training_sets() for q in part]


def label(searcher: Searcher, spans: list[tuple[str, int, int]], q: Question, c: Candidate) -> bool:
    """Whether the candidate answers the question (see the module's docstring); `spans`: where
    its gold quotes lie."""
    if not q.answerable:
        return False
    p = searcher.passages[c.n]
    golds = [" ".join(g["quote"].split()) for g in q.gold]
    if c.kind == "cell":
        table = searcher.table(p["table_id"])
        row = table["rows"][p["row_index"]]
        cell = row["cells"][c.col]
        said = cell_figure(cell["number"], cell.get("unit"), cell["text"])  # (as `Cells.answer_cell`)
        # the row of a gold quote, or the same row printed in another document (the agenda's
        # table in the minutes: the collapse keeps one of the twins)
        printed = searcher.text_span(p["doc_id"], row["start"], row["end"])
        overlaps = any(d == p["doc_id"] and s < row["end"] and row["start"] < e for d, s, e in spans) or \
            same_words(printed, golds)
        return overlaps and q.value is not None and right_figure(q, [said])
    start, end = p["start"] + c.start, p["start"] + c.end
    quote = " ".join(searcher.text_span(p["doc_id"], start, end).split())
    overlaps = any(d == p["doc_id"] and s < end and start < e for d, s, e in spans) or \
        same_words(quote, golds)
    return overlaps and (q.value is None or right_figure(q, stated(quote)))


def gather(answerer: Answerer, chooser: Chooser, questions: list[Question]) -> list[dict]:
    """Per question: its candidates' features and labels, or why it was declined before them."""
    s = answerer.searcher
    documents = s.document_texts()
    out = []
    for q in questions:
        info, _filters, keep = s.prepare(q.question, q.municipality)
        hits = s.collapse(s.rank(info, keep), 10)
        ruled = answerer._decline_reason(info, hits, learned=True, keep=keep)
        rules = None if ruled else answerer._rules(q.question, info, hits)
        found = [] if ruled else chooser.candidates(info, hits, rules)
        spans = [span for g in q.gold for span in gold_spans(s, documents, g)]
        out.append({"q": q, "ruled": ruled is not None, "candidates": found,
                    "yes_no": info.yes_no,
                    "labels": [label(s, spans, q, c) for c in found]})
    return out


def matrix(rows: list[dict], features: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(the candidates' features as `api.choose.design` makes them, their labels, their question)."""
    found = [c for r in rows for c in r["candidates"]]
    y = [lab for r in rows for lab in r["labels"]]
    group = [i for i, r in enumerate(rows) for _ in r["candidates"]]
    return design(found, features), np.array(y, dtype=bool), np.array(group, dtype=int)


def fit(x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None, c: float = C
        ) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(
        scaler.transform(x), y, sample_weight=weight)
    return scaler, model


def outcomes(rows: list[dict], probs: dict[int, np.ndarray], chosen_by: dict[int, np.ndarray] | None = None
             ) -> list[tuple[bool, bool, float]]:
    """(answerable, best candidate right, its probability) per question not declined by a rule;
    a rule-declined one is (answerable, False, -1). The best is by `chosen_by` (a choice model's
    scores) where given, else by `probs`, as the chooser's (`Chooser.ranked`)."""
    out = []
    for i, r in enumerate(rows):
        if r["ruled"] or not r["candidates"]:
            out.append((r["q"].answerable, False, -1.0))
            continue
        order = probs[i] if chosen_by is None else chosen_by[i]
        best = answer_order(order, r["candidates"], r.get("yes_no", False))[0]
        out.append((r["q"].answerable, bool(r["labels"][best]), float(probs[i][best])))
    return out


def best_threshold(results: list[tuple[bool, bool, float]], answered_min: float = ANSWERED_MIN
                   ) -> tuple[float, dict[str, float]]:
    """The threshold giving the most right answers plus right declines among those that still
    answer at least `answered_min` of the answerable questions (the issue's "answered ≥ 0.95": a
    declined answerable question counts for nothing in the sum, so without the bound a weak
    ranker's best is to decline whatever it would get wrong); where a run of thresholds gives as
    many (a plateau), the middle of the first run: as far from a worse one as the left-out
    questions allow, not at the edge where one more question tips it."""
    n_ans = sum(a for a, *_ in results) or 1
    n_un = sum(not a for a, *_ in results) or 1

    def answered(t: float) -> float:
        return sum(a and p >= t for a, _ok, p in results) / n_ans

    def score(t: float) -> tuple[int, dict[str, float]]:
        right = sum(a and ok and p >= t for a, ok, p in results)
        declined = sum(not a and p < t for a, _ok, p in results)
        return right + declined, {"right_answers": right / n_ans, "declined": declined / n_un,
                                  "answered": answered(t)}
    grid = sorted({round(p, 3) for *_, p in results if p >= 0} | {0.0})
    # answering falls as the threshold rises: the thresholds allowed are the grid's first ones
    grid = [t for t in grid if answered(t) >= answered_min] or grid[:1]
    scores = [score(t)[0] for t in grid]
    first = scores.index(max(scores))
    run = first
    while run + 1 < len(grid) and scores[run + 1] == scores[first]:
        run += 1
    # any threshold above the grid point before the run, up to its last, scores the same
    below = grid[first - 1] if first else 0.0
    best = round((below + grid[run]) / 2, 3)
    if best <= below:  # rounded onto the point below the run, which scores less
        best = grid[run]
    return best, score(best)[1]


# the latest draw's (eval/train_more4.json's and eval/train_more5.json's, or --add's) candidates' weight in
# the fit (--latest-weight, --compare-sets); the earlier sets' candidates weigh 1
LATEST_WEIGHT = 1.0
SET_WEIGHTS = (0.0, 0.25, 0.5, 1.0)  # --compare-sets: the latest draw's weights in training
Split = list[tuple[np.ndarray, np.ndarray]]  # (training candidates, left-out candidates) per fold


def folds_of(x: np.ndarray, y: np.ndarray, group: np.ndarray, folds: int) -> Split:
    """The cross-validation's folds, grouped by question (a question's candidates together)."""
    return list(GroupKFold(n_splits=folds).split(x, y, group))


def held_out(x: np.ndarray, y: np.ndarray, group: np.ndarray, split: Split,
             fitter: Callable[[np.ndarray, np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]
             ) -> np.ndarray:
    """Every candidate's score from a model fitted on the folds without its question; `fitter`
    (x, y, group) gives the fitted model's scoring of rows."""
    out = np.zeros(len(y))
    for train, test in split:
        out[test] = fitter(x[train], y[train], group[train])(x[test])
    return out


def by_question(group: np.ndarray, scores: np.ndarray) -> dict[int, np.ndarray]:
    return {int(i): scores[group == i] for i in np.unique(group)}


def logistic_fitter(c: float = C, extra: tuple | None = None,
                    weigh: Callable[[np.ndarray], np.ndarray] | None = None
                    ) -> Callable[[np.ndarray, np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """The logistic regression's fitter for `held_out`; `extra` (x, y, weight): rows that join
    every training part and are never scored; `weigh`: each training candidate's weight by its
    question (`group`), e.g. a set's questions weighed less or left out of training."""
    def fitter(x: np.ndarray, y: np.ndarray, group: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        weight = None if weigh is None else weigh(group)
        if extra is not None:
            weight = np.concatenate([np.ones(len(y)) if weight is None else weight,
                                     np.full(len(extra[1]), extra[2])])
            x, y = np.vstack([x, extra[0]]), np.concatenate([y, extra[1]])
        scaler, model = fit(x, y, weight, c)
        return lambda rows: model.predict_proba(scaler.transform(rows))[:, 1]
    return fitter


def fit_choice(x: np.ndarray, y: np.ndarray, group: np.ndarray, lam: float = CHOICE_LAMBDA,
               weight: np.ndarray | None = None) -> tuple[StandardScaler, np.ndarray]:
    """The choice model: a conditional logit (McFadden's: a question's candidates compete, the
    probability of each is the softmax of linear scores over them), fitted to the questions with
    a right candidate by maximising the probability of choosing one of their right candidates,
    L2-penalised by `lam`, by scipy's L-BFGS. A pointwise regression learns what tells any
    candidate right from wrong — most wrong ones wrong for reasons no close rival shares —
    this learns what tells the right one from its question's rivals (the year it is of against
    a higher-ranked row of another year). `group`: each candidate's question, its candidates
    together; `weight`: a candidate's weight, its question's (the first's) weighing the question."""
    from scipy.optimize import minimize

    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    keep = np.isin(group, np.unique(group[y]))
    z, right, g = scaler.transform(x)[keep], y[keep], group[keep]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    sizes = np.diff(np.r_[starts, len(g)])
    w_q = np.ones(len(starts)) if weight is None else weight[keep][starts]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), sizes))  # (stable per question)
        every, rights = np.add.reduceat(e, starts), np.add.reduceat(np.where(right, e, 0.0), starts)
        p_every = e / np.repeat(every, sizes)
        p_right = np.where(right, e, 0.0) / np.repeat(rights, sizes)
        value = -np.sum(w_q * (np.log(rights) - np.log(every))) + lam * w @ w
        return value, z.T @ (np.repeat(w_q, sizes) * (p_every - p_right)) + 2 * lam * w
    found = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 5000})
    return scaler, found.x


def choice_fitter(lam: float = CHOICE_LAMBDA, weigh: Callable[[np.ndarray], np.ndarray] | None = None
                  ) -> Callable[[np.ndarray, np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """`fit_choice`'s fitter for `held_out`."""
    def fitter(x: np.ndarray, y: np.ndarray, group: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        scaler, w = fit_choice(x, y, group, lam, None if weigh is None else weigh(group))
        return lambda rows: scaler.transform(rows) @ w
    return fitter


def served_scores(x: np.ndarray, y: np.ndarray, group: np.ndarray, split: Split, c: float = C,
                  weigh: Callable[[np.ndarray], np.ndarray] | None = None,
                  lam: float | None = CHOICE_LAMBDA
                  ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray] | None]:
    """Each question's candidates' left-out scores of `split`: (the logistic regression's
    probabilities, the choice model's scores; None for `lam` None: chosen by the regression)."""
    probs = by_question(group, held_out(x, y, group, split, logistic_fitter(c, weigh=weigh)))
    chosen_by = None if lam is None else \
        by_question(group, held_out(x, y, group, split, choice_fitter(lam, weigh)))
    return probs, chosen_by


def served_cv(rows: list[dict], x: np.ndarray, y: np.ndarray, group: np.ndarray, split: Split,
              c: float = C, weigh: Callable[[np.ndarray], np.ndarray] | None = None,
              lam: float | None = CHOICE_LAMBDA) -> list[tuple[bool, bool, float]]:
    """The `outcomes` over the left-out questions of `split` of each question's candidate chosen
    by the choice model (None: by the regression), its probability the regression's, both fitted
    on the folds without it (served before the decline model, `decline_model`)."""
    return outcomes(rows, *served_scores(x, y, group, split, c, weigh, lam))


# the chosen candidate's own features the decline model reads besides the choice's score, margin
# and probability (`decline_model`): how well it meets the question's words, its year, period and
# entity; a cell or a sentence. (The question's intent besides declined fewer: `--declines`.)
DECLINE_EVIDENCE = ("passage_share", "own_share", "row_share", "label_match", "lexical", "dense",
                    "year_match", "year_clash", "period_clash", "entity_missing",
                    "sentence_entity_missing", "is_cell")


def decline_model(rows: list[dict], x: np.ndarray, y: np.ndarray, group: np.ndarray, split: Split,
                  c: float = C, weigh: Callable[[np.ndarray], np.ndarray] | None = None,
                  lam: float = CHOICE_LAMBDA
                  ) -> tuple[list[tuple[bool, bool, float]], list[tuple[bool, bool, float]], dict]:
    """(the served `outcomes` over the left-out questions of `split`, each choice's probability
    the stacked decline model's, fitted on the other folds (`ranker_outcomes`); the same with the
    logistic regression's probability, `served_cv`'s; the decline model
    served: fitted over every question's left-out choice (`decline_rows`, DECLINE_EVIDENCE),
    as api/choose.py `Chooser.decline_probability` reads it). compare_declines measured it
    against the logistic regression's probability (eval/RESULTS.md)."""
    probs, chosen_by = served_scores(x, y, group, split, c, weigh, lam)
    results = ranker_outcomes(rows, chosen_by, probs, group, split, DECLINE_EVIDENCE)
    scaler, model = fit_decline(*decline_rows(rows, chosen_by, probs, DECLINE_EVIDENCE)[1:])
    decline = {"features": list(DECLINE_EVIDENCE), "mean": scaler.mean_.tolist(),
               "scale": scaler.scale_.tolist(), "coef": model.coef_[0].tolist(),
               "intercept": float(model.intercept_[0])}
    return results, outcomes(rows, probs, chosen_by), decline


def decline_rows(rows: list[dict], scores: dict[int, np.ndarray], pointwise: dict[int, np.ndarray],
                 chosen: tuple[str, ...] = ()) -> tuple[list[int], np.ndarray, np.ndarray]:
    """(the questions a ranker chooses for, not declined by a rule: each one's features of the
    decline model, `decline_features` and the chosen candidate's own `chosen` features; whether
    its choice is right)."""
    which, x, y = [], [], []
    for i, r in enumerate(rows):
        if r["ruled"] or not r["candidates"]:
            continue
        order = answer_order(scores[i], r["candidates"], r.get("yes_no", False))  # as served
        best, second = order[0], (order[1] if len(order) > 1 else None)
        which.append(i)
        x.append(decline_features(float(scores[i][best]),
                                  None if second is None else float(scores[i][second]),
                                  float(pointwise[i][best]))
                 + [r["candidates"][best].features.get(f, 0.0) for f in chosen])
        y.append(bool(r["labels"][best]))
    return which, np.array(x).reshape(len(which), 3 + len(chosen)), np.array(y, dtype=bool)


def fit_decline(x: np.ndarray, y: np.ndarray) -> tuple[StandardScaler, LogisticRegression]:
    """The ranker's decline model: a logistic regression over `decline_rows`' features (whether
    the question's choice is right: unanswerable questions' choices never are)."""
    scaler = StandardScaler().fit(x)
    scaler.scale_[scaler.scale_ == 0] = 1.0
    return scaler, LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y)


def ranker_outcomes(rows: list[dict], scores: dict[int, np.ndarray], pointwise: dict[int, np.ndarray],
                    group: np.ndarray, split: Split, chosen: tuple[str, ...] = ()
                    ) -> list[tuple[bool, bool, float]]:
    """`outcomes` of a ranker's left-out scores, each choice's probability from a decline model
    fitted on the other folds' questions (their left-out scores too: a stacked model) over
    `decline_rows`' features (`chosen`: the chosen candidate's own besides)."""
    which, x, y = decline_rows(rows, scores, pointwise, chosen)
    fold = {int(i): k for k, (_train, test) in enumerate(split) for i in np.unique(group[test])}
    folds = np.array([fold[i] for i in which])
    prob = np.zeros(len(which))
    for k in range(len(split)):
        train, test = folds != k, folds == k
        scaler, model = fit_decline(x[train], y[train])
        prob[test] = model.predict_proba(scaler.transform(x[test]))[:, 1]
    chosen = dict(zip(which, prob, strict=True))
    return [(r["q"].answerable, False, -1.0) if i not in chosen else
            (r["q"].answerable, bool(r["labels"][answer_order(scores[i], r["candidates"],
                                                              r.get("yes_no", False))[0]]),
             float(chosen[i]))
            for i, r in enumerate(rows)]


def ranker_grid() -> list[dict]:
    """The LightGBM rankers `--compare` measures: small trees, many candidates a leaf."""
    return [{"objective": o, "num_leaves": leaves, "min_data_in_leaf": least, "lambda_l2": 1.0,
             "feature_fraction": 0.7, "rounds": rounds}
            for o in ("lambdarank", "rank_xendcg") for leaves in (3, 7, 15) for least in (10, 50)
            for rounds in (100, 300)]


def compare(rows: list[dict], features: list[str], folds: int, extra: tuple | None = None) -> None:
    """Every variant's left-out choices over the same folds, side by side: the logistic
    regression (served), with each kind of interaction (`INTERACTIONS`) and C, LightGBM rankers
    (`ranker_grid`) declining by their decline model; `extra`: TyDi's (x, y), added to every
    fold's training part in runs of their own."""
    x, y, group = matrix(rows, features)
    split = folds_of(x, y, group, folds)
    answerable = [r for r in rows if r["q"].answerable]
    print(f"{len(rows)} questions, {folds} folds; {sum(any(r['labels']) for r in answerable)} of "
          f"{len(answerable)} answerable questions have a right candidate")

    def show(name: str, results: list[tuple[bool, bool, float]]) -> None:
        right = sum(a and ok for a, ok, _ in results) / (sum(a for a, *_ in results) or 1)
        threshold, cv = best_threshold(results)
        print(f"{name:58} best right {right:.3f}; at {threshold}: "
              + ", ".join(f"{k} {v:.3f}" for k, v in cv.items()), flush=True)

    def logistic_run(name: str, xm: np.ndarray, c: float = C, more: tuple | None = None) -> np.ndarray:
        scores = held_out(xm, y, group, split, logistic_fitter(c, more))
        show(name, outcomes(rows, by_question(group, scores)))
        return scores

    point = by_question(group, logistic_run(f"logistic C={C} alone", x))
    for lam in (1.0, 3.0, CHOICE_LAMBDA, 30.0, 100.0):
        chosen_by = by_question(group, held_out(x, y, group, split, choice_fitter(lam)))
        show(f"choice model λ={lam} + logistic's probability" + (" (served)" if lam == CHOICE_LAMBDA else ""),
             outcomes(rows, point, chosen_by))
    for c in (0.05, 0.25, 1.0):
        logistic_run(f"logistic C={c}", x, c)
    for variant in INTERACTIONS:
        names = interactions(rows, features, variant)
        for c in (0.05, 0.25, 0.5):
            logistic_run(f"logistic × {variant} ({len(names)} features) C={c}", matrix(rows, names)[0], c)
    longest: dict[str, list] = {}  # a setting's boosters per fold, fitted to its most rounds
    most = max(p["rounds"] for p in ranker_grid())
    for params in ranker_grid():
        key = json.dumps({k: v for k, v in params.items() if k != "rounds"})
        if key not in longest:
            longest[key] = [fit_ranker(x[train], y[train], group[train], params | {"rounds": most})
                            for train, _test in split]
        scores = np.zeros(len(y))
        for booster, (_train, test) in zip(longest[key], split, strict=True):
            scores[test] = booster.predict(x[test], num_iteration=params["rounds"])
        show(f"{params['objective']} leaves {params['num_leaves']} min {params['min_data_in_leaf']} "
             f"rounds {params['rounds']} + decline",
             ranker_outcomes(rows, by_question(group, scores), point, group, split))
    if extra is not None:  # TyDi's candidates weighing as much as ours, or a quarter
        for w in (1.0, 0.25):
            logistic_run(f"logistic + TyDi ×{w} ({len(extra[1])} candidates)", x, C, (*extra, w))


def tydi_rows(path: Path, features: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Candidates of TyDi QA fi questions (Finnish Wikipedia; the gold is each question's
    answer span), ranked and featured as ours are, over the benchmark's TyDi index."""
    from eval.bench_search import tydi_index
    from indexer import store

    settings = Settings(answers="rules")
    folder, questions = tydi_index(path, settings)
    data = json.loads(path.read_text(encoding="utf-8"))
    answers = {qa["id"]: qa["answers"][0]["text"] for a in data["data"] for para in a["paragraphs"]
               for qa in para["qas"] if qa.get("answers")}
    questions = [q for q in questions if answers.get(q.id, "").strip()]
    for q in questions:
        q.gold = [{"file": q.gold[0]["file"], "quote": answers[q.id]}]
    searcher = Searcher.in_folder(folder, settings, store.read_manifest(folder))
    answerer = Answerer(searcher)
    chooser = Chooser(searcher, answerer.cells.asked, answerer.rare_coverage, model=Path("/nonexistent"))
    x, y, _group = matrix(gather(answerer, chooser, questions), features)
    return x, y


# -- interactions and the ranker -------------------------------------------------------------------

# the interactions a logistic regression may learn (`interactions`): every candidate feature apart
# for a cell and a sentence ("kind"), apart for each intent ("intent"), or the question's features
# (intent, measure, figure words) apart for a cell and a sentence ("intent_kind")
INTERACTIONS = ("kind", "intent", "intent_kind")
KINDS = ("is_cell", "is_sentence")


def question_features(rows: list[dict], features: list[str]) -> list[str]:
    """The features the same for every candidate of each training question (its intent, the
    measure asked): a pointwise linear model can only move the threshold with them."""
    same = set(features)
    for r in rows:
        if r["candidates"]:
            first = r["candidates"][0].features
            same -= {f for f in same for c in r["candidates"][1:]
                     if c.features.get(f, 0.0) != first.get(f, 0.0)}
    return sorted(same)


def interactions(rows: list[dict], features: list[str], variant: str) -> list[str]:
    """`features` and the products of `variant` (one of INTERACTIONS) that differ from every
    feature before them over the training candidates (a cell's own feature times is_cell is the
    feature again; one never non-zero is nothing)."""
    asked = question_features(rows, features)
    own = [f for f in features if f not in asked and f not in KINDS]
    intents = [f for f in asked if f.startswith("intent_")]
    pairs = {"kind": [(f, k) for f in own for k in KINDS],
             "intent": [(f, i) for f in own + list(KINDS) for i in intents],
             "intent_kind": [(q, k) for q in asked for k in KINDS]}[variant]
    names = list(features)
    x = matrix(rows, names)[0]
    seen = {x[:, j].tobytes() for j in range(x.shape[1])}
    for a, b in pairs:
        column = matrix(rows, [f"{a}*{b}"])[0][:, 0]
        if column.any() and column.tobytes() not in seen:
            names.append(f"{a}*{b}")
            seen.add(column.tobytes())
    return names


def compare_sets(rows: list[dict], features: list[str], folds: int, later: set[int]) -> None:
    """The served model's cross-validation with the questions of the latest draw (`later`: their
    rows) weighed ×w in every training part (0: left out of training, still scored), each
    variant's left-out choices told apart for the earlier sets and the latest draw."""
    x, y, group = matrix(rows, features)
    split = folds_of(x, y, group, folds)
    is_later = np.array([i in later for i in range(len(rows))])
    for w in SET_WEIGHTS:
        results = served_cv(rows, x, y, group, split, weigh=lambda g, w=w: np.where(is_later[g], w, 1.0))
        threshold, cv = best_threshold(results)
        parts = []
        for name, keep in (("earlier", ~is_later), ("latest", is_later)):
            part = [o for o, k in zip(results, keep, strict=True) if k]
            parts.append(f"{name} {sum(a and ok for a, ok, _ in part) / (sum(a for a, *_ in part) or 1):.3f}")
        print(f"latest draw ×{w}: best right " + ", ".join(parts) + f"; at {threshold}: "
              + ", ".join(f"{k} {v:.3f}" for k, v in cv.items()), flush=True)


# --ablate: the feature groups added together, each left out in turn
ABLATE_GROUPS = {
    "who (agents)": ("agent_given_x_who", "agent_new_x_who", "names_body_x_who", "names_title_x_who"),
    "period of the year asked": ("period_year_fit", "period_year_clash"),
    "figure near the question's words": ("figure_near_unit",),
    "figure of another area": ("elsewhere_x_figure",),
    "when (a day, a month, a clock time)": ("states_date_x_when",),
    "the days asked": ("day_match", "day_clash"),
    "who (the title asked, its holder)": ("titled_person_x_who",),
}
ABLATE_SEEDS = (0, 1, 2)  # the served folds (0), then the grouped folds of shuffled questions


def ablate(rows: list[dict], features: list[str], folds: int) -> None:
    """The served model's cross-validated right answers with every feature, then without each
    group of `ABLATE_GROUPS` and without all of them, over the same fold splits (`ABLATE_SEEDS`):
    what a group adds beyond the folds' noise."""
    every = {f for names in ABLATE_GROUPS.values() for f in names}
    variants = [("every feature", features)] + [
        (f"without {name}", [f for f in features if f not in names])
        for name, names in ABLATE_GROUPS.items()] + [
        ("without all of them", [f for f in features if f not in every])]
    for name, kept in variants:
        x, y, group = matrix(rows, kept)
        right = []
        for seed in ABLATE_SEEDS:
            n = group.max() + 1
            order = np.random.default_rng(seed).permutation(n) if seed else np.arange(n)
            results = served_cv(rows, x, y, group, folds_of(x, y, order[group], folds))
            right.append(best_threshold(results)[1]["right_answers"])
        print(f"{name:44} right " + " / ".join(f"{r:.3f}" for r in right)
              + f"  mean {np.mean(right):.3f}", flush=True)


def compare_declines(rows: list[dict], features: list[str], folds: int) -> None:
    """Right / declined / answered, cross-validated, of the decline served before (the logistic
    regression's probability of the choice model's candidate, at `best_threshold`) beside stacked
    decline models over the choice model's left-out scores (`ranker_outcomes`), over the same
    fold splits (`ABLATE_SEEDS`): seventy-odd unanswerable questions are few, one is noise."""
    x, y, group = matrix(rows, features)
    intents = tuple(f for f in features if f.startswith("intent_"))
    variants = [("logistic's probability (served before)", None), ("stacked: score, margin, logit", ()),
                ("stacked + the chosen's evidence (served)", DECLINE_EVIDENCE),
                ("stacked + evidence + intent", DECLINE_EVIDENCE + intents)]
    cv: dict[str, list[dict[str, float]]] = {name: [] for name, *_ in variants}
    n = group.max() + 1
    for seed in ABLATE_SEEDS:
        order = np.random.default_rng(seed).permutation(n) if seed else np.arange(n)
        split = folds_of(x, y, order[group], folds)
        point, chosen_by = served_scores(x, y, group, split)
        for name, chosen in variants:
            results = outcomes(rows, point, chosen_by) if chosen is None else \
                ranker_outcomes(rows, chosen_by, point, group, split, chosen)
            cv[name].append(best_threshold(results)[1])
    for name, runs in cv.items():
        print(f"{name:36} " + "  ".join(
            f"{k} " + " / ".join(f"{r[k]:.3f}" for r in runs) + f" (mean {np.mean([r[k] for r in runs]):.3f})"
            for k in ("right_answers", "declined", "answered")), flush=True)


def fit_ranker(x: np.ndarray, y: np.ndarray, group: np.ndarray, params: dict):  # noqa: ANN201
    """A LightGBM ranker over each question's candidates (`group`: their question, in order);
    deterministic (one thread, no bagging), no missing values (every feature is a number)."""
    import lightgbm  # only for the comparison (a dev dependency)

    _, sizes = np.unique(group, return_counts=True)
    settings = {"learning_rate": 0.1} | {k: v for k, v in params.items() if k != "rounds"} | {
        "verbose": -1, "num_threads": 1, "deterministic": True, "use_missing": False,
        "feature_pre_filter": False, "seed": 0}
    return lightgbm.train(settings, lightgbm.Dataset(x, y.astype(int), group=sizes),
                          num_boost_round=params["rounds"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--compare", action="store_true",
                    help="print the models' cross-validated choices side by side; write nothing")
    ap.add_argument("--tydi", type=Path, default=None,
                    help="with --compare: also a logistic regression that learns from TyDi QA fi's "
                    "answer spans besides (e.g. ../shared/realdata/tydiqa-fi/finnish_tydiqa_dev.json)")
    ap.add_argument("--C", type=float, default=C, dest="c",
                    help="the logistic regression's inverse regularisation (default %(default)s)")
    ap.add_argument("--choice-lambda", type=float, default=CHOICE_LAMBDA,
                    help="the choice model's L2 penalty (default %(default)s)")
    ap.add_argument("--latest-weight", type=float, default=LATEST_WEIGHT,
                    help="the weight of the latest draw's (eval/train_more4.json's and "
                    "eval/train_more5.json's, or --add's) candidates in the "
                    "fit (default %(default)s)")
    ap.add_argument("--ablate", action="store_true",
                    help="print the cross-validated right answers without each feature group "
                    "(ABLATE_GROUPS) over three fold splits; write nothing")
    ap.add_argument("--declines", action="store_true",
                    help="print the cross-validated right / declined / answered of the served decline "
                    "and of stacked decline models over the choice model over three fold splits; "
                    "write nothing")
    ap.add_argument("--add", type=Path, nargs="+", default=(),
                    help="further question files to learn from, the latest draw (e.g. "
                    "eval/train_more6.json eval/train_more7.json); never the test split's or the "
                    "check set's")
    ap.add_argument("--compare-sets", action="store_true",
                    help="print the cross-validated choices with the latest draw's questions "
                    "weighed less in training (SET_WEIGHTS), apart for it and the earlier sets")
    args = ap.parse_args()
    searcher = Searcher.open(Settings(answers="rules"))
    answerer = Answerer(searcher)
    chooser = Chooser(searcher, answerer.cells.asked, answerer.rare_coverage, model=Path("/nonexistent"))
    parts = training_sets(tuple(args.add))
    questions = [q for part in parts for q in part]
    latest_ids = {q.id for q in parts[-1]}  # --latest-weight and --compare-sets: the latest draw
    rows = gather(answerer, chooser, questions)
    features = sorted({f for r in rows for c in r["candidates"] for f in c.features})
    if args.ablate:
        ablate(rows, features, args.folds)
        return 0
    if args.declines:
        compare_declines(rows, features, args.folds)
        return 0
    if args.compare_sets:
        compare_sets(rows, features, args.folds, {i for i, r in enumerate(rows) if r["q"].id in latest_ids})
        return 0
    if args.compare:
        compare(rows, features, args.folds, tydi_rows(args.tydi, features) if args.tydi else None)
        return 0
    x, y, group = matrix(rows, features)
    # cross-validated probabilities: each question scored by a model that never saw it
    latest = np.array([r["q"].id in latest_ids for r in rows])
    weigh = lambda g: np.where(latest[g], args.latest_weight, 1.0)  # noqa: E731
    split = folds_of(x, y, group, args.folds)
    served, before, decline = decline_model(rows, x, y, group, split, args.c, weigh, args.choice_lambda)
    threshold, cv = best_threshold(served)
    print("cross-validated by the logistic regression's probability, without the decline model: "
          + ", ".join(f"{k} {v:.3f}" for k, v in best_threshold(before)[1].items()))
    scaler, model = fit(x, y, weigh(group), args.c)
    choice = fit_choice(x, y, group, args.choice_lambda, weigh(group))[1]
    reachable = sum(any(r["labels"]) for r in rows if r["q"].answerable)
    info = {"features": features, "mean": scaler.mean_.tolist(), "scale": scaler.scale_.tolist(),
            "coef": model.coef_[0].tolist(), "intercept": float(model.intercept_[0]),
            "choice_coef": choice.tolist(), "decline": decline | {"threshold": threshold},
            "trained_on": {"questions": len(questions), "candidates": len(y), "right": int(y.sum()),
                           "answerable_with_a_right_candidate": reachable,
                           "answerable": sum(q.answerable for q in questions),
                           "sets": SETS + "".join(f" + {p}" for p in args.add)},
            "cross_validated": {k: round(v, 3) for k, v in cv.items()} | {"folds": args.folds},
            "C": args.c, "choice_lambda": args.choice_lambda, "latest_weight": args.latest_weight}
    MODEL.parent.mkdir(exist_ok=True)
    MODEL.write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    weights = ("features", "mean", "scale", "coef", "choice_coef", "decline")
    print(json.dumps({k: v for k, v in info.items() if k not in weights}, indent=1))
    for f, w in sorted(zip(features, model.coef_[0], strict=True), key=lambda fw: -abs(fw[1]))[:15]:
        print(f"{w:+.2f}  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
