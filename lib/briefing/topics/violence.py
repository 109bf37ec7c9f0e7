"""The pack's violence section: the Violence page's headline, map, trend and hot spots for
the default offence group (violence against the person), from the same functions."""

from __future__ import annotations

import numbers

import pandas as pd

from lib.briefing.context import Context
from lib.briefing.model import Chart, Columns, Paragraph, Section, Table, missing_section
from lib.briefing.topics import topic
from lib.charts.breaks import with_breaks
from lib.charts.violence import trend_chart
from lib.colour import quantile_scale
from lib.formatting import change_text, count_text, rate_text
from lib.maps.vegalite import borough_choropleth_spec, outline_features
from lib.metrics import violence as vm
from lib.metrics.breaks import comparability
from lib.metrics.counts import CountFigure, CrimeFigures, crime_figures
from lib.metrics.coverage import missing_comparison
from lib.metrics.hotspots import h3_study_area, hotspots_expected_by_chance, lsoa_study_area
from lib.metrics.ranking import rank_range
from lib.months import label as month_label
from lib.narrative import violence as say
from lib.narrative.breaks import break_warning
from lib.narrative.counts import RATE_UNIT, count_headline
from lib.narrative.ranking import left_out_sentence, rank_sentence
from lib.narrative.sources import breaks_in
from lib.places import TOWN_CENTRES
from lib.queries import violence as vq
from lib.queries.common import borough_outlines, held_months, populations, unallocated_shares

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
        "Exact Poisson test (conditional binomial), two-sided at the 5% level, against the same calendar months "
        "a whole number of years earlier (one year for periods up to 12 months), and only when the snapshot holds "
        "all of them. A change is called up or down only when the test says so.",
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
        return missing_section("violence", TITLE, "This snapshot holds no violent offence categories.", METHODS)
    group = groups[0]  # the Violence page's default: violence against the person
    monthly = ctx.query(vq.category_monthly_counts, major=group.major, minor=group.minor)
    figures = ctx.shared(("violence-figures", group.key, period), lambda: _figures(ctx, monthly))
    if figures.table is None:
        return missing_section("violence", TITLE, figures.cover.empty_sentence("recorded crime", advice=None), METHODS)
    table = figures.table
    borough, london = figures.figure(ctx.borough), figures.figure(None)
    headline = count_headline(group.noun, name, borough)
    blocks: list = [Paragraph(headline, "headline")]
    warning = _warning(ctx, figures, group, borough)
    if warning:
        blocks.append(Paragraph(warning, "note"))
    blocks += [
        Paragraph(count_headline(group.noun, "London", london)),
        _beside_london(group, name, borough, london, figures),
    ]
    beside, below = _hotspots(ctx, group)
    blocks += _place(ctx, figures, group, beside)
    blocks += _trends(ctx, monthly, group)
    blocks += below
    limits = [
        f"Recorded crime counts offences reported to and recorded by the police: changes in reporting or "
        f"recording move it as much as changes in {group.noun} itself.",
    ]
    if note := figures.cover.note("recorded crime"):
        limits.append(note)
    if borough.change is None:
        limits.append(f"No change is given: {missing_comparison(figures.cover)}.")
    left_out = left_out_sentence(table, reliable="rate_reliable", reason="rate_reason")
    if left_out:
        limits.append(f"Not ranked or mapped in colour. {left_out}")
    return Section(
        key="violence",
        title=TITLE,
        blocks=tuple(blocks),
        summary=headline,
        limits=tuple(limits),
        methods=METHODS,
        sources=("crime",),
    )


def _figures(ctx: Context, monthly: pd.DataFrame) -> CrimeFigures:
    """The Violence page's figures for the period (`lib.metrics.counts.crime_figures`)."""
    residents = ctx.query(populations).set_index("gss_code")["All"]
    return crime_figures(monthly, residents, ctx.query(held_months, table="crime_monthly"), ctx.period)


def _warning(ctx: Context, figures: CrimeFigures, group, figure: CountFigure) -> str | None:
    breaks = breaks_in(ctx.store.snapshot.manifest, "crime_monthly")
    shares = ctx.query(unallocated_shares, major=group.major)
    return break_warning(comparability(figures.compared, figure.change, breaks, shares))


def _rate_with_interval(figure: CountFigure) -> str:
    if figure.count is None:
        return "no figure"
    if figure.small:
        return "fewer than 10 offences"
    return f"{rate_text(figure.rate)} ({rate_text(figure.rate_low)} to {rate_text(figure.rate_high)})"


