"""The reliability rule: which areas' figures may be ranked, headlined or named as highest.

A figure (a count, a rate per resident, a rate ratio) is **reliable** when

1. every count it rests on is at least `MIN_COUNT` (20): below that a Poisson count's own
   95% interval is wider than the count itself (20 gives 12.2 to 30.9), and ONS marks rates
   from fewer than 20 events as unreliable for the same reason;
2. its 95% interval is no wider than the figure itself: (high − low) ÷ figure ≤
   `MAX_RELATIVE_WIDTH` (1.0). A ratio of 19.7 with an interval of 8 to 46 says little more
   than "higher";
3. for figures per resident, the area has at least `MIN_RESIDENTS` (20,000) residents: where
   residents are a small fraction of the people present (the City of London has about 8,600
   residents and several hundred thousand workers and visitors a day) a rate per resident
   says more about the denominator than about policing.

Figures that fail are still shown where the small-numbers rule allows (10 or more), but in
grey, unranked, and never named as highest or lowest; sentences say which areas were left
out and why. Survey values follow the survey's own rule (at least 50 respondents), checked
with the same function.

Ranking with uncertainty: `ranks` gives each reliable area its rank and the range of ranks
its 95% interval allows (best: only the areas whose interval lies wholly above count as
ahead; worst: every area whose interval reaches its own counts as possibly ahead). `top_group`
is the highest (or lowest) area together with every area whose interval overlaps it: such
areas are "among the highest", not ranked against each other.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_COUNT = 20
MAX_RELATIVE_WIDTH = 1.0
MIN_RESIDENTS = 20_000

WIDE_INTERVAL = "95% interval wider than the figure itself"
FEW_RESIDENTS = (
    f"fewer than {MIN_RESIDENTS:,} residents, so a rate per resident misleads "
    "(most people there are workers or visitors)"
)
NO_FIGURE = "no figure"


@dataclass(frozen=True)
class Reliability:
    reliable: bool
    reason: str | None  # why not, in words that complete "left out: …"


RELIABLE = Reliability(True, None)


def relative_width(estimate: float, low: float, high: float) -> float:
    """(high − low) ÷ estimate; infinite when the estimate is zero or a bound is missing."""
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (estimate, low, high)):
        return math.inf
    if estimate <= 0 or not math.isfinite(high):
        return math.inf
    return (high - low) / estimate


def assess(
    *,
    counts: Sequence[float | None],
    estimate: float,
    low: float,
    high: float,
    residents: float | None = None,
    count_noun: str = "records",
    min_count: int = MIN_COUNT,
    no_figure: str = NO_FIGURE,
) -> Reliability:
    """Apply the rule to one figure. `counts` are the counts it rests on (for a ratio, both
    groups'); `residents` is the area's resident population for figures per resident (None
    otherwise); `count_noun` completes "fewer than 20 …"; `no_figure` is the reason given
    when there is no estimate at all."""
    if any(c is None or (isinstance(c, float) and math.isnan(c)) for c in counts):
        return Reliability(False, no_figure)
    if min(counts) < min_count:
        return Reliability(False, f"fewer than {min_count} {count_noun}")
    if estimate is None or (isinstance(estimate, float) and math.isnan(estimate)):
        return Reliability(False, no_figure)
    if residents is not None and residents < MIN_RESIDENTS:
        return Reliability(False, FEW_RESIDENTS)
    if relative_width(estimate, low, high) > MAX_RELATIVE_WIDTH:
        return Reliability(False, WIDE_INTERVAL)
    return RELIABLE


def assess_rows(
    frame: pd.DataFrame,
    *,
    count_columns: Sequence[str],
    estimate: str,
    low: str,
    high: str,
    residents: str | None = None,
    count_noun: str = "records",
    min_count: int = MIN_COUNT,
    no_figure: pd.Series | str = NO_FIGURE,
) -> pd.DataFrame:
    """`assess` for every row: a frame with `reliable` (bool) and `reason` (str or None),
    on `frame`'s index. `no_figure` may be a Series of per-row reasons for missing figures."""
    reasons = no_figure if isinstance(no_figure, pd.Series) else pd.Series(no_figure, index=frame.index)
    results = [
        assess(
            counts=[row[c] for c in count_columns],
            estimate=row[estimate],
            low=row[low],
            high=row[high],
            residents=None if residents is None else row[residents],
            count_noun=count_noun,
            min_count=min_count,
            no_figure=reasons.loc[index] if isinstance(reasons.loc[index], str) else NO_FIGURE,
        )
        for index, row in frame.iterrows()
    ]
    return pd.DataFrame(
        {"reliable": [r.reliable for r in results], "reason": [r.reason for r in results]}, index=frame.index
    )


def ranks(values, lows, highs, reliable, *, descending: bool = True) -> pd.DataFrame:
    """For each row: `rank` (1 = highest when `descending`; ties share the better rank),
    `rank_best` and `rank_worst` (the ranks its 95% interval allows), among reliable rows
    only; NaN for unreliable rows."""
    value = np.asarray(values, dtype=float)
    low = np.asarray(lows, dtype=float)
    high = np.asarray(highs, dtype=float)
    keep = np.asarray(reliable, dtype=bool)
    if not descending:  # ranking lowest first is ranking the negated values
        value, low, high = -value, -high, -low
    n = len(value)
    rank = np.full(n, np.nan)
    best = np.full(n, np.nan)
    worst = np.full(n, np.nan)
    for i in np.flatnonzero(keep):
        others = keep.copy()
        others[i] = False
        rank[i] = 1 + np.sum(others & (value > value[i]))
        best[i] = 1 + np.sum(others & (low > high[i]))  # wholly above: certainly ahead
        worst[i] = 1 + np.sum(others & (high >= low[i]))  # reaching its interval: possibly ahead
    return pd.DataFrame({"rank": rank, "rank_best": best, "rank_worst": worst})


def top_group(
    frame: pd.DataFrame, *, value: str, low: str, high: str, reliable: str = "reliable", highest: bool = True
) -> pd.DataFrame:
    """The highest (or lowest) reliable row and every reliable row whose 95% interval
    overlaps its interval, best first. Empty when no row is reliable."""
    shown = frame[frame[reliable].astype(bool) & frame[value].notna()]
    if shown.empty:
        return shown
    ordered = shown.sort_values(value, ascending=not highest, kind="stable")
    leader = ordered.iloc[0]
    if highest:
        return ordered[ordered[high] >= leader[low]]
    return ordered[ordered[low] <= leader[high]]
