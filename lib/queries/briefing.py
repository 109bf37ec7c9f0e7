"""Look-ups only the briefing pack needs: what span of months each table holds."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.store import Store

# Fixed SQL per table (a table name cannot be a parameter).
_SPAN_SQL = {
    "crime_monthly": "SELECT min(month) AS first, max(month) AS last FROM crime_monthly",
    "stop_search": "SELECT min(month) AS first, max(month) AS last FROM stop_search",
    "survey": "SELECT min(period_end) AS first, max(period_end) AS last FROM survey",
}


def table_span(store: Store, *, table: str) -> tuple[date, date] | None:
    """First and last month (survey: quarter end) `table` holds; None when it is empty."""
    frame = store.query(_SPAN_SQL[table])
    first, last = frame.at[0, "first"], frame.at[0, "last"]
    if pd.isna(first):
        return None
    return pd.Timestamp(first).date(), pd.Timestamp(last).date()
