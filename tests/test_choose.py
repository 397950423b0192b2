"""The learned answer choice (api/choose.py): candidates, features, the shipped model."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import api.choose
from api.answer import Answerer
from api.choose import MODEL, TOP, Candidate, Chooser
from api.prose import printed
from api.search import Searcher
from indexer.settings import Settings


@pytest.fixture(scope="module")
def answerer(search_settings: Settings) -> Answerer:
    return Answerer(Searcher.open(search_settings))


def _candidates(answerer: Answerer, question: str):  # noqa: ANN202
    s = answerer.searcher
    info, _filters, keep = s.prepare(question)
    hits = s.collapse(s.rank(info, keep), 10)
    rules = answerer._rules(question, info, hits)
    return info, hits, rules, answerer.chooser.candidates(info, hits, rules)


def test_the_shipped_model_knows_every_feature_the_chooser_makes(answerer: Answerer) -> None:
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    assert len(model["features"]) == len(model["coef"]) == len(model["mean"]) == len(model["scale"])
    made = set()
    for q in ("Testilän toimintakulut tammi–kesäkuu 2023", "Kemin valtionosuudet",
              "Kuka tuottaa Heinolan kirjanpidon palvelut?"):
        made |= {f for c in _candidates(answerer, q)[3] for f in c.features}
    assert made == set(model["features"])
    decline = model["decline"]  # the decline model reads the chosen candidate's own features too
    assert set(decline["features"]) <= made
    assert len(decline["coef"]) == len(decline["mean"]) == 3 + len(decline["features"])
    assert 0 < decline["threshold"] < 1 and model["trained_on"]["questions"] > 200


def test_cells_and_sentences_are_candidates_and_the_rules_answer_is_marked(answerer: Answerer) -> None:
    _info, _hits, rules, found = _candidates(answerer, "Testilän toimintakulut tammi–kesäkuu 2023")
    cells = [c for c in found if c.kind == "cell"]
    assert cells and all(c.col is not None for c in cells)
    assert any(c.kind == "sentence" for c in found)
    marked = [c for c in found if c.features["rules_choice"]]
    assert rules["answer_type"] == "table_cell" and len(marked) == 1 and marked[0].kind == "cell"
    assert answerer.from_candidate(marked[0])["value"] == rules["value"]


def test_a_figure_question_is_answered_by_the_cell(answerer: Answerer) -> None:
    out = answerer.ask("Testilän toimintakulut tammi–kesäkuu 2023")
    assert out["answer_type"] == "table_cell" and out["value"]["number"] == -502.0


def test_below_the_threshold_the_question_is_declined(answerer: Answerer, tmp_path: Path) -> None:
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    strict = tmp_path / "model.json"
    strict.write_text(json.dumps(model | {"decline": model["decline"] | {"threshold": 1.01}}),
                      encoding="utf-8")
    answerer.chooser = Chooser(answerer.searcher, answerer.cells.asked, answerer.rare_coverage, strict)
    try:
        out = answerer.ask("Kemin valtionosuudet")
        assert not out["found"] and out["reason_code"] == "weak_evidence"
    finally:
        answerer.chooser = Chooser(answerer.searcher, answerer.cells.asked, answerer.rare_coverage)


def test_rules_only_when_asked(search_settings: Settings) -> None:
    rules = Answerer(Searcher.open(search_settings.model_copy(update={"answers": "rules"})))
    assert rules.chooser is None and rules.ask("Kemin valtionosuudet")["found"]


def test_a_mark_alone_is_no_sentence_and_a_figure_alone_no_sentence_beside_its_cell() -> None:
    from api.prose import answer_spans
    from indexer.analyze import get_analyzer

    text = "Strategian päivitys\tk/e\t–\t2 302\tToteutunut"
    assert [text[a:b] for a, b in answer_spans(get_analyzer(), text)] == [
        "Strategian päivitys", "2 302", "Toteutunut"]


def test_a_rows_figures_are_cells_and_its_label_line_is_marked(answerer: Answerer) -> None:
    # (no period named: a question naming the column has that cell answer its row alone)
    _info, _hits, _rules, found = _candidates(answerer, "Testilän toimintakulut")
    s = answerer.searcher
    rows = {c.n for c in found if c.kind == "cell"}
    row_lines = [c for c in found if c.kind == "sentence" and c.n in rows]
    # the row's figures are its cells (each with its column), never a bare sentence
    assert all(not c.features["bare_figure"] for c in row_lines)
    labels = [c for c in row_lines if c.features["names_only"]]
    assert labels and all(
        s.table(s.passages[c.n]["table_id"])["rows"][s.passages[c.n]["row_index"]]["label"]
        for c in labels)


def test_the_decline_threshold_is_the_middle_of_the_best_plateau() -> None:
    from eval.train_answerer import best_threshold

    # (answerable, best candidate right, its probability): any threshold in (0.2, 0.6] declines
    # the unanswerable 0.2 and keeps every right answer; its middle is taken, not the edge
    results = [(True, True, 0.9), (True, True, 0.6), (False, False, 0.2), (True, False, 0.1)]
    threshold, cv = best_threshold(results, answered_min=0.0)
    assert 0.2 < threshold <= 0.6 and threshold == 0.4
    assert cv["right_answers"] == 2 / 3 and cv["declined"] == 1.0


def test_the_decline_threshold_still_answers_the_answerable_questions_it_must() -> None:
    from eval.train_answerer import best_threshold

    # twenty answerable questions, the weakest two answered wrongly, and one unanswerable
    # between them: declining all three scores most, but answers 18 of 20 (0.90 < 0.95)
    results = [(True, True, 0.5 + i / 100) for i in range(18)] + \
        [(True, False, 0.1), (False, False, 0.2), (True, False, 0.3)]
    threshold, cv = best_threshold(results)
    assert cv["answered"] >= 0.95 and threshold <= 0.3
    assert best_threshold(results, answered_min=0.0)[1]["answered"] == 0.9


def test_a_refit_adds_a_later_draw_and_never_the_benchmarks_questions(tmp_path: Path) -> None:
    from eval.train_answerer import ROOT, training_sets

    served = training_sets()
    later = tmp_path / "later.json"
    later.write_text(json.dumps({"questions": [
        {"id": "z001", "question": "Paljonko Kauhavan verotulot olivat 2024?", "answerable": True,
         "gold": [{"document": "kauhava-tilinpaatos-2024.pdf", "quote": "Verotulot"}]}]}),
        encoding="utf-8")
    added = training_sets((later,))
    assert added[:-1] == served and [q.id for q in added[-1]] == ["z001"]
    for scored in ("eval/answers.json", "eval/xling_check.json"):
        with pytest.raises(SystemExit, match="scored only by the benchmark"):
            training_sets((ROOT / scored,))
    with pytest.raises(SystemExit, match="in two training files"):
        training_sets((ROOT / "eval" / "train_more.json",))
    with pytest.raises(SystemExit, match="no such question file"):
        training_sets((tmp_path / "missing.json",))


def test_the_choice_is_the_best_candidate_a_predicate_keeps(answerer: Answerer) -> None:
    info, hits, rules, found = _candidates(answerer, "Testilän toimintakulut tammi–kesäkuu 2023")
    best, prob = answerer.chooser.choose(info, hits, rules)
    other, other_prob = answerer.chooser.choose(info, hits, rules, keep=lambda c: c != best)
    assert other != best and other_prob <= prob
    assert answerer.chooser.choose(info, hits, rules, keep=lambda c: False) is None


ROW_QUESTION = "Paljonko Lapuan kiinteistöverotulot ovat talousarviossa?"


@pytest.fixture(scope="module")
def rows_answerer(rows_settings: Settings) -> Answerer:
    return Answerer(Searcher.open(rows_settings))


def test_the_candidates_are_of_the_first_results_no_table_summary(rows_answerer: Answerer) -> None:
    """Twelve paragraphs of the budget name the property tax revenue without a figure and rank
    above the table row stating it: the candidates are the first TOP results' sentences and
    cells, and the row below them is none (no row channel: eval/RESULTS.md)."""
    s = rows_answerer.searcher
    info, _filters, keep = s.prepare(ROW_QUESTION)
    hits = s.collapse(s.rank(info, keep), 10)
    near = rows_answerer.chooser.results(hits)
    assert near == [h for h in hits if s.passages[h.n]["kind"] != "table"][:TOP] and len(near) == TOP
    assert {c.n for c in rows_answerer.chooser.candidates(info, hits)} <= {h.n for h in near}


def _made(kind: str, **features: float) -> Candidate:
    return Candidate(kind, 0, 0, 0, 0, None, {f"is_{kind}": 1.0} | features)


def test_a_feature_named_a_times_b_is_their_product_and_a_missing_feature_zero() -> None:
    from api.choose import design

    found = [_made("cell", rank_inv=0.5, intent_figure=1.0), _made("sentence", rank_inv=0.25)]
    x = design(found, ["rank_inv", "rank_inv*is_cell", "rank_inv*intent_figure", "label_match"])
    assert x.tolist() == [[0.5, 0.5, 0.5, 0.0], [0.25, 0.0, 0.0, 0.0]]
    assert design([], ["rank_inv"]).shape == (0, 1)


def _rows() -> list[dict]:
    """Two questions of two intents, each a cell and a sentence (the cell right in the first)."""
    def question(intent: str, share: tuple[float, float], labels: list[bool]) -> dict:
        return {"q": SimpleNamespace(answerable=True), "ruled": False, "labels": labels, "candidates": [
            _made("cell", **{f"intent_{intent}": 1.0, "own_share": share[0], "column_fit": 1.0}),
            # (a figure question's sentence that states no figure is never chosen first:
            # `states_no_figure`; this one states one)
            _made("sentence", **{f"intent_{intent}": 1.0, "own_share": share[1],
                                 "figure_x_figure": float(intent == "figure")})]}
    return [question("figure", (0.5, 0.25), [True, False]), question("status", (0.1, 0.75), [False, True])]


def test_interactions_are_the_products_that_say_something_new() -> None:
    from eval.train_answerer import interactions, question_features

    rows = _rows()
    features = ["column_fit", "intent_figure", "intent_status", "is_cell", "is_sentence", "own_share"]
    assert question_features(rows, features) == ["intent_figure", "intent_status"]
    # a cell's own column fit times is_cell is itself; times is_sentence never more than 0
    assert interactions(rows, features, "kind") == features + ["own_share*is_cell", "own_share*is_sentence"]
    assert interactions(rows, features, "intent_kind") == features + [
        "intent_figure*is_cell", "intent_figure*is_sentence", "intent_status*is_cell",
        "intent_status*is_sentence"]
    # (a cell's intent is its column fit's here: the same column, once)
    assert interactions(rows, features, "intent") == features + [
        "column_fit*intent_figure", "column_fit*intent_status", "own_share*intent_figure",
        "own_share*intent_status", "is_sentence*intent_figure", "is_sentence*intent_status"]


# LightGBM fitted in a process of its own: its OpenMP runtime, loaded into this one, would be a
# team the query embedder (sized at its start) never sizes (tests/test_faults.py's OpenMP check)
_RANKER = """
import numpy as np
from eval.train_answerer import fit_ranker
rng = np.random.default_rng(0)
x = rng.random((200, 3))
group = np.repeat(np.arange(20), 10)
y = np.zeros(200, dtype=bool)
y[np.arange(20) * 10 + np.argmax(x[:, 0].reshape(20, 10), axis=1)] = True  # the largest x0 right
params = {"objective": "lambdarank", "num_leaves": 3, "min_data_in_leaf": 5, "rounds": 20}
one, two = fit_ranker(x, y, group, params), fit_ranker(x, y, group, params)
best = np.argmax(one.predict(x).reshape(20, 10), axis=1)
first = np.argmax(x[:, 0].reshape(20, 10), axis=1)
print(np.array_equal(one.predict(x), two.predict(x)), np.mean(best == first))
"""


def test_a_ranker_is_deterministic_and_learns_the_order() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _RANKER], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parent.parent).stdout.split()
    assert out[0] == "True" and float(out[1]) >= 0.9


def test_the_choice_model_learns_what_tells_the_right_candidate_from_its_rivals() -> None:
    from eval.train_answerer import fit_choice, outcomes

    # forty questions of ten candidates: the right one has the largest x0 of its question, and
    # x1 is as large for every candidate of some questions (it tells questions apart, not
    # candidates): the conditional logit weighs x0 and leaves x1 (a pointwise fit's intercept)
    rng = np.random.default_rng(0)
    x = rng.random((400, 2))
    x[:, 1] = np.repeat(rng.random(40), 10)
    group = np.repeat(np.arange(40), 10)
    y = np.zeros(400, dtype=bool)
    y[np.arange(40) * 10 + np.argmax(x[:, 0].reshape(40, 10), axis=1)] = True
    y[5 * 10:6 * 10] = False  # a question without a right candidate is no lesson (left out)
    scaler, w = fit_choice(x, y, group, lam=0.01)
    assert w[0] > 10 * abs(w[1])
    scores = scaler.transform(x) @ w
    assert (np.argmax(scores.reshape(40, 10), axis=1) == np.argmax(x[:, 0].reshape(40, 10), axis=1)).all()
    # a question's weight counts: weighed 0, a question's rows move nothing
    zero = np.where(group == 7, 0.0, 1.0)
    swapped = y.copy()
    swapped[7 * 10:8 * 10] = ~y[7 * 10:8 * 10] & (np.arange(10) == 0)
    assert np.allclose(fit_choice(x, swapped, group, 1.0, zero)[1], fit_choice(x, y, group, 1.0, zero)[1])
    # the served outcome: the choice model's best, with the regression's probability of it
    rows = _rows()
    probs = {0: np.array([0.9, 0.2]), 1: np.array([0.3, 0.8])}
    chosen_by = {0: np.array([0.0, 1.0]), 1: np.array([1.0, 0.0])}
    assert [(ok, p) for _a, ok, p in outcomes(rows, probs, chosen_by)] == [(False, 0.2), (False, 0.3)]
    assert [(ok, p) for _a, ok, p in outcomes(rows, probs)] == [(True, 0.9), (True, 0.8)]


def test_the_chooser_chooses_by_the_choice_model_and_declines_by_the_probability() -> None:
    from api.choose import choice_scores

    model = {"features": ["a"], "mean": [0.0], "scale": [1.0], "coef": [1.0], "intercept": 0.0,
             "choice_coef": [-1.0], "threshold": 0.5}
    x = np.array([[2.0], [-1.0]])
    probs = api.choose.logistic(model, x)
    assert probs[0] > probs[1]
    assert list(choice_scores(model, x, probs)) == [-2.0, 1.0]  # the second is chosen
    pointwise = {k: v for k, v in model.items() if k != "choice_coef"}  # a model of before
    assert list(choice_scores(pointwise, x, probs)) == list(probs)


def test_the_chooser_ranks_by_one_standardised_matrix() -> None:
    """`Chooser.ranked`: the probabilities over the features standardised by the model's mean
    and scale, the order by the choice model's scores over the same."""
    model = {"features": ["a"], "mean": [1.0], "scale": [2.0], "coef": [1.0], "intercept": 0.0,
             "choice_coef": [-1.0], "threshold": 0.5}
    chooser = api.choose.Chooser.__new__(api.choose.Chooser)
    chooser.model = model
    found = [api.choose.Candidate("sentence", 0, 0, 0, 1, None, {"a": 5.0}),
             api.choose.Candidate("sentence", 1, 1, 0, 1, None, {"a": -1.0})]
    probs, order = chooser.ranked(found, yes_no=False)
    assert np.allclose(probs, 1 / (1 + np.exp(-np.array([2.0, -1.0]))))
    assert order == [1, 0]  # the choice model's -1 coefficient prefers the lower feature


