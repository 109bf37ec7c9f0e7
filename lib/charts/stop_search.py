"""Altair charts for the stop and search page; one builder per chart, each returning a chart
ready for lib.charts.common.screen_spec. Colours are Okabe-Ito (colour-blind safe)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.charts.vegalite import FIT_WIDTH, Spec, layered, records, rows_height, tooltip
from lib.colour import BOROUGH_COLOUR, CATEGORICAL, LONDON_COLOUR
from lib.metrics.stop_search import FIND_MEASURE, OUTCOME_MEASURES

HEIGHT_PER_GROUP = 46


def volume_chart(frame: pd.DataFrame, *, title: str) -> alt.Chart:
    """Stacked monthly bars of searches (`month`, `category`, `searches` from
    monthly_breakdown); categories stack in the frame's order."""
    order = list(dict.fromkeys(frame["category"]))
    data = frame.assign(month=pd.to_datetime(frame["month"]), order=frame["category"].map(order.index))
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6)),
            y=alt.Y("sum(searches):Q", title="Searches a month", stack="zero"),
            color=alt.Color(
                "category:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=list(CATEGORICAL[: len(order)])),
                legend=alt.Legend(columns=3, symbolLimit=0, labelLimit=320),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("sum(searches):Q", title="Searches", format=","),
            ],
        )
        .properties(height=300)
    )


def _group_axis(order: list[str]) -> dict:
    return {"field": "ethnic_group", "type": "nominal", "title": None, "sort": order}


def rate_chart(table: pd.DataFrame, *, title: str) -> Spec:
    """Searches per 1,000 residents per year by group (disparity_table rows with a rate),
    a dot with its 95% interval as a line."""
    data = table[table["rate"].notna()]
    y = _group_axis(list(data["ethnic_group"]))
    tips = tooltip(
        ("ethnic_group", "nominal", "Group"),
        ("searches", "quantitative", "Searches", ","),
        ("population", "quantitative", "Residents (Census 2021)", ","),
        ("rate", "quantitative", "Searches per 1,000 a year", ".1f"),
        ("rate_low", "quantitative", "95% interval from", ".1f"),
        ("rate_high", "quantitative", "95% interval to", ".1f"),
    )
    rate = {"field": "rate", "type": "quantitative"}
    layers = [
        {
            "mark": {"type": "rule", "strokeWidth": 3, "color": BOROUGH_COLOUR},
            "encoding": {
                "y": y,
                "x": {
                    "field": "rate_low",
                    "type": "quantitative",
                    "scale": {"zero": True},
                    "title": "Searches per 1,000 residents per year",
                },
                "x2": {"field": "rate_high"},
                "tooltip": tips,
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 160, "color": BOROUGH_COLOUR, "opacity": 1},
            "encoding": {"y": y, "x": rate, "tooltip": tips},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 10, "dy": -12, "fontSize": 13},
            "encoding": {"y": y, "x": rate, "text": {**rate, "format": ".1f"}, "tooltip": tips},
        },
    ]
    height = rows_height(HEIGHT_PER_GROUP, len(y["sort"]))
    return layered(records(data), layers, title=title, height=height, autosize=FIT_WIDTH)


def ratio_chart(table: pd.DataFrame, *, title: str) -> Spec:
    """Each group's rate ÷ the White rate (disparity_table rows with a ratio): the
    missing-ethnicity range as a wide pale bar, the 95% interval as a dark line, the ratio as
    a dot, and a reference line at 1 (the same rate as White)."""
    data = table[table["ratio"].notna()]
    y = _group_axis(list(data["ethnic_group"]))
    tips = tooltip(
        ("ethnic_group", "nominal", "Group"),
        ("ratio", "quantitative", "Rate ratio to White", ".2f"),
        ("ratio_low", "quantitative", "95% interval from", ".2f"),
        ("ratio_high", "quantitative", "95% interval to", ".2f"),
        ("range_low", "quantitative", "Unknown all White", ".2f"),
        ("range_high", "quantitative", "Unknown all this group", ".2f"),
    )
    ratio = {"field": "ratio", "type": "quantitative"}
    layers = [
        {
            "mark": {"type": "bar", "height": 22, "color": "#d9d9d9"},
            "encoding": {
                "y": y,
                "x": {
                    "field": "range_low",
                    "type": "quantitative",
                    "scale": {"zero": True},
                    "title": "Rate ratio to White (1 = same rate)",
                },
                "x2": {"field": "range_high"},
                "tooltip": tips,
            },
        },
        {
            "data": {"name": "parity"},
            "mark": {"type": "rule", "color": LONDON_COLOUR, "strokeDash": [6, 4], "strokeWidth": 2},
            "encoding": {"x": {"field": "x", "type": "quantitative"}},
        },
        {
            "mark": {"type": "rule", "strokeWidth": 3, "color": BOROUGH_COLOUR},
            "encoding": {
                "y": y,
                "x": {"field": "ratio_low", "type": "quantitative"},
                "x2": {"field": "ratio_high"},
                "tooltip": tips,
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 160, "color": BOROUGH_COLOUR, "opacity": 1},
            "encoding": {"y": y, "x": ratio, "tooltip": tips},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 10, "dy": -14, "fontSize": 13},
            "encoding": {"y": y, "x": ratio, "text": {**ratio, "format": ".1f"}, "tooltip": tips},
        },
    ]
    height = rows_height(HEIGHT_PER_GROUP, len(y["sort"]))
    return layered(
        records(data), layers, title=title, height=height, extra={"parity": [{"x": 1.0}]}, autosize=FIT_WIDTH
    )


