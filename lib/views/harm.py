"""Data and figures for the Harm and justice page, and the card the Overview shows from the
same functions (so the two can never disagree)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib import ui
from lib.boroughs import BY_CODE
from lib.breaks import Break
from lib.charts.common import chart_figure, screen_spec
from lib.charts.harm import outcome_ranking_chart, outcome_rate_chart, trend_chart
from lib.colour import ClassScale, quantile_scale
from lib.figure import Figure
from lib.filters import Period
from lib.formatting import count_text, rate_text
from lib.metrics import harm as hm
from lib.metrics.breaks import comparability
from lib.metrics.disparity import SMALL_COUNT
from lib.narrative import harm as say
from lib.narrative.breaks import break_warning
from lib.narrative.counts import RATE_UNIT
from lib.narrative.sources import breaks_in, source_line
from lib.narrative.tables import DisplayTable
from lib.page import PageContext
from lib.queries import harm as hq
from lib.queries.common import populations
from lib.views.maps import borough_map
from lib.vocab import KNIFE_CRIME, KNIFE_VICTIMS_1_24

DEFAULT_TOPIC = "knife-crime"
TABLE = "harm_monthly"
SUBJECT = "Monthly Crime Dashboard data"


def topic_choices() -> dict[str, hm.Topic]:
    """The offence subgroups the open snapshot holds, by URL key (empty without the table)."""
    if not ui.cached(hq.has_harm):
        return {}
    return {t.key: t for t in hm.topics(ui.cached(hq.subgroups))}


@dataclass(frozen=True, eq=False)
class LondonWide:
    """Everything the page shows that does not depend on the borough chosen, built once per
    offence, period and measure (`ui.london_wide`), so a borough change only redraws the
    borough's own figures."""

    period: hm.HarmPeriod
    london: hm.HarmFigures
    offence_trend: pd.DataFrame
    offence_chart: dict
    outcome_trend: pd.DataFrame | None
    outcome_chart: dict | None
    ranking_chart: dict | None  # outcome rates by borough, no borough highlighted
    ranking_sentence: str
    map_sentence: str
    map_scale: ClassScale
    map_values: pd.DataFrame  # gss_code, value (grey when not reliable), tooltip
    table: DisplayTable
    csv: pd.DataFrame


def london_wide_parts(
    topic: hm.Topic,
    monthly: pd.DataFrame,
    residents: pd.Series,
    period: Period,
    breaks: tuple[Break, ...],
    measure: str,
) -> LondonWide:
    """The borough-independent figures, charts, sentences and tables (pure: no snapshot)."""
    data = hm.harm_period(monthly, residents, period)
    table = data.table
    london = hm.area_figures(table, data.cover, data.compared, None, with_outcomes=topic.has_outcomes)
    people = float(residents.reindex(sorted(set(monthly["gss_code"]))).sum())
    offence_trend = hm.offence_trend(monthly, people, measure)
    y_title = "Per 1,000 residents a year" if measure == hm.RATE else f"{topic.unit.capitalize()} a month"
    offence_chart = screen_spec(
        trend_chart(offence_trend, title=f"{topic.label}: London", y_title=y_title, period=period, breaks=breaks)
    )
    outcome_trend = outcome_chart = ranking = None
    ranking_sentence = ""
    if topic.has_outcomes:
        outcome_trend = hm.outcome_trend(monthly)
        outcome_chart = screen_spec(
            outcome_rate_chart(outcome_trend, title="Positive outcomes: London", period=period, breaks=breaks)
        )
        ranking = screen_spec(
            outcome_ranking_chart(
                table,
                london_rate=london.outcomes.rate if london.outcomes else float("nan"),
                title=f"{topic.label}: positive outcome rate by borough, {data.cover.short()}",
                selected=None,
            )
        )
        ranking_sentence = say.outcome_ranking_sentence(table, london.outcomes)
    column = "rate" if measure == hm.RATE else "count"
    reliable = table[f"{column}_reliable"].astype(bool)
    values = pd.DataFrame(
        {
            "gss_code": table["gss_code"],
            "value": table[column].where(reliable),
            "tooltip": [say.borough_tooltip(row, topic, data.compared) for _, row in table.iterrows()],
        }
    )
    return LondonWide(
        period=data,
        london=london,
        offence_trend=offence_trend,
        offence_chart=offence_chart,
        outcome_trend=outcome_trend,
        outcome_chart=outcome_chart,
        ranking_chart=ranking,
        ranking_sentence=ranking_sentence,
        map_sentence=say.borough_map_sentence(table, measure, topic, data.compared),
        map_scale=quantile_scale(table.loc[reliable, column]),
        map_values=values,
        table=say.ranking_table(table, measure, topic, data.compared),
        csv=say.ranking_csv(table, topic),
    )


