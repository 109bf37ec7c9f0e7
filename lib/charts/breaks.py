"""Known recording breaks drawn on trend charts: a dashed vertical rule at each break's date
with a short label, as two Vega-Lite layers to add to any chart with a temporal x axis."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date

from lib.breaks import Break

BREAK_COLOUR = "#444444"


def break_layers(breaks: Iterable[Break], *, first: date, last: date) -> list[dict]:
    """A rule and a label for each break dated within first..last (a break outside the
    chart's months would stretch its axis, so it is left out); [] when there is none."""
    values = [
        {
            "when": item.when.isoformat(),
            "label": item.label,
            "what": f"{item.date_text}: {item.what_changed}",
        }
        for item in breaks
        if first <= item.when and item.when.replace(day=1) <= last
    ]
    if not values:
        return []
    x = {"field": "when", "type": "temporal"}
    tooltip = [{"field": "what", "type": "nominal", "title": "Break in the series"}]
    rule = {
        "data": {"values": values},
        "mark": {"type": "rule", "color": BREAK_COLOUR, "strokeDash": [3, 3], "strokeWidth": 1.5},
        "encoding": {"x": x, "tooltip": tooltip},
    }
    # A break in the right part of the chart is labelled to its left, so the label stays inside.
    span = max((last - first).days, 1)
    right = all((date.fromisoformat(v["when"]) - first).days / span > 0.6 for v in values)
    label = {
        "data": {"values": values},
        "mark": {
            "type": "text",
            "align": "right" if right else "left",
            "baseline": "top",
            "dx": -4 if right else 4,
            "dy": 4,
            "fontSize": 12,
            "color": BREAK_COLOUR,
        },
        "encoding": {"x": x, "y": {"value": 0}, "text": {"field": "label", "type": "nominal"}, "tooltip": tooltip},
    }
    return [rule, label]


def with_breaks(spec: dict, breaks: Iterable[Break], *, first: date, last: date) -> dict:
    """A copy of a layered spec (one with `layer`) with the break layers on top."""
    layers = break_layers(breaks, first=first, last=last)
    if not layers:
        return spec
    out = copy.deepcopy(spec)
    out["layer"] = [*out["layer"], *layers]
    return out
