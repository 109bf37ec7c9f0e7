"""Write a snapshot folder atomically: build beside the target, check, then swap.

Used by the demo generator and the official pipeline alike, so both produce folders that
`lib.contract.open_snapshot` accepts. On any failure the previous snapshot is untouched.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lib.contract import SCHEMA_VERSION, open_snapshot


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    if isinstance(frame, gpd.GeoDataFrame):
        frame.to_parquet(path, index=False)
    else:
        frame.to_parquet(path, index=False, compression="zstd", row_group_size=256_000)


def write_snapshot(
    out_dir: str | Path,
    tables: Mapping[str, pd.DataFrame],
    *,
    snapshot_id: str,
    kind: str,
    title: str,
    period: dict[str, str],
    sources: list[dict],
    extra: Mapping[str, object] | None = None,
) -> Path:
    """Write `tables` and a manifest to `out_dir`, replacing it only when all succeeded."""
    out_dir = Path(out_dir).resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        table_info = {}
        for name, frame in tables.items():
            path = staging / f"{name}.parquet"
            _write_table(frame, path)
            table_info[name] = {"rows": len(frame), "sha256": file_sha256(path)}
        manifest = {
            "schema_version": SCHEMA_VERSION,
            "snapshot_id": snapshot_id,
            "kind": kind,
            "title": title,
            "created_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "period": period,
            "sources": sources,
            "tables": table_info,
            **(extra or {}),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        open_snapshot(staging)  # never swap in a folder the dashboard would refuse
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    retired = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    if out_dir.exists():
        out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        if retired.exists():
            retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
