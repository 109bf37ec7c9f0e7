"""Synthetic stop and search records, one row per search, in data.police.uk's vocabulary."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.boroughs import GSS_CODES
from lib.demo.common import as_date, draw, draw_conditional, normalised
from lib.demo.places import SEARCH_SHARE, by_borough, place
from lib.vocab import ETHNIC_GROUPS, NO_FURTHER_ACTION, ethnic_group_from_self_defined

LONDON_MONTHLY = 10_000  # searches a month at scale 1 (Met plus City of London Police)
LONDON_TREND = -0.05  # a year: searches have been falling slowly
BLACK_WHITE_RATIO = 3.5  # London searched-rate ratio against Census 2021 residents
# Searched rate relative to White residents for the other groups (before borough variation).
OTHER_RATIOS = {"Asian": 1.0, "Mixed": 1.0, "Other": 1.1}
NOT_STATED = "Other ethnic group - Not stated"
NOT_STATED_SHARE = 0.29
SELF_DEFINED_BLANK_SHARE = 0.02
OFFICER_DEFINED_BLANK_SHARE = 0.03
NO_LOCATION_SHARE = 0.08
HOTSPOT_PULL = 4.0  # searches cluster in town centres, less than street violence does

# The 18 Census 2021 self-defined categories as data.police.uk prints them, with their shares
# among people of each group who state one.
SELF_DEFINED: dict[str, dict[str, float]] = {
    "Asian": {
        "Asian/Asian British - Bangladeshi": 22,
        "Asian/Asian British - Chinese": 3,
        "Asian/Asian British - Indian": 12,
        "Asian/Asian British - Pakistani": 18,
        "Asian/Asian British - Any other Asian background": 45,
    },
    "Black": {
        "Black/African/Caribbean/Black British - African": 38,
        "Black/African/Caribbean/Black British - Caribbean": 30,
        "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": 32,
    },
    "Mixed": {
        "Mixed/Multiple ethnic groups - White and Asian": 12,
        "Mixed/Multiple ethnic groups - White and Black African": 15,
        "Mixed/Multiple ethnic groups - White and Black Caribbean": 40,
        "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": 33,
    },
    "Other": {"Other ethnic group - Arab": 30, "Other ethnic group - Any other ethnic group": 70},
    "White": {
        "White - English/Welsh/Scottish/Northern Irish/British": 62,
        "White - Irish": 3,
        "White - Gypsy or Irish Traveller": 1,
        "White - Any other White background": 34,
    },
}

# Officer-defined ethnicity (no "Mixed" option) given the person's group, rows in ETHNIC_GROUPS order.
OFFICER_DEFINED = ("Asian", "Black", "Other", "White")
_OFFICER_GIVEN_GROUP = np.array(
    [
        [90, 2, 5, 3],  # Asian
        [1, 96, 1, 2],  # Black
        [5, 55, 5, 35],  # Mixed
        [35, 10, 35, 20],  # Other
        [2, 1, 3, 94],  # White
    ]
)

LEGISLATION: dict[str, float] = {
    "Misuse of Drugs Act 1971 (section 23)": 57.0,
    "Police and Criminal Evidence Act 1984 (section 1)": 40.75,
    "Criminal Justice and Public Order Act 1994 (section 60)": 1.6,
    "Firearms Act 1968 (section 47)": 0.6,
    "Terrorism Act 2000 (section 43)": 0.05,
}
OBJECT_GIVEN_LEGISLATION: dict[str, dict[str, float]] = {
    "Misuse of Drugs Act 1971 (section 23)": {"Controlled drugs": 1},
    "Police and Criminal Evidence Act 1984 (section 1)": {
        "Offensive weapons": 33,
        "Stolen goods": 32,
        "Article for use in theft": 14,
        "Articles for use in criminal damage": 8,
        "Evidence of offences under the Act": 8,
        "Fireworks": 3,
        "Anything to threaten or harm anyone": 2,
    },
    "Criminal Justice and Public Order Act 1994 (section 60)": {
        "Offensive weapons": 70,
        "Anything to threaten or harm anyone": 30,
    },
    "Firearms Act 1968 (section 47)": {"Firearms": 1},
    "Terrorism Act 2000 (section 43)": {"Evidence of offences under the Act": 1},
}

SEARCH_TYPE = {"Person search": 80, "Person and Vehicle search": 19, "Vehicle search": 1}
GENDER = {"Male": 83, "Female": 8, "Other": 9}
AGE_RANGE = {"under 10": 0.1, "10-17": 16, "18-24": 28, "25-34": 22, "over 34": 23, None: 10.9}
# Outcomes other than "no further action", in their relative frequencies.
POSITIVE_OUTCOMES = {
    "Arrest": 17,
    "Community resolution": 10,
    "Penalty Notice for Disorder": 2.5,
    "Summons / charged by post": 1.1,
    "Caution (simple or conditional)": 0.8,
    "Khat or Cannabis warning": 0.05,
}
# Share of searches with an outcome other than NFA, by the person's group (ETHNIC_GROUPS
# order): a little lower for Black people searched, as in Met data.
POSITIVE_RATE = np.array([0.30, 0.28, 0.30, 0.30, 0.315])
# Local-time hour-of-day profile (relative): quiet before dawn, busiest in the evening.
HOUR_PROFILE = np.array([4, 3, 2.5, 2, 1.5, 1, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7, 7, 6.5, 6, 5])
OUTCOME_LINKED_FROM = np.datetime64("2024-01-01")  # the Met records it (always False) since then
REMOVAL_RECORDED_FROM = np.datetime64("2020-01-01")


def group_mix(
    residents: np.ndarray, searches: np.ndarray, black_noise: np.ndarray, other_ratio: np.ndarray
) -> np.ndarray:
    """Per borough, the ethnic mix (ETHNIC_GROUPS order) of people searched, such that the
    London Black/White searched-rate ratio against residents is BLACK_WHITE_RATIO.

    `residents` is borough x group (Census 2021), `searches` the expected searches per
    borough, `black_noise` and `other_ratio` the borough variation (rate ratios to White).
    The London ratio rises with the Black multiplier, so bisection finds it.
    """
    black, white = ETHNIC_GROUPS.index("Black"), ETHNIC_GROUPS.index("White")

    def mix(multiplier: float) -> np.ndarray:
        ratio = other_ratio.copy()
        ratio[:, black] = multiplier * black_noise
        return normalised(residents * ratio)

    def london_ratio(multiplier: float) -> float:
        searched = searches @ mix(multiplier)
        totals = residents.sum(axis=0)
        return (searched[black] / totals[black]) / (searched[white] / totals[white])

    low, high = 0.1, 50.0
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if london_ratio(middle) < BLACK_WHITE_RATIO else (low, middle)
    return mix((low + high) / 2)


def stop_search(
    rng: np.random.Generator, months: pd.DatetimeIndex, residents: np.ndarray, points: pd.DataFrame, scale: float
) -> pd.DataFrame:
    """The contract's `stop_search`. `residents` is borough (GSS_CODES order) x group
    (ETHNIC_GROUPS order) Census 2021 residents; `points` the snap points."""
    n_boroughs = len(GSS_CODES)
    share = normalised(by_borough(SEARCH_SHARE))
    years = (np.arange(len(months)) - (len(months) - 1) / 2) / 12
    growth = LONDON_TREND + rng.normal(0, 0.03, n_boroughs)
    season = 1 + 0.05 * np.cos(2 * np.pi * (months.month.to_numpy() - 5) / 12)  # spring/summer high
    expected = scale * LONDON_MONTHLY * share[None] * season[:, None] * np.exp(growth[None] * years[:, None])
    counts = rng.poisson(expected)  # month x borough
    month_of = np.repeat(np.arange(len(months)), counts.sum(axis=1))
    borough_of = np.repeat(np.tile(np.arange(n_boroughs), len(months)), counts.reshape(-1))
    n = len(month_of)

    # Who was searched: the borough's ethnic mix, with borough-to-borough variation in ratios.
    black_noise = np.exp(np.clip(rng.normal(0, 0.3, n_boroughs), -0.5, 0.5))
    other_ratio = np.ones((n_boroughs, len(ETHNIC_GROUPS)))
    for group, ratio in OTHER_RATIOS.items():
        other_ratio[:, ETHNIC_GROUPS.index(group)] = ratio * np.exp(rng.normal(0, 0.15, n_boroughs))
    mix = group_mix(residents, expected.mean(axis=0), black_noise, other_ratio)
    group_of = draw_conditional(rng, mix, borough_of)

    frame = pd.DataFrame({"type": draw(rng, SEARCH_TYPE, n)})
    person = frame["type"].to_numpy() != "Vehicle search"  # vehicle-only searches record no person
    frame["gender"] = np.where(person, draw(rng, GENDER, n), None)
    frame["age_range"] = np.where(person, draw(rng, AGE_RANGE, n), None)
    frame["self_defined_ethnicity"] = np.where(person, _self_defined(rng, group_of), None)
    officer = np.array(OFFICER_DEFINED, dtype=object)[draw_conditional(rng, _OFFICER_GIVEN_GROUP, group_of)]
    officer_blank = rng.random(n) < OFFICER_DEFINED_BLANK_SHARE
    frame["officer_defined_ethnicity"] = np.where(person & ~officer_blank, officer, None)
    labels = frame["self_defined_ethnicity"]
    harmonised = {label: ethnic_group_from_self_defined(label) for label in labels.dropna().unique()}
    frame["ethnic_group"] = labels.map(harmonised).fillna("Unknown")

    frame["legislation"] = draw(rng, LEGISLATION, n)
    frame["object_of_search"] = _objects(rng, frame["legislation"].to_numpy())
    positive = rng.random(n) < POSITIVE_RATE[group_of]
    frame["outcome"] = np.where(positive, draw(rng, POSITIVE_OUTCOMES, n), NO_FURTHER_ACTION)

    month_start = months.to_numpy()[month_of]
    frame["outcome_linked"] = pd.array(np.where(month_start >= OUTCOME_LINKED_FROM, False, None), dtype="boolean")
    removal = rng.random(n) < 0.015
    frame["removal_more_than_outer"] = pd.array(
        np.where(month_start >= REMOVAL_RECORDED_FROM, removal, None), dtype="boolean"
    )

    located = rng.random(n) >= NO_LOCATION_SHARE
    snap = place(rng, points, [HOTSPOT_PULL], np.zeros(n, dtype=np.int64), borough_of)
    frame["lat"] = np.where(located, points["lat"].to_numpy()[snap], np.nan)
    frame["lon"] = np.where(located, points["lon"].to_numpy()[snap], np.nan)
    frame["gss_code"] = np.where(located, np.array(GSS_CODES, dtype=object)[borough_of], None)
    city = GSS_CODES.index("E09000001")
    frame["force"] = np.where(borough_of == city, "city-of-london", "metropolitan")

    frame["searched_at"] = _searched_at(rng, months, month_of)
    frame["month"] = as_date(month_start)
    columns = [
        "searched_at",
        "month",
        "gss_code",
        "lat",
        "lon",
        "type",
        "gender",
        "age_range",
        "self_defined_ethnicity",
        "officer_defined_ethnicity",
        "ethnic_group",
        "legislation",
        "object_of_search",
        "outcome",
        "outcome_linked",
        "removal_more_than_outer",
        "force",
    ]
    return frame[columns].sort_values("searched_at", kind="stable", ignore_index=True)


def _self_defined(rng: np.random.Generator, group_of: np.ndarray) -> np.ndarray:
    """A self-defined label for each person: "Not stated" for ~29%, blank for ~2%, else one
    of their group's Census categories."""
    labels = np.empty(len(group_of), dtype=object)
    for index, group in enumerate(ETHNIC_GROUPS):
        rows = np.flatnonzero(group_of == index)
        labels[rows] = draw(rng, SELF_DEFINED[group], len(rows))
    u = rng.random(len(group_of))
    labels[u < NOT_STATED_SHARE] = NOT_STATED
    labels[(u >= NOT_STATED_SHARE) & (u < NOT_STATED_SHARE + SELF_DEFINED_BLANK_SHARE)] = None
    return labels


