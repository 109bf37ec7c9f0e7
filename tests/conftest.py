"""Shared fixtures: a small demo snapshot built once per test session, and the settings
every test runs under (no basemap, so no request leaves the machine)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "real"

# Tests never draw a basemap: pydeck with map_provider=None makes no outside request.
os.environ["DASHBOARD_BASEMAP"] = "off"


def build_demo(out: Path, *, months: int = 24, scale: float = 0.05, seed: int = 7) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "lib.demo",
            "--out",
            str(out),
            "--months",
            str(months),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def reseal(snapshot: Path) -> Path:
    """Record the current sha256 of every table file in a snapshot's manifest, after a test
    has edited a table in place (the dashboard refuses a table whose checksum differs)."""
    import json

    from lib.snapshot_writer import file_sha256

    manifest_path = snapshot / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, info in manifest["tables"].items():
        if (snapshot / f"{name}.parquet").is_file():
            info["sha256"] = file_sha256(snapshot / f"{name}.parquet")
    manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return snapshot


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory) -> Path:
    """A 24-month demo snapshot at 5% of London's volumes (fast to build and query)."""
    return build_demo(tmp_path_factory.mktemp("snapshots") / "small-demo")


@pytest.fixture(scope="session")
def snapshot_env(small_snapshot, tmp_path_factory) -> dict[str, str]:
    """Environment that points the dashboard at the small snapshot and an empty picker folder."""
    empty = tmp_path_factory.mktemp("no-official-snapshots")
    return {
        "DASHBOARD_SNAPSHOT": str(small_snapshot),
        "DASHBOARD_SNAPSHOTS_DIR": str(empty),
        "DASHBOARD_BASEMAP": "off",
    }


@pytest.fixture
def app_env(snapshot_env, monkeypatch):
    for key, value in snapshot_env.items():
        monkeypatch.setenv(key, value)
    return snapshot_env


@pytest.fixture(scope="session")
def shared_real() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip(f"{SHARED_REAL} is absent: the publishers' real files are not on this machine")
    return SHARED_REAL
