"""The snapshot contract (schema_version 1): what a snapshot folder must hold.

`open_snapshot` checks a folder against it and raises `SnapshotError` with a sentence
naming the table and column that don't match. Only Parquet metadata is read here, so
opening a full-scale snapshot costs milliseconds; `verify=True` also checks every table
file against the sha256 its manifest records (a file damaged in the middle keeps a valid
footer), which reads the whole snapshot once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

SCHEMA_VERSION = 1

# The pandas dtype the pipeline and the demo give text columns: Arrow-backed strings with NaN
# for missing values, spelled out because lib/__init__.py makes plain `str` mean Python
# objects (where astype(str) would turn a missing value into the text 'None' or 'nan').
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)

# Column type families; a Parquet column passes if its Arrow type is in the family.
_FAMILIES = {
    "str": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_dictionary(t),
    "int": pa.types.is_integer,
    "float": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_decimal(t),
    "bool": pa.types.is_boolean,
    "date": lambda t: pa.types.is_date(t) or pa.types.is_timestamp(t),
    "timestamp": pa.types.is_timestamp,
    "geometry": lambda t: pa.types.is_binary(t) or pa.types.is_large_binary(t),
}


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: dict[str, str]  # column -> type family
    required: bool = True
    description: str = ""


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "boroughs",
            {
                "gss_code": "str",
                "name": "str",
                "inner_london": "bool",
                "area_km2": "float",
                "tile_col": "int",
                "tile_row": "int",
                "geometry": "geometry",
            },
            description="One row per borough (33), GeoParquet in EPSG:4326.",
        ),
        TableSpec(
            "population",
            {"gss_code": "str", "year": "int", "ethnic_group": "str", "population": "int"},
            description="Census 2021 residents by borough and ethnic group (All plus five groups).",
        ),
        TableSpec(
            "crime_monthly",
            {
                "month": "date",
                "gss_code": "str",
                "major_category": "str",
                "minor_category": "str",
                "count": "int",
            },
            description="Recorded crime by borough, month and harmonised category.",
        ),
        TableSpec(
            "crime_points",
            {
                "month": "date",
                "crime_type": "str",
                "lat": "float",
                "lon": "float",
                "gss_code": "str",
                "lsoa_code": "str",
                "outcome": "str",
            },
            required=False,
            description="One row per street-level crime (anonymised locations).",
        ),
        TableSpec(
            "crime_cells",
            {"month": "date", "h3_cell": "str", "gss_code": "str", "crime_type": "str", "count": "int"},
            required=False,
            description="crime_points counted into H3 hexagons (resolution 8) per month and "
            "type; derived once when the snapshot is built.",
        ),
        TableSpec(
            "crime_areas",
            {
                "month": "date",
                "lsoa_code": "str",
                "gss_code": "str",
                "major_category": "str",
                "minor_category": "str",
                "count": "int",
            },
            required=False,
            description="Recorded crime by LSOA, month and harmonised category.",
        ),
        TableSpec(
            "lsoas",
            {"lsoa_code": "str", "name": "str", "gss_code": "str", "geometry": "geometry"},
            required=False,
            description="LSOA outlines for crime_areas, GeoParquet in EPSG:4326.",
        ),
        TableSpec(
            "harm_monthly",
            {
                "month": "date",
                "gss_code": "str",
                "offence_group": "str",
                "offence_subgroup": "str",
                "measure": "str",
                "count": "int",
            },
            required=False,
            description="The Met's Monthly Crime Dashboard by borough and month: knife and gun crime, "
            "domestic abuse, hate crime and total notifiable offences (lib/vocab.py HARM_CATEGORIES); "
            "measure 'offences' or 'positive_outcomes'. A month with no row for a borough means none "
            "were recorded; Safer Neighbourhood Team rows are never added.",
        ),
        TableSpec(
            "crime_unallocated",
            {"month": "date", "major_category": "str", "unallocated": "int", "recorded": "int"},
            required=False,
            description="Per month and major category: crimes the publisher recorded but could "
            "not place in a borough ('Unknown'), and all crimes it recorded.",
        ),
        TableSpec(
            "stop_search",
            {
                "searched_at": "timestamp",
                "month": "date",
                "gss_code": "str",
                "lat": "float",
                "lon": "float",
                "type": "str",
                "gender": "str",
                "age_range": "str",
                "self_defined_ethnicity": "str",
                "officer_defined_ethnicity": "str",
                "ethnic_group": "str",
                "legislation": "str",
                "object_of_search": "str",
                "outcome": "str",
                "outcome_linked": "bool",
                "removal_more_than_outer": "bool",
                "force": "str",
            },
            description="One row per stop and search (data.police.uk).",
        ),
        TableSpec(
            "survey",
            {
                "period_end": "date",
                "gss_code": "str",
                "measure": "str",
                "group_type": "str",
                "group": "str",
                "proportion": "float",
                "base": "float",
            },
            description="MOPAC Public Attitude Survey, rolling 12-month proportions.",
        ),
    )
}

MANIFEST_KEYS = (
    "schema_version",
    "snapshot_id",
    "kind",
    "title",
    "created_at",
    "period",
    "sources",
    "tables",
)


class SnapshotError(Exception):
    """A snapshot folder that does not meet the contract; the message says where."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    manifest: dict
    tables: dict[str, Path]  # table name -> Parquet file or folder

    @property
    def snapshot_id(self) -> str:
        return str(self.manifest["snapshot_id"])

    @property
    def is_demo(self) -> bool:
        return self.manifest.get("kind") == "demo"

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or self.snapshot_id)

    def has(self, table: str) -> bool:
        return table in self.tables


