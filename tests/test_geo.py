"""Reading TopoJSON (GDAL's driver through geopandas/pyogrio) against shapes worked out by
hand from a small topology of our own: quantised, delta-encoded arcs, one arc shared by two
boroughs and used reversed by one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely
from shapely.geometry import box

from lib.geo import read_topojson

TOPOLOGY = Path(__file__).parent / "fixtures" / "two_boroughs.topojson"
# transform: x = 0.5 q - 0.2, y = 0.25 q + 51.4 on the running sum of each arc's deltas.
LAMBETH = box(-0.2, 51.4, 0.8, 52.4)  # arcs 0 and 1
SOUTHWARK = shapely.MultiPolygon([box(0.8, 51.4, 1.8, 52.4), box(4.8, 53.9, 5.3, 54.15)])  # ~0, 2 | 3


def test_topojson_read_matches_hand_decoded_shapes():
    frame = read_topojson(TOPOLOGY, "boroughs")
    assert list(frame["id"]) == ["Lambeth", "Southwark"]
    assert frame.crs == "EPSG:4326"
    lambeth, southwark = frame.geometry
    assert lambeth.equals(LAMBETH)
    assert southwark.equals(SOUTHWARK)
    assert southwark.area == pytest.approx(1.0 + 0.125)
    # The shared arc is one edge of both: they touch along x = 0.8 and do not overlap.
    assert lambeth.intersection(southwark).equals(shapely.LineString([(0.8, 51.4), (0.8, 52.4)]))


def test_topojson_read_from_bytes():
    frame = read_topojson(TOPOLOGY.read_bytes(), "boroughs")
    assert frame.geometry.iloc[0].equals(LAMBETH)
