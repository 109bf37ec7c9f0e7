"""Data and figures for the Harm and justice page, and the card the Overview shows from the
same functions (so the two can never disagree)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib import ui
from lib.breaks import Break
from lib.charts.common import chart_figure, class_legend
from lib.charts.harm import outcome_ranking_chart, outcome_rate_chart, trend_chart
from lib.colour import quantile_scale
from lib.figure import Figure
from lib.formatting import count_text, rate_text
from lib.maps.base import london_view
from lib.maps.choropleth import borough_choropleth
from lib.metrics import harm as hm
from lib.metrics.breaks import comparability
from lib.metrics.disparity import SMALL_COUNT
from lib.narrative import harm as say
from lib.narrative.breaks import break_warning
from lib.narrative.counts import RATE_UNIT
from lib.narrative.sources import breaks_in, source_line
from lib.page import PageContext
from lib.queries import harm as hq
from lib.queries.common import borough_outlines, populations
from lib.vocab import KNIFE_CRIME, KNIFE_VICTIMS_1_24

DEFAULT_TOPIC = "knife-crime"
TABLE = "harm_monthly"
SUBJECT = "the Met's Monthly Crime Dashboard data"


def topic_choices() -> dict[str, hm.Topic]:
    """The offence subgroups the open snapshot holds, by URL key (empty without the table)."""
    if not ui.cached(hq.has_harm):
        return {}
    return {t.key: t for t in hm.topics(ui.cached(hq.subgroups))}


@dataclass(frozen=True, eq=False)
class HarmData:
    """One subgroup over the chosen period, computed once for every section."""

    topic: hm.Topic
    monthly: pd.DataFrame
    period: hm.HarmPeriod
    breaks: tuple[Break, ...]
    residents: pd.Series

    @property
    def has_figures(self) -> bool:
        return not self.period.cover.empty


def harm_data(ctx: PageContext, topic: hm.Topic) -> HarmData:
    monthly = ui.cached(hq.monthly_counts, group=topic.group, subgroup=topic.subgroup)
    residents = ui.cached(populations).set_index("gss_code")["All"]
    period = ui.london_wide(hm.harm_period, monthly, residents, ctx.filters.period)
    return HarmData(topic, monthly, period, breaks_in(ctx.snapshot.manifest, TABLE), residents)


def figures(data: HarmData, gss_code: str | None) -> hm.HarmFigures:
    return hm.area_figures(
        data.period.table, data.period.cover, data.period.compared, gss_code, with_outcomes=data.topic.has_outcomes
    )


def source(ctx: PageContext, data: HarmData) -> str:
    return source_line(ctx.snapshot.manifest, TABLE, data.period.cover.months) + "."


def warnings(data: HarmData, result: hm.HarmFigures) -> list[str]:
    """The break warning (shared wording) and the Met's own note for domestic abuse and hate
    crime, when the change spans a change in recording."""
    check = comparability(data.period.compared, result.offences.change, data.breaks)
    return [text for text in (break_warning(check), say.connect_note(data.topic, check)) if text]


# --- the card (page headline and Overview) -----------------------------------------------


def _delta(change) -> str | None:
    if change is None or change.previous == 0 or not math.isfinite(change.percent):
        return None
    return f"{change.percent:+.0f}% on the same months a year earlier"


def _delta_colour(change) -> str:
    if change is None or change.direction == "no significant change":
        return "off"
    return "inverse"


def area_card(
    container: Any, data: HarmData, gss_code: str | None, area: str, *, sentence: bool = True
) -> hm.HarmFigures:
    """An area's offences, rate and positive outcome rate as metrics, and (when `sentence`)
    its headline. The page's headline cards and the Overview's harm card are both drawn here."""
    result = figures(data, gss_code)
    offences = result.offences
    unit = f"{data.topic.subject}: {data.topic.unit}"
    columns = container.columns(3 if data.topic.has_outcomes else 2)
    if offences.count is None:
        columns[0].metric(unit, "no figure")
    elif offences.small:
        columns[0].metric(unit, f"fewer than {SMALL_COUNT}")
    else:
        columns[0].metric(
            unit,
            count_text(offences.count),
            _delta(offences.change),
            delta_color=_delta_colour(offences.change),
            help="Change: exact Poisson test at the 5% level; coloured only when significant.",
        )
    columns[1].metric(
        "Per 1,000 residents a year",
        rate_text(offences.rate) if offences.count is not None and not offences.small else "–",
        help=f"Census 2021 residents; 95% interval {rate_text(offences.rate_low)} to {rate_text(offences.rate_high)}",
    )
    if data.topic.has_outcomes:
        rate = result.outcomes
        shown = rate is not None and rate.offences >= SMALL_COUNT and not rate.exceeds
        columns[2].metric(
            "Positive outcome rate",
            say.percent(rate.rate) if shown else "–",
            help=(f"95% interval {say.percent(rate.low)} to {say.percent(rate.high)}. " if shown else "")
            + "Positive outcomes recorded ÷ offences recorded in the same months.",
        )
    if sentence:
        container.markdown(say.headline(data.topic, area, result))
    return result


def victims_data(ctx: PageContext) -> HarmData | None:
    """Knife injury victims aged 1-24, whatever offence is chosen; None when not held."""
    topic = topic_choices().get(hm.Topic(KNIFE_CRIME, KNIFE_VICTIMS_1_24, False).key)
    return harm_data(ctx, topic) if topic else None


def overview_card(ctx: PageContext) -> None:
    """The Overview's Harm and justice section: knife crime and its positive outcome rate,
    and knife injury victims aged 1-24, for the chosen borough and London, from the same
    functions as the page."""
    choices = topic_choices()
    topic = choices.get(DEFAULT_TOPIC)
    if topic is None:
        ui.empty_result("This snapshot holds none of the Met's Monthly Crime Dashboard data (knife crime, outcomes).")
        return
    data = harm_data(ctx, topic)
    if not data.has_figures:
        ui.empty_result(data.period.cover.empty_sentence(SUBJECT))
        return
    victims = victims_data(ctx)
    for card, gss, area in ui.area_cards(ctx.filters):
        area_card(card, data, gss, area)
        if victims is not None and victims.has_figures:
            card.markdown(say.headline(victims.topic, area, figures(victims, gss)))
    ui.source_caption(f"Source: {source(ctx, data)} See the Harm and justice page for every offence and borough.")


# --- the page's figures ------------------------------------------------------------------


def trend_figures(ctx: PageContext, data: HarmData, measure: str) -> list[Figure]:
    """The monthly trend for the chosen borough (if any) and for London, breaks marked."""
    y_title = "Per 1,000 residents a year" if measure == hm.RATE else f"{data.topic.unit.capitalize()} a month"
    figures_ = []
    reported = set(data.monthly["gss_code"])
    areas = [(ctx.filters.gss_code, ctx.filters.borough_name)] if ctx.filters.gss_code in reported else []
    for code, name in [*areas, (None, "London")]:
        people = data.residents.reindex(sorted(reported)).sum() if code is None else data.residents.get(code, 0)
        series = hm.offence_trend(hm.area_rows(data.monthly, code), float(people), measure)
        chart = ui.london_wide(
            trend_chart, series, title=f"{data.topic.label}: {name}", y_title=y_title,
            period=ctx.filters.period, breaks=data.breaks,
        )  # fmt: skip
        figures_.append(
            chart_figure(
                chart,
                key=f"trend-{code or 'london'}",
                data=series,
                sentence=say.trend_sentence(name, series, measure, data.topic),
                source=source(ctx, data),
            )
        )
    return figures_


def outcome_figures(ctx: PageContext, data: HarmData) -> list[Figure]:
    """The positive outcome rate over time for the chosen borough (if any) and London."""
    reported = set(data.monthly["gss_code"])
    areas = [(ctx.filters.gss_code, ctx.filters.borough_name)] if ctx.filters.gss_code in reported else []
    out = []
    for code, name in [*areas, (None, "London")]:
        series = hm.outcome_trend(hm.area_rows(data.monthly, code))
        chart = ui.london_wide(
            outcome_rate_chart, series, title=f"Positive outcomes: {name}", period=ctx.filters.period,
            breaks=data.breaks,
        )  # fmt: skip
        out.append(
            chart_figure(
                chart,
                key=f"outcomes-{code or 'london'}",
                data=series,
                sentence=say.outcome_trend_sentence(name, series),
                source=source(ctx, data),
            )
        )
    return out


def outcome_ranking_figure(ctx: PageContext, data: HarmData) -> Figure:
    london = figures(data, None).outcomes
    table = data.period.table
    chart = outcome_ranking_chart(
        table, london_rate=london.rate if london else float("nan"),
        title=f"{data.topic.label}: positive outcome rate by borough, {data.period.cover.short()}",
        selected=ctx.filters.gss_code,
    )  # fmt: skip
    return chart_figure(
        chart,
        key="outcome-ranking",
        data=table,
        sentence=say.outcome_ranking_sentence(table, london),
        source=source(ctx, data),
    )


def map_figures(ctx: PageContext, data: HarmData, measure: str) -> tuple[Figure, Figure]:
    """The borough map and its legend; boroughs whose figure is not reliable are grey."""
    table = data.period.table
    column = "rate" if measure == hm.RATE else "count"
    reliable = table[f"{column}_reliable"].astype(bool)
    scale = quantile_scale(table.loc[reliable, column])
    title = f"{data.topic.unit.capitalize()} {RATE_UNIT}" if measure == hm.RATE else data.topic.unit.capitalize()
    values = table.assign(
        value=table[column].where(reliable),
        tooltip=[say.borough_tooltip(row, data.topic, data.period.compared) for _, row in table.iterrows()],
    )
    deck = borough_choropleth(
        ui.cached(borough_outlines),
        values,
        value_column="value",
        scale=scale,
        tooltip_column="tooltip",
        selected=ctx.filters.gss_code,
        view=london_view(width_px=480, height_px=470),  # the map's column at 1280 px
    )
    figure = Figure(
        "borough-map",
        f"{data.topic.label}: {title.lower()}, {data.period.cover.short()}",
        deck=deck,
        data=table,
        sentence=say.borough_map_sentence(table, measure, data.topic, data.period.compared),
        source=source(ctx, data) + " Colours: six classes with about equal numbers of boroughs in each.",
        height=470,
    )
    fmt = "{:,.1f}" if measure == hm.RATE else "{:,.0f}"
    legend = ui.london_wide(class_legend, scale, title, fmt=fmt, no_data_label="not reliable or no figure")
    return figure, chart_figure(legend, key="borough-legend", width="content")


def ranking_download(ctx: PageContext, data: HarmData, measure_label: str) -> None:
    cover = data.period.cover
    ui.download_csv(
        say.ranking_csv(data.period.table, data.topic),
        label="Download the figures (CSV)",
        file_stem=say.file_stem(data.topic, cover),
        header_lines=[
            f"{data.topic.label}, every London borough, ranked by {measure_label.lower()}",
            cover.csv_line(),
            f"Changes: exact Poisson test against {data.period.compared.noun()}"
            if data.period.compared
            else "No change: the snapshot lacks the comparison months",
            "Positive outcome rate: positive outcomes recorded ÷ offences recorded in the same months (95% Wilson "
            "interval); outcomes mostly belong to offences from earlier months",
            f"Source: {source(ctx, data)}",
        ],
    )
