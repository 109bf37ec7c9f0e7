"""A place among areas that admits its uncertainty.

A borough's rank (1 = highest) is quoted with the range of places its 95% interval allows:
it must rank below every area whose interval lies wholly above its own, and may rank below
every area whose interval overlaps its own. Overlapping intervals do not prove two areas
equal, so the range is cautious, which is what a figure read aloud needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class RankRange:
    rank: int  # 1 = highest value; tied areas share the better place
    best: int  # the highest place the intervals allow
    worst: int  # the lowest place the intervals allow
    of: int  # areas ranked

    @property
    def certain(self) -> bool:
        return self.best == self.worst


def rank_range(
    table: pd.DataFrame,
    key: str,
    *,
    key_column: str = "gss_code",
    value: str = "value",
    low: str = "low",
    high: str = "high",
) -> RankRange | None:
    """The rank of the row whose `key_column` is `key` among rows with a value and interval
    (others are not ranked), with the places its interval allows; None when that row has no
    value or interval."""
    rows = table.dropna(subset=[value, low, high])
    mine = rows[rows[key_column] == key]
    if mine.empty:
        return None
    v, lo, hi = (float(mine[c].iloc[0]) for c in (value, low, high))
    others = rows[rows[key_column] != key]
    rank = 1 + int((others[value] > v).sum())
    best = 1 + int((others[low] > hi).sum())
    worst = len(rows) - int((others[high] < lo).sum())
    return RankRange(rank, best, worst, len(rows))
