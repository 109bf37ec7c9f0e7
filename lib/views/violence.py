"""Data and figures for the violence page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from lib import months, ui
from lib.charts.common import chart_figure, class_legend
from lib.charts.violence import borough_tile_chart, hotspot_legend, trend_chart
from lib.colour import ClassScale, quantile_scale
from lib.figure import Figure
from lib.filters import Period
from lib.maps.base import london_view
from lib.maps.choropleth import borough_choropleth, borough_view
from lib.maps.hotspots import hexagon_hotspot_map, hexagon_records, lsoa_hotspot_map
from lib.metrics import violence as vm
from lib.metrics.hotspots import h3_study_area, hotspots_expected_by_chance, lsoa_study_area
from lib.narrative import violence as say
from lib.page import PageContext
from lib.places import TOWN_CENTRES
from lib.queries import violence as vq
from lib.queries.common import borough_outlines, populations

PLACES = pd.DataFrame([(n, lat, lon) for n, lat, lon, *_ in TOWN_CENTRES], columns=["name", "lat", "lon"])


@dataclass(frozen=True, eq=False)
class BoroughData:
    monthly: pd.DataFrame  # month, gss_code, count for the offence group
    table: pd.DataFrame | None  # vm.borough_table for the period; None when not covered
    span: tuple[date, date]  # the months the monthly counts cover


def borough_data(ctx: PageContext) -> BoroughData | None:
    """The page's `prepare` hook: monthly counts for the chosen offence group and the
    all-borough table for the period (computed once per group and period, whatever the
    borough); None when the snapshot has no violent offence groups."""
    group, period = ctx["group"], ctx.filters.period
    if group is None:
        return None
    monthly = ui.cached(vq.category_monthly_counts, major=group.major, minor=group.minor)
    span = (monthly["month"].min(), monthly["month"].max())
    current = vm.period_counts(monthly, period)
    if current is None:
        return BoroughData(monthly, None, span)
    residents = ui.cached(populations).set_index("gss_code")["All"]
    previous = vm.period_counts(monthly, vm.comparison_period(period))
    table = ui.london_wide(vm.borough_table, current, previous, residents, period.months)
    return BoroughData(monthly, table, span)


@dataclass(frozen=True, eq=False)
class Hotspots:
    message: str | None = None  # why there is nothing to map
    map: Figure | None = None
    scale: ClassScale | None = None
    legend_title: str = ""
    note: str = ""
    top: pd.DataFrame | None = None
    source: str = ""


def hotspot_data(ctx: PageContext) -> Hotspots:
    """The hot-spot map for the chosen group and period, or why there is none."""
    group, period, code = ctx["group"], ctx.filters.period, ctx.filters.gss_code
    source = ui.cached(vq.hotspot_source)
    note = say.hotspot_layer_note(group, source)
    covered = ui.cached(vq.small_area_months)
    if source is None or (source == vq.H3 and not group.point_types) or covered is None:
        return Hotspots(message=note)
    start, end = max(period.start, covered[0]), min(period.end, covered[1])
    if start > end:
        return Hotspots(
            message=f"Small-area data in this snapshot covers {months.label(covered[0])} to "
            f"{months.label(covered[1])}, outside the chosen period."
        )
    if source == vq.H3:
        cells, weights = ui.london_wide(h3_study_area, ui.cached(borough_outlines), ui.cached(vq.counted_cells))
        counts = ui.cached(vq.h3_cell_counts, crime_types=group.point_types, start=start, end=end)
    else:
        cells, weights = ui.london_wide(lsoa_study_area, ui.cached(vq.lsoa_shapes))
        counts = ui.cached(vq.lsoa_counts, major=group.major, minor=group.minor, start=start, end=end)
    if counts["count"].sum() == 0:
        return Hotspots(
            message=f"{note} This snapshot holds none of those records from {months.label(start)} to "
            f"{months.label(end)}, so there are no hot spots to find."
        )
    scored = vm.scored_cells(cells, weights, counts)
    scale = quantile_scale(scored.loc[scored["count"] > 0, "count"])
    outlines = ui.cached(borough_outlines)
    # Both fitted to the map's column (3/5 of the page) at 1280 px.
    view = borough_view(outlines, code, width_px=480, height_px=520) if code else london_view(480, 520)
    top = vm.top_hotspots(scored, PLACES, gss_code=code)
    if source == vq.H3:
        records = ui.london_wide(hexagon_records, scored, scale)
        deck = hexagon_hotspot_map(scored, scale=scale, outlines=outlines, view=view, selected=code, records=records)
    else:
        deck = lsoa_hotspot_map(scored, scale=scale, outlines=outlines, view=view, selected=code)
    unit = "hexagon (about 0.74 km²)" if source == vq.H3 else "LSOA"
    figure = Figure(
        "hotspot-map",
        f"{group.label}: hot spots, {Period(start, end).short()}",
        deck=deck,
        data=scored.drop(columns="geometry", errors="ignore"),
        sentence=say.hotspot_sentence(scored, top, code, source),
        source=say.hotspot_source_text(
            source, len(scored), hotspots_expected_by_chance(len(scored)), Period(start, end)
        ),
        height=520,
    )
    return Hotspots(None, figure, scale, f"Offences per {unit}", note, top, source)


def ranking_download(ctx: PageContext, rows: pd.DataFrame, measure_label: str) -> None:
    group, period = ctx["group"], ctx.filters.period
    ui.download_csv(
        rows,
        label="Download this table (CSV)",
        file_stem=f"violence-{group.key}-{ctx['measure']}-{months.text(period.start)}-to-{months.text(period.end)}",
        header_lines=[
            f"{group.label}, all London boroughs, {period.short()}, ranked by {measure_label.lower()}",
            say.source_text(group, period),
        ],
    )


def borough_figures(ctx: PageContext) -> tuple[Figure, Figure]:
    """The borough map (outlines or equal tiles, as chosen) and its colour legend."""
    table, measure, group, period, code = (
        ctx.data.table,
        ctx["measure"],
        ctx["group"],
        ctx.filters.period,
        ctx.filters.gss_code,
    )
    value_column = "rate" if measure == vm.RATE else "count"
    scale = quantile_scale(table.loc[~table["small"], value_column])
    title = f"Offences {say.RATE_UNIT}" if measure == vm.RATE else "Offences"
    words = say.borough_map_sentence(table, measure, group, period)
    source = f"{say.source_text(group, period)} Colours: six classes with about equal numbers of boroughs in each."
    if ctx["map"] == "outlines":
        values = table.assign(
            value=table[value_column].where(~table["small"]),
            tooltip=[say.borough_tooltip(row, period) for _, row in table.iterrows()],
        )
        deck = borough_choropleth(
            ui.cached(borough_outlines),
            values,
            value_column="value",
            scale=scale,
            tooltip_column="tooltip",
            selected=code,
            view=london_view(width_px=480, height_px=470),  # the map's column at 1280 px
        )
        figure = Figure("borough-map", title, deck=deck, data=table, sentence=words, source=source, height=470)
    else:
        chart = borough_tile_chart(table, value_column=value_column, scale=scale, title=title, selected=code)
        figure = chart_figure(chart, key="borough-tiles", data=table, sentence=words, source=source, width="content")
    fmt = "{:,.1f}" if measure == vm.RATE else "{:,.0f}"
    legend = ui.london_wide(class_legend, scale, title, fmt=fmt, no_data_label="fewer than 10")
    return figure, chart_figure(legend, key="borough-legend", width="content")


def trend_figures(ctx: PageContext) -> list[Figure]:
    """The monthly trend for the chosen borough (if any) and for London."""
    data, measure, group, period = ctx.data, ctx["measure"], ctx["group"], ctx.filters.period
    # Short enough to fit beside a 300 px chart; the caption below gives the full unit.
    y_title = "Per 1,000 residents a year" if measure == vm.RATE else "Offences a month"
    residents = ui.cached(populations).set_index("gss_code")["All"]
    areas = [(ctx.filters.gss_code, ctx.filters.borough_name)] if ctx.filters.borough else []
    figures = []
    for code, name in [*areas, (None, "London")]:
        rows = data.monthly if code is None else data.monthly[data.monthly["gss_code"] == code]
        series = vm.monthly_trend(rows, residents.sum() if code is None else residents.get(code, 0), measure)
        chart = trend_chart(series, title=f"{group.label}: {name}", y_title=y_title, period=period)
        figures.append(
            chart_figure(
                chart,
                key=f"trend-{code or 'london'}",
                data=series,
                sentence=say.trend_sentence(name, series, measure),
                source=say.trend_source_text(measure, period),
            )
        )
    return figures


def hotspot_legends(spots: Hotspots) -> list[Figure]:
    classes = ui.london_wide(class_legend, spots.scale, spots.legend_title, fmt="{:,.0f}")
    outlines = ui.london_wide(hotspot_legend)
    return [
        chart_figure(classes, key="hotspot-classes", width="content"),
        chart_figure(outlines, key="hotspot-outlines", width="content"),
    ]
