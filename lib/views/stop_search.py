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
from lib.metrics import stop_search as m
from lib.metrics.coverage import Coverage, coverage
from lib.narrative import stop_search as say
from lib.narrative.sources import source_line
from lib.page import PageContext
from lib.queries import stop_search as q
from lib.queries.common import held_months, population_year, populations
from lib.views.maps import borough_map

DEFINITIONS = {q.SELF_DEFINED: "Self-defined", q.OFFICER_DEFINED: "Officer-defined"}
TILES = pd.DataFrame(
    [{"gss_code": b.gss_code, "short": b.short, "tile_col": b.tile_col, "tile_row": b.tile_row} for b in BOROUGHS]
)


@dataclass(frozen=True, eq=False)
class SearchData:
    cube: pd.DataFrame  # q.search_cube for the filters
    residents: pd.DataFrame
    cover: Coverage  # the months of the period the snapshot holds searches for
    london: pd.DataFrame  # disparity_table for London
    local: pd.DataFrame  # the same for the chosen borough (London when none)
    figure: m.SearchFigure  # the area's headline figures (Overview shows the same)

    @property
    def months(self) -> int:
        """Months rates are annualised over: those covered."""
        return self.cover.count


def search_cover(ctx: PageContext) -> Coverage:
    return coverage(ui.cached(held_months, table="stop_search"), ctx.filters.period)


def search_data(ctx: PageContext) -> SearchData | None:
    """The page's `prepare` hook: searches matching the filters in the covered months and
    the per-group tables; None when no search matches (or no month is covered)."""
    definition = ctx["definition"]
    cover = search_cover(ctx)
    if cover.empty:
        return None
    cube = ui.cached(q.search_cube, definition=definition, start=cover.first, end=cover.last, **ctx["selection"])
    if cube.empty:
        return None
    residents = ui.cached(populations)
    # London's table and the borough table below do not change with the borough chosen.
    london = ui.london_wide(m.disparity_table, cube, residents, area=None, definition=definition, months=cover.count)
    area = ctx.filters.gss_code
    local = (
        london
        if area is None
        else m.disparity_table(cube, residents, area=area, definition=definition, months=cover.count)
    )
    figure = m.search_figure(cube, residents, area=area, cover=cover, definition=definition, group=ctx["group"])
    return SearchData(cube, residents, cover, london, local, figure)


def sources(ctx: PageContext) -> str:
    """'Source: …' for searches in the covered months, from the manifest, and for residents."""
    manifest, cover = ctx.snapshot.manifest, ctx.data.cover
    return f"Sources: {source_line(manifest, 'stop_search', cover.months)}; {source_line(manifest, 'population')}."


def where(ctx: PageContext) -> str:
    """'Lambeth, in the 6 months March to August 2024, the latest this snapshot holds'."""
    return f"{ctx.filters.borough_name}, {ctx.data.cover.phrase()}"


def basis(ctx: PageContext) -> str:
    return say.basis_sentence(
        definition=ctx["definition"],
        filters_text=say.filters_text(**ctx["selection"]),
        population_year=ui.cached(population_year),
    )


def headline(ctx: PageContext) -> None:
    data, group, area_name = ctx.data, ctx["group"], ctx.filters.borough_name
    if data is None:
        cover = search_cover(ctx)
        if cover.empty:
            return ui.empty_result(cover.empty_sentence("stop and search data"))
        return ui.empty_result(f"No searches match these filters {cover.phrase()}. Try choosing fewer filters.")
    if note := data.cover.note("stop and search", changes=False):
        st.info(note, icon=":material/date_range:")
    ui.sentence(say.search_headline(area_name, data.figure))
    if ctx.filters.borough:
        ui.sentence(say.headline(m.group_row(data.london, group), area_name="London"))
    unknown = int(m.group_row(data.local, "Unknown")["searches"])
    definition_name = DEFINITIONS[ctx["definition"]].lower()
    st.markdown(say.missing_range_sentence(m.group_row(data.local, group), unknown, definition_name=definition_name))
    st.markdown(basis(ctx) + " " + say.residence_sentence(area_name, m.unlocated_searches(data.cube)))
    st.caption(f"Small numbers: a group with {say.FEWER_THAN} searches shows “{say.FEWER_THAN}” and no rate or ratio.")


def who(ctx: PageContext) -> None:
    local, when = ctx.data.local, ctx.data.cover.short()
    source = (
        f"{sources(ctx)} {where(ctx)}. Dot: rate or ratio; dark line: 95% interval (exact Poisson); grey bar: "
        "the ratio if every search of unknown ethnicity had been of that group, or of White people. "
        "Dashed line: the same rate as White residents."
    )
    left, right = st.columns(2)
    rate = charts.rate_chart(local, title=f"Searches per 1,000 residents per year, {when}")
    ratio = charts.ratio_chart(local, title=f"Rate compared with White residents, {when}")
    rates = say.rates_sentence(local, area_name=ctx.filters.borough_name)
    ratios = say.headline(m.group_row(local, ctx["group"]), area_name=ctx.filters.borough_name)
    ui.draw(chart_figure(rate, key="search-rates", data=local, source=source, sentence=rates), container=left)
    ui.draw(chart_figure(ratio, key="search-ratios", data=local, source=source, sentence=ratios), container=right)
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
        f"{sources(ctx)} {where(ctx)}. Share of searches with a recorded outcome; positive outcome = any "
        "outcome other than no further action; lines are 95% Wilson intervals."
    )
    title = f"Outcomes of searches, {ctx.filters.borough_name}, {ctx.data.cover.short()}"
    chart = charts.outcome_chart(shown, title=title)
    ui.draw(chart_figure(chart, key="search-outcomes", data=shown, source=source))
    ui.source_caption(source)


