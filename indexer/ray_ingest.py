"""The ingest on Ray (KUNTAHAKU_RAY_ADDRESS): parsing per file and embedding per batch.

    corpus files ──map(_parse_file)──▶ documents + their passages     one Ray task per file
    passages not in the vector cache ──map_batches(PassageEmbedder)──▶ vectors
                                                                      a pool of actors, each
                                                                      holding the embedder

The driver (this process) keeps what the plain path keeps: which files changed, the documents
reused from the live index, the build report, and the vector cache. The vectors Ray returns go
into that cache, so the write step (`build._publish`) finds every vector there and writes the
index exactly as it does without Ray — the same documents, passages, tables and vectors.

A file keeps the plain path's isolation: `build._safe_parse` runs in the Ray task, with the
alarm of KUNTAHAKU_FILE_TIMEOUT and the hard limit that ends a worker stuck in C code. A task
whose worker died (a crash in a PDF library, that hard limit) loses only its own file's block
(`max_errored_blocks`), and the driver parses that file again alone in a process of its own, as
the plain path does, to name the reason.

On a cluster every node needs the same kuntahaku installed and the corpus at the same path (a
shared file system), as Ray Data's own file readers assume; a node that cannot see a file says so.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import socket
import warnings
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from indexer.build import _collect, _parse_isolated, _safe_parse, parse_jobs
from indexer.chunk import passages as make_passages
from indexer.embed import BATCH, ShippedVectors, VectorCache, get_embedder, uncached
from indexer.errors import ClusterError, InputError
from indexer.models import Document, Passage
from indexer.parse import PARSER_VERSION
from indexer.search_index import embed_text
from indexer.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _parse_file(row: dict[str, Any], max_bytes: int, limit: float) -> dict[str, Any]:
    """One corpus file in a Ray task: its documents and their passages, or the error naming it."""
    rel, path = row["rel"], Path(row["path"])
    entry = json.loads(row["entry"]) if row["entry"] else None
    result: list[Document] | InputError
    if not path.exists():
        result = InputError(rel, f"not found on the Ray node {socket.gethostname()}: every node "
                                 f"must see the corpus at {path.parent} (a shared file system)")
    else:
        result = _safe_parse(path, rel, entry, max_bytes, row["sha"], limit, worker=True)
    chunks = {} if isinstance(result, InputError) else {d.id: make_passages(d) for d in result}
    return {"rel": rel, "parser": PARSER_VERSION, "result": pickle.dumps((result, chunks))}


_HOST_PORT = re.compile(r"^(?:ray://)?\[?([^\]/]+?)\]?:(\d+)$")


def _check_reachable(address: str) -> None:
    """Ray waits minutes for a head that is not there; a TCP connect says so in seconds."""
    found = _HOST_PORT.match(address)
    if found is None:
        return  # 'auto' and the like: Ray finds the cluster itself
    host, port = found.group(1), int(found.group(2))
    try:
        socket.create_connection((host, port), timeout=5).close()
    except OSError as exc:
        raise ClusterError(f"cannot reach Ray at '{address}' (KUNTAHAKU_RAY_ADDRESS): nothing "
                           f"answers at {host}:{port} ({exc.strerror or exc}); start the head "
                           "with 'ray start --head' or use 'local'") from exc


class PassageEmbedder:
    """The actor's state: the embedder, loaded once per actor and used for every batch it gets."""

    def __init__(self, model: str) -> None:
        self._embedder = get_embedder(model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self._embedder.embed([str(t) for t in batch["text"]], "passage")
        return {"key": batch["key"], "vector": vectors}


class RayIngest:
    """Parse and embed on Ray; a context manager that ends a local Ray it started. A Ray the
    caller already started (`ray.init` before the build) is used as it is and left running."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._started = False
        self._chunks: dict[str, list[Passage]] = {}

    def __enter__(self) -> RayIngest:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False

    def _ray(self) -> Any:
        """The `ray` module, connected (lazily: an unchanged corpus never starts Ray)."""
        try:
            import ray
            import ray.data
        except ImportError as exc:
            raise ClusterError("KUNTAHAKU_RAY_ADDRESS is set but Ray is not installed: "
                               "pip install 'kuntahaku[ray]'") from exc
        if not ray.is_initialized():
            self._init(ray)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False  # the build's own bars show progress
        context.max_errored_blocks = -1  # a dead worker loses its file only (see _parse)
        # what goes wrong reaches the build as an exception (ClusterError) or as a file missing
        # from the results (parsed again alone, its reason named): Ray Data's log lines would
        # only repeat it, with a traceback (its full log stays in the Ray session's folder)
        logging.getLogger("ray.data").setLevel(logging.CRITICAL)
        return ray

    def _init(self, ray: Any) -> None:
        address = self.settings.ray_address
        options: dict[str, Any] = {"log_to_driver": False}
        if address == "local":
            # workers import this very tree (a checkout run with PYTHONPATH, not an install)
            path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
            options.update(num_cpus=self.settings.workers or None, include_dashboard=False,
                           runtime_env={"env_vars": {"PYTHONPATH": path}})
        else:
            _check_reachable(address)
        try:
            ray.init(address=address, **options)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ClusterError(f"cannot start or reach Ray at '{address}' "
                               f"(KUNTAHAKU_RAY_ADDRESS): {exc}") from exc
        self._started = True

    def _size(self, ray: Any) -> int:
        """Parallel tasks and embedding actors: KUNTAHAKU_WORKERS, or one per CPU of the cluster."""
        return self.settings.workers or max(1, int(ray.cluster_resources().get("CPU", 1)))

    def parse(self, todo: list[tuple[str, Path, str]], manifest: dict, settings: Settings,
              bar: tqdm) -> tuple[dict[str, list[Document]], dict[str, str]]:
        """Parse the changed files, one Ray task each, largest first; chunk them there too."""
        docs: dict[str, list[Document]] = {}
        errors: dict[str, str] = {}
        if not todo:
            return docs, errors
        ray = self._ray()
        jobs = parse_jobs(todo, manifest, settings, hard=True)
        max_bytes, limit = int(settings.max_file_mb * 1e6), settings.file_timeout
        rows = [{"rel": rel, "path": str(path.resolve()), "sha": sha,
                 "entry": json.dumps(entry) if entry else ""}
                for path, rel, entry, _, sha, _, _ in jobs]
        left = {job[1]: job for job in jobs}
        with warnings.catch_warnings():
            # Ray Data retries a task whose worker died for ever (max_retries=-1), and a file that
            # kills its worker kills every retry too; 2.60 names no parameter for it but this
            # (deprecated) keyword, hence ray<2.64 in pyproject.toml
            warnings.filterwarnings("ignore", "`ray_remote_args` is deprecated")
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map(
                _parse_file, fn_kwargs={"max_bytes": max_bytes, "limit": limit}, num_cpus=1,
                max_retries=0)
        try:
            for row in dataset.iter_rows():
                if row["parser"] != PARSER_VERSION:
                    raise ClusterError(f"the Ray workers parse with parser version {row['parser']}, "
                                       f"this build with {PARSER_VERSION}: install the same "
                                       "kuntahaku on every node")
                result, chunks = pickle.loads(row["result"])
                self._chunks.update(chunks)
                _collect(row["rel"], result, docs, errors, bar)
                del left[row["rel"]]
        except ray.exceptions.RayError as exc:
            raise ClusterError(f"the Ray cluster failed while parsing: {exc}") from exc
        # a worker died on these (a crash in C code, or its hard time limit): parse each alone
        # in a process of its own, as the plain path does, to name the reason
        for rel, job in left.items():
            _collect(rel, _parse_isolated(job, limit), docs, errors, bar)
        return docs, errors

    def passages(self, doc: Document) -> list[Passage]:
        """A parsed document's passages as its Ray task chunked them; a reused one's chunked here."""
        chunked = self._chunks.pop(doc.id, None)
        return make_passages(doc) if chunked is None else chunked

    def embed(self, passages: list[Passage], settings: Settings, show: bool) -> int:
        """Embed the passages the vector cache lacks on a pool of actors; the vectors go into the
        cache, where the write step finds them. Returns how many were embedded."""
        embedder = get_embedder(settings.model)  # its id and dimension key the cache
        cache = VectorCache(settings.cache, embedder.model_id, embedder.dim)
        try:
            _keys, _have, todo = uncached(cache, [embed_text(p) for p in passages], "passage",
                                          ShippedVectors.for_model(embedder.model_id))
            if todo:
                self._embed(todo, cache, settings, show)
        finally:
            cache.close()
        return len(todo)

    def _embed(self, todo: list[tuple[str, str]], cache: VectorCache, settings: Settings,
               show: bool) -> None:
        ray = self._ray()
        dataset = ray.data.from_items([{"key": k, "text": t} for k, t in todo]).map_batches(
            PassageEmbedder, fn_constructor_kwargs={"model": settings.model}, batch_size=BATCH,
            batch_format="numpy", num_cpus=1,
            compute=ray.data.ActorPoolStrategy(min_size=1, max_size=self._size(ray)))
        try:
            with tqdm(total=len(todo), desc="embed (ray)", unit="passage", disable=not show) as bar:
                for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
                    cache.put_many(list(zip(batch["key"].tolist(), batch["vector"], strict=True)))
                    bar.update(len(batch["key"]))
        except ray.exceptions.RayError as exc:
            raise ClusterError(f"the Ray cluster failed while embedding: {exc}") from exc
