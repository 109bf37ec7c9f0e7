"""The Overview's figures: one area's violence, survey and stop-and-search summaries."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lib.metrics.change import CountChange, poisson_change
from lib.metrics.disparity import RateRatio, rate_ratio
from lib.metrics.proportions import ProportionChange, proportion_interval, two_proportion_test
from lib.metrics.rates import annual_rate_per_1000


def area_total(frame: pd.DataFrame, gss_code: str | None, column: str = "count") -> int:
    """Sum of `column` for one borough, or for all rows (London, including rows with no
    borough) when gss_code is None."""
    rows = frame if gss_code is None else frame[frame["gss_code"] == gss_code]
    return int(rows[column].sum())


def area_population(populations: pd.DataFrame, gss_code: str | None, group: str = "All") -> int:
    rows = populations if gss_code is None else populations[populations["gss_code"] == gss_code]
    return int(rows[group].sum())


@dataclass(frozen=True)
class CountSummary:
    count: int
    rate: float  # per 1,000 residents per year
    change: CountChange | None  # against the previous period of equal length; None if not covered


def count_summary(
    current: pd.DataFrame, previous: pd.DataFrame | None, population: int, months: int, gss_code: str | None
) -> CountSummary:
    """Count, annual rate over `months` and, when the previous period is given, the exact
    Poisson test against it."""
    now = area_total(current, gss_code)
    change = None if previous is None else poisson_change(now, area_total(previous, gss_code))
    return CountSummary(now, annual_rate_per_1000(now, population, months), change)


@dataclass(frozen=True)
class SurveySummary:
    period_end: date
    proportion: float
    low: float
    high: float
    approximate: bool
    change: ProportionChange | None  # None when there is no value a year earlier


def survey_summary(values: pd.DataFrame, measure: str, gss_code: str | None) -> SurveySummary | None:
    """Latest value of a measure for an area with its Wilson interval, and the
    two-proportion test against the value a year earlier. None when not surveyed."""
    rows = values[(values["measure"] == measure)]
    rows = rows[rows["gss_code"].isna()] if gss_code is None else rows[rows["gss_code"] == gss_code]
    if rows.empty:
        return None
    rows = rows.sort_values("period_end")
    latest = rows.iloc[-1]
    is_london = gss_code is None
    interval = proportion_interval(float(latest["proportion"]), _base(latest["base"]), is_london)
    change = None
    latest_end = pd.Timestamp(latest["period_end"])
    earlier = rows[pd.to_datetime(rows["period_end"]) <= latest_end - pd.DateOffset(months=12)]
    if not earlier.empty:
        before = earlier.iloc[-1]
        before_interval = proportion_interval(float(before["proportion"]), _base(before["base"]), is_london)
        change = two_proportion_test(
            interval.proportion, interval.base, before_interval.proportion, before_interval.base
        )
    return SurveySummary(
        latest_end.date(), interval.proportion, interval.low, interval.high, interval.approximate, change
    )


def _base(value: object) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return float(value)


@dataclass(frozen=True)
class SearchSummary:
    count: int
    rate: float  # searches per 1,000 residents per year
    black_white: RateRatio  # self-defined ethnicity, Census 2021 residents


def search_summary(
    searches: pd.DataFrame, populations: pd.DataFrame, months: int, gss_code: str | None
) -> SearchSummary:
    rows = searches if gss_code is None else searches[searches["gss_code"] == gss_code]
    by_group = rows.groupby("ethnic_group")["count"].sum()
    total = int(by_group.sum())
    ratio = rate_ratio(
        int(by_group.get("Black", 0)),
        area_population(populations, gss_code, "Black"),
        int(by_group.get("White", 0)),
        area_population(populations, gss_code, "White"),
    )
    return SearchSummary(total, annual_rate_per_1000(total, area_population(populations, gss_code), months), ratio)
