"""Altair charts for the stop and search page; one builder per chart, each returning a chart
ready for lib.charts.common.styled. Colours are Okabe-Ito (colour-blind safe)."""

from __future__ import annotations

import altair as alt
import pandas as pd

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


def rate_chart(table: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Searches per 1,000 residents per year by group (disparity_table rows with a rate),
    a dot with its 95% interval as a line."""
    data = table[table["rate"].notna()]
    order = list(data["ethnic_group"])
    base = alt.Chart(data).encode(
        y=alt.Y("ethnic_group:N", title=None, sort=order),
        tooltip=[
            alt.Tooltip("ethnic_group:N", title="Group"),
            alt.Tooltip("searches:Q", title="Searches", format=","),
            alt.Tooltip("population:Q", title="Residents (Census 2021)", format=","),
            alt.Tooltip("rate:Q", title="Searches per 1,000 a year", format=".1f"),
            alt.Tooltip("rate_low:Q", title="95% interval from", format=".1f"),
            alt.Tooltip("rate_high:Q", title="95% interval to", format=".1f"),
        ],
    )
    interval = base.mark_rule(strokeWidth=3, color=BOROUGH_COLOUR).encode(
        x=alt.X("rate_low:Q", title="Searches per 1,000 residents per year", scale=alt.Scale(zero=True)),
        x2="rate_high:Q",
    )
    dots = base.mark_point(filled=True, size=160, color=BOROUGH_COLOUR, opacity=1).encode(x="rate:Q")
    labels = base.mark_text(align="left", dx=10, dy=-12, fontSize=13).encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (interval + dots + labels).properties(title=title, height=alt.Step(HEIGHT_PER_GROUP))


def ratio_chart(table: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Each group's rate ÷ the White rate (disparity_table rows with a ratio): the
    missing-ethnicity range as a wide pale bar, the 95% interval as a dark line, the ratio as
    a dot, and a reference line at 1 (the same rate as White)."""
    data = table[table["ratio"].notna()]
    order = list(data["ethnic_group"])
    base = alt.Chart(data).encode(
        y=alt.Y("ethnic_group:N", title=None, sort=order),
        tooltip=[
            alt.Tooltip("ethnic_group:N", title="Group"),
            alt.Tooltip("ratio:Q", title="Rate ratio to White", format=".2f"),
            alt.Tooltip("ratio_low:Q", title="95% interval from", format=".2f"),
            alt.Tooltip("ratio_high:Q", title="95% interval to", format=".2f"),
            alt.Tooltip("range_low:Q", title="Unknown all White", format=".2f"),
            alt.Tooltip("range_high:Q", title="Unknown all this group", format=".2f"),
        ],
    )
    missing = base.mark_bar(height=22, color="#d9d9d9").encode(
        x=alt.X("range_low:Q", title="Rate ratio to White (1 = same rate)", scale=alt.Scale(zero=True)),
        x2="range_high:Q",
    )
    interval = base.mark_rule(strokeWidth=3, color=BOROUGH_COLOUR).encode(x="ratio_low:Q", x2="ratio_high:Q")
    dots = base.mark_point(filled=True, size=160, color=BOROUGH_COLOUR, opacity=1).encode(x="ratio:Q")
    labels = base.mark_text(align="left", dx=10, dy=-14, fontSize=13).encode(
        x="ratio:Q", text=alt.Text("ratio:Q", format=".1f")
    )
    parity = (
        alt.Chart(pd.DataFrame({"x": [1.0]}))
        .mark_rule(color=LONDON_COLOUR, strokeDash=[6, 4], strokeWidth=2)
        .encode(x="x:Q")
    )
    return (missing + parity + interval + dots + labels).properties(title=title, height=alt.Step(HEIGHT_PER_GROUP))


def outcome_chart(outcomes: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Share of searches with each outcome by group (outcome_rates rows with a rate, plus
    any find-rate rows), dots with 95% Wilson intervals, one colour per measure."""
    data = outcomes[outcomes["rate"].notna()]
    order = list(dict.fromkeys(data["ethnic_group"]))
    measures = [m for m in (*OUTCOME_MEASURES, FIND_MEASURE) if m in set(data["measure"])]
    colour = alt.Color(
        "measure:N",
        title=None,
        sort=measures,
        scale=alt.Scale(domain=measures, range=list(CATEGORICAL[: len(measures)])),
    )
    base = alt.Chart(data).encode(
        y=alt.Y("ethnic_group:N", title=None, sort=order),
        yOffset=alt.YOffset("measure:N", sort=measures),
        color=colour,
        tooltip=[
            alt.Tooltip("ethnic_group:N", title="Group"),
            alt.Tooltip("measure:N", title="Outcome"),
            alt.Tooltip("rate:Q", title="Share of searches", format=".1%"),
            alt.Tooltip("low:Q", title="95% interval from", format=".1%"),
            alt.Tooltip("high:Q", title="95% interval to", format=".1%"),
            alt.Tooltip("base:Q", title="Searches with an outcome", format=","),
        ],
    )
    interval = base.mark_rule(strokeWidth=3).encode(
        x=alt.X(
            "low:Q",
            title="Share of searches with a recorded outcome",
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        x2="high:Q",
    )
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(x="rate:Q")
    return (interval + dots).properties(title=title, height=alt.Step(22))  # the step is per measure (yOffset)


def children_chart(children: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Searches of under-18s by group (children_by_group), bars labelled with the count or
    'fewer than 10' (the `label` column)."""
    order = list(children["ethnic_group"])
    base = alt.Chart(children).encode(
        y=alt.Y("ethnic_group:N", title=None, sort=order),
        x=alt.X("under_18:Q", title="Searches of under-18s"),
        tooltip=[
            alt.Tooltip("ethnic_group:N", title="Group"),
            alt.Tooltip("label:N", title="Searches of under-18s"),
            alt.Tooltip("share:Q", title="Share of the group's searches", format=".0%"),
        ],
    )
    bars = base.mark_bar(color=BOROUGH_COLOUR, height=26)
    text = base.mark_text(align="left", dx=6, fontSize=13).encode(text="label:N")
    return (bars + text).properties(title=title, height=alt.Step(40))
