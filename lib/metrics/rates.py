"""Rates per 1,000 residents per year, with exact Poisson intervals."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats

PER = 1_000


def annual_rate_per_1000(count: float, population: float, months: int) -> float:
    """Events per 1,000 residents per year: count scaled to 12 months, divided by the
    population (Census 2021 residents), times 1,000. NaN when population is zero."""
    if population <= 0 or months <= 0:
        return float("nan")
    return count * (12 / months) / population * PER


def annual_rates_per_1000(counts, populations, months: int) -> np.ndarray:
    """Vectorised `annual_rate_per_1000` for arrays of counts and populations."""
    counts = np.asarray(counts, dtype=float)
    populations = np.asarray(populations, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = counts * (12 / months) / populations * PER
    return np.where(populations > 0, rates, np.nan)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


@lru_cache(maxsize=65536)  # the same counts come back on every view
def poisson_count_interval(count: int, confidence: float = 0.95) -> Interval:
    """Exact (Garwood) interval for a Poisson mean given one observed count."""
    alpha = 1 - confidence
    low = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    high = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return Interval(float(low), float(high))


def annual_rate_interval(count: int, population: float, months: int, confidence: float = 0.95) -> Interval:
    """Exact Poisson interval for `annual_rate_per_1000`."""
    bounds = poisson_count_interval(count, confidence)
    return Interval(
        annual_rate_per_1000(bounds.low, population, months),
        annual_rate_per_1000(bounds.high, population, months),
    )
