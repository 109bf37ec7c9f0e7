"""Geometry helpers: reading TopoJSON, cleaning outlines, the reference borough outlines."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

from lib.boroughs import BOROUGHS, resolve_borough

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
BOROUGHS_PARQUET = REFERENCE_DIR / "boroughs.parquet"
BRITISH_NATIONAL_GRID = "EPSG:27700"


def read_topojson(source: str | Path | bytes, object_name: str, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """One object (a GeometryCollection) of a TopoJSON topology as a GeoDataFrame, read by
    GDAL's TopoJSON driver through pyogrio: columns id (each geometry's `id`), any
    properties, geometry. TopoJSON has no CRS member, so the caller states it (WGS84 for
    the published London files)."""
    frame = gpd.read_file(source, layer=object_name, engine="pyogrio")
    return frame.set_crs(crs, allow_override=True)


def polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygon parts of a geometry: make_valid can leave stray lines or points
    (Richmond upon Thames does) that a map layer cannot fill."""
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, Polygon | MultiPolygon)]
    merged = shapely.union_all(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else MultiPolygon(parts)


def boroughs_frame(named_geometries: list[tuple[str, object]], crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """The contract's `boroughs` table from (borough label, geometry) pairs: GSS codes, ONS
    names, inner/outer, area in km² (measured in British National Grid), tile positions."""
    rows = []
    for label, geometry in named_geometries:
        borough = resolve_borough(label)
        if borough is None:
            raise ValueError(f"Borough outline labelled '{label}' is not one of the 33 London boroughs.")
        rows.append({"gss_code": borough.gss_code, "geometry": polygonal(make_valid(geometry))})
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs).dissolve("gss_code").reset_index()
    missing = sorted({b.gss_code for b in BOROUGHS} - set(frame.gss_code))
    if missing:
        raise ValueError(f"Borough outlines are missing for {', '.join(missing)}.")
    frame = frame.to_crs("EPSG:4326")
    reference = pd.DataFrame(
        [(b.gss_code, b.name, b.inner_london, b.tile_col, b.tile_row) for b in BOROUGHS],
        columns=["gss_code", "name", "inner_london", "tile_col", "tile_row"],
    )
    frame = frame.merge(reference, on="gss_code")
    frame["area_km2"] = frame.to_crs(BRITISH_NATIONAL_GRID).area / 1e6
    columns = ["gss_code", "name", "inner_london", "area_km2", "tile_col", "tile_row", "geometry"]
    return frame[columns].sort_values("gss_code").reset_index(drop=True)


def reference_boroughs() -> gpd.GeoDataFrame:
    """The 33 borough outlines shipped in data/reference (for the demo snapshot)."""
    return gpd.read_parquet(BOROUGHS_PARQUET)
