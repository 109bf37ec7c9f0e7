"""Synthetic recorded crime: borough monthly counts and the street-level points behind them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.boroughs import GSS_CODES
from lib.contract import TEXT
from lib.demo.common import as_date, draw_conditional
from lib.demo.places import CRIME_PER_HEAD, by_borough, place
from lib.vocab import CRIME_CATEGORIES, KNIFE_CRIME, VIOLENCE

# London-wide recorded crimes per month at scale 1, by minor category (Met levels, 2023-25).
LONDON_MONTHLY: dict[str, float] = {
    "Violence with Injury": 6_200,
    "Violence without Injury": 14_500,
    "Homicide": 9,
    "Robbery of Personal Property": 2_800,
    "Robbery of Business Property": 250,
    "Rape": 700,
    "Other Sexual Offences": 1_300,
    "Possession of Weapons": 500,
    "Burglary - Residential": 3_800,
    "Burglary - Business and Community": 1_200,
    "Theft from the Person": 7_500,
    "Bicycle Theft": 1_700,
    "Shoplifting": 6_000,
    "Other Theft": 18_000,
    "Theft from a Motor Vehicle": 5_000,
    "Theft or Taking of a Motor Vehicle": 2_800,
    "Interfering with a Motor Vehicle": 1_100,
    "Aggravated Vehicle Taking": 100,
    "Arson": 150,
    "Criminal Damage": 4_650,
    "Possession of Drugs": 2_800,
    "Trafficking of Drugs": 450,
    "Public Fear Alarm or Distress": 4_300,
    "Racially or Religiously Aggravated Public Fear": 450,
    "Violent Disorder": 30,
    "Other Offences Against the State or Public Order": 320,
    "Miscellaneous Crimes Against Society": 1_300,
    "Fraud and Forgery": 100,
    # A flag on offences counted above, so not part of the London total.
    "Knife Crime with Injury": 300,
    "Knife Crime without Injury": 900,
}

# How strongly a category follows CRIME_PER_HEAD (exponent): theft and knife crime pile up in
# central boroughs, burglary and vehicle crime much less so.
CONCENTRATION_BY_MAJOR: dict[str, float] = {
    VIOLENCE: 0.9,
    "Robbery": 1.2,
    "Sexual Offences": 0.9,
    "Possession of Weapons": 1.0,
    "Burglary": 0.4,
    "Theft": 1.2,
    "Vehicle Offences": 0.3,
    "Arson and Criminal Damage": 0.6,
    "Drug Offences": 1.0,
    "Public Order Offences": 0.9,
    "Miscellaneous Crimes Against Society": 0.8,
    "Fraud and Forgery": 0.8,
    KNIFE_CRIME: 1.2,
}

# Seasonal amplitude (fraction above the mean in July, below it in January): violence peaks in
# summer, burglary in the dark winter months.
SEASON_BY_MAJOR: dict[str, float] = {
    VIOLENCE: 0.10,
    "Sexual Offences": 0.06,
    "Public Order Offences": 0.06,
    "Theft": 0.03,
    "Burglary": -0.08,
    "Robbery": -0.04,
    KNIFE_CRIME: 0.06,
}

# data.police.uk street-crime type for each harmonised minor category (fraud and the knife
# crime flag have no street-level equivalent).
POLICE_UK_TYPE: dict[str, str] = {
    **dict.fromkeys(CRIME_CATEGORIES[VIOLENCE] + CRIME_CATEGORIES["Sexual Offences"], "Violence and sexual offences"),
    **dict.fromkeys(CRIME_CATEGORIES["Robbery"], "Robbery"),
    "Possession of Weapons": "Possession of weapons",
    **dict.fromkeys(CRIME_CATEGORIES["Burglary"], "Burglary"),
    "Theft from the Person": "Theft from the person",
    "Bicycle Theft": "Bicycle theft",
    "Shoplifting": "Shoplifting",
    "Other Theft": "Other theft",
    **dict.fromkeys(CRIME_CATEGORIES["Vehicle Offences"], "Vehicle crime"),
    **dict.fromkeys(CRIME_CATEGORIES["Arson and Criminal Damage"], "Criminal damage and arson"),
    **dict.fromkeys(CRIME_CATEGORIES["Drug Offences"], "Drugs"),
    **dict.fromkeys(CRIME_CATEGORIES["Public Order Offences"], "Public order"),
    "Miscellaneous Crimes Against Society": "Other crime",
}
STREET_TYPES: tuple[str, ...] = tuple(dict.fromkeys(POLICE_UK_TYPE.values()))

# How much each street type packs into town centres (see places.location_cdfs).
HOTSPOT_PULL: dict[str, float] = {
    "Violence and sexual offences": 4,
    "Robbery": 6,
    "Possession of weapons": 4,
    "Burglary": 0.2,
    "Theft from the person": 15,
    "Bicycle theft": 3,
    "Shoplifting": 8,
    "Other theft": 3,
    "Vehicle crime": 0.3,
    "Criminal damage and arson": 1,
    "Drugs": 4,
    "Public order": 4,
    "Other crime": 2,
}

# police.uk "Last outcome category" once a case has settled (relative weights), for reactive
# crime and for offences found by police action (drugs, weapons), which nearly always have a suspect.
SETTLED_OUTCOMES: tuple[str, ...] = (
    "Investigation complete; no suspect identified",
    "Unable to prosecute suspect",
    "Status update unavailable",
    "Court result unavailable",
    "Awaiting court outcome",
    "Local resolution",
    "Offender given a caution",
    "Formal action is not in the public interest",
    "Further investigation is not in the public interest",
    "Action to be taken by another organisation",
    "Suspect charged as part of another case",
    "Offender given penalty notice",
)
_REACTIVE_MIX = (48, 25, 6, 5, 4, 3, 1, 2, 3, 2, 1, 0.5)
_PROACTIVE_MIX = (3, 20, 6, 10, 14, 18, 12, 6, 4, 2, 2, 3)
UNDER_INVESTIGATION = "Under investigation"
OUTCOME_LABELS: tuple[str, ...] = (UNDER_INVESTIGATION, *SETTLED_OUTCOMES)


def _minor_table() -> pd.DataFrame:
    """One row per (major, minor) in vocabulary order."""
    return pd.DataFrame(
        [(major, minor) for major, minors in CRIME_CATEGORIES.items() for minor in minors],
        columns=["major_category", "minor_category"],
    )


def crime_monthly(
    rng: np.random.Generator, months: pd.DatetimeIndex, residents: np.ndarray, scale: float
) -> pd.DataFrame:
    """The contract's `crime_monthly`: Poisson counts for every month x borough x category.

    Expected count = London monthly level x borough share (residents x per-head factor ^
    concentration) x season x a borough trend (log-linear, -8% to +5% a year, centred on the
    middle of the period so the period's London average stays at LONDON_MONTHLY).
    `residents` are Census 2021 all-resident counts in GSS_CODES order.
    """
    minors = _minor_table()
    majors = minors["major_category"].to_numpy()
    per_head = by_borough(CRIME_PER_HEAD)
    alpha = np.array([CONCENTRATION_BY_MAJOR[m] for m in majors])
    weight = residents[:, None] * per_head[:, None] ** alpha  # borough x minor
    share = weight / weight.sum(axis=0)

    month_of_year = months.month.to_numpy()
    amplitude = np.array([SEASON_BY_MAJOR.get(m, 0.0) for m in majors])
    season = 1 + amplitude * np.cos(2 * np.pi * (month_of_year[:, None] - 7) / 12)  # month x minor

    n_boroughs = len(GSS_CODES)
    growth = rng.uniform(-0.08, 0.05, n_boroughs)[:, None] + rng.normal(0, 0.02, (n_boroughs, len(minors)))
    years = (np.arange(len(months)) - (len(months) - 1) / 2) / 12
    trend = np.exp(growth[None, :, :] * years[:, None, None])  # month x borough x minor

    level = np.array([LONDON_MONTHLY[m] for m in minors["minor_category"]])
    expected = scale * level * share[None] * season[:, None, :] * trend
    counts = rng.poisson(expected)

    index = pd.MultiIndex.from_product(
        [range(len(months)), range(n_boroughs), range(len(minors))], names=["m", "b", "c"]
    ).to_frame(index=False)
    return pd.DataFrame(
        {
            "month": as_date(months.to_numpy()[index["m"]]),
            "gss_code": pd.Categorical.from_codes(index["b"], categories=list(GSS_CODES)),
            "major_category": minors["major_category"].to_numpy()[index["c"]],
            "minor_category": minors["minor_category"].to_numpy()[index["c"]],
            "count": counts.reshape(-1).astype("int64"),
        }
    )


def crime_points(
    rng: np.random.Generator, monthly: pd.DataFrame, points: pd.DataFrame, months: pd.DatetimeIndex
) -> pd.DataFrame:
    """The contract's `crime_points`: one row per street-level crime, agreeing exactly with
    `monthly` per borough, month and police.uk type. Each crime sits on one of its borough's
    snap points (lat/lon in degrees), chosen with the type's pull towards town centres; recent
    months have more cases still "Under investigation"."""
    street = monthly[monthly["minor_category"].isin(POLICE_UK_TYPE.keys())]
    repeat = street["count"].to_numpy()
    type_index = street["minor_category"].map({m: STREET_TYPES.index(t) for m, t in POLICE_UK_TYPE.items()})
    type_of = np.repeat(type_index.to_numpy(dtype=np.int64), repeat)
    borough_of = np.repeat(street["gss_code"].cat.codes.to_numpy(dtype=np.int64), repeat)
    month_pos = pd.DatetimeIndex(np.asarray(street["month"], dtype="datetime64[ns]"))
    month_of = np.repeat(months.get_indexer(month_pos), repeat)

    snap = place(rng, points, [HOTSPOT_PULL[t] for t in STREET_TYPES], type_of, borough_of)

    return pd.DataFrame(
        {
            "month": as_date(months.to_numpy()[month_of]),
            "crime_type": pd.Categorical.from_codes(type_of, categories=list(STREET_TYPES)),
            "lat": points["lat"].to_numpy()[snap],
            "lon": points["lon"].to_numpy()[snap],
            "gss_code": pd.Categorical.from_codes(borough_of, categories=list(GSS_CODES)),
            "lsoa_code": pd.Series(None, index=range(len(snap)), dtype=TEXT),  # no LSOA geography ships
            "outcome": _street_outcomes(rng, type_of, len(months) - 1 - month_of),
        }
    )


def _street_outcomes(rng: np.random.Generator, type_of: np.ndarray, age_months: np.ndarray) -> pd.Categorical:
    """police.uk last-outcome labels: "Under investigation" for about half of last month's
    crimes, fading to ~4% after a year; otherwise a settled outcome by kind of crime."""
    proactive = np.isin(type_of, [STREET_TYPES.index("Drugs"), STREET_TYPES.index("Possession of weapons")])
    mixes = np.array([_REACTIVE_MIX, _PROACTIVE_MIX])
    settled = 1 + draw_conditional(rng, mixes, proactive.astype(np.int64))
    pending = rng.random(len(type_of)) < 0.04 + 0.5 * np.exp(-age_months / 3)
    return pd.Categorical.from_codes(np.where(pending, 0, settled), categories=list(OUTCOME_LABELS))


# The Met's share of recorded crime with borough "Unknown" (its 2025 borough files): 1.7-4%
# of each month's crimes up to August 2024, about 0.5% from September 2024.
UNALLOCATED_BEFORE = (0.017, 0.04)
UNALLOCATED_AFTER = (0.004, 0.006)
UNALLOCATED_FALLS = pd.Timestamp("2024-09-01").date()


def crime_unallocated(rng: np.random.Generator, monthly: pd.DataFrame) -> pd.DataFrame:
    """The contract's optional `crime_unallocated`: per month and major category, crimes
    recorded with no borough (a share drawn per month as in the Met's files) and all crimes
    recorded (the boroughs' counts plus those)."""
    allocated = monthly.groupby(["month", "major_category"], as_index=False, observed=True)["count"].sum()
    months = sorted(allocated["month"].unique())
    low = np.array([UNALLOCATED_AFTER[0] if m >= UNALLOCATED_FALLS else UNALLOCATED_BEFORE[0] for m in months])
    high = np.array([UNALLOCATED_AFTER[1] if m >= UNALLOCATED_FALLS else UNALLOCATED_BEFORE[1] for m in months])
    share_by_month = dict(zip(months, rng.uniform(low, high), strict=True))
    share = allocated["month"].map(share_by_month).to_numpy(dtype=float)
    unallocated = rng.poisson(allocated["count"].to_numpy(dtype=float) * share / (1 - share))
    return pd.DataFrame(
        {
            "month": as_date(pd.to_datetime(allocated["month"]).to_numpy()),
            "major_category": allocated["major_category"].to_numpy(),
            "unallocated": unallocated.astype("int64"),
            "recorded": (allocated["count"].to_numpy() + unallocated).astype("int64"),
        }
    )
