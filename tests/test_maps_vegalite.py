"""Static borough maps for print: Vega-Lite geoshapes with the pages' class colours."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import Polygon

from lib.colour import NO_DATA, ClassScale
from lib.maps.vegalite import borough_choropleth_spec, outline_features

# Two squares, drawn anticlockwise as GeoJSON (RFC 7946) would have them.
OUTLINES = gpd.GeoDataFrame(
    {"gss_code": ["E09000001", "E09000002"], "name": ["City of London", "Barking and Dagenham"]},
    geometry=[
        Polygon([(0, 51), (0.1, 51), (0.1, 51.1), (0, 51.1)]),
        Polygon([(0.1, 51), (0.2, 51), (0.2, 51.1), (0.1, 51.1)]),
    ],
    crs="EPSG:4326",
)
SCALE = ClassScale((5.0,), ("#ffffb2", "#bd0026"))


def test_outer_rings_turn_clockwise_for_vega():
    features = outline_features(OUTLINES)
    for feature in features:
        ring = shapely.geometry.shape(feature["geometry"]).exterior
        assert not ring.is_ccw  # d3-geo would otherwise fill the whole globe but the borough


def test_fill_follows_the_class_scale_and_selection():
    values = pd.DataFrame({"gss_code": ["E09000002"], "value": [7.5], "label": ["7.5"]})
    spec = borough_choropleth_spec(
        outline_features(OUTLINES),
        values,
        value_column="value",
        label_column="label",
        scale=SCALE,
        title="Test",
        legend_title="Rate",
        selected="E09000002",
    )
    shapes = {f["properties"]["gss_code"]: f["properties"] for f in spec["datasets"]["boroughs"]["features"]}
    assert shapes["E09000002"]["fill"] == "#bd0026" and shapes["E09000002"]["is_selected"]
    assert shapes["E09000001"]["fill"] == NO_DATA and shapes["E09000001"]["label"] == "no figure"
    legend = spec["layer"][2]["encoding"]["color"]["scale"]
    assert legend["domain"] == ["under 5.0", "5.0 and over", "no figure"]
    assert legend["range"] == ["#ffffb2", "#bd0026", NO_DATA]
