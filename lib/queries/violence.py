"""Violence page queries: which offence groups a snapshot holds, their monthly borough counts,
and small-area counts (H3 cells or LSOAs) with what lib.metrics.hotspots needs to build the
study area Gi* runs over.

All aggregation happens in DuckDB; pages cache every function here with `ui.cached`.
"""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pandas as pd
import shapely

from lib.store import Store
from lib.vocab import CRIME_CATEGORIES, H3, LSOA, VIOLENCE, VIOLENT_MAJORS, OffenceGroup


def offence_groups(store: Store) -> tuple[OffenceGroup, ...]:
    """The offence groups this snapshot holds: each violent major category in
    `VIOLENT_MAJORS` order and, under violence against the person, its minor categories
    (vocabulary order, then any others the snapshot carries) when there is more than one."""
    frame = store.query(
        "SELECT DISTINCT major_category, minor_category FROM crime_monthly "
        "WHERE list_contains(?::VARCHAR[], major_category)",
        [list(VIOLENT_MAJORS)],
    )
    groups = []
    for major, point_types in VIOLENT_MAJORS.items():
        minors = set(frame.loc[frame.major_category == major, "minor_category"])
        if not minors:
            continue
        groups.append(OffenceGroup(OffenceGroup.slug(major), major, None, point_types))
        if major == VIOLENCE and len(minors) > 1:
            known = [m for m in CRIME_CATEGORIES[major] if m in minors]
            ordered = known + sorted(minors - set(known))
            groups += [OffenceGroup(OffenceGroup.slug(minor), major, minor, point_types) for minor in ordered]
    return tuple(groups)


def category_monthly_counts(store: Store, major: str, minor: str | None = None) -> pd.DataFrame:
    """Recorded offences per month and borough (every month crime_monthly covers × every
    borough it reports, zero where none were recorded): columns month (date), gss_code,
    count. A borough the table never reports (the City of London in the Met's files, which
    the City of London Police records) has no rows: it has no figure, not a zero."""
    where = "major_category = ? AND minor_category = ?" if minor else "major_category = ?"
    params = [major, minor] if minor else [major]
    frame = store.query(
        f"""
        WITH chosen AS (
            SELECT month, gss_code, sum(count) AS count FROM crime_monthly WHERE {where} GROUP BY ALL
        )
        SELECT m.month, b.gss_code, coalesce(c.count, 0)::BIGINT AS count
        FROM (SELECT DISTINCT month FROM crime_monthly) m
        CROSS JOIN (SELECT DISTINCT gss_code FROM crime_monthly WHERE gss_code IS NOT NULL) b
        LEFT JOIN chosen c ON c.month = m.month AND c.gss_code = b.gss_code
        ORDER BY m.month, b.gss_code
        """,
        params,
    )
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame


def hotspot_source(store: Store) -> str | None:
    """'h3' when the snapshot has street-level counts in H3 cells, 'lsoa' when it has only
    LSOA counts with their outlines, None when it has neither."""
    if store.has("crime_cells"):
        return H3
    if store.has("crime_areas") and store.has("lsoas"):
        return LSOA
    return None


def small_area_months(store: Store) -> tuple[date, date] | None:
    """First and last month of the hotspot table (street-level data often lags borough data)."""
    source = hotspot_source(store)
    if source is None:
        return None
    table = "crime_cells" if source == H3 else "crime_areas"
    frame = store.query(f"SELECT min(month) AS first, max(month) AS last FROM {table}")
    if frame["first"].isna().iloc[0]:
        return None
    return pd.Timestamp(frame.at[0, "first"]).date(), pd.Timestamp(frame.at[0, "last"]).date()


def h3_cell_counts(store: Store, crime_types: tuple[str, ...], start: date, end: date) -> pd.DataFrame:
    """Street-level crimes of `crime_types` per H3 cell, months start..end inclusive:
    columns cell, count (cells with none are absent)."""
    return store.query(
        """
        SELECT h3_cell AS cell, sum(count)::BIGINT AS count FROM crime_cells
        WHERE list_contains(?::VARCHAR[], crime_type) AND month BETWEEN ? AND ?
        GROUP BY h3_cell
        """,
        [list(crime_types), start, end],
    )


def lsoa_counts(store: Store, major: str, minor: str | None, start: date, end: date) -> pd.DataFrame:
    """Recorded offences per LSOA, months start..end inclusive: columns cell (LSOA code), count."""
    where = "major_category = ? AND minor_category = ?" if minor else "major_category = ?"
    params = [major, minor] if minor else [major]
    return store.query(
        f"""
        SELECT lsoa_code AS cell, sum(count)::BIGINT AS count FROM crime_areas
        WHERE {where} AND month BETWEEN ? AND ? GROUP BY lsoa_code
        """,
        [*params, start, end],
    )


def counted_cells(store: Store) -> pd.DataFrame:
    """Every H3 cell the snapshot counted street-level incidents in, with the borough where
    most of them were recorded: columns cell, gss_code."""
    return store.query(
        """
        SELECT h3_cell AS cell, arg_max(gss_code, total) AS gss_code FROM (
            SELECT h3_cell, gss_code, sum(count) AS total FROM crime_cells GROUP BY ALL
        ) GROUP BY h3_cell
        ORDER BY h3_cell
        """
    )


def lsoa_shapes(store: Store) -> gpd.GeoDataFrame:
    """Every London LSOA: columns cell (LSOA code), name, gss_code, geometry (EPSG:4326)."""
    frame = store.query("SELECT lsoa_code AS cell, name, gss_code, geometry FROM lsoas ORDER BY lsoa_code")
    # DuckDB returns BLOBs as bytearray, which shapely does not accept.
    geometry = shapely.from_wkb([bytes(wkb) for wkb in frame.pop("geometry")])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
