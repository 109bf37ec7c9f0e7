"""Whole builds from our fixture folder: tables, manifest, release precedence, variants, CLI."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib.contract import open_snapshot
from lib.pipeline.__main__ import main
from lib.pipeline.build import build_snapshot
from lib.pipeline.errors import BuildError, SourceError
from lib.pipeline.harmonise import POLICE_UK_NOTE
from lib.pipeline.locate import NEAREST
from tests.pipeline.conftest import (
    BOUNDARIES,
    FIXTURES,
    HISTORICAL,
    LSOA_CRIME,
    MET_A,
    MET_B,
    PAS_BOROUGH,
    PAS_LONDON,
    RECENT,
    STOP_SEARCH,
    write_lsoa_outlines,
)

LAMBETH, WESTMINSTER, CITY, CROYDON, HACKNEY = "E09000022", "E09000033", "E09000001", "E09000008", "E09000012"
APRIL, MAY = date(2024, 4, 1), date(2024, 5, 1)


def table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(folder / f"{name}.parquet")


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def file_entry(folder: Path, path: str) -> dict:
    for source in manifest(folder)["sources"]:
        for entry in source["files"]:
            if entry["path"] == path:
                return entry
    raise AssertionError(f"{path} is not in the manifest")


# --- the fixture build ------------------------------------------------------------------------


def test_snapshot_meets_the_contract(fixture_snapshot):
    out, summary = fixture_snapshot
    snapshot = open_snapshot(out)
    assert snapshot.manifest["kind"] == "official" and not snapshot.is_demo
    assert snapshot.snapshot_id.startswith("official-2024-05-")
    assert snapshot.manifest["period"] == {"from": "2023-03", "to": "2024-05"}
    assert snapshot.title == "Official data, 2023-03 to 2024-05"
    assert set(snapshot.tables) == {
        "boroughs", "population", "crime_monthly", "crime_points", "crime_cells", "crime_unallocated",
        "stop_search", "survey",
    }  # fmt: skip
    assert summary.table_rows["stop_search"] == 15
    assert any("Rows per table" in line for line in summary.lines())


def test_searches_get_boroughs_by_point_in_polygon(fixture_snapshot):
    out, _ = fixture_snapshot
    stops = table(out, "stop_search")
    april = stops[stops["month"] == APRIL]
    counts = april["gss_code"].value_counts(dropna=False)
    # Lambeth: the BST row on 31 March, the two identical rows and one more; Westminster: two.
    assert counts[LAMBETH] + counts.get(WESTMINSTER, 0) == 4 + 2 + 1  # + the point on Westminster Bridge
    assert counts[HACKNEY] == 1 and counts[CROYDON] == 1 and counts[CITY] == 2
    assert april["gss_code"].isna().sum() == 3  # two without coordinates, one in Brighton
    may = stops[stops["month"] == MAY]
    assert may["gss_code"].tolist() == [CROYDON]
    bridge = stops[stops["searched_at"] == pd.Timestamp("2024-04-25T12:00:00", tz="UTC")]
    assert bridge["gss_code"].iloc[0] in (LAMBETH, WESTMINSTER)


def test_manifest_traces_every_file(fixture_snapshot):
    out, _ = fixture_snapshot
    entry = file_entry(out, STOP_SEARCH)
    assert entry["sha256"] == hashlib.sha256((FIXTURES / STOP_SEARCH).read_bytes()).hexdigest()
    assert entry["rows_read"] == 12 and entry["rows_dropped"] == {}
    assert entry["rows_flagged"] == {
        "identical to another row": 1,
        "dated outside the file's month": 1,
        "no location": 1,
        "outside London": 1,
        NEAREST: 1,
    }
    sources = {s["name"]: s for s in manifest(out)["sources"]}
    assert sources["police_uk_stop_search"]["licence"] == "Open Government Licence v3.0"
    assert sources["met_borough_crime"]["publisher"].startswith("Metropolitan Police Service")
    paths = [f["path"] for s in sources.values() for f in s["files"]]
    assert len(paths) == 11 and LSOA_CRIME not in paths  # no LSOA outlines, so not used
    notes = manifest(out)["notes"]
    assert any("crime_areas was not written" in note for note in notes)


def test_newer_met_release_wins_each_month_and_none_is_counted_twice(fixture_snapshot):
    out, _ = fixture_snapshot
    monthly = table(out, "crime_monthly")
    lambeth_vwi = monthly[(monthly["gss_code"] == LAMBETH) & (monthly["minor_category"] == "Violence with Injury")]
    # 3 * 20 + month number in every month, January (older release only) to May (newer only).
    assert dict(zip(lambeth_vwi["month"], lambeth_vwi["count"], strict=True)) == {
        date(2024, m, 1): 60 + m for m in range(1, 6)
    }
    older_recent = file_entry(out, f"{MET_A}/{RECENT}")
    assert older_recent["months_used"] == 0 and older_recent["months_superseded"] == 2
    assert file_entry(out, f"{MET_A}/{HISTORICAL}")["months_used"] == 1
    assert file_entry(out, f"{MET_B}/{RECENT}")["months_used"] == 3
    assert set(monthly["gss_code"]) == {LAMBETH, WESTMINSTER}  # airports and Unknown dropped


def test_a_revised_figure_in_the_newer_release_replaces_the_older(source, tmp_path):
    path = source / MET_B / RECENT
    lines = path.read_text().splitlines()
    # Lambeth violence with injury, March 2024: the older release says 63; revise it to 70.
    lines[1] = lines[1].replace("VIOLENCE WITH INJURY,Lambeth,63,", "VIOLENCE WITH INJURY,Lambeth,70,")
    path.write_text("\n".join(lines) + "\n")
    out = tmp_path / "snap"
    build_snapshot(source, out, progress=False)
    monthly = table(out, "crime_monthly")
    lambeth = monthly[(monthly["gss_code"] == LAMBETH) & (monthly["minor_category"] == "Violence with Injury")]
    march = lambeth[lambeth["month"] == date(2024, 3, 1)]
    assert march["count"].tolist() == [70]


def test_survey_london_from_the_london_table(fixture_snapshot):
    out, _ = fixture_snapshot
    survey = table(out, "survey")
    london = survey[survey["gss_code"].isna()]
    assert len(london) == 16 and len(survey) == 48 + 16
    trust = london[(london["measure"] == "trust") & (london["period_end"] == date(2023, 12, 31))]
    assert trust["proportion"].tolist() == [0.66]
    assert any("agree with the borough table" in note for note in manifest(out)["notes"])


def test_london_survey_comes_from_the_borough_table_when_alone(source, tmp_path):
    (source / PAS_LONDON).unlink()
    out = tmp_path / "snap"
    build_snapshot(source, out, progress=False)
    london = table(out, "survey").query("gss_code.isna()")
    assert len(london) == 16
    assert any("'MPS' column" in note for note in manifest(out)["notes"])


def test_points_cells_and_population(fixture_snapshot):
    out, _ = fixture_snapshot
    points = table(out, "crime_points")
    assert len(points) == 12 and points["gss_code"].isna().sum() == 2  # no location, Brighton
    assert points[points["gss_code"] == WESTMINSTER]["crime_type"].tolist() == [
        "Theft from the person", "Shoplifting", "Robbery",
    ]  # fmt: skip
    cells = table(out, "crime_cells")
    assert cells["count"].sum() == points["gss_code"].notna().sum()
    population = table(out, "population")
    assert len(population) == 198 and population["population"].dtype == "int64"


def test_zip_archives_are_read_like_folders(fixture_snapshot, tmp_path):
    out, _ = fixture_snapshot
    zipped = tmp_path / "zipped"
    zipped.mkdir()
    with zipfile.ZipFile(zipped / "downloads.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(FIXTURES.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(FIXTURES).as_posix())
    again = tmp_path / "from-zip"
    build_snapshot(zipped, again, progress=False)
    for name in ("stop_search", "crime_monthly", "survey", "population", "crime_points"):
        pd.testing.assert_frame_equal(table(again, name), table(out, name))
    assert file_entry(again, f"downloads.zip/{STOP_SEARCH}")["rows_read"] == 12


def test_lsoa_crime_with_outlines_writes_crime_areas(source, tmp_path):
    write_lsoa_outlines(source / "boundaries" / "ESRI")
    out = tmp_path / "snap"
    summary = build_snapshot(source, out, progress=False)
    snapshot = open_snapshot(out)
    assert snapshot.has("crime_areas") and snapshot.has("lsoas")
    areas = table(out, "crime_areas")
    westminster = areas[areas["lsoa_code"] == "E01004734"]
    assert dict(zip(westminster["month"], westminster["count"], strict=True)) == {
        date(2024, 3, 1): 12,
        date(2024, 4, 1): 15,
    }
    # E01035700 is a 2021 code the 2011 outlines lack: kept, and counted.
    flagged = file_entry(out, LSOA_CRIME)["rows_flagged"]
    assert flagged == {"LSOA code not in the LSOA outlines (2011 and 2021 codes differ)": 2}
    assert summary.table_rows["lsoas"] == 3


def test_street_crime_stands_in_for_met_files(source, tmp_path):
    shutil.rmtree(source / "mps_borough_crime")
    out = tmp_path / "snap"
    build_snapshot(source, out, progress=False)
    monthly = table(out, "crime_monthly")
    lambeth = monthly[monthly["gss_code"] == LAMBETH]
    assert dict(zip(lambeth["minor_category"], lambeth["count"], strict=True)) == {
        "Violence and Sexual Offences (police.uk)": 2,
        "Burglary (police.uk)": 1,
    }  # the two anti-social behaviour reports are not crimes
    assert POLICE_UK_NOTE in manifest(out)["notes"]


def test_reference_outlines_when_no_boundary_file(source, tmp_path):
    (source / BOUNDARIES).unlink()
    out = tmp_path / "snap"
    build_snapshot(source, out, progress=False)
    assert len(table(out, "boroughs")) == 33
    sources = {s["name"] for s in manifest(out)["sources"]}
    assert "reference_boroughs" in sources
    assert any("reference outlines" in note for note in manifest(out)["notes"])
    assert table(out, "stop_search")["gss_code"].value_counts()[HACKNEY] == 1


def test_rebuild_replaces_the_snapshot_and_leaves_no_temporary_folders(source, tmp_path):
    out = tmp_path / "snapshots" / "official"
    first = build_snapshot(source, out, progress=False)
    (source / PAS_BOROUGH).write_text((source / PAS_BOROUGH).read_text().replace("0,50", "0,51"))
    second = build_snapshot(source, out, progress=False)
    assert first.snapshot_id != second.snapshot_id
    assert manifest(out)["snapshot_id"] == second.snapshot_id
    assert [p.name for p in out.parent.iterdir()] == ["official"]


# --- whole-set errors ---------------------------------------------------------------------------


def test_the_same_file_twice_is_an_error(source, tmp_path):
    shutil.copy(source / PAS_LONDON, source / "PAS_Total copy.csv")
    with pytest.raises(BuildError, match=r"PAS_Total copy.csv and mopac_pas/PAS_Total.csv are the same file"):
        build_snapshot(source, tmp_path / "snap", progress=False)


def test_the_same_force_month_twice_is_an_error(source, tmp_path):
    copy = source / "again" / "2024-04-metropolitan-stop-and-search.csv"
    copy.parent.mkdir()
    copy.write_text((source / STOP_SEARCH).read_text().replace("Stolen goods,Arrest", "Stolen goods,Caution"))
    with pytest.raises(BuildError, match="both hold metropolitan stop-and-search for 2024-04"):
        build_snapshot(source, tmp_path / "snap", progress=False)


def test_missing_sources_are_named(source, tmp_path):
    shutil.rmtree(source / "mopac_pas")
    shutil.rmtree(source / "population")
    with pytest.raises(BuildError) as error:
        build_snapshot(source, tmp_path / "snap", progress=False)
    message = str(error.value)
    assert "Census 2021" in message and "Public Attitude Survey" in message and "stop and search" not in message


def test_an_empty_source_folder_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="No publisher's file was recognised"):
        build_snapshot(tmp_path / "empty", tmp_path / "snap", progress=False)


def test_london_and_borough_tables_that_disagree_stop_the_build(source, tmp_path):
    path = source / PAS_LONDON
    path.write_bytes(
        path.read_bytes().replace(b"31/12/2023;PAS;MPS;Trust MPS;0,66", b"31/12/2023;PAS;MPS;Trust MPS;0,76")
    )
    with pytest.raises(SourceError, match=r"the London value for trust at 2023-12-31 is 0\.76"):
        build_snapshot(source, tmp_path / "snap", progress=False)


# --- the command line ---------------------------------------------------------------------------


def test_cli_build_prints_a_summary(tmp_path, capsys):
    code = main(["build", "--source", str(FIXTURES), "--out", str(tmp_path / "snap"), "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "Rows per table:" in printed and "stop_search" in printed and "Period covered: 2023-03 to 2024-05" in printed
    assert "no location" in printed


def test_cli_reports_a_missing_folder_in_one_sentence(tmp_path, capsys):
    code = main(["build", "--source", str(tmp_path / "nowhere"), "--out", str(tmp_path / "snap"), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("Build failed: The source folder") and "Traceback" not in captured.err
