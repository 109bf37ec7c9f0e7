"""Counts of recorded offences per area, with rates, changes and reliability.

The one set of functions behind every recorded-crime figure (the Violence page, the
Overview card, later topics, CSVs and the briefing): a monthly table in, per-borough and
per-area figures out, under the coverage policy and comparison rule of
`lib.metrics.coverage` and the reliability rule of `lib.metrics.reliability`.

`monthly` has one row per month and borough (`month`, `gss_code`, `count`) for every month
the table holds. `reported` names the boroughs the publisher gives figures for: a borough
absent from it has no figure at all (not zero), as the City of London in the Met's recorded
crime, which the City of London Police records.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.boroughs import BOROUGHS
from lib.metrics.change import CountChange, poisson_change
from lib.metrics.coverage import Comparison, Coverage, comparison, coverage
from lib.metrics.disparity import SMALL_COUNT
from lib.metrics.rates import annual_rate_per_1000, annual_rates_per_1000, poisson_count_interval
from lib.metrics.reliability import Reliability, assess, assess_rows, ranks
from lib.vocab import CITY_OF_LONDON

NOT_POLICED_BY_MET = (
    "the City of London is policed by the City of London Police, so the Met's recorded crime has no figure for it"
)


def not_reported_reason(gss_code: str) -> str:
    """Why a borough has no figure in a table it is absent from."""
    if gss_code == CITY_OF_LONDON:
        return NOT_POLICED_BY_MET
    return "the publisher gives no figure for this borough"


def period_totals(monthly: pd.DataFrame, months: Collection) -> pd.Series:
    """Offences per borough (Series on gss_code, int64) summed over `months`."""
    chosen = monthly[monthly["month"].isin(set(months))]
    return chosen.groupby("gss_code")["count"].sum().astype("int64")


def count_table(
    monthly: pd.DataFrame,
    residents: pd.Series,
    cover: Coverage,
    compared: Comparison | None,
    reported: Collection[str] | None = None,
) -> pd.DataFrame:
    """One row per borough (all 33, ONS order): gss_code, name, reported (bool), count
    (NaN when not reported), residents (Census 2021), rate per 1,000 residents a year over
    the covered months with its exact Poisson interval (rate_low, rate_high), count_low,
    count_high, previous (count in the comparison months; NaN without a comparison),
    change_pct with its 95% interval (change_low, change_high), p_value, direction, small
    (under SMALL_COUNT: not shown), the reliability of the count and of the rate
    (count_reliable/count_reason, rate_reliable/rate_reason) and, among reliable rows,
    rank_count / rank_rate with the ranks each interval allows (…_best, …_worst)."""
    codes = [b.gss_code for b in BOROUGHS]
    reported = set(codes if reported is None else reported)
    frame = pd.DataFrame({"gss_code": codes, "name": [b.name for b in BOROUGHS]})
    frame["reported"] = frame["gss_code"].isin(reported)
    now = period_totals(monthly, cover.months).reindex(codes, fill_value=0).to_numpy(dtype=float)
    frame["count"] = np.where(frame["reported"], now, np.nan)
    frame["residents"] = residents.reindex(codes).to_numpy(dtype=float)
    months = max(cover.count, 1)
    bounds = [poisson_count_interval(int(n)) if n == n else None for n in frame["count"]]
    frame["count_low"] = [b.low if b else np.nan for b in bounds]
    frame["count_high"] = [b.high if b else np.nan for b in bounds]
    frame["rate"] = annual_rates_per_1000(frame["count"], frame["residents"], months)
    frame["rate_low"] = annual_rates_per_1000(frame["count_low"], frame["residents"], months)
    frame["rate_high"] = annual_rates_per_1000(frame["count_high"], frame["residents"], months)
    if compared is None:
        frame["previous"] = np.nan
        changes: list[CountChange | None] = [None] * len(frame)
    else:
        before = period_totals(monthly, compared.earlier).reindex(codes, fill_value=0).to_numpy(dtype=float)
        frame["previous"] = np.where(frame["reported"], before, np.nan)
        changes = [
            poisson_change(int(c), int(p)) if c == c and p == p else None
            for c, p in zip(frame["count"], frame["previous"], strict=True)
        ]
    frame["change_pct"] = [c.percent if c else np.nan for c in changes]
    frame["change_low"] = [c.percent_low if c else np.nan for c in changes]
    frame["change_high"] = [c.percent_high if c else np.nan for c in changes]
    frame["p_value"] = [c.p_value if c else np.nan for c in changes]
    frame["direction"] = [c.direction if c else None for c in changes]
    frame["small"] = ~(frame["count"] >= SMALL_COUNT)
    missing = pd.Series([not_reported_reason(c) for c in frame["gss_code"]], index=frame.index)
    for measure, low, high, residents_column in (
        ("count", "count_low", "count_high", None),
        ("rate", "rate_low", "rate_high", "residents"),
    ):
        verdict = assess_rows(
            frame,
            count_columns=["count"],
            estimate=measure,
            low=low,
            high=high,
            residents=residents_column,
            count_noun="offences",
            no_figure=missing,
        )
        frame[f"{measure}_reliable"] = verdict["reliable"].to_numpy()
        frame[f"{measure}_reason"] = verdict["reason"].to_numpy()
        ranked = ranks(frame[measure], frame[low], frame[high], frame[f"{measure}_reliable"])
        frame[f"rank_{measure}"] = ranked["rank"].to_numpy()
        frame[f"rank_{measure}_best"] = ranked["rank_best"].to_numpy()
        frame[f"rank_{measure}_worst"] = ranked["rank_worst"].to_numpy()
    return frame


@dataclass(frozen=True)
class CountFigure:
    """One area's offences in the covered months: count, residents, annual rate per 1,000
    residents with its 95% interval, the change on the comparison months (None without
    one), and reliability. `left_out` names boroughs with no figure that a London total
    cannot include."""

    gss_code: str | None
    count: int | None  # None: the publisher gives no figure for the area
    residents: float
    rate: float
    rate_low: float
    rate_high: float
    change: CountChange | None
    cover: Coverage
    compared: Comparison | None
    reliability: Reliability
    left_out: tuple[str, ...] = ()

    @property
    def small(self) -> bool:
        """Under SMALL_COUNT: not shown as a number."""
        return self.count is None or self.count < SMALL_COUNT


def area_figure(table: pd.DataFrame, cover: Coverage, compared: Comparison | None, gss_code: str | None) -> CountFigure:
    """The figures of one borough of `count_table` (built with the same `cover` and
    `compared`), or of London (gss_code None: the reported boroughs' counts and residents
    summed, so the rate's denominator matches its numerator; the boroughs left out are
    named)."""
    if gss_code is None:
        rows = table[table["reported"]]
        left_out = tuple(table.loc[~table["reported"], "name"])
    else:
        rows = table[table["gss_code"] == gss_code]
        left_out = ()
    if rows.empty or not rows["reported"].all():
        reason = not_reported_reason(gss_code) if gss_code else "no borough has a figure"
        nan = float("nan")
        return CountFigure(
            gss_code, None, float(rows["residents"].sum()), nan, nan, nan, None, cover, compared,
            Reliability(False, reason), left_out,
        )  # fmt: skip
    count = int(rows["count"].sum())
    residents = float(rows["residents"].sum())
    months = max(cover.count, 1)
    bounds = poisson_count_interval(count)
    rate = annual_rate_per_1000(count, residents, months)
    low = annual_rate_per_1000(bounds.low, residents, months)
    high = annual_rate_per_1000(bounds.high, residents, months)
    change = None
    if compared is not None and rows["previous"].notna().all():
        change = poisson_change(count, int(rows["previous"].sum()))
    reliability = assess(counts=[count], estimate=rate, low=low, high=high, residents=residents, count_noun="offences")
    return CountFigure(gss_code, count, residents, rate, low, high, change, cover, compared, reliability, left_out)


@dataclass(frozen=True, eq=False)
class CrimeFigures:
    """Every borough's figures for one offence group over the covered months of a period:
    the coverage, the comparison (None without the earlier months) and `count_table`
    (None when no month of the period is held)."""

    cover: Coverage
    compared: Comparison | None
    table: pd.DataFrame | None

    def figure(self, gss_code: str | None) -> CountFigure:
        return area_figure(self.table, self.cover, self.compared, gss_code)


def crime_figures(monthly: pd.DataFrame, residents: pd.Series, held: Collection, period) -> CrimeFigures:
    """The one way recorded-crime figures are made, for pages, CSVs and the briefing alike:
    `monthly` as from `lib.queries.violence.category_monthly_counts` (only the boroughs the
    publisher reports), `held` the months the table holds, `period` the chosen period."""
    cover = coverage(held, period)
    compared = comparison(cover, held)
    if cover.empty:
        return CrimeFigures(cover, compared, None)
    reported = frozenset(monthly["gss_code"])
    return CrimeFigures(cover, compared, count_table(monthly, residents, cover, compared, reported))
