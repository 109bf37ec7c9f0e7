"""A place among areas that admits its uncertainty.

A borough's rank (1 = highest) is quoted with the range of places its 95% interval allows:
it must rank below every area whose interval lies wholly above its own, and may rank below
every area whose interval overlaps its own. Overlapping intervals do not prove two areas
equal, so the range is cautious, which is what a figure read aloud needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.metrics.reliability import ranks


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
    reliable: str | None = None,
) -> RankRange | None:
    """The rank of the row whose `key_column` is `key` among rows with a value and interval
    (and, when `reliable` names a column, only rows it marks reliable under
    `lib.metrics.reliability`), with the places its interval allows; None when that row is
    not ranked. The places come from `reliability.ranks`, the one ranking rule."""
    rankable = table[[value, low, high]].notna().all(axis=1)
    if reliable is not None:
        rankable &= table[reliable].fillna(False).astype(bool)
    mine = table.index[(table[key_column] == key) & rankable]
    if len(mine) == 0:
        return None
    ranked = ranks(table[value], table[low], table[high], rankable).set_index(table.index)
    row = ranked.loc[mine[0]]
    return RankRange(int(row["rank"]), int(row["rank_best"]), int(row["rank_worst"]), int(rankable.sum()))
