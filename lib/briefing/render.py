"""Vega-Lite specs rendered on the server (vl-convert) for print.

The pages' specs are sized for a browser (`width: "container"`, 14 px labels for a shared
screen). For paper they get a fixed width and the print configuration below; nothing else
about them changes, so a chart in the pack is the chart on the page."""

from __future__ import annotations

import copy

import vl_convert

# System sans-serif fonts first; typst's own fonts keep the pack readable on a machine
# that has none.
FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
PRINT_CONFIG = {
    "font": FONT,
    "background": "white",
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "grid": True, "gridColor": "#e6e6e6"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11},
    "title": {"fontSize": 13, "anchor": "start", "font": FONT},
    "header": {"labelFontSize": 11, "titleFontSize": 11},
    "view": {"strokeWidth": 0},
}


def print_spec(spec: dict, width: int, height: int | None = None, step: int | None = None) -> dict:
    """A copy of `spec` with a fixed width (where it had none or followed its container), the
    given height (replacing a fixed one) or step (replacing a banded axis's), and the print
    configuration (which overrides the screen's)."""
    out = copy.deepcopy(dict(spec))
    if height is not None:
        out["height"] = height
    if step is not None and isinstance(out.get("height"), dict) and "step" in out["height"]:
        out["height"] = {"step": step}
    single = not any(key in out for key in ("vconcat", "hconcat", "concat", "facet"))
    if (single and "width" not in out) or out.get("width") == "container":
        out["width"] = width
    config = out.setdefault("config", {})
    for section, values in PRINT_CONFIG.items():
        if isinstance(values, dict):
            config[section] = {**config.get(section, {}), **values}
        else:
            config[section] = values
    # On paper the width is the plot's and the figure grows to hold its labels and titles
    # (a screen chart fits itself to its column and may clip a long axis title).
    out["autosize"] = {"type": "pad"}
    out["title"] = wrapped_title(out.get("title"), out.get("width") if isinstance(out.get("width"), int) else width)
    return out


def wrapped_title(title, width: int):
    """A title too long for the chart's width (about 7 px a character at 13 px) split into
    lines at its last comma, so print never clips it: 'Searches per 1,000 residents per
    year, Oct 2024 – Sep 2025' becomes two lines."""
    text = title.get("text") if isinstance(title, dict) else title
    if not isinstance(text, str) or len(text) * 7 <= width or ", " not in text:
        return title
    head, tail = text.rsplit(", ", 1)
    lines = [f"{head},", tail]
    return {**title, "text": lines} if isinstance(title, dict) else lines


def to_svg(spec: dict, width: int, height: int | None = None, step: int | None = None) -> str:
    """The chart as a standalone SVG document."""
    return vl_convert.vegalite_to_svg(print_spec(spec, width, height, step))
