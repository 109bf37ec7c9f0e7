"""Is a count up or down on an earlier period? Exact Poisson test.

Conditional on the total of the two counts, the current count is binomial with
p = current exposure / (current + previous exposure) when the underlying rate has not
changed; a two-sided exact binomial test of that is the exact Poisson rate test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from scipy import stats

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class CountChange:
    current: int
    previous: int
    p_value: float
    # 95% interval of the change in percent (exact conditional: Clopper-Pearson on
    # current / (current + previous), turned into a ratio of rates); NaN when undefined.
    percent_low: float = float("nan")
    percent_high: float = float("nan")

    @property
    def percent(self) -> float:
        """Change in percent of the previous count; NaN when the previous count is zero."""
        if self.previous == 0:
            return float("nan")
        return (self.current - self.previous) / self.previous * 100

    @property
    def margin(self) -> float:
        """Half the width of the change's 95% interval, in percentage points of the earlier
        count: the change's own margin of error (NaN when undefined)."""
        return (self.percent_high - self.percent_low) / 2

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE

    @property
    def direction(self) -> str:
        """'up', 'down' or 'no significant change' (a change is only called when the test
        says so)."""
        if not self.significant or self.current == self.previous:
            return "no significant change"
        return "up" if self.current > self.previous else "down"


def poisson_change(
    current: int, previous: int, current_exposure: float = 1.0, previous_exposure: float = 1.0
) -> CountChange:
    """Exact two-sided test that two Poisson counts share one rate.

    Exposures are the periods' lengths (or person-time) when they differ."""
    return _poisson_change(int(current), int(previous), float(current_exposure), float(previous_exposure))


@lru_cache(maxsize=65536)  # every page asks again for the same 33 boroughs' changes
def _poisson_change(current: int, previous: int, current_exposure: float, previous_exposure: float) -> CountChange:
    total = current + previous
    if total == 0:
        return CountChange(current, previous, 1.0)
    share = current_exposure / (current_exposure + previous_exposure)
    p_value = float(stats.binomtest(current, total, share).pvalue)
    low, high = float("nan"), float("nan")
    if previous > 0:
        # Clopper-Pearson bounds on the current period's share of the total, as beta
        # quantiles: the same values binomtest(...).proportion_ci finds by root search, at a
        # fraction of the cost. Then share -> ratio of the two periods' rates.
        alpha = SIGNIFICANCE
        share_low = stats.beta.ppf(alpha / 2, current, previous + 1) if current > 0 else 0.0
        share_high = stats.beta.ppf(1 - alpha / 2, current + 1, previous)
        scale = previous_exposure / current_exposure
        low = (share_low / (1 - share_low) * scale - 1) * 100
        high = (share_high / (1 - share_high) * scale - 1) * 100 if share_high < 1 else math.inf
    return CountChange(current, previous, p_value, float(low), float(high))
