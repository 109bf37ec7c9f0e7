"""Synthetic `harm_monthly`: the Met's Monthly Crime Dashboard figures by borough and month.

Offences are Poisson around London's monthly levels (Met 2022-26 magnitudes) shared out by
borough (residents x a per-head factor ^ concentration), with a summer peak and a borough
trend. Narrower subgroups are binomial thinnings of their parent (knife crime with injury
of knife crime, victims aged 1-24 of knife crime with injury), so a subgroup never exceeds
its parent. Positive outcomes recorded in a month follow the offences of the months before
it (outcomes take time), at a rate that differs by offence and by borough. As in the
published files, cells with no offences are left out, and the City of London (policed by
the City of London Police) has no rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.boroughs import GSS_CODES
from lib.demo.common import as_date
from lib.demo.places import CRIME_PER_HEAD, by_borough
from lib.vocab import (
    CITY_OF_LONDON,
    DOMESTIC_ABUSE,
    GUN_CRIME,
    HARM_OFFENCES,
    HARM_POSITIVE_OUTCOMES,
    HATE_CRIME,
    KNIFE_CRIME,
    KNIFE_VICTIMS_1_24,
    TOTAL_NOTIFIABLE,
)

# Months of outcomes: the share of a month's positive outcomes that belong to offences 0, 1,
# 2, ... months earlier (geometric, about half within two months, a long tail after).
OUTCOME_LAGS = 0.7 ** np.arange(12)
OUTCOME_LAGS = OUTCOME_LAGS / OUTCOME_LAGS.sum()


@dataclass(frozen=True)
class Subgroup:
    group: str
    name: str
    level: float  # London offences a month at scale 1 (top-level subgroups)
    parent: str | None = None  # thinned from this subgroup instead, keeping `share`
    share: float = 1.0
    concentration: float = 1.0  # exponent on the borough per-head factor
    season: float = 0.0  # amplitude, peak in July
    outcome_rate: float | None = None  # positive outcomes per offence; None = not published


SUBGROUPS: tuple[Subgroup, ...] = (
    Subgroup(KNIFE_CRIME, "Knife Crime", 1_200, concentration=1.2, season=0.06, outcome_rate=0.125),
    Subgroup(KNIFE_CRIME, "Knife Crime with Injury", 0, "Knife Crime", 0.25, outcome_rate=0.20),
    Subgroup(
        KNIFE_CRIME, "Knife Crime with Injury (Personal Robbery)", 0, "Knife Crime with Injury", 0.13, outcome_rate=0.12
    ),
    Subgroup(KNIFE_CRIME, KNIFE_VICTIMS_1_24, 0, "Knife Crime with Injury", 0.37),
    Subgroup(KNIFE_CRIME, "Knife Injury Victims (non-domestic, 1-24)", 0, KNIFE_VICTIMS_1_24, 0.91),
    Subgroup(GUN_CRIME, "Gun Crime", 130, concentration=1.5, season=0.05, outcome_rate=0.15),
    Subgroup(GUN_CRIME, "Gun Crime (Personal Robbery)", 0, "Gun Crime", 0.18, outcome_rate=0.10),
    Subgroup(GUN_CRIME, "Lethal Barrel Discharges", 0, "Gun Crime", 0.10),
    Subgroup(DOMESTIC_ABUSE, "Domestic Abuse", 7_500, concentration=0.4, season=0.08, outcome_rate=0.09),
    Subgroup(DOMESTIC_ABUSE, "Domestic Abuse Violence with Injury", 0, "Domestic Abuse", 0.27, outcome_rate=0.13),
    Subgroup(HATE_CRIME, "Hate Crime", 1_900, concentration=1.0, season=0.08, outcome_rate=0.11),
    Subgroup(HATE_CRIME, "Racist and Religious Hate Crime", 0, "Hate Crime", 0.84, outcome_rate=0.11),
    Subgroup(HATE_CRIME, "Racist Hate Crime", 0, "Racist and Religious Hate Crime", 0.93, outcome_rate=0.11),
    Subgroup(HATE_CRIME, "Antisemitic Hate Crime", 0, "Hate Crime", 0.065, outcome_rate=0.09),
    Subgroup(HATE_CRIME, "Islamophobic Hate Crime", 0, "Hate Crime", 0.05, outcome_rate=0.08),
    Subgroup(HATE_CRIME, "Faith Hate Crime", 0, "Hate Crime", 0.08, outcome_rate=0.08),
    Subgroup(HATE_CRIME, "Homophobic Hate Crime", 0, "Hate Crime", 0.12, outcome_rate=0.10),
    Subgroup(HATE_CRIME, "Transphobic Hate Crime", 0, "Hate Crime", 0.018, outcome_rate=0.08),
    Subgroup(HATE_CRIME, "Disability Hate Crime", 0, "Hate Crime", 0.022, outcome_rate=0.07),
    Subgroup(TOTAL_NOTIFIABLE, TOTAL_NOTIFIABLE, 78_000, concentration=1.0, season=0.04, outcome_rate=0.075),
)
BY_NAME = {s.name: s for s in SUBGROUPS}


def _root(subgroup: Subgroup) -> tuple[Subgroup, float]:
    """The top-level subgroup it is thinned from, and its overall share of it."""
    share = 1.0
    while subgroup.parent is not None:
        share *= subgroup.share
        subgroup = BY_NAME[subgroup.parent]
    return subgroup, share


def harm_monthly(
    rng: np.random.Generator, months: pd.DatetimeIndex, residents: np.ndarray, scale: float
) -> pd.DataFrame:
    """The contract's `harm_monthly` for `months`; `residents` in GSS_CODES order."""
    met = np.array([code != CITY_OF_LONDON for code in GSS_CODES])
    codes = np.array(GSS_CODES)[met]
    per_head = by_borough(CRIME_PER_HEAD)[met]
    people = residents[met]
    n_months, n_boroughs = len(months), len(codes)
    # Month index from -11 (for outcomes of offences before the first month) to the last.
    t = np.arange(-(len(OUTCOME_LAGS) - 1), n_months)
    month_of_year = (months.month.to_numpy()[0] - 1 + t) % 12 + 1
    years = (t - (n_months - 1) / 2) / 12

    expected: dict[str, np.ndarray] = {}  # subgroup -> (t, borough) expected offences
    counts: dict[str, np.ndarray] = {}  # subgroup -> (month, borough) offences
    for subgroup in SUBGROUPS:
        root, share = _root(subgroup)
        if subgroup.parent is None:
            weight = people * per_head**subgroup.concentration
            growth = rng.uniform(-0.08, 0.04, n_boroughs)
            season = 1 + subgroup.season * np.cos(2 * np.pi * (month_of_year - 7) / 12)
            level = scale * subgroup.level * weight / weight.sum()
            expected[subgroup.name] = level[None, :] * season[:, None] * np.exp(growth[None, :] * years[:, None])
            counts[subgroup.name] = rng.poisson(expected[subgroup.name][-n_months:])
        else:
            expected[subgroup.name] = expected[root.name] * share
            counts[subgroup.name] = rng.binomial(counts[subgroup.parent], subgroup.share)

    frames = []
    outcome_mix = {}
    for subgroup in SUBGROUPS:
        frames.append(_long(months, codes, subgroup, HARM_OFFENCES, counts[subgroup.name]))
        if subgroup.outcome_rate is None:
            continue
        if subgroup.group not in outcome_mix:  # one borough pattern per offence group
            outcome_mix[subgroup.group] = (rng.lognormal(0.0, 0.18, n_boroughs), rng.uniform(-0.08, 0.08))
        borough_factor, drift = outcome_mix[subgroup.group]
        rate = np.minimum(
            subgroup.outcome_rate * borough_factor[None, :] * np.exp(drift * years[-n_months:, None]), 0.9
        )
        history = expected[subgroup.name]
        lagged = sum(w * history[len(OUTCOME_LAGS) - 1 - k : len(history) - k] for k, w in enumerate(OUTCOME_LAGS))
        outcomes = rng.poisson(rate * lagged)
        frames.append(_long(months, codes, subgroup, HARM_POSITIVE_OUTCOMES, outcomes))
    table = pd.concat(frames, ignore_index=True)
    return table[table["count"] > 0].reset_index(drop=True)


def _long(months: pd.DatetimeIndex, codes: np.ndarray, subgroup: Subgroup, measure: str, counts: np.ndarray):
    n_months, n_boroughs = counts.shape
    return pd.DataFrame(
        {
            "month": as_date(np.repeat(months.to_numpy(), n_boroughs)),
            "gss_code": np.tile(codes, n_months),
            "offence_group": subgroup.group,
            "offence_subgroup": subgroup.name,
            "measure": measure,
            "count": counts.reshape(-1).astype("int64"),
        }
    )