def test_the_chooser_declines_by_the_decline_model_of_its_choice(tmp_path: Path) -> None:
    # the decline model reads the choice's score, its margin over the next candidate, the
    # regression's probability as a logit, then the chosen candidate's own features ("b")
    decline = {"features": ["b"], "mean": [0.0] * 4, "scale": [1.0] * 4,
               "coef": [0.0, 1.0, 0.0, -2.0], "intercept": 0.0, "threshold": 0.3}
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"features": ["a"], "mean": [0.0], "scale": [1.0], "coef": [1.0],
                                "intercept": 0.0, "choice_coef": [1.0], "threshold": 0.9,
                                "decline": decline}), encoding="utf-8")
    chooser = Chooser(SimpleNamespace(analyzer=None), None, None, path)
    assert chooser.threshold == 0.3  # the decline model's, not the regression's
    c = Candidate("sentence", 0, 0, 0, 0, None, {"a": 1.0, "b": 0.5})
    # the margin 3 − 1 weighs 1, "b" −2: logistic(2 − 2·0.5)
    assert chooser.decline_probability(c, 3.0, 1.0, 0.5) == pytest.approx(1 / (1 + np.exp(-1.0)))
    # the only candidate: no margin
    assert chooser.decline_probability(c, 3.0, None, 0.5) == pytest.approx(1 / (1 + np.exp(1.0)))


