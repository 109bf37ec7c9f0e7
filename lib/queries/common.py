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
