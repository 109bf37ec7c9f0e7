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

METRES_PER_DEG_LAT = 111_320.0
METRES_PER_DEG_LON = METRES_PER_DEG_LAT * np.cos(np.radians(51.5))  # at London's latitude

# Real town centres: (name, lat, lon, borough, strength). Strength is a relative pull on street
# crime (the West End's night-time economy dwarfs a district centre). Each centre must lie in
# its borough's outline; `town_centres` checks that.
TOWN_CENTRES: tuple[tuple[str, float, float, str, float], ...] = (
    ("Leicester Square / West End", 51.5113, -0.1281, "Westminster", 5.0),
    ("Soho", 51.5136, -0.1340, "Westminster", 4.0),
    ("Oxford Circus", 51.5152, -0.1419, "Westminster", 3.5),
    ("Victoria", 51.4965, -0.1440, "Westminster", 2.0),
    ("Paddington", 51.5160, -0.1760, "Westminster", 1.5),
    ("Bank", 51.5133, -0.0890, "City of London", 1.5),
    ("Liverpool Street", 51.5175, -0.0830, "City of London", 2.0),
    ("Croydon town centre", 51.3762, -0.0982, "Croydon", 3.0),
    ("Stratford", 51.5416, -0.0034, "Newham", 3.0),
    ("East Ham", 51.5394, 0.0514, "Newham", 1.5),
    ("Brixton", 51.4627, -0.1145, "Lambeth", 3.0),
    ("Waterloo", 51.5031, -0.1132, "Lambeth", 1.5),
    ("Streatham", 51.4283, -0.1310, "Lambeth", 1.0),
    ("Camden Town", 51.5392, -0.1426, "Camden", 3.0),
    ("Kentish Town", 51.5503, -0.1405, "Camden", 1.0),
    ("Romford", 51.5751, 0.1830, "Havering", 2.5),
    ("Kingston", 51.4101, -0.3006, "Kingston upon Thames", 2.0),
    ("Ilford", 51.5590, 0.0741, "Redbridge", 2.5),
    ("Wood Green", 51.5975, -0.1097, "Haringey", 2.0),
    ("Tottenham", 51.5880, -0.0720, "Haringey", 2.0),
    ("Peckham", 51.4700, -0.0693, "Southwark", 2.0),
    ("Elephant and Castle", 51.4943, -0.1001, "Southwark", 1.5),
    ("London Bridge", 51.5045, -0.0865, "Southwark", 1.5),
    ("Lewisham", 51.4613, -0.0125, "Lewisham", 2.0),
    ("Catford", 51.4450, -0.0206, "Lewisham", 1.0),
    ("Hounslow", 51.4686, -0.3613, "Hounslow", 2.0),
    ("Uxbridge", 51.5462, -0.4786, "Hillingdon", 2.0),
    ("Hayes", 51.5031, -0.4206, "Hillingdon", 1.0),
    ("Ealing Broadway", 51.5150, -0.3017, "Ealing", 2.0),
    ("Southall", 51.5107, -0.3762, "Ealing", 1.5),
    ("Harrow", 51.5793, -0.3366, "Harrow", 1.5),
    ("Sutton", 51.3618, -0.1945, "Sutton", 1.5),
    ("Bromley", 51.4020, 0.0151, "Bromley", 2.0),
    ("Woolwich", 51.4906, 0.0692, "Greenwich", 2.0),
    ("Hackney Central", 51.5467, -0.0559, "Hackney", 1.5),
    ("Dalston", 51.5462, -0.0752, "Hackney", 1.5),
    ("Shoreditch", 51.5265, -0.0780, "Hackney", 2.5),
    ("Whitechapel", 51.5195, -0.0610, "Tower Hamlets", 2.0),
    ("Canary Wharf", 51.5054, -0.0235, "Tower Hamlets", 1.0),
    ("Hammersmith", 51.4927, -0.2240, "Hammersmith and Fulham", 2.0),
    ("Shepherd's Bush", 51.5046, -0.2187, "Hammersmith and Fulham", 1.5),
    ("Wembley", 51.5523, -0.2964, "Brent", 2.0),
    ("Harlesden", 51.5362, -0.2466, "Brent", 1.0),
    ("Enfield Town", 51.6522, -0.0807, "Enfield", 1.5),
    ("Edmonton Green", 51.6241, -0.0612, "Enfield", 1.5),
    ("Walthamstow", 51.5830, -0.0195, "Waltham Forest", 2.0),
    ("Barking", 51.5396, 0.0810, "Barking and Dagenham", 2.0),
    ("Bexleyheath", 51.4564, 0.1453, "Bexley", 1.5),
    ("Wimbledon", 51.4214, -0.2064, "Merton", 1.5),
    ("Mitcham", 51.4033, -0.1683, "Merton", 1.0),
    ("Richmond", 51.4613, -0.3037, "Richmond upon Thames", 1.5),
    ("Twickenham", 51.4467, -0.3305, "Richmond upon Thames", 1.0),
    ("Earl's Court", 51.4914, -0.1934, "Kensington and Chelsea", 1.5),
    ("Notting Hill Gate", 51.5090, -0.1967, "Kensington and Chelsea", 1.5),
    ("Clapham Junction", 51.4642, -0.1705, "Wandsworth", 2.0),
    ("Tooting", 51.4275, -0.1680, "Wandsworth", 1.5),
    ("Angel", 51.5322, -0.1058, "Islington", 2.0),
    ("Holloway (Nag's Head)", 51.5530, -0.1170, "Islington", 1.5),
    ("Golders Green", 51.5724, -0.1941, "Barnet", 1.0),
    ("North Finchley", 51.6130, -0.1766, "Barnet", 1.0),
)

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