def test_a_decline_model_row_holds_the_chosen_candidates_own_features() -> None:
    from eval.train_answerer import decline_rows

    rows = _rows()
    for r in rows:
        r["candidates"] = [replace(c, features={"b": float(k)}) for k, c in enumerate(r["candidates"])]
    scores = {0: np.array([0.0, 2.0]), 1: np.array([1.0, 0.0])}
    point = {0: np.array([0.5, 0.5]), 1: np.array([0.5, 0.5])}
    which, x, y = decline_rows(rows, scores, point, ("b",))
    assert which == [0, 1] and x.tolist() == [[2.0, 2.0, 0.0, 1.0], [1.0, 1.0, 0.0, 0.0]]
    assert y.tolist() == [rows[0]["labels"][1], rows[1]["labels"][0]]


def test_a_ranker_declines_by_its_stacked_model() -> None:
    from eval.train_answerer import decline_features, ranker_outcomes

    assert decline_features(2.0, 0.5, 0.5) == [2.0, 1.5, 0.0] and decline_features(2.0, None, 0.5)[1] == 0.0
    # six questions (one ruled out before the model): each choice's probability from a decline
    # model fitted on the other fold's questions, right and wrong choices both
    rows = _rows() * 3
    rows[5] = rows[5] | {"ruled": True}
    scores = dict(enumerate(np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 2.0], [1.0, 0.0], [3.0, 0.0],
                                      [1.0, 0.0]])))
    point = {i: np.array([0.6, 0.4]) for i in scores}
    group = np.repeat(np.arange(6), 2)
    split = [(np.flatnonzero(group >= 3), np.flatnonzero(group < 3)),
             (np.flatnonzero(group < 3), np.flatnonzero(group >= 3))]
    out = ranker_outcomes(rows, scores, point, group, split)
    assert [ok for _a, ok, _p in out] == [True, True, False, False, True, False]
    assert out[5][2] == -1.0 and all(0 < p < 1 for *_, p in out[:5])


