"""Stop and search statistics against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from scipy import stats

from lib.metrics import stop_search as m
from lib.metrics.disparity import missing_ethnicity_range, rate_ratio
from lib.months import span

A, B = "E09000022", "E09000028"  # Lambeth, Southwark


def cube_rows(rows):
    """Cube rows from (gss_code, group, age, searches, with_outcome, arrests, nfa, linked_recorded,
    linked, removal_recorded, removals); missing trailing counts are zero."""
    columns = [
        "gss_code",
        "ethnic_group",
        "age_range",
        "searches",
        "with_outcome",
        "arrests",
        "nfa",
        "linked_recorded",
        "linked",
        "removal_recorded",
        "removals",
    ]
    return pd.DataFrame([list(r) + [0] * (len(columns) - len(r)) for r in rows], columns=columns)


CUBE = cube_rows(
    [
        (A, "Black", "18-24", 30, 30, 6, 21, 0, 0, 30, 2),
        (A, "Black", "10-17", 10, 10, 2, 7, 0, 0, 10, 1),
        (A, "White", "25-34", 20, 20, 6, 12),
        (A, "Unknown", "over 34", 10, 10, 1, 8),
        (A, "Asian", "18-24", 5, 5, 1, 3),
        (B, "Black", "18-24", 12),
        (B, "White", "18-24", 9),
        (None, "Black", "Not recorded", 10),
    ]
)
POPULATIONS = pd.DataFrame(
    {
        "gss_code": [A, B],
        "All": [57_000, 57_000],
        "Asian": [5_000, 5_000],
        "Black": [10_000, 10_000],
        "Mixed": [1_000, 1_000],
        "Other": [1_000, 1_000],
        "White": [40_000, 40_000],
    }
)


def test_rate_ratios_match_the_exact_interval_worked_by_hand():
    # (20 / 1,000) ÷ (10 / 2,000) = 0.02 ÷ 0.005 = 4.0
    frame = m.rate_ratios([20], [1_000], [10], [2_000])
    assert frame.at[0, "ratio"] == pytest.approx(4.0)
    # Conditional on 30 searches, the group's share is binomial(30, p); the ratio is
    # p/(1-p) × 2,000/1,000. At the lower bound P(X >= 20) = 2.5%, at the upper P(X <= 20) = 2.5%.
    low_share = frame.at[0, "low"] / 2 / (1 + frame.at[0, "low"] / 2)
    high_share = frame.at[0, "high"] / 2 / (1 + frame.at[0, "high"] / 2)
    assert stats.binom.sf(19, 30, low_share) == pytest.approx(0.025, abs=1e-9)
    assert stats.binom.cdf(20, 30, high_share) == pytest.approx(0.025, abs=1e-9)


@pytest.mark.parametrize(
    "a, pa, b, pb",
    [(20, 1_000, 10, 2_000), (0, 500, 7, 800), (45, 46_807, 29, 98_275), (12, 100, 0, 100), (5, 0, 3, 10)],
)
def test_vectorised_rate_ratios_equal_the_shared_function(a, pa, b, pb):
    mine = m.rate_ratios([a], [pa], [b], [pb]).iloc[0]
    shared = rate_ratio(a, pa, b, pb)
    for got, expected in ((mine["ratio"], shared.ratio), (mine["low"], shared.low), (mine["high"], shared.high)):
        assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


def test_disparity_table_in_a_borough():
    table = m.disparity_table(CUBE, POPULATIONS, area=A, definition="self", months=6).set_index("ethnic_group")
    # Black: 40 searches in 6 months -> 80 a year; 80 / 10,000 × 1,000 = 8.0 per 1,000 a year.
    assert table.at["Black", "rate"] == pytest.approx(8.0)
    # White: 20 -> 40 a year; 40 / 40,000 × 1,000 = 1.0.
    assert table.at["White", "rate"] == pytest.approx(1.0)
    assert table.at["Black", "ratio"] == pytest.approx(8.0)
    # Unknown 10 all Black: 50/10,000 ÷ 20/40,000 = 10.0; all White: 40/10,000 ÷ 30/40,000 = 5.333.
    assert table.at["Black", "range_high"] == pytest.approx(10.0)
    assert table.at["Black", "range_low"] == pytest.approx(16 / 3)
    shared = missing_ethnicity_range(40, 10_000, 20, 40_000, 10)
    assert (table.at["Black", "range_low"], table.at["Black", "range_high"]) == pytest.approx((shared.low, shared.high))
    # Asian: 5 searches, under 10 -> suppressed, no rate, no ratio.
    assert table.at["Asian", "suppressed"] and math.isnan(table.at["Asian", "rate"])
    assert math.isnan(table.at["Asian", "ratio"])
    assert math.isnan(table.at["White", "ratio"]) and math.isnan(table.at["Unknown", "rate"])


def test_london_includes_unlocated_searches_and_all_residents():
    table = m.disparity_table(CUBE, POPULATIONS, area=None, definition="self", months=12).set_index("ethnic_group")
    # Black: 30 + 10 + 12 + 10 (unlocated) = 62 over 20,000 residents: 3.1 per 1,000 a year.
    assert table.at["Black", "searches"] == 62
    assert table.at["Black", "rate"] == pytest.approx(3.1)
    # White: 29 / 80,000 × 1,000 = 0.3625; ratio 3.1 / 0.3625 = 8.5517.
    assert table.at["Black", "ratio"] == pytest.approx(3.1 / 0.3625)
    assert m.unlocated_searches(CUBE) == 10


def test_officer_defined_other_is_compared_with_census_mixed_and_other():
    residents = m.group_populations(POPULATIONS, "officer")
    assert list(residents.columns) == ["gss_code", "Asian", "Black", "Other", "White"]
    assert residents["Other"].tolist() == [2_000, 2_000]  # Mixed 1,000 + Other 1,000
    assert m.comparison_groups("officer") == ("Asian", "Black", "Other")


def test_borough_disparity_suppresses_small_cells():
    boroughs = m.borough_disparity(CUBE, POPULATIONS, group="Black", definition="self", months=6).set_index("gss_code")
    assert len(boroughs) == 33
    assert boroughs.at[A, "ratio"] == pytest.approx(8.0)
    assert boroughs.at[A, "searches"] == 75  # 30 + 10 + 20 + 10 + 5
    assert boroughs.at[A, "range_high"] == pytest.approx(10.0)
    # Southwark: White 9 searches -> no ratio; its White rate is hidden too (under 10).
    assert boroughs.at[B, "suppressed"] and math.isnan(boroughs.at[B, "ratio"])
    assert math.isnan(boroughs.at[B, "white_rate"])
    # Black 12 in 6 months: 24 / 10,000 × 1,000 = 2.4.
    assert boroughs.at[B, "group_rate"] == pytest.approx(2.4)
    assert boroughs.at["E09000001", "suppressed"]  # no searches at all


def test_outcome_rates_with_wilson_intervals():
    outcomes = m.outcome_rates(CUBE, area=A, definition="self")
    black = outcomes[outcomes["ethnic_group"] == "Black"].set_index("measure")
    # 40 searches with an outcome: 8 arrests (0.2), 28 NFA (0.7), 12 positive (0.3).
    assert black.at["Arrest", "rate"] == pytest.approx(0.2)
    assert black.at["No further action", "rate"] == pytest.approx(0.7)
    assert black.at["Positive outcome", "rate"] == pytest.approx(0.3)
    # Wilson for 0.2 of 40: centre (0.2 + 1.96²/80) / (1 + 1.96²/40) = 0.248020/1.096040 = 0.226288;
    # half 1.96 × √(0.2×0.8/40 + 1.96²/6,400) / 1.096040 = 1.96 × √0.00460025 / 1.096040
    #      = 1.96 × 0.067825 / 1.096040 = 0.121289 -> (0.104999, 0.347577).
    assert black.at["Arrest", "low"] == pytest.approx(0.104999, abs=1e-5)
    assert black.at["Arrest", "high"] == pytest.approx(0.347577, abs=1e-5)
    asian = outcomes[outcomes["ethnic_group"] == "Asian"]
    assert asian["suppressed"].all() and asian["rate"].isna().all()


def test_find_status():
    assert m.find_status(CUBE, area=A) == "not recorded"
    never = CUBE.assign(linked_recorded=CUBE["searches"])
    assert m.find_status(never, area=A) == "never true"
    found = never.assign(linked=[5, 0, 0, 0, 0, 0, 0, 0])
    assert m.find_status(found, area=A) == "recorded"
    black = m.find_rates(found, area=A, definition="self").set_index("ethnic_group").loc["Black"]
    assert (black["count"], black["base"], black["rate"]) == (5, 40, pytest.approx(0.125))


def test_children_and_strip_searches():
    children = m.children_by_group(CUBE, area=A, definition="self").set_index("ethnic_group")
    assert children.at["Black", "under_18"] == 10
    assert children.at["Black", "share"] == pytest.approx(0.25)  # 10 of 40
    assert math.isnan(children.at["Asian", "share"])  # 5 searches: too few
    strips = m.strip_searches(CUBE, area=A, definition="self")
    assert strips.at["Black", "10-17"] == 1 and strips.at["Black", "All ages"] == 3
    assert m.strip_searches(CUBE, area=B, definition="self") is None  # never recorded there


def test_monthly_breakdown_zero_fills_and_folds_objects():
    months = span(date(2024, 1, 1), date(2024, 3, 1))
    assert months == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    volume = pd.DataFrame(
        {
            "month": [date(2024, 1, 1), date(2024, 1, 1), date(2024, 3, 1)],
            "gss_code": ["E09000022", "E09000028", "E09000022"],
            "legislation_group": ["PACE s1", "Misuse of Drugs Act s23", "PACE s1"],
            "object_of_search": ["Stolen goods", "Controlled drugs", "Firearms"],
            "searches": [4, 6, 1],
        }
    )
    local = m.monthly_breakdown(volume, area="E09000022", by="legislation", months=months)
    assert len(local) == 6  # 3 months × the 2 powers found in London
    assert local["searches"].sum() == 5
    objects = m.monthly_breakdown(volume, area=None, by="object", months=months, top_objects=2)
    assert set(objects["category"]) == {"Controlled drugs", "Stolen goods", "Anything else"}
    assert objects.groupby("category")["searches"].sum()["Anything else"] == 1
