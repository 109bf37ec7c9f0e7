"""Is a count up or down on an earlier period? Exact Poisson test.

Conditional on the total of the two counts, the current count is binomial with
p = current exposure / (current + previous exposure) when the underlying rate has not
changed; a two-sided exact binomial test of that is the exact Poisson rate test.
"""

from __future__ import annotations

from dataclasses import dataclass

from scipy import stats

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class CountChange:
    current: int
    previous: int
    p_value: float

    @property
    def percent(self) -> float:
        """Change in percent of the previous count; NaN when the previous count is zero."""
        if self.previous == 0:
            return float("nan")
        return (self.current - self.previous) / self.previous * 100

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
    current, previous = int(current), int(previous)
    total = current + previous
    if total == 0:
        return CountChange(current, previous, 1.0)
    share = current_exposure / (current_exposure + previous_exposure)
    p_value = stats.binomtest(current, total, share).pvalue
    return CountChange(current, previous, float(p_value))
