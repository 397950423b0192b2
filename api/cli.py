"""`kuntahaku` command line: thin — parse arguments, build settings, call one function."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import sys
import textwrap
import unicodedata
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a model hub that is not there
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from pydantic import ValidationError  # noqa: E402

from indexer.build import build  # noqa: E402
from indexer.errors import KuntahakuError, storage_reason  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "index", None):
        overrides["index"] = Path(args.index)
    if getattr(args, "corpus", None):
        overrides["corpus"] = Path(args.corpus)
    return Settings(**overrides)


def printable(text: str) -> str:
    """`text` with control and format characters escaped (`\\n`, `\\x1b`, `\\u202e`): a file
    named "a.txt\\nFAILED x" cannot forge a line of the report, nor a terminal escape recolour it."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category[0] == "C" or category in ("Zl", "Zp"):
            code = ord(ch)
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
                ch, f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"))
        else:
            out.append(ch)
    return "".join(out)


def cmd_index(args: argparse.Namespace) -> int:
    report = build(_settings(args))
    for rel, reason in report.failed:
        print(f"FAILED {printable(rel)}: {printable(reason)}", file=sys.stderr)
    for rel, warning in report.warnings:
        print(f"warning {printable(rel)}: {printable(warning)}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from api.app import create_app
    from api.server import serve

    settings = _settings(args)
    serve(create_app(settings), settings, args.host, args.port)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from api.search import Searcher

    with Searcher.open(_settings(args)) as searcher:
        out = searcher.search(args.query, args.k, args.municipality, args.year, args.doc_type,
                              body=args.body, date_from=args.date_from, date_to=args.date_to)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for r in out["results"]:
        d = r["document"]
        where = " · ".join(str(x) for x in (d["municipality"], d["body"], d["title"],
                                             d["meeting_date"] or d["period"],
                                             f"s. {r['page']}" if r["page"] else None,
                                             r["section"]) if x)
        print(f"{r['rank']:>2}. [{r['score']:.3f}] {where}")
        print(textwrap.indent(textwrap.shorten(r["text"], 300), "    "))
        for twin in r["also_in"]:
            print(f"    (also in {twin['document']['title']}, s. {twin['page']})")
    if not out["results"]:
        print("no results")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from api.answer import Answerer
    from api.search import Searcher

    with Searcher.open(_settings(args)) as searcher:
        out = Answerer(searcher).ask(args.question, args.municipality, args.year, body=args.body,
                                     date_from=args.date_from, date_to=args.date_to)
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not out["found"]:
        print(f"Ei löytynyt / not found: {out.get('reason', '')}")
    else:
        print(out["answer"])
        for c in out["citations"]:
            # "Lapua, Tekninen lautakunta 29.4.2025 § 63, s. 4 (päätös)"; a report: its title
            where = c["citation"] if c["document"]["body"] else \
                f"{c['citation']} ({c['document']['period']})"
            if c.get("part") in ("paatos", "ehdotus"):
                where += " (päätös)" if c["part"] == "paatos" else " (ehdotus)"
            print(f"  — {where}: \"{textwrap.shorten(c['quote'], 300)}\"")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from api.answer import Answerer
    from api.search import Searcher
    from eval.evaluate import Peers, answer_metrics, evaluate, load_questions

    questions = load_questions(Path(args.questions))
    with Searcher.open(_settings(args)) as searcher:
        texts = searcher.document_texts()
        retrieval, qrels = evaluate(searcher, texts, questions,
                                    Peers(searcher, searcher.search_texts()))
        for problem in qrels.missing:
            print(f"warning: {problem}", file=sys.stderr)
        answers, rows = answer_metrics(Answerer(searcher), texts, questions)
    if args.json:
        print(json.dumps({"retrieval": retrieval, "answers": answers, "questions": rows},
                         ensure_ascii=False, indent=2))
        return 0
    print(f"{len(questions)} questions ({len(qrels.relevant)} with gold evidence)")
    print(f"{'system':<15}{'hit@1':>8}{'hit@5':>8}{'MRR@10':>8}{'nDCG@10':>9}")
    for name, m in retrieval.items():
        print(f"{name:<15}{m['hit@1']:>8.3f}{m['hit@5']:>8.3f}{m['mrr@10']:>8.3f}{m['ndcg@10']:>9.3f}")
    print("answers: " + ", ".join(f"{k} {v:.3f}" if "ms" not in k else f"{k} {v:.1f}"
                                  for k, v in answers.items()))
    return 0


def _date_filters(p: argparse.ArgumentParser) -> None:
    """--body, --from, --to: the `body`, `date_from`, `date_to` filters of the HTTP API."""
    p.add_argument("--body", help="only the minutes and decision records of this body "
                                  "(toimielin, e.g. Kaupunginhallitus; any letter case)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", type=_day,
                   help="only documents about this day or later (a meeting day, a report's period)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", type=_day,
                   help="only documents about this day or earlier")


def _day(value: str) -> str:
    """An ISO day as given; a usage error (exit 2, naming the option) for anything else."""
    from api.search import InvalidFilter, iso_day

    try:
        iso_day(value, "the date")
    except InvalidFilter as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kuntahaku", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    idx = sub.add_parser("index", help="build or update the index of a corpus folder")
    idx.add_argument("--corpus", help="folder of reports (default: corpus, KUNTAHAKU_CORPUS)")
    idx.add_argument("--index", help="index location (default: var/index, KUNTAHAKU_INDEX)")
    idx.set_defaults(func=cmd_index)
    srv = sub.add_parser("serve", help="serve the HTTP API over the index")
    srv.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    srv.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    srv.add_argument("--index", help="index location (default: var/index, KUNTAHAKU_INDEX)")
    srv.set_defaults(func=cmd_serve)
    sea = sub.add_parser("search", help="ranked passages and table rows for a query")
    sea.add_argument("query")
    sea.add_argument("-k", type=int, default=10, help="how many results (default 10)")
    sea.add_argument("--municipality", help="only this municipality's reports")
    sea.add_argument("--year", type=int, help="only reports of this year")
    sea.add_argument("--doc-type", help="only this document type (e.g. tilinpäätös)")
    _date_filters(sea)
    sea.add_argument("--json", action="store_true", help="print the /api/search JSON")
    sea.add_argument("--index", help="index location (default: var/index, KUNTAHAKU_INDEX)")
    sea.set_defaults(func=cmd_search)
    ask = sub.add_parser("ask", help="answer a question with cited sources")
    ask.add_argument("question")
    ask.add_argument("--municipality", help="only this municipality's reports")
    ask.add_argument("--year", type=int, help="only reports of this year")
    _date_filters(ask)
    ask.add_argument("--json", action="store_true", help="print the POST /api/ask JSON")
    ask.add_argument("--index", help="index location (default: var/index, KUNTAHAKU_INDEX)")
    ask.set_defaults(func=cmd_ask)
    ev = sub.add_parser("eval", help="retrieval and answer metrics on a question set")
    ev.add_argument("--questions", default="eval/questions.json",
                    help="question set JSON (default: eval/questions.json)")
    ev.add_argument("--json", action="store_true", help="print metrics and per-question rows as JSON")
    ev.add_argument("--index", help="index location (default: var/index, KUNTAHAKU_INDEX)")
    ev.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KuntahakuError as exc:
        print(f"error: {printable(str(exc))}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a setting from the environment (Settings says which)
        for e in exc.errors():
            name = "KUNTAHAKU_" + "_".join(str(x) for x in e["loc"]).upper()
            print(f"error: setting {name} has value {printable(repr(e.get('input')))}: "
                  f"{e['msg']}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # whoever reads the output stopped (`kuntahaku search … | head`): nothing is wrong to
        # say; stdout points at devnull, so that its flush at exit does not fail again, and the
        # exit status is a shell's for a command ended by SIGPIPE
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except (OSError, sqlite3.Error) as exc:  # storage the library did not name itself
        where = getattr(exc, "filename", None)
        print(f"error: {'at ' + printable(str(where)) + ': ' if where else ''}"
              f"{storage_reason(exc)}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
