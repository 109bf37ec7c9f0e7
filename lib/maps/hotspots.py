"""Hot-spot maps: small cells (H3 hexagons or LSOAs) shaded by offence count, significant
Gi* hot spots outlined, borough boundaries drawn for orientation. Never single points."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from lib.colour import HOT_95_COLOUR, HOT_99_COLOUR, SELECTED_OUTLINE, ClassScale, hex_to_rgb
from lib.hexes import cell_polygons
from lib.maps.base import deck
from lib.metrics.hotspots import HOT_95, HOT_99

# Outline widths in metres (a hexagon is about 460 m across), never thinner than 2 px.
_OUTLINE_WIDTH = {HOT_95: 35.0, HOT_99: 60.0}
_OUTLINE_COLOUR = {HOT_95: HOT_95_COLOUR, HOT_99: HOT_99_COLOUR}
TOOLTIP = {"text": "{tooltip}"}


def _with_styles(scored: pd.DataFrame, scale: ClassScale) -> pd.DataFrame:
    frame = scored.copy()
    frame["fill"] = [[*hex_to_rgb(scale.colour(c)), 190] for c in frame["count"]]
    frame["outline"] = [hex_to_rgb(_OUTLINE_COLOUR.get(h, "#000000")) for h in frame["hot"]]
    frame["outline_width"] = [_OUTLINE_WIDTH.get(h, 0.0) for h in frame["hot"]]
    frame["tooltip"] = [
        f"{c:,} offences\nGi* z-score {z:.2f}\n{h}"
        for c, z, h in zip(frame["count"], frame["z"], frame["hot"], strict=True)
    ]
    return frame


def _borough_lines(outlines: gpd.GeoDataFrame, selected: str | None) -> list[pdk.Layer]:
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=outlines[["gss_code", "geometry"]].__geo_interface__,
            id="borough-lines",
            stroked=True,
            filled=False,
            get_line_color=[120, 120, 120],
            line_width_min_pixels=1,
        )
    ]
    if selected is not None and (outlines["gss_code"] == selected).any():
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                data=outlines.loc[outlines["gss_code"] == selected, ["gss_code", "geometry"]].__geo_interface__,
                id="selected-borough",
                stroked=True,
                filled=False,
                get_line_color=hex_to_rgb(SELECTED_OUTLINE),
                line_width_min_pixels=3,
            )
        )
    return layers


def hexagon_records(scored: pd.DataFrame, scale: ClassScale) -> tuple[list[dict], list[dict]]:
    """The hexagon map's data: (every cell with at least one offence, with its outline, fill
    and tooltip; the hot spots among them, with outline colour and width). The same for every
    borough, so a page can compute it once per offence group and period."""
    frame = _with_styles(scored[scored["count"] > 0], scale)
    # Hexagon outlines are computed here rather than by deck.gl's H3HexagonLayer, whose
    # in-browser hexagon maths stalled headless Chromium for tens of seconds.
    frame["polygon"] = cell_polygons(frame["cell"])
    records = frame[["cell", "polygon", "fill", "tooltip"]].to_dict("records")
    hot = frame[frame["outline_width"] > 0][["cell", "polygon", "outline", "outline_width", "tooltip"]]
    return records, hot.to_dict("records")


def hexagon_hotspot_map(
    scored: pd.DataFrame,
    *,
    scale: ClassScale,
    outlines: gpd.GeoDataFrame,
    view: pdk.ViewState,
    selected: str | None = None,
    records: tuple[list[dict], list[dict]] | None = None,
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
    shapes = gpd.GeoDataFrame(
        frame[["cell", "fill", "outline", "outline_width", "tooltip"]], geometry=frame.geometry, crs="EPSG:4326"
    )
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=shapes.__geo_interface__,
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
