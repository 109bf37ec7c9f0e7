"""Where synthetic incidents happen: real town centres, borough crime levels, snap points.

data.police.uk moves every incident to the nearest of a fixed set of anonymised map points,
so the demo gives each borough its own snap points inside its real outline, denser around
its town centres, and a "heat" per point that later concentrates street crime there.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lib.boroughs import GSS_CODES, resolve_borough
from lib.demo.common import cumulative, draw_from_blocks
from lib.places import TOWN_CENTRES

METRES_PER_DEG_LAT = 111_320.0
METRES_PER_DEG_LON = METRES_PER_DEG_LAT * np.cos(np.radians(51.5))  # at London's latitude

# Town centres (lib/places.py) must each lie in their borough's outline; `town_centres` checks.

# Relative recorded crime per resident (London = about 1). Central boroughs draw visitors, so
# their per-head rates are high; the City's resident population is tiny.
CRIME_PER_HEAD: dict[str, float] = {
    "City of London": 8.0,
    "Westminster": 2.8,
    "Camden": 1.7,
    "Kensington and Chelsea": 1.45,
    "Islington": 1.45,
    "Hackney": 1.3,
    "Tower Hamlets": 1.3,
    "Southwark": 1.3,
    "Lambeth": 1.3,
    "Hammersmith and Fulham": 1.3,
    "Haringey": 1.2,
    "Newham": 1.15,
    "Croydon": 1.05,
    "Brent": 1.05,
    "Lewisham": 1.0,
    "Ealing": 1.0,
    "Greenwich": 1.0,
    "Barking and Dagenham": 1.0,
    "Hounslow": 1.0,
    "Wandsworth": 0.95,
    "Hillingdon": 0.95,
    "Enfield": 0.9,
    "Waltham Forest": 0.9,
    "Havering": 0.85,
    "Redbridge": 0.85,
    "Barnet": 0.75,
    "Kingston upon Thames": 0.75,
    "Merton": 0.75,
    "Bexley": 0.7,
    "Bromley": 0.7,
    "Sutton": 0.65,
    "Harrow": 0.6,
    "Richmond upon Thames": 0.6,
}

# Relative share of stop and search by borough (about 1.5% is the City of London Police's).
SEARCH_SHARE: dict[str, float] = {
    "Westminster": 11.0,
    "Lambeth": 7.0,
    "Newham": 6.5,
    "Southwark": 6.0,
    "Tower Hamlets": 5.5,
    "Croydon": 5.0,
    "Haringey": 4.5,
    "Hackney": 4.5,
    "Brent": 4.5,
    "Ealing": 4.0,
    "Camden": 4.0,
    "Islington": 3.5,
    "Lewisham": 3.5,
    "Enfield": 3.0,
    "Greenwich": 3.0,
    "Waltham Forest": 3.0,
    "Hillingdon": 3.0,
    "Wandsworth": 3.0,
    "Barking and Dagenham": 2.5,
    "Hounslow": 2.5,
    "Redbridge": 2.5,
    "Hammersmith and Fulham": 2.5,
    "Barnet": 2.5,
    "Kensington and Chelsea": 2.0,
    "Bromley": 2.0,
    "Havering": 1.8,
    "City of London": 1.5,
    "Merton": 1.5,
    "Bexley": 1.3,
    "Harrow": 1.3,
    "Kingston upon Thames": 1.0,
    "Sutton": 1.0,
    "Richmond upon Thames": 0.8,
}

HOTSPOT_RADIUS_M = 450.0  # a town centre's pull fades over a few hundred metres
SNAP_CLOUD_SD_M = 700.0  # spread of the extra snap points drawn around each centre
SNAP_CLOUD_SHARE = 0.3  # town centres have denser streets, so more snap points


def by_borough(values: dict[str, float]) -> np.ndarray:
    """A per-borough dict keyed by name, as an array in GSS_CODES order."""
    codes = {resolve_borough(name).gss_code: value for name, value in values.items()}
    if set(codes) != set(GSS_CODES):
        raise ValueError("A per-borough table must name all 33 boroughs exactly once.")
    return np.array([codes[code] for code in GSS_CODES], dtype=float)


def town_centres(boroughs: gpd.GeoDataFrame) -> pd.DataFrame:
    """TOWN_CENTRES as a frame with GSS codes; raises if a centre is outside its borough."""
    frame = pd.DataFrame(TOWN_CENTRES, columns=["name", "lat", "lon", "borough", "strength"])
    frame["gss_code"] = [resolve_borough(name).gss_code for name in frame["borough"]]
    outline = boroughs.set_index("gss_code").geometry
    inside = shapely.contains_xy(outline.loc[frame["gss_code"]].to_numpy(), frame["lon"], frame["lat"])
    if not inside.all():
        raise ValueError(f"Town centres outside their borough: {list(frame.loc[~inside, 'name'])}")
    return frame


def _inside(rng: np.random.Generator, polygon: shapely.Geometry, n: int, centres: pd.DataFrame) -> np.ndarray:
    """`n` (lon, lat) points inside `polygon`: most uniform, some in clouds around `centres`
    (rejection sampling, so every point is inside the real outline)."""
    lon0, lat0, lon1, lat1 = polygon.bounds
    found: list[np.ndarray] = []
    have = 0
    while have < n:
        batch = 4 * (n - have) + 64
        if len(centres):
            pick = rng.integers(len(centres), size=batch)
            cloud = rng.random(batch) < SNAP_CLOUD_SHARE
            lon = np.where(
                cloud,
                centres["lon"].to_numpy()[pick] + rng.normal(0, SNAP_CLOUD_SD_M / METRES_PER_DEG_LON, batch),
                rng.uniform(lon0, lon1, batch),
            )
            lat = np.where(
                cloud,
                centres["lat"].to_numpy()[pick] + rng.normal(0, SNAP_CLOUD_SD_M / METRES_PER_DEG_LAT, batch),
                rng.uniform(lat0, lat1, batch),
            )
        else:
            lon, lat = rng.uniform(lon0, lon1, batch), rng.uniform(lat0, lat1, batch)
        # Round first (6 dp is ~0.1 m) so the stored coordinates are the ones tested.
        lon, lat = lon.round(6), lat.round(6)
        keep = shapely.contains_xy(polygon, lon, lat)
        found.append(np.column_stack([lon[keep], lat[keep]]))
        have += int(keep.sum())
    return np.vstack(found)[:n]


def snap_points(rng: np.random.Generator, boroughs: gpd.GeoDataFrame, centres: pd.DataFrame) -> pd.DataFrame:
    """Anonymised map points per borough: `borough` (index into GSS_CODES), `lat`, `lon`,
    `heat` (summed pull of all town centres, 0 far from any) and `local` (a fixed random
    attractiveness, mean 1, so neighbouring streets differ)."""
    outline = boroughs.set_index("gss_code").geometry
    parts = []
    for index, code in enumerate(GSS_CODES):
        polygon = outline.loc[code]
        shapely.prepare(polygon)
        # Roughly one point per 0.25 km² plus a floor, like police.uk's street-level points.
        area_km2 = float(boroughs.loc[boroughs["gss_code"] == code, "area_km2"].iloc[0])
        n = int(150 + 4 * area_km2)
        xy = _inside(rng, polygon, n, centres[centres["gss_code"] == code])
        parts.append(pd.DataFrame({"borough": index, "lon": xy[:, 0], "lat": xy[:, 1]}))
    points = pd.concat(parts, ignore_index=True)
    dx = (points["lon"].to_numpy()[:, None] - centres["lon"].to_numpy()) * METRES_PER_DEG_LON
    dy = (points["lat"].to_numpy()[:, None] - centres["lat"].to_numpy()) * METRES_PER_DEG_LAT
    pull = np.exp(-(dx**2 + dy**2) / (2 * HOTSPOT_RADIUS_M**2))
    points["heat"] = pull @ centres["strength"].to_numpy()
    points["local"] = rng.gamma(2.0, 0.5, len(points))
    return points


def location_cdfs(points: pd.DataFrame, concentration: float) -> list[np.ndarray]:
    """Per borough (GSS_CODES order), the CDF over its snap points of an incident's location:
    weight = local x (1 + concentration x heat); 0 spreads incidents evenly, 10+ packs
    them into town centres."""
    weight = points["local"].to_numpy() * (1 + concentration * points["heat"].to_numpy())
    borough = points["borough"].to_numpy()
    return [cumulative(weight[borough == index]) for index in range(len(GSS_CODES))]


def place(
    rng: np.random.Generator, points: pd.DataFrame, pulls: list[float], kind_of: np.ndarray, borough_of: np.ndarray
) -> np.ndarray:
    """For each incident, a row of `points` in its borough (`borough_of`, index into
    GSS_CODES), drawn with the town-centre pull of its kind (`kind_of`, index into `pulls`)."""
    cdfs = [cdf for pull in pulls for cdf in location_cdfs(points, pull)]
    local = draw_from_blocks(rng, cdfs, kind_of * len(GSS_CODES) + borough_of)
    first = np.concatenate([[0], np.cumsum(np.bincount(points["borough"], minlength=len(GSS_CODES)))])
    return first[borough_of] + local
