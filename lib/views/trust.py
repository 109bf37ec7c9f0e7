"""Data and figures for the trust and confidence page."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from lib import ui
from lib.boroughs import borough_name
from lib.charts import trust as charts
from lib.charts.common import chart_figure
from lib.figure import Figure
from lib.metrics import survey
from lib.narrative import trust as text
from lib.narrative.common import percent_text
from lib.page import PageContext
from lib.queries.trust import area_values, group_values
from lib.vocab import SURVEY_MEASURES

CITY_OF_LONDON = "E09000001"
SOURCE = "MOPAC Public Attitude Survey"
UNIT = "Unit: % of respondents agreeing"


@dataclass(frozen=True, eq=False)
class TrustData:
    measure: str
    label: str
    borough: str | None  # GSS code; None for London (also when the City of London is chosen)
    values: pd.DataFrame  # the measure for every area, with intervals (`estimates`)
    latest: date | None  # the latest quarter end in the period chosen
    changes: pd.DataFrame | None  # survey.area_changes at `latest`
    month: date  # the chosen period's last month

    @property
    def approximate(self) -> bool:
        return self.changes is not None and bool(self.changes["approximate"].any())


def estimates(measure: str) -> pd.DataFrame:
    """Every area's values for the measure with their 95% intervals and suppression."""
    return ui.london_wide(survey.with_intervals, ui.cached(area_values, measure=measure))


def trust_data(ctx: PageContext) -> TrustData | None:
    """The page's `prepare` hook; None when the snapshot has no survey results."""
    measure = ctx.choices.get("measure")
    if measure is None:
        return None
    borough = None if ctx.filters.gss_code == CITY_OF_LONDON else ctx.filters.gss_code
    values = estimates(measure)
    latest = survey.latest_period_end(values["period_end"].unique(), ctx.filters.period.end)
    changes = ui.london_wide(survey.area_changes, values, latest) if latest else None
    label = SURVEY_MEASURES[measure]["label"]
    return TrustData(measure, label, borough, values, latest, changes, ctx.filters.period.end)


def show(figure: Figure, *, unit: str, approximate: bool, latest: date) -> None:
    """A chart and its source caption. The figure carries the full source line, so its
    exports (PNG, SVG and the CSV of the table behind it, from `ui.draw`) and its slide say
    it too."""
    source = text.source_text(latest, unit=unit, approximate=approximate)
    ui.draw(replace(figure, source=source))
    ui.source_caption(source)


def trend_figure(data: TrustData, compare: list[str]) -> Figure:
    borough = data.borough
    areas = [*([borough] if borough else []), None, *compare]
    banded = [borough_name(borough), "London"] if borough else ["London"]
    table = charts.trend_table(data.values, areas, data.latest)
    chart = charts.trend_chart(table, title=f"{data.label}, rolling 12 months", banded=banded)
    return chart_figure(chart, key=f"trust-{data.measure}-over-time", data=table, source=SOURCE)


def _borough_chart(table: pd.DataFrame, london: float, selected: str | None, title: str) -> dict:
    return chart_figure(charts.borough_dot_chart(table, london=london, selected=selected, title=title), key="").spec


def _change_chart(tiles: pd.DataFrame, selected: str | None, title: str) -> dict:
    scale = charts.change_scale(tiles)
    chart = charts.change_tiles(tiles, scale=scale, selected=selected, title=title) & charts.change_legend(scale)
    return chart_figure(chart, key="").spec


def borough_figures(data: TrustData) -> tuple[Figure, Figure]:
    """Every borough's value with its interval, and each borough's change on a year
    earlier as tiles (built once per measure, quarter and borough)."""
    table = charts.borough_table(data.changes)
    london = float(data.changes.loc[data.changes["gss_code"].isna(), "proportion"].iloc[0])
    title = f"{data.label}, {text.rolling_year(data.latest)}"
    dots = ui.london_wide(_borough_chart, table, london, data.borough, title)
    tiles = charts.change_tile_table(table)
    change = ui.london_wide(_change_chart, tiles, data.borough, f"Change on a year earlier: {data.label}")
    return (
        Figure(f"trust-{data.measure}-boroughs", title, spec=dots, data=table, source=SOURCE),
        Figure(f"trust-{data.measure}-change", f"Change on a year earlier: {data.label}", spec=change, data=tiles),
    )


