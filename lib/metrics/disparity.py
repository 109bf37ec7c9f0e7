"""Disproportionality: a group's rate relative to the White rate, with exact intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

SMALL_COUNT = 10  # cells under this are shown as "fewer than 10" and left out of ratios


@dataclass(frozen=True)
class RateRatio:
    ratio: float
    low: float
    high: float
    count: int
    reference_count: int

    @property
    def suppressed(self) -> bool:
        return self.count < SMALL_COUNT or self.reference_count < SMALL_COUNT


def rate_ratio(
    count: int, population: float, reference_count: int, reference_population: float, confidence: float = 0.95
) -> RateRatio:
    """(count/population) ÷ (reference_count/reference_population) with an exact
    conditional Poisson interval: Clopper-Pearson on count/(count+reference_count),
    turned into odds and scaled by the population ratio."""
    count, reference_count = int(count), int(reference_count)
    nan = float("nan")
    if population <= 0 or reference_population <= 0 or reference_count == 0:
        return RateRatio(nan, nan, nan, count, reference_count)
    scale = reference_population / population
    ratio = count / reference_count * scale
    share = stats.binomtest(count, count + reference_count).proportion_ci(confidence, method="exact")
    low_share, high_share = share.low, share.high
    low = low_share / (1 - low_share) * scale
    high = high_share / (1 - high_share) * scale if high_share < 1 else math.inf
    return RateRatio(float(ratio), float(low), float(high), count, reference_count)


@dataclass(frozen=True)
class RatioRange:
    """The ratio if every search of unknown ethnicity had been of the group (high end) or
    of the reference group (low end)."""

    low: float
    high: float


def missing_ethnicity_range(
    count: int, population: float, reference_count: int, reference_population: float, unknown: int
) -> RatioRange:
    all_to_group = rate_ratio(count + unknown, population, reference_count, reference_population).ratio
    all_to_reference = rate_ratio(count, population, reference_count + unknown, reference_population).ratio
    return RatioRange(min(all_to_group, all_to_reference), max(all_to_group, all_to_reference))
