"""The benchmarks' figures: one percentile rule for all of them (it once printed a p95 below the median)."""
import statistics

import pytest

from bench.loadgen import percentile


@pytest.mark.parametrize("values", [[5.0], [1.0, 9.0], [1.0, 2.0, 30.0], [float(n) for n in range(100, 0, -1)]])
def test_a_p95_is_a_measured_value_never_below_the_median(values):
    p95 = percentile(values, 95)
    assert p95 in values and p95 >= statistics.median(values)


def test_nearest_rank_on_a_hundred_values():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 50), percentile(values, 95), percentile(values, 100)) == (50.0, 95.0, 100.0)