def _change_cell(figure: CountFigure) -> str:
    change = figure.change
    if change is None:
        return "not available"
    return change_text(change.direction, change.percent) if change.previous else "none before"


def _count_cell(figure: CountFigure) -> str:
    if figure.count is None:
        return "no figure"
    return "fewer than 10" if figure.small else count_text(figure.count)


def _beside_london(group, name: str, borough: CountFigure, london: CountFigure, figures: CrimeFigures) -> Table:
    rows = [
        (area, _count_cell(figure), _rate_with_interval(figure), _change_cell(figure))
        for area, figure in ((name, borough), ("London", london))
    ]
    compared = figures.compared
    return Table(
        columns=(
            "Area",
            "Offences",
            f"Rate {RATE_UNIT} (95% interval)",
            f"Change on {compared.short_noun()}" if compared else "Change",
        ),
        rows=tuple(rows),
        caption=f"{group.label}, {figures.cover.span()}: {name} beside London",
        source=f"Source: Metropolitan Police recorded crime; rates use {say.DENOMINATOR}. Changes: exact Poisson test, "
        "5% level.",
        highlight=0,
    )


def _place(ctx: Context, figures: CrimeFigures, group, beside: list) -> list:
    name, table = ctx.borough_name, figures.table
    place = rank_range(table, ctx.borough, value="rate", low="rate_low", high="rate_high", reliable="rate_reliable")
    values = table.assign(
        value=table["rate"].where(table["rate_reliable"]),
        label=[
            "no figure" if c != c else "fewer than 10 offences" if s else rate_text(r)
            for c, s, r in zip(table["count"], table["small"], table["rate"], strict=True)
        ],
    )
    scale = quantile_scale(values["value"])
    features = ctx.shared(("outline-features",), lambda: outline_features(ctx.query(borough_outlines)))
    spec = borough_choropleth_spec(
        features,
        values,
        value_column="value",
        label_column="label",
        scale=scale,
        title=f"{group.label} {RATE_UNIT}, {figures.cover.short()}",
        legend_title=f"Offences {RATE_UNIT}",
        no_data_label="no figure, or not reliable",
        selected=ctx.borough,
    )
    map_sentence = say.counts_map_sentence(table, vm.RATE, group, figures.compared)
    chart = Chart(
        "violence-map",
        spec,
        alt=f"Map of London's boroughs shaded by the rate of {group.noun} {figures.cover.phrase()}, "
        f"{name} outlined. {map_sentence}",
        source="Colours: six classes with about equal numbers of boroughs in each; grey: no figure, or not reliable.",
        width=380,
        height=290,
    )
    return [
        Columns(
            (chart,),
            (Paragraph(rank_sentence(name, place, what=f"rate of {group.noun}")), Paragraph(map_sentence), *beside),
            ratio=(1, 1),
        )
    ]


def _trends(ctx: Context, monthly: pd.DataFrame, group) -> list:
    period = ctx.period
    residents = ctx.query(populations).set_index("gss_code")["All"]
    reported = set(monthly["gss_code"])
    breaks = breaks_in(ctx.store.snapshot.manifest, "crime_monthly")
    first, last = monthly["month"].min(), monthly["month"].max()
    charts, sentences = [], []
    areas = [(ctx.borough, ctx.borough_name)] if ctx.borough in reported else []
    for code, area in [*areas, (None, "London")]:
        rows = monthly if code is None else monthly[monthly["gss_code"] == code]
        people = residents.reindex(sorted(reported)).sum() if code is None else residents.get(code, 0)
        trend = vm.monthly_trend(rows, people, vm.RATE)
        sentence = say.trend_sentence(area, trend, vm.RATE)
        sentences.append(Paragraph(sentence))
        charts.append(
            Chart(
                f"violence-trend-{'london' if code is None else 'borough'}",
                with_breaks(
                    trend_chart(
                        trend, title=f"{group.label}: {area}", y_title="Per 1,000 residents a year", period=period
                    ),
                    breaks,
                    first=first,
                    last=last,
                ),
                alt=f"Line chart of the monthly rate of {group.noun} in {area} per 1,000 residents a year, with its "
                f"12-month average and, for the chosen months, the same month a year earlier. {sentence}",
                width=280,
                height=150,
            )
        )
    return [
        Columns((charts[0],), (charts[1],)) if len(charts) == 2 else charts[0],
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
