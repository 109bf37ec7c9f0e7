"""Data, figures and sections for the stop and search page."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from lib import months as month_list
from lib import ui
from lib.boroughs import BOROUGHS
from lib.charts import stop_search as charts
from lib.charts.common import borough_tiles, chart_figure, class_legend
from lib.colour import quantile_scale
from lib.figure import Figure
from lib.filters import coverage_note
from lib.maps.choropleth import borough_choropleth
from lib.metrics import stop_search as m
from lib.narrative import stop_search as say
from lib.page import PageContext
from lib.queries import stop_search as q
from lib.queries.common import borough_outlines, months_with_data, population_year, populations

SOURCE = "Source: data.police.uk stop and search (Met and City of London Police); ONS Census 2021 residents."
DEFINITIONS = {q.SELF_DEFINED: "Self-defined", q.OFFICER_DEFINED: "Officer-defined"}
TILES = pd.DataFrame(
    [{"gss_code": b.gss_code, "short": b.short, "tile_col": b.tile_col, "tile_row": b.tile_row} for b in BOROUGHS]
)


@dataclass(frozen=True, eq=False)
class SearchData:
    cube: pd.DataFrame  # q.search_cube for the filters
    residents: pd.DataFrame
    covered: tuple  # months of the period with stop and search data
    months: int  # months rates are annualised over
    london: pd.DataFrame  # disparity_table for London
    local: pd.DataFrame  # the same for the chosen borough (London when none)


def search_data(ctx: PageContext) -> SearchData | None:
    """The page's `prepare` hook: searches matching the filters and the per-group tables;
    None when no search matches."""
    period, definition = ctx.filters.period, ctx["definition"]
    span = {"start": period.start, "end": period.end}
    cube = ui.cached(q.search_cube, definition=definition, **span, **ctx["selection"])
    if cube.empty:
        return None
    residents = ui.cached(populations)
    covered = ui.cached(months_with_data, table="stop_search", **span)
    n = len(covered) or period.months  # rates are annualised over the months with data
    london = m.disparity_table(cube, residents, area=None, definition=definition, months=n)
    area = ctx.filters.gss_code
    local = london if area is None else m.disparity_table(cube, residents, area=area, definition=definition, months=n)
    return SearchData(cube, residents, covered, n, london, local)


def basis(ctx: PageContext) -> str:
    return say.basis_sentence(
        definition=ctx["definition"],
        filters_text=say.filters_text(**ctx["selection"]),
        population_year=ui.cached(population_year),
    )


def headline(ctx: PageContext) -> None:
    data, group, area_name = ctx.data, ctx["group"], ctx.filters.borough_name
    if data is None:
        return ui.empty_result(
            f"No searches match these filters in {ctx.filters.period.describe()}. Try choosing fewer filters."
        )
    if note := coverage_note("stop and search", data.covered, ctx.filters.period):
        st.info(note, icon=":material/date_range:")
    ui.sentence(say.headline(m.group_row(data.london, group), area_name="London"))
    if ctx.filters.borough:
        ui.sentence(say.headline(m.group_row(data.local, group), area_name=area_name))
    unknown = int(m.group_row(data.local, "Unknown")["searches"])
    definition_name = DEFINITIONS[ctx["definition"]].lower()
    st.markdown(say.missing_range_sentence(m.group_row(data.local, group), unknown, definition_name=definition_name))
    st.markdown(basis(ctx) + " " + say.residence_sentence(area_name, m.unlocated_searches(data.cube)))
    st.caption(f"Small numbers: a group with {say.FEWER_THAN} searches shows “{say.FEWER_THAN}” and no rate or ratio.")


def who(ctx: PageContext) -> None:
    where, local = ctx.filters.describe(), ctx.data.local
    source = (
        f"{SOURCE} {where}. Dot: rate or ratio; dark line: 95% interval (exact Poisson); grey bar: "
        "the ratio if every search of unknown ethnicity had been of that group, or of White people. "
        "Dashed line: the same rate as White residents."
    )
    left, right = st.columns(2)
    rate = charts.rate_chart(local, title="Searches per 1,000 residents per year")
    ratio = charts.ratio_chart(local, title="Rate compared with White residents")
    ui.draw(chart_figure(rate, key="search-rates", data=local, source=source), container=left)
    ui.draw(chart_figure(ratio, key="search-ratios", data=local, source=source), container=right)
    ui.source_caption(source)


def outcomes(ctx: PageContext) -> None:
    cube, area, definition = ctx.data.cube, ctx.filters.gss_code, ctx["definition"]
    found = m.outcome_rates(cube, area=area, definition=definition)
    status = m.find_status(cube, area=area)
    finds = m.find_rates(cube, area=area, definition=definition) if status == "recorded" else None
    ui.sentence(say.outcome_sentence(found, ctx["group"]))
    st.markdown(f"{say.OUTCOME_TEST} {say.find_sentence(status, finds)}")
    shown = found if finds is None else pd.concat([found, finds], ignore_index=True)
    source = (
        f"{SOURCE} {ctx.filters.describe()}. Share of searches with a recorded outcome; positive outcome = any "
        "outcome other than no further action; lines are 95% Wilson intervals."
    )
    chart = charts.outcome_chart(shown, title=f"Outcomes of searches, {ctx.filters.borough_name}")
    ui.draw(chart_figure(chart, key="search-outcomes", data=shown, source=source))
    ui.source_caption(source)


def children(ctx: PageContext) -> None:
    cube, area, definition, area_name = ctx.data.cube, ctx.filters.gss_code, ctx["definition"], ctx.filters.borough_name
    young = m.children_by_group(cube, area=area, definition=definition)
    strips = m.strip_searches(cube, area=area, definition=definition)
    left, right = st.columns(2)
    left.markdown(say.children_sentence(young, area_name=area_name))
    labelled = young.assign(label=[say.count_label(n) for n in young["under_18"]])
    chart = charts.children_chart(labelled, title="Searches of under-18s")
    ui.draw(chart_figure(chart, key="search-children", data=labelled), container=left)
    right.markdown(say.strip_sentence(strips, area_name=area_name))
    if strips is not None:
        right.dataframe(strips.map(say.count_label).rename_axis("Ethnic group"), width="stretch")
    ui.source_caption(
        f"{SOURCE} {ctx.filters.describe()}. Under 18 = age 'under 10' or '10-17'. Strip search = removal of more "
        "than outer clothing, counted by ethnic group and age."
    )


def borough_figures(ctx: PageContext, boroughs: pd.DataFrame) -> tuple[Figure, Figure]:
    group, area = ctx["group"], ctx.filters.gss_code
    scale = quantile_scale(boroughs["ratio"])
    title = f"{group}/White rate ratio"
    words = say.map_sentence(boroughs, group)
    if ctx["map"] == "map":
        deck = borough_choropleth(
            ui.cached(borough_outlines),
            boroughs,
            value_column="ratio",
            scale=scale,
            tooltip_column="tooltip",
            selected=area,
        )
        figure = Figure("search-ratio-map", title, deck=deck, data=boroughs, sentence=words, height=520)
    else:
        chart = borough_tiles(
            boroughs.merge(TILES, on="gss_code"),
            value_column="ratio",
            scale=scale,
            label_column="label",
            tooltip=["name:N", "tooltip:N"],
            title=title,
            selected=area,
        )
        figure = chart_figure(chart, key="search-ratio-tiles", data=boroughs, sentence=words, width="content")
    legend = ui.london_wide(class_legend, scale, title, no_data_label=say.FEWER_THAN)
    return figure, chart_figure(legend, key="search-ratio-legend", width="content")


def by_borough(ctx: PageContext) -> None:
    data, group, definition = ctx.data, ctx["group"], ctx["definition"]
    table = m.borough_disparity(data.cube, data.residents, group=group, definition=definition, months=data.months)
    boroughs = say.with_labels(table, group)
    ui.sentence(say.map_sentence(boroughs, group))
    for figure in borough_figures(ctx, boroughs):
        ui.draw(figure)
    ranking = say.ranking_table(boroughs, group, ctx.filters.gss_code)
    decimals = {
        c: st.column_config.NumberColumn(format="%.2f") for c in ranking.columns if ranking[c].dtype.kind == "f"
    }
    st.dataframe(ranking, hide_index=True, width="stretch", column_config=decimals)
    ui.download_csv(
        ranking,
        label="Download this table (CSV)",
        file_stem=f"stop-search-{group}-white-ratio",
        header_lines=[ctx.filters.describe(), basis(ctx), SOURCE],
    )
    ui.source_caption(
        f"{SOURCE} Period: {ctx.filters.period.short()}. Searches made in each borough (unlocated searches "
        "are in no borough) per 1,000 residents per year; ratio = group rate ÷ White rate."
    )


def _volume_spec(monthly: pd.DataFrame, title: str) -> dict:
    return chart_figure(charts.volume_chart(monthly, title=title), key="").spec


def volume(ctx: PageContext) -> None:
    period, area, area_name = ctx.filters.period, ctx.filters.gss_code, ctx.filters.borough_name
    found = ui.cached(q.monthly_volume, borough=area, start=period.start, end=period.end, **ctx["selection"])
    span = month_list.span(period.start, period.end)
    for code, name in ([(area, area_name)] if area else []) + [(None, "London")]:
        monthly = m.monthly_breakdown(found, area=code, by=ctx["by"], months=span)
        words = say.volume_sentence(monthly, area_name=name, period_text=period.describe(), months=ctx.data.months)
        st.markdown(words)
        title = f"Searches a month, {name}"
        # London's chart is the same whichever borough is chosen.
        spec = ui.london_wide(_volume_spec, monthly, title) if code is None else _volume_spec(monthly, title)
        ui.draw(Figure(f"search-volume-{code or 'london'}", title, spec=spec, data=monthly, sentence=words))
    ui.source_caption(
        f"{SOURCE} Period: {period.short()}. Volume uses the filters above except ethnicity; "
        "London includes searches with no location."
    )
