"""Writing snapshots: readable folders, leftovers of killed builds cleared, and two builds
into one target taking turns instead of racing."""

from __future__ import annotations

import stat
import threading
import time

import geopandas as gpd
import pandas as pd
import pytest

from lib.contract import open_snapshot
from lib.geo import reference_boroughs
from lib.snapshot_writer import write_snapshot


def _tables() -> dict[str, pd.DataFrame]:
    boroughs: gpd.GeoDataFrame = reference_boroughs()
    month = pd.Timestamp("2025-01-01")
    return {
        "boroughs": boroughs,
        "population": pd.DataFrame(
            {"gss_code": ["E09000022"], "year": [2021], "ethnic_group": ["All"], "population": [317_000]}
        ),
        "crime_monthly": pd.DataFrame(
            {
                "month": [month],
                "gss_code": ["E09000022"],
                "major_category": ["Robbery"],
                "minor_category": ["Robbery of Personal Property"],
                "count": [12],
            }
        ),
        "stop_search": pd.DataFrame(
            {
                "searched_at": [month],
                "month": [month],
                "gss_code": ["E09000022"],
                "lat": [51.46],
                "lon": [-0.11],
                "type": ["Person search"],
                "gender": ["Male"],
                "age_range": ["18-24"],
                "self_defined_ethnicity": ["White - English"],
                "officer_defined_ethnicity": ["White"],
                "ethnic_group": ["White"],
                "legislation": ["Misuse of Drugs Act 1971 (section 23)"],
                "object_of_search": ["Controlled drugs"],
                "outcome": ["A no further action disposal"],
                "outcome_linked": [False],
                "removal_more_than_outer": [False],
                "force": ["metropolitan"],
            }
        ),
        "survey": pd.DataFrame(
            {
                "period_end": [month],
                "gss_code": ["E09000022"],
                "measure": ["trust"],
                "group_type": ["all"],
                "group": ["All"],
                "proportion": [0.7],
                "base": [400.0],
            }
        ),
    }


def _write(out, snapshot_id="test-1"):
    return write_snapshot(
        out,
        _tables(),
        snapshot_id=snapshot_id,
        kind="demo",
        title="Test",
        period={"from": "2025-01", "to": "2025-01"},
        sources=[],
    )


def test_snapshot_folder_is_readable_by_others(tmp_path):
    out = _write(tmp_path / "snap")
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & stat.S_IRGRP and mode & stat.S_IROTH and mode & stat.S_IXOTH, oct(mode)
    assert open_snapshot(out).snapshot_id == "test-1"


def test_leftovers_of_a_killed_build_are_removed_by_the_next_build(tmp_path):
    # What a build killed while writing leaves: a staging folder and a retired copy.
    for leftover in (".snap.building-k1ll3d", ".snap.old-1234abcd"):
        (tmp_path / leftover).mkdir()
        (tmp_path / leftover / "stop_search.parquet").write_bytes(b"half written")
    (tmp_path / ".other.building-keepme").mkdir()  # another target's: not ours to touch
    _write(tmp_path / "snap")
    names = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert names == [".other.building-keepme", "snap"]


def test_a_second_build_into_the_same_target_waits_for_the_first(tmp_path, capfd):
    from lib.snapshot_writer import build_lock

    out = (tmp_path / "snap").resolve()
    finished: list[float] = []
    with build_lock(out):  # a first build, still writing
        writer = threading.Thread(target=lambda: finished.append(_write(out, "second") and time.monotonic()))
        writer.start()
        time.sleep(1.0)
        assert not finished and not out.exists(), "the second build did not wait for the first"
        released = time.monotonic()
    writer.join(timeout=60)
    assert finished and finished[0] >= released
    assert open_snapshot(out).snapshot_id == "second"
    assert "Another build is writing snap; waiting" in capfd.readouterr().err


def test_a_failed_build_leaves_the_previous_snapshot_and_no_staging_folder(tmp_path):
    out = _write(tmp_path / "snap", "first")
    broken = _tables()
    broken["survey"] = broken["survey"].drop(columns=["proportion"])
    with pytest.raises(Exception, match="proportion"):
        write_snapshot(
            out, broken, snapshot_id="second", kind="demo", title="T", period={"from": "x", "to": "y"}, sources=[]
        )
    assert open_snapshot(out).snapshot_id == "first"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["snap"]
