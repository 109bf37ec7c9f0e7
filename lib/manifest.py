"""Readable views of a snapshot's manifest for the About page, and what each pipeline source
feeds (lib.narrative.sources builds source lines from these)."""

from __future__ import annotations

import contextlib

import pandas as pd

from lib import months
from lib.contract import TABLES


def _reasons(counts: object) -> str:
    if not isinstance(counts, dict) or not counts:
        return ""
    return "; ".join(f"{reason}: {int(n):,}" for reason, n in counts.items() if n)


def source_files(manifest: dict) -> pd.DataFrame:
    """One row per source file: source, publisher, licence, file, rows read, rows dropped
    (total and by reason) and rows kept but flagged (for example, no location)."""
    rows = []
    for source in manifest.get("sources", []) or []:
        files = source.get("files") or [{}]
        for item in files:
            dropped = item.get("rows_dropped") or {}
            rows.append(
                {
                    "Source": source.get("name", ""),
                    "Publisher": source.get("publisher", ""),
                    "Licence": source.get("licence", ""),
                    "URL": source.get("url", ""),
                    "File": item.get("path", ""),
                    "Rows read": item.get("rows_read"),
                    "Rows dropped": sum(int(n) for n in dropped.values()) if isinstance(dropped, dict) else None,
                    "Why dropped": _reasons(dropped),
                    "Kept but flagged": _reasons(item.get("rows_flagged")),
                    "SHA-256": (item.get("sha256") or "")[:12],
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "Source",
            "Publisher",
            "Licence",
            "URL",
            "File",
            "Rows read",
            "Rows dropped",
            "Why dropped",
            "Kept but flagged",
            "SHA-256",
        ],
    )
    for column in ("Rows read", "Rows dropped"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    return frame


def table_rows(manifest: dict) -> pd.DataFrame:
    """One row per table in the snapshot: name, what it holds, rows."""
    rows = [
        {
            "Table": name,
            "Holds": TABLES[name].description if name in TABLES else "",
            "Rows": int(info.get("rows", 0)),
        }
        for name, info in (manifest.get("tables") or {}).items()
    ]
    return pd.DataFrame(rows, columns=["Table", "Holds", "Rows"])


def built_at(manifest: dict) -> str:
    """'21 November 2026, 01:01 UTC' from the manifest's ISO timestamp."""
    try:
        stamp = pd.Timestamp(manifest["created_at"])
    except (KeyError, ValueError, TypeError):
        return "at an unknown time"
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC")
    return f"{stamp.day} {stamp:%B %Y, %H:%M} UTC"


# --- What the sources feed (read by lib.narrative.sources and written by the pipeline) -----

# Which snapshot tables each pipeline source feeds, for manifests whose sources do not list
# their own `tables` (every source written since this was added does).
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "met_borough_crime": ("crime_monthly", "crime_unallocated"),
    "met_lsoa_crime": ("crime_areas",),
    "police_uk_street": ("crime_points", "crime_cells"),
    "police_uk_stop_search": ("stop_search",),
    "mopac_pas": ("survey",),
    "met_crime_dashboard": ("harm_monthly",),
    "census_ethnicity": ("population",),
    "gla_boundaries": ("boroughs",),
    "gla_lsoa_boundaries": ("lsoas",),
    "reference_boroughs": ("boroughs",),
}
# How a source line names each source's dataset.
DATASETS: dict[str, str] = {
    "met_borough_crime": "recorded crime by borough",
    "met_lsoa_crime": "recorded crime by LSOA",
    "police_uk_street": "street-level crime",
    "police_uk_stop_search": "stop and search records",
    "mopac_pas": "Public Attitude Survey",
    "met_crime_dashboard": "Monthly Crime Dashboard data",
    "census_ethnicity": "Census 2021 residents by ethnic group",
    "gla_boundaries": "borough boundaries",
    "gla_lsoa_boundaries": "LSOA boundaries",
    "reference_boroughs": "borough boundaries",
}
DEMO_EVENT_TABLES = (
    "crime_monthly",
    "crime_points",
    "crime_cells",
    "crime_unallocated",
    "stop_search",
    "survey",
    "harm_monthly",
)
FORCES = {
    "metropolitan": "Metropolitan Police Service",
    "city-of-london": "City of London Police",
    "btp": "British Transport Police",
}


def snapshot_label(manifest: dict) -> str:
    """What a snapshot holds, for the snapshot picker: 'Official · data to February 2025 ·
    built 2026-12-04' (parts the manifest lacks are left out)."""
    parts = ["Demo (synthetic)" if manifest.get("kind") == "demo" else "Official"]
    last = months.parse(str((manifest.get("period") or {}).get("to", ""))[:7])
    if last is not None:
        parts.append(f"data to {months.label(last)}")
    with contextlib.suppress(KeyError, ValueError, TypeError):
        parts.append(f"built {pd.Timestamp(manifest['created_at']):%Y-%m-%d}")
    return " · ".join(parts)