def _objects(rng: np.random.Generator, legislation: np.ndarray) -> np.ndarray:
    """An object of search consistent with each search's legislation."""
    objects = np.empty(len(legislation), dtype=object)
    for act, mix in OBJECT_GIVEN_LEGISLATION.items():
        rows = np.flatnonzero(legislation == act)
        objects[rows] = draw(rng, mix, len(rows))
    return objects


def _searched_at(rng: np.random.Generator, months: pd.DatetimeIndex, month_of: np.ndarray) -> pd.Series:
    """UTC timestamps (to the second) spread over each search's London-local month, busier in
    the evening. In British Summer Time, local midnight on the 1st is 23:00 UTC the day before."""
    n = len(month_of)
    days = months.days_in_month.to_numpy()[month_of]
    day = np.floor(rng.random(n) * days).astype(np.int64)
    hour = rng.choice(24, size=n, p=normalised(HOUR_PROFILE))
    seconds = day * 86_400 + hour * 3_600 + rng.integers(0, 3_600, n)
    local = months.to_numpy().astype("datetime64[s]")[month_of] + seconds.astype("timedelta64[s]")
    stamps = pd.DatetimeIndex(local).tz_localize(
        "Europe/London", ambiguous=np.ones(n, dtype=bool), nonexistent="shift_forward"
    )
    return pd.Series(stamps.tz_convert("UTC"))
