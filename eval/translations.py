"""How each English or Swedish question of the development sets is read (issue #16): its
language, the places named, the intent, the Finnish terms from the glossary and the dictionary,
the words that got no Finnish term, and where the first gold passage ranks.

    .venv/bin/python eval/translations.py [--set xling|train|more|more2|…|more5|heldout|dev]
    .venv/bin/python eval/translations.py --dense-sweep
    .venv/bin/python eval/translations.py --coverage [--show]
    .venv/bin/python eval/translations.py --gaps
    .venv/bin/python eval/translations.py --by-language

Reads the readable sets (eval/xling_dev.json, the train split of eval/answers.json,
eval/train_more.json … eval/train_more5.json, eval/heldout.json, eval/questions.json; never the
test split).
`--dense-sweep`: retrieval hit@1 / hit@5 of the English and Swedish questions of the readable
sets (xling, and those of train, more … more5, held-out, dev) at dense weights from 0 to 0.9 — whether a
non-Finnish question wants another share of the dense side than the served one.
`--coverage`: of the words of the readable sets' English and Swedish questions that go to the
dictionary (not the glossary's, a place's, the question's form), how many get a Finnish term the
index holds; `--show` lists each word with its terms.
`--by-language`: per readable set, its English/Swedish questions beside its Finnish ones: retrieval
hit@1 / hit@5 and the share answered with a supporting citation.
`--gaps`: the words sent to the dictionary that got no Finnish term the index holds, by class (a
Finnish word read as Finnish, an English or Swedish word with no headword, one whose senses the
index lacks), each with its words; and the neighbouring word pairs that are one headword
(`FreeDict.phrase`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.answer import Answerer  # noqa: E402
from api.query import WORD  # noqa: E402
from api.search import Searcher  # noqa: E402
from eval.bench_answers import READABLE, sets  # noqa: E402
from eval.evaluate import Qrels, answer_metrics, evaluate, ours, score_run  # noqa: E402
from indexer.settings import Settings  # noqa: E402

WEIGHTS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9)
SETS = tuple(n for n in READABLE if n != "minutes")  # the readable sets (the minutes' are Finnish)


def dense_sweep(s: Searcher) -> None:
    readable = sets()
    documents = s.document_texts()
    print("| set | questions | " + " | ".join(f"w = {w}" for w in WEIGHTS) + " |")
    print("|---|---|" + "---|" * len(WEIGHTS))
    for name in SETS:
        qs = [q for q in readable[name] if q.answerable and q.language in ("en", "sv")]
        qrels = Qrels(s, documents, qs)
        cells = []
        for w in WEIGHTS:
            m = score_run(qrels, {q.id: ours(s, q, 10, dense_weight=w) for q in qs})
            cells.append(f"{m['hit@1']:.2f} / {m['hit@5']:.2f}")
        print(f"| {name} (en/sv) | {len(qs)} | " + " | ".join(cells) + " |")


def coverage(s: Searcher, show: bool) -> None:
    reader = s.query_reader
    every = sets()
    for name in SETS:
        asked = translated = 0
        for q in (q for q in every[name] if q.language in ("en", "sv")):
            info = reader.read(q.question)
            lang = info.language
            if lang not in ("en", "sv"):
                continue
            _entries, covered = reader.glossary.found(reader.analyzer.terms(info.text, lang), lang,
                                                      WORD.findall(info.text))
            for word in filter(None, reader._source_words(info.text, lang, covered)):
                terms = sorted(reader.translate(word, lang, covered))
                asked += 1
                translated += bool(terms)
                if show:
                    print(f"{name} {q.id} [{lang}] {word}: {' '.join(terms) or '-'}")
        print(f"{name}: {translated} of {asked} words sent to the dictionary get a Finnish term")


def gaps(s: Searcher) -> None:
    reader = s.query_reader
    every = sets()
    kinds: dict[str, list[str]] = {}
    pairs: list[str] = []
    for name in SETS:
        for q in (q for q in every[name] if q.language in ("en", "sv")):
            info = reader.read(q.question)
            lang, text = info.language, info.text
            dictionary = reader.dictionaries.get(lang)
            if lang not in ("en", "sv") or dictionary is None:
                continue
            entries, covered = reader.glossary.found(reader.analyzer.terms(text, lang), lang,
                                                      WORD.findall(text))
            words = reader._source_words(text, lang, covered)
            asked = [w for w in words if w]
            met = reader.translation(text, lang, covered, entries)[2]
            native = reader._finnish_words(asked, met)
            for w, m in zip(asked, met, strict=True):
                if m:
                    continue
                if w in native or reader.analyzer.finnish_share([w]) == 1.0:
                    kind = "a Finnish word (a name)" + ("" if w in native else ", the index lacks it")
                elif dictionary.translations(w, lang):
                    kind = f"{lang}: senses the index lacks"
                else:
                    kind = f"{lang}: no headword, nor parts"
                kinds.setdefault(kind, []).append(w)
            pairs += [f"{name} {q.id} {a} {b} → {', '.join(found)}"
                      for a, b in zip(words, words[1:], strict=False)
                      if a and b and (found := dictionary.phrase(a, b, lang))]
    for kind, found in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print(f"{len(found):4d} {kind}: {' '.join(found)}")
    print(f"{len(pairs):4d} neighbouring words that are one headword:")
    print("\n".join(f"     {p}" for p in pairs))


def _language_row(name: str, rows: list[dict], found: dict[str, float], n: int) -> str:
    answerable = [r for r in rows if r["answerable"]]
    supported = sum(r["found"] and r["supported"] for r in answerable)
    return (f"| {name} | {len(answerable)} | {found['hit@1']:.2f} / {found['hit@5']:.2f} | "
            f"{supported / len(answerable):.2f} |" if answerable and n else f"| {name} | 0 | – | – |")


def by_language(s: Searcher) -> None:
    """Per readable set, English/Swedish beside Finnish: retrieval hit@1 / hit@5 and the share
    of answerable questions answered with a supporting citation."""
    answerer = Answerer(s)
    documents = s.document_texts()
    every = sets()
    print("| set | answerable | hit@1 / hit@5 | answered, supported |")
    print("|---|---|---|---|")
    for name in SETS:
        for label, languages in (("en/sv", ("en", "sv")), ("fi", ("fi",))):
            qs = [q for q in every[name] if q.language in languages]
            _metrics, rows = answer_metrics(answerer, documents, qs)
            found, _qrels = evaluate(s, documents, qs, None)
            print(_language_row(f"{name} {label}", rows, found["ours"], len(qs)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=SETS, default="xling")
    ap.add_argument("--dense-sweep", action="store_true")
    ap.add_argument("--coverage", action="store_true")
    ap.add_argument("--gaps", action="store_true")
    ap.add_argument("--by-language", action="store_true")
    ap.add_argument("--show", action="store_true", help="--coverage: each word and its terms")
    args = ap.parse_args()
    s = Searcher.open(Settings())
    if args.coverage:
        coverage(s, args.show)
        return 0
    if args.gaps:
        gaps(s)
        return 0
    if args.dense_sweep:
        dense_sweep(s)
        return 0
    if args.by_language:
        by_language(s)
        return 0
    qs = [q for q in sets()[args.set] if q.language in ("en", "sv")]
    qrels = Qrels(s, s.document_texts(), [q for q in qs if q.answerable and q.gold])
    reader = s.query_reader
    for q in qs:
        info, _filters, keep = s.prepare(q.question)
        glossary, covered = reader.glossary.matches(reader.analyzer.terms(q.question, info.language),
                                                    info.language, WORD.findall(q.question))
        bare = [w for w in WORD.findall(q.question)
                if (t := reader.analyzer.terms(w, info.language)) and t[0] not in covered
                and not reader.translate(w, info.language, covered)
                and w.lower() not in reader.all_place_terms]
        rank = "-"
        gold = qrels.relevant.get(q.id)
        if gold:
            hits = s.collapse(s.rank(info, keep), 10)
            rank = next((str(i) for i, h in enumerate(hits, 1) if h.n in gold), ">10")
        print(f"{q.id} [{q.language}→{info.language}] {q.question}")
        print(f"   places {info.municipalities} unknown {info.unknown_places} intent {info.intent} "
              f"gold rank {rank}")
        print(f"   glossary {glossary}")
        print(f"   dictionary {sorted(info.translated, key=lambda t: -info.translated[t])}")
        print(f"   no Finnish term: {bare}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
