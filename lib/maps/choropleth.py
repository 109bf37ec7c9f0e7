"""Borough choropleth: real outlines filled by a value, the selected borough outlined."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pydeck as pdk

from lib.colour import SELECTED_OUTLINE, ClassScale, hex_to_rgb
from lib.maps.base import compact_geometries, deck, feature_collection, london_view, view_for_bounds


def borough_choropleth(
    outlines: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    value_column: str,
    scale: ClassScale,
    tooltip_column: str,
    selected: str | None = None,
    view: pdk.ViewState | None = None,
) -> pdk.Deck:
    """Each borough filled with `scale.colour(value)`; `values` has `gss_code`, the value
    column and a ready-made `tooltip_column` text. Hovering shows the borough and that text.
    `view` defaults to all London in a full-width map."""
    frame = pd.DataFrame(outlines[["gss_code", "name"]]).merge(
        values[["gss_code", value_column, tooltip_column]].drop_duplicates("gss_code"), on="gss_code", how="left"
    )
    frame["fill"] = [[*hex_to_rgb(scale.colour(v)), 215] for v in frame[value_column]]
    frame["tooltip"] = frame[tooltip_column].fillna("No data")
    shapes = compact_geometries(outlines.geometry)
    properties = frame[["gss_code", "name", "tooltip", "fill"]].to_dict("records")
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            data=feature_collection(shapes, properties),
            id="boroughs",
            pickable=True,
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
        )
    ]
    view = view or london_view()
    if selected is not None and (frame.gss_code == selected).any():
        at = int((frame.gss_code == selected).to_numpy().argmax())
        layers.append(
            pdk.Layer(
                "GeoJsonLayer",
                data=feature_collection([shapes[at]], [{"gss_code": selected}]),
                id="selected-borough",
                stroked=True,
                filled=False,
                get_line_color=hex_to_rgb(SELECTED_OUTLINE),
                line_width_min_pixels=3,
            )
        )
    return deck(layers, view, tooltip={"text": "{name}\n{tooltip}"})


def borough_view(outlines: gpd.GeoDataFrame, gss_code: str, width_px: int = 900, height_px: int = 560) -> pdk.ViewState:
    """A view zoomed to one borough in a map of the given size."""
    return view_for_bounds(tuple(outlines[outlines.gss_code == gss_code].total_bounds), width_px, height_px)
