"""Data and figures for the violence page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd

from lib import months, ui
from lib.breaks import Break
from lib.charts.breaks import with_breaks
from lib.charts.common import chart_figure, class_legend
from lib.charts.violence import borough_tile_chart, hotspot_legend, trend_chart
from lib.colour import ClassScale, quantile_scale
from lib.figure import Figure
from lib.filters import Period
from lib.maps.base import london_view
from lib.maps.choropleth import borough_view
from lib.maps.hotspots import hexagon_hotspot_map, hexagon_records, lsoa_hotspot_map
from lib.maps.static import hexagon_frame, hotspot_map_spec
from lib.metrics import violence as vm
from lib.metrics.breaks import comparability
from lib.metrics.counts import CountFigure, area_figure, crime_figures
from lib.metrics.coverage import Comparison, Coverage
from lib.metrics.hotspots import h3_study_area, hotspots_expected_by_chance, lsoa_study_area
from lib.narrative import violence as say
from lib.narrative.breaks import break_warning
from lib.narrative.counts import RATE_UNIT, count_headline
from lib.narrative.sources import breaks_in, source_line
from lib.narrative.tables import DisplayTable
from lib.page import PageContext
from lib.places import TOWN_CENTRES
from lib.queries import violence as vq
from lib.queries.common import borough_outlines, held_months, populations, unallocated_shares
from lib.views.maps import borough_map
from lib.vocab import VIOLENCE, OffenceGroup

PLACES = pd.DataFrame([(n, lat, lon) for n, lat, lon, *_ in TOWN_CENTRES], columns=["name", "lat", "lon"])


@dataclass(frozen=True, eq=False)
class BoroughData:
    """Recorded crime of one offence group under the coverage policy and comparison rule."""

    group: OffenceGroup
    monthly: pd.DataFrame  # month, gss_code, count for every month and reported borough
    cover: Coverage  # the months of the chosen period the snapshot holds
    compared: Comparison | None  # the same months a year earlier, when all are held
    table: pd.DataFrame | None  # counts.count_table; None when no month is covered
    breaks: tuple[Break, ...]  # known recording breaks in this snapshot's recorded crime
    shares: pd.DataFrame  # per month: records the publisher could not place in a borough

    def figure(self, gss_code: str | None) -> CountFigure:
        return area_figure(self.table, self.cover, self.compared, gss_code)

    def warning(self, figure: CountFigure) -> str | None:
        """The break warning for a figure's change, if its comparison may be an artefact."""
        return break_warning(comparability(self.compared, figure.change, self.breaks, self.shares))


def crime_data(ctx: PageContext, group: OffenceGroup) -> BoroughData:
    """Counts, rates, changes and reliability of one offence group for every borough, over the
    covered months of the chosen period (computed once per group and period, whatever the
    borough). The Violence page and the Overview both read their figures from here."""
    monthly = ui.cached(vq.category_monthly_counts, major=group.major, minor=group.minor)
    held = ui.cached(held_months, table="crime_monthly")
    residents = ui.cached(populations).set_index("gss_code")["All"]
    figures = ui.london_wide(crime_figures, monthly, residents, held, ctx.filters.period)
    breaks = breaks_in(ctx.snapshot.manifest, "crime_monthly")
    shares = ui.cached(unallocated_shares, major=group.major)
    return BoroughData(group, monthly, figures.cover, figures.compared, figures.table, breaks, shares)


def borough_data(ctx: PageContext) -> BoroughData | None:
    """The page's `prepare` hook: `crime_data` for the chosen offence group; None when the
    snapshot has no violent offence groups."""
    group = ctx["group"]
    return None if group is None else crime_data(ctx, group)


def violence_data(ctx: PageContext) -> BoroughData:
    """`crime_data` for all violence against the person (the Overview's card)."""
    return crime_data(ctx, OffenceGroup(VIOLENCE.lower().replace(" ", "-"), VIOLENCE, None, ()))


def crime_source(ctx: PageContext, data: BoroughData) -> str:
    """The source line for recorded crime, from the manifest, with the months used and how
    rates and changes are worked out."""
    used = [*data.cover.months, *(data.compared.earlier if data.compared else ())]
    change = (
        f"Changes: exact Poisson test against {data.compared.noun()}, 5% level."
        if data.compared
        else "No change is tested: the snapshot does not hold the same months a year earlier."
    )
    return (
        f"Source: {source_line(ctx.snapshot.manifest, 'crime_monthly', used)}; '{data.group.label}' as harmonised "
        f"by the pipeline. Rates {RATE_UNIT} over the months covered ({say.DENOMINATOR}). {change}"
    )


def headline_sentences(data: BoroughData, gss_code: str | None, area_name: str) -> tuple[str, str | None]:
    """The headline for an area and the warning its change carries (None when none)."""
    figure = data.figure(gss_code)
    return count_headline(data.group.noun, area_name, figure), data.warning(figure)


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
    scored = ui.london_wide(vm.scored_cells, cells, weights, counts)  # Gi* over all London, once a period
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
    static = partial(  # built only when the map is exported or shown on a slide
        _hotspot_static,
        scored,
        source,
        scale=scale,
        legend_title=f"Offences per {unit}",
        outlines=outlines,
        selected=code,
    )
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
        static=static,
    )
    return Hotspots(None, figure, scale, f"Offences per {unit}", note, top, source)