@pytest.mark.parametrize(("sentence", "states"), [
    # how a matter stands: reached or not, under way, unfinished, kept
    ("Tavoite toteutui tapahtumien osalta, mutta liikuntaryhmien määrä ei yltänyt tavoitteeseen.",
     {"state"}),
    ("Ei toteudu tuottotavoitteen osalta, muuten ok.", {"state"}),
    ("Rengon alueen teiden perusparannus RV4 aloitettiin ja urakka jatkuu vuonna 2025.", {"state"}),
    ("Kaupungilla on hyvä raakamaavaranto ja hinta on pysynyt maltillisena.", {"state"}),
    # a goal set, not how it went
    ("Vuodelle 2024 perusopetuksen koulunkäynninohjaajaresurssin tavoitteeksi asetettiin 32 oppilasta.",
     {"goal"}),
    ("Tuottotavoite: 5 % sijoitetulle pääomalle.", {"goal"}),
    ("Paukun Pajan tavoitteena on ehkäistä syrjäytymistä.", {"goal"}),
    # a goal reached is how it went, not a goal set ("on" a word, not the start of "onnistui")
    ("Tavoite on saavutettu.", {"state"}),
    ("Tavoite onnistui hyvin.", {"state"}),
    # a cause
    ("Verotuloennusteita on alennettu johtuen pienemmistä ennakonpidätyksistä.", {"cause"}),
    ("Hankinta keskeytettiin, koska tarjouspyyntöön saapui vain yksi tarjous.", {"cause"}),
    ("Muutoksiin ei ryhdytty määrärahojen riittämättömyyden takia.", {"cause"}),
    # none: a risk, a plan, a derived word ("pysyviä" is made of "pysyä" but tells no state)
    ("Riski: Kaupunki epäonnistuu maapolitiikassa ja raakamaan hinta nousee merkittävästi.", set()),
    ("Toimintaa kehitetään yhdessä järjestöjen kanssa.", set()),
    ("Sopeutusohjelma tuo pysyviä säästöjä.", set()),
])
def test_what_a_sentence_states_of_what_a_question_asks(answerer: Answerer, sentence: str,
                                                        states: set[str]) -> None:
    assert Chooser._states(sentence, set(answerer.searcher.analyzer.terms(sentence))) == states


def test_a_sentences_state_cause_and_goal_are_features_of_the_intent_that_asks_them(
        answerer: Answerer) -> None:
    of_intent = {"status": {"states_state_x_status", "states_goal_x_status"},
                 "reason": {"states_cause_x_reason"}, "goal": {"states_goal_x_goal"}}
    for question, intent in (("Missä vaiheessa Kemin kirjaston remontti on?", "status"),
                             ("Miksi Kemin valtionosuudet pienenivät?", "reason"),
                             ("Mikä on Kemin kirjaston tavoite?", "goal")):
        info, _hits, _rules, found = _candidates(answerer, question)
        sentences = [c for c in found if c.kind == "sentence"]
        assert info.intent[0] == intent and sentences
        others = set().union(*of_intent.values()) - of_intent[intent]
        assert all(f in c.features and not c.features[f] for c in sentences for f in others)


