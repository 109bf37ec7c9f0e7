"""Charts and maps as files that carry their own provenance: PNG and SVG rendered on the
server from the Vega-Lite spec (vl-convert), and the data behind them as CSV.

A chart pasted into a paper or a slide loses the page around it, so the title, the filters
in words, the snapshot and the source line are drawn into the image itself and written as
comment lines above the CSV. No Streamlit here: pages reach these through `lib.ui`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
import vl_convert as vlc

from lib.formatting import wrapped

EXPORT_WIDTH = 720  # px: the chart's width when its spec asks for the container's
TITLE_SIZE = 20
SUBTITLE_SIZE = 14
FOOTER_SIZE = 12
PNG_SCALE = 2  # PNG pixels per SVG pixel: crisp when pasted into a document or slide
_FOOTER_LINE_HEIGHT = 1.35
# Keys that only a top-level Vega-Lite spec may hold; the rest of a spec is the chart body.
_TOP_LEVEL = ("$schema", "config", "datasets", "autosize", "padding", "background", "usermeta", "params")


_LEGEND_CHANNELS = ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash")


@dataclass(frozen=True)
class Provenance:
    """Where a chart comes from, in words: drawn into every export.

    `filters` is the view in words ("Lambeth · March 2024 to February 2025"), `snapshot` the
    data it was drawn from ("Official data published to February 2025")."""

    title: str
    filters: str
    snapshot: str
    source: str

    def lines(self) -> list[str]:
        return [line for line in (self.title, self.filters, self.snapshot, self.source) if line]

    def file_stem(self) -> str:
        """A file name from the title and filters: 'stop-rates-lambeth-mar-2024-to-feb-2025'."""
        words = re.sub(r"[^a-z0-9]+", "-", f"{self.title} {self.filters}".lower()).strip("-")
        return words[:100].rstrip("-") or "chart"


def framed_spec(spec: dict, provenance: Provenance, *, width: int = EXPORT_WIDTH) -> dict:
    """The chart with its provenance around it: title, filters and snapshot above, the
    source line below, as one Vega-Lite spec (a vertical concatenation of the chart and a
    text footer), so SVG and PNG come from the same drawing.

    A body that fills its container gets `width` px; the chart's own title is kept when it
    says more than the export title."""
    spec = copy.deepcopy(spec)
    top = {key: spec.pop(key) for key in _TOP_LEVEL if key in spec}
    body = spec
    if body.get("width") == "container" or ("width" not in body and _is_unit_or_layer(body)):
        body["width"] = width
    if body.get("height") == "container":
        body["height"] = 300
    if _title_text(body.get("title")) == provenance.title:
        body.pop("title")
    text_width = body["width"] if isinstance(body.get("width"), int | float) else width
    footer_lines = wrapped(provenance.source, text_width, FOOTER_SIZE)
    footer = {
        "data": {"values": [{}]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "x": 0,
            "y": 0,
            "fontSize": FOOTER_SIZE,
            "lineHeight": round(FOOTER_SIZE * _FOOTER_LINE_HEIGHT),
            "color": "#333333",
        },
        "encoding": {"text": {"value": footer_lines}},
        "width": text_width,
        "height": round(len(footer_lines) * FOOTER_SIZE * _FOOTER_LINE_HEIGHT),
        "view": {"stroke": None, "fill": None},
    }
    config = top.pop("config", {})
    config.setdefault("font", "Liberation Sans, DejaVu Sans, sans-serif")
    subtitle = [line for part in (provenance.filters, provenance.snapshot) for line in wrapped(part, text_width, 14)]
    framed = {
        "$schema": top.pop("$schema", "https://vega.github.io/schema/vega-lite/v5.json"),
        **top,
        "config": config,
        "title": {
            "text": wrapped(provenance.title, text_width, TITLE_SIZE),
            "subtitle": subtitle,
            "anchor": "start",
            "fontSize": TITLE_SIZE,
            "subtitleFontSize": SUBTITLE_SIZE,
            "subtitleColor": "#333333",
            "color": "#111111",
            "offset": 14,
        },
        "vconcat": [body, footer],
        "spacing": 16,
        # Each legend stays with its chart, above the source line, not below the whole image.
        "resolve": {"legend": {channel: "independent" for channel in _LEGEND_CHANNELS}},
        "padding": 16,
        "background": "white",
    }
    framed.pop("autosize", None)  # "fit" does not apply to a concatenation
    return framed


def _is_unit_or_layer(spec: dict) -> bool:
    return "mark" in spec or "layer" in spec


def _title_text(title: Any) -> str | None:
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(str(part) for part in title)
    return title


def svg(spec: dict, provenance: Provenance, *, width: int = EXPORT_WIDTH) -> str:
    """The framed chart as an SVG document (text stays text, so it can be searched)."""
    return vlc.vegalite_to_svg(framed_spec(spec, provenance, width=width), allowed_base_urls=[])


def png(spec: dict, provenance: Provenance, *, width: int = EXPORT_WIDTH, scale: float = PNG_SCALE) -> bytes:
    """The framed chart as a PNG, `scale` pixels per SVG pixel."""
    return vlc.vegalite_to_png(framed_spec(spec, provenance, width=width), scale=scale, allowed_base_urls=[])


def csv_text(data: pd.DataFrame, provenance: Provenance) -> str:
    """The data behind a chart as CSV, the provenance lines on top as `# ` comments."""
    header = "".join(f"# {line}\n" for line in provenance.lines())
    return header + data.to_csv(index=False)
