"""Statistical hot spots: Getis-Ord Gi* on small equal cells (H3 hexagons) or LSOAs.

A hot spot is a cell whose neighbourhood (the cell and the cells touching it) holds far more
incidents than the study-area average would give it, not simply a cell with many points.
The study area must include the cells with no incidents at all, or the mean is biased up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely
from scipy import sparse, spatial

from lib.hexes import HEX_RESOLUTION

Z95 = 1.96  # two-sided 5% level
Z99 = 2.58  # two-sided 1% level
HOT_99 = "Hot spot (99%)"
HOT_95 = "Hot spot (95%)"
NOT_SIGNIFICANT = "Not significant"
EARTH_RADIUS_KM = 6371.0


def weights_from_pairs(n: int, rows: Sequence[int], cols: Sequence[int]) -> sparse.csr_matrix:
    """Binary n×n neighbour weights from (i, j) neighbour pairs, made symmetric, with each
    cell counted as its own neighbour (the 'star' in Gi*)."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    diagonal = np.arange(n, dtype=np.int64)
    i = np.concatenate([rows, cols, diagonal])
    j = np.concatenate([cols, rows, diagonal])
    matrix = sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    matrix.data[:] = 1.0  # duplicates summed above; weights are binary
    return matrix


def h3_neighbour_weights(cells: Sequence[str]) -> sparse.csr_matrix:
    """Binary weights for H3 cells: each cell and its ring-1 neighbours (h3.grid_disk(cell, 1))
    that are themselves in `cells`."""
    position = {cell: index for index, cell in enumerate(cells)}
    rows: list[int] = []
    cols: list[int] = []
    for index, cell in enumerate(cells):
        for neighbour in h3.grid_disk(cell, 1):
            other = position.get(neighbour)
            if other is not None and other != index:
                rows.append(index)
                cols.append(other)
    return weights_from_pairs(len(cells), rows, cols)


def polygon_neighbour_weights(geometries: Sequence[shapely.Geometry]) -> sparse.csr_matrix:
    """Binary 'queen' weights for polygons (e.g. LSOAs): neighbours share at least one
    boundary point. Intersection rather than strict touching, so the slivers and overlaps of
    generalised boundary files still count as contiguity."""
    tree = shapely.STRtree(np.asarray(geometries, dtype=object))
    rows, cols = tree.query(np.asarray(geometries, dtype=object), predicate="intersects")
    keep = rows != cols
    return weights_from_pairs(len(geometries), rows[keep], cols[keep])


def h3_study_area(outlines: gpd.GeoDataFrame, counted: pd.DataFrame) -> tuple[pd.DataFrame, sparse.csr_matrix]:
    """Every resolution-8 H3 cell whose centre lies in a London borough (`outlines`), plus any
    cell the snapshot counted incidents in (`counted`: cell, gss_code; edge cells), with their
    Gi* neighbour weights.

    Returns (cells, weights): cells has cell, gss_code (the borough holding its centre, or
    where most of its incidents were recorded), lat, lon (cell centre); weights is the
    binary cell + ring-1 matrix in the same order. Zero-count cells matter: Gi* compares
    each neighbourhood with the mean over the whole area."""
    parts = [
        pd.DataFrame({"cell": sorted(h3.geo_to_cells(geometry, HEX_RESOLUTION)), "gss_code": code})
        for code, geometry in zip(outlines["gss_code"], outlines.geometry, strict=True)
    ]
    filled = pd.concat(parts, ignore_index=True).drop_duplicates("cell")
    extra = counted.loc[~counted["cell"].isin(filled["cell"]), ["cell", "gss_code"]]
    cells = pd.concat([filled, extra], ignore_index=True).sort_values("cell").reset_index(drop=True)
    centres = [h3.cell_to_latlng(cell) for cell in cells["cell"]]
    cells["lat"] = [lat for lat, _ in centres]
    cells["lon"] = [lon for _, lon in centres]
    return cells, h3_neighbour_weights(list(cells["cell"]))