def test_a_line_of_only_the_questions_words_is_chosen_last_unless_asked_yes_or_no() -> None:
    from api.choose import answer_order, says_nothing

    heading = _made("sentence", nothing_new=1.0)
    row_text = _made("sentence", nothing_new=1.0, is_row_text=1.0)
    sentence = _made("sentence")
    assert says_nothing(heading, yes_no=False) and not says_nothing(heading, yes_no=True)
    assert not says_nothing(row_text, yes_no=False) and not says_nothing(sentence, yes_no=False)
    probs = np.array([0.9, 0.5, 0.7])
    assert answer_order(probs, [heading, sentence, row_text], yes_no=False) == [2, 1, 0]
    assert answer_order(probs, [heading, sentence, row_text], yes_no=True) == [0, 2, 1]


def test_a_figure_questions_sentence_stating_no_figure_and_another_places_row_are_chosen_last() -> None:
    from api.choose import answer_order, states_no_figure

    # "… on ollut kaupungin vuokralaisena 1.2.2007 lukien" for "Paljonko … kuukausivuokra": a
    # figure question's answer states a figure — unless it asks yes or no
    dated = Candidate("sentence", 0, 0, 0, 0, None, {"is_sentence": 1.0}, figureless=True)
    stating = _made("sentence", intent_figure=1.0, figure_x_figure=1.0)
    cell = _made("cell", intent_figure=1.0)
    assert states_no_figure(dated, yes_no=False) and not states_no_figure(dated, yes_no=True)
    assert not any(states_no_figure(c, yes_no=False) for c in (stating, cell))
    elsewhere = Candidate("cell", 0, 0, 0, 0, 1, {"is_cell": 1.0}, elsewhere=True)
    probs = np.array([0.9, 0.8, 0.5, 0.4])
    assert answer_order(probs, [dated, elsewhere, stating, cell], yes_no=False) == [2, 3, 0, 1]
    assert answer_order(probs, [dated, elsewhere, stating, cell], yes_no=True) == [0, 2, 3, 1]


def test_which_sentences_of_a_figure_question_state_no_figure(answerer: Answerer) -> None:
    from api.choose import _BARE_NUMBER_WORD, _YEAR_FIGURE, states_figure, undated
    from api.prose import printed

    # a year-like number in a unit, and a cardinal in words, are figures; a date is none
    for text, states in [("Hinta on 2050 euroa.", True), ("Tarjouksia saatiin kaksi.", True),
                         ("Vuoden 2024 henkilöstökulut käsiteltiin.", False),
                         ("Vuokralainen on ollut 1.2.2007 lukien.", False),
                         ("Talousarvio vuodelle 2026 käsiteltiin.", False)]:
        assert bool(states_figure(undated(text)) or _YEAR_FIGURE.search(text)
                    or _BARE_NUMBER_WORD.search(text)) == states, text
    s = answerer.searcher
    info, _f, keep = s.prepare("Paljonko Kemi investoi vuonna 2022?")
    found = answerer.chooser.candidates(info, s.collapse(s.rank(info, keep), 10))
    said = [(c, printed(s, s.passages[c.n])[c.start:c.end]) for c in found if c.kind == "sentence"]
    assert any(c.figureless for c, _ in said) and any(not c.figureless for c, _ in said)
    assert all(not states_figure(undated(text)) for c, text in said if c.figureless)
    assert not any(c.figureless for c in found if c.kind == "cell")
    # a question asking no figure has none
    info, _f, keep = s.prepare("Miksi Kemi investoi?")
    found = answerer.chooser.candidates(info, s.collapse(s.rank(info, keep), 10))
    assert not any(c.figureless for c in found)


@pytest.mark.parametrize(("label", "places"), [
    ("Alavus", {"alavus"}), ("Ilmajoki", {"ilmajoki"}), ("Etelä-Pohjanmaa", {"etelä-pohjanmaa"}),
    ("Keski-Pohjanmaa", {"keski-pohjanmaa"}), ("Uusimaa", {"uusimaa"}),
    ("Koko maa", {"koko maa"}), ("Suomi", {"koko maa"}), ("Manner-Suomi", {"koko maa"}),
    # a row naming more than a place is no row of a table of places, nor one naming an area
    # by its common noun
    ("Seinäjoen seutukunta", None), ("Maakunta", None), ("Marttilan koulu", None),
    ("Pellon Group Oy", None), ("Toimintakulut", None), ("K8 YHT.", None), ("", None),
])
def test_a_row_of_a_table_of_places_is_that_places(answerer: Answerer, label: str,
                                                   places: set[str] | None) -> None:
    from api.choose import place_row

    found = place_row(answerer.analyzer, label)
    assert (set(found) if found is not None else None) == places


@pytest.mark.parametrize(("question", "asked", "not_asked"), [
    ("Paljonko Kemin toimintakulut olivat 2022?", {"kemi"}, {"koko maa"}),
    # a place outside the corpus the question names is asked too
    ("Kuopion asukasluku Kemin raportissa", {"kuopio", "kemi"}, set()),
    # a region by its name: its own row, not its neighbours' ("keski-pohjanmaa")
    ("Mikä oli Etelä-Pohjanmaan työttömyysaste?", {"etelä-pohjanmaa", "pohjanmaa"}, {"keski-pohjanmaa"}),
    # the whole country, in Finnish, by its name, in English and in Swedish
    ("Mikä oli työttömyysaste koko maassa?", {"koko maa"}, set()),
    ("Mikä oli Suomen työttömyysaste?", {"koko maa"}, set()),
    ("What was Kemi's unemployment rate against the whole country?", {"koko maa", "kemi"}, set()),
    ("Hur hög var arbetslösheten i Kemi jämfört med hela landet?", {"koko maa", "kemi"}, set()),
])
def test_the_places_a_question_names(answerer: Answerer, question: str, asked: set[str],
                                     not_asked: set[str]) -> None:
    places = answerer.chooser._asked_places(answerer.searcher.prepare(question)[0])
    assert asked <= places and not places & not_asked


