"""Harm and justice charts as plain Vega-Lite specs (see lib/charts/vegalite.py): the monthly
trend (the Violence page's chart, with recording breaks marked), the positive outcome rate
over time with its interval, and boroughs' outcome rates with their intervals."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from lib.breaks import Break
from lib.charts.breaks import with_breaks
from lib.charts.vegalite import Spec, layered, records, tooltip
from lib.charts.violence import trend_chart as violence_trend_chart
from lib.colour import BOROUGH_COLOUR, LONDON_COLOUR, NO_DATA
from lib.filters import Period

MONTHLY_RATE, ROLLING_RATE = "Each month", "12 months to the month"


def _months(trend: pd.DataFrame) -> tuple[date, date]:
    return min(trend["month"]), max(trend["month"])


def trend_chart(
    trend: pd.DataFrame, *, title: str, y_title: str, period: Period, breaks: tuple[Break, ...] = ()
) -> Spec:
    """Monthly values, their 12-month average and the same months a year earlier (the
    Violence page's trend chart), with each known recording break marked."""
    spec = violence_trend_chart(trend, title=title, y_title=y_title, period=period)
    first, last = _months(trend)
    return Spec(with_breaks(spec, breaks, first=first, last=last))


def outcome_rate_chart(trend: pd.DataFrame, *, title: str, period: Period, breaks: tuple[Break, ...] = ()) -> Spec:
    """The positive outcome rate each month (thin) and over the 12 months to each month
    (thick, with its 95% Wilson interval as a band), over a shaded band marking the period.
    `trend` is `lib.metrics.harm.outcome_trend` output."""
    frame = trend.assign(month=pd.to_datetime(trend["month"]))
    series = [MONTHLY_RATE, ROLLING_RATE]
    long = pd.concat(
        [
            frame[["month", "rate", "offences", "outcomes"]].rename(columns={"rate": "y"}).assign(series=MONTHLY_RATE),
            frame[["month", "rolling"]].rename(columns={"rolling": "y"}).assign(series=ROLLING_RATE),
        ],
        ignore_index=True,
    )
    long = long[long["y"].notna()]
    band_values = frame[frame["rolling_low"].notna()][["month", "rolling_low", "rolling_high"]]
    x = {"field": "month", "type": "temporal", "title": None, "axis": {"format": "%b %Y", "tickCount": 6}}
    layers = [
        {
            "data": {"name": "period"},
            "mark": {"type": "rect", "color": "#f2f2f2"},
            "encoding": {"x": {"field": "start", "type": "temporal"}, "x2": {"field": "end"}},
        },
        {
            "data": {"name": "band"},
            "mark": {"type": "area", "color": BOROUGH_COLOUR, "opacity": 0.18},
            "encoding": {
                "x": x,
                "y": {"field": "rolling_low", "type": "quantitative"},
                "y2": {"field": "rolling_high"},
            },
        },
        {
            "mark": {"type": "line"},
            "encoding": {
                "x": x,
                "y": {
                    "field": "y",
                    "type": "quantitative",
                    "title": "Positive outcomes ÷ offences",
                    "axis": {"format": ".0%"},
                    "scale": {"zero": True},
                },
                # Colour and width share one legend with the same settings, and width takes the
                # series in a stated order (`sort`): otherwise Vega-Lite warns in the browser.
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "sort": series,
                    "scale": {"domain": series, "range": ["#7fa7cf", BOROUGH_COLOUR]},
                    "legend": {"orient": "top", "direction": "horizontal", "labelLimit": 0, "title": None},
                },
                "strokeWidth": {
                    "field": "series",
                    "type": "nominal",
                    "sort": series,
                    "scale": {"domain": series, "range": [1.5, 4]},
                    "legend": {"orient": "top", "direction": "horizontal", "labelLimit": 0, "title": None},
                },
                "tooltip": tooltip(
                    ("month", "temporal", "Month", "%B %Y"),
                    ("series", "nominal", "Rate"),
                    ("y", "quantitative", "Positive outcome rate", ".1%"),
                ),
            },
        },
    ]
    spec = layered(
        records(long),
        layers,
        title=title,
        height=300,
        extra={
            "period": [{"start": period.start.isoformat(), "end": period.end.isoformat()}],
            "band": records(band_values),
        },
    )
    spec["width"] = "container"
    first, last = _months(trend)
    return Spec(with_breaks(spec, breaks, first=first, last=last))


