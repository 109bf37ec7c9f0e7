"""Is a change comparable? Breaks in recording and shifts in unallocated records.

A change in a count can come from how crimes were recorded rather than from crime:

- a **break** (`lib.breaks`: a new recording system or rule) between, or inside, the two
  periods compared: the comparison *straddles* it unless every month compared lies wholly on
  one side of its date;
- a shift in the share of the publisher's records that were **not allocated to a borough**
  (the Met's "Unknown" borough: 1.7-4% of each month's crimes up to August 2024, about 0.5%
  from September 2024). When that share falls by 1.5 points, boroughs' counts rise by roughly
  1.5% with no change in crime. The shift matters when it is larger than the change's own
  margin of error (half the width of its 95% interval, in percent): then allocation alone
  could produce a change the test would call real.

`comparability` gathers both for one change; `lib.narrative.breaks.break_warning` words it.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from lib.breaks import Break
from lib.metrics.change import CountChange
from lib.metrics.coverage import Comparison


def month_side(month: date, when: date) -> int:
    """-1 when the month ends before `when`, +1 when it starts on or after it, 0 when the
    break falls inside the month."""
    last_day = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
    if last_day < when:
        return -1
    if month >= when:
        return 1
    return 0


def straddled(breaks: Iterable[Break], months: Iterable[date]) -> tuple[Break, ...]:
    """The breaks that some of `months` lie on the other side of (or inside)."""
    months = list(months)
    found = []
    for item in breaks:
        sides = {month_side(m, item.when) for m in months}
        if len(sides) > 1 or 0 in sides:
            found.append(item)
    return tuple(found)


@dataclass(frozen=True)
class UnallocatedShift:
    """The share of records not allocated to a borough in the earlier and current months
    (0-1), and the move between them in percentage points."""

    earlier: float
    current: float

    @property
    def points(self) -> float:
        return (self.current - self.earlier) * 100


def unallocated_share(shares: pd.DataFrame, months: Iterable[date]) -> float | None:
    """Unallocated ÷ recorded over `months` (`shares`: month, unallocated, recorded); None
    unless every month is present."""
    months = set(months)
    rows = shares[shares["month"].isin(months)]
    if set(rows["month"]) != months or rows["recorded"].sum() <= 0:
        return None
    return float(rows["unallocated"].sum() / rows["recorded"].sum())


def unallocated_shift(shares: pd.DataFrame | None, compared: Comparison) -> UnallocatedShift | None:
    """The shift between the two sides of a comparison; None when either side's share is
    not known (the publisher's file gave no unallocated row for some month)."""
    if shares is None or shares.empty:
        return None
    earlier = unallocated_share(shares, compared.earlier)
    current = unallocated_share(shares, compared.current)
    if earlier is None or current is None:
        return None
    return UnallocatedShift(earlier, current)


@dataclass(frozen=True)
class Comparability:
    """What may make a change an artefact: the breaks the comparison straddles and a shift in
    unallocated records larger than the change's margin of error."""

    breaks: tuple[Break, ...]
    shift: UnallocatedShift | None
    margin: float  # the change's margin of error, in percent (NaN when unknown)

    @property
    def shift_exceeds_margin(self) -> bool:
        if self.shift is None or math.isnan(self.margin):
            return False
        return abs(self.shift.points) > self.margin

    @property
    def warn(self) -> bool:
        return bool(self.breaks) or self.shift_exceeds_margin


def comparability(
    compared: Comparison | None,
    change: CountChange | None,
    breaks: Iterable[Break],
    shares: pd.DataFrame | None = None,
) -> Comparability | None:
    """For one tested change: the straddled breaks and the unallocated shift against the
    change's margin. None when there is no comparison."""
    if compared is None or change is None:
        return None
    months = [*compared.earlier, *compared.current]
    return Comparability(straddled(breaks, months), unallocated_shift(shares, compared), change.margin)