@pytest.mark.parametrize("question", [
    "paljonko toimintakulut olivat",  # no place named: no row is another place's
    "Mikä oli maakunnan työttömyysaste Kemin katsauksessa?",  # a region by its common noun
])
def test_no_row_is_another_places_where_the_question_names_none_by_name(answerer: Answerer,
                                                                         question: str) -> None:
    s = answerer.searcher
    info, _f, keep = s.prepare(question)
    assert answerer.chooser._asked_places(info) == frozenset()
    assert not any(c.elsewhere for c in answerer.chooser.candidates(info, s.collapse(s.rank(info, keep), 10)))


def test_one_places_item_of_a_question_across_places_asks_of_that_place_only(answerer: Answerer) -> None:
    from dataclasses import replace as changed

    info = answerer.searcher.prepare("Vertaa Kemin ja Heinolan työttömyysastetta koko maahan")[0]
    item = changed(info, municipalities=["Kemi"], item=True)
    places = answerer.chooser._asked_places(item)
    assert "kemi" in places and "koko maa" in places and "heinola" not in places


@pytest.mark.parametrize(("text", "stated"), [
    ("Koko maassa työttömyysaste oli 12,0 %.", {"share"}),
    ("Avustuksia haettiin yhteensä 80.300 eurolla.", {"amount"}),
    ("Investoinnit ovat 7,2 milj. euroa eli 58,6 % määrärahasta.", {"amount", "share"}),
    # a count: a cardinal with its counted noun (the partitive), in figures or words, or its unit
    ("Hankintaan jätettiin 2 tarjousta.", {"count"}),
    ("Virkaa haki kolme hakijaa.", {"count"}),
    ("Jäähalli vuokrasi jääaikaa 1.140 tuntia vuonna 2024.", {"count"}),
    ("kpl", {"count"}), ("1000 €", {"amount"}),
    # a year, a date or a § is no figure
    ("Käydään läpi talousarvio vuodelle 2026.", set()),
    ("§ 3 Digitaalisten potilasvaakojen hankinta", set()),
])
def test_the_unit_a_figure_is_stated_in(text: str, stated: set[str]) -> None:
    from api.choose import undated, units

    assert units(undated(text)) == stated


def test_the_years_dates_and_items_are_blanked_where_they_stood() -> None:
    from api.choose import undated

    text = "Kokous 5.6.2024 § 4: vuonna 2024 jätettiin 2 tarjousta."
    plain = undated(text)
    assert len(plain) == len(text) and plain.index("2 tarjousta") == text.index("2 tarjousta")
    assert "2024" not in plain and "§" not in plain and "5.6." not in plain


def test_a_cardinal_with_its_counted_noun_states_a_figure() -> None:
    from api.choose import states_figure, undated

    assert states_figure(undated("Hankintaan jätettiin 2 tarjousta."))
    assert states_figure(undated("Tarjouksia saatiin kaksi kappaletta."))
    assert not states_figure(undated("Liite 1"))  # no counted noun
    assert not states_figure(undated("Kokous 5.6.2024 § 4"))


def test_the_units_stated_against_the_measure_asked() -> None:
    from api.choose import unit_fit

    assert unit_fit({"amount"}, "count") == {"unit_fit": 0.0, "unit_clash": 1.0}
    assert unit_fit({"count"}, "count") == {"unit_fit": 1.0, "unit_clash": 0.0}
    assert unit_fit({"amount", "share"}, "share") == {"unit_fit": 1.0, "unit_clash": 0.0}
    # no unit stated, or a measure with no unit of its own: neither
    assert unit_fit(set(), "count") == {"unit_fit": 0.0, "unit_clash": 0.0}
    assert unit_fit({"amount"}, "difference") == {"unit_fit": 0.0, "unit_clash": 0.0}
    assert unit_fit({"amount"}, None) == {"unit_fit": 0.0, "unit_clash": 0.0}


def test_a_count_questions_cells_clash_with_a_table_in_euros(answerer: Answerer) -> None:
    info, _hits, _rules, found = _candidates(answerer, "Montako henkilöä Testilässä oli töissä vuonna 2023?")
    assert info.intent == ("figure", "count")
    cells = [c for c in found if c.kind == "cell"]
    assert all({"unit_fit", "unit_clash"} <= set(c.features) for c in found)
    for c in cells:
        p = answerer.searcher.passages[c.n]
        table = answerer.searcher.table(p["table_id"])
        unit = table["rows"][p["row_index"]]["cells"][c.col].get("unit")
        if unit in ("1000 €", "€"):
            assert c.features["unit_clash"] == 1.0 and c.features["unit_fit"] == 0.0


