"""The pipeline on the publishers' real files in ../shared/real (see its PROVENANCE.md).

Expected figures are computed here independently of the pipeline (pandas on the raw CSVs,
geopandas on a different boundary file), or written as literals with how they were got.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from lib.contract import open_snapshot
from lib.geo import REFERENCE_DIR
from lib.pipeline.build import build_snapshot
from lib.pipeline.csvfile import SourceFile
from lib.pipeline.harmonise import met_category
from lib.pipeline.sources.met_borough_crime import ADAPTER as MET_ADAPTER
from tests.pipeline.conftest import REAL

pytestmark = pytest.mark.realdata

MET_RELEASES = REAL / "mps_borough_crime"
HISTORICAL = "MPS Borough Level Crime (Historical).csv"
RECENT = "MPS Borough Level Crime (most recent 24 months).csv"
NOT_BOROUGHS = ["Unknown", "London Heathrow and London City Airports"]


@pytest.fixture(scope="module")
def real() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"../shared/real is absent: the publishers' real files are not at {REAL}")
    return REAL


@pytest.fixture(scope="module")
def built(real, tmp_path_factory) -> tuple[Path, object, float]:
    """One full build of ../shared/real per test module (about 10-20 s on 2 cores)."""
    out = tmp_path_factory.mktemp("real") / "official"
    started = time.monotonic()
    summary = build_snapshot(real, out, progress=False)
    return out, summary, time.monotonic() - started


def table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def test_real_build_meets_the_contract_in_reasonable_time(built):
    out, summary, seconds = built
    snapshot = open_snapshot(out)
    assert seconds < 120
    assert snapshot.manifest["period"] == {"from": "2010-04", "to": "2025-02"}
    assert summary.table_rows["boroughs"] == 33
    # Every row of the twelve stop-and-search files is kept (PROVENANCE.md row counts):
    # Met 17,988 + (9,689 + 9,179 + 10,681 + 9,002 + 9,130 + 8,720 + 8,824 + 10,638) and
    # City of London 153 + 147 + 293.
    assert summary.table_rows["stop_search"] == 17_988 + 75_863 + 153 + 147 + 293


def test_searches_per_borough_for_a_month(built, real):
    out, _, _ = built
    # Independent count: the raw January 2024 file, London local month, located with
    # geopandas against the WGS84 GeoJSON copy of the GLA boundaries (the build used the
    # shapefile). Only points on the river or just over the outer boundary can differ,
    # because the pipeline gives those the nearest borough within 250 m.
    raw = pd.read_csv(real / "police_uk_stop_and_search" / "2024-01-metropolitan-stop-and-search.csv")
    local = pd.to_datetime(raw["Date"], utc=True).dt.tz_convert("Europe/London")
    raw = raw[(local.dt.year == 2024) & (local.dt.month == 1)].dropna(subset=["Latitude"])
    outlines = gpd.read_file(real / "boundaries" / "wgs84_geojson" / "London_Borough_Excluding_MHW.geojson")
    points = gpd.GeoDataFrame(raw, geometry=gpd.points_from_xy(raw["Longitude"], raw["Latitude"]), crs=4326)
    expected = gpd.sjoin(points, outlines[["GSS_CODE", "geometry"]], predicate="within")["GSS_CODE"].value_counts()

    stops = table(out, "stop_search")
    january = stops[(stops["month"] == date(2024, 1, 1)) & (stops["force"] == "metropolitan")]
    got = january["gss_code"].value_counts()
    assert got["E09000033"] == expected["E09000033"] == 775  # Westminster
    assert got["E09000022"] == expected["E09000022"] == 413  # Lambeth
    difference = (got - expected.reindex(got.index, fill_value=0)).abs()
    assert difference.max() <= 3 and difference.sum() <= 10


def test_no_location_rows_are_kept_and_counted(built):
    out, _, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    files = {f["path"]: f for s in manifest["sources"] for f in s["files"]}
    # PROVENANCE.md: 1,672 of 17,988 rows without coordinates in 2019-01, 746 in 2024-08.
    folder = "police_uk_stop_and_search"
    assert files[f"{folder}/2019-01-metropolitan-stop-and-search.csv"]["rows_flagged"]["no location"] == 1672
    assert files[f"{folder}/2024-08-metropolitan-stop-and-search.csv"]["rows_flagged"]["no location"] == 746


def test_summer_time_rows_fall_in_the_london_month(built, real):
    out, _, _ = built
    stops = table(out, "stop_search")
    first = stops[stops["searched_at"] == pd.Timestamp("2024-03-31T23:15:00", tz="UTC")]
    assert set(first["month"]) == {date(2024, 4, 1)}
    # April's file: every row is April in London time, although it starts on 31 March UTC.
    raw = pd.read_csv(real / "police_uk_stop_and_search" / "2024-04-metropolitan-stop-and-search.csv")
    april = stops[(stops["month"] == date(2024, 4, 1)) & (stops["force"] == "metropolitan")]
    assert len(april) == len(raw) == 9_002


def test_outcome_linked_is_unknown_in_2019_and_false_in_2024(built):
    out, _, _ = built
    stops = table(out, "stop_search")
    met = stops[stops["force"] == "metropolitan"]
    in_2019 = met[met["month"] == date(2019, 1, 1)]
    assert in_2019["outcome_linked"].isna().all() and in_2019["removal_more_than_outer"].isna().all()
    in_2024 = met[met["month"] == date(2024, 2, 1)]
    assert (in_2024["outcome_linked"] == False).all()  # noqa: E712 (nullable booleans)


def test_violence_against_the_person_for_london_in_a_month(built, real):
    out, _, _ = built
    # Independent: the newest release's "most recent 24 months" file, VAP rows of the 32
    # boroughs for March 2024 (the build drops "Unknown" and the airports). Value 18,665.
    raw = pd.read_csv(MET_RELEASES / "release_2025-04" / RECENT)
    raw = raw[(raw["MajorText"] == "VIOLENCE AGAINST THE PERSON") & ~raw["BoroughName"].isin(NOT_BOROUGHS)]
    expected = int(raw["202403"].sum())
    monthly = table(out, "crime_monthly")
    march = monthly[monthly["month"] == date(2024, 3, 1)]
    march = march[march["major_category"] == "Violence Against the Person"]
    assert int(march["count"].sum()) == expected == 18_665


def test_the_newer_release_is_used_for_every_month_it_covers(built):
    out, _, _ = built
    manifest = json.loads((out / "manifest.json").read_text())
    files = {f["path"]: f for s in manifest["sources"] for f in s["files"]}
    assert files[f"mps_borough_crime/release_2024-03/{HISTORICAL}"]["months_used"] == 0
    assert files[f"mps_borough_crime/release_2024-03/{RECENT}"]["months_used"] == 0
    assert files[f"mps_borough_crime/release_2025-04/{HISTORICAL}"]["months_used"] == 155
    assert files[f"mps_borough_crime/release_2025-04/{RECENT}"]["months_used"] == 24
    monthly = table(out, "crime_monthly")
    assert monthly.duplicated(["month", "gss_code", "major_category", "minor_category"]).sum() == 0
    assert monthly["month"].nunique() == 155 + 24


def _london_by_major(folder: str) -> pd.DataFrame:
    """London totals per month (rows) and harmonised major category (columns), every
    published row included, computed with pandas and the lookup table alone."""
    raw = pd.concat([pd.read_csv(MET_RELEASES / folder / name) for name in (HISTORICAL, RECENT)])
    majors = [met_category(a, b)[0] for a, b in zip(raw["MajorText"], raw["MinorText"], strict=True)]
    months = [c for c in raw.columns if c.isdigit()]
    return raw[months].groupby(pd.Series(majors, index=raw.index, name="major")).sum().T


def test_the_two_met_layouts_agree_on_shared_months(real):
    title_case = _london_by_major("release_2024-03")  # LookUp_BoroughName, Title Case, CRLF
    upper_case = _london_by_major("release_2025-04")  # BoroughName, UPPER CASE, "Unknown"
    shared = title_case.index.intersection(upper_case.index)
    assert len(shared) == 166  # 2010-04 to 2024-01
    assert list(title_case.columns) == list(upper_case.columns)  # one vocabulary
    # The Met revises recent months between releases (late-recorded drug and weapons
    # offences), so the releases agree to within 1.5% on all crime in every shared month
    # (measured: at most 1.42%), and to within 5% per major category once a month is a
    # year old (where at least 100 crimes were recorded; measured: at most 4.8%, violence).
    # Fraud is left out of the per-category check: the Met's own fraud series shrank as
    # Action Fraud took recording over, and the releases differ by up to 8.4% (2010-12).
    totals = (title_case.loc[shared].sum(axis=1) - upper_case.loc[shared].sum(axis=1)).abs()
    assert (totals / title_case.loc[shared].sum(axis=1)).max() < 0.015
    settled = [m for m in shared if m <= "202212"]
    a = title_case.loc[settled].drop(columns="Fraud and Forgery")
    b = upper_case.loc[settled].drop(columns="Fraud and Forgery")
    relative = ((a - b).abs() / a).where(a >= 100)
    assert relative.max().max() < 0.05
    # Exactly equal in June 2015, a month both releases left untouched.
    pd.testing.assert_series_equal(title_case.loc["201506"], upper_case.loc["201506"])


def test_each_layout_through_the_adapter_matches_the_raw_file(real):
    # The adapter's harmonised output for one borough equals a plain pandas sum of the
    # raw rows, for both layouts (Lambeth, violence with injury, January 2024).
    for folder, borough_column, major, minor in (
        ("release_2024-03", "LookUp_BoroughName", "Violence Against the Person", "Violence with Injury"),
        ("release_2025-04", "BoroughName", "VIOLENCE AGAINST THE PERSON", "VIOLENCE WITH INJURY"),
    ):
        path = MET_RELEASES / folder / RECENT
        raw = pd.read_csv(path)
        rows = raw[(raw[borough_column] == "Lambeth") & (raw["MajorText"] == major) & (raw["MinorText"] == minor)]
        frame = MET_ADAPTER.read(SourceFile(path, path.name, "x")).tables["crime_monthly"]
        got = frame[
            (frame["gss_code"] == "E09000022")
            & (frame["month"] == date(2024, 1, 1))
            & (frame["minor_category"] == "Violence with Injury")
        ]
        assert int(got["count"].sum()) == int(rows["202401"].sum())


def test_london_trust_for_a_quarter(built, real):
    out, _, _ = built
    # PAS_Total.csv holds "31/12/2023;PAS;MPS;Trust MPS;0,69".
    line = next(
        line
        for line in (real / "mopac_pas" / "PAS_Total.csv").read_text().splitlines()
        if line.startswith("31/12/2023;") and "Trust MPS" in line
    )
    expected = float(line.rsplit(";", 1)[1].replace(",", "."))
    survey = table(out, "survey")
    london = survey[survey["gss_code"].isna() & (survey["measure"] == "trust")]
    trust = london[london["period_end"] == date(2023, 12, 31)]
    assert trust["proportion"].tolist() == [expected] == [0.69]
    # Westminster is published as "City of Westminster".
    westminster = survey[(survey["gss_code"] == "E09000033") & (survey["period_end"] == date(2023, 12, 31))]
    assert len(westminster) == 8


def test_population_matches_the_census_reference(built):
    out, _, _ = built
    # data/reference/census2021_ethnic_group.csv was compiled separately from ONS tables.
    reference = pd.read_csv(REFERENCE_DIR / "census2021_ethnic_group.csv").melt(
        id_vars="code", var_name="ethnic_group", value_name="population"
    )
    population = table(out, "population")
    merged = population.merge(reference, left_on=["gss_code", "ethnic_group"], right_on=["code", "ethnic_group"])
    assert len(merged) == 198
    assert (merged["population_x"] == merged["population_y"]).all()
    city = population[(population["gss_code"] == "E09000001") & (population["ethnic_group"] == "All")]
    assert city["population"].tolist() == [8585]  # PROVENANCE.md


def test_boroughs_are_web_sized_wgs84(built):
    out, _, _ = built
    boroughs = gpd.read_parquet(out / "boroughs.parquet")
    assert boroughs.crs.to_epsg() == 4326
    assert (out / "boroughs.parquet").stat().st_size < 400_000  # the shapefile is 779 kB
    westminster = boroughs.set_index("gss_code").loc["E09000033"]
    assert westminster["name"] == "Westminster" and 21 < westminster["area_km2"] < 22.5


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/violence.py", "pages/trust.py", "pages/stop_search.py", "pages/about.py"]
)
def test_every_page_opens_the_real_snapshot(built, page, monkeypatch, tmp_path):
    from tests.apptest import open_snapshot_alone, run_page

    out, _, _ = built
    if not (Path(__file__).resolve().parents[2] / page).exists():
        pytest.skip(f"{page} is not in this checkout yet")
    open_snapshot_alone(monkeypatch, out, tmp_path)
    at = run_page(page, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_overview_annualises_stop_and_search_over_the_months_the_real_files_cover(built, monkeypatch, tmp_path):
    from tests.apptest import open_snapshot_alone, run_page, texts

    out, _, _ = built
    open_snapshot_alone(monkeypatch, out, tmp_path)
    # The default period is the 12 months to February 2025; the real stop-and-search files in
    # that window are March to August 2024.
    at = run_page(timeout=120)
    assert (
        "Stop and search: this snapshot holds 6 of the 12 months chosen (March to August 2024, the latest this "
        "snapshot holds)" in texts(at)
    )
    searches = pd.read_parquet(out / "stop_search.parquet", columns=["month"])
    in_window = int(
        searches["month"].between(pd.Timestamp("2024-03-01").date(), pd.Timestamp("2025-02-01").date()).sum()
    )
    # 6 months annualised: count * 12 / 6 per 8,799,731 Census residents, per 1,000.
    expected = in_window * 2 / 8_799_731 * 1000
    assert f"{expected:,.1f} per 1,000 residents a year" in texts(at)


def test_violence_hot_spots_say_when_the_street_files_hold_no_violence(built, monkeypatch, tmp_path):
    from tests.apptest import open_snapshot_alone, run_page, texts

    out, _, _ = built
    open_snapshot_alone(monkeypatch, out, tmp_path)
    # The Met street files here hold burglary only, so there is no violence to map.
    at = run_page("pages/violence.py", timeout=120)
    assert not at.exception
    assert "so there are no hot spots to find" in texts(at)
