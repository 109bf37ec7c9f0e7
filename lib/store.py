"""DuckDB over a snapshot's Parquet tables: the only code that reads a snapshot's data.

One in-memory DuckDB database per snapshot; compact tables are loaded into it once (so a
page rerun never re-decompresses Parquet), `crime_points` stays a view over its file as
pages only need it for rare look-ups. Every query is parameterised: values travel as
parameters, never inside the SQL text. Each query runs on its own cursor, so concurrent
Streamlit sessions share the database safely.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence

import duckdb
import pandas as pd

from lib.contract import Snapshot

_VIEW_ONLY = frozenset({"crime_points"})


class Store:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._con = duckdb.connect(":memory:")
        self._lock = threading.Lock()
        for name, path in snapshot.tables.items():
            pattern = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            relation = self._con.read_parquet(pattern)
            if name in _VIEW_ONLY:
                relation.create_view(name)
            else:
                relation.create(name)

    @property
    def snapshot_id(self) -> str:
        return self.snapshot.snapshot_id

    def has(self, table: str) -> bool:
        return self.snapshot.has(table)

    def query(self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run one parameterised query and return its result as a DataFrame."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params or []).df()
        finally:
            cursor.close()

    def close(self) -> None:
        self._con.close()
