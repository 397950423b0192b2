"""The benchmarks' scoring (one result a rank, as the page shows them) and their results file."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.evaluate import Qrels, score_run, write_section


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
