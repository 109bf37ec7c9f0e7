"""Write a snapshot folder atomically: build beside the target, check, then swap.

Used by the demo generator and the official pipeline alike, so both produce folders that
`lib.contract.open_snapshot` accepts. On any failure the previous snapshot is untouched.
Two builds into the same target take turns (a lock file beside it), and a build starts by
removing what a killed build left behind (`.NAME.building-*`, `.NAME.old-*`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator, Mapping
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
    with build_lock(out_dir):
        remove_leftovers(out_dir)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes it private (0700); a snapshot is for reading
        _write_into(staging, out_dir, tables, snapshot_id, kind, title, period, sources, extra)
    return out_dir


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold `.NAME.lock` beside the target for the length of a build; a second build into the
    same target waits here (saying so) until the first has finished. The lock file is removed
    when the build ends, so a finished build leaves nothing behind."""
    lock_path = out_dir.with_name(f".{out_dir.name}.lock")
    said = False
    while True:
        handle = open(lock_path, "a")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not said:
                waiting = f"Another build is writing {out_dir.name}; waiting for it to finish…"
                print(waiting, file=sys.stderr, flush=True)
                said = True
            fcntl.flock(handle, fcntl.LOCK_EX)
        # The build before us may have removed the file while we waited: then our lock is on
        # a file no one else will see, so take the lock again on the current one.
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock_path.unlink()
        handle.close()


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Delete the staging and retired folders a killed build left beside `out_dir` (call with
    the build lock held, so none of them belongs to a running build); returns them."""
    stale = [
        path
        for pattern in (f".{out_dir.name}.building-*", f".{out_dir.name}.old-*")
        for path in out_dir.parent.glob(pattern)
        if path.is_dir()
    ]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for a moment)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    current = os.umask(0o022)
    os.umask(current)
    return current


def _write_into(
    staging: Path,
    out_dir: Path,
    tables: Mapping[str, pd.DataFrame],
    snapshot_id: str,
    kind: str,
    title: str,
    period: dict[str, str],
    sources: list[dict],
    extra: Mapping[str, object] | None,
) -> None:
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