def outcome_ranking_chart(table: pd.DataFrame, *, london_rate: float, title: str, selected: str | None) -> Spec:
    """Each borough's positive outcome rate (dot) with its 95% interval (bar), highest first;
    boroughs whose rate is not reliable (`lib.metrics.reliability`) are grey and listed after;
    London's rate as a vertical rule; the chosen borough outlined. `table`: `harm.borough_table`."""
    frame = table[table["outcome_rate"].notna() & table["reported"] & ~table["small"]].copy()
    frame = frame.sort_values(["outcome_reliable", "outcome_rate", "name"], ascending=[False, False, True])
    frame["status"] = ["reliable" if r else "not reliable" for r in frame["outcome_reliable"]]
    frame["chosen"] = frame["gss_code"] == selected
    frame["interval"] = [
        f"{low * 100:.1f}% to {high * 100:.1f}%" if pd.notna(low) else "more outcomes than offences"
        for low, high in zip(frame["outcome_low"], frame["outcome_high"], strict=True)
    ]
    columns = [
        "name",
        "outcome_rate",
        "outcome_low",
        "outcome_high",
        "status",
        "chosen",
        "interval",
        "outcomes",
        "count",
    ]
    values = records(frame[columns])
    order = list(frame["name"])
    y = {
        "field": "name",
        "type": "nominal",
        "title": None,
        "sort": order,
        "axis": {"labelLimit": 200, "labelOverlap": False},
    }
    colour = {
        "field": "status",
        "type": "nominal",
        "title": None,
        "scale": {"domain": ["reliable", "not reliable"], "range": [BOROUGH_COLOUR, NO_DATA]},
        "legend": {"orient": "top", "direction": "horizontal"},
    }
    tips = tooltip(
        ("name", "nominal", "Borough"),
        ("outcome_rate", "quantitative", "Positive outcome rate", ".1%"),
        ("interval", "nominal", "95% interval"),
        ("outcomes", "quantitative", "Positive outcomes", ","),
        ("count", "quantitative", "Offences", ","),
    )
    layers = [
        {
            "mark": {"type": "rule", "strokeWidth": 2},
            "encoding": {
                "y": y,
                "x": {"field": "outcome_low", "type": "quantitative"},
                "x2": {"field": "outcome_high"},
                "color": colour,
                "tooltip": tips,
            },
        },
        {
            "mark": {"type": "point", "filled": True, "size": 70},
            "encoding": {
                "y": y,
                "x": {
                    "field": "outcome_rate",
                    "type": "quantitative",
                    "title": "Positive outcomes ÷ offences (95% interval)",
                    "axis": {"format": ".0%", "orient": "top"},
                    "scale": {"zero": True},
                },
                "color": colour,
                "stroke": {"condition": {"test": "datum.chosen", "value": "#111111"}, "value": None},
                "strokeWidth": {"condition": {"test": "datum.chosen", "value": 2}, "value": 0},
                "tooltip": tips,
            },
        },
    ]
    if math.isfinite(london_rate):
        layers.append(
            {
                "data": {"values": [{"rate": london_rate}]},
                "mark": {"type": "rule", "color": LONDON_COLOUR, "strokeDash": [4, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "rate", "type": "quantitative"}},
            }
        )
    spec = layered(values, layers, title=title, height=max(120, 22 * len(frame)))
    spec["width"] = "container"
    return spec
