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
from datetime import date

import numpy as np
import pandas as pd

from lib.boroughs import BOROUGHS
from lib.metrics.disparity import SMALL_COUNT, missing_ethnicity_range, rate_ratio
from lib.metrics.proportions import wilson_interval
from lib.metrics.rates import annual_rate_interval, annual_rate_per_1000
from lib.queries.stop_search import OFFICER_DEFINED, OFFICER_GROUPS, SELF_DEFINED
from lib.vocab import AGE_RANGES, ETHNIC_GROUPS, LEGISLATION_GROUPS, REFERENCE_GROUP

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
    frame = pd.DataFrame({"gss_code": populations["gss_code"]})
    for group, census in CENSUS_GROUPS[definition].items():
        frame[group] = populations[list(census)].sum(axis=1)
    return frame


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
    Unknown searches assigned to the group, then all to White). `suppressed` rows (the
    group or White under SMALL_COUNT searches) have no rate ratio; groups under SMALL_COUNT
    have no rate either."""
    counts = _searches_by_group(_in_area(cube, area), definition)
    residents = group_populations(populations, definition)
    if area is not None:
        residents = residents[residents["gss_code"] == area]
    residents = residents.drop(columns="gss_code").sum()
    white, white_population = int(counts[REFERENCE_GROUP]), float(residents[REFERENCE_GROUP])
    unknown = int(counts[UNKNOWN])
    rows = []
    for group, searches in counts.items():
        row = {"ethnic_group": group, "searches": int(searches)}
        population = float(residents.get(group, math.nan))
        row["population"] = population
        small = searches < SMALL_COUNT or not population > 0
        rate_bounds = annual_rate_interval(int(searches), population, months) if not small else None
        row["rate"] = math.nan if small else annual_rate_per_1000(searches, population, months)
        row["rate_low"] = rate_bounds.low if rate_bounds else math.nan
        row["rate_high"] = rate_bounds.high if rate_bounds else math.nan
        row.update(ratio=math.nan, ratio_low=math.nan, ratio_high=math.nan, range_low=math.nan, range_high=math.nan)
        row["suppressed"] = bool(small)
        if group not in (UNKNOWN, REFERENCE_GROUP) and population > 0:
            ratio = rate_ratio(searches, population, white, white_population)
            row["suppressed"] = ratio.suppressed or small
            if not row["suppressed"] and math.isfinite(ratio.ratio):
                spread = missing_ethnicity_range(searches, population, white, white_population, unknown)
                row.update(
                    ratio=ratio.ratio,
                    ratio_low=ratio.low,
                    ratio_high=ratio.high,
                    range_low=spread.low,
                    range_high=spread.high,
                )
        rows.append(row)
    return pd.DataFrame(rows)


def borough_disparity(
    cube: pd.DataFrame, populations: pd.DataFrame, *, group: str, definition: str, months: int
) -> pd.DataFrame:
    """One row per borough (all 33, ONS order): searches (all groups), the group's and
    White searches, Unknown searches, both groups' residents and rates (per 1,000 per
    year), the group/White rate ratio with its 95% interval and missing-ethnicity range,
    and `suppressed` (either count under SMALL_COUNT: no ratio)."""
    located = cube[cube["gss_code"].notna()]
    wide = located.pivot_table(index="gss_code", columns="ethnic_group", values="searches", aggfunc="sum", fill_value=0)
    wide = wide.reindex(index=[b.gss_code for b in BOROUGHS], columns=[*groups_for(definition), UNKNOWN], fill_value=0)
    residents = group_populations(populations, definition).set_index("gss_code")
    rows = []
    for borough in BOROUGHS:
        count, white = int(wide.at[borough.gss_code, group]), int(wide.at[borough.gss_code, REFERENCE_GROUP])
        unknown = int(wide.at[borough.gss_code, UNKNOWN])
        population = float(residents[group].get(borough.gss_code, 0))
        white_population = float(residents[REFERENCE_GROUP].get(borough.gss_code, 0))
        ratio = rate_ratio(count, population, white, white_population)
        suppressed = ratio.suppressed or not math.isfinite(ratio.ratio)
        spread = None if suppressed else missing_ethnicity_range(count, population, white, white_population, unknown)
        rows.append(
            {
                "gss_code": borough.gss_code,
                "name": borough.name,
                "searches": int(wide.loc[borough.gss_code].sum()),
                "group_searches": count,
                "white_searches": white,
                "unknown_searches": unknown,
                "group_population": population,
                "white_population": white_population,
                "group_rate": _rate_or_nan(count, population, months),
                "white_rate": _rate_or_nan(white, white_population, months),
                "ratio": math.nan if suppressed else ratio.ratio,
                "ratio_low": math.nan if suppressed else ratio.low,
                "ratio_high": math.nan if suppressed else ratio.high,
                "range_low": spread.low if spread else math.nan,
                "range_high": spread.high if spread else math.nan,
                "suppressed": suppressed,
            }
        )
    return pd.DataFrame(rows)


def _rate_or_nan(count: int, population: float, months: int) -> float:
    """The annual rate per 1,000, or NaN for fewer than SMALL_COUNT searches."""
    return math.nan if count < SMALL_COUNT else annual_rate_per_1000(count, population, months)


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
    volume: pd.DataFrame, *, in_borough: bool, by: str, months: Sequence[date], top_objects: int = 5
) -> pd.DataFrame:
    """Searches per month (`month`, `category`, `searches`), every month and category
    present (zero-filled). `in_borough` True keeps the borough's searches, False all London
    (including unlocated). `by` 'legislation' uses the legislation groups found in London,
    in display order;
    'object' keeps the `top_objects` commonest objects of search and folds the rest into
    'Anything else'."""
    rows = volume[volume["in_borough"]] if in_borough else volume
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
