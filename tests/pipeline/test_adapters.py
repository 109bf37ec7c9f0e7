"""Each adapter on our own fixtures in the publisher's format: values, not just shapes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from lib.pipeline.csvfile import SourceFile
from lib.pipeline.harmonise import met_category, police_uk_category
from lib.pipeline.sources import ADAPTERS
from lib.pipeline.sources.census_ethnicity import ADAPTER as CENSUS_ADAPTER
from lib.pipeline.sources.gla_boundaries import BOROUGHS_ADAPTER, LSOAS_ADAPTER
from lib.pipeline.sources.met_borough_crime import ADAPTER as MET_ADAPTER
from lib.pipeline.sources.met_lsoa_crime import ADAPTER as LSOA_ADAPTER
from lib.pipeline.sources.mopac_pas import ADAPTER as PAS_ADAPTER
from lib.pipeline.sources.police_uk_stop_search import ADAPTER as STOP_ADAPTER
from lib.pipeline.sources.police_uk_street import ADAPTER as STREET_ADAPTER
from lib.vocab import CRIME_CATEGORIES
from tests.pipeline.conftest import (
    BOUNDARIES,
    CENSUS,
    FIXTURES,
    HISTORICAL,
    LSOA_CRIME,
    MET_A,
    MET_B,
    PAS_BOROUGH,
    PAS_LONDON,
    RECENT,
    STOP_SEARCH,
    STREET,
    VARIANTS,
    write_lsoa_outlines,
)

LAMBETH, WESTMINSTER = "E09000022", "E09000033"


def source_file(path: Path, display: str | None = None) -> SourceFile:
    return SourceFile(path, display or path.name, "0" * 64)


def fixture(relative: str) -> SourceFile:
    return source_file(FIXTURES / relative, relative)


# --- recognition -----------------------------------------------------------------------------


def _first_line(path: Path) -> str:
    return path.read_bytes()[:4096].decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0]


@pytest.mark.parametrize(
    ("relative", "adapter_name"),
    [
        (STOP_SEARCH, "police_uk_stop_search"),
        ("police_uk/2024-04-city-of-london-stop-and-search.csv", "police_uk_stop_search"),
        (STREET, "police_uk_street"),
        (f"{MET_A}/{HISTORICAL}", "met_borough_crime"),
        (f"{MET_B}/{RECENT}", "met_borough_crime"),
        (LSOA_CRIME, "met_lsoa_crime"),
        (PAS_BOROUGH, "mopac_pas"),
        (PAS_LONDON, "mopac_pas"),
        (CENSUS, "census_ethnicity"),
    ],
)
def test_each_fixture_is_claimed_by_its_adapter(relative, adapter_name):
    path = FIXTURES / relative
    claimed = [a.name for a in ADAPTERS if a.matches(path.name, _first_line(path))]
    assert claimed[:1] == [adapter_name]


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("2024-04-surrey-stop-and-search.csv", "Type,Date,Part of a policing operation"),  # not London
        ("2024-04-metropolitan-outcomes.csv", "Crime ID,Month,Reported by,Falls within,Longitude"),
        ("PROVENANCE.md", "# Provenance"),
        ("census2021-ts021-lsoa.csv", "date,geography,geography code,Ethnic group: Total: All usual residents"),
        ("London_Ward_CityMerged.shp", ""),
    ],
)
def test_files_of_no_source_are_left_alone(name, header):
    assert not [a.name for a in ADAPTERS if a.matches(name, header)]


def test_renamed_police_uk_file_is_claimed_by_header_then_asks_for_its_name(tmp_path):
    renamed = tmp_path / "searches.csv"
    renamed.write_bytes((FIXTURES / STOP_SEARCH).read_bytes())
    assert STOP_ADAPTER.matches(renamed.name, _first_line(renamed))
    with pytest.raises(Exception, match="keep the name as downloaded"):
        STOP_ADAPTER.read(source_file(renamed))


# --- data.police.uk --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stops() -> tuple[pd.DataFrame, object]:
    result = STOP_ADAPTER.read(fixture(STOP_SEARCH))
    return result.tables["stop_search"], result


def test_stop_search_keeps_every_row_and_reads_utc(stops):
    frame, result = stops
    assert result.rows_read == len(frame) == 12
    assert str(frame["searched_at"].dt.tz) == "UTC"
    assert frame["searched_at"].iloc[0] == pd.Timestamp("2024-03-31T23:15:00", tz="UTC")


def test_stop_search_month_is_london_local(stops):
    frame, result = stops
    # 23:15 UTC on 31 March 2024 is 00:15 BST on 1 April: April's file, April's month.
    assert frame["month"].iloc[0] == date(2024, 4, 1)
    # 23:30 UTC on 30 April is 00:30 BST on 1 May: kept in the file but counted in May.
    assert frame["month"].iloc[10] == date(2024, 5, 1)
    assert frame["month"].iloc[9] == date(2024, 4, 1)  # 22:30 UTC = 23:30 BST, still April
    assert result.rows_flagged["dated outside the file's month"] == 1


def test_stop_search_harmonises_self_defined_ethnicity(stops):
    frame, _ = stops
    assert frame["ethnic_group"].tolist() == [
        "Black", "White", "White", "Unknown", "Asian", "Asian",
        "Mixed", "Other", "Unknown", "Unknown", "White", "Black",
    ]  # fmt: skip
    # The published labels are kept as they were.
    assert frame["self_defined_ethnicity"].iloc[3] == "Other ethnic group - Not stated"
    assert pd.isna(frame["self_defined_ethnicity"].iloc[8])


def test_stop_search_empty_booleans_are_unknown_not_false(stops):
    frame, _ = stops
    assert str(frame["outcome_linked"].dtype) == "boolean"
    assert frame["outcome_linked"].isna().tolist() == [False, False, False, True] + [False] * 5 + [True, False, False]
    assert frame["outcome_linked"].iloc[5]  # "True" in the file
    assert frame["removal_more_than_outer"].iloc[1]
    assert pd.isna(frame["removal_more_than_outer"].iloc[3])


def test_stop_search_columns_and_counts(stops):
    frame, result = stops
    assert frame["force"].unique().tolist() == ["metropolitan"]
    assert frame["legislation"].iloc[7] == "Criminal Justice and Public Order Act 1994 (section 60)"
    assert frame["lat"].isna().sum() == 1  # blank coordinates kept as missing
    assert frame["gss_code"].isna().all()  # filled later by point-in-polygon
    assert result.rows_flagged["identical to another row"] == 1
    assert result.rows_dropped == {}


def test_street_crime_rows_become_points():
    result = STREET_ADAPTER.read(fixture(STREET))
    points = result.tables["crime_points"]
    assert result.rows_read == len(points) == 12
    assert set(points["month"]) == {date(2024, 4, 1)}
    assert points["crime_type"].value_counts()["Violence and sexual offences"] == 2
    assert points["lsoa_code"].iloc[0] == "E01003100"
    no_location = points[points["lat"].isna()]
    assert no_location["crime_type"].tolist() == ["Other theft"]
    assert pd.isna(points["outcome"].iloc[3])  # anti-social behaviour has no outcome
    assert result.rows_flagged == {"identical to another row": 1}  # the two ASB rows


# --- Met borough and LSOA crime ---------------------------------------------------------------


def _by_category(frame: pd.DataFrame, gss: str, month: date) -> dict[tuple[str, str], int]:
    rows = frame[(frame["gss_code"] == gss) & (frame["month"] == month)]
    return {(r.major_category, r.minor_category): int(r.count) for r in rows.itertuples()}


def test_met_title_case_layout_is_harmonised():
    result = MET_ADAPTER.read(fixture(f"{MET_A}/{HISTORICAL}"))
    frame = result.tables["crime_monthly"]
    assert result.rows_read == 21
    assert result.rows_dropped == {"Heathrow and London City airports (not a borough)": 7}
    assert result.info["months"] == [date(2024, 1, 1), date(2024, 2, 1)]
    # Lambeth (index 3), January: value = 3 * base + 1.
    assert _by_category(frame, LAMBETH, date(2024, 1, 1)) == {
        ("Violence Against the Person", "Violence with Injury"): 61,
        ("Violence Against the Person", "Violence without Injury"): 91,
        # Blade or point (3*4+1) and other knife offences (3*2+1) fold into one minor.
        ("Possession of Weapons", "Possession of Weapons"): 13 + 7,
        ("Burglary", "Burglary - Residential"): 31,
        ("Miscellaneous Crimes Against Society", "Miscellaneous Crimes Against Society"): 4,
        ("Fraud and Forgery", "Fraud and Forgery"): 0,
    }


def test_met_upper_case_layout_is_harmonised():
    result = MET_ADAPTER.read(fixture(f"{MET_B}/{RECENT}"))
    frame = result.tables["crime_monthly"]
    assert result.rows_dropped == {
        "Heathrow and London City airports (not a borough)": 7,
        "borough unknown to the Met": 7,
    }
    may = _by_category(frame, WESTMINSTER, date(2024, 5, 1))
    # "BURGLARY IN A DWELLING" (zero from 2024-03) and "BURGLARY - RESIDENTIAL" are one series.
    assert may[("Burglary", "Burglary - Residential")] == 5 * 10 + 5
    assert may[("Fraud and Forgery", "Fraud and Forgery")] == 3  # NFIB FRAUD
    assert set(frame["gss_code"]) == {LAMBETH, WESTMINSTER}


def test_two_met_layouts_give_the_same_numbers_for_shared_months():
    def monthly(folder: str) -> pd.DataFrame:
        frames = [
            MET_ADAPTER.read(fixture(f"{folder}/{name}")).tables["crime_monthly"] for name in (HISTORICAL, RECENT)
        ]
        return pd.concat(frames).set_index(["month", "gss_code", "major_category", "minor_category"])["count"]

    title_case, upper_case = monthly(MET_A), monthly(MET_B)
    shared = title_case.index.intersection(upper_case.index)
    assert {m for m, *_ in shared} == {date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)}
    assert len(shared) == 3 * 2 * 6
    pd.testing.assert_series_equal(title_case.loc[shared].sort_index(), upper_case.loc[shared].sort_index())


def test_lsoa_crime_is_long_and_harmonised():
    result = LSOA_ADAPTER.read(fixture(LSOA_CRIME))
    areas = result.tables["crime_areas"]
    assert result.rows_read == 6
    lambeth_a = areas[(areas["lsoa_code"] == "E01003100") & (areas["month"] == date(2024, 3, 1))]
    # Violence with injury 4 plus stalking and harassment 2 (counted as violence without injury).
    assert dict(zip(lambeth_a["minor_category"], lambeth_a["count"], strict=True)) == {
        "Violence with Injury": 4,
        "Violence without Injury": 2,
    }
    assert (areas["count"] > 0).all()  # zero cells are not stored
    assert set(areas["gss_code"]) == {LAMBETH, WESTMINSTER}


@pytest.mark.parametrize(
    ("major", "minor", "expected"),
    [
        ("Burglary", "Domestic Burglary", ("Burglary", "Burglary - Residential")),
        ("BURGLARY", "BURGLARY IN A DWELLING", ("Burglary", "Burglary - Residential")),
        ("BURGLARY", "BURGLARY - RESIDENTIAL", ("Burglary", "Burglary - Residential")),
        ("BURGLARY", "BURGLARY NON-DWELLING", ("Burglary", "Burglary - Business and Community")),
        ("Possession of Weapons", "Possession of Firearm with Intent", ("Possession of Weapons",) * 2),
        ("Historical Fraud and Forgery", "Historical Fraud and Forgery", ("Fraud and Forgery",) * 2),
        ("NFIB FRAUD", "NFIB", ("Fraud and Forgery",) * 2),
        (
            "Miscellaneous Crimes Against Society",
            "Threat or Possession With Intent to Commit Crimina",
            ("Miscellaneous Crimes Against Society",) * 2,
        ),
        (
            "Public Order Offences",
            "Racially or Religiously Aggravated Public Fear, Al",
            ("Public Order Offences", "Racially or Religiously Aggravated Public Fear"),
        ),
        ("THEFT", "THEFT FROM THE PERSON", ("Theft", "Theft from the Person")),
        ("Theft", "Theft from Person", ("Theft", "Theft from the Person")),
        (
            "VEHICLE OFFENCES",
            "THEFT OR UNAUTH TAKING OF A MOTOR VEH",
            ("Vehicle Offences", "Theft or Taking of a Motor Vehicle"),
        ),
        ("Drug Offences", "Drug Trafficking", ("Drug Offences", "Trafficking of Drugs")),
        ("Violence Against the Person", "Murder of a Dragon", None),
        ("Cybercrime", "Anything", None),
    ],
)
def test_met_category_lookup(major, minor, expected):
    assert met_category(major, minor) == expected


def test_every_met_target_is_in_the_vocabulary():
    from lib.pipeline.harmonise import MET_CATEGORY_MAP

    for major, minor in MET_CATEGORY_MAP.values():
        assert minor in CRIME_CATEGORIES[major]


def test_police_uk_types_map_to_harmonised_majors():
    assert police_uk_category("Violence and sexual offences") == (
        "Violence Against the Person",
        "Violence and Sexual Offences (police.uk)",
    )
    assert police_uk_category("Shoplifting") == ("Theft", "Shoplifting")
    assert police_uk_category("Anti-social behaviour") is None


# --- MOPAC PAS --------------------------------------------------------------------------------


def test_pas_borough_export_with_decimal_commas():
    result = PAS_ADAPTER.read(fixture(PAS_BOROUGH))
    survey = result.tables["survey"]
    assert result.rows_read == len(survey) == 48
    westminster = survey[
        (survey["gss_code"] == WESTMINSTER)
        & (survey["measure"] == "good_job")
        & (survey["period_end"] == date(2023, 3, 31))
    ]
    assert westminster["proportion"].tolist() == [0.55]  # "0,55", "City of Westminster"
    assert set(survey["measure"]) == {"good_job", "trust", "fair", "contact_officer"}
    assert set(survey["period_end"]) == {date(2023, 3, 31), date(2023, 6, 30), date(2023, 9, 30), date(2023, 12, 31)}
    assert survey["base"].isna().all() and set(survey["group_type"]) == {"all"} and set(survey["group"]) == {"All"}
    london = result.tables["_survey_london_from_boroughs"]
    assert len(london) == 16  # one per quarter and measure, not one per borough row
    trust = london[(london["measure"] == "trust") & (london["period_end"] == date(2023, 12, 31))]
    assert trust["proportion"].tolist() == [0.66] and trust["gss_code"].isna().all()


def test_pas_london_table_semicolons_and_crlf():
    result = PAS_ADAPTER.read(fixture(PAS_LONDON))
    survey = result.tables["survey"]
    assert len(survey) == 16 and survey["gss_code"].isna().all()
    good_job = survey[(survey["measure"] == "good_job") & (survey["period_end"] == date(2023, 9, 30))]
    assert good_job["proportion"].tolist() == [0.62]


def test_pas_workbook_sheets(tmp_path):
    borough = pd.read_csv(FIXTURES / PAS_BOROUGH, dtype=str).iloc[:, :6]
    borough["Date"] = pd.to_datetime(borough["Date"], format="%d/%m/%Y")
    borough["Proportion"] = borough["Proportion"].str.replace(",", ".").astype(float)
    borough["MPS"] = borough["MPS"].str.replace(",", ".").astype(float)
    london = pd.read_csv(FIXTURES / PAS_LONDON, sep=";", dtype=str)
    london["Date"] = pd.to_datetime(london["Date"], format="%d/%m/%Y")
    london["Proportion"] = london["Proportion"].str.replace(",", ".").astype(float)
    path = tmp_path / "PAS_T&Cdashboard_to Q3 23-24.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Notes": ["Public Attitude Survey"]}).to_excel(writer, sheet_name="Contents", index=False)
        borough.to_excel(writer, sheet_name="Borough", index=False)
        london.to_excel(writer, sheet_name="MPS", index=False)
    assert PAS_ADAPTER.matches(path.name, "")
    result = PAS_ADAPTER.read(source_file(path))
    survey = result.tables["survey"]
    assert result.rows_read == 48 + 16
    assert survey["gss_code"].isna().sum() == 16
    lambeth = survey[(survey["gss_code"] == LAMBETH) & (survey["measure"] == "trust")].sort_values("period_end")
    assert lambeth["proportion"].tolist() == [0.53, 0.54, 0.55, 0.56]


# --- Census 2021 ------------------------------------------------------------------------------


def _population(frame: pd.DataFrame, gss: str) -> dict[str, int]:
    rows = frame[frame["gss_code"] == gss]
    return dict(zip(rows["ethnic_group"], rows["population"], strict=True))


def test_census_custom_export_groups_by_code():
    result = CENSUS_ADAPTER.read(fixture(CENSUS))
    population = result.tables["population"]
    assert len(population) == 33 * 6 and set(population["year"]) == {2021}
    assert result.rows_dropped == {"not a London borough": 16}
    # City of London is place 1 in the fixture: Asian 1000+37, Black 800+29, Mixed 300+11,
    # White = British 5000+101 + Irish 200+7 + other 900+13, Other 250+5.
    city = _population(population, "E09000001")
    assert city == {
        "All": 1037 + 829 + 311 + 5101 + 207 + 913 + 255,
        "Asian": 1037,
        "Black": 829,
        "Mixed": 311,
        "White": 5101 + 207 + 913,
        "Other": 255,
    }


def test_census_ts021_layout():
    path = VARIANTS / "census2021-ts021-ltla.csv"
    assert CENSUS_ADAPTER.matches(path.name, _first_line(path))
    result = CENSUS_ADAPTER.read(source_file(path))
    city = _population(result.tables["population"], "E09000001")
    # Place 1: Asian 101+51+403+202+81, Black 605+302+91, Mixed 71+41+111+61,
    # White 4050+151+11+21+709, Other 61+142.
    assert city == {
        "All": 838 + 998 + 284 + 4942 + 203,
        "Asian": 838,
        "Black": 998,
        "Mixed": 284,
        "White": 4942,
        "Other": 203,
    }
    assert result.rows_dropped == {"not a London borough": 2}


# --- boundaries -------------------------------------------------------------------------------


def test_geojson_without_crs_in_metres_is_british_national_grid():
    assert "crs" not in json.loads((FIXTURES / BOUNDARIES).read_text())
    result = BOROUGHS_ADAPTER.read(fixture(BOUNDARIES))
    boroughs = result.tables["boroughs"]
    assert len(boroughs) == 33 and boroughs.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = boroughs.total_bounds
    assert -0.6 < minx < maxx < 0.4 and 51.2 < miny < maxy < 51.75
    lambeth = boroughs.set_index("gss_code").loc[LAMBETH]
    assert lambeth["name"] == "Lambeth" and lambeth["inner_london"]
    assert 25 < lambeth["area_km2"] < 28  # Lambeth is 26.8 km²
    assert result.tables["_borough_outlines_bng"].crs.to_epsg() == 27700


def test_shapefile_and_crs84_geojson_give_the_same_boroughs(tmp_path):
    outlines = gpd.read_file(FIXTURES / BOUNDARIES).set_crs(27700, allow_override=True)
    shapefile = tmp_path / "London_Borough_Excluding_MHW.shp"
    outlines.to_file(shapefile)
    wgs84 = tmp_path / "London_Borough_Excluding_MHW_wgs84.geojson"
    outlines.to_crs(4326).to_file(wgs84, driver="GeoJSON")
    areas = []
    for path in (shapefile, wgs84):
        frame = BOROUGHS_ADAPTER.read(source_file(path)).tables["boroughs"].set_index("gss_code")
        areas.append(frame["area_km2"])
    pd.testing.assert_series_equal(areas[0], areas[1], atol=0.01)


def test_lsoa_outlines(tmp_path):
    path = write_lsoa_outlines(tmp_path / "lsoa")
    assert LSOAS_ADAPTER.matches(path.name, "")
    lsoas = LSOAS_ADAPTER.read(source_file(path)).tables["lsoas"]
    assert lsoas.crs.to_epsg() == 4326
    assert lsoas["lsoa_code"].tolist() == ["E01003100", "E01003101", "E01004734"]
    assert lsoas["gss_code"].tolist() == [LAMBETH, LAMBETH, WESTMINSTER]