def group_figures(data: TrustData, kind: str, pair: tuple[str, str]) -> tuple[pd.DataFrame, Figure, Figure]:
    """The two groups' gap series, a chart of both groups' values and a chart of the gap."""
    by_group = ui.london_wide(survey.with_intervals, ui.cached(group_values, measure=data.measure, group_type=kind))
    gaps = ui.london_wide(survey.gap_series, by_group, *pair)
    values = charts.group_table(by_group, list(pair), data.latest)
    gap = charts.gap_table(gaps, *pair, data.latest)
    title = f"{data.label}, London, by {kind}"
    both = chart_figure(charts.group_chart(values, title=title), key=f"trust-{data.measure}-{kind}", data=values)
    gap_title = f"Gap: {pair[0]} minus {pair[1]}"
    difference = chart_figure(charts.gap_chart(gap, title=gap_title), key=f"trust-{data.measure}-{kind}-gap", data=gap)
    return gaps, both, difference


def headline_metrics(data: TrustData) -> None:
    """The measure for the chosen borough and London (in that order, as on every card), with
    the change on a year earlier."""
    for column, area in zip(st.columns(2), [None] if data.borough is None else [data.borough, None], strict=False):
        figure, name = survey.area_figure(data.changes, area), borough_name(area)
        if figure is None or figure.reason:
            why = figure.reason if figure else "No figure published."
            column.metric(f"{data.label}, {name}", "not shown", help=why)
            continue
        column.metric(
            f"{data.label}, {name}",
            percent_text(figure.proportion),
            **ui.points_change_delta(figure.change),
            help=text.interval_text(figure.low, figure.high, figure.approximate),
            border=True,
        )
        ui.sentence(text.headline_sentence(data.measure, name, figure, month=data.month), container=column, large=False)


# --- Sections ---------------------------------------------------------------------------


def over_time(ctx: PageContext) -> None:
    data = ctx.data
    first, area = data.values["period_end"].min(), borough_name(data.borough)
    change = survey.change_since(data.values, data.borough, first, data.latest)
    ui.sentence(text.trend_sentence(data.measure, area, first, data.latest, change))
    if data.borough:
        compared = survey.compare_with_london(data.changes)
        verdict = compared.loc[compared["gss_code"] == data.borough, "verdict"]
        st.markdown(text.versus_london_phrase(verdict.iloc[0] if len(verdict) else None, area))
    figure = trend_figure(data, ctx["compare"])
    if figure.data["not_shown"].notna().any():
        st.markdown("Gaps in a line are quarters with fewer than 50 respondents, which are not shown.")
    unit = f"{UNIT}; shaded bands are 95% intervals (selected borough and London)."
    show(
        figure,
        unit=unit,
        approximate=data.approximate,
        latest=data.latest,
    )


def boroughs(ctx: PageContext) -> None:
    data = ctx.data
    if survey.area_figure(data.changes, None) is None or data.changes["gss_code"].notna().sum() == 0:
        return ui.empty_result(f"No borough figures are published for {text.rolling_year(data.latest)}.")
    rank = survey.borough_rank(data.changes, data.borough) if data.borough else None
    counts = survey.verdict_counts(survey.compare_with_london(data.changes))
    ui.sentence(text.ranking_sentence(borough_name(data.borough) if data.borough else None, rank, counts))
    dots, tiles = borough_figures(data)
    common = {"approximate": data.approximate, "latest": data.latest}
    show(dots, unit=f"{UNIT}; dashed line: London.", **common)
    ui.sentence(text.change_map_sentence(data.measure, data.latest, survey.change_counts(data.changes)))
    unit = (
        "Unit: change in percentage points on the 12 months a year earlier; ▲▼ mark significant "
        "changes (two-proportion test, 5% level)."
    )
    show(tiles, unit=unit, **common)


def groups(ctx: PageContext) -> None:
    data = ctx.data
    if "kind" not in ctx.choices:
        return ui.empty_result(
            "This snapshot has no group splits (ethnicity, age, gender) for this measure: MOPAC's "
            "published dashboard files give London and borough figures only."
        )
    gaps, both, gap = group_figures(data, ctx["kind"], ctx["pair"])
    now = gaps[gaps["period_end"] == data.latest]
    if now.empty or now["reason"].notna().any():
        why = now["reason"].iloc[0] if not now.empty else "no figures published"
        ui.empty_result(f"The gap for {text.rolling_year(data.latest)} is not shown: {why}.")
    else:
        row = now.iloc[0]
        change = survey.gap_change(gaps, data.latest)
        words = text.gap_sentence(
            ctx["kind"], *ctx["pair"], row["p_a"], row["p_b"], change, row["gap_low"], row["gap_high"]
        )
        ui.sentence(words)
    left, right = st.columns(2)
    ui.draw(both, container=left)
    unit = "Unit: % agreeing; gap in percentage points with its 95% interval (Newcombe's hybrid score method)."
    with right:
        show(gap, unit=unit, approximate=False, latest=data.latest)
