"""Shared Altair pieces: sizes readable on a shared screen, legends, the tile map."""

from __future__ import annotations

import altair as alt
import pandas as pd

from lib.charts.vegalite import FIT_WIDTH, rows_height
from lib.colour import NO_DATA, SELECTED_OUTLINE, ClassScale
from lib.figure import Figure

FONT_SIZE = 14
TITLE_SIZE = 16


# Fonts large enough to read when screen-shared at 1280×720.
SCREEN_CONFIG = {
    "axis": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "grid": True, "gridColor": "#eeeeee"},
    "legend": {"labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE, "orient": "bottom"},
    "title": {"fontSize": TITLE_SIZE, "anchor": "start"},
    "view": {"strokeWidth": 0},
}


def screen_spec(chart: alt.TopLevelMixin, *, validate: bool = False) -> dict:
    """The chart's Vega-Lite spec with `SCREEN_CONFIG` merged in (its own settings win).

    Skips Altair's JSON-schema validation unless asked: it cost more than building the chart
    on every page view, and every builder's output is validated by tests/test_chart_specs.py."""
    spec = chart.to_dict(validate=validate)
    config = spec.setdefault("config", {})
    for section, values in SCREEN_CONFIG.items():
        config[section] = {**values, **config.get(section, {})}
    return spec


def swatch_legend(labels: list[str], colours: list[str], title: str) -> alt.Chart:
    """A stand-alone horizontal legend (for pydeck maps, which draw none): Vega-Lite's own
    legend for an invisible mark, one coloured square per label. The chart is 80 px tall
    because Streamlit clips a chart to its declared height."""
    data = pd.DataFrame({"label": labels})
    scale = alt.Scale(domain=labels, range=colours)
    legend = alt.Legend(
        title=title,
        orient="top-left",
        direction="horizontal",
        columns=len(labels),
        symbolType="square",
        symbolSize=420,
        symbolStrokeColor="#999999",
        symbolStrokeWidth=0.5,
        labelFontSize=13,
        labelLimit=0,
        titleLimit=0,
        titleFontSize=14,
        titleColor="#1a1a1a",
        labelColor="#1a1a1a",
    )
    fill = alt.Fill("label:N", scale=scale, legend=legend)
    return alt.Chart(data).mark_square(size=0, opacity=0).encode(fill).properties(height=80, width=140 * len(labels))


def class_legend(scale: ClassScale, title: str, fmt: str = "{:,.1f}", no_data_label: str | None = None) -> alt.Chart:
    """The legend of a class scale: each colour with its range ('5.0 to 10.0')."""
    labels, colours = scale.labels(fmt), list(scale.colours)
    if no_data_label:
        labels, colours = [*labels, no_data_label], [*colours, NO_DATA]
    return swatch_legend(labels, colours, title)


def borough_tiles(
    data: pd.DataFrame,
    *,
    value_column: str,
    scale: ClassScale,
    label_column: str,
    tooltip: list[alt.Tooltip],
    title: str,
    selected: str | None = None,
    standalone: bool = True,
) -> alt.LayerChart:
    """Equal-size tile map: one square per borough at (tile_col, tile_row), filled with the
    same colours as the choropleth, so the City of London counts as much as Bromley.

    `data` needs gss_code, short, tile_col, tile_row, the value and a label column (the
    value as text, or 'fewer than 10'). `standalone=False` inside a concatenation, whose top
    level then decides the sizing."""
    frame = data.copy()
    frame["fill"] = [scale.colour(v) for v in frame[value_column]]
    frame["is_selected"] = frame["gss_code"] == selected
    frame["text_colour"] = ["#ffffff" if f in scale.colours[-2:] else "#111111" for f in frame["fill"]]
    base = alt.Chart(frame).encode(
        x=alt.X("tile_col:O", axis=None),
        y=alt.Y("tile_row:O", axis=None),
        tooltip=tooltip,
    )
    tiles = base.mark_rect(cornerRadius=3).encode(
        color=alt.Color("fill:N", scale=None, legend=None),
        stroke=alt.condition("datum.is_selected", alt.value(SELECTED_OUTLINE), alt.value("#ffffff")),
        strokeWidth=alt.condition("datum.is_selected", alt.value(4), alt.value(1.5)),
    )
    codes = base.mark_text(fontSize=13, fontWeight="bold", dy=-9).encode(
        text="short:N", color=alt.Color("text_colour:N", scale=None)
    )
    values = base.mark_text(fontSize=12, dy=9).encode(
        text=f"{label_column}:N", color=alt.Color("text_colour:N", scale=None)
    )
    # Sizes in pixels, not steps: see lib.charts.vegalite.rows_height.
    chart = (tiles + codes + values).properties(
        title=title,
        width=rows_height(74, frame["tile_col"].nunique()),
        height=rows_height(62, frame["tile_row"].nunique()),
    )
    return chart.properties(autosize=alt.AutoSizeParams(**FIT_WIDTH)) if standalone else chart


def chart_figure(
    chart: alt.TopLevelMixin | dict,
    *,
    key: str,
    data: pd.DataFrame | None = None,
    title: str | None = None,
    sentence: str = "",
    source: str = "",
    height: int | None = None,
    width: str = "stretch",
) -> Figure:
    """A chart (Altair, or a plain Vega-Lite `Spec`) as a `Figure` with the screen styling;
    its title defaults to the chart's own."""
    spec = screen_spec(chart)
    if title is None:
        own = spec.get("title", "")
        title = own.get("text", "") if isinstance(own, dict) else str(own)
    return Figure(
        key=key,
        title=title,
        spec=spec,
        data=pd.DataFrame() if data is None else data,
        sentence=sentence,
        source=source,
        height=height,
        width=width,
    )
