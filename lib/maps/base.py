"""What every map shares: the basemap setting and a view fitted to an area."""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import math
import sys
import threading
import uuid

import numpy as np
import pydeck as pdk
import shapely
import shapely.geometry
from pydeck.bindings.json_tools import default_serialize

from lib import settings

# Every pdk.Deck() tries twice to import its Jupyter widget, which needs ipywidgets; where that
# is not installed each failed attempt searches the import path again (about 1% of a busy
# server's CPU). A None entry in sys.modules makes the import fail at once, as it would anyway.
if importlib.util.find_spec("ipywidgets") is None:
    sys.modules.setdefault("pydeck.widget", None)

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


class RawJSON(str):
    """A layer's data already serialised to JSON, spliced into the deck's JSON as it is.
    Data that stays the same for every borough (the hexagon layer, borough outlines) is
    serialised once and cached as text: reading a cached string back costs nothing, where a
    list of thousands of records costs tens of milliseconds to unpickle and to encode."""


def to_json_text(value: object) -> RawJSON:
    """`value` as compact JSON (no spaces), ready to be a layer's data."""
    return RawJSON(json.dumps(value, separators=(",", ":")))


class CompactDeck(pdk.Deck):
    """A Deck that serialises compactly (a measured exception to using pydeck as shipped).
    pydeck indents its JSON, which forces Python's slow pure-Python encoder (a hexagon map's
    2,000+ polygons then cost hundreds of milliseconds per page view) and spends a byte or
    more on every separator; this one uses the C encoder without spaces, and splices in
    layer data given as `RawJSON` text."""

    def to_json(self) -> str:
        spliced: dict[str, str] = {}
        token = f"@@raw-{uuid.uuid4().hex}-"

        def serialise(obj: object) -> object:
            attrs = default_serialize(obj)
            if isinstance(attrs, dict):
                for key, value in attrs.items():
                    if isinstance(value, RawJSON):
                        marker = f"{token}{len(spliced)}"
                        spliced[marker] = value
                        attrs[key] = marker
            return attrs

        text = json.dumps(self, sort_keys=True, default=serialise, separators=(",", ":"))
        for marker, raw in spliced.items():
            text = text.replace(f'"{marker}"', raw, 1)
        return text


# Outlines on screen: about 10 m of simplification and 5 decimal places (about 1 m) are
# invisible at the zooms the maps allow, and halve or better the bytes a page view sends.
SIMPLIFY_DEGREES = 0.0001
DECIMALS = 5


def compact_geometries(geometries: object) -> list[str]:
    """Each shapely geometry as compact GeoJSON text, simplified by SIMPLIFY_DEGREES (topology
    kept) and rounded to DECIMALS places. Cached by content: the borough outlines come back
    from the query cache as a new frame every page view, but their shapes never change."""
    array = np.asarray(geometries, dtype=object)
    key = hashlib.blake2b(b"".join(shapely.to_wkb(array)), digest_size=16).digest()
    with _GEOMETRY_LOCK:
        cached = _GEOMETRY_TEXT.get(key)
    if cached is None:
        simplified = shapely.simplify(array, SIMPLIFY_DEGREES, preserve_topology=True)
        rounded = shapely.set_precision(simplified, 10.0**-DECIMALS)
        cached = [json.dumps(_rounded(shapely.geometry.mapping(g)), separators=(",", ":")) for g in rounded]
        with _GEOMETRY_LOCK:
            if len(_GEOMETRY_TEXT) >= 16:
                _GEOMETRY_TEXT.pop(next(iter(_GEOMETRY_TEXT)))
            _GEOMETRY_TEXT[key] = cached
    return cached


_GEOMETRY_TEXT: dict[bytes, list[str]] = {}
_GEOMETRY_LOCK = threading.Lock()


def _rounded(geometry: dict) -> dict:
    """set_precision snaps to the grid, but the floats still print with binary noise
    (51.51234000000001): round the printed coordinates too."""

    def walk(value):
        if isinstance(value, float):
            return round(value, DECIMALS)
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        return value

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def feature_collection(geometries: list[str], properties: list[dict]) -> RawJSON:
    """A GeoJSON FeatureCollection as compact JSON text, from geometry texts
    (`compact_geometries`) and each feature's properties."""
    features = ",".join(
        f'{{"type":"Feature","properties":{json.dumps(props, separators=(",", ":"))},"geometry":{geometry}}}'
        for geometry, props in zip(geometries, properties, strict=True)
    )
    return RawJSON(f'{{"type":"FeatureCollection","features":[{features}]}}')


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
