"""The pack's violence section: the Violence page's headline, map, trend and hot spots for
the default offence group (violence against the person), from the same functions."""

from __future__ import annotations

import numbers

import pandas as pd

from lib.briefing.context import Context
from lib.briefing.model import Chart, Columns, Paragraph, Section, Table
from lib.briefing.topics import topic
from lib.charts.violence import trend_chart
from lib.colour import quantile_scale
from lib.formatting import change_text, count_text, rate_text
from lib.maps.vegalite import borough_choropleth_spec, outline_features
from lib.metrics import violence as vm
from lib.metrics.hotspots import h3_study_area, hotspots_expected_by_chance, lsoa_study_area
from lib.metrics.ranking import rank_range
from lib.metrics.rates import annual_rate_interval
from lib.months import label as month_label
from lib.narrative import violence as say
from lib.narrative.ranking import rank_sentence
from lib.places import TOWN_CENTRES
from lib.queries import violence as vq
from lib.queries.common import borough_outlines, populations

PLACES = pd.DataFrame([(n, lat, lon) for n, lat, lon, *_ in TOWN_CENTRES], columns=["name", "lat", "lon"])
TITLE = "Violence"
METHODS = (
    (
        "Rate",
        "Offences recorded in the borough in the period, scaled to 12 months, per 1,000 Census 2021 residents. "
        "Offences are counted where they happen; victims need not live there.",
    ),
    (
        "Change in a count",
        "Exact Poisson test (conditional binomial), two-sided at the 5% level, against the same months a year "
        "earlier (periods of up to 12 months) or the equal period before (longer periods). A change is called "
        "up or down only when the test says so.",
    ),
    (
        "Interval for a rate",
        "Exact (Garwood) Poisson 95% interval for the count, turned into a rate in the same way.",
    ),
    (
        "Hot spots",
        "Getis-Ord Gi* on small cells across London (each cell with its touching neighbours, compared with all "
        "cells including empty ones); a cell is a hot spot at z ≥ 1.96 (95%) or z ≥ 2.58 (99%).",
    ),
)


@topic("violence", TITLE, order=10)
def violence_section(ctx: Context) -> Section:
    period, name = ctx.period, ctx.borough_name
    groups = ctx.query(vq.offence_groups)
    if not groups:
        return _missing("This snapshot holds no violent offence categories.")
    group = groups[0]  # the Violence page's default: violence against the person
    monthly = ctx.query(vq.category_monthly_counts, major=group.major, minor=group.minor)
    table = ctx.shared(("violence-table", group.key, period), lambda: _borough_table(ctx, monthly))
    if table is None:
        return _missing(
            f"Recorded crime in this snapshot covers {month_label(monthly['month'].min())} to "
            f"{month_label(monthly['month'].max())}, so it cannot describe {period.describe()}."
        )
    borough = vm.area_figures(table, period.months, ctx.borough)
    london = vm.area_figures(table, period.months, None)
    headline = say.headline(group, name, borough, period)
    blocks: list = [
        Paragraph(headline, "headline"),
        Paragraph(say.headline(group, "London", london, period)),
        _beside_london(group, name, borough, london, period),
    ]
    beside, below = _hotspots(ctx, group)
    blocks += _place(ctx, table, group, beside)
    blocks += _trends(ctx, monthly, group)
    blocks += below
    limits = [
        f"Recorded crime counts offences reported to and recorded by the police: changes in reporting or "
        f"recording move it as much as changes in {group.noun} itself.",
        say.CITY_NOTE + " The City is policed by the City of London Police; the Met's recorded crime may have "
        "no figure for it.",
    ]
    if borough.change is None:
        limits.append(f"The snapshot does not reach back to {vm.comparison_noun(period)}, so no change is given.")
    small = table.loc[table["small"], "name"].tolist()
    if small:
        limits.append(
            f"Fewer than 10 offences were recorded in {_names(small)}: their figures are withheld and they are "
            "not ranked."
        )
    return Section(
        key="violence",
        title=TITLE,
        blocks=tuple(blocks),
        summary=headline,
        limits=tuple(limits),
        methods=METHODS,
        sources=("crime",),
    )


