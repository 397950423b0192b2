"""The answer question sets' form (eval/answers.json and the extra training sets eval/train_more*.json),
read without an index: eval/check_questions.py's `format_errors` on each, the seeded split, and the
rule that the extra training sets share no gold quote with the test split (checked over every
document by `eval/check_questions.py FILE` where the index is built)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.check_questions import format_errors
from eval.split_questions import assign

EVAL = Path(__file__).resolve().parent.parent / "eval"


def questions(name: str) -> list[dict]:
    return json.loads((EVAL / name).read_text(encoding="utf-8"))["questions"]


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["answers.json", "train_more.json", "train_more2.json", "train_more3.json",
                                  "train_more4.json", "train_more5.json", "train_more6.json",
                                  "train_more7.json", "train_more8.json"])
def test_a_question_set_has_the_form_check_questions_asks(name: str) -> None:
    assert format_errors(questions(name)) == []


def test_the_answer_set_keeps_its_seeded_split() -> None:
    qs = questions("answers.json")
    split = assign(qs)
    assert [q["id"] for q in qs if q["split"] != split[q["id"]]] == []


@pytest.mark.parametrize("name", ["train_more.json", "train_more2.json", "train_more3.json"])
def test_the_extra_training_set_is_training_only_and_apart_from_the_test_split(name: str) -> None:
    more, answers = questions(name), questions("answers.json")
    assert len(more) >= 120
    assert {q["split"] for q in more} == {"train"}
    assert not {q["id"] for q in more} & {q["id"] for q in answers}
    test_quotes = {norm(g["quote"]) for q in answers if q["split"] == "test" for g in q["gold"]}
    assert [q["id"] for q in more if any(norm(g["quote"]) in test_quotes for g in q["gold"])] == []


def test_the_extra_training_set_weights_the_weak_intents_and_other_languages() -> None:
    more = questions("train_more.json")
    count = {i: sum(q["intent"] == i for q in more) for i in
             ("figure_difference", "who", "decision", "status", "figure_share", "unanswerable")}
    assert min(count.values()) >= 10, count
    assert sum(q["language"] != "fi" for q in more) >= 20


def test_format_errors_names_the_question_and_what_is_wrong() -> None:
    good = {"id": "x1", "question": "Paljonko?", "intent": "figure_amount", "language": "fi",
            "answerable": True, "gold": [{"file": "f", "quote": "q"}], "value": {"number": 1}}
    assert format_errors([good]) == []
    bad = [
        good | {"id": "x2", "value": None},
        good | {"id": "x2"},
        good | {"id": "x3", "intent": "guess"},
        good | {"id": "x4", "language": "de"},
        good | {"id": "x7", "value": {"number": -4, "also": 4}},
        {**good, "id": "x5", "intent": "unanswerable", "answerable": False},
        {"id": "x6", "question": "?", "intent": "unanswerable", "language": "en",
         "answerable": False, "gold": []},
    ]
    errors = format_errors(bad)
    assert "x2: id used 2 times" in errors
    assert "x2: figure without value.number" in errors
    assert "x3: unknown intent 'guess'" in errors
    assert "x4: language 'de'" in errors
    assert "x5: unanswerable with gold" in errors
    assert "x6: unanswerable without why_unanswerable" in errors
    assert "x7: value.also 4 is not a list of numbers" in errors


@pytest.mark.parametrize(("name", "earlier"), [
    ("train_more2.json", ("answers.json", "train_more.json")),
    ("train_more3.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json")),
    ("train_more4.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json",
                          "train_more3.json")),
    ("train_more5.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json",
                          "train_more3.json", "train_more4.json")),
    ("train_more6.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json",
                          "train_more3.json", "train_more4.json", "train_more5.json")),
    ("train_more7.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json",
                          "train_more3.json", "train_more4.json", "train_more5.json", "train_more6.json")),
    ("train_more8.json", ("answers.json", "questions.json", "train_more.json", "train_more2.json",
                          "train_more3.json", "train_more4.json", "train_more5.json", "train_more6.json",
                          "train_more7.json")),
])
def test_a_later_draw_holds_no_quote_of_a_held_out_set_and_ids_of_its_own(
        name: str, earlier: tuple[str, ...]) -> None:
    """eval/train_more2.json … eval/train_more8.json: no gold quote equal
    to, inside or around one of the test split's or the English/Swedish check set's (those
    questions were dropped after writing), and ids apart from the earlier sets'."""
    more = questions(name)
    held = [q for q in questions("answers.json") if q["split"] == "test"] + questions("xling_check.json")
    held_quotes = {norm(g["quote"]) for q in held for g in q["gold"]} - {""}
    near = [q["id"] for q in more for g in q["gold"] for h in held_quotes
            if norm(g["quote"]) in h or h in norm(g["quote"])]
    assert near == []
    others = {q["id"] for other in earlier for q in questions(other)}
    assert not {q["id"] for q in more} & others


