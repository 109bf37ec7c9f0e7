"""Queries every page needs: the snapshot's months, populations, borough outlines."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import shapely

from lib.store import Store


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date().replace(day=1)


def month_range(store: Store) -> tuple[date, date]:
    """First and last month covered by recorded crime and stop and search together."""
    frame = store.query(
        """
        SELECT min(first_month) AS first_month, max(last_month) AS last_month FROM (
            SELECT min(month) AS first_month, max(month) AS last_month FROM crime_monthly
            UNION ALL
            SELECT min(month), max(month) FROM stop_search
        )
        """
    )
    return _as_date(frame.at[0, "first_month"]), _as_date(frame.at[0, "last_month"])


def populations(store: Store) -> pd.DataFrame:
    """Census 2021 residents: one row per borough with a column per ethnic group and All."""
    frame = store.query(
        """
        SELECT gss_code, ethnic_group, sum(population)::BIGINT AS population
        FROM population
        WHERE year = (SELECT max(year) FROM population)
        GROUP BY ALL
        """
    )
    wide = frame.pivot(index="gss_code", columns="ethnic_group", values="population").fillna(0)
    return wide.astype("int64").reset_index()


def population_year(store: Store) -> int:
    return int(store.query("SELECT max(year) AS year FROM population").at[0, "year"])


def borough_outlines(store: Store) -> gpd.GeoDataFrame:
    """The snapshot's borough outlines (EPSG:4326) with names and tile positions."""
    frame = store.query(
        "SELECT gss_code, name, inner_london, area_km2, tile_col, tile_row, geometry FROM boroughs ORDER BY gss_code"
    )
    # DuckDB returns BLOBs as bytearray, which shapely does not accept.
    geometry = shapely.from_wkb([bytes(wkb) for wkb in frame.pop("geometry")])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


# Month columns of the tables a page may need coverage for (names are fixed here, never taken
# from user input: SQL cannot take a table name as a parameter).
_MONTHS_SQL = {
    "stop_search": "SELECT DISTINCT month FROM stop_search WHERE month BETWEEN $start AND $end ORDER BY month",
    "crime_monthly": "SELECT DISTINCT month FROM crime_monthly WHERE month BETWEEN $start AND $end ORDER BY month",
}


def months_with_data(store: Store, *, table: str, start: date, end: date) -> tuple[date, ...]:
    """The months between start and end (inclusive) for which `table` holds any rows."""
    frame = store.query(_MONTHS_SQL[table], {"start": start, "end": end})
    return tuple(_as_date(value) for value in frame["month"])


_HELD_MONTHS_SQL = {
    "stop_search": "SELECT DISTINCT month FROM stop_search ORDER BY month",
    "crime_monthly": "SELECT DISTINCT month FROM crime_monthly ORDER BY month",
}
_AREAS_SQL = {
    "stop_search": "SELECT DISTINCT gss_code FROM stop_search WHERE gss_code IS NOT NULL",
    "crime_monthly": "SELECT DISTINCT gss_code FROM crime_monthly WHERE gss_code IS NOT NULL",
}


def held_months(store: Store, *, table: str) -> tuple[date, ...]:
    """Every month `table` holds any rows for, in order (coverage and comparisons are
    worked out from these)."""
    frame = store.query(_HELD_MONTHS_SQL[table])
    return tuple(_as_date(value) for value in frame["month"])


def reported_areas(store: Store, *, table: str) -> frozenset[str]:
    """The boroughs `table` has any rows for: a borough absent from it has no figure (not
    zero), as the City of London in the Met's recorded crime."""
    return frozenset(store.query(_AREAS_SQL[table])["gss_code"])


def unallocated_shares(store: Store, *, major: str | None = None) -> pd.DataFrame:
    """Per month: crimes the publisher could not place in a borough (`unallocated`) and all
    crimes it recorded (`recorded`), for one major category or all of them; empty when the
    snapshot does not record them (columns month, unallocated, recorded)."""
    if not store.has("crime_unallocated"):
        return pd.DataFrame({"month": [], "unallocated": [], "recorded": []})
    frame = store.query(
        """
        SELECT month, sum(unallocated)::BIGINT AS unallocated, sum(recorded)::BIGINT AS recorded
        FROM crime_unallocated WHERE $major IS NULL OR major_category = $major
        GROUP BY month ORDER BY month
        """,
        {"major": major},
    )
    frame["month"] = [_as_date(value) for value in frame["month"]]
    return frame
