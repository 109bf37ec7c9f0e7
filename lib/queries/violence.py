"""Violence page queries: which offence groups a snapshot holds, their monthly borough counts,
and small-area counts (H3 cells or LSOAs) with the study area Gi* needs.

All aggregation happens in DuckDB; pages cache every function here with `ui.cached`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import h3
import pandas as pd
import shapely
from scipy import sparse

from lib.hexes import HEX_RESOLUTION
from lib.metrics.hotspots import h3_neighbour_weights, polygon_neighbour_weights
from lib.queries.common import borough_outlines
from lib.store import Store
from lib.vocab import CRIME_CATEGORIES, KNIFE_CRIME, POLICE_UK_VIOLENT_TYPES, VIOLENCE, crime_key

VIOLENCE_AND_SEXUAL, ROBBERY_TYPE, WEAPONS_TYPE = POLICE_UK_VIOLENT_TYPES
SEXUAL_OFFENCES = "Sexual Offences"
# The harmonised major categories this page offers, in display order, with the data.police.uk
# street-crime types that contain them (police.uk does not split violence from sexual
# offences, and has no knife-crime type).
VIOLENT_MAJORS: dict[str, tuple[str, ...]] = {
    VIOLENCE: (VIOLENCE_AND_SEXUAL,),
    "Robbery": (ROBBERY_TYPE,),
    SEXUAL_OFFENCES: (VIOLENCE_AND_SEXUAL,),
    "Possession of Weapons": (WEAPONS_TYPE,),
    KNIFE_CRIME: (),
}
assert set(VIOLENT_MAJORS) <= set(CRIME_CATEGORIES), "violent majors must be vocabulary categories"

H3 = "h3"
LSOA = "lsoa"


@dataclass(frozen=True)
class OffenceGroup:
    """One choice of the offence-group filter: a major category, or one minor within it."""

    key: str  # URL value, e.g. 'violence-with-injury'
    major: str
    minor: str | None  # None = the whole major category
    point_types: tuple[str, ...]  # police.uk types whose street-level points contain it

    @property
    def label(self) -> str:
        return self.minor or self.major

    @property
    def noun(self) -> str:
        """For sentences: 'violence against the person', 'homicide'."""
        return self.label.lower()

    @property
    def menu_label(self) -> str:
        if self.minor is None:
            return f"{self.major} (all)" if self.major == VIOLENCE else self.major
        return f"· {self.minor}"


def _slug(label: str) -> str:
    return crime_key(label).replace(" ", "-")


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
        groups.append(OffenceGroup(_slug(major), major, None, point_types))
        if major == VIOLENCE and len(minors) > 1:
            known = [m for m in CRIME_CATEGORIES[major] if m in minors]
            ordered = known + sorted(minors - set(known))
            groups += [OffenceGroup(_slug(minor), major, minor, point_types) for minor in ordered]
    return tuple(groups)


def category_monthly_counts(store: Store, major: str, minor: str | None = None) -> pd.DataFrame:
    """Recorded offences per month and borough (every month crime_monthly covers × the 33
    boroughs, zero where none were recorded): columns month (date), gss_code, count."""
    where = "major_category = ? AND minor_category = ?" if minor else "major_category = ?"
    params = [major, minor] if minor else [major]
    frame = store.query(
        f"""
        WITH chosen AS (
            SELECT month, gss_code, sum(count) AS count FROM crime_monthly WHERE {where} GROUP BY ALL
        )
        SELECT m.month, b.gss_code, coalesce(c.count, 0)::BIGINT AS count
        FROM (SELECT DISTINCT month FROM crime_monthly) m
        CROSS JOIN (SELECT gss_code FROM boroughs) b
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


def h3_study_area(store: Store) -> tuple[pd.DataFrame, sparse.csr_matrix]:
    """Every resolution-8 H3 cell whose centre lies in a London borough, plus any cell the
    snapshot counted incidents in (edge cells), with their Gi* neighbour weights.

    Returns (cells, weights): cells has cell, gss_code (the borough holding its centre, or
    where most of its incidents were recorded), lat, lon (cell centre); weights is the
    binary cell + ring-1 matrix in the same order. Zero-count cells matter: Gi* compares
    each neighbourhood with the mean over the whole area."""
    outlines = borough_outlines(store)
    parts = [
        pd.DataFrame({"cell": sorted(h3.geo_to_cells(geometry, HEX_RESOLUTION)), "gss_code": code})
        for code, geometry in zip(outlines["gss_code"], outlines.geometry, strict=True)
    ]
    filled = pd.concat(parts, ignore_index=True).drop_duplicates("cell")
    counted = store.query(
        """
        SELECT h3_cell AS cell, arg_max(gss_code, total) AS gss_code FROM (
            SELECT h3_cell, gss_code, sum(count) AS total FROM crime_cells GROUP BY ALL
        ) GROUP BY h3_cell
        """
    )
    cells = pd.concat([filled, counted[~counted["cell"].isin(filled["cell"])]], ignore_index=True)
    cells = cells.sort_values("cell").reset_index(drop=True)
    centres = [h3.cell_to_latlng(cell) for cell in cells["cell"]]
    cells["lat"] = [lat for lat, _ in centres]
    cells["lon"] = [lon for _, lon in centres]
    return cells, h3_neighbour_weights(list(cells["cell"]))


def lsoa_study_area(store: Store) -> tuple[gpd.GeoDataFrame, sparse.csr_matrix]:
    """Every London LSOA with its queen-contiguity Gi* weights: columns cell (LSOA code),
    name, gss_code, lat, lon (a point inside it), geometry (simplified to about 10 m for the map)."""
    frame = store.query("SELECT lsoa_code AS cell, name, gss_code, geometry FROM lsoas ORDER BY lsoa_code")
    geometry = shapely.from_wkb([bytes(wkb) for wkb in frame.pop("geometry")])
    weights = polygon_neighbour_weights(geometry)
    inside = shapely.point_on_surface(geometry)
    frame["lat"], frame["lon"] = shapely.get_y(inside), shapely.get_x(inside)
    simplified = shapely.simplify(geometry, 0.0001, preserve_topology=True)
    return gpd.GeoDataFrame(frame, geometry=simplified, crs="EPSG:4326"), weights
