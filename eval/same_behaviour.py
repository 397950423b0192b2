"""Does a change keep search and answers the same to the last bit? Dump everything a revision
ranks and answers, and compare two dumps.

    .venv/bin/python eval/same_behaviour.py revs BEFORE [AFTER]   # e.g. revs 87778cb (AFTER: the tree)
    .venv/bin/python eval/same_behaviour.py dump OUT.json          # this checkout only
    .venv/bin/python eval/same_behaviour.py compare A.json B.json

`revs` checks BEFORE out into a temporary git worktree (AFTER too, unless it is the working
tree), copies this script into each, builds that revision's own index of corpus/ and TyDi QA fi
there (vectors come from the shared cache, var/cache, so only new texts are embedded), dumps
and compares. A dump holds, for the dev set (eval/questions.json), the held-out set
(eval/heldout.json) and TyDi QA fi: every pooled candidate of our ranking with its scores as
`repr` floats, the collapsed top 10 and the peers' top 10; for the dev and held-out sets every
`/api/ask` answer and every `/api/search` response (less `took_ms`). Run it with one
PYTHONHASHSEED for both sides (it sets 0): Python's set order follows the hash seed.

It reads either layout, before and after the move of retrieval and answers to api/ (#14).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
TYDI = ROOT.parent / "shared" / "realdata" / "tydiqa-fi" / "finnish_tydiqa_dev.json"
SETS = ("questions", "heldout")


def _imports():  # noqa: ANN202 - the two layouts' classes
    sys.path[:0] = [str(ROOT), str(ROOT / "eval")]
    # by the files of this tree (an editable install would find another tree's missing modules)
    if (ROOT / "api" / "search.py").exists():
        from api.answer import Answerer
        from api.search import Searcher
        from eval.evaluate import Peers, load_questions
    else:  # before #14
        from indexer.answer import Answerer
        from indexer.evaluate import Peers, load_questions
        from indexer.search import Searcher
    return Answerer, Searcher, Peers, load_questions


def _rankings(searcher, peers, questions) -> dict:  # noqa: ANN001
    out = {}
    for q in questions:
        info, filters, keep = searcher.prepare(q.question, q.municipality)
        hits = searcher.rank(info, keep)
        out[q.id] = {
            "pool": [[h.n, repr(h.score), repr(h.lexical), repr(h.dense)] for h in hits],
            "top10": [[h.n, *h.also] for h in searcher.collapse(hits, 10)],
            "filters": filters,
            "peers": {name: rank(q.question) for name, rank in peers.rankings(10).items()},
        }
    return out


def _strip(out: dict) -> dict:
    out = dict(out)
    out.pop("took_ms", None)
    return out


def dump(path: Path) -> None:
    from indexer.build import build
    from indexer.settings import Settings

    Answerer, Searcher, Peers, load_questions = _imports()
    settings = Settings()
    build(settings)
    searcher = Searcher.open(settings)
    answerer = Answerer(searcher)
    peers = Peers(searcher, searcher.search_texts())
    data: dict = {}
    for name in SETS:
        questions = load_questions(ROOT / "eval" / f"{name}.json")
        data[name] = {"rankings": _rankings(searcher, peers, questions),
                      "answers": {q.id: _strip(answerer.ask(q.question, municipality=q.municipality))
                                  for q in questions},
                      "search": {q.id: _strip(searcher.search(q.question, municipality=q.municipality))
                                 for q in questions}}
    if TYDI.exists():
        from bench_search import tydi_index

        folder, questions = tydi_index(TYDI, settings)
        tydi = Searcher.in_folder(folder, settings, json.loads((folder / "manifest.json").read_text()))
        data["tydi"] = {"rankings": _rankings(tydi, Peers(tydi, tydi.search_texts()), questions)}
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def compare(a: Path, b: Path) -> int:
    left, right = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    differ = 0
    for name in sorted(set(left) | set(right)):
        for part in sorted(set(left.get(name, {})) | set(right.get(name, {}))):
            la, ra = left.get(name, {}).get(part, {}), right.get(name, {}).get(part, {})
            bad = sorted(q for q in set(la) | set(ra) if la.get(q) != ra.get(q))
            differ += len(bad)
            print(f"{name:9} {part:8} {len(la):4} questions: "
                  + ("identical" if not bad else f"{len(bad)} differ: {', '.join(bad[:10])}"))
    print("same behaviour" if not differ else f"{differ} differences")
    return 1 if differ else 0


def _dump_in(tree: Path, out: Path, cache: Path) -> None:
    if tree != ROOT:
        shutil.copy(Path(__file__), tree / "eval" / Path(__file__).name)
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": str(tree), "OMP_NUM_THREADS": "1",
           "KUNTAHAKU_INDEX": str(out.with_suffix("") / "index"), "KUNTAHAKU_CACHE": str(cache)}
    subprocess.run([sys.executable, str(tree / "eval" / Path(__file__).name), "dump", str(out)],
                   cwd=tree, env=env, check=True)


def revs(before: str, after: str | None) -> int:
    cache = (ROOT / "var" / "cache").resolve()
    with tempfile.TemporaryDirectory(prefix="same-behaviour-") as tmp:
        trees = []
        for i, rev in enumerate([before, after]):
            if rev is None:
                trees.append(ROOT)
                continue
            tree = Path(tmp) / f"tree{i}"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), rev],
                           check=True, capture_output=True)
            # TyDi QA lies beside the checkout (../shared): give the worktree the same neighbour
            trees.append(tree)
        try:
            outs = [Path(tmp) / f"dump{i}.json" for i in range(2)]
            for tree, out in zip(trees, outs, strict=True):
                shared = tree.parent / "shared"
                if tree != ROOT and not shared.exists() and (ROOT.parent / "shared").exists():
                    shared.symlink_to(ROOT.parent / "shared")
                _dump_in(tree, out, cache)
            return compare(*outs)
        finally:
            for tree in trees:
                if tree != ROOT:
                    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
                                   check=False, capture_output=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("dump").add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("a", type=Path)
    c.add_argument("b", type=Path)
    r = sub.add_parser("revs")
    r.add_argument("before")
    r.add_argument("after", nargs="?")
    args = ap.parse_args()
    if args.cmd == "dump":
        dump(args.out)
        return 0
    if args.cmd == "compare":
        return compare(args.a, args.b)
    return revs(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
