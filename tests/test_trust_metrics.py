"""Survey statistics checked against values worked out by hand (arithmetic in comments)."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from lib.metrics.proportions import two_proportion_test, wilson_interval
from lib.metrics.ranking import RankRange
from lib.metrics.survey import (
    BASE_NOT_PUBLISHED,
    NOT_ENOUGH_RESPONDENTS,
    DifferenceInterval,
    area_changes,
    area_figure,
    borough_rank,
    change_counts,
    change_since,
    compare_with_london,
    gap_change,
    gap_series,
    latest_period_end,
    mover_difference,
    newcombe_difference,
    verdict_counts,
    with_intervals,
    year_before,
)

SEP25, SEP24, JUN25 = date(2025, 9, 30), date(2024, 9, 30), date(2025, 6, 30)
LAMBETH, SOUTHWARK = "E09000022", "E09000028"


@pytest.mark.parametrize(
    ("p", "n", "low", "high"),
    [
        # z = 1.959964, z² = 3.841459. n=100: denominator 1 + 3.841459/100 = 1.0384146;
        # centre (0.5 + 0.0192073)/1.0384146 = 0.5; half-width
        # 1.959964·√(0.25/100 + 3.841459/40000)/1.0384146 = 1.959964·0.0509513/1.0384146 = 0.096168
        (0.5, 100, 0.403832, 0.596168),
        # n=400 (design base of a borough): denominator 1.0096037; centre
        # (0.62 + 0.0048018)/1.0096037 = 0.618858; half 1.959964·√(0.000589 + 0.0000060)/1.0096037
        # = 1.959964·0.0243927/1.0096037 = 0.047354
        (0.62, 400, 0.571504, 0.666212),
        # Newcombe (1998) example, 56/70: denominator 1.054878; centre 0.827439/1.054878 = 0.784393;
        # half 1.959964·√(0.0022857 + 0.0001960)/1.054878 = 0.092560
        (0.8, 70, 0.691833, 0.876953),
    ],
)
def test_wilson_interval_matches_hand_calculation(p, n, low, high):
    assert wilson_interval(p, n) == pytest.approx((low, high), abs=2e-6)


def test_two_proportion_test_matches_hand_calculation():
    # pooled (0.6·400 + 0.5·400)/800 = 0.55; se = √(0.55·0.45·(2/400)) = 0.0351781;
    # z = 0.1/0.0351781 = 2.84268; two-sided p = 2·(1 − Φ(2.84268)) = 0.004474
    change = two_proportion_test(0.6, 400, 0.5, 400)
    assert change.p_value == pytest.approx(0.004474, abs=2e-6)
    assert change.direction == "up"
    assert change.points == pytest.approx(10)


def test_newcombe_difference_matches_published_example():
    # Newcombe (1998) 56/70 − 48/80: Wilson (0.691833, 0.876953) and (0.490454, 0.700382);
    # low 0.2 − √(0.108167² + 0.100382²) = 0.2 − 0.147569 = 0.052431;
    # high 0.2 + √(0.076953² + 0.109546²) = 0.2 + 0.133874 = 0.333874 (paper: 0.0524 to 0.3339)
    gap = newcombe_difference(0.8, 70, 0.6, 80)
    assert (gap.difference, gap.low, gap.high) == pytest.approx((0.2, 0.052431, 0.333874), abs=2e-6)
    assert gap.significant


def test_mover_difference_of_equal_values_is_not_significant():
    gap = mover_difference(0.5, 0.45, 0.55, 0.5, 0.45, 0.55)
    # 0 ± √(0.05² + 0.05²) = ±0.070711
    assert (gap.difference, gap.low, gap.high) == pytest.approx((0.0, -0.070711, 0.070711), abs=1e-6)
    assert not gap.significant


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (date(2025, 5, 1), date(2025, 3, 31)),  # May 2025 ends before the June quarter end
        (date(2025, 6, 1), date(2025, 6, 30)),  # June's end is the quarter end itself
        (date(2025, 12, 1), date(2025, 6, 30)),  # later than anything published: latest
        (date(2024, 11, 1), None),  # before the first quarter end
    ],
)
def test_latest_period_end(month, expected):
    periods = [date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30)]
    assert latest_period_end(periods, month) == expected


def test_year_before_keeps_quarter_end():
    assert year_before(date(2025, 3, 31)) == date(2024, 3, 31)
    assert year_before(date(2024, 12, 31)) == date(2023, 12, 31)


def _rows(rows):
    return pd.DataFrame(rows, columns=["period_end", "gss_code", "group_type", "group", "proportion", "base"])


def test_with_intervals_uses_design_base_and_suppresses_small_bases():
    frame = _rows(
        [
            (SEP25, None, "all", "All", 0.69, None),  # London, no base -> 12,800, approximate
            (SEP25, LAMBETH, "all", "All", 0.62, None),  # borough, no base -> 400, approximate
            (SEP25, None, "ethnicity", "Black", 0.58, None),  # group without base: not shown
            (SEP25, None, "ethnicity", "Other", 0.60, 49),  # under 50 respondents: not shown
            (SEP25, None, "ethnicity", "Mixed", 0.5, 100),  # exactly known base
            (SEP25, None, "ethnicity", "Asian", 0.61, 50),  # 50 respondents is enough
        ]
    )
    out = with_intervals(frame)
    assert list(out["base_used"]) == [12_800, 400, 12_800, 49, 100, 50]
    assert list(out["approximate"]) == [True, True, True, False, False, False]
    assert [r if isinstance(r, str) else None for r in out["reason"]] == [
        None,
        None,
        BASE_NOT_PUBLISHED,
        NOT_ENOUGH_RESPONDENTS,
        None,
        None,
    ]
    assert (out.at[1, "low"], out.at[1, "high"]) == pytest.approx((0.571504, 0.666212), abs=2e-6)
    assert (out.at[4, "low"], out.at[4, "high"]) == pytest.approx((0.403832, 0.596168), abs=2e-6)
    # suppressed values are removed, not just flagged, so no chart or CSV can show them
    assert out.loc[[2, 3], ["proportion", "low", "high"]].isna().all().all()
    assert out.at[5, "proportion"] == 0.61


def test_area_changes_tests_each_area_against_a_year_earlier():
    frame = with_intervals(
        _rows(
            [
                (SEP25, None, "all", "All", 0.69, None),
                (SEP24, None, "all", "All", 0.67, None),
                (SEP25, LAMBETH, "all", "All", 0.62, None),
                (SEP24, LAMBETH, "all", "All", 0.60, None),
                (SEP25, SOUTHWARK, "all", "All", 0.70, None),  # nothing a year earlier
                (JUN25, LAMBETH, "all", "All", 0.10, None),  # another quarter: ignored
            ]
        )
    )
    changes = area_changes(frame, SEP25)
    assert len(changes) == 3
    london = area_figure(changes, None)
    # London: pooled 0.68, se √(0.68·0.32·2/12800) = 0.0058310, z = 0.02/0.005831 = 3.430,
    # p = 0.000604 -> a significant rise of 2 points
    assert london.change.p_value == pytest.approx(0.000604, abs=2e-6)
    assert london.change.direction == "up"
    assert london.approximate
    # Lambeth: pooled 0.61, se √(0.61·0.39·2/400) = 0.034489, z = 0.5799, p = 0.562
    lambeth = area_figure(changes, LAMBETH)
    assert lambeth.change.p_value == pytest.approx(0.562, abs=1e-3)
    assert lambeth.change.direction == "no significant change"
    assert lambeth.change.points == pytest.approx(2)
    assert area_figure(changes, SOUTHWARK).change is None
    assert area_figure(changes, "E09000001") is None
    row = changes[changes["gss_code"] == SOUTHWARK].iloc[0]
    assert math.isnan(row["change_points"]) and pd.isna(row["direction"]) and not row["significant"]


def test_gap_series_and_suppression():
    frame = with_intervals(
        _rows(
            [
                (SEP25, None, "ethnicity", "Black", 0.8, 70),
                (SEP25, None, "ethnicity", "White", 0.6, 80),
                (SEP24, None, "ethnicity", "Black", 0.8, 40),  # too few respondents
                (SEP24, None, "ethnicity", "White", 0.6, 80),
                (JUN25, None, "ethnicity", "White", 0.6, 80),  # Black not published that quarter
            ]
        )
    )
    gaps = gap_series(frame, "Black", "White")
    assert list(gaps["period_end"]) == [SEP24, SEP25]
    latest = gaps.iloc[1]
    # the Newcombe example above: 0.2 (0.052431 to 0.333874)
    assert (latest["gap"], latest["gap_low"], latest["gap_high"]) == pytest.approx((0.2, 0.052431, 0.333874), abs=2e-6)
    earlier = gaps.iloc[0]
    assert earlier["reason"] == NOT_ENOUGH_RESPONDENTS and math.isnan(earlier["gap"])
    assert gap_change(gaps, SEP25) is None  # the year-earlier gap is not shown


def _gaps(now: tuple[float, float, float], then: tuple[float, float, float]) -> pd.DataFrame:
    return pd.DataFrame([(SEP24, *then), (SEP25, *now)], columns=["period_end", "gap", "gap_low", "gap_high"])


@pytest.mark.parametrize(
    ("now", "then", "verdict", "low", "high"),
    [
        # change −0.05 ± √(0.03² + 0.03²) = ±0.042426 -> (−0.092426, −0.007574): significant,
        # |−0.13| > |−0.08| -> wider
        ((-0.13, -0.16, -0.10), (-0.08, -0.11, -0.05), "wider", -0.092426, -0.007574),
        # change +0.08 -> (0.037574, 0.122426): significant, |−0.05| < |−0.13| -> narrower
        ((-0.05, -0.08, -0.02), (-0.13, -0.16, -0.10), "narrower", 0.037574, 0.122426),
        # change −0.02 -> (−0.062426, 0.022426) includes zero -> about the same
        ((-0.13, -0.16, -0.10), (-0.11, -0.14, -0.08), "about the same", -0.062426, 0.022426),
        # change +0.10 -> (0.057574, 0.142426) and the sign flipped -> reversed
        ((0.05, 0.02, 0.08), (-0.05, -0.08, -0.02), "reversed", 0.057574, 0.142426),
    ],
)
def test_gap_change_verdict(now, then, verdict, low, high):
    change = gap_change(_gaps(now, then), SEP25)
    assert change.verdict == verdict
    assert (change.change.low, change.change.high) == pytest.approx((low, high), abs=1e-6)
    assert change.now == DifferenceInterval(*now)


def test_gap_change_without_a_year_earlier():
    gaps = _gaps((-0.13, -0.16, -0.10), (-0.08, -0.11, -0.05))
    assert gap_change(gaps, date(2026, 9, 30)) is None


def test_boroughs_against_london_rank_and_counts():
    frame = with_intervals(
        _rows(
            [
                (SEP25, None, "all", "All", 0.69, None),  # Wilson on 12,800: about ±0.8 points
                (SEP25, LAMBETH, "all", "All", 0.80, None),  # +11 on ±~4 points: above London
                (SEP25, SOUTHWARK, "all", "All", 0.70, None),  # +1: within the margin of error
                (SEP25, "E09000005", "all", "All", 0.70, None),  # tie with Southwark
                (SEP25, "E09000003", "all", "All", 0.55, None),  # −14: below London
            ]
        )
    )
    changes = area_changes(frame, SEP25)
    compared = compare_with_london(changes).set_index("gss_code")
    assert compared.at[LAMBETH, "verdict"] == "above"
    assert compared.at[SOUTHWARK, "verdict"] == "similar"
    assert compared.at["E09000003", "verdict"] == "below"
    assert verdict_counts(compared) == {"above": 1, "below": 1, "similar": 2}
    # Intervals on 400 respondents: Lambeth 75.8-83.7%, Southwark and E09000005 65.3-74.3%,
    # E09000003 50.1-59.8%. (rank, best, worst, of): Lambeth is surely first; the tied pair
    # share 2nd and could be 2nd or 3rd; E09000003 is surely last.
    assert borough_rank(changes, LAMBETH) == RankRange(1, 1, 1, 4)
    assert borough_rank(changes, SOUTHWARK) == RankRange(2, 2, 3, 4)  # tied boroughs share the better rank
    assert borough_rank(changes, "E09000003") == RankRange(4, 4, 4, 4)
    assert borough_rank(changes, "E09000001") is None
    assert change_counts(changes)["no comparison"] == 4


def test_change_since_needs_non_overlapping_years():
    frame = with_intervals(
        _rows(
            [
                (SEP24, None, "all", "All", 0.67, None),
                (JUN25, None, "all", "All", 0.68, None),
                (SEP25, None, "all", "All", 0.69, None),
            ]
        )
    )
    change = change_since(frame, None, SEP24, SEP25)
    assert change.p_value == pytest.approx(0.000604, abs=2e-6)  # as in the area test above
    assert change_since(frame, None, JUN25, SEP25) is None  # the two rolling years overlap
    assert change_since(frame, LAMBETH, SEP24, SEP25) is None


def test_the_scalar_and_vectorised_intervals_agree_with_statsmodels():
    """The scalar Wilson interval (kept for speed) and survey.wilson_intervals (statsmodels)
    give the same bounds, edges included; Newcombe's interval equals MOVER on them."""
    from statsmodels.stats.proportion import proportion_confint

    from lib.metrics.survey import wilson_intervals

    cases = [(0.0, 50), (1.0, 50), (0.5, 100), (0.69, 400), (0.12, 61), (0.97, 12_800)]
    low, high = wilson_intervals([p for p, _ in cases], [n for _, n in cases])
    for (p, n), lo, hi in zip(cases, low, high, strict=True):
        assert wilson_interval(p, n) == pytest.approx((lo, hi), abs=1e-12)
        assert (lo, hi) == pytest.approx(proportion_confint(p * n, n, method="wilson"), abs=1e-12)
    gap = newcombe_difference(0.6, 400, 0.5, 300)
    by_hand = mover_difference(0.6, *wilson_interval(0.6, 400), 0.5, *wilson_interval(0.5, 300))
    assert (gap.difference, gap.low, gap.high) == pytest.approx((by_hand.difference, by_hand.low, by_hand.high))
