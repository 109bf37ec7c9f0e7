"""Violence page figures: borough counts, rates and changes for a period, monthly trends,
and scored hot-spot cells. Pure functions over the frames lib.queries.violence returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from lib import months
from lib.filters import Period
from lib.metrics.coverage import years_back
from lib.metrics.hotspots import getis_ord_gi_star, hotspot_class, nearest_points
from lib.metrics.rates import annual_rates_per_1000

RATE = "rate"
COUNT = "count"


def comparison_period(period: Period) -> Period:
    """The period a change is measured against, by the one comparison rule
    (`lib.metrics.coverage.comparison`): the same calendar months a whole number of years
    earlier (one year for periods up to 12 months), so the two never overlap."""
    shift = -12 * years_back(tuple(period.month_list()))
    return Period(months.shift(period.start, shift), months.shift(period.end, shift))


def comparison_noun(period: Period) -> str:
    """How sentences name `comparison_period(period)`."""
    years = years_back(tuple(period.month_list()))
    return "the same months a year earlier" if years == 1 else f"the same months {years} years earlier"


def monthly_trend(monthly: pd.DataFrame, residents: float, measure: str) -> pd.DataFrame:
    """Monthly series for one area (monthly has month and count, one row per month): columns
    month, value (the count, or the month's rate per 1,000 residents annualised, i.e. × 12),
    rolling (mean of the 12 months to this one, NaN until 12 are available) and year_earlier
    (value 12 months before, NaN when outside the snapshot)."""
    frame = monthly.groupby("month", as_index=False)["count"].sum().sort_values("month")
    full = pd.DataFrame({"month": months.span(frame["month"].min(), frame["month"].max())})
    frame = full.merge(frame, on="month", how="left")
    if measure == RATE:
        frame["value"] = annual_rates_per_1000(frame["count"], np.full(len(frame), residents), 1)
    else:
        frame["value"] = frame["count"].astype(float)
    frame["rolling"] = frame["value"].rolling(12, min_periods=12).mean()
    frame["year_earlier"] = frame["value"].shift(12)
    return frame[["month", "value", "rolling", "year_earlier"]]


def scored_cells(cells: pd.DataFrame, weights: sparse.spmatrix, counts: pd.DataFrame) -> pd.DataFrame:
    """The study-area cells with count (offences in the period, 0 where none were recorded),
    z (Gi* over all London's cells) and hot (hotspot_class). Counts in cells outside the study
    area are ignored."""
    frame = cells.copy()
    frame["count"] = frame["cell"].map(counts.set_index("cell")["count"]).fillna(0).astype("int64")
    frame["z"] = getis_ord_gi_star(frame["count"].to_numpy(), weights)
    frame["hot"] = hotspot_class(frame["z"])
    return frame


def top_hotspots(scored: pd.DataFrame, places: pd.DataFrame, *, gss_code: str | None, n: int = 10) -> pd.DataFrame:
    """The `n` strongest significant hot spots (z ≥ 1.96) in a borough (or London), highest
    z first, each with the nearest place in `places` (name, lat, lon) and its distance in km."""
    chosen = scored[scored["z"] >= 1.96]
    if gss_code is not None:
        chosen = chosen[chosen["gss_code"] == gss_code]
    chosen = chosen.sort_values(["z", "count"], ascending=False).head(n).reset_index(drop=True)
    if chosen.empty or places.empty:
        return chosen.assign(place=pd.Series(dtype=str), place_km=pd.Series(dtype=float))
    index, km = nearest_points(chosen["lat"], chosen["lon"], places["lat"], places["lon"])
    return chosen.assign(place=places["name"].to_numpy()[index], place_km=km)
