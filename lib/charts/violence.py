"""Altair charts for the violence page: borough tile map, monthly trend, hot-spot legend."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.boroughs import BY_CODE
from lib.charts.common import borough_tiles, swatch_legend
from lib.charts.vegalite import Spec, layered, records, tooltip
from lib.colour import BOROUGH_COLOUR, HOT_95_COLOUR, HOT_99_COLOUR, ClassScale
from lib.filters import Period
from lib.formatting import change_text, count_text, rate_text

MONTHLY, ROLLING, YEAR_EARLIER = "Each month", "12-month average", "Same month a year earlier"


def borough_tile_chart(
    table: pd.DataFrame, *, value_column: str, scale: ClassScale, title: str, selected: str | None
) -> alt.LayerChart:
    """Equal-size tile map of `borough_table` (one square per borough), coloured with the same
    classes as the choropleth; boroughs under 10 offences are grey and labelled '<10'."""
    frame = table.copy()
    frame["value"] = frame[value_column].where(~frame["small"])
    fmt = rate_text if value_column == "rate" else count_text
    frame["label"] = ["<10" if small else fmt(v) for small, v in zip(frame["small"], frame["value"], strict=True)]
    frame["short"] = [BY_CODE[code].short for code in frame["gss_code"]]
    frame["tile_col"] = [BY_CODE[code].tile_col for code in frame["gss_code"]]
    frame["tile_row"] = [BY_CODE[code].tile_row for code in frame["gss_code"]]
    frame["rate_text"] = [
        "fewer than 10 offences" if s else rate_text(r) for s, r in zip(frame["small"], frame["rate"], strict=True)
    ]
    frame["count_text"] = [
        "fewer than 10" if s else count_text(c) for s, c in zip(frame["small"], frame["count"], strict=True)
    ]
    frame["change_text"] = [change_text(d, p) for d, p in zip(frame["direction"], frame["change_pct"], strict=True)]
    tooltip = [
        alt.Tooltip("name:N", title="Borough"),
        alt.Tooltip("count_text:N", title="Offences"),
        alt.Tooltip("rate_text:N", title="Per 1,000 residents per year"),
        alt.Tooltip("change_text:N", title="Change"),
    ]
    return borough_tiles(
        frame, value_column="value", scale=scale, label_column="label", tooltip=tooltip, title=title, selected=selected
    )


def trend_chart(trend: pd.DataFrame, *, title: str, y_title: str, period: Period) -> Spec:
    """Monthly values (thin), their 12-month rolling mean (thick) and, for the months of the
    chosen period, the same month a year earlier (dashed), over a shaded band marking the period.
    `trend` is `monthly_trend` output."""
    long = trend.melt(
        id_vars="month", value_vars=["value", "rolling", "year_earlier"], var_name="series", value_name="y"
    )
    long["series"] = long["series"].map({"value": MONTHLY, "rolling": ROLLING, "year_earlier": YEAR_EARLIER})
    in_period = (long["month"] >= period.start) & (long["month"] <= period.end)
    long = long[long["y"].notna() & ((long["series"] != YEAR_EARLIER) | in_period)]
    long["month"] = pd.to_datetime(long["month"])
    series = [MONTHLY, ROLLING, YEAR_EARLIER]
    # Colour, dash and width share one legend (so each swatch shows the line as drawn): the
    # three must have the same legend settings, or Vega-Lite warns of a conflict. Width and
    # dash take the series in a stated order (`sort`), as Vega-Lite asks of a nominal field
    # on a size-like channel.
    # Inside the plot's top edge: Streamlit clips a legend below a fixed-height chart.
    legend = {"orient": "top", "direction": "horizontal", "labelLimit": 0, "title": None}

    def by_series(values: list) -> dict:
        return {"field": "series", "type": "nominal", "sort": series, "scale": {"domain": series, "range": values}}

    lines = {
        "mark": {"type": "line", "point": False},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "title": None, "axis": {"format": "%b %Y", "tickCount": 6}},
            "y": {"field": "y", "type": "quantitative", "title": y_title, "scale": {"zero": True}},
            "color": {**by_series(["#7fa7cf", BOROUGH_COLOUR, "#777777"]), "legend": legend},
            "strokeDash": {**by_series([[1, 0], [1, 0], [6, 4]]), "legend": legend},
            "strokeWidth": {**by_series([1.5, 4, 2]), "legend": legend},
            "tooltip": tooltip(
                ("month", "temporal", "Month", "%B %Y"),
                ("series", "nominal", "Series"),
                ("y", "quantitative", y_title, ",.1f"),
            ),
        },
    }
    band = {
        "data": {"name": "period"},
        "mark": {"type": "rect", "color": "#f2f2f2"},
        "encoding": {"x": {"field": "start", "type": "temporal"}, "x2": {"field": "end"}},
    }
    spec = layered(
        records(long),
        [band, lines],
        title=title,
        height=300,
        extra={"period": [{"start": period.start.isoformat(), "end": period.end.isoformat()}]},
    )
    spec["width"] = "container"
    return spec


def hotspot_legend() -> alt.Chart:
    """Legend for the hot-spot outlines drawn on the hexagon or LSOA map (pydeck has none)."""
    return swatch_legend(
        ["hot spot, 95% (z ≥ 1.96)", "hot spot, 99% (z ≥ 2.58)"], [HOT_95_COLOUR, HOT_99_COLOUR], "Cell outlines"
    )