@pytest.mark.parametrize("sentence, kinds", [
    # an office or a title by its lemma's head, a body by `query.COLLEGIAL`'s, a firm by the word
    # before its Oy, an organisation by its head, a person by Voikko's name classes (a compound's
    # lemma, not a compound's parts)
    ("Sisäisen tarkastuksen koordinoinnista vastaa kaupunginjohtaja.", {"title": {"kaupunginjohtaja"}}),
    ("Sivistyslautakunta kuuli asiassa varhaiskasvatuspäällikköä.",
     {"body": {"sivistyslautakunta"}, "title": {"varhaiskasvatuspäällikkö"}}),
    ("Yhteistyötä jatketaan Thermopolis Oy:n kanssa.", {"organisation": {"thermopolis"}}),
    ("Rahoitusta haetaan Väylävirastolta.", {"organisation": {"väylävirasto"}}),
    ("Asia pantiin pöydälle Paavo Arhinmäen ehdotuksesta.", {"person": {"paavo", "arhinmäki"}}),
    # a word broken over a line, joined as the index's terms join it
    ("Sisäinen tarkastus raportoi suoraan kaupun- ginjohtajalle.", {"title": {"kaupunginjohtaja"}}),
    ("Päätöksen valmisteli kaupunginhallituksen jäsen.",
     {"body": {"kaupunginhallitus"}, "title": {"jäsen"}}),
    # nobody: a heading, a plan, a compound whose first part (not its head) is a title, a body
    # or an organisation: a membership fee, a general meeting, an office building, a programme
    ("Ilmastoyhteistyön jatkaminen vuosina 2026-2030", {}),
    ("Yhdistyksen jäsenmaksun korotus hyväksyttiin.", {"organisation": {"yhdistys"}}),
    ("Yhtiökokous pidetään Virastotalon salissa.", {}),
    ("Hallitusohjelman tavoitteet on kirjattu strategiaan.", {}),
])
def test_who_a_sentence_names_by_kind(answerer: Answerer, sentence: str, kinds: dict) -> None:
    analyzer = answerer.searcher.analyzer
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    named = api.choose.agents(analyzer, sentence)
    assert {k: v for k, v in named.items() if v} == kinds


def test_whom_a_sentence_names_against_whom_a_who_question_does(answerer: Answerer) -> None:
    analyzer = answerer.searcher.analyzer
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    def fit(sentence: str, info) -> dict[str, float]:
        return api.choose.agent_fit(api.choose.agents(analyzer, sentence) if info.who else None, info)

    asked = answerer.searcher.understand(
        "Kenen ehdotuksesta kulttuuri- ja vapaa-aikalautakunta pani asian pöydälle?")
    assert asked.who
    # the body the question names is no answer to it; the person the sentence adds is
    assert fit("Kulttuuri- ja vapaa-aikalautakunta päätti panna asian pöydälle.", asked) \
        == {"names_title_x_who": 0.0, "names_body_x_who": 1.0, "agent_new_x_who": 0.0,
            "agent_given_x_who": 1.0}
    assert fit("Kulttuuri- ja vapaa-aikalautakunta päätti panna asian pöydälle Paavo "
                         "Arhinmäen ehdotuksesta.", asked)["agent_new_x_who"] == 1.0
    # no one named: neither
    none = fit("Asia pantiin pöydälle.", asked)
    assert none["agent_new_x_who"] == none["agent_given_x_who"] == 0.0
    # another question: no feature of whom
    other = answerer.searcher.understand("Mitä kulttuuri- ja vapaa-aikalautakunta päätti?")
    assert not other.who
    assert set(fit("Paavo Arhinmäki ehdotti pöydällepanoa.", other).values()) == {0.0}


def test_a_who_questions_sentence_naming_a_firm_names_someone_new(answerer: Answerer) -> None:
    _info, _hits, _rules, found = _candidates(answerer, "Kuka tuottaa Heinolan kirjanpidon palvelut?")
    s = answerer.searcher
    new = {printed(s, s.passages[c.n])[c.start:c.end]: c.features["agent_new_x_who"]
           for c in found if c.kind == "sentence"}
    assert new["Palvelut tuottaa vuodesta 2024 alkaen Provincia Oy."] == 1.0
    # …and names an agent (a firm's Oy; a person by `agents`' names), as `names_agent` says
    agent = {printed(s, s.passages[c.n])[c.start:c.end]: c.features["names_agent"]
             for c in found if c.kind == "sentence"}
    assert agent["Palvelut tuottaa vuodesta 2024 alkaen Provincia Oy."] == 1.0
    assert new["Heinolan kirjanpidon palvelut kilpailutettiin, koska kirjanpidon palveluja "
               "tuottaa nykyisin kaupunki itse."] == 0.0


@pytest.mark.parametrize(("sentence", "when"), [
    ("Kaupunginvaltuuston talousseminaari pidetään ke 22.10.2025 - to 23.10.2025.", True),
    ("Lautakunnan kokoukset pidetään 11.6., 27.8., 22.10. ja 17.12.", True),
    ("Avustusten hakuaika on päättynyt klo 15.00.", True),
    ("Tonttipäivä järjestetään torstaina.", True),
    ("Sivistyslautakunnan tammikuun kokous siirtyy.", True),
    # a year alone, a figure, a §: no time finer than a year
    ("Tarmoa-palvelun vuosikustannus on vuonna 2025 noin 50 000 €.", False),
    ("Hakemukset siirrettiin hallintolain 21 § mukaisesti; avustus on 1,5 milj. euroa.", False),
    # a word that only starts like a month's name
    ("Elokuvateatterin kesäseteleitä jaettiin.", False),
    # a section's number is no day
    ("3.2.1 Tuloslaskelma ja sen tunnusluvut", False),
    ("Sopimus allekirjoitettiin 09.05.2019.", True),
])
def test_a_sentence_states_when_finer_than_a_year(sentence: str, when: bool) -> None:
    assert api.choose.states_date(sentence) is when


