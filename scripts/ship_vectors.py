"""Write the default corpus's passage vectors into indexer/data/, so that a fresh clone's first
`make run` finds them instead of embedding every passage (minutes on two cores):

    .venv/bin/kuntahaku index && .venv/bin/python scripts/ship_vectors.py

Reads the live index (KUNTAHAKU_INDEX, default var/index) built over corpus/, re-makes its
passages' embedding texts and takes each vector from the vector cache (KUNTAHAKU_CACHE). Run it
after a change to corpus/ or to what is embedded (indexer/chunk.py); a stale file only costs
time — passages it lacks are embedded as before.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer import store  # noqa: E402
from indexer.chunk import passages as make_passages  # noqa: E402
from indexer.embed import ShippedVectors, VectorCache  # noqa: E402
from indexer.search_index import embed_text  # noqa: E402
from indexer.settings import Settings  # noqa: E402


def main() -> int:
    settings = Settings()
    folder = store.live_folder(settings.index)
    if folder is None:
        print(f"no index at {settings.index}; run 'kuntahaku index' first", file=sys.stderr)
        return 2
    manifest = store.read_manifest(folder)
    model = manifest["model"]["id"]
    docs = store.load_documents(folder).values()
    keys = {VectorCache.key(embed_text(p), "passage") for d in docs for p in make_passages(d)}
    cache = VectorCache(settings.cache, model, manifest["model"]["dim"])
    try:
        found = cache.get_many(sorted(keys))
    finally:
        cache.close()
    missing = len(keys) - len(found)
    if missing:
        print(f"{missing} of {len(keys)} passage vectors are not in the cache {cache.path}; "
              "build the index with this cache first", file=sys.stderr)
        return 1
    path = ShippedVectors.path_for(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    ShippedVectors.write(path, model, found)
    print(f"{len(found)} vectors of {len(docs)} documents ({model}) → {path} "
          f"({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
