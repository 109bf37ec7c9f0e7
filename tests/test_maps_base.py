from __future__ import annotations

import base64
import json

import geopandas as gpd
import pandas as pd
import pytest

from lib.colour import quantile_scale
from lib.geo import reference_boroughs
from lib.maps.base import view_for_bounds
from lib.maps.choropleth import borough_choropleth


@pytest.fixture(scope="module")
def outlines() -> gpd.GeoDataFrame:
    return reference_boroughs()


def _choropleth(outlines, selected=None):
    values = pd.DataFrame({"gss_code": outlines.gss_code, "rate": range(33)})
    values["tip"] = values["rate"].map(lambda r: f"{r} per 1,000")
    return borough_choropleth(
        outlines,
        values,
        value_column="rate",
        scale=quantile_scale(values["rate"]),
        tooltip_column="tip",
        selected=selected,
    )


def test_offline_map_names_no_outside_style(outlines, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    spec = json.loads(_choropleth(outlines).to_json())
    style = spec["mapStyle"]
    assert style.startswith("data:application/json;base64,")
    decoded = json.loads(base64.b64decode(style.split(",", 1)[1]))
    assert decoded["sources"] == {} and "http" not in json.dumps(decoded)
    assert "mapProvider" not in spec


def test_basemap_on_uses_carto_light(outlines, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BASEMAP", "carto")
    spec = json.loads(_choropleth(outlines).to_json())
    assert spec["mapProvider"] == "carto" and "positron" in spec["mapStyle"]


def test_choropleth_fills_each_borough_and_outlines_the_selected_one(outlines, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    spec = json.loads(_choropleth(outlines, selected="E09000022").to_json())
    boroughs, selected = spec["layers"]
    features = boroughs["data"]["features"]
    assert len(features) == 33
    # The lowest value (0) takes the lightest class, the highest (32) the darkest.
    fills = {f["properties"]["gss_code"]: f["properties"]["fill"] for f in features}
    assert fills["E09000001"][:3] == [255, 255, 178] and fills["E09000033"][:3] == [189, 0, 38]
    assert selected["id"] == "selected-borough"
    assert [f["properties"]["gss_code"] for f in selected["data"]["features"]] == ["E09000022"]
    assert spec["mapStyle"].startswith("data:")


def test_view_for_bounds_fits_a_borough():
    # Lambeth spans about 0.09 degrees of longitude and 0.13 of latitude.
    view = view_for_bounds((-0.15, 51.41, -0.06, 51.51))
    assert view.latitude == pytest.approx(51.46) and view.longitude == pytest.approx(-0.105)
    # Height binds: 0.1 deg of latitude / cos(51.46 deg) = 0.1605 Mercator deg;
    # log2(560 * 360 / (0.1605 * 512)) = 11.26, less a 0.15 margin = 11.11.
    assert view.zoom == pytest.approx(11.11, abs=0.01)


def test_class_legend_lists_every_class_with_its_colour():
    from lib.charts.common import class_legend
    from lib.colour import ClassScale

    scale = ClassScale((5.0, 10.0), ("#ffffb2", "#fd8d3c", "#bd0026"))
    spec = class_legend(scale, "Rate", no_data_label="fewer than 10").to_dict()
    fill = spec["encoding"]["fill"]
    assert fill["scale"]["domain"] == ["under 5.0", "5.0 to 10.0", "10.0 and over", "fewer than 10"]
    assert fill["scale"]["range"] == ["#ffffb2", "#fd8d3c", "#bd0026", "#d9d9d9"]
    assert fill["legend"]["title"] == "Rate"
    # Streamlit clips a chart to its declared height, so the legend must declare room for itself.
    assert spec["height"] >= 80


def test_compact_deck_serialises_like_pydeck_without_indentation(outlines, monkeypatch):
    import pydeck as pdk

    from lib.maps.base import RawJSON

    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    deck = _choropleth(outlines, selected="E09000022")
    compact = deck.to_json()
    assert "\n" not in compact and ", " not in compact and '": ' not in compact
    # pydeck itself would quote the pre-serialised layer data as a string; parsed, it is the same.
    expected = json.loads(pdk.Deck.to_json(deck))
    for layer in expected["layers"]:
        if isinstance(layer["data"], str):
            layer["data"] = json.loads(layer["data"])
    assert json.loads(compact) == expected
    assert all(isinstance(layer.data, RawJSON) for layer in deck.layers)


def test_borough_outlines_are_simplified_and_rounded_for_the_screen(outlines, monkeypatch):
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    spec = json.loads(_choropleth(outlines).to_json())
    features = spec["layers"][0]["data"]["features"]
    coordinates = [
        value
        for feature in features
        for polygon in (
            feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "MultiPolygon"
            else [feature["geometry"]["coordinates"]]
        )
        for ring in polygon
        for point in ring
        for value in point
    ]
    assert all(round(value, 5) == value for value in coordinates)
    # Each outline still covers its borough: the simplified shape's area is within 1%.
    import shapely.geometry

    for feature, original in zip(features, outlines.geometry, strict=True):
        shown = shapely.geometry.shape(feature["geometry"])
        assert abs(shown.area - original.area) / original.area < 0.01
    # And the whole map's JSON is less than half what the full-precision outlines took (80 KB).
    assert len(_choropleth(outlines).to_json()) < 45_000