def _missing(text: str) -> Section:
    return Section("violence", TITLE, (Paragraph(text, "headline"),), summary=text, limits=(text,), methods=METHODS)


def _borough_table(ctx: Context, monthly: pd.DataFrame) -> pd.DataFrame | None:
    """`borough_table` exactly as the Violence page computes it, plus each rate's interval."""
    current = vm.period_counts(monthly, ctx.period)
    if current is None:
        return None
    residents = ctx.query(populations).set_index("gss_code")["All"]
    previous = vm.period_counts(monthly, vm.comparison_period(ctx.period))
    table = vm.borough_table(current, previous, residents, ctx.period.months)
    bounds = [
        annual_rate_interval(int(count), people, ctx.period.months)
        for count, people in zip(table["count"], table["residents"], strict=True)
    ]
    shown = ~table["small"]
    table["rate_low"] = pd.Series([b.low for b in bounds], index=table.index).where(shown)
    table["rate_high"] = pd.Series([b.high for b in bounds], index=table.index).where(shown)
    return table


def _rate_with_interval(figures: vm.AreaFigures, months: int) -> str:
    if figures.small:
        return "fewer than 10 offences"
    bounds = annual_rate_interval(figures.count, figures.residents, months)
    return f"{rate_text(figures.rate)} ({rate_text(bounds.low)} to {rate_text(bounds.high)})"


def _change_cell(figures: vm.AreaFigures) -> str:
    change = figures.change
    if change is None:
        return "not available"
    return change_text(change.direction, change.percent) if change.previous else "none before"


def _beside_london(group, name: str, borough: vm.AreaFigures, london: vm.AreaFigures, period) -> Table:
    rows = [
        (
            area,
            "fewer than 10" if figures.small else count_text(figures.count),
            _rate_with_interval(figures, period.months),
            _change_cell(figures),
        )
        for area, figures in ((name, borough), ("London", london))
    ]
    return Table(
        columns=("Area", "Offences", f"Rate {say.RATE_UNIT} (95% interval)", f"Change on {vm.comparison_noun(period)}"),
        rows=tuple(rows),
        caption=f"{group.label}, {period.short()}: {name} beside London",
        source=f"Source: Metropolitan Police recorded crime; rates use {say.DENOMINATOR}. Changes: exact Poisson test, "
        "5% level.",
        highlight=0,
    )


def _place(ctx: Context, table: pd.DataFrame, group, beside: list) -> list:
    period, name = ctx.period, ctx.borough_name
    ranked = table.assign(value=table["rate"].where(~table["small"]))
    place = rank_range(ranked, ctx.borough, value="value", low="rate_low", high="rate_high")
    scale = quantile_scale(table.loc[~table["small"], "rate"])
    values = table.assign(
        value=table["rate"].where(~table["small"]),
        label=[
            "fewer than 10 offences" if s else rate_text(r) for s, r in zip(table["small"], table["rate"], strict=True)
        ],
    )
    features = ctx.shared(("outline-features",), lambda: outline_features(ctx.query(borough_outlines)))
    spec = borough_choropleth_spec(
        features,
        values,
        value_column="value",
        label_column="label",
        scale=scale,
        title=f"{group.label} {say.RATE_UNIT}, {period.short()}",
        legend_title=f"Offences {say.RATE_UNIT}",
        no_data_label="fewer than 10",
        selected=ctx.borough,
    )
    map_sentence = say.borough_map_sentence(table, vm.RATE, group, period)
    chart = Chart(
        "violence-map",
        spec,
        alt=f"Map of London's boroughs shaded by the rate of {group.noun} in {period.describe()}, "
        f"{name} outlined. {map_sentence}",
        source="Colours: six classes with about equal numbers of boroughs in each; grey: fewer than 10 offences.",
        width=380,
        height=290,
    )
    return [
        Columns(
            (chart,),
            (Paragraph(rank_sentence(name, place, what=f"rate of {group.noun}")), Paragraph(map_sentence), *beside),
            ratio=(3, 2),
        )
    ]