def ranking(ctx: PageContext, measure_label: str) -> None:
    """The ranking table (reliable boroughs by the measure with their rank ranges, the rest
    grey and unranked, the chosen borough highlighted) and its CSV."""
    data, measure = ctx.data, ctx["measure"]
    shown = say.counts_ranking(data.table, measure, data.compared)
    reliable = data.table.set_index("name")[f"{'rate' if measure == vm.RATE else 'count'}_reliable"]
    names = list(shown.frame["Borough"])
    chosen = ctx.filters.borough_name if ctx.filters.borough else None
    ui.table(
        shown,
        highlight=[name == chosen for name in names],
        muted=[not reliable.get(name, False) for name in names],
        height=35 * len(names) + 40,
    )
    ranking_download(ctx, shown, measure_label)


def ranking_download(ctx: PageContext, shown: DisplayTable, measure_label: str) -> None:
    data, group = ctx.data, ctx["group"]
    cover = data.cover
    ui.download_csv(
        shown.frame,
        label="Download this table (CSV)",
        file_stem=f"violence-{group.key}-{ctx['measure']}-{months.text(cover.first)}-to-{months.text(cover.last)}",
        header_lines=[
            f"{group.label}, all London boroughs, ranked by {measure_label.lower()}",
            cover.csv_line(),
            *([f"Changes compare {data.compared.noun()}"] if data.compared else []),
            crime_source(ctx, data),
            *([shown.footnote] if shown.footnote else []),
        ],
    )


def borough_figures(ctx: PageContext) -> tuple[Figure, Figure]:
    """The borough map (outlines or equal tiles, as chosen) and its colour legend. Boroughs
    whose figure is not reliable (or missing) are grey and unranked."""
    data, measure, group, code = ctx.data, ctx["measure"], ctx["group"], ctx.filters.gss_code
    table = data.table
    value_column = "rate" if measure == vm.RATE else "count"
    reliable = table[f"{value_column}_reliable"]
    shown = table.assign(**{value_column: table[value_column].where(reliable)})
    scale = quantile_scale(shown[value_column])
    title = f"Offences {RATE_UNIT}" if measure == vm.RATE else "Offences"
    words = say.counts_map_sentence(table, measure, group, data.compared)
    source = f"{crime_source(ctx, data)} Colours: six classes with about equal numbers of boroughs in each."
    figure_title = f"{title}, {group.label}, {data.cover.short()}"
    fmt = "{:,.1f}" if measure == vm.RATE else "{:,.0f}"
    no_figure = "no figure, or not reliable"
    if ctx["map"] == "outlines":
        values = shown.assign(tooltip=[say.counts_tooltip(row, measure, data.compared) for _, row in table.iterrows()])
        return borough_map(
            "borough-map",
            figure_title,
            values,
            value_column=value_column,
            scale=scale,
            legend_title=title,
            selected=code,
            data=table,
            sentence=words,
            source=source,
            fmt=fmt,
            no_data_label=no_figure,
        )
    chart = borough_tile_chart(shown, value_column=value_column, scale=scale, title=figure_title, selected=code)
    figure = chart_figure(chart, key="borough-tiles", data=table, sentence=words, source=source, width="content")
    legend = ui.london_wide(class_legend, scale, title, fmt=fmt, no_data_label=no_figure)
    return figure, chart_figure(legend, key="borough-legend", width="content", legend=True)


def trend_figures(ctx: PageContext) -> list[Figure]:
    """The monthly trend for the chosen borough (if it has figures) and for London, with the
    known recording breaks marked."""
    data, measure, group = ctx.data, ctx["measure"], ctx["group"]
    # Short enough to fit beside a 300 px chart; the caption below gives the full unit.
    y_title = "Per 1,000 residents a year" if measure == vm.RATE else "Offences a month"
    residents = ui.cached(populations).set_index("gss_code")["All"]
    reported = set(data.monthly["gss_code"])
    areas = [(ctx.filters.gss_code, ctx.filters.borough_name)] if ctx.filters.gss_code in reported else []
    first, last = data.monthly["month"].min(), data.monthly["month"].max()
    figures = []
    for code, name in [*areas, (None, "London")]:
        rows = data.monthly if code is None else data.monthly[data.monthly["gss_code"] == code]
        people = residents.reindex(sorted(reported)).sum() if code is None else residents.get(code, 0)
        series = ui.for_area(code, vm.monthly_trend, rows, people, measure)
        chart = ui.for_area(
            code, _trend_chart, series, f"{group.label}: {name}", y_title, ctx.filters.period, data.breaks, first, last
        )
        figures.append(
            chart_figure(
                chart,
                key=f"trend-{code or 'london'}",
                data=series,
                sentence=say.trend_sentence(name, series, measure),
                source=say.trend_source_text(measure, ctx.filters.period)
                + (" Dashed vertical lines mark known breaks in recording." if data.breaks else ""),
            )
        )
    return figures


def _hotspot_static(scored: pd.DataFrame, source: str, **options) -> dict:
    """The hot-spot map's Vega-Lite twin. Its polygons are made here, when it is asked for:
    fetching 2,000 hexagons from the cache on every view cost a tenth of a first view."""
    return hotspot_map_spec(hexagon_frame(scored) if source == vq.H3 else scored, **options)


def _trend_chart(
    series: pd.DataFrame, title: str, y_title: str, period: Period, breaks: tuple[Break, ...], first: date, last: date
) -> dict:
    """A trend chart with the recording breaks drawn on it (one cached call for London's)."""
    chart = trend_chart(series, title=title, y_title=y_title, period=period)
    return with_breaks(chart, breaks, first=first, last=last)


def hotspot_legends(spots: Hotspots) -> list[Figure]:
    classes = ui.london_wide(class_legend, spots.scale, spots.legend_title, fmt="{:,.0f}")
    outlines = ui.london_wide(hotspot_legend)
    return [
        chart_figure(classes, key="hotspot-classes", width="content", legend=True),
        chart_figure(outlines, key="hotspot-outlines", width="content", legend=True),
    ]