def table_path(folder: Path, table: str) -> Path | None:
    """The Parquet file (`name.parquet`) or folder (`name/`) holding a table, if any."""
    for candidate in (folder / f"{table}.parquet", folder / table):
        if candidate.exists():
            return candidate
    return None


def _arrow_schema(path: Path) -> pa.Schema:
    if path.is_dir():
        files = sorted(path.glob("**/*.parquet"))
        if not files:
            raise SnapshotError(f"Table folder {path.name}/ holds no Parquet files.")
        path = files[0]
    return pq.read_schema(path)


def check_table(name: str, path: Path) -> None:
    """Raise SnapshotError naming the column when a table's schema breaks the contract."""
    spec = TABLES[name]
    try:
        schema = _arrow_schema(path)
    except SnapshotError:
        raise
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise SnapshotError(f"Table '{name}' ({path.name}) is not a readable Parquet file: {exc}") from exc
    for column, family in spec.columns.items():
        if column not in schema.names:
            raise SnapshotError(f"Table '{name}' has no column '{column}' (expected {family}).")
        arrow_type = schema.field(column).type
        if not _FAMILIES[family](arrow_type):
            raise SnapshotError(f"Table '{name}' column '{column}' is {arrow_type}, but the contract expects {family}.")


def damaged_table(name: str, path: Path, what: str) -> SnapshotError:
    """The one sentence for a table whose file cannot be trusted: which, and what to do."""
    return SnapshotError(
        f"Table '{name}' ({path.name}) is damaged ({what}): rebuild the snapshot, or copy it again from "
        "where it was built, and pick another snapshot in the sidebar meanwhile."
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_checksums(snapshot: Snapshot) -> None:
    """Raise SnapshotError naming the first table whose file does not match the sha256 the
    manifest records for it (tables stored as folders, or without a recorded sha256, pass)."""
    recorded = snapshot.manifest.get("tables") or {}
    for name, path in snapshot.tables.items():
        expected = (recorded.get(name) or {}).get("sha256") if isinstance(recorded, dict) else None
        if not expected or path.is_dir():
            continue
        try:
            actual = _sha256(path)
        except OSError as exc:
            raise damaged_table(name, path, f"it cannot be read: {exc.strerror or exc}") from exc
        if actual != expected:
            raise damaged_table(name, path, "its contents no longer match the checksum in manifest.json")


def open_snapshot(folder: str | Path, *, verify: bool = False) -> Snapshot:
    """Check a snapshot folder against the contract and return it; with `verify`, also check
    every table file against its manifest's sha256."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise SnapshotError(f"{folder} is not a snapshot: it has no manifest.json.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SnapshotError(f"manifest.json in {folder} is not valid JSON ({exc}).") from exc
    if not isinstance(manifest, dict):
        raise SnapshotError(f"manifest.json in {folder} must hold a JSON object.")
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise SnapshotError(f"manifest.json in {folder} lacks {', '.join(missing)}.")
    if manifest["schema_version"] != SCHEMA_VERSION:
        raise SnapshotError(
            f"Snapshot {folder.name} uses schema_version {manifest['schema_version']}; "
            f"this dashboard reads version {SCHEMA_VERSION}. Rebuild it with this version's pipeline."
        )
    tables: dict[str, Path] = {}
    for name, spec in TABLES.items():
        path = table_path(folder, name)
        if path is None:
            if spec.required:
                raise SnapshotError(f"Snapshot {folder.name} has no '{name}' table ({name}.parquet).")
            continue
        check_table(name, path)
        tables[name] = path
    if "crime_areas" in tables and "lsoas" not in tables:
        raise SnapshotError(f"Snapshot {folder.name} has 'crime_areas' but no 'lsoas' outlines.")
    snapshot = Snapshot(path=folder, manifest=manifest, tables=tables)
    if verify:
        verify_checksums(snapshot)
    return snapshot
