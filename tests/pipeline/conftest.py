"""Fixtures for the pipeline tests: our own small files in each publisher's format
(tests/fixtures/official), copied to a temporary folder so a test can break one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from lib.pipeline.build import build_snapshot

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "official"
# Alternative layouts, in a hidden folder so a build of FIXTURES skips them (hidden paths are ignored).
VARIANTS = FIXTURES / ".variants"
REAL = ROOT.parent / "shared" / "real"

STOP_SEARCH = "police_uk/2024-04-metropolitan-stop-and-search.csv"
STREET = "police_uk/2024-04-metropolitan-street.csv"
MET_A = "mps_borough_crime/release_2024-05"
MET_B = "mps_borough_crime/release_2024-06"
HISTORICAL = "MPS Borough Level Crime (Historical).csv"
RECENT = "MPS Borough Level Crime (most recent 24 months).csv"
LSOA_CRIME = "mps_lsoa_crime/MPS LSOA Level Crime (most recent 24 months).csv"
PAS_BOROUGH = "mopac_pas/PAS_Dashboard_Borough.csv"
PAS_LONDON = "mopac_pas/PAS_Total.csv"
CENSUS = "population/Census_2021_ethnicity.csv"
BOUNDARIES = "boundaries/London_Borough_Excluding_MHW.geojson"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A writable copy of the fixture source folder."""
    target = tmp_path / "source"
    shutil.copytree(FIXTURES, target)
    return target


@pytest.fixture(scope="module")
def fixture_snapshot(tmp_path_factory) -> tuple[Path, object]:
    """The fixture folder built once per module: (snapshot folder, BuildSummary)."""
    out = tmp_path_factory.mktemp("fixture-build") / "official"
    summary = build_snapshot(FIXTURES, out, progress=False)
    return out, summary


def folder_digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under a folder, keyed by relative path (to prove it is untouched)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def write_lsoa_outlines(folder: Path) -> Path:
    """A tiny LSOA shapefile in the GLA layout (LSOA11CD, LSOA11NM, LAD11CD; BNG .prj):
    three squares in Lambeth and Westminster."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = gpd.GeoDataFrame(
        {
            "LSOA11CD": ["E01003100", "E01003101", "E01004734"],
            "LSOA11NM": ["Lambeth 028A", "Lambeth 028B", "Westminster 018C"],
            "LAD11CD": ["E09000022", "E09000022", "E09000033"],
            "LAD11NM": ["Lambeth", "Lambeth", "Westminster"],
        },
        geometry=[
            box(531000, 175000, 531400, 175400),
            box(531400, 175000, 531800, 175400),
            box(529000, 180800, 529400, 181200),
        ],
        crs="EPSG:27700",
    )
    path = folder / "LSOA_2011_London_gen_MHW.shp"
    frame.to_file(path)
    return path
