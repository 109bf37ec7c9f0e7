"""The demo snapshot generator: contract, determinism, internal consistency and realism.

One small snapshot (24 months at 2% of London's volumes) is built per module; a 2-month run at
full scale checks magnitudes. Expected figures are computed here from the raw rows, by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from lib.boroughs import GSS_CODES
from lib.contract import open_snapshot
from lib.demo import CENSUS_CSV, DemoSpec, write_demo
from lib.demo.__main__ import parse_spec
from lib.demo.places import town_centres
from lib.geo import reference_boroughs
from lib.vocab import CRIME_CATEGORIES, OUTCOMES, SURVEY_GROUPS, SURVEY_MEASURES

ROOT = Path(__file__).resolve().parent.parent
SPEC = DemoSpec(months=24, scale=0.02, seed=3)
CITY = "E09000001"
NOT_STATED = "Other ethnic group - Not stated"

# police.uk street type by harmonised category, written out independently of lib.demo.
STREET_TYPE = {
    "Violence Against the Person": "Violence and sexual offences",
    "Sexual Offences": "Violence and sexual offences",
    "Robbery": "Robbery",
    "Possession of Weapons": "Possession of weapons",
    "Burglary": "Burglary",
    "Vehicle Offences": "Vehicle crime",
    "Arson and Criminal Damage": "Criminal damage and arson",
    "Drug Offences": "Drugs",
    "Public Order Offences": "Public order",
    "Miscellaneous Crimes Against Society": "Other crime",
    "Theft from the Person": "Theft from the person",
    "Bicycle Theft": "Bicycle theft",
    "Shoplifting": "Shoplifting",
    "Other Theft": "Other theft",
}


def _month(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series.astype(str))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "snapshot", SPEC)


@pytest.fixture(scope="module")
def tables(demo) -> dict[str, pd.DataFrame]:
    names = ("population", "crime_monthly", "crime_points", "crime_cells", "crime_unallocated", "stop_search", "survey")
    return {name: pd.read_parquet(demo / f"{name}.parquet") for name in names}


def _table_hashes(folder: Path) -> dict[str, str]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return {name: info["sha256"] for name, info in manifest["tables"].items()}


# --- contract and manifest ---------------------------------------------------------------


def test_snapshot_meets_the_contract_with_every_table(demo):
    snapshot = open_snapshot(demo)
    assert snapshot.is_demo
    assert snapshot.title == "Demo data (synthetic)"
    assert snapshot.snapshot_id == "demo-s3-24m-x0.02"
    expected = {
        "boroughs",
        "population",
        "crime_monthly",
        "crime_points",
        "crime_cells",
        "crime_unallocated",
        "stop_search",
        "survey",
        "harm_monthly",
    }
    assert set(snapshot.tables) == expected
    assert snapshot.manifest["period"] == {"from": "2023-10", "to": "2025-09"}


def test_manifest_names_the_real_reference_files(demo):
    sources = json.loads((demo / "manifest.json").read_text())["sources"]
    files = {f["path"] for source in sources for f in source["files"]}
    assert files == {"data/reference/boroughs.parquet", "data/reference/census2021_ethnic_group.csv"}
    text = json.dumps(sources)
    assert "vega-datasets@3.2.1" in text
    assert "Open Government Licence v3.0" in text
    assert "Census 2021" in text


def test_same_seed_gives_identical_tables_and_another_seed_differs(demo, tmp_path):
    again = write_demo(tmp_path / "again", SPEC)
    other = write_demo(tmp_path / "other", DemoSpec(months=SPEC.months, scale=SPEC.scale, seed=SPEC.seed + 1))
    assert _table_hashes(again) == _table_hashes(demo)
    differing = {n for n, h in _table_hashes(other).items() if h != _table_hashes(demo)[n]}
    assert differing == {
        "crime_monthly",
        "crime_points",
        "crime_cells",
        "crime_unallocated",
        "stop_search",
        "survey",
        "harm_monthly",
    }


def test_population_is_the_census_file_in_long_form(tables):
    census = pd.read_csv(CENSUS_CSV).set_index("code")
    population = tables["population"]
    assert len(population) == 33 * 6
    assert set(population["year"]) == {2021}
    lambeth = population[population["gss_code"] == "E09000022"].set_index("ethnic_group")["population"]
    assert lambeth.to_dict() == census.loc["E09000022"].to_dict()
    assert population["population"].dtype == np.int64


# --- recorded crime ------------------------------------------------------------------------


def test_crime_monthly_is_a_full_grid_of_the_period(tables):
    monthly = tables["crime_monthly"]
    months = pd.date_range("2023-10-01", "2025-09-01", freq="MS")
    assert sorted(_month(monthly["month"]).unique()) == list(months)
    pairs = [(major, minor) for major, minors in CRIME_CATEGORIES.items() for minor in minors]
    assert len(monthly) == len(months) * 33 * len(pairs)
    cells = monthly.groupby(["month", "gss_code", "major_category", "minor_category"]).size()
    assert (cells == 1).all()
    assert set(zip(monthly["major_category"], monthly["minor_category"], strict=True)) == set(pairs)
    assert monthly["count"].dtype == np.int64
    assert (monthly["count"] >= 0).all()


def test_unallocated_crimes_follow_the_mets_share_and_add_to_the_boroughs_counts(tables):
    unallocated = tables["crime_unallocated"]
    monthly = tables["crime_monthly"]
    allocated = monthly.groupby(["month", "major_category"])["count"].sum()
    keyed = unallocated.set_index(["month", "major_category"])
    assert (keyed["recorded"] - keyed["unallocated"]).sort_index().equals(allocated.sort_index())
    by_month = unallocated.groupby("month")[["unallocated", "recorded"]].sum()
    share = by_month["unallocated"] / by_month["recorded"]
    falls = pd.Timestamp("2024-09-01").date()
    before = share[[m < falls for m in share.index]]
    after = share[[m >= falls for m in share.index]]
    # 1.7-4% of each month's crimes up to August 2024, about 0.5% after (Poisson noise around it).
    assert before.between(0.014, 0.045).all() and after.between(0.002, 0.009).all()
    assert before.min() > after.max()


def test_crime_points_agree_exactly_with_monthly_counts(tables):
    monthly = tables["crime_monthly"]
    street = monthly[~monthly["major_category"].isin(["Knife Crime", "Fraud and Forgery"])].copy()
    street["crime_type"] = street["minor_category"].map(STREET_TYPE).fillna(street["major_category"].map(STREET_TYPE))
    expected = street.groupby(["month", "gss_code", "crime_type"])["count"].sum()
    expected = expected[expected > 0]
    points = tables["crime_points"]
    counted = points.groupby(["month", "gss_code", "crime_type"]).size()
    pd.testing.assert_series_equal(counted.sort_index(), expected.sort_index(), check_names=False)


def test_crime_points_lie_in_their_own_borough_with_null_lsoa(tables):
    points = tables["crime_points"]
    outlines = reference_boroughs().set_index("gss_code").geometry
    inside = shapely.contains_xy(outlines.loc[points["gss_code"]].to_numpy(), points["lon"], points["lat"])
    assert inside.all()
    assert points["lsoa_code"].isna().all()
    assert points["outcome"].notna().all()


def test_violence_concentrates_in_town_centres_more_than_burglary(tables):
    points = tables["crime_points"]
    centres = town_centres(reference_boroughs())
    # Distance in metres to the nearest town centre (equirectangular at London's latitude).
    dx = (points["lon"].to_numpy()[:, None] - centres["lon"].to_numpy()) * 111_320 * np.cos(np.radians(51.5))
    dy = (points["lat"].to_numpy()[:, None] - centres["lat"].to_numpy()) * 111_320
    near = pd.Series(np.hypot(dx, dy).min(axis=1) < 800).groupby(points["crime_type"].to_numpy()).mean()
    assert near["Violence and sexual offences"] > near["Burglary"] + 0.15
    assert near["Theft from the person"] > near["Violence and sexual offences"]


def test_crime_cells_count_every_point(tables):
    cells = tables["crime_cells"]
    assert cells["count"].sum() == len(tables["crime_points"])
    assert cells["h3_cell"].notna().all()


def test_town_centres_sit_inside_their_borough():
    centres = town_centres(reference_boroughs())
    assert len(centres) >= 30
    assert {"Croydon town centre", "Stratford", "Leicester Square / West End"} <= set(centres["name"])
    assert centres["gss_code"].nunique() == 33  # every borough has at least one


# --- stop and search -----------------------------------------------------------------------


def test_ethnic_group_is_the_harmonised_self_defined_label(tables):
    searches = tables["stop_search"]
    heading = searches["self_defined_ethnicity"].str.split(" - ").str[0]
    by_hand = heading.map(
        {
            "Asian/Asian British": "Asian",
            "Black/African/Caribbean/Black British": "Black",
            "Mixed/Multiple ethnic groups": "Mixed",
            "White": "White",
            "Other ethnic group": "Other",
        }
    )
    by_hand[searches["self_defined_ethnicity"].isna() | (searches["self_defined_ethnicity"] == NOT_STATED)] = "Unknown"
    assert (searches["ethnic_group"] == by_hand).all()


def test_not_stated_share_and_officer_defined_cover_it(tables):
    searches = tables["stop_search"]
    not_stated = searches["self_defined_ethnicity"] == NOT_STATED
    assert 0.25 <= not_stated.mean() <= 0.33
    assert set(searches["officer_defined_ethnicity"].dropna()) == {"Asian", "Black", "Other", "White"}
    assert searches.loc[not_stated, "officer_defined_ethnicity"].notna().mean() > 0.9


def test_london_black_white_searched_rate_ratio_is_met_like(tables):
    searches = tables["stop_search"]
    residents = tables["population"].groupby("ethnic_group")["population"].sum()
    counts = searches["ethnic_group"].value_counts()
    ratio = (counts["Black"] / residents["Black"]) / (counts["White"] / residents["White"])
    assert 3.0 <= ratio <= 4.2


def test_search_columns_use_the_published_vocabulary(tables):
    searches = tables["stop_search"]
    assert set(searches["outcome"]) <= set(OUTCOMES)
    assert set(searches["force"]) == {"metropolitan", "city-of-london"}
    assert (searches["force"] == "city-of-london").mean() < 0.05
    objects = searches.groupby("legislation")["object_of_search"].unique()
    assert set(objects["Misuse of Drugs Act 1971 (section 23)"]) == {"Controlled drugs"}
    assert set(objects["Criminal Justice and Public Order Act 1994 (section 60)"]) <= {
        "Offensive weapons",
        "Anything to threaten or harm anyone",
    }
    unlocated = searches["lat"].isna()
    assert 0.05 < unlocated.mean() < 0.11
    assert (searches["gss_code"].isna() == unlocated).all()


def test_searched_at_falls_in_the_london_local_month(tables):
    searches = tables["stop_search"]
    local = searches["searched_at"].dt.tz_convert("Europe/London")
    local_month = local.dt.tz_localize(None).dt.to_period("M").dt.to_timestamp()
    assert (local_month == _month(searches["month"])).all()
    # In British Summer Time local midnight on the 1st is 23:xx UTC on the previous day.
    utc = searches["searched_at"]
    early = utc.dt.month != _month(searches["month"]).dt.month
    assert early.any()
    assert (utc[early].dt.hour == 23).all()
    assert _month(searches.loc[early, "month"]).dt.month.between(4, 10).all()


def test_outcome_linked_is_recorded_from_2024_and_always_false(tables):
    searches = tables["stop_search"]
    before = _month(searches["month"]) < "2024-01-01"
    assert before.any() and (~before).any()
    assert searches.loc[before, "outcome_linked"].isna().all()
    assert (searches.loc[~before, "outcome_linked"] == False).all()  # noqa: E712 (nullable booleans)
    assert searches["removal_more_than_outer"].notna().all()


# --- survey --------------------------------------------------------------------------------


def test_survey_covers_32_boroughs_and_london_group_splits(tables):
    survey = tables["survey"]
    assert CITY not in set(survey["gss_code"].dropna())
    assert survey["gss_code"].dropna().nunique() == 32
    assert set(survey["measure"]) == set(SURVEY_MEASURES)
    ends = sorted(_month(survey["period_end"]).unique())
    assert ends == list(pd.date_range("2023-12-31", "2025-09-30", freq="QE"))
    london = survey[survey["gss_code"].isna()]
    for group_type, groups in SURVEY_GROUPS.items():
        assert set(london.loc[london["group_type"] == group_type, "group"]) == set(groups)
    assert (survey.loc[survey["gss_code"].notna(), "group_type"] == "all").all()
    assert survey["proportion"].between(0, 1).all()
    assert (survey["proportion"] == survey["proportion"].round(2)).all()
    boroughs = survey[survey["gss_code"].notna()]
    assert boroughs["base"].between(300, 500).all()
    assert london.loc[london["group_type"] == "all", "base"].between(11_500, 14_000).all()


def test_black_londoners_trust_the_met_less_than_white_londoners(tables):
    survey = tables["survey"]
    trust = survey[(survey["measure"] == "trust") & (survey["group_type"] == "ethnicity")]
    by_group = trust.groupby("group")["proportion"].mean()
    assert 0.06 <= by_group["White"] - by_group["Black"] <= 0.18
    london = survey[(survey["measure"] == "trust") & survey["gss_code"].isna() & (survey["group"] == "All")]
    assert london["proportion"].between(0.6, 0.8).all()


# --- scale and command line ----------------------------------------------------------------


def test_scale_one_gives_london_magnitudes(tmp_path):
    folder = write_demo(tmp_path / "full", DemoSpec(months=2, scale=1.0, seed=1))
    searches = pd.read_parquet(folder / "stop_search.parquet", columns=["force"])
    monthly = pd.read_parquet(folder / "crime_monthly.parquet")
    crimes = monthly.loc[monthly["major_category"] != "Knife Crime", "count"].sum()
    assert 17_000 <= len(searches) <= 23_000
    assert 153_000 <= crimes <= 207_000
    assert set(monthly["gss_code"]) == set(GSS_CODES)
    violence = monthly.loc[monthly["major_category"] == "Violence Against the Person", "count"].sum() / 2
    assert 17_000 <= violence <= 23_000


def test_command_line_writes_and_summarises(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "lib.demo", "--out", str(tmp_path / "cli"), "--months", "3", "--scale", "0.01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "stop_search" in done.stdout and "rows" in done.stdout
    assert "warning" in done.stderr
    assert open_snapshot(tmp_path / "cli").manifest["period"] == {"from": "2025-07", "to": "2025-09"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--scale", "0"], "--scale must be greater than 0"),
        (["--scale", "-1"], "--scale must be greater than 0"),
        (["--months", "0"], "--months must be at least 1"),
        (["--end", "2025-13"], "--end must be a month written YYYY-MM"),
        (["--end", "Sept 2025"], "--end must be a month written YYYY-MM"),
        (["--seed", "-2"], "--seed must be 0 or more"),
    ],
)
def test_bad_arguments_exit_with_a_sentence(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_spec(["--out", "x", *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_default_arguments():
    out, spec = parse_spec(["--out", "data/demo"])
    assert out == "data/demo"
    assert spec == DemoSpec(months=36, scale=1.0, seed=0, end="2025-09")
