"""The demo's synthetic harm_monthly: London's magnitudes, subgroups inside their parents,
outcome rates that differ by offence and borough, deterministic and fast."""

from __future__ import annotations

import time

import duckdb
import numpy as np
import pandas as pd
import pytest

from lib.boroughs import GSS_CODES
from lib.contract import open_snapshot
from lib.demo import population_table
from lib.demo.common import month_starts
from lib.demo.harm import CITY_OF_LONDON, SUBGROUPS, harm_monthly

MONTHS = month_starts("2025-09", 48)


def _residents() -> np.ndarray:
    population = population_table()
    return population[population["ethnic_group"] == "All"].set_index("gss_code").loc[list(GSS_CODES), "population"]


def _build(seed: int = 1, scale: float = 1.0, months=MONTHS) -> pd.DataFrame:
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 13])))
    return harm_monthly(rng, months, _residents().to_numpy(dtype=float), scale)


@pytest.fixture(scope="module")
def harm() -> pd.DataFrame:
    return _build()


def _wide(harm: pd.DataFrame) -> pd.DataFrame:
    return harm.pivot_table(
        index=["month", "gss_code", "offence_subgroup"], columns="measure", values="count", fill_value=0
    )


def _london_per_month(harm: pd.DataFrame, subgroup: str, measure: str = "offences") -> float:
    rows = harm[(harm["offence_subgroup"] == subgroup) & (harm["measure"] == measure)]
    return rows["count"].sum() / harm["month"].nunique()


def test_deterministic_by_seed_and_fast():
    started = time.perf_counter()
    first = _build(seed=3, months=month_starts("2025-09", 60))
    assert time.perf_counter() - started < 3  # 60 months at full scale
    pd.testing.assert_frame_equal(first, _build(seed=3, months=month_starts("2025-09", 60)))
    assert not _build(seed=4, months=month_starts("2025-09", 60))["count"].equals(first["count"])


def test_london_magnitudes(harm):
    # Met 2022-26 levels (London Datastore): about 1,200 knife crimes, 300 with injury and
    # 110 victims aged 1-24 injured by a knife a month; 7,500 domestic abuse offences.
    assert 1_100 < _london_per_month(harm, "Knife Crime") < 1_300
    assert 270 < _london_per_month(harm, "Knife Crime with Injury") < 330
    assert 95 < _london_per_month(harm, "Knife Injury Victims (1-24)") < 130
    assert 7_000 < _london_per_month(harm, "Domestic Abuse") < 8_000
    assert 70_000 < _london_per_month(harm, "Total Notifiable Offences") < 86_000


def test_shape_as_published(harm):
    assert CITY_OF_LONDON not in set(harm["gss_code"])  # policed by the City of London Police
    assert harm["gss_code"].nunique() == 32
    assert harm["count"].min() > 0  # zero cells are left out, as in the Met's files
    assert not harm.duplicated(["month", "gss_code", "offence_subgroup", "measure"]).any()
    no_outcomes = {s.name for s in SUBGROUPS if s.outcome_rate is None}
    published = set(harm.loc[harm["measure"] == "positive_outcomes", "offence_subgroup"])
    assert published == {s.name for s in SUBGROUPS} - no_outcomes


def test_every_subgroup_within_its_parent(harm):
    offences = _wide(harm)["offences"].unstack("offence_subgroup", fill_value=0)
    for subgroup in SUBGROUPS:
        if subgroup.parent:
            assert (offences[subgroup.name] <= offences[subgroup.parent]).all(), subgroup.name


def test_outcome_rates_differ_by_offence_and_borough(harm):
    wide = _wide(harm).groupby(["gss_code", "offence_subgroup"]).sum()
    rate = (wide["positive_outcomes"] / wide["offences"]).unstack("offence_subgroup")
    london = wide.groupby("offence_subgroup").sum()
    overall = london["positive_outcomes"] / london["offences"]
    assert overall["Knife Crime with Injury"] > overall["Knife Crime"] > overall["Total Notifiable Offences"]
    assert 0.10 < overall["Knife Crime"] < 0.15
    spread = rate["Domestic Abuse"]
    assert spread.max() / spread.min() > 1.4  # boroughs differ, as the Met's do


def test_summer_peak(harm):
    domestic = harm[(harm["offence_subgroup"] == "Domestic Abuse") & (harm["measure"] == "offences")]
    by_month = domestic.groupby(pd.to_datetime(domestic["month"].astype(str)).dt.month)["count"].sum()
    assert by_month[7] > 1.1 * by_month[1]


def test_magnitudes_agree_with_the_real_knife_crime_file(harm, shared_real):
    """The third party's conversion of the Met's knife crime file (2022-03 to 2026-02)."""
    path = shared_real / "mps_datastore_derived_parquet" / "monthly-crime-dashboard.parquet"
    real = duckdb.sql(
        f"""
        SELECT crime_subtype AS subgroup, measure, sum(count) / count(DISTINCT month_year) AS per_month
        FROM '{path}' WHERE area_type = 'Borough' GROUP BY ALL
        """
    ).df()
    published = {
        "Knife Crime": "Knife Crime",
        "Knife Crime with Injury": "Knife Crime with Injury",
        "Knife Injury Victims (1-24)": "Knife Injury Victims (1-24)",
    }
    for ours, theirs in published.items():
        real_level = real[(real["subgroup"] == theirs) & (real["measure"] == "Offences")]["per_month"].iloc[0]
        assert abs(_london_per_month(harm, ours) / real_level - 1) < 0.15, ours
    for ours in ("Knife Crime", "Knife Crime with Injury"):
        real_rate = (
            real[(real["subgroup"] == ours) & (real["measure"] == "Positive Outcomes")]["per_month"].iloc[0]
            / real[(real["subgroup"] == ours) & (real["measure"] == "Offences")]["per_month"].iloc[0]
        )
        ours_rate = _london_per_month(harm, ours, "positive_outcomes") / _london_per_month(harm, ours)
        assert abs(ours_rate - real_rate) < 0.03, ours


def test_demo_snapshot_carries_harm_monthly(small_snapshot):
    snapshot = open_snapshot(small_snapshot)
    assert snapshot.has("harm_monthly")
    table = pd.read_parquet(snapshot.tables["harm_monthly"])
    assert set(table["measure"]) == {"offences", "positive_outcomes"}
