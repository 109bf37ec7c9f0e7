"""Exports carry their provenance: the title, the filters in words, the snapshot and the
source are drawn into the SVG and PNG and written above the CSV; maps export the same way."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from PIL import Image

from lib import export
from lib.charts.common import class_legend, screen_spec
from lib.charts.vegalite import check_spec
from lib.colour import ClassScale
from lib.export import Provenance
from lib.maps import static, vegalite
from lib.metrics.hotspots import HOT_95, HOT_99, NOT_SIGNIFICANT

PROVENANCE = Provenance(
    title="Searches per 1,000 residents per year",
    filters="Lambeth · March 2024 to February 2025",
    snapshot="Official data published to February 2025",
    source="Source: Metropolitan Police stop and search records; Census 2021 usual residents (ONS).",
)
SVG_NS = "{http://www.w3.org/2000/svg}"


def _bar_spec() -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"name": "main"},
        "datasets": {"main": [{"group": "Black", "rate": 33.1}, {"group": "White", "rate": 8.3}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "group", "type": "nominal", "title": None},
            "x": {"field": "rate", "type": "quantitative", "title": "Per 1,000"},
        },
        "width": "container",
        "height": 120,
        "title": "Searches per 1,000 residents per year",
        "config": {"axis": {"labelFontSize": 14}},
    }


def _svg_texts(svg: str) -> list[str]:
    """Every line of text in the SVG (a multi-line text holds one <tspan> per line)."""
    lines = []
    for node in ET.fromstring(svg).iter(f"{SVG_NS}text"):
        spans = list(node.iter(f"{SVG_NS}tspan"))
        lines += ["".join(span.itertext()) for span in spans] if spans else ["".join(node.itertext())]
    return lines


def test_framed_spec_puts_provenance_around_the_chart():
    framed = export.framed_spec(_bar_spec(), PROVENANCE, width=600)
    check_spec(framed)
    body, footer = framed["vconcat"]
    assert framed["title"]["text"] == [PROVENANCE.title]
    assert framed["title"]["subtitle"] == [PROVENANCE.filters, PROVENANCE.snapshot]
    assert footer["encoding"]["text"]["value"] == [PROVENANCE.source]
    assert body["width"] == 600  # "container" has no meaning off screen
    assert "title" not in body  # the same words are not drawn twice
    assert framed["datasets"]["main"][0]["rate"] == 33.1 and "datasets" not in body
    assert framed["config"]["axis"] == {"labelFontSize": 14}


def test_a_different_chart_title_is_kept_under_the_export_title():
    spec = {**_bar_spec(), "title": "Rate compared with White residents"}
    body = export.framed_spec(spec, PROVENANCE)["vconcat"][0]
    assert body["title"] == "Rate compared with White residents"


def test_long_lines_wrap_to_the_chart_width():
    long = Provenance("T", "F", "S", "Source: " + "recorded crime and residents " * 12)
    footer = export.framed_spec(_bar_spec(), long, width=400)["vconcat"][1]
    lines = footer["encoding"]["text"]["value"]
    assert len(lines) > 3
    assert max(len(line) for line in lines) <= 400 / (export.FOOTER_SIZE * 0.5)
    assert " ".join(lines) == long.source.strip()
    assert footer["height"] == round(len(lines) * export.FOOTER_SIZE * 1.35)


def test_svg_text_holds_title_filters_snapshot_and_source():
    texts = _svg_texts(export.svg(_bar_spec(), PROVENANCE))
    for line in PROVENANCE.lines():
        assert line in texts
    assert "Black" in texts and "Per 1,000" in texts  # the chart itself is drawn too


def test_png_is_twice_the_svg_size_and_not_blank():
    svg = ET.fromstring(export.svg(_bar_spec(), PROVENANCE, width=500))
    width, height = float(svg.get("width")), float(svg.get("height"))
    image = Image.open(io.BytesIO(export.png(_bar_spec(), PROVENANCE, width=500))).convert("RGB")
    assert image.size == (round(width * 2), round(height * 2))
    assert 560 < width < 620  # 500 px of plot, plus the axis labels and 16 px padding
    pixels = image.resize((200, 100)).getcolors(maxcolors=1 << 16)
    inked = sum(count for count, rgb in pixels if min(rgb) < 240)
    bars = sum(count for count, rgb in pixels if rgb == (76, 120, 168))  # Vega-Lite's default blue
    assert inked > 4000 and bars > 1500  # of 20,000: bars and text, not an empty page


def test_real_screen_specs_export():
    legend = screen_spec(class_legend(ClassScale((5.0, 10.0), ("#ffffb2", "#fd8d3c", "#bd0026")), "Rate"))
    texts = _svg_texts(export.svg(legend, PROVENANCE))
    assert {"under 5.0", "5.0 to 10.0", "10.0 and over"} <= set(texts)
    assert PROVENANCE.source in " ".join(texts)  # wrapped to the legend's 420 px


def test_csv_has_the_provenance_lines_as_comments():
    data = pd.DataFrame({"group": ["Black", "White"], "rate": [33.1, 8.3]})
    text = export.csv_text(data, PROVENANCE)
    lines = text.splitlines()
    assert lines[:4] == [f"# {line}" for line in PROVENANCE.lines()]
    assert lines[4:] == ["group,rate", "Black,33.1", "White,8.3"]
    assert pd.read_csv(io.StringIO(text), comment="#").equals(data)


def test_file_stem_is_safe():
    assert PROVENANCE.file_stem() == "searches-per-1-000-residents-per-year-lambeth-march-2024-to-february-2025"
    assert Provenance("../../etc/passwd", "", "", "").file_stem() == "etc-passwd"


# --- Static maps ----------------------------------------------------------------------------


def _outlines() -> gpd.GeoDataFrame:
    """Three square 'boroughs' near London, drawn counter-clockwise (as GeoJSON prefers)."""
    boxes = [shapely.box(-0.2 + 0.1 * i, 51.4, -0.1 + 0.1 * i, 51.5) for i in range(3)]
    return gpd.GeoDataFrame(
        {"gss_code": ["E09000001", "E09000002", "E09000003"], "name": ["Alpha", "Beta", "Gamma"]},
        geometry=boxes,
        crs="EPSG:4326",
    )


SCALE = ClassScale((10.0,), ("#ffffb2", "#bd0026"))


def test_choropleth_exports_with_legend_and_provenance():
    """The briefing pack's static choropleth exports through the same frame: its legend stays
    above the source line, and no borough is drawn as the globe minus the borough."""
    values = pd.DataFrame({"gss_code": ["E09000001"], "value": [5.0], "label": ["5.0"]})
    spec = vegalite.borough_choropleth_spec(
        vegalite.outline_features(_outlines()),
        values,
        value_column="value",
        label_column="label",
        scale=SCALE,
        title="Rate",
        legend_title="Rate",
        no_data_label="fewer than 10",
    )
    svg = export.svg(spec, PROVENANCE)
    texts = _svg_texts(svg)
    assert {"Rate", "under 10.0", "fewer than 10", PROVENANCE.title, PROVENANCE.filters} <= set(texts)
    assert PROVENANCE.source in " ".join(texts)
    root = ET.fromstring(svg)
    assert float(root.get("width")) < 700 and float(root.get("height")) < 800  # no shape drawn as the globe


def _cells() -> gpd.GeoDataFrame:
    cells = [shapely.box(-0.2 + 0.02 * i, 51.42, -0.18 + 0.02 * i, 51.44) for i in range(15)]
    hot = [HOT_99, HOT_95] + [NOT_SIGNIFICANT] * 13
    return gpd.GeoDataFrame({"count": [50, 30, *range(13)], "hot": hot}, geometry=cells, crs="EPSG:4326")


def test_hotspot_map_outlines_hot_spots_and_zooms_to_a_borough():
    spec = static.hotspot_map_spec(_cells(), scale=SCALE, legend_title="Offences", outlines=_outlines())
    check_spec(spec)
    fills, _borough_lines, hot = spec["layer"]
    assert len(fills["data"]["values"]["features"]) == 14  # the empty cell is not drawn
    assert [f["properties"]["hot"] for f in hot["data"]["values"]["features"]] == [HOT_99, HOT_95]
    assert hot["encoding"]["stroke"]["scale"]["domain"] == [HOT_95, HOT_99]
    assert len(spec["projection"]["fit"]["features"]) == 3  # all London
    zoomed = static.hotspot_map_spec(
        _cells(), scale=SCALE, legend_title="Offences", outlines=_outlines(), selected="E09000001"
    )
    assert [f["properties"]["gss_code"] for f in zoomed["projection"]["fit"]["features"]] == ["E09000001"]
    kept = zoomed["layer"][0]["data"]["values"]["features"]
    assert 0 < len(kept) < 14 and zoomed["layer"][0]["mark"]["clip"] is True
    texts = _svg_texts(export.svg(zoomed, PROVENANCE))
    assert {HOT_95, HOT_99, "Offences"} <= set(texts)


@pytest.mark.parametrize("bounds", [(-0.2, 51.4, -0.1, 51.5), (-0.5, 51.45, 0.3, 51.5)])
def test_visible_bounds_match_the_map_shape(bounds):
    west, south, east, north = static._visible_bounds(bounds, 560, 470)
    assert west <= bounds[0] and east >= bounds[2] and south <= bounds[1] and north >= bounds[3]
    squeeze = shapely.affinity.scale(shapely.box(west, south, east, north), xfact=0.623, yfact=1.0)
    minx, miny, maxx, maxy = squeeze.bounds
    assert (maxx - minx) / (maxy - miny) == pytest.approx(560 / 470, rel=0.05)
