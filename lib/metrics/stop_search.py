"""Stop and search statistics from the aggregated search cube (lib.queries.stop_search).

Rates are searches per 1,000 Census 2021 residents per year; ratios compare a group's rate
with the White rate (exact conditional Poisson interval and the missing-ethnicity range);
outcome rates are shares of searches with a recorded outcome (95% Wilson interval). Any
cell under SMALL_COUNT searches is suppressed: no rate, no ratio.

An `area` is a borough GSS code, or None for all London. London figures include searches
with no location; a borough's figures are the searches made in it (the people searched need
not live there).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy import stats

from lib.boroughs import BOROUGHS
from lib.metrics.coverage import Coverage
from lib.metrics.disparity import SMALL_COUNT
from lib.metrics.proportions import wilson_interval
from lib.metrics.rates import annual_rate_per_1000, annual_rates_per_1000, poisson_count_interval
from lib.metrics.reliability import Reliability, assess, assess_rows, ranks
from lib.vocab import (
    AGE_RANGES,
    ETHNIC_GROUPS,
    LEGISLATION_GROUPS,
    OFFICER_DEFINED,
    OFFICER_GROUPS,
    REFERENCE_GROUP,
    SELF_DEFINED,
)

UNKNOWN = "Unknown"
UNDER_18 = ("under 10", "10-17")

# Census groups each ethnicity definition is compared with. Officers choose from four
# groups (no Mixed), so their "Other" is compared with Census Mixed + Other residents.
CENSUS_GROUPS: dict[str, dict[str, tuple[str, ...]]] = {
    SELF_DEFINED: {group: (group,) for group in ETHNIC_GROUPS},
    OFFICER_DEFINED: {
        "Asian": ("Asian",),
        "Black": ("Black",),
        "Other": ("Mixed", "Other"),
        "White": ("White",),
    },
}
assert set(CENSUS_GROUPS[OFFICER_DEFINED]) == set(OFFICER_GROUPS)

OUTCOME_MEASURES = ("Arrest", "No further action", "Positive outcome")
FIND_MEASURE = "Find (outcome linked to object)"


def groups_for(definition: str) -> tuple[str, ...]:
    """The ethnic groups a definition records, in display order (without Unknown)."""
    return tuple(CENSUS_GROUPS[definition])


def comparison_groups(definition: str) -> tuple[str, ...]:
    """Groups that can be compared with White."""
    return tuple(g for g in groups_for(definition) if g != REFERENCE_GROUP)


def group_populations(populations: pd.DataFrame, definition: str) -> pd.DataFrame:
    """Census 2021 residents per borough (`gss_code`) for each group of `definition`;
    `populations` is lib.queries.common.populations (wide: one column per Census group)."""
    columns = {"gss_code": populations["gss_code"].to_numpy()}
    for group, census in CENSUS_GROUPS[definition].items():
        columns[group] = sum(populations[name].to_numpy() for name in census)
    return pd.DataFrame(columns)


def _in_area(cube: pd.DataFrame, area: str | None) -> pd.DataFrame:
    return cube if area is None else cube[cube["gss_code"] == area]


def unlocated_searches(cube: pd.DataFrame) -> int:
    """Searches with no borough (no location, or outside London): in London totals only."""
    return int(cube.loc[cube["gss_code"].isna(), "searches"].sum())


def _searches_by_group(cube: pd.DataFrame, definition: str) -> pd.Series:
    order = [*groups_for(definition), UNKNOWN]
    return cube.groupby("ethnic_group")["searches"].sum().reindex(order, fill_value=0).astype("int64")


def disparity_table(
    cube: pd.DataFrame, populations: pd.DataFrame, *, area: str | None, definition: str, months: int
) -> pd.DataFrame:
    """One row per group (and Unknown) in `area`: searches, population (Census 2021
    residents), rate (per 1,000 residents per year) with its exact Poisson interval, the
    rate ratio to White with its exact 95% interval, and the missing-ethnicity range (all
    Unknown searches assigned to the group, then all to White). Groups under SMALL_COUNT
    searches have no rate; `suppressed` rows (the group or White under SMALL_COUNT) have no
    ratio. White and Unknown never have a ratio."""
    counts = _searches_by_group(_in_area(cube, area), definition)
    residents = group_populations(populations, definition)
    if area is not None:
        residents = residents[residents["gss_code"] == area]
    residents = residents.drop(columns="gss_code").sum().reindex(counts.index)
    frame = pd.DataFrame(
        {"ethnic_group": counts.index, "searches": counts.to_numpy(), "population": residents.to_numpy(dtype=float)}
    )
    small = (frame["searches"] < SMALL_COUNT) | ~(frame["population"] > 0)
    frame["rate"] = annual_rates_per_1000(frame["searches"], frame["population"], months)
    bounds = [poisson_count_interval(int(n)) for n in frame["searches"]]
    frame["rate_low"] = annual_rates_per_1000([b.low for b in bounds], frame["population"], months)
    frame["rate_high"] = annual_rates_per_1000([b.high for b in bounds], frame["population"], months)
    frame.loc[small, ["rate", "rate_low", "rate_high"]] = np.nan
    white, unknown = int(counts[REFERENCE_GROUP]), int(counts[UNKNOWN])
    white_population = float(residents[REFERENCE_GROUP])
    exact = rate_ratios(frame["searches"], frame["population"], white, white_population)
    all_to_group = rate_ratios(frame["searches"] + unknown, frame["population"], white, white_population)
    all_to_white = rate_ratios(frame["searches"], frame["population"], white + unknown, white_population)
    comparable = ~frame["ethnic_group"].isin([REFERENCE_GROUP, UNKNOWN])
    frame["suppressed"] = small | (white < SMALL_COUNT) | ~np.isfinite(exact["ratio"])
    frame.loc[~comparable, "suppressed"] = small[~comparable]
    keep = comparable & ~frame["suppressed"]
    frame["ratio"] = exact["ratio"].where(keep)
    frame["ratio_low"] = exact["low"].where(keep)
    frame["ratio_high"] = exact["high"].where(keep)
    frame["range_low"] = np.minimum(all_to_group["ratio"], all_to_white["ratio"]).where(keep)
    frame["range_high"] = np.maximum(all_to_group["ratio"], all_to_white["ratio"]).where(keep)
    frame["suppressed"] = frame["suppressed"].astype(bool)
    return frame


def rate_ratios(count, population, reference_count, reference_population, confidence: float = 0.95) -> pd.DataFrame:
    """Vectorised lib.metrics.disparity.rate_ratio (same exact conditional Poisson
    interval) over arrays, so 33 boroughs cost one scipy call, not 33: columns ratio, low,
    high (NaN where a population or the reference count is zero). The Clopper-Pearson
    bounds are written as beta quantiles because scipy's binomtest(...).proportion_ci, which
    rate_ratio uses, takes one count at a time; tests check the two agree."""
    a = np.asarray(count, dtype=float)
    b = np.asarray(reference_count, dtype=float)
    population = np.asarray(population, dtype=float)
    reference_population = np.asarray(reference_population, dtype=float)
    valid = (population > 0) & (reference_population > 0) & (b > 0)
    alpha = 1 - confidence
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(valid, reference_population / population, np.nan)
        ratio = a / b * scale
        low_share = np.where(a > 0, stats.beta.ppf(alpha / 2, np.maximum(a, 1), b + 1), 0.0)
        high_share = np.where(b > 0, stats.beta.ppf(1 - alpha / 2, a + 1, np.maximum(b, 1)), 1.0)
        low = low_share / (1 - low_share) * scale
        high = np.where(high_share < 1, high_share / (1 - high_share), np.inf) * scale
    return pd.DataFrame({"ratio": ratio, "low": low, "high": high})


def borough_disparity(
    cube: pd.DataFrame, populations: pd.DataFrame, *, group: str, definition: str, months: int
) -> pd.DataFrame:
    """One row per borough (all 33, ONS order): searches (all groups), the group's and
    White searches, Unknown searches, both groups' residents and rates (per 1,000 per
    year; NaN under SMALL_COUNT searches), the group/White rate ratio with its 95% interval
    and missing-ethnicity range, and `suppressed` (either count under SMALL_COUNT, or no
    residents: no ratio)."""
    located = cube[cube["gss_code"].notna()]
    wide = located.pivot_table(index="gss_code", columns="ethnic_group", values="searches", aggfunc="sum", fill_value=0)
    codes = [b.gss_code for b in BOROUGHS]
    wide = wide.reindex(index=codes, columns=[*groups_for(definition), UNKNOWN], fill_value=0)
    residents = group_populations(populations, definition).set_index("gss_code").reindex(codes, fill_value=0)
    frame = pd.DataFrame(
        {
            "gss_code": codes,
            "name": [b.name for b in BOROUGHS],
            "searches": wide.sum(axis=1).to_numpy(),
            "group_searches": wide[group].to_numpy(),
            "white_searches": wide[REFERENCE_GROUP].to_numpy(),
            "unknown_searches": wide[UNKNOWN].to_numpy(),
            "group_population": residents[group].to_numpy(dtype=float),
            "white_population": residents[REFERENCE_GROUP].to_numpy(dtype=float),
        }
    )
    for prefix, count, population in (
        ("group", frame["group_searches"], frame["group_population"]),
        ("white", frame["white_searches"], frame["white_population"]),
    ):
        rates = annual_rates_per_1000(count, population, months)
        frame[f"{prefix}_rate"] = np.where(count >= SMALL_COUNT, rates, np.nan)
    args = (frame["group_population"], frame["white_population"])
    exact = rate_ratios(frame["group_searches"], args[0], frame["white_searches"], args[1])
    # The missing-ethnicity range: every Unknown search given to the group, then to White.
    all_to_group = rate_ratios(
        frame["group_searches"] + frame["unknown_searches"], *args[:1], frame["white_searches"], args[1]
    )["ratio"]
    all_to_white = rate_ratios(
        frame["group_searches"], args[0], frame["white_searches"] + frame["unknown_searches"], args[1]
    )["ratio"]
    suppressed = (
        (frame["group_searches"] < SMALL_COUNT) | (frame["white_searches"] < SMALL_COUNT) | ~np.isfinite(exact["ratio"])
    )
    keep = ~suppressed
    frame["ratio"] = exact["ratio"].where(keep)
    frame["ratio_low"] = exact["low"].where(keep)
    frame["ratio_high"] = exact["high"].where(keep)
    frame["range_low"] = np.minimum(all_to_group, all_to_white).where(keep)
    frame["range_high"] = np.maximum(all_to_group, all_to_white).where(keep)
    frame["suppressed"] = suppressed.to_numpy()
    frame["residents"] = (
        populations.set_index("gss_code")["All"].reindex(codes).to_numpy(dtype=float)
        if "All" in populations.columns
        else np.nan
    )
    verdict = assess_rows(
        frame,
        count_columns=["group_searches", "white_searches"],
        estimate="ratio",
        low="ratio_low",
        high="ratio_high",
        residents="residents" if "All" in populations.columns else None,
        count_noun=f"searches of {group} or White people",
        no_figure="no residents of one of the two groups",
    )
    frame["reliable"] = verdict["reliable"].to_numpy()
    frame["reason"] = verdict["reason"].to_numpy()
    ranked = ranks(frame["ratio"], frame["ratio_low"], frame["ratio_high"], frame["reliable"])
    frame["rank"] = ranked["rank"].to_numpy()
    frame["rank_best"] = ranked["rank_best"].to_numpy()
    frame["rank_worst"] = ranked["rank_worst"].to_numpy()
    return frame


def outcome_rates(cube: pd.DataFrame, *, area: str | None, definition: str) -> pd.DataFrame:
    """Long table, one row per group × measure: `base` (searches with an outcome recorded),
    `count`, `rate` (count ÷ base) and its 95% Wilson interval, `suppressed` (base under
    SMALL_COUNT: no rate). Measures: Arrest; No further action; Positive outcome (any
    recorded outcome other than no further action)."""
    sums = (
        _in_area(cube, area)
        .groupby("ethnic_group")[["with_outcome", "arrests", "nfa"]]
        .sum()
        .reindex([*groups_for(definition), UNKNOWN], fill_value=0)
    )
    rows = []
    for group, row in sums.iterrows():
        base = int(row["with_outcome"])
        counts = dict(zip(OUTCOME_MEASURES, (row["arrests"], row["nfa"], base - row["nfa"]), strict=True))
        for measure, count in counts.items():
            rows.append(_proportion_row(group, measure, int(count), base))
    return pd.DataFrame(rows)


def _proportion_row(group: str, measure: str, count: int, base: int) -> dict[str, object]:
    suppressed = base < SMALL_COUNT
    rate = math.nan if suppressed else count / base
    low, high = (math.nan, math.nan) if suppressed else wilson_interval(rate, base)
    return {
        "ethnic_group": group,
        "measure": measure,
        "base": base,
        "count": count,
        "rate": rate,
        "low": low,
        "high": high,
        "suppressed": suppressed,
    }


def find_status(cube: pd.DataFrame, *, area: str | None) -> str:
    """Whether the find rate can be computed: 'not recorded' (no search has the field),
    'never true' (recorded, but False for every search, as the Met has recorded it since
    2024) or 'recorded'."""
    rows = _in_area(cube, area)
    if rows["linked_recorded"].sum() == 0:
        return "not recorded"
    if rows["linked"].sum() == 0:
        return "never true"
    return "recorded"


def find_rates(cube: pd.DataFrame, *, area: str | None, definition: str) -> pd.DataFrame:
    """Per group: searches whose outcome was linked to the object of search ÷ searches
    where that link was recorded, with a 95% Wilson interval (same columns as
    `outcome_rates`)."""
    sums = (
        _in_area(cube, area)
        .groupby("ethnic_group")[["linked_recorded", "linked"]]
        .sum()
        .reindex([*groups_for(definition), UNKNOWN], fill_value=0)
    )
    return pd.DataFrame(
        [
            _proportion_row(group, FIND_MEASURE, int(row["linked"]), int(row["linked_recorded"]))
            for group, row in sums.iterrows()
        ]
    )


def children_by_group(cube: pd.DataFrame, *, area: str | None, definition: str) -> pd.DataFrame:
    """Per group: searches, searches of under-18s (age 'under 10' or '10-17'), and their
    share of the group's searches with a known age (NaN under SMALL_COUNT)."""
    rows = _in_area(cube, area)
    order = [*groups_for(definition), UNKNOWN]
    known_age = rows[rows["age_range"] != "Not recorded"].groupby("ethnic_group")["searches"].sum()
    children = rows[rows["age_range"].isin(UNDER_18)].groupby("ethnic_group")["searches"].sum()
    frame = pd.DataFrame(
        {
            "ethnic_group": order,
            "searches": _searches_by_group(rows, definition).to_numpy(),
            "known_age": known_age.reindex(order, fill_value=0).astype("int64").to_numpy(),
            "under_18": children.reindex(order, fill_value=0).astype("int64").to_numpy(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = frame["under_18"] / frame["known_age"]
    frame["share"] = share.where(frame["known_age"] >= SMALL_COUNT)
    return frame


def strip_searches(cube: pd.DataFrame, *, area: str | None, definition: str) -> pd.DataFrame | None:
    """Searches with removal of more than outer clothing, by group (rows, with Unknown) and
    age range (columns, display order, plus 'Not recorded' when present) and an `All ages`
    column; None when the field was not recorded for any search in the area and period."""
    rows = _in_area(cube, area)
    if rows["removal_recorded"].sum() == 0:
        return None
    ages = [*AGE_RANGES, *(["Not recorded"] if (rows["age_range"] == "Not recorded").any() else [])]
    table = rows.pivot_table(
        index="ethnic_group", columns="age_range", values="removals", aggfunc="sum", fill_value=0
    ).reindex(index=[*groups_for(definition), UNKNOWN], columns=ages, fill_value=0)
    table["All ages"] = table.sum(axis=1)
    return table.astype("int64")


def monthly_breakdown(
    volume: pd.DataFrame, *, area: str | None, by: str, months: Sequence[date], top_objects: int = 5
) -> pd.DataFrame:
    """Searches per month (`month`, `category`, `searches`), every month and category
    present (zero-filled), for `area`: a borough's `gss_code`, or None for all London
    (including searches with no borough). `by`
    'legislation' uses the legislation groups found in London, in display order; 'object'
    keeps the `top_objects` commonest objects of search and folds the rest into
    'Anything else'."""
    rows = volume if area is None else volume[volume["gss_code"] == area]
    if by == "legislation":
        column = "legislation_group"
        present = set(volume[column])
        categories = [group for group in LEGISLATION_GROUPS if group in present]
    else:
        column = "object_of_search"
        ranked = volume.groupby(column)["searches"].sum().sort_values(ascending=False, kind="stable")
        keep = list(ranked.index[:top_objects])
        rows = rows.assign(object_of_search=rows[column].where(rows[column].isin(keep), "Anything else"))
        categories = keep + (["Anything else"] if len(ranked) > top_objects else [])
    grouped = rows.groupby(["month", column])["searches"].sum()
    index = pd.MultiIndex.from_product([list(months), categories], names=["month", column])
    frame = grouped.reindex(index, fill_value=0).astype("int64").reset_index()
    return frame.rename(columns={column: "category"})


def group_row(table: pd.DataFrame, group: str) -> pd.Series:
    """The row of a per-group table (disparity_table, children_by_group) for `group`."""
    return table[table["ethnic_group"] == group].iloc[0]


# --- One area's headline figures (Overview card, page headline, CSV, briefing) -------------


@dataclass(frozen=True)
class SearchFigure:
    """One area's searches in the covered months: count (London includes searches with no
    location), the rate per 1,000 residents a year with its exact Poisson interval, the
    group/White rate ratio (a `disparity_table` row: ratio, ratio_low, ratio_high, range_low,
    range_high, suppressed) and whether that ratio is reliable."""

    gss_code: str | None
    count: int
    residents: float
    rate: float
    rate_low: float
    rate_high: float
    group: str
    ratio_row: pd.Series
    ratio_reliability: Reliability
    cover: Coverage

    @property
    def ratio(self) -> float:
        return float(self.ratio_row["ratio"])

    @property
    def ratio_low(self) -> float:
        return float(self.ratio_row["ratio_low"])

    @property
    def ratio_high(self) -> float:
        return float(self.ratio_row["ratio_high"])

    @property
    def suppressed(self) -> bool:
        """A group or White under SMALL_COUNT searches: no ratio is shown."""
        return bool(self.ratio_row["suppressed"]) or not math.isfinite(self.ratio)


def search_figure(
    cube: pd.DataFrame,
    populations: pd.DataFrame,
    *,
    area: str | None,
    cover: Coverage,
    definition: str = SELF_DEFINED,
    group: str = "Black",
) -> SearchFigure:
    """The searches headline for one area (None: London) over the covered months, from the
    same `disparity_table` the Stop and search page draws, so both show one ratio."""
    months = max(cover.count, 1)
    table = disparity_table(cube, populations, area=area, definition=definition, months=months)
    rows = _in_area(cube, area)
    count = int(rows["searches"].sum())
    people = populations if area is None else populations[populations["gss_code"] == area]
    residents = float(people["All"].sum())
    bounds = poisson_count_interval(count)
    row = group_row(table, group)
    white = group_row(table, REFERENCE_GROUP)
    reliability = assess(
        counts=[int(row["searches"]), int(white["searches"])],
        estimate=float(row["ratio"]),
        low=float(row["ratio_low"]),
        high=float(row["ratio_high"]),
        residents=residents,
        count_noun=f"searches of {group} or White people",
    )
    return SearchFigure(
        gss_code=area,
        count=count,
        residents=residents,
        rate=annual_rate_per_1000(count, residents, months),
        rate_low=annual_rate_per_1000(bounds.low, residents, months),
        rate_high=annual_rate_per_1000(bounds.high, residents, months),
        group=group,
        ratio_row=row,
        ratio_reliability=reliability,
        cover=cover,
    )
