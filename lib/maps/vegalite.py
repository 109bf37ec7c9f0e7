"""Static borough maps as Vega-Lite geoshape specs, for output that has no browser map
(the briefing pack, exported images). Same outlines and class colours as the pydeck
choropleth, so a colour means the same value on screen and on paper."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from lib.colour import NO_DATA, SELECTED_OUTLINE, ClassScale

# About 30 m at London's latitude: invisible at A4 size, and it halves the outline points.
SIMPLIFY_DEGREES = 0.0003


def outline_features(outlines: gpd.GeoDataFrame) -> list[dict]:
    """Borough outlines as GeoJSON features (gss_code, name), simplified, with exterior rings
    clockwise: Vega's spherical geometry reads an anticlockwise ring as "everything but this
    borough", which would paint the whole map."""
    geometry = shapely.orient_polygons(
        outlines.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True).to_numpy(), exterior_cw=True
    )
    return [
        {"type": "Feature", "properties": {"gss_code": code, "name": name}, "geometry": shapely.geometry.mapping(shape)}
        for code, name, shape in zip(outlines["gss_code"], outlines["name"], geometry, strict=True)
    ]


def borough_choropleth_spec(
    features: list[dict],
    values: pd.DataFrame,
    *,
    value_column: str,
    label_column: str,
    scale: ClassScale,
    title: str,
    legend_title: str,
    legend_format: str = "{:,.1f}",
    no_data_label: str = "no figure",
    selected: str | None = None,
    width: int = 420,
    height: int = 340,
) -> dict:
    """Each borough filled with `scale.colour(value)` (grey where the value is missing), the
    selected borough outlined in black, and a legend of the classes beneath. `values` has
    gss_code, the value and a text label per borough (shown in the legend-free tooltip of
    SVG titles and used for alt text)."""
    by_code = values.set_index("gss_code")
    shapes = []
    for feature in features:
        code = feature["properties"]["gss_code"]
        value = by_code[value_column].get(code) if code in by_code.index else None
        label = by_code[label_column].get(code) if code in by_code.index else no_data_label
        shapes.append(
            {
                **feature,
                "properties": {
                    **feature["properties"],
                    "fill": scale.colour(None if value is None or pd.isna(value) else float(value)),
                    "label": label,
                    "is_selected": code == selected,
                },
            }
        )
    labels = [*scale.labels(legend_format), no_data_label]
    colours = [*scale.colours, NO_DATA]
    shared = {"data": {"name": "boroughs", "format": {"type": "json", "property": "features"}}}
    return {
        "title": title,
        "width": width,
        "height": height,
        "datasets": {
            "boroughs": {"type": "FeatureCollection", "features": shapes},
            "legend": [{"label": label, "order": i} for i, label in enumerate(labels)],
        },
        "projection": {"type": "mercator"},
        "layer": [
            {
                **shared,
                "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.8},
                "encoding": {
                    "fill": {"field": "properties.fill", "type": "nominal", "scale": None},
                    "tooltip": [
                        {"field": "properties.name", "type": "nominal", "title": "Borough"},
                        {"field": "properties.label", "type": "nominal", "title": legend_title},
                    ],
                },
            },
            {
                **shared,
                "transform": [{"filter": "datum.properties.is_selected"}],
                "mark": {"type": "geoshape", "filled": False, "stroke": SELECTED_OUTLINE, "strokeWidth": 2.5},
            },
            {
                # The class legend: Vega-Lite's own legend for an invisible mark.
                "data": {"name": "legend"},
                "mark": {"type": "square", "size": 0, "opacity": 0},
                "encoding": {
                    "color": {
                        "field": "label",
                        "type": "nominal",
                        "sort": labels,
                        "scale": {"domain": labels, "range": colours},
                        "legend": {
                            "title": legend_title,
                            "orient": "bottom",
                            "direction": "horizontal",
                            "columns": 4,
                            "symbolType": "square",
                            "symbolStrokeColor": "#999999",
                            "symbolStrokeWidth": 0.5,
                            "labelLimit": 0,
                            "titleLimit": 0,
                        },
                    }
                },
            },
        ],
    }
