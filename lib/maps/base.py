"""What every map shares: the basemap setting and a view fitted to an area."""

from __future__ import annotations

import base64
import json
import math

import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from lib import settings

LONDON_VIEW = {"latitude": 51.4893, "longitude": -0.0882, "zoom": 9.1}
# A MapLibre style with only a plain background, inlined as a data: URL. Streamlit's map
# component fills in Carto's style (an outside request) whenever a deck has no map style,
# pydeck drops map_provider=None when it serialises, and the component only accepts a style
# given as a string; this one keeps the map offline.
_BLANK_STYLE = {
    "version": 8,
    "sources": {},
    "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#f4f4f2"}}],
}
OFFLINE_STYLE = "data:application/json;base64," + base64.b64encode(json.dumps(_BLANK_STYLE).encode()).decode()


def view_for_bounds(
    bounds: tuple[float, float, float, float], width_px: int = 900, height_px: int = 560
) -> pdk.ViewState:
    """A view that fits (min lon, min lat, max lon, max lat) in a map of the given size."""
    min_lon, min_lat, max_lon, max_lat = bounds
    lon_span = max(max_lon - min_lon, 1e-4)
    lat_span = max(max_lat - min_lat, 1e-4)
    centre_lat = (min_lat + max_lat) / 2
    # deck.gl's Web Mercator: 512 px cover 360 degrees of longitude at zoom 0.
    zoom_lon = math.log2(width_px * 360 / (lon_span * 512))
    lat_span_mercator = lat_span / math.cos(math.radians(centre_lat))
    zoom_lat = math.log2(height_px * 360 / (lat_span_mercator * 512))
    zoom = min(zoom_lon, zoom_lat) - 0.15  # a margin around the area
    return pdk.ViewState(
        latitude=centre_lat,
        longitude=(min_lon + max_lon) / 2,
        zoom=round(min(max(zoom, 8.5), 15), 2),
        pitch=0,
        bearing=0,
    )


LONDON_BOUNDS = (-0.5104, 51.2868, 0.3340, 51.6919)


def london_view(width_px: int | None = None, height_px: int = 520) -> pdk.ViewState:
    """All London: the standard full-width view, or one fitted to a map of the given size."""
    if width_px is None:
        return pdk.ViewState(**LONDON_VIEW, pitch=0, bearing=0)
    return view_for_bounds(LONDON_BOUNDS, width_px, height_px)


class CompactDeck(pdk.Deck):
    """A Deck that serialises without indentation (a measured exception to using pydeck as
    shipped). pydeck indents its JSON, which forces Python's slow pure-Python encoder; a
    hexagon map's 2,000+ polygons then cost hundreds of milliseconds per page view. Without
    indent the C encoder does the same in a few."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize)


def deck(layers: list[pdk.Layer], view: pdk.ViewState, tooltip: dict | None = None) -> pdk.Deck:
    """A Deck with Carto light tiles, or no basemap at all (and no outside request) when
    the basemap setting is off."""
    if settings.basemap_enabled():
        return CompactDeck(
            layers=layers,
            initial_view_state=view,
            tooltip=tooltip,
            map_provider="carto",
            map_style=pdk.map_styles.CARTO_LIGHT,
        )
    return CompactDeck(
        layers=layers, initial_view_state=view, tooltip=tooltip, map_provider=None, map_style=OFFLINE_STYLE
    )
