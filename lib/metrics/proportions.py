"""Survey proportions: Wilson intervals, two-proportion tests, the survey's design bases."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

Z95 = stats.norm.ppf(0.975)

# MOPAC's published design: about 400 interviews per borough and 12,800 London-wide per
# rolling year. Used only when a snapshot carries no respondent count, and then labelled.
DESIGN_BASE_BOROUGH = 400
DESIGN_BASE_LONDON = 12_800
MIN_BASE = 50


@dataclass(frozen=True)
class ProportionInterval:
    proportion: float
    low: float
    high: float
    base: float
    approximate: bool  # True when the base is the design figure, not a published count


def survey_base(base: float | None, is_london: bool) -> tuple[float, bool]:
    """(respondents, approximate?) for a survey value; the design base when unknown."""
    if base is None or (isinstance(base, float) and math.isnan(base)):
        return (DESIGN_BASE_LONDON if is_london else DESIGN_BASE_BOROUGH), True
    return float(base), False


def wilson_interval(proportion: float, base: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion observed among `base` respondents.

    One value at a time, written out: 8 µs a call against 174 µs for statsmodels'
    proportion_confint(method="wilson") on a scalar, and callers loop over outcome rows.
    Arrays go through statsmodels (lib.metrics.survey.wilson_intervals); a test checks
    that the two agree."""
    if base <= 0:
        return (float("nan"), float("nan"))
    denominator = 1 + z**2 / base
    centre = (proportion + z**2 / (2 * base)) / denominator
    half = z * math.sqrt(proportion * (1 - proportion) / base + z**2 / (4 * base**2)) / denominator
    # At p = 0 or 1 the bound is exactly 0 or 1; floating point would leave a crumb.
    low = 0.0 if proportion <= 0 else max(0.0, float(centre - half))
    high = 1.0 if proportion >= 1 else min(1.0, float(centre + half))
    return (low, high)


def proportion_interval(proportion: float, base: float | None, is_london: bool) -> ProportionInterval:
    n, approximate = survey_base(base, is_london)
    low, high = wilson_interval(proportion, n)
    return ProportionInterval(proportion, low, high, n, approximate)


@dataclass(frozen=True)
class ProportionChange:
    current: float
    previous: float
    p_value: float

    @property
    def points(self) -> float:
        """Change in percentage points."""
        return (self.current - self.previous) * 100

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05

    @property
    def direction(self) -> str:
        if not self.significant or self.current == self.previous:
            return "no significant change"
        return "up" if self.current > self.previous else "down"


def two_proportion_test(p1: float, n1: float, p2: float, n2: float) -> ProportionChange:
    """Two-sided z-test (pooled) that two independent proportions are equal; p1 is the
    current value, p2 the earlier one."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return ProportionChange(p1, p2, 1.0 if p1 == p2 else 0.0)
    z = (p1 - p2) / se
    return ProportionChange(p1, p2, float(2 * stats.norm.sf(abs(z))))
