"""Core statistics against values worked out by hand (arithmetic in the comments) or by an
independent calculation in the test."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from lib.metrics.change import poisson_change
from lib.metrics.disparity import missing_ethnicity_range, rate_ratio
from lib.metrics.proportions import proportion_interval, survey_base, two_proportion_test, wilson_interval
from lib.metrics.rates import annual_rate_interval, annual_rate_per_1000, poisson_count_interval


def test_annual_rate_per_1000():
    # 100 offences in 6 months among 50,000 residents: 200 a year / 50,000 * 1,000 = 4.0
    assert annual_rate_per_1000(100, 50_000, 6) == pytest.approx(4.0)
    # 12 months: 2,400 / 80,000 * 1,000 = 30.0
    assert annual_rate_per_1000(2_400, 80_000, 12) == pytest.approx(30.0)
    assert math.isnan(annual_rate_per_1000(5, 0, 12))


def test_poisson_count_interval_known_values():
    # Garwood exact interval for 0 events: (0, 3.689); for 10 events: (4.795, 18.390).
    zero = poisson_count_interval(0)
    assert zero.low == 0 and zero.high == pytest.approx(3.6889, abs=1e-3)
    ten = poisson_count_interval(10)
    assert (ten.low, ten.high) == (pytest.approx(4.7954, abs=1e-3), pytest.approx(18.3904, abs=1e-3))
    rate = annual_rate_interval(10, 1_000, 12)
    assert rate.low == pytest.approx(4.7954, abs=1e-3)


def _exact_two_sided_binomial(k: int, n: int) -> float:
    """Independent check: sum of P(X=i) over outcomes no more likely than k, p = 1/2."""
    probabilities = [math.comb(n, i) / 2**n for i in range(n + 1)]
    observed = probabilities[k]
    return sum(p for p in probabilities if p <= observed * (1 + 1e-7))


@pytest.mark.parametrize(("current", "previous"), [(130, 100), (110, 100), (80, 120), (5, 0)])
def test_poisson_change_matches_exact_binomial(current, previous):
    change = poisson_change(current, previous)
    assert change.p_value == pytest.approx(_exact_two_sided_binomial(current, current + previous), rel=1e-6)


def test_poisson_change_direction_only_when_significant():
    # 130 vs 100: p = 0.056, not significant at 5%.
    assert poisson_change(130, 100).direction == "no significant change"
    # 140 vs 100: p < 0.05 -> up, +40%.
    up = poisson_change(140, 100)
    assert up.direction == "up" and up.percent == pytest.approx(40.0)
    assert poisson_change(60, 100).direction == "down"
    assert poisson_change(0, 0).direction == "no significant change"
    assert math.isnan(poisson_change(3, 0).percent)


def test_poisson_change_unequal_exposure():
    # 24 months vs 12 months at the same rate (200 vs 100) is no change.
    assert poisson_change(200, 100, current_exposure=2, previous_exposure=1).p_value > 0.9


def test_wilson_interval_by_hand():
    # p = 0.5, n = 100, z = 1.96: centre = (0.5 + 0.019208) / 1.038416 = 0.5;
    # half width = 1.96 * sqrt(0.0025 + 0.00009604) / 1.038416 = 0.096168.
    low, high = wilson_interval(0.5, 100)
    assert low == pytest.approx(0.403832, abs=1e-5) and high == pytest.approx(0.596168, abs=1e-5)
    # p = 0.69, n = 400: centre = (0.69 + 0.0048020) / 1.009604 = 0.688193;
    # half = 1.96 * sqrt(0.00053475 + 0.0000060025) / 1.009604 = 0.045144.
    low, high = wilson_interval(0.69, 400)
    assert low == pytest.approx(0.643049, abs=1e-5) and high == pytest.approx(0.733337, abs=1e-5)
    assert wilson_interval(0.0, 50)[0] == 0.0


def test_design_base_when_base_unknown():
    assert survey_base(None, is_london=False) == (400, True)
    assert survey_base(float("nan"), is_london=True) == (12_800, True)
    assert survey_base(512.0, is_london=True) == (512.0, False)
    interval = proportion_interval(0.5, None, is_london=False)
    assert interval.approximate and interval.base == 400


def test_two_proportion_test_by_hand():
    # 0.70 vs 0.60, 400 each: pooled 0.65, se = sqrt(0.65*0.35*2/400) = 0.033727,
    # z = 2.965, two-sided p = 0.00303.
    change = two_proportion_test(0.70, 400, 0.60, 400)
    assert change.p_value == pytest.approx(0.00303, abs=5e-5)
    assert change.direction == "up" and change.points == pytest.approx(10.0)
    # 0.69 vs 0.67 at 400 each: z = 0.60, p = 0.55 -> no significant change.
    assert two_proportion_test(0.69, 400, 0.67, 400).direction == "no significant change"


def test_rate_ratio_and_exact_interval():
    # 300 searches of 100,000 Black residents vs 100 of 100,000 White residents: 3.0.
    ratio = rate_ratio(300, 100_000, 100, 100_000)
    assert ratio.ratio == pytest.approx(3.0)
    # The interval's share bounds are where the binomial tails equal 2.5%.
    low_share = ratio.low / (1 + ratio.low)
    high_share = ratio.high / (1 + ratio.high)
    assert stats.binom.sf(299, 400, low_share) == pytest.approx(0.025, abs=1e-6)
    assert stats.binom.cdf(300, 400, high_share) == pytest.approx(0.025, abs=1e-6)
    # Unequal populations scale the ratio: (50/10,000) / (100/100,000) = 5.0.
    assert rate_ratio(50, 10_000, 100, 100_000).ratio == pytest.approx(5.0)


def test_rate_ratio_suppression_and_degenerate_inputs():
    assert rate_ratio(9, 1_000, 100, 1_000).suppressed
    assert not rate_ratio(10, 1_000, 10, 1_000).suppressed
    assert math.isnan(rate_ratio(10, 1_000, 0, 1_000).ratio)


def test_missing_ethnicity_range_by_hand():
    # 300 Black, 100 White, 50 unknown, equal populations:
    # all unknown Black -> 350/100 = 3.5; all unknown White -> 300/150 = 2.0.
    spread = missing_ethnicity_range(300, 1e5, 100, 1e5, 50)
    assert (spread.low, spread.high) == (pytest.approx(2.0), pytest.approx(3.5))


def test_signed_whole_numbers_and_change_phrases():
    from lib.metrics.proportions import two_proportion_test
    from lib.narrative.common import count_change_phrase, proportion_change_phrase, signed

    assert [signed(v) for v in (6.4, -3.0, 0.2, -0.4, 0.0)] == ["+6", "−3", "0", "0", "0"]
    # 0.69 vs 0.69 on 400 each: no change at all, written without a sign.
    assert proportion_change_phrase(two_proportion_test(0.69, 400, 0.69, 400)) == (
        "no significant change on a year earlier (0 points)"
    )
    # 101 vs 100: +1%, not significant.
    assert count_change_phrase(poisson_change(101, 100)) == "no significant change on the period before (+1%)"
    assert count_change_phrase(poisson_change(60, 100), noun="the year before") == (
        "down 40% on the year before (a significant fall)"
    )