@dataclass(frozen=True, eq=False)
class HarmData:
    """One subgroup over the chosen period, computed once for every section."""

    topic: hm.Topic
    monthly: pd.DataFrame
    parts: LondonWide
    breaks: tuple[Break, ...]
    residents: pd.Series
    measure: str

    @property
    def period(self) -> hm.HarmPeriod:
        return self.parts.period

    @property
    def has_figures(self) -> bool:
        return not self.period.cover.empty


def harm_data(ctx: PageContext, topic: hm.Topic, measure: str = hm.RATE) -> HarmData:
    monthly = ui.cached(hq.monthly_counts, group=topic.group, subgroup=topic.subgroup)
    residents = ui.cached(populations).set_index("gss_code")["All"]
    breaks = breaks_in(ctx.snapshot.manifest, TABLE)
    parts = ui.london_wide(london_wide_parts, topic, monthly, residents, ctx.filters.period, breaks, measure)
    return HarmData(topic, monthly, parts, breaks, residents, measure)


def figures(data: HarmData, gss_code: str | None) -> hm.HarmFigures:
    if gss_code is None:
        return data.parts.london
    return hm.area_figures(
        data.period.table, data.period.cover, data.period.compared, gss_code, with_outcomes=data.topic.has_outcomes
    )


def source(ctx: PageContext, data: HarmData) -> str:
    return source_line(ctx.snapshot.manifest, TABLE, data.period.cover.months) + "."


def warnings(data: HarmData, result: hm.HarmFigures) -> list[str]:
    """The break warning (shared wording) and the Met's own note for domestic abuse and hate
    crime, when the change spans a change in recording (London's change when the area has
    none, as for the City of London)."""
    change = result.offences.change or data.parts.london.offences.change
    check = comparability(data.period.compared, change, data.breaks)
    return [text for text in (break_warning(check), say.connect_note(data.topic, check)) if text]


# --- the card (page headline and Overview) -----------------------------------------------


def area_card(
    container: Any, data: HarmData, gss_code: str | None, area: str, *, sentence: bool = True
) -> hm.HarmFigures:
    """An area's offences, rate and positive outcome rate as metrics, and (when `sentence`)
    its headline. The page's headline cards and the Overview's harm card are both drawn here."""
    result = figures(data, gss_code)
    offences = result.offences
    unit = data.topic.unit.capitalize()
    # A row that wraps rather than columns that cut labels short ("Per 1,000 a …" at 1280 px).
    row = container.container(horizontal=True, gap="medium")
    columns = [row.container(width="content") for _ in range(3 if data.topic.has_outcomes else 2)]
    if offences.count is None:
        columns[0].metric(unit, "–", help=f"No figure: {offences.reliability.reason}.")
    elif offences.small:
        columns[0].metric(unit, f"fewer than {SMALL_COUNT}")
    else:
        columns[0].metric(
            unit,
            count_text(offences.count),
            **ui.count_change_delta(offences.change),
            help="Change on the same months a year earlier: exact Poisson test at the 5% level; coloured only "
            "when significant.",
        )
    columns[1].metric(
        "Per 1,000 a year",
        rate_text(offences.rate) if offences.count is not None and not offences.small else "–",
        help="Per 1,000 Census 2021 residents a year; 95% interval "
        f"{rate_text(offences.rate_low)} to {rate_text(offences.rate_high)}",
    )
    if data.topic.has_outcomes:
        rate = result.outcomes
        shown = rate is not None and rate.offences >= SMALL_COUNT and not rate.exceeds
        columns[2].metric(
            "Outcome rate",
            say.percent(rate.rate) if shown else "–",
            help=(f"95% interval {say.percent(rate.low)} to {say.percent(rate.high)}. " if shown else "")
            + "Positive outcome rate: positive outcomes recorded ÷ offences recorded in the same months.",
        )
    if sentence:
        ui.sentence(say.headline(data.topic, area, result), container=container, large=False)
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
            ui.sentence(say.headline(victims.topic, area, figures(victims, gss)), container=card, large=False)
    ui.source_caption(f"Source: {source(ctx, data)} See the Harm and justice page for every offence and borough.")


# --- the page's figures ------------------------------------------------------------------


def _borough_shown(ctx: PageContext, data: HarmData) -> str | None:
    """The chosen borough when the Met's files cover it (not the City of London)."""
    code = ctx.filters.gss_code
    return code if code in set(data.monthly["gss_code"]) else None