def test_the_third_draw_holds_plain_figures_status_minutes_and_other_languages() -> None:
    more2 = questions("train_more2.json")

    def count(*intents: str) -> int:
        return sum(q["intent"] in intents for q in more2)
    assert len(more2) >= 150
    assert count("figure_amount", "figure_count") >= 55
    assert count("figure_share", "figure_per_capita", "figure_difference") >= 20
    assert count("status", "goal") >= 15
    assert count("who", "when", "decision", "reason") >= 15
    assert count("unanswerable") >= 15
    assert sum(q["language"] != "fi" for q in more2) >= 35
    assert {q["language"] for q in more2} == {"fi", "en", "sv"}


def test_the_fourth_draw_weights_minutes_status_other_languages_and_figures() -> None:
    more3 = questions("train_more3.json")

    def count(*intents: str) -> int:
        return sum(q["intent"] in intents for q in more3)
    assert count("who", "when", "decision", "reason") >= 25
    assert count("status", "goal") >= 12
    assert sum(q["language"] != "fi" for q in more3) >= 20
    assert {q["language"] for q in more3} == {"fi", "en", "sv"}
    assert sum(q["intent"].startswith("figure_") for q in more3) >= 20
    assert count("unanswerable") >= 10
    assert all(q.get("source_unit") for q in more3 if q["answerable"])  # written from the draw


@pytest.mark.parametrize(("name", "other_languages"), [("train_more4.json", 40), ("train_more5.json", 30)])
def test_the_fifth_draw_is_training_only_figures_and_other_languages_from_its_units(
        name: str, other_languages: int) -> None:
    more4 = questions(name)
    assert {q["split"] for q in more4} == {"train"}
    assert sum(q["intent"].startswith("figure_") for q in more4) >= 40
    assert sum(q["language"] != "fi" for q in more4) >= other_languages
    assert {q["language"] for q in more4} == {"fi", "en", "sv"}
    assert sum(not q["answerable"] for q in more4) >= 5
    assert all(q.get("source_unit") for q in more4 if q["answerable"])  # written from the draw


def test_the_fifth_draw_s_two_files_hold_no_twin_quote() -> None:
    """eval/train_more5.json was written from the units of the fifth draw eval/train_more4.json's
    author did not read: no gold quote of one equals one of the other."""
    quotes = {norm(g["quote"]) for q in questions("train_more4.json") for g in q["gold"]}
    assert [q["id"] for q in questions("train_more5.json")
            if any(norm(g["quote"]) in quotes for g in q["gold"])] == []


def test_the_sixth_draw_holds_no_twin_of_an_earlier_sets_quote() -> None:
    """eval/train_more6.json (seed 20261213): its writer dropped the questions whose gold quote
    equals one of an earlier set's; none is left, and every answerable one names its unit."""
    earlier = {norm(g["quote"]) for name in ("answers.json", "questions.json", "train_more.json",
                                             "train_more2.json", "train_more3.json",
                                             "train_more4.json", "train_more5.json")
               for q in questions(name) if q.get("split") != "test" for g in q.get("gold", [])}
    more6 = questions("train_more6.json")
    assert [q["id"] for q in more6 if any(norm(g["quote"]) in earlier for g in q.get("gold", []))] == []
    assert {q["language"] for q in more6} == {"fi", "en", "sv"}
    assert all(q.get("source_unit") is not None for q in more6 if q["answerable"])


@pytest.mark.parametrize("name,seed", [("train_more7.json", 20261214), ("train_more8.json", 20261215)])
def test_a_late_draw_holds_no_twin_of_an_earlier_sets_quote(name: str, seed: int) -> None:
    """eval/train_more7.json and eval/train_more8.json (`eval/sample_units.py --seed`): their
    writers left out the units quoted by an earlier set; no gold quote equals one of an earlier
    set's, and every answerable one names its unit."""
    sets = ["answers.json", "questions.json", "train_more.json", "train_more2.json", "train_more3.json",
            "train_more4.json", "train_more5.json", "train_more6.json", "train_more7.json"]
    before = sets[:sets.index(name)] if name in sets else sets
    earlier = {norm(g["quote"]) for other in before
               for q in questions(other) if q.get("split") != "test" for g in q.get("gold", [])}
    late = questions(name)
    assert str(seed) in json.loads((EVAL / name).read_text(encoding="utf-8"))["about"]
    assert [q["id"] for q in late if any(norm(g["quote"]) in earlier for g in q.get("gold", []))] == []
    assert {q["split"] for q in late} == {"train"}
    assert {q["language"] for q in late} == {"fi", "en", "sv"}
    assert sum(not q["answerable"] for q in late) >= 5
    assert all(q.get("source_unit") for q in late if q["answerable"])
