"""The search index of a build: a lexical (bm25s over Finnish analysis) and a dense (FAISS) index.

`write_search_index`, called by `build.py` into the new build folder, writes
    lexical/        bm25s index of every passage's analysed search text
    dense.faiss     FAISS index of the passage vectors: exact (IndexFlatIP) below
                    `ann_threshold` passages, HNSW above — the choice is recorded in the manifest
    vectors.npy     the same vectors, for exact re-scoring of lexical candidates
    words.json      every passage word's analysis (word → terms), so that highlighting a result
                    looks its words up instead of running Voikko again in the server
`api/search.py` opens and ranks them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import faiss
import numpy as np

from indexer.analyze import Analyzer, get_analyzer
from indexer.embed import ShippedVectors, VectorCache, embed_cached, get_embedder
from indexer.models import Passage
from indexer.settings import Settings

# BM25 saturation and length normalisation (bm25s defaults 1.5 / 0.75), swept in eval/RESULTS.md
BM25_K1 = 1.2
BM25_B = 0.65
# Bump when passages (chunk.py) or the search index files change: a build then rebuilds them
# even if no report changed (vectors come from the cache unless the embedded text changed).
SEARCH_VERSION = f"3 (bm25 k1={BM25_K1} b={BM25_B})"
LEXICAL_DIR = "lexical"
DENSE_FILE = "dense.faiss"
VECTORS_FILE = "vectors.npy"
WORDS_FILE = "words.json"
HNSW_M = 32
HNSW_EF_SEARCH = 128
HNSW_EF_CONSTRUCTION = 80


def embed_text(p: Passage) -> str:
    return p.extra.get("embed") or p.search_text


def lexical_index(analyzer: Analyzer, texts: list[str], k1: float = BM25_K1,
                  b: float = BM25_B) -> bm25s.BM25:
    """BM25 over the analysed texts, one document per passage (an empty one keeps its place)."""
    lexical = bm25s.BM25(k1=k1, b=b)
    lexical.index([analyzer.terms(t) or [""] for t in texts], show_progress=False)
    return lexical


@dataclass(frozen=True)
class SearchData:
    """What a build's search side is made of, before either backend stores it."""

    lexical: bm25s.BM25
    words: dict[str, list[str]]
    vectors: np.ndarray  # float32, one normalised row per passage
    embedded: int  # vectors computed now (the rest came from the cache)
    model_id: str
    dim: int
    analyzer: str


def search_data(passages: list[Passage], settings: Settings,
                progress: Callable[[int, int], object] | None = None) -> SearchData:
    """Analyse and embed `passages` (vectors from the cache where it has them)."""
    analyzer = get_analyzer(settings.analyzer)
    lexical = lexical_index(analyzer, [p.search_text for p in passages])
    words = analyzer.word_terms(t for p in passages for t in (p.text, p.search_text))
    embedder = get_embedder(settings.model)
    cache = VectorCache(settings.cache, embedder.model_id, embedder.dim)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, len(passages))

    try:
        vectors, embedded = embed_cached(embedder, cache, [embed_text(p) for p in passages],
                                         "passage", step, ShippedVectors.for_model(embedder.model_id))
    finally:
        cache.close()
    return SearchData(lexical, words, vectors, embedded, embedder.model_id, embedder.dim,
                      analyzer.name)


def manifest_fields(data: SearchData, dense: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """The manifest's account of the search side (both backends)."""
    return {
        "search_version": SEARCH_VERSION,
        "model": {"id": data.model_id, "dim": data.dim},
        "analyzer": data.analyzer,
        "lexical_index": {"method": data.lexical.method, "k1": data.lexical.k1, "b": data.lexical.b},
        "dense_index": {**dense, "vectors": len(data.vectors), "ann_threshold": settings.ann_threshold},
        "embedded": data.embedded,
    }


def write_search_index(
    folder: Path, passages: list[Passage], settings: Settings,
    progress: Callable[[int, int], object] | None = None,
) -> dict[str, Any]:
    """Write the lexical and dense indexes for `passages` into `folder`; return manifest fields."""
    data = search_data(passages, settings, progress)
    data.lexical.save(str(folder / LEXICAL_DIR))
    (folder / WORDS_FILE).write_text(json.dumps(data.words, ensure_ascii=False), encoding="utf-8")
    np.save(folder / VECTORS_FILE, data.vectors)
    if len(passages) >= settings.ann_threshold:
        index = faiss.IndexHNSWFlat(data.dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        dense = {"type": "hnsw", "m": HNSW_M, "ef_search": HNSW_EF_SEARCH}
    else:
        index = faiss.IndexFlatIP(data.dim)
        dense = {"type": "flat"}
    if len(passages):
        index.add(data.vectors)
    faiss.write_index(index, str(folder / DENSE_FILE))
    return manifest_fields(data, dense, settings)