def _trends(ctx: Context, monthly: pd.DataFrame, group) -> list:
    period = ctx.period
    residents = ctx.query(populations).set_index("gss_code")["All"]
    charts, sentences = [], []
    for code, area in ((ctx.borough, ctx.borough_name), (None, "London")):
        rows = monthly if code is None else monthly[monthly["gss_code"] == code]
        people = residents.sum() if code is None else residents.get(code, 0)
        trend = vm.monthly_trend(rows, people, vm.RATE)
        sentence = say.trend_sentence(area, trend, vm.RATE)
        sentences.append(Paragraph(sentence))
        charts.append(
            Chart(
                f"violence-trend-{'london' if code is None else 'borough'}",
                trend_chart(trend, title=f"{group.label}: {area}", y_title="Per 1,000 residents a year", period=period),
                alt=f"Line chart of the monthly rate of {group.noun} in {area} per 1,000 residents a year, with its "
                f"12-month average and, for the chosen months, the same month a year earlier. {sentence}",
                width=330,
                height=170,
            )
        )
    return [
        Columns((charts[0],), (charts[1],)),
        Paragraph(
            f"Monthly recorded crime; the shaded band is {period.short()}. Monthly rates are annualised (× 12) per "
            "1,000 Census 2021 residents.",
            "note",
        ),
        *sentences,
    ]


def _hotspots(ctx: Context, group) -> tuple[list, list]:
    """Sentences to set beside the map, and the table of the strongest hot spots below."""
    period = ctx.period
    source = ctx.query(vq.hotspot_source)
    covered = ctx.query(vq.small_area_months)
    note = say.hotspot_layer_note(group, source)
    if source is None or (source == vq.H3 and not group.point_types) or covered is None:
        return [Paragraph(note, "note")], []
    start, end = max(period.start, covered[0]), min(period.end, covered[1])
    if start > end:
        text = (
            f"Small-area data in this snapshot covers {month_label(covered[0])} to {month_label(covered[1])}, "
            "outside the chosen period, so no hot spots are given."
        )
        return [Paragraph(text, "note")], []
    scored = ctx.shared(("violence-hotspots", group.key, start, end), lambda: _scored(ctx, group, source, start, end))
    if scored is None:
        return [Paragraph(f"{note} This snapshot holds none of those records in the period.", "note")], []
    top = vm.top_hotspots(scored, PLACES, gss_code=ctx.borough, n=3)
    beside = [Paragraph(say.hotspot_sentence(scored, top, ctx.borough, source)), Paragraph(note, "note")]
    below = []
    if not top.empty:
        rows = say.hotspot_rows(top, source)
        below.append(
            Table(
                columns=tuple(rows.columns),
                rows=tuple(tuple(_cell(v) for v in row) for row in rows.itertuples(index=False)),
                caption=f"The strongest hot spots in {ctx.borough_name}, {month_label(start)} to {month_label(end)}",
                source=f"Even with no real clustering about {hotspots_expected_by_chance(len(scored)):,} of "
                f"{len(scored):,} cells would pass the 95% mark by chance. Locations are snapped to anonymised "
                "points by data.police.uk, so single points are never shown.",
            )
        )
    return beside, below


def _scored(ctx: Context, group, source: str, start, end) -> pd.DataFrame | None:
    if source == vq.H3:
        cells, weights = ctx.shared(
            ("h3-study-area",), lambda: h3_study_area(ctx.query(borough_outlines), ctx.query(vq.counted_cells))
        )
        counts = ctx.query(vq.h3_cell_counts, crime_types=group.point_types, start=start, end=end)
    else:
        cells, weights = ctx.shared(("lsoa-study-area",), lambda: lsoa_study_area(ctx.query(vq.lsoa_shapes)))
        counts = ctx.query(vq.lsoa_counts, major=group.major, minor=group.minor, start=start, end=end)
    if counts["count"].sum() == 0:
        return None
    return vm.scored_cells(cells, weights, counts)


def _cell(value: object) -> str:
    if isinstance(value, numbers.Integral):
        return count_text(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.2f}"
    return str(value)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