def outcome_chart(outcomes: pd.DataFrame, *, title: str) -> Spec:
    """Share of searches with each outcome by group (outcome_rates rows with a rate, plus
    any find-rate rows), dots with 95% Wilson intervals, one colour per measure."""
    data = outcomes[outcomes["rate"].notna()]
    measures = [m for m in (*OUTCOME_MEASURES, FIND_MEASURE) if m in set(data["measure"])]
    shared = {
        "y": _group_axis(list(dict.fromkeys(data["ethnic_group"]))),
        "yOffset": {"field": "measure", "type": "nominal", "sort": measures},
        "color": {
            "field": "measure",
            "type": "nominal",
            "title": None,
            "sort": measures,
            "scale": {"domain": measures, "range": list(CATEGORICAL[: len(measures)])},
        },
        "tooltip": tooltip(
            ("ethnic_group", "nominal", "Group"),
            ("measure", "nominal", "Outcome"),
            ("rate", "quantitative", "Share of searches", ".1%"),
            ("low", "quantitative", "95% interval from", ".1%"),
            ("high", "quantitative", "95% interval to", ".1%"),
            ("base", "quantitative", "Searches with an outcome", ","),
        ),
    }
    layers = [
        {
            "mark": {"type": "rule", "strokeWidth": 3},
            "encoding": {
                **shared,
                "x": {
                    "field": "low",
                    "type": "quantitative",
                    "title": "Share of searches with a recorded outcome",
                    "axis": {"format": "%"},
                    "scale": {"domain": [0, 1]},
                },
                "x2": {"field": "high"},
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 110, "opacity": 1},
            "encoding": {**shared, "x": {"field": "rate", "type": "quantitative"}},
        },
    ]
    # 22 px per measure (yOffset) within each group's band, and Vega-Lite's default padding of
    # 0.2 of a band between groups (bandWithNestedOffsetPaddingInner/Outer).
    band = 22 * len(measures) / (1 - 0.2)
    height = rows_height(band, len(shared["y"]["sort"]) + 0.2)
    return layered(records(data), layers, title=title, height=height, autosize=FIT_WIDTH)


def children_chart(children: pd.DataFrame, *, title: str) -> Spec:
    """Searches of under-18s by group (children_by_group), bars labelled with the count or
    'fewer than 10' (the `label` column). A suppressed count draws no bar, so its length
    cannot give the number away."""
    bar = children["under_18"].where(~children["label"].str.startswith("fewer"))
    shown = children.assign(bar=bar, text_x=bar.fillna(0))
    shared = {
        "y": _group_axis(list(children["ethnic_group"])),
        "tooltip": tooltip(
            ("ethnic_group", "nominal", "Group"),
            ("label", "nominal", "Searches of under-18s"),
            ("share", "quantitative", "Share of the group's searches", ".0%"),
        ),
    }
    layers = [
        {
            "mark": {"type": "bar", "color": BOROUGH_COLOUR, "height": 26},
            "encoding": {**shared, "x": {"field": "bar", "type": "quantitative", "title": "Searches of under-18s"}},
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 6, "fontSize": 13},
            "encoding": {
                **shared,
                "x": {"field": "text_x", "type": "quantitative"},
                "text": {"field": "label", "type": "nominal"},
            },
        },
    ]
    height = rows_height(40, len(shared["y"]["sort"]))
    return layered(records(shown), layers, title=title, height=height, autosize=FIT_WIDTH)
