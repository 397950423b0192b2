"""`kuntahaku` command line: thin — parse arguments, build settings, call one function."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never wait on a model hub that is not there
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from indexer.build import build  # noqa: E402
from indexer.errors import KuntahakuError  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if getattr(args, "index", None):
        overrides["index"] = Path(args.index)
    if getattr(args, "corpus", None):
        overrides["corpus"] = Path(args.corpus)
    return Settings(**overrides)


def cmd_index(args: argparse.Namespace) -> int:
    report = build(_settings(args))
    for rel, reason in report.failed:
        print(f"FAILED {rel}: {reason}", file=sys.stderr)
    for rel, warning in report.warnings:
        print(f"warning {rel}: {warning}", file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(_settings(args)), host=args.host, port=args.port)
    return 0


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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KuntahakuError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
