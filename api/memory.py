"""Whether an index folder fits in memory, checked before `ServedIndex` loads it (issue #18).

What serving holds, as eval/bench_scale.py measured it (eval/RESULTS.md): the dense index file
as read (FAISS reads it whole: 1.8 KB a passage for HNSW), the lexical arrays (bm25s loads them
whole), and about PASSAGE_BYTES a passage of per-passage Python objects and arrays. vectors.npy
is memory-mapped already. Loading an index that does not fit used to end in the kernel killing
the server part-way (no message); instead:

    fits                                   → loaded as before
    fits without the dense index in heap   → the dense index is memory-mapped (IO_FLAG_MMAP_IFC):
                                             its pages live in the page cache, which the kernel can
                                             evict and read back — slower, not killed
    does not fit either way                → IndexError_ naming the sizes
`KUNTAHAKU_MEMORY_CHECK=false` skips the check (an estimate can be wrong).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import faiss

from indexer.errors import IndexError_
from indexer.search_index import DENSE_FILE, LEXICAL_DIR

log = logging.getLogger(__name__)

# per-passage Python objects (passage dicts with their text, filter and facet arrays): RSS
# growth per passage less the dense and lexical files, measured at 100 k–1 M passages
PASSAGE_BYTES = 2_000


def available_bytes() -> int:
    """Memory a new allocation can have: MemAvailable (free plus reclaimable page cache), or the
    free pages where /proc/meminfo is missing; less if a cgroup limit leaves less."""
    try:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        free = int(info["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for limit_file, usage_file in _cgroup_files():
        try:
            limit = Path(limit_file).read_text().strip()
            usage = int(Path(usage_file).read_text())
        except (OSError, ValueError):
            continue
        if limit.isdigit():  # "max" (v2): no limit; v1 writes a huge number for none
            free = min(free, int(limit) - usage)
    return free


def _cgroup_files() -> list[tuple[Path, Path]]:
    """(limit, usage) files of this process's memory cgroup, v2 and v1 (/proc/self/cgroup)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    files = []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            base = Path("/sys/fs/cgroup") / path.lstrip("/")
            files.append((base / "memory.max", base / "memory.current"))
        elif "memory" in controllers.split(","):
            base = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
            files.append((base / "memory.limit_in_bytes", base / "memory.usage_in_bytes"))
    return files


def needed_bytes(folder: Path, manifest: dict[str, Any]) -> dict[str, int]:
    """What loading the folder takes in memory, by part (the dense index read whole)."""
    passages = int(manifest.get("dense_index", {}).get("vectors", 0))
    lexical = sum(f.stat().st_size for f in (folder / LEXICAL_DIR).glob("*.npy"))
    return {"dense": (folder / DENSE_FILE).stat().st_size, "lexical": lexical,
            "passages": passages * PASSAGE_BYTES}


def dense_flags(folder: Path, manifest: dict[str, Any], check: bool) -> int:
    """`faiss.read_index` flags for the folder's dense index: 0 (read into memory) when it fits,
    IO_FLAG_MMAP_IFC when only the rest does; IndexError_ when not even that fits."""
    if not check:
        return 0
    need, free = needed_bytes(folder, manifest), available_bytes()
    if sum(need.values()) <= free:
        return 0
    if need["lexical"] + need["passages"] <= free:
        log.warning("the index at %s needs %s with its dense index in memory, %s is available: "
                    "the dense index is memory-mapped (searches may read the disk)",
                    folder, _gb(sum(need.values())), _gb(free))
        return faiss.IO_FLAG_MMAP_IFC
    raise IndexError_(
        f"the index at {folder} needs about {_gb(sum(need.values()))} of memory to serve "
        f"({_gb(need['passages'])} for {manifest['dense_index']['vectors']:,} passages, "
        f"{_gb(need['lexical'])} lexical, {_gb(need['dense'])} dense) and "
        f"{_gb(need['lexical'] + need['passages'])} even with its dense index memory-mapped, but "
        f"{_gb(free)} is available; serve it on a machine with more memory or split the corpus "
        "into smaller indexes (eval/RESULTS.md, bench_scale), or set KUNTAHAKU_MEMORY_CHECK=false "
        "to load it anyway")


def _gb(n: int) -> str:
    return f"{n / 2**30:.2f} GB"
