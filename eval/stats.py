"""The one percentile the benchmarks report latencies by (p95, p99; p50 is mostly the median)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th quantile (0 ≤ q ≤ 1) as the sorted value at ⌊q·(n−1)⌋ — a measured value, never
    one interpolated between two; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return float(ordered[int(q * (len(ordered) - 1))])
