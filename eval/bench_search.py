"""Search benchmark: our ranking against the peers on the dev set and TyDi QA fi, fusion weight
sweep, and answers — written to eval/RESULTS.md (section between markers) and eval/search.png.
Latency is eval/bench_serve.py's, measured on a real server.

    .venv/bin/python eval/bench_search.py [--tydi ../shared/realdata/tydiqa-fi/finnish_tydiqa_dev.json]

Needs a built index of corpus/ (`make index`). TyDi QA is indexed into var/eval/tydi once; vectors
are cached (var/cache), so later runs take seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.search import DENSE_SCALE, Searcher  # noqa: E402
from eval.evaluate import (  # noqa: E402
    Peers,
    Qrels,
    Question,
    answer_metrics,
    evaluate,
    load_questions,
    ours,
    peer_answers,
    score_run,
    write_section,
)
from indexer import store  # noqa: E402
from indexer.models import Document, Meta, Passage, stable_id  # noqa: E402
from indexer.parse import PARSER_VERSION  # noqa: E402
from indexer.search_index import (  # noqa: E402
    BM25_B,
    BM25_K1,
    SEARCH_VERSION,
    lexical_index,
    write_search_index,
)
from indexer.settings import Settings  # noqa: E402
from indexer.textnorm import clean  # noqa: E402

RESULTS = ROOT / "eval" / "RESULTS.md"
SYSTEMS = ["bm25-plain", "bm25-snowball", "dense", "rrf", "ours"]
WEIGHTS = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]
NEIGHBOUR_B = [0.5, BM25_B, 0.75]
NEIGHBOUR_SCALE = [0.08, DENSE_SCALE, 0.12]


def tydi_index(path: Path, settings: Settings) -> tuple[Path, list[Question]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    docs, passages, questions = [], [], []
    seen: dict[str, str] = {}
    for article in data["data"]:
        for para in article["paragraphs"]:
            text = clean(para["context"])
            if text not in seen:
                doc_id = stable_id("tydi", len(seen))[:12]
                seen[text] = f"tydi/{len(seen):04d}"
                docs.append(Document(doc_id, seen[text], "", Meta("", "wikipedia", article["title"], "",
                                                                  "", 0), text, (), ()))
                passages.append(Passage(stable_id(doc_id, "p"), doc_id, "passage", text,
                                        f"{article['title']}\n{text}", article["title"], None, 0,
                                        len(text)))
            for qa in para["qas"]:
                questions.append(Question(qa["id"], qa["question"],
                                          gold=[{"file": seen[text], "quote": text[:80]}]))
    folder = ROOT / "var" / "eval" / "tydi"
    # the parser version too: it changes with the index database's tables
    stamp = (f"{len(passages)}:{settings.model}:{settings.analyzer}:{SEARCH_VERSION}:"
             f"{PARSER_VERSION}:{path.stat().st_size}")
    if not (folder / store.MANIFEST).exists() or store.read_manifest(folder).get("stamp") != stamp:
        shutil.rmtree(folder, ignore_errors=True)
        store.write_db(folder, docs, passages)
        fields = write_search_index(folder, passages, settings)
        store.write_manifest(folder, {"stamp": stamp, **fields})
    return folder, questions


def neighbourhood(searcher: Searcher, qrels: Qrels, questions: list[Question]
                  ) -> dict[tuple[float, float], dict[str, float]]:
    """hit@1 / MRR@10 at the settled dense weight for BM25 b × dense scale around the chosen
    pair (k1 stays BM25_K1): how sharply the choice sits."""
    answerable = [q for q in questions if q.id in qrels.relevant]
    out = {}
    for b in NEIGHBOUR_B:
        searcher.use_lexical(lexical_index(searcher.analyzer, searcher.search_texts(), BM25_K1, b))
        for scale in NEIGHBOUR_SCALE:
            out[b, scale] = score_run(qrels, {q.id: ours(searcher, q, 10, dense_scale=scale)
                                              for q in answerable})
    searcher.use_lexical(lexical_index(searcher.analyzer, searcher.search_texts()))
    return out


def sweep(searcher: Searcher, qrels: Qrels, questions: list[Question]) -> dict[float, dict[str, float]]:
    answerable = [q for q in questions if q.id in qrels.relevant]
    return {w: score_run(qrels, {q.id: ours(searcher, q, 10, dense_weight=w) for q in answerable})
            for w in WEIGHTS}


ANSWER_ROWS = [
    ("answered", "answerable questions answered (`found`)", "≥ 0.95"),
    ("declined", "unanswerable questions declined", "≥ 0.8"),
    ("numeric_exact", "figure questions: the right figure (the cell's, or stated in the quote)", "≥ 0.95"),
    ("citation_supported", "citations whose quote overlaps the gold evidence", "≥ 0.95"),
    ("cross_lingual_answered", "English/Swedish questions answered with supported citation", "≥ 0.9"),
]


def table(rows: dict[str, dict[str, float]]) -> list[str]:
    out = ["| system | hit@1 | hit@5 | MRR@10 | nDCG@10 |", "|---|---|---|---|---|"]
    for name, m in rows.items():
        out.append(f"| {name} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['mrr@10']:.3f} | "
                   f"{m['ndcg@10']:.3f} |")
    return out


def plot(dev: dict, tydi: dict | None, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = [("dev set", dev)] + ([("TyDi QA fi", tydi)] if tydi else [])
    fig, axes = plt.subplots(1, len(sets), figsize=(5.5 * len(sets), 3.6), squeeze=False)
    for ax, (title, rows) in zip(axes[0], sets, strict=True):
        names = list(rows)
        x = range(len(names))
        ax.bar([i - 0.2 for i in x], [rows[n]["hit@1"] for n in names], 0.4, label="hit@1")
        ax.bar([i + 0.2 for i in x], [rows[n]["mrr@10"] for n in names], 0.4, label="MRR@10")
        ax.set_xticks(list(x), names, rotation=20)
        ax.set_ylim(0, 1)
        ax.set_title(title)
        ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def answer_table(ours: dict[str, float], peers: dict[str, dict[str, float]]) -> list[str]:
    """The answer metrics, ours beside the same answerer over each peer's ranking."""
    lines = ["| metric | " + " | ".join(peers) + " | ours | target |",
             "|---|" + "---|" * (len(peers) + 2)]
    for key, label, target in ANSWER_ROWS:
        lines.append(f"| {label} | " + " | ".join(f"{m[key]:.3f}" for m in peers.values())
                     + f" | **{ours[key]:.3f}** | {target} |")
    return lines + ["| `ask` p50 / p95 (in process, warm) | " + " | ".join("—" for _ in peers)
                    + f" | {ours['ask_p50_ms']:.1f} / {ours['ask_p95_ms']:.1f} ms | p95 ≤ 100 ms |"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--questions", default=str(ROOT / "eval" / "questions.json"))
    ap.add_argument("--tydi", default=str(ROOT.parent / "shared" / "realdata" / "tydiqa-fi" /
                                         "finnish_tydiqa_dev.json"))
    ap.add_argument("--heldout", default=str(ROOT / "eval" / "heldout.json"),
                    help="questions never used for tuning, scored the same way")
    args = ap.parse_args()
    settings = Settings()
    searcher = Searcher.open(settings)
    questions = load_questions(Path(args.questions))
    documents = searcher.document_texts()
    peers = Peers(searcher, searcher.search_texts())  # built once: retrieval and answers share it
    dev, qrels = evaluate(searcher, documents, questions, peers)
    if qrels.missing:
        print("gold quotes not found:\n  " + "\n  ".join(qrels.missing), file=sys.stderr)
        return 1
    dev_sweep = sweep(searcher, qrels, questions)
    dev_near = neighbourhood(searcher, qrels, questions)
    tydi = tydi_sweep = tydi_near = None
    if Path(args.tydi).exists():
        folder, tq = tydi_index(Path(args.tydi), settings)
        ts = Searcher.in_folder(folder, settings, store.read_manifest(folder))
        tydi, tq_rels = evaluate(ts, ts.document_texts(), tq, Peers(ts, ts.search_texts()))
        tydi_sweep = sweep(ts, tq_rels, tq)
        tydi_near = neighbourhood(ts, tq_rels, tq)
    from api.answer import Answerer
    answerer = Answerer(searcher)
    for q in questions[:5]:
        answerer.ask(q.question)  # warm
    answers, _rows = answer_metrics(answerer, documents, questions)
    answer_peers = peer_answers(answerer, documents, questions, peers)
    held = load_questions(Path(args.heldout))
    held_search, held_rels = evaluate(searcher, documents, held, peers)
    if held_rels.missing:
        print("held-out gold quotes not found:\n  " + "\n  ".join(held_rels.missing), file=sys.stderr)
        return 1
    held_answers, _rows = answer_metrics(answerer, documents, held)
    held_peers = peer_answers(answerer, documents, held, peers)
    n_ans = sum(1 for q in questions if q.answerable)
    lines = ["## Search (issue #3)", "",
             f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}; model `{settings.model}`, analyzer "
             f"`{searcher.analyzer.name}`, dense weight {settings.dense_weight}. Command: "
             "`" + " ".join([".venv/bin/python eval/bench_search.py", *sys.argv[1:]]) + "`.",
             "",
             f"### Dev set (`eval/questions.json`: {len(questions)} questions, {n_ans} answerable)",
             ""] + table(dev)
    if tydi:
        lines += ["", f"### TyDi QA fi ({len(tq)} questions, {ts.n} passages; title + passage "
                  "indexed for every system)", ""] + table(tydi)
    if not tydi:
        lines += ["", f"TyDi QA fi was not run here (`--tydi {args.tydi}` not found); the harness builds "
                  "and scores it when the file is there."]
    lines += ["", "### Fusion weight (dense share `w` in `w·dense + (1−w)·lexical`), hit@1 / MRR@10",
              "", "| w | dev hit@1 | dev MRR@10 |" + (" TyDi hit@1 | TyDi MRR@10 |" if tydi else ""),
              "|---|---|---|" + ("---|---|" if tydi else "")]
    for w in WEIGHTS:
        row = f"| {w} | {dev_sweep[w]['hit@1']:.3f} | {dev_sweep[w]['mrr@10']:.3f} |"
        if tydi_sweep:
            row += f" {tydi_sweep[w]['hit@1']:.3f} | {tydi_sweep[w]['mrr@10']:.3f} |"
        lines.append(row)
    lines += ["", f"### Around the chosen BM25 b = {BM25_B} (k1 = {BM25_K1}) and dense scale "
              f"{DENSE_SCALE}, at w = {settings.dense_weight}: hit@1 / MRR@10", "",
              "| b | dense scale | dev hit@1 | dev MRR@10 |" + (" TyDi hit@1 | TyDi MRR@10 |"
                                                             if tydi_near else ""),
              "|---|---|---|---|" + ("---|---|" if tydi_near else "")]
    for key, m in dev_near.items():
        row = f"| {key[0]} | {key[1]} | {m['hit@1']:.3f} | {m['mrr@10']:.3f} |"
        if tydi_near:
            row += f" {tydi_near[key]['hit@1']:.3f} | {tydi_near[key]['mrr@10']:.3f} |"
        lines.append(row)
    lines += ["", "Latency: `GET /api/search` on a real server, in the table from "
                  "`eval/bench_serve.py` at the end.", "",
              "![search results](search.png)", "",
              "## Answers (issue #4), same dev set", "",
              "The same answerer over each peer's top 10 instead of ours (peers: rank order only).",
              ""] + answer_table(answers, answer_peers)
    n_held = sum(1 for q in held if q.answerable)
    lines += ["", f"## Held-out questions (`{Path(args.heldout).relative_to(ROOT)}`: {len(held)} "
              f"questions, {n_held} answerable; never used for tuning)", "",
              "How they were drawn is in the file's `about`. Retrieval:", ""] + table(held_search)
    lines += ["", "Answers:", ""] + answer_table(held_answers, held_peers)
    plot(dev, tydi, ROOT / "eval" / "search.png")
    block = write_section(RESULTS, "bench_search", lines)
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
