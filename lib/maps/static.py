"""The hot-spot map as a Vega-Lite geoshape spec: the static twin of the pydeck map, with the
same colour classes and outlines, so it exports to PNG and SVG (and reads on a slide) exactly
as a chart does. The borough choropleth's twin is `lib.maps.vegalite.borough_choropleth_spec`.

Cells are simplified to about 20 m and coordinates rounded to 5 decimals (about 1 m): an
exported map of all London's hexagons stays under a megabyte.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lib.colour import HOT_95_COLOUR, HOT_99_COLOUR, SELECTED_OUTLINE, ClassScale
from lib.hexes import cell_polygons
from lib.metrics.hotspots import HOT_95, HOT_99

MAP_WIDTH = 560
MAP_HEIGHT = 470
SIMPLIFY_DEGREES = 0.0002  # about 20 m at London's latitude


def _features(frame: gpd.GeoDataFrame, properties: list[str]) -> list[dict]:
    """GeoJSON features with the given properties, simplified and rounded."""
    shapes = shapely.simplify(np.asarray(frame.geometry.values), SIMPLIFY_DEGREES, preserve_topology=True)
    shapes = shapely.transform(shapes, lambda xy: np.round(xy, 5))
    # d3-geo (which Vega projects with) reads rings on the sphere: an exterior ring must run
    # clockwise, or the shape is taken as the whole globe minus the area.
    shapes = shapely.orient_polygons(shapes, exterior_cw=True)
    rows = frame[properties].to_dict("records")
    return [
        {"type": "Feature", "properties": row, "geometry": json.loads(shapely.to_geojson(shape))}
        for row, shape in zip(rows, shapes, strict=True)
    ]


def _geo_data(features: list[dict]) -> dict:
    return {
        "values": {"type": "FeatureCollection", "features": features},
        "format": {"type": "json", "property": "features"},
    }


def _outline_layer(features: list[dict], colour: str, width: float, *, clip: bool = False) -> dict:
    return {
        "data": _geo_data(features),
        "mark": {"type": "geoshape", "filled": False, "stroke": colour, "strokeWidth": width, "clip": clip},
    }


def _class_legend(title: str) -> dict:
    return {
        "title": title,
        "orient": "bottom",
        "direction": "horizontal",
        "columns": 4,
        "symbolType": "square",
        "symbolSize": 300,
        "symbolStrokeColor": "#999999",
        "symbolStrokeWidth": 0.5,
        "labelLimit": 0,
        "titleLimit": 0,
    }


def _map(layers: list[dict], fit: list[dict], *, width: int, height: int) -> dict:
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": width,
        "height": height,
        # Fitted to the features given (all London, or one borough), so a borough view is
        # the same zoom as the interactive map's.
        "projection": {"type": "mercator", "fit": {"type": "FeatureCollection", "features": fit}},
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }


def hotspot_map_spec(
    cells: gpd.GeoDataFrame,
    *,
    scale: ClassScale,
    legend_title: str,
    outlines: gpd.GeoDataFrame,
    selected: str | None = None,
    width: int = MAP_WIDTH,
    height: int = MAP_HEIGHT,
) -> dict:
    """Small areas (hexagons or LSOAs, as polygons in `cells.geometry` with `count` and
    `hot`) with at least one offence, filled by count class; 95% and 99% hot spots outlined
    in the legend's colours; borough lines for orientation. Fitted to the selected borough,
    or all London."""
    labels = scale.labels("{:,.0f}")
    frame = cells[cells["count"] > 0].copy()
    chosen = outlines[outlines["gss_code"] == selected]
    clip = not chosen.empty
    if clip:
        # Only the cells in sight, clipped at the map's edge (clipping all of London's
        # cells costs vl-convert tens of seconds; London's own cells need no clipping).
        frame = frame[frame.intersects(shapely.box(*_visible_bounds(chosen.total_bounds, width, height)))]
    frame["class"] = [labels[scale.colours.index(scale.colour(float(v)))] for v in frame["count"]]
    counted = _features(frame, ["class", "count", "hot"])
    borough_features = _features(outlines, ["gss_code"])
    layers: list[dict[str, Any]] = [
        {
            "data": _geo_data(counted),
            "mark": {"type": "geoshape", "strokeWidth": 0, "clip": clip},
            "encoding": {
                "color": {
                    "field": "properties.class",
                    "type": "nominal",
                    "scale": {"domain": labels, "range": list(scale.colours)},
                    "legend": _class_legend(legend_title),
                }
            },
        },
        _outline_layer(borough_features, "#787878", 0.8, clip=clip),
    ]
    hot = [f for f in counted if f["properties"]["hot"] in (HOT_95, HOT_99)]
    if hot:
        levels = [HOT_95, HOT_99]
        layer = _outline_layer(hot, HOT_99_COLOUR, 2, clip=clip)
        del layer["mark"]["stroke"], layer["mark"]["strokeWidth"]
        layer["encoding"] = {
            "stroke": {
                "field": "properties.hot",
                "type": "nominal",
                "scale": {"domain": levels, "range": [HOT_95_COLOUR, HOT_99_COLOUR]},
                "legend": {"title": "Outlined", "orient": "bottom", "direction": "horizontal", "symbolType": "square"},
            },
            "strokeWidth": {
                "field": "properties.hot",
                "type": "nominal",
                "scale": {"domain": levels, "range": [1.5, 2.5]},
                "legend": None,
            },
        }
        layers.append(layer)
    outline = [f for f in borough_features if f["properties"]["gss_code"] == selected]
    if outline:
        layers.append(_outline_layer(outline, SELECTED_OUTLINE, 3))
    return _map(layers, outline or borough_features, width=width, height=height)


def _visible_bounds(bounds: tuple[float, float, float, float], width: int, height: int) -> tuple[float, ...]:
    """The area a map of width × height px shows when fitted to `bounds` (lon/lat): the
    bounds widened in one direction to the map's shape (degrees of longitude shrink by
    cos(latitude)), plus a 5% margin."""
    west, south, east, north = bounds
    squeeze = np.cos(np.radians((south + north) / 2))
    span_x, span_y = (east - west) * squeeze, north - south
    span_x, span_y = max(span_x, span_y * width / height), max(span_y, span_x * height / width)
    cx, cy = (west + east) / 2, (south + north) / 2
    half_x, half_y = span_x / squeeze / 2 * 1.05, span_y / 2 * 1.05
    return (cx - half_x, cy - half_y, cx + half_x, cy + half_y)


def hexagon_frame(scored: pd.DataFrame) -> gpd.GeoDataFrame:
    """H3 cells (`cell`, `count`, `hot`) as polygons for `hotspot_map_spec`."""
    rings = cell_polygons(scored["cell"])
    return gpd.GeoDataFrame(
        scored[["cell", "count", "hot"]].reset_index(drop=True),
        geometry=[shapely.Polygon(ring) for ring in rings],
        crs="EPSG:4326",
    )
