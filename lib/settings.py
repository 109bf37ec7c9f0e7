"""Settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEMO_SNAPSHOT = PROJECT_ROOT / "data" / "demo"


def snapshots_dir() -> Path:
    """Folder whose sub-folders are official snapshots (`data/snapshots` by default)."""
    return Path(os.environ.get("DASHBOARD_SNAPSHOTS_DIR", PROJECT_ROOT / "data" / "snapshots"))


def snapshot_from_environment() -> Path | None:
    """The snapshot chosen at start-up with DASHBOARD_SNAPSHOT, if any."""
    value = os.environ.get("DASHBOARD_SNAPSHOT", "").strip()
    return Path(value).expanduser().resolve() if value else None


def basemap_enabled() -> bool:
    """Carto light tiles under the maps; DASHBOARD_BASEMAP=off for tests and offline use
    (the maps then make no outside request)."""
    return os.environ.get("DASHBOARD_BASEMAP", "carto").strip().lower() not in {"off", "none", "0", "false"}


def default_snapshot() -> Path:
    """The snapshot the dashboard opens first: DASHBOARD_SNAPSHOT if set, else the demo
    (the first of `lib.ui.snapshot_choices`)."""
    return snapshot_from_environment() or DEMO_SNAPSHOT
