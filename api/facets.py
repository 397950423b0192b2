"""Facet counts: how many passages match a query per municipality, year, document type and body
(toimielin: the body whose minutes or decision records the passage is from).

A passage matches when it shares a term with the query or is among the POOL nearest by meaning.
Each facet is counted under the other facets' filters but not its own, so every value stays
choosable and its count says what choosing it leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from api.query import QueryInfo
    from api.search import Searcher

FACETS = ("municipality", "year", "doc_type", "body")


def codes(municipality: np.ndarray, year: np.ndarray, doc_type: np.ndarray, body: np.ndarray
          ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each facet's values, and every passage's value as an index into them (counted by
    np.bincount per query instead of a Python loop over the matches); a missing value as "",
    which sorts with the strings and is never listed."""
    return {name: np.unique(column, return_inverse=True) for name, column in
            (("municipality", np.array([v or "" for v in municipality])),
             ("year", year),
             ("doc_type", np.array([v or "" for v in doc_type])),
             ("body", np.array([v or "" for v in body])))}


def count(searcher: Searcher, info: QueryInfo, filters: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Per facet, `[{"value", "count", "selected"}]`, most passages first."""
    match = searcher._lexical_scores(info) > 0
    dense_ids = info.dense_unfiltered
    if dense_ids is None:
        dense_ids, _ = searcher._dense_top(searcher._query_vector(info.text), None)
    match[dense_ids] = True
    out: dict[str, list[dict[str, Any]]] = {}
    for name in FACETS:
        keep = searcher.mask(**{f: v for f, v in filters.items() if f != name})
        values, value_of = searcher._facet_codes[name]
        counts = np.bincount(value_of[match if keep is None else match & keep.mask], minlength=len(values))
        found = [(v.item() if isinstance(v, np.generic) else v, int(c))
                 for v, c in zip(values, counts, strict=True) if c and v]
        out[name] = [{"value": v, "count": c, "selected": v == filters[name]}
                     for v, c in sorted(found, key=lambda vc: (-vc[1], str(vc[0])))]
    return out