def test_the_days_a_sentence_names_against_those_a_question_does() -> None:
    from api.choose import day_fit

    asked = frozenset({"2022-01-15"})
    assert day_fit("… sosiaalityöntekijän virkaan 15.1.2022 lukien.", asked) == \
        {"day_match": 1.0, "day_clash": 0.0}
    assert day_fit("… sosiaalityöntekijän virkaan 21.2.2022 lukien.", asked) == \
        {"day_match": 0.0, "day_clash": 1.0}
    # the day with the month's name; a range holding the day asked, its first day of the year
    # its last names ("1.1.–31.3.2022")
    assert day_fit("… virkaan 15. tammikuuta 2022 alkaen.", asked)["day_match"] == 1.0
    assert day_fit("Toimikausi on 1.1.–31.3.2022.", asked) == {"day_match": 1.0, "day_clash": 0.0}
    assert day_fit("Toimikausi on 1.2.–31.3.2022.", asked) == {"day_match": 0.0, "day_clash": 1.0}
    assert day_fit("Hakuaika 15.1.–31.1.2022.", asked)["day_match"] == 1.0
    # a sentence naming no day, or a question naming none: neither
    assert set(day_fit("… sosiaalityöntekijän virkaan toistaiseksi.", asked).values()) == {0.0}
    assert set(day_fit("… virkaan 21.2.2022 lukien.", frozenset()).values()) == {0.0}


def test_a_person_beside_the_title_a_who_question_names(answerer: Answerer) -> None:
    from api.choose import titled_person

    analyzer = answerer.searcher.analyzer
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    titles = {"puheenjohtaja"}
    assert titled_person(analyzer, "Saapuvilla olleet jäsenet Kai Pöntinen, puheenjohtaja Pekka "
                         "Kivisaari, 1. varapuheenjohtaja", titles)
    assert titled_person(analyzer, "Sivistyslautakunnan puheenjohtaja Ilpo Ulvinen totesi asian.", titles)
    # the title without anyone, another title's holder, or a question asking of no title
    assert not titled_person(analyzer, "Puheenjohtaja totesi keskustelun päättyneeksi.", titles)
    assert not titled_person(analyzer, "Esittelijä: Satu Kankare, kaupunginjohtaja", titles)
    assert not titled_person(analyzer, "Kai Pöntinen, puheenjohtaja", set())


def _near(analyzer, text: str, content: frozenset[str], unit=None) -> float:  # noqa: ANN001
    """`figure_near` of a text, read as a sentence candidate is: with its years and dates blanked."""
    from api.choose import figure_near, undated

    return figure_near(analyzer, text, undated(text), content, unit)


@pytest.mark.parametrize(("question", "sentence", "near"), [
    # the figure's counted noun is the question's word: as near as can be
    ("Montako henkilöä haki ympäristöinsinöörin virkaa?",
     "Määräaikaan mennessä virkaan haki 11 henkilöä.", 1.0),
    # the subject's word ("poistetaan") just before the figure
    ("Montako katuvaloa poistetaan?", "Katuvaloja poistetaan 31 kpl.", 1 / 2),
    # a date and a § are no figures: a sentence naming only those has none near its subject
    ("Montako henkilöä haki ympäristöinsinöörin virkaa?",
     "Kaupunginhallitus on päätöksellään 19.12.2022 § 443 myöntänyt täyttöluvan virkaan 1.3.2023.", 0.0),
    # a figure, but none of the question's words
    ("Montako henkilöä haki ympäristöinsinöörin virkaa?", "Kokous alkoi 6 minuuttia myöhässä.", 0.0),
])
def test_how_near_a_figure_stands_to_the_questions_subject(question: str, sentence: str, near: float) -> None:
    from indexer.analyze import get_analyzer

    analyzer = get_analyzer()
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    assert _near(analyzer, sentence, frozenset(analyzer.terms(question))) == pytest.approx(near)


def test_a_figure_near_the_subject_in_the_unit_asked() -> None:
    from api.choose import _UNITS
    from indexer.analyze import get_analyzer

    analyzer = get_analyzer()
    if analyzer.name != "voikko":
        pytest.skip("Voikko is not installed here (make install puts it in)")
    asked = frozenset(analyzer.terms("Paljonko Nurmon liikuntahallin laajennukseen käytettiin?"))
    code = "5125 Nurmon liikuntahallin laajennus"  # a project's code beside its name: no amount
    assert _near(analyzer, code, asked) > 0.0
    assert _near(analyzer, code, asked, _UNITS["amount"]) == 0.0
    stated = "Nurmon liikuntahallin laajennukseen käytettiin 8 376 euroa."
    assert _near(analyzer, stated, asked, _UNITS["amount"]) == 1 / 2  # the word before it
    # a share asked: the euros beside the subject are no figure of it, the % further off is
    shares = frozenset(analyzer.terms("Montako prosenttia määrärahasta investoinneista käytettiin?"))
    both = "Investoinnit ovat 7,2 milj. euroa eli 58,6 % määrärahasta."
    assert _near(analyzer, both, shares, _UNITS["share"]) == 1 / 2  # "58,6 % määrärahasta"
    assert _near(analyzer, "Investoinnit ovat 7,2 milj. euroa.", shares, _UNITS["share"]) == 0.0
    # a unit is read from the whole text: a long word after a figure is no counted noun because
    # the 12 characters after the figure end inside it ("15 kaupunginha…")
    members = frozenset(analyzer.terms("montako kokousta"))
    assert _near(analyzer, "Kokouksessa 15 kaupunginhallitus", members, _UNITS["count"]) == 0.0
