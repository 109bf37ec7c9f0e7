"""Counting incidents into H3 hexagons, done once when a snapshot is built.

Resolution 8 cells are about 0.74 km² (roughly 460 m across): small enough to locate a
town-centre hotspot, large enough that police.uk's snapped locations don't matter.
"""

from __future__ import annotations

import h3
import numpy as np
import pandas as pd

HEX_RESOLUTION = 8


def hex_cells(lat: pd.Series, lon: pd.Series, resolution: int = HEX_RESOLUTION) -> pd.Series:
    """H3 cell id (string) for each point; null where either coordinate is missing."""
    lat_values = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float)
    lon_values = pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float)
    cells = np.full(len(lat_values), None, dtype=object)
    ok = ~(np.isnan(lat_values) | np.isnan(lon_values))
    # Many incidents share a snapped location, so index each distinct point once.
    pairs = pd.DataFrame({"lat": lat_values[ok], "lon": lon_values[ok]})
    unique = pairs.drop_duplicates()
    lookup = {
        (a, b): h3.latlng_to_cell(a, b, resolution)
        for a, b in zip(unique["lat"].to_numpy(), unique["lon"].to_numpy(), strict=True)
    }
    cells[ok] = [lookup[(a, b)] for a, b in zip(pairs["lat"].to_numpy(), pairs["lon"].to_numpy(), strict=True)]
    return pd.Series(cells, index=lat.index, dtype="string")


def crime_cells_from_points(points: pd.DataFrame) -> pd.DataFrame:
    """The contract's `crime_cells` table from `crime_points`: counts per month, H3 cell,
    borough and crime type. Points outside London (null gss_code) or unlocated are left out."""
    located = points.dropna(subset=["gss_code", "lat", "lon"])
    cells = located.assign(h3_cell=hex_cells(located["lat"], located["lon"]))
    counted = (
        cells.groupby(["month", "h3_cell", "gss_code", "crime_type"], observed=True)
        .size()
        .rename("count")
        .reset_index()
    )
    counted["count"] = counted["count"].astype("int64")
    return counted


def _boundary(cell: str) -> tuple[tuple[float, float], ...]:
    return tuple((round(lng, 6), round(lat, 6)) for lat, lng in h3.cell_to_boundary(cell))


def cell_polygons(cells) -> list[list[list[float]]]:
    """Each H3 cell's outline as a closed [lon, lat] ring, for a polygon map layer (drawing
    them server-side spares the browser from computing hexagons)."""
    rings = []
    for cell in cells:
        ring = [list(point) for point in _boundary(cell)]
        rings.append([*ring, ring[0]])
    return rings
