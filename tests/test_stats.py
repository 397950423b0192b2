import math

from eval.stats import percentile


def test_a_percentile_is_a_measured_value_never_one_between_two() -> None:
    times = [30.0, 10.0, 20.0, 40.0]
    assert percentile(times, 0.5) == 20.0  # the sorted value at ⌊0.5·3⌋, not 25
    assert percentile(times, 0.95) == 30.0
    assert percentile(times, 1.0) == 40.0 and percentile(times, 0.0) == 10.0
    assert math.isnan(percentile([], 0.95))
