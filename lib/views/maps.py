"""The borough map every topic page draws: the interactive pydeck choropleth, its static
Vega-Lite twin (for PNG/SVG exports and presenter slides) and its colour legend, built
together so no page can have one without the others."""

from __future__ import annotations

from functools import partial

import pandas as pd

from lib import ui
from lib.charts.common import chart_figure, class_legend
from lib.colour import ClassScale
from lib.figure import Figure
from lib.maps.base import london_view
from lib.maps.choropleth import borough_choropleth
from lib.maps.vegalite import borough_choropleth_spec, outline_features
from lib.queries.common import borough_outlines


def borough_map(
    key: str,
    title: str,
    values: pd.DataFrame,
    *,
    value_column: str,
    scale: ClassScale,
    legend_title: str,
    selected: str | None,
    data: pd.DataFrame,
    sentence: str,
    source: str = "",
    fmt: str = "{:,.1f}",
    no_data_label: str = "no figure",
    tooltip_column: str = "tooltip",
    height: int = 470,
    column_px: int | None = 480,
) -> tuple[Figure, Figure]:
    """(the map, its legend). `values` has gss_code, the value (missing where no figure is
    shown) and a tooltip text per borough; `data` is the table behind the map (its CSV).
    `column_px` is the width of the column the map is drawn in at 1280 px (None: the page's
    full width), so London fills it."""
    outlines = ui.cached(borough_outlines)
    deck = borough_choropleth(
        outlines,
        values,
        value_column=value_column,
        scale=scale,
        tooltip_column=tooltip_column,
        selected=selected,
        view=london_view(width_px=column_px, height_px=height) if column_px else london_view(height_px=height),
    )
    static = partial(  # built only when the map is exported or shown on a slide
        borough_choropleth_spec,
        ui.london_wide(outline_features, outlines),
        values,
        value_column=value_column,
        label_column=tooltip_column,
        scale=scale,
        title=title,
        legend_title=legend_title,
        legend_format=fmt,
        no_data_label=no_data_label,
        selected=selected,
    )
    figure = Figure(key, title, deck=deck, data=data, sentence=sentence, source=source, height=height, static=static)
    legend = ui.london_wide(class_legend, scale, legend_title, fmt=fmt, no_data_label=no_data_label)
    return figure, chart_figure(legend, key=f"{key}-legend", width="content", legend=True)