def children(ctx: PageContext) -> None:
    cube, area, definition, area_name = ctx.data.cube, ctx.filters.gss_code, ctx["definition"], ctx.filters.borough_name
    young = m.children_by_group(cube, area=area, definition=definition)
    strips = m.strip_searches(cube, area=area, definition=definition)
    left, right = st.columns(2)
    when = ctx.data.cover.phrase()
    ui.sentence(say.children_sentence(young, area_name=area_name, when=when), container=left, large=False)
    labelled = young.assign(label=[say.count_label(n) for n in young["under_18"]])
    chart = charts.children_chart(labelled, title=f"Searches of under-18s, {ctx.data.cover.short()}")
    ui.draw(chart_figure(chart, key="search-children", data=labelled), container=left)
    ui.sentence(say.strip_sentence(strips, area_name=area_name, when=when), container=right, large=False)
    if strips is not None:
        right.dataframe(strips.map(say.count_label).rename_axis("Ethnic group"), width="stretch")
    ui.source_caption(
        f"{sources(ctx)} {where(ctx)}. Under 18 = age 'under 10' or '10-17'. Strip search = removal of more "
        "than outer clothing, counted by ethnic group and age."
    )


def borough_figures(ctx: PageContext, boroughs: pd.DataFrame, words: str) -> tuple[Figure, Figure]:
    """The ratio map (or tiles) with unreliable boroughs grey, and its legend."""
    group, area = ctx["group"], ctx.filters.gss_code
    shown = boroughs.assign(ratio=boroughs["ratio"].where(boroughs["reliable"]))
    scale = quantile_scale(shown["ratio"])
    title = f"{group}/White rate ratio"
    figure_title = f"{title}, {ctx.data.cover.short()}"
    no_figure = f"{say.FEWER_THAN}, or not reliable"
    if ctx["map"] == "map":
        return borough_map(
            "search-ratio-map",
            figure_title,
            shown,
            value_column="ratio",
            scale=scale,
            legend_title=title,
            selected=area,
            data=boroughs,
            sentence=words,
            no_data_label=no_figure,
            height=520,
            column_px=None,
        )
    chart = borough_tiles(
        shown.merge(TILES, on="gss_code"),
        value_column="ratio",
        scale=scale,
        label_column="label",
        tooltip=["name:N", "tooltip:N"],
        title=figure_title,
        selected=area,
    )
    figure = chart_figure(chart, key="search-ratio-tiles", data=boroughs, sentence=words, width="content")
    legend = ui.london_wide(class_legend, scale, title, no_data_label=no_figure)
    return figure, chart_figure(legend, key="search-ratio-legend", width="content", legend=True)


def by_borough(ctx: PageContext) -> None:
    data, group, definition = ctx.data, ctx["group"], ctx["definition"]
    table = ui.london_wide(
        m.borough_disparity, data.cube, data.residents, group=group, definition=definition, months=data.months
    )
    boroughs = ui.london_wide(say.with_labels, table, group)
    words = ui.london_wide(say.ratio_map_sentence, boroughs, group)
    ui.sentence(words)
    for figure in borough_figures(ctx, boroughs, words):
        ui.draw(figure)
    shown = say.ratio_ranking(boroughs, group, ctx.filters.gss_code)
    order = boroughs.sort_values(["rank", "ratio", "name"], ascending=[True, False, True], na_position="last")
    ui.table(
        shown,
        highlight=list(order["gss_code"] == ctx.filters.gss_code),
        muted=list(~order["reliable"].astype(bool)),
    )
    ui.download_csv(
        shown.frame,
        label="Download this table (CSV)",
        file_stem=f"stop-search-{group}-white-ratio-{month_list.text(data.cover.first)}-to-"
        f"{month_list.text(data.cover.last)}",
        header_lines=[
            f"{group}/White rate ratio by borough",
            data.cover.csv_line(),
            basis(ctx),
            sources(ctx),
            *([shown.footnote] if shown.footnote else []),
        ],
    )
    ui.source_caption(
        f"{sources(ctx)} {data.cover.phrase()[0].upper()}{data.cover.phrase()[1:]}. Searches made in each borough "
        "(unlocated searches are in no borough) per 1,000 residents per year; ratio = group rate ÷ White rate."
    )


def _volume_spec(monthly: pd.DataFrame, title: str) -> dict:
    return chart_figure(charts.volume_chart(monthly, title=title), key="").spec


def volume(ctx: PageContext) -> None:
    cover, area, area_name = ctx.data.cover, ctx.filters.gss_code, ctx.filters.borough_name
    found = ui.cached(q.monthly_volume, start=cover.first, end=cover.last, **ctx["selection"])
    period_text = cover.phrase().removeprefix("in ")
    for code, name in ([(area, area_name)] if area else []) + [(None, "London")]:
        # London's figures, sentence and chart are reused whichever borough is chosen.
        # Only the months the snapshot holds: a month it does not hold is not a month of no searches.
        monthly = ui.for_area(code, m.monthly_breakdown, found, area=code, by=ctx["by"], months=list(cover.months))
        words = ui.for_area(
            code, say.volume_sentence, monthly, area_name=name, period_text=period_text, months=cover.count
        )
        st.markdown(words)
        title = f"Searches a month, {name}, {cover.short()}"
        spec = ui.for_area(code, _volume_spec, monthly, title)
        ui.draw(Figure(f"search-volume-{code or 'london'}", title, spec=spec, data=monthly, sentence=words))
    ui.source_caption(
        f"{sources(ctx)} Volume uses the filters above except ethnicity; London includes searches with no location."
    )
