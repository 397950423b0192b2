"""Near-duplicates folded into one result: the agenda and the minutes of one meeting repeat the
same text, so a result lists every source of it instead of taking several ranks — the minutes
first, as they also say what was decided.

Two passages are twins when they share a kind and a municipality (one twin group number per
pair, compared first), come from different documents and have nearly the same text (rapidfuzz
ratio ≥ DUPLICATE_RATIO), or the shorter lies within the longer (the minutes add the decision).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from api.index import Hit, ServedIndex

DUPLICATE_RATIO = 90  # rapidfuzz ratio from which two passages are the same text
DUPLICATE_WINDOW = 20  # hits looked at past 3·k for twins of the kept ones
DUPLICATE_PARTIAL = 95  # … or the shorter one (≥ 60 % of the longer) lies within the longer


def twin_groups(rows: Sequence[Any], municipalities: Sequence[str]) -> list[int]:
    """Each passage's twin group: one number per (kind, municipality)."""
    groups: dict[tuple[str, str], int] = {}
    return [groups.setdefault((r["kind"], m), len(groups))
            for r, m in zip(rows, municipalities, strict=True)]


def collapse(index: ServedIndex, hits: list[Hit], k: int) -> list[Hit]:
    """The first k distinct hits; a near-duplicate of a kept hit (same municipality, another
    document, same kind, nearly the same text) is folded into it."""
    from api.index import Hit

    kept: list[Hit] = []
    in_group: dict[int, list[int]] = {}  # twin group → the kept hits (indexes into kept)
    # near-duplicates score nearly alike, so they rank close together: look only a little past
    # the k-th result instead of comparing every candidate (partial_ratio is costly)
    for hit in hits[:3 * k + DUPLICATE_WINDOW]:
        group = in_group.setdefault(index._twin_group[hit.n], [])
        twin = next((i for i in group if same(index, kept[i].n, hit.n)), None)
        if twin is not None:
            old = kept[twin]
            if _minutes_over_agenda(index, hit.n, old.n):
                # the minutes of the meeting cite what was decided: they lead, the agenda is also
                kept[twin] = Hit(hit.n, old.score, old.lexical, old.dense, (old.n, *old.also))
            else:
                kept[twin] = Hit(old.n, old.score, old.lexical, old.dense, old.also + (hit.n,))
            continue
        if len(kept) < k:
            group.append(len(kept))
            kept.append(hit)
    return kept


def _minutes_over_agenda(index: ServedIndex, a: int, b: int) -> bool:
    """Whether passage a is from minutes and its twin b from an agenda."""
    return index.docs[index.passages[a]["doc_id"]].doc_type == "pöytäkirja" and \
        index.docs[index.passages[b]["doc_id"]].doc_type == "esityslista"


def same(index: ServedIndex, a: int, b: int) -> bool:
    """Whether passages a and b are twins."""
    if index._twin_group[a] != index._twin_group[b]:
        return False
    p, q = index.passages[a], index.passages[b]
    if p["doc_id"] == q["doc_id"]:
        return False
    short, long = sorted((p["text"], q["text"]), key=len)
    # ratio = 200·matches/(len(a)+len(b)) ≥ 90 needs len(a) ≥ 0.82·len(b); containment below
    # asks for 0.6: a shorter text is no twin, and nothing needs comparing
    if len(short) < 0.6 * len(long):
        return False
    # fast (bit-parallel; 0 below the cutoff); partial_ratio below is not
    ratio = fuzz.ratio(short, long, score_cutoff=70)
    if ratio >= DUPLICATE_RATIO:
        return True
    # the minutes repeat the agenda's text and add the decision: containment counts too.
    # partial_ratio ≥ 95 with len(a) ≥ 0.6·len(b) implies ratio ≥ 190·0.6/1.6 ≈ 71
    return len(short) >= 80 and ratio >= 70 and \
        fuzz.partial_ratio(short, long, score_cutoff=DUPLICATE_PARTIAL) > 0