def lsoa_study_area(lsoas: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, sparse.csr_matrix]:
    """Every London LSOA (`lsoas`: cell, name, gss_code, geometry) with its queen-contiguity
    Gi* weights: columns cell, name, gss_code, lat, lon (a point inside it), geometry
    (simplified to about 10 m for the map; contiguity uses the full outlines)."""
    geometry = lsoas.geometry.to_numpy()
    weights = polygon_neighbour_weights(geometry)
    inside = shapely.point_on_surface(geometry)
    frame = pd.DataFrame(lsoas.drop(columns=lsoas.geometry.name))
    frame["lat"], frame["lon"] = shapely.get_y(inside), shapely.get_x(inside)
    simplified = shapely.simplify(geometry, 0.0001, preserve_topology=True)
    return gpd.GeoDataFrame(frame, geometry=simplified, crs=lsoas.crs), weights


def getis_ord_gi_star(values: Sequence[float], weights: sparse.spmatrix) -> np.ndarray:
    """Gi* z-score for every cell (Getis and Ord 1992, Ord and Getis 1995):

        Gi* = (Σ_j w_ij x_j − X̄ Σ_j w_ij) / (S √[(n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)])

    with X̄ the mean and S = √(Σx²/n − X̄²) over all n cells of the study area (zero-count cells
    included). Values are incident counts per cell; weights include each cell itself. Returns
    zeros when every cell holds the same count (nothing stands out) or n < 2."""
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < 2:
        return np.zeros(n)
    mean = x.mean()
    spread = math.sqrt(max((x**2).mean() - mean**2, 0.0))
    if spread == 0:
        return np.zeros(n)
    weights = sparse.csr_matrix(weights, dtype=float)
    weight_sum = np.asarray(weights.sum(axis=1)).ravel()
    weight_sq_sum = np.asarray(weights.multiply(weights).sum(axis=1)).ravel()
    numerator = weights @ x - mean * weight_sum
    variance_term = (n * weight_sq_sum - weight_sum**2) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = numerator / (spread * np.sqrt(variance_term))
    # A cell whose neighbourhood is the whole study area has no variance: not a hot spot.
    return np.where(variance_term > 0, z, 0.0)


def hotspot_class(z_scores: Sequence[float]) -> np.ndarray:
    """'Hot spot (99%)' for z ≥ 2.58, 'Hot spot (95%)' for 1.96 ≤ z < 2.58, else
    'Not significant' (cold spots are not reported: low counts are not a finding here)."""
    z = np.asarray(z_scores, dtype=float)
    return np.where(z >= Z99, HOT_99, np.where(z >= Z95, HOT_95, NOT_SIGNIFICANT))


def hotspots_expected_by_chance(n_cells: int) -> int:
    """Roughly how many of `n_cells` would pass z ≥ 1.96 with no clustering at all (the
    upper 2.5% tail; an approximation, as neighbouring Gi* scores are correlated)."""
    return round(n_cells * 0.025)


def nearest_points(
    lats: Sequence[float], lons: Sequence[float], target_lats: Sequence[float], target_lons: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    """For each (lat, lon), the index of the nearest target and its distance in km.

    Points are projected to kilometres on an equirectangular plane centred on their mean
    latitude (within 0.1% over a city the size of London) and searched with a k-d tree
    (`scipy.spatial.cKDTree`); the distance is then measured for each pair at its own mean
    latitude."""
    lat, lon = np.radians(np.asarray(lats, dtype=float)), np.radians(np.asarray(lons, dtype=float))
    target_lat = np.radians(np.asarray(target_lats, dtype=float))
    target_lon = np.radians(np.asarray(target_lons, dtype=float))
    squeeze = np.cos(np.concatenate([lat, target_lat]).mean())

    def plane(la: np.ndarray, lo: np.ndarray) -> np.ndarray:
        return EARTH_RADIUS_KM * np.column_stack([lo * squeeze, la])

    _, nearest = spatial.cKDTree(plane(target_lat, target_lon)).query(plane(lat, lon))
    nearest = np.asarray(nearest, dtype=np.int64)
    dx = (lon - target_lon[nearest]) * np.cos((lat + target_lat[nearest]) / 2)
    dy = lat - target_lat[nearest]
    return nearest, EARTH_RADIUS_KM * np.sqrt(dx**2 + dy**2)
