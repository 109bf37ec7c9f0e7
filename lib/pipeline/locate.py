"""Boroughs for police.uk points, by point-in-polygon against the borough outlines.

Done once per build. Points are projected to British National Grid and matched against the
full-resolution outlines. The GLA outlines stop at the Mean High Water line, so a point
snapped onto a bridge or the river bank falls in no borough: such a point is given the
nearest borough if one lies within `NEAREST_WITHIN_M`, and is otherwise outside London.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from lib.geo import BRITISH_NATIONAL_GRID
from lib.pipeline.progress import progress_bar
from lib.pipeline.sources.base import NO_LOCATION, OUTSIDE_LONDON
from lib.pipeline.sources.police_uk import in_london_box

NEAREST_WITHIN_M = 250.0
NEAREST = "on the river or a boundary, given the nearest borough (within 250 m)"
_CHUNK = 25_000


def borough_of_points(
    lat: pd.Series, lon: pd.Series, outlines_bng: gpd.GeoDataFrame, *, progress: bool = True, label: str = ""
) -> tuple[pd.Series, pd.Series]:
    """(gss_code, reason) per point: reason is null for a point inside a borough, else
    NO_LOCATION, OUTSIDE_LONDON or NEAREST. Distinct coordinates are located once (police.uk
    snaps points to a few thousand anonymised places)."""
    gss = pd.Series(pd.NA, index=lat.index, dtype="string")
    reason = pd.Series(pd.NA, index=lat.index, dtype="string")
    located = lat.notna().to_numpy() & lon.notna().to_numpy()
    reason[~located] = NO_LOCATION
    boxed = located & in_london_box(lat, lon)
    reason[located & ~boxed] = OUTSIDE_LONDON

    positions = np.flatnonzero(boxed)
    points = pd.DataFrame({"lat": lat.to_numpy()[boxed], "lon": lon.to_numpy()[boxed]})
    unique = points.drop_duplicates().reset_index(drop=True)
    codes = np.full(len(unique), None, dtype=object)
    nearest = np.zeros(len(unique), dtype=bool)
    polygons = outlines_bng[["gss_code", "geometry"]].reset_index(drop=True)
    starts = range(0, len(unique), _CHUNK)
    for start in progress_bar(starts, desc=f"Locating {label}".strip(), unit="chunk", enabled=progress):
        chunk = unique.iloc[start : start + _CHUNK]
        geoms = gpd.GeoSeries.from_xy(chunk["lon"], chunk["lat"], crs="EPSG:4326").to_crs(BRITISH_NATIONAL_GRID)
        frame = gpd.GeoDataFrame({"i": np.arange(start, start + len(chunk))}, geometry=geoms.to_numpy())
        frame = frame.set_crs(BRITISH_NATIONAL_GRID)
        inside = gpd.sjoin(frame, polygons, how="left", predicate="within")
        inside = inside.sort_values("i", kind="stable").drop_duplicates(
            "i"
        )  # a point on a shared edge: take one borough
        found = inside["gss_code"].to_numpy(dtype=object)
        codes[start : start + len(chunk)] = found
        missing = pd.isna(found)
        if missing.any():
            near = gpd.sjoin_nearest(frame[missing], polygons, how="left", max_distance=NEAREST_WITHIN_M)
            near = near.drop_duplicates("i").dropna(subset=["gss_code"])
            codes[near["i"].to_numpy()] = near["gss_code"].to_numpy(dtype=object)
            nearest[near["i"].to_numpy()] = True

    lookup = unique.assign(gss_code=codes, nearest=nearest)
    merged = points.merge(lookup, on=["lat", "lon"], how="left")  # keeps the points' order
    found = merged["gss_code"].to_numpy(dtype=object)
    gss.iloc[positions] = pd.array(found, dtype="string")
    boxed_reason = np.where(pd.isna(found), OUTSIDE_LONDON, np.where(merged["nearest"], NEAREST, None))
    reason.iloc[positions] = pd.array(boxed_reason, dtype="string")
    return gss, reason
