"""Hot-spot maps: small cells (H3 hexagons or LSOAs) shaded by offence count, significant
Gi* hot spots outlined, borough boundaries drawn for orientation. Never single points."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from lib.colour import HOT_95_COLOUR, HOT_99_COLOUR, SELECTED_OUTLINE, ClassScale, hex_to_rgb
from lib.hexes import cell_polygons
from lib.maps.base import RawJSON, compact_geometries, deck, feature_collection, to_json_text
from lib.metrics.hotspots import HOT_95, HOT_99

# Outline widths in metres (a hexagon is about 460 m across), never thinner than 2 px.
_OUTLINE_WIDTH = {HOT_95: 35.0, HOT_99: 60.0}
_OUTLINE_COLOUR = {HOT_95: HOT_95_COLOUR, HOT_99: HOT_99_COLOUR}
TOOLTIP = {"text": "{tooltip}"}
_HEXAGON_FILL_ALPHA = 190


def _with_styles(scored: pd.DataFrame, scale: ClassScale) -> pd.DataFrame:
    frame = scored.copy()
    frame["fill"] = [[*hex_to_rgb(scale.colour(c)), _HEXAGON_FILL_ALPHA] for c in frame["count"]]
    frame["outline"] = [hex_to_rgb(_OUTLINE_COLOUR.get(h, "#000000")) for h in frame["hot"]]
    frame["outline_width"] = [_OUTLINE_WIDTH.get(h, 0.0) for h in frame["hot"]]
    frame["tooltip"] = [
        f"{c:,} offences\nGi* z-score {z:.2f}\n{h}"
        for c, z, h in zip(frame["count"], frame["z"], frame["hot"], strict=True)
    ]
    return frame


def _borough_lines(outlines: gpd.GeoDataFrame, selected: str | None) -> list[pdk.Layer]:
    shapes = compact_geometries(outlines.geometry)
    codes = list(outlines["gss_code"])
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=feature_collection(shapes, [{"gss_code": code} for code in codes]),
            id="borough-lines",
            stroked=True,
            filled=False,
            get_line_color=[120, 120, 120],
            line_width_min_pixels=1,
        )
    ]
    if selected is not None and selected in codes:
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                data=feature_collection([shapes[codes.index(selected)]], [{"gss_code": selected}]),
                id="selected-borough",
                stroked=True,
                filled=False,
                get_line_color=hex_to_rgb(SELECTED_OUTLINE),
                line_width_min_pixels=3,
            )
        )
    return layers


def hexagon_records(scored: pd.DataFrame, scale: ClassScale) -> tuple[RawJSON, RawJSON]:
    """The hexagon map's data as JSON text: (every cell with at least one offence, with its
    outline, fill and tooltip; the hot spots among them, with outline colour and width). The
    same for every borough, so a page can compute it once per offence group and period and
    cache the text. Corners are rounded to 4 decimal places (at most 6 m on a hexagon 460 m
    across; neighbours share their rounded corners, so no gaps open), each ring is left open
    (deck.gl closes it) and the fill's transparency is the layer's, not each cell's."""
    frame = _with_styles(scored[scored["count"] > 0], scale)
    # Hexagon outlines are computed here rather than by deck.gl's H3HexagonLayer, whose
    # in-browser hexagon maths stalled headless Chromium for tens of seconds.
    rings = cell_polygons(frame["cell"])
    frame["polygon"] = [[[round(lon, 4), round(lat, 4)] for lon, lat in ring[:-1]] for ring in rings]
    frame["fill"] = [fill[:3] for fill in frame["fill"]]
    records = frame[["polygon", "fill", "tooltip"]].to_dict("records")
    hot = frame[frame["outline_width"] > 0][["cell", "polygon", "outline", "outline_width", "tooltip"]]
    return to_json_text(records), to_json_text(hot.to_dict("records"))


def hexagon_hotspot_map(
    scored: pd.DataFrame,
    *,
    scale: ClassScale,
    outlines: gpd.GeoDataFrame,
    view: pdk.ViewState,
    selected: str | None = None,
    records: tuple[RawJSON, RawJSON] | None = None,
) -> pdk.Deck:
    """H3 cells with at least one offence filled by `scale.colour(count)`; hot spots (95% and
    99%) outlined in the legend's colours; hover shows count, z-score and significance.
    `records` may carry `hexagon_records(scored, scale)` computed earlier."""
    records, hot = records or hexagon_records(scored, scale)
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data=records,
            id="hexagon-counts",
            get_polygon="polygon",
            get_fill_color="fill",
            opacity=_HEXAGON_FILL_ALPHA / 255,
            stroked=False,
            filled=True,
            extruded=False,
            pickable=True,
        ),
        pdk.Layer(
            "PolygonLayer",
            data=hot,
            id="hot-spots",
            get_polygon="polygon",
            filled=False,
            stroked=True,
            extruded=False,
            get_line_color="outline",
            get_line_width="outline_width",
            line_width_min_pixels=2,
            pickable=True,
        ),
        *_borough_lines(outlines, selected),
    ]
    return deck(layers, view, tooltip=TOOLTIP)


def lsoa_hotspot_map(
    scored: gpd.GeoDataFrame,
    *,
    scale: ClassScale,
    outlines: gpd.GeoDataFrame,
    view: pdk.ViewState,
    selected: str | None = None,
) -> pdk.Deck:
    """LSOAs filled by `scale.colour(count)`, hot spots outlined; hover shows the LSOA name,
    count, z-score and significance."""
    frame = _with_styles(scored, scale)
    frame["tooltip"] = frame["name"] + "\n" + frame["tooltip"]
    properties = pd.DataFrame(frame[["cell", "fill", "outline", "outline_width", "tooltip"]]).to_dict("records")
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=feature_collection(compact_geometries(scored.geometry), properties),
            id="lsoa-counts",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color="properties.outline",
            get_line_width="properties.outline_width",
            pickable=True,
        ),
        *_borough_lines(outlines, selected),
    ]
    return deck(layers, view, tooltip=TOOLTIP)