def trend_figures(ctx: PageContext, data: HarmData) -> list[Figure]:
    """The monthly trend for the chosen borough (if any) and for London, breaks marked."""
    measure, topic, parts = data.measure, data.topic, data.parts
    out = []
    code = _borough_shown(ctx, data)
    if code:
        name = ctx.filters.borough_name
        y_title = "Per 1,000 residents a year" if measure == hm.RATE else f"{topic.unit.capitalize()} a month"
        series = hm.offence_trend(hm.area_rows(data.monthly, code), float(data.residents.get(code, 0)), measure)
        chart = trend_chart(
            series, title=f"{topic.label}: {name}", y_title=y_title, period=ctx.filters.period, breaks=data.breaks
        )
        out.append(
            chart_figure(
                chart,
                key=f"trend-{code}",
                data=series,
                sentence=say.trend_sentence(name, series, measure, topic),
                source=source(ctx, data),
            )
        )
    out.append(
        Figure(
            "trend-london",
            f"{topic.label}: London",
            spec=parts.offence_chart,
            data=parts.offence_trend,
            sentence=say.trend_sentence("London", parts.offence_trend, measure, topic),
            source=source(ctx, data),
        )
    )
    return out


def outcome_figures(ctx: PageContext, data: HarmData) -> list[Figure]:
    """The positive outcome rate over time for the chosen borough (if any) and London."""
    parts = data.parts
    out = []
    code = _borough_shown(ctx, data)
    if code:
        name = ctx.filters.borough_name
        series = hm.outcome_trend(hm.area_rows(data.monthly, code))
        chart = outcome_rate_chart(
            series, title=f"Positive outcomes: {name}", period=ctx.filters.period, breaks=data.breaks
        )
        out.append(
            chart_figure(
                chart,
                key=f"outcomes-{code}",
                data=series,
                sentence=say.outcome_trend_sentence(name, series),
                source=source(ctx, data),
            )
        )
    out.append(
        Figure(
            "outcomes-london",
            "Positive outcomes: London",
            spec=parts.outcome_chart,
            data=parts.outcome_trend,
            sentence=say.outcome_trend_sentence("London", parts.outcome_trend),
            source=source(ctx, data),
        )
    )
    return out


def outcome_ranking_figure(ctx: PageContext, data: HarmData) -> Figure:
    """Boroughs' outcome rates with intervals, the chosen borough outlined."""
    spec = copy.deepcopy(data.parts.ranking_chart)
    chosen = BY_CODE[ctx.filters.gss_code].name if ctx.filters.gss_code else None
    for row in spec["datasets"]["main"]:
        row["chosen"] = row["name"] == chosen
    return Figure(
        "outcome-ranking",
        spec.get("title", ""),
        spec=spec,
        data=data.period.table,
        sentence=data.parts.ranking_sentence,
        source=source(ctx, data),
    )


def map_figures(ctx: PageContext, data: HarmData) -> tuple[Figure, Figure]:
    """The borough map and its legend; boroughs whose figure is not reliable are grey."""
    parts, topic = data.parts, data.topic
    title = f"{topic.unit.capitalize()} {RATE_UNIT}" if data.measure == hm.RATE else topic.unit.capitalize()
    return borough_map(
        "borough-map",
        f"{topic.label}: {title.lower()}, {data.period.cover.short()}",
        parts.map_values,
        value_column="value",
        scale=parts.map_scale,
        legend_title=title,
        selected=ctx.filters.gss_code,
        data=data.period.table,
        sentence=parts.map_sentence,
        source=f"Source: {source(ctx, data)} Colours: six classes with about equal numbers of boroughs in each.",
        fmt="{:,.1f}" if data.measure == hm.RATE else "{:,.0f}",
        no_data_label="not reliable or no figure",
    )


def ranking_download(ctx: PageContext, data: HarmData, measure_label: str) -> None:
    cover = data.period.cover
    ui.download_csv(
        data.parts.csv,
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


def ranking_table(ctx: PageContext, data: HarmData, measure_label: str) -> None:
    """Every borough ranked, the chosen one highlighted, with what the rank and change mean."""
    shown = data.parts.table
    explained = (
        "Rank: by the chosen measure among boroughs whose figure is reliable, with the places its 95% interval "
        "allows. Change: on the same months a year earlier, exact Poisson test at the 5% level. "
    )
    ui.table(
        DisplayTable(shown.frame, explained + (shown.footnote or "")),
        highlight=list(shown.frame["Borough"] == ctx.filters.borough_name),
        height=35 * len(shown.frame) + 40,
    )
    ranking_download(ctx, data, measure_label)
