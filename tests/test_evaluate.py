"""The benchmarks' scoring (one result a rank, as the page shows them) and their results file."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.evaluate import Qrels, Question, figure_right, score_run, write_section


def qrels(relevant: set[int]) -> Qrels:
    q = Qrels.__new__(Qrels)  # relevance given directly, not resolved from quotes in an index
    q.relevant, q.missing = {"q": relevant}, []
    return q


def test_a_collapsed_result_takes_one_rank() -> None:
    # three results each standing for an agenda and its minutes; the relevant one is the fourth
    run = {"q": [(1, 2), (3, 4), (5, 6), (7, 8)]}
    scores = score_run(qrels({8}), run)
    assert scores["hit@1"] == 0.0 and scores["hit@5"] == 1.0
    assert scores["mrr@10"] == pytest.approx(0.25)


def test_a_result_is_relevant_when_any_passage_it_stands_for_is() -> None:
    scores = score_run(qrels({9}), {"q": [(2, 9), (3,)]})
    assert scores["hit@1"] == 1.0 and scores["mrr@10"] == 1.0


def test_a_benchmark_rewrites_only_its_own_section(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text("# Results\n\nWritten by hand.\n", encoding="utf-8")
    write_section(results, "bench_x", ["first run"])
    write_section(results, "bench_x", ["second run"])
    text = results.read_text(encoding="utf-8")
    assert text == ("# Results\n\nWritten by hand.\n\n"
                    "<!-- bench_x:start -->\nsecond run\n<!-- bench_x:end -->\n")


def _figure_question(number: float, unit: str, also: list[float] | None = None) -> Question:
    return Question(id="q", question="?", value={"number": number, "unit": unit, "also": also or []})


def test_a_figure_in_another_scale_is_the_same_figure() -> None:
    # the gold read off a 1000 € table; the answer cell is the same amount in euros
    q = _figure_question(4303.0, "1000 €")
    cell = {"answer_type": "table_cell", "value": {"text": "4 302 832,95", "number": 4302832.95,
                                                    "unit": "€"}}
    assert figure_right(q, cell)
    near = {"answer_type": "table_cell", "value": {"text": "4 303 900", "number": 4303900.0, "unit": "€"}}
    assert not figure_right(q, near)  # 4 304 thousand, not 4 303
    # a sentence rounding it to millions, to its own last digit
    assert figure_right(_figure_question(33595.0, "1000 €"),
                        {"answer_type": "passage", "answer": "Verotulot olivat 33,6 miljoonaa euroa."})
    assert not figure_right(_figure_question(33595.0, "1000 €"),
                            {"answer_type": "passage", "answer": "Verotulot olivat 33,9 miljoonaa euroa."})


def test_figures_of_other_units_or_no_unit_must_be_equal() -> None:
    q = _figure_question(454.0, "hlö")
    assert figure_right(q, {"answer_type": "table_cell",
                            "value": {"text": "454", "number": 454.0, "unit": None}})
    assert not figure_right(q, {"answer_type": "table_cell",
                                "value": {"text": "454 000", "number": 454000.0, "unit": "1000 €"}})
    # a number whose scale is not said is compared as written
    assert not figure_right(_figure_question(4303.0, "1000 €"),
                            {"answer_type": "table_cell", "value": {"text": "4 302 833", "number": 4302833.0,
                                                                     "unit": None}})


def test_a_row_quote_run_on_into_a_neighbouring_table_is_found_by_its_row_start() -> None:
    from types import SimpleNamespace

    from eval.evaluate import located

    text = "Tase\nLyhytaikaiset saamiset\t4 426\t4 303\n\nVastattavaa\nOstovelat\t2 490\t4 965\n"
    searcher = SimpleNamespace(docs={"d": SimpleNamespace(source_file="kauhava.pdf")})
    gold = {"file": "kauhava", "quote": "Lyhytaikaiset saamiset\t4 426\t4 303\tOstovelat\t\t2 490"}
    spans, whole = located(searcher, {"d": text}, gold)
    assert not whole and [text[s:e] for _d, s, e in spans] == ["Lyhytaikaiset saamiset\t4 426\t4 303"]
    # a label alone is no evidence of the row
    assert located(searcher, {"d": text}, {"file": "kauhava", "quote": "Tase\tx\ty"}) == ([], True)


def test_a_row_quote_an_earlier_parse_cut_where_its_cells_wrapped_is_found_in_the_whole_row() -> None:
    from types import SimpleNamespace

    from eval.evaluate import located

    text = ("Tavoite\tMittari\tLähtötaso\tTavoite-taso 2024\tToteuma 2024\n"
            "Yritysten kasvu ja kansainvälistyminen\tKontaktoitujen yritysten määrä kpl\t…\t1 500\t1920\n")
    searcher = SimpleNamespace(docs={"d": SimpleNamespace(source_file="seinajoki.pdf")})

    def rows(quote: str) -> list[str]:
        spans, whole = located(searcher, {"d": text}, {"file": "seinajoki", "quote": quote})
        assert not (spans and whole)
        return [text[s:e] for _d, s, e in spans]

    row = text.splitlines()[1]
    # parser 20 cut the ruled band where its cells wrapped; the later parse reads the row whole
    assert rows("Yritysten kasvu ja\t\t\tKontaktoitujen yritysten\t…\t1 500\t1920") == [row]
    # one cell's lines run into the next cell's, no tab between
    assert rows("kasvu ja Kontaktoitujen yritysten") == [row]
    # words out of order, a word part of a longer one, or too few words are no evidence
    assert rows("Kontaktoitujen kasvu ja yritysten") == []
    assert rows("kasvu ja Kontaktoitu yritysten") == []
    assert rows("kasvu Kontaktoitujen") == []


def test_a_twin_or_a_passage_with_the_gold_words_holds_the_gold() -> None:
    from types import SimpleNamespace

    from api.index import Hit
    from eval.gold_ranks import bucket, holds

    quote = "Kutsu tähän kokoukseen on julkaistu 5.11.2025"
    row = "Vuosikate\t1 200\t1 350"
    s = SimpleNamespace(passages=[{"kind": "passage", "text": "agenda"},
                                  {"kind": "passage", "text": "Kutsu tähän kokoukseen on\njulkaistu "
                                                              "5.11.2025 ilmoitustaululla."},
                                  {"kind": "passage", "text": "other"},
                                  # a table row's text is the row read out with its headers
                                  {"kind": "table_row", "doc_id": "d", "start": 0, "end": len(row),
                                   "text": "Vuosikate: TA 2024 1 200, TP 2024 1 350"}],
                        text_span=lambda _doc, a, b: row[a:b])
    gold = {0}
    # the printed row holds the gold row's words (a twin of the row in another document)
    assert holds(s, Hit(3, 1.0, 0.0, 0.0), gold, ["Vuosikate 1 200 1 350"], twins=True)
    assert holds(s, Hit(0, 1.0, 0.0, 0.0), gold, [quote], twins=False)
    # the minutes' twin of the agenda's gold passage: folded into the result, or its words
    assert holds(s, Hit(2, 1.0, 0.0, 0.0, (0,)), gold, [quote], twins=True)
    assert holds(s, Hit(1, 1.0, 0.0, 0.0), gold, [quote], twins=True)
    assert not holds(s, Hit(1, 1.0, 0.0, 0.0), gold, [quote], twins=False)
    assert not holds(s, Hit(2, 1.0, 0.0, 0.0), gold, [quote], twins=True)
    # (the chooser's pool, TOP = 10, ends a bucket)
    assert [bucket(r) for r in (1, 3, 10, 11, 30, 31, None)] == ["1", "2-3", "4-10", "11-15", "16-30",
                                                                 "31+", "none"]


def test_the_same_words_either_way_as_the_scoring_takes_them() -> None:
    from eval.evaluate import same_words

    gold = "Kutsu tähän kokoukseen on julkaistu 5.11.2025"
    # a citation holding the gold's words, or held in them, its spaces collapsed
    assert same_words("Kutsu tähän kokoukseen on\njulkaistu 5.11.2025 ilmoitustaululla.", [gold])
    assert same_words("tähän kokoukseen on julkaistu", [gold])
    # too short a text to tell, and other words
    assert not same_words("kokoukseen", [gold])
    assert not same_words("Kutsu seuraavaan kokoukseen julkaistaan myöhemmin", [gold])


def test_a_not_chosen_miss_is_sorted_by_the_chosen_candidate_against_the_right_one() -> None:
    from types import SimpleNamespace

    from api.choose import Candidate
    from eval.figure_misses import why_not_chosen

    table = {"columns": ["", "TA 2024", "TP 2024"]}
    s = SimpleNamespace(passages=[{"table_id": "t"}, {"table_id": "t"}], table=lambda _t: table)

    def cell(n: int, col: int) -> Candidate:
        return Candidate("cell", 1, n, 0, 0, col, {})
    sentence = Candidate("sentence", 1, 0, 0, 10, None, {})
    assert why_not_chosen(s, cell(0, 1), cell(0, 2)) == "right row, wrong column"
    assert why_not_chosen(s, cell(0, 2), cell(1, 2)) == "right column, wrong row"
    assert why_not_chosen(s, cell(0, 1), cell(1, 2)) == "other row and column"
    assert why_not_chosen(s, sentence, cell(0, 2)) == "sentence over cell"


def test_thousands_grouped_by_full_stops_are_one_number() -> None:
    from eval.evaluate import stated

    # "1.140 tuntia" is 1 140 hours as some reports print it, not 1 and 140; a date stays apart
    assert [f.value for f in stated("Kerhotunteja kertyi 1.140 tuntia.")][::2] == [1140.0]
    assert [f.value for f in stated("31.12.2024 mennessä")][::2] == [31.0, 12.0, 2024.0]
    # …after an abbreviation's full stop too ("yht. 656.944 euroa": before, 656 and 944)
    assert [f.value for f in stated("kaukolämpöverkot yht. 656.944 euroa")][::2] == [656944.0]
    assert figure_right(_figure_question(1140.0, "h"),
                        {"answer_type": "passage", "answer": "Kerhotunteja kertyi 1.140 tuntia."})
