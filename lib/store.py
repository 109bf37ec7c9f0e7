"""DuckDB over a snapshot's Parquet tables: the only code that reads a snapshot's data.

One in-memory DuckDB database per snapshot; compact tables are loaded into it once (so a
page rerun never re-decompresses Parquet), `crime_points` stays a view over its file as
pages only need it for rare look-ups. Every query is parameterised: values travel as
parameters, never inside the SQL text. Each query runs on its own cursor, so concurrent
Streamlit sessions share the database safely.

`open_store` keeps one Store per snapshot folder for the whole server: the first opening
checks every table against its manifest's sha256 (once, not per page view), and when the
folder is rebuilt (its manifest.json replaced) the next opening loads the new files and
closes the old copy, so a rebuild does not leave the old tables in memory.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb
import pandas as pd

from lib.contract import Snapshot, SnapshotError, damaged_table, open_snapshot

_VIEW_ONLY = frozenset({"crime_points"})
# A replaced Store is closed this many seconds later, so a page already drawing from it
# can finish; its memory is released then.
RETIRE_AFTER_S = 10.0
_openings = itertools.count(1)


class Store:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.opening = next(_openings)  # tells a rebuilt folder's Store from the one before
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        for name, path in snapshot.tables.items():
            pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            try:
                relation = self._con.read_parquet(pattern)
                if name in _VIEW_ONLY:
                    relation.create_view(name)
                else:
                    relation.create(name)
            except duckdb.Error as exc:
                self._con.close()
                raise damaged_table(name, path, f"DuckDB cannot read it: {str(exc).splitlines()[0][:160]}") from exc

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id

    def has(self, table: str) -> bool:
        return self.snapshot.has(table)

    def query(self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run one parameterised query and return its result as a DataFrame. A table file
        that turns out to be unreadable raises SnapshotError naming it."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or []).df()
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # Only view-only tables are read from their files after opening.
            for name in _VIEW_ONLY & set(self.snapshot.tables):
                if name in sql:
                    path = self.snapshot.tables[name]
                    raise damaged_table(name, path, f"DuckDB cannot read it: {str(exc).splitlines()[0][:160]}") from exc
            raise
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()


# --- One open Store per snapshot folder ----------------------------------------------------

_open: dict[Path, tuple[tuple[int, int, int], Store]] = {}
_refused: dict[Path, tuple[tuple[int, int, int], SnapshotError]] = {}  # checked once, not per view
_folder_locks: dict[Path, threading.Lock] = {}
_registry_lock = threading.Lock()


def _manifest_stamp(folder: Path) -> tuple[int, int, int]:
    """What changes when a snapshot is rebuilt: its manifest's inode, mtime and size (a
    rebuild swaps in a new folder; the old one is briefly absent while it does)."""
    for attempt in range(3):
        try:
            info = (folder / "manifest.json").stat()
            return (info.st_ino, info.st_mtime_ns, info.st_size)
        except FileNotFoundError:
            if attempt < 2:
                time.sleep(0.2)
    raise SnapshotError(f"{folder} is not a snapshot: it has no manifest.json.")


def open_store(folder: str | Path) -> tuple[Store, bool]:
    """The shared Store for a snapshot folder, and whether it was just reopened after a
    rebuild (so results cached from the old files should be dropped). Raises SnapshotError
    with a sentence when the folder breaks the contract or a table is damaged."""
    folder = Path(folder).resolve()
    with _registry_lock:
        folder_lock = _folder_locks.setdefault(folder, threading.Lock())
    with folder_lock:  # sessions opening the same snapshot at once load it once
        stamp = _manifest_stamp(folder)
        current = _open.get(folder)
        if current is not None and current[0] == stamp:
            return current[1], False
        refused = _refused.get(folder)
        if refused is not None and refused[0] == stamp:
            raise SnapshotError(str(refused[1]))
        try:
            store = Store(open_snapshot(folder, verify=True))
        except SnapshotError as error:
            _refused[folder] = (stamp, error)
            raise
        with _registry_lock:
            _open[folder] = (stamp, store)
            _refused.pop(folder, None)
    if current is not None:
        _retire(current[1])
    return store, current is not None


def is_open(folder: str | Path) -> bool:
    """Whether `open_store(folder)` would return a Store already loaded."""
    folder = Path(folder).resolve()
    current = _open.get(folder)
    try:
        return current is not None and current[0] == _manifest_stamp(folder)
    except SnapshotError:
        return False


def _retire(store: Store) -> None:
    if RETIRE_AFTER_S <= 0:
        store.close()
        return
    timer = threading.Timer(RETIRE_AFTER_S, store.close)
    timer.daemon = True
    timer.start()


def close_all() -> None:
    """Close every open Store (tests, and a server shutting down)."""
    with _registry_lock:
        stores = [store for _, store in _open.values()]
        _open.clear()
        _refused.clear()
    for store in stores:
        store.close()
