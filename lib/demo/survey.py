"""Synthetic Public Attitude Survey results: rolling-year proportions by borough and group.

Each quarter's interviews are simulated (binomial draws around a smooth true value) and
summed over the last four quarters, as MOPAC's rolling-year figures are; so consecutive
published values share three quarters of their sample and move smoothly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.boroughs import GSS_CODES
from lib.contract import TEXT
from lib.demo.common import as_date, normalised
from lib.vocab import SURVEY_GROUPS, SURVEY_MEASURES

# London level at the end of the period and its fall per year before that (proportions).
LEVEL: dict[str, tuple[float, float]] = {
    "trust": (0.67, 0.025),
    "good_job": (0.48, 0.015),
    "fair": (0.68, 0.010),
    "listen": (0.63, 0.010),
    "relied_on": (0.58, 0.015),
    "understand": (0.68, 0.010),
    "informed": (0.39, 0.010),
    "contact_officer": (0.17, 0.005),
}
# Group differences in proportion points before centring on London (MOPAC's pattern: Black
# Londoners ~12 points lower on trust and fairness, young people lower than older people).
GROUP_OFFSET: dict[str, dict[str, float]] = {
    "Asian": {"*": 0.02},
    "Black": {"trust": -0.12, "fair": -0.12, "contact_officer": -0.02, "*": -0.08},
    "Mixed": {"*": -0.06},
    "Other": {"*": 0.0},
    "White": {"*": 0.0},
    "16-24": {"*": -0.05},
    "25-34": {"*": -0.03},
    "35-44": {"*": -0.01},
    "45-54": {"*": 0.0},
    "55-64": {"*": 0.01},
    "65+": {"*": 0.03},
    "Female": {"*": 0.01},
    "Male": {"*": -0.01},
}
# Measures near 0 or 1 spread less between boroughs and groups (a multiplier on the offsets).
SPREAD: dict[str, float] = {"contact_officer": 0.4, "informed": 0.8}
AGE_SHARE = (0.14, 0.22, 0.19, 0.16, 0.13, 0.16)  # London residents 16+, SURVEY_GROUPS["age"] order
GENDER_SHARE = (0.51, 0.49)
BOROUGH_BASE = (350, 450)  # respondents per borough per rolling year
QUARTERS_PER_YEAR = 4


def _wiggle(rng: np.random.Generator, shape: tuple[int, ...], sd: float = 0.01, phi: float = 0.7) -> np.ndarray:
    """Slow AR(1) drift along the last axis (quarters), in proportion points."""
    noise = rng.normal(0, sd, shape)
    for q in range(1, shape[-1]):
        noise[..., q] += phi * noise[..., q - 1]
    return noise


def _rolling_year(values: np.ndarray) -> np.ndarray:
    """Sum over each quarter and the three before it (last axis); the first three are dropped."""
    cumulative = np.cumsum(values, axis=-1)
    padded = np.concatenate([np.zeros_like(cumulative[..., :1]), cumulative], axis=-1)
    return padded[..., QUARTERS_PER_YEAR:] - padded[..., :-QUARTERS_PER_YEAR]


def survey(rng: np.random.Generator, months: pd.DatetimeIndex, ethnic_share: np.ndarray) -> pd.DataFrame:
    """The contract's `survey` for each quarter end inside `months`: London and its 32 PAS
    boroughs (the City of London is not surveyed) with group "All", plus London by ethnicity,
    age and gender. `ethnic_share` is London's Census 2021 ethnic mix (ETHNIC_GROUPS order)."""
    ends = months[months.month % 3 == 0] + pd.offsets.MonthEnd(0)
    measures = list(SURVEY_MEASURES)
    boroughs = [code for code in GSS_CODES if code != "E09000001"]
    groups = [(kind, group) for kind, names in SURVEY_GROUPS.items() for group in names]
    n_quarters = len(ends) + QUARTERS_PER_YEAR - 1
    years_before_end = (np.arange(n_quarters) - (n_quarters - 1)) / QUARTERS_PER_YEAR  # <= 0
    recent = np.array([LEVEL[m][0] for m in measures])
    decline = np.array([LEVEL[m][1] for m in measures])
    spread = np.array([SPREAD.get(m, 1.0) for m in measures])
    london = recent[:, None] - decline[:, None] * years_before_end + _wiggle(rng, (len(measures), n_quarters))

    # Boroughs: persistent offsets (partly shared across measures) within +-8 points.
    common = rng.normal(0, 0.04, (len(boroughs), 1))
    offset = spread * np.clip(0.7 * common + 0.3 * rng.normal(0, 0.04, (len(boroughs), len(measures))), -0.08, 0.08)
    true_borough = london + offset[:, :, None] + _wiggle(rng, (len(boroughs), len(measures), n_quarters))
    base = rng.uniform(*BOROUGH_BASE, len(boroughs))
    asked_borough = rng.poisson(base[:, None, None] / QUARTERS_PER_YEAR, (len(boroughs), 1, n_quarters))
    yes_borough = rng.binomial(np.broadcast_to(asked_borough, true_borough.shape), np.clip(true_borough, 0.01, 0.99))

    # Groups: London's respondents split by group share, each group offset from London.
    shares = {"ethnicity": ethnic_share, "age": np.array(AGE_SHARE), "gender": np.array(GENDER_SHARE)}
    asked_london = asked_borough.sum(axis=0)[0]  # quarters
    asked_group = np.vstack([rng.multinomial(asked_london, normalised(shares[kind])).T for kind in SURVEY_GROUPS])[
        :, None, :
    ]
    group_offset = spread * np.array(
        [[GROUP_OFFSET[g].get(m, GROUP_OFFSET[g]["*"]) for m in measures] for _, g in groups]
    )
    for kind in SURVEY_GROUPS:  # centre so the groups average to London
        rows = [i for i, (k, _) in enumerate(groups) if k == kind]
        group_offset[rows] -= normalised(shares[kind]) @ group_offset[rows]
    true_group = (
        true_borough.mean(axis=0) + group_offset[:, :, None] + _wiggle(rng, (len(groups), len(measures), n_quarters))
    )
    yes_group = rng.binomial(np.broadcast_to(asked_group, true_group.shape), np.clip(true_group, 0.01, 0.99))

    # Rolling-year series: London (sum of boroughs), 32 boroughs, 13 London groups.
    yes = np.concatenate([yes_borough.sum(axis=0, keepdims=True), yes_borough, yes_group])
    asked = np.concatenate([asked_borough.sum(axis=0, keepdims=True), asked_borough, asked_group])
    yes, asked = _rolling_year(yes), _rolling_year(np.broadcast_to(asked, yes.shape))
    series = [(None, "all", "All")] + [(code, "all", "All") for code in boroughs] + [(None, k, g) for k, g in groups]

    s, m, q = (axis.reshape(-1) for axis in np.indices(yes.shape))
    return pd.DataFrame(
        {
            "period_end": as_date(ends.to_numpy()[q]),
            "gss_code": pd.Series([series[i][0] for i in s], dtype=TEXT),
            "measure": np.array(measures, dtype=object)[m],
            "group_type": np.array([x[1] for x in series], dtype=object)[s],
            "group": np.array([x[2] for x in series], dtype=object)[s],
            "proportion": np.round(yes.reshape(-1) / asked.reshape(-1), 2),
            "base": asked.reshape(-1).astype(float),
        }
    ).sort_values(["period_end", "measure"], kind="stable", ignore_index=True)
