"""Overview: the selected borough beside London on violence, trust and stop and search."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.metrics.summary import area_population, count_summary, search_summary, survey_summary
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.narrative.overview import search_sentence, survey_sentence, violence_sentence
from lib.page import PageContext, Section, run_page
from lib.queries.common import population_year, populations
from lib.queries.overview import category_counts, searches_by_group, survey_values
from lib.views import harm as harm_view
from lib.views.overview import SOURCES, covered_months, delta_colour, intro
from lib.vocab import VIOLENCE

SURVEY_LABELS = {"trust": "Trust the Met", "good_job": "Good job locally"}


def about(ctx: PageContext) -> None:
    st.caption(intro(ctx, ui.cached(population_year)))


def briefing(ctx: PageContext) -> None:
    ui.briefing_download(ctx.filters)


def violence(ctx: PageContext) -> None:
    period, before = ctx.filters.period, ctx.filters.period.previous()
    crime_months = covered_months("crime_monthly", "recorded crime", period)
    if not crime_months:
        return
    now = ui.cached(category_counts, major_category=VIOLENCE, start=period.start, end=period.end)
    # A change is only tested between two fully covered periods of equal length.
    comparable = crime_months == period.months and (
        covered_months("crime_monthly", "recorded crime", before, say=False) == before.months
    )
    earlier = (
        ui.cached(category_counts, major_category=VIOLENCE, start=before.start, end=before.end) if comparable else None
    )
    people = ui.cached(populations)
    for card, gss, area in ui.area_cards(ctx.filters):
        summary = count_summary(now, earlier, area_population(people, gss), crime_months, gss)
        change = summary.change
        left, right = card.columns(2)
        left.metric(
            "Offences",
            count_text(summary.count),
            f"{change.percent:+.0f}% on previous period" if change and change.previous else None,
            delta_color=delta_colour(change.direction) if change else "off",
        )
        right.metric("Per 1,000 residents a year", rate_text(summary.rate))
        card.markdown(violence_sentence(area, summary, period))


def trust(ctx: PageContext) -> None:
    survey = ui.cached(survey_values, measures=tuple(SURVEY_LABELS), end=ctx.filters.period.end)
    for card, gss, area in ui.area_cards(ctx.filters):
        for column, (measure, label) in zip(card.columns(2), SURVEY_LABELS.items(), strict=True):
            summary = survey_summary(survey, measure, gss)
            if summary is None:
                column.metric(label, "not surveyed")
                continue
            change = summary.change
            column.metric(
                label,
                percent_text(summary.proportion),
                f"{change.points:+.0f} points on a year earlier" if change else None,
                delta_color=delta_colour(change.direction, higher_is_worse=False) if change else "off",
                help=f"95% interval {percent_text(summary.low)} to {percent_text(summary.high)}"
                + (" (approximate: respondent numbers not published)" if summary.approximate else ""),
            )
            card.markdown(survey_sentence(area, measure, summary))


def searches(ctx: PageContext) -> None:
    period = ctx.filters.period
    search_months = covered_months("stop_search", "stop and search", period)
    if not search_months:
        return
    found = ui.cached(searches_by_group, start=period.start, end=period.end)
    people = ui.cached(populations)
    for card, gss, area in ui.area_cards(ctx.filters):
        summary = search_summary(found, people, search_months, gss)
        ratio = summary.black_white
        left, right = card.columns(2)
        left.metric("Searches per 1,000 a year", rate_text(summary.rate))
        right.metric(
            "Black/White rate ratio",
            "fewer than 10" if ratio.suppressed else f"{ratio_text(ratio.ratio)}×",
            help="Self-defined ethnicity, all search types, Census 2021 residents. "
            "Searches with ethnicity not stated are left out.",
        )
        card.markdown(search_sentence(area, summary, period))


def harm(ctx: PageContext) -> None:
    harm_view.overview_card(ctx)


def sources(ctx: PageContext) -> None:
    ui.source_caption(SOURCES)


run_page(
    lambda ctx: f"Overview: {ctx.filters.borough_name}",
    [
        Section("about", "", about),
        Section("briefing", "", briefing, when=lambda ctx: not ctx.presenting),
        Section("violence", "Violence against the person", violence),
        Section("trust", "Trust and confidence (Public Attitude Survey)", trust),
        Section("searches", "Stop and search", searches),
        Section("harm", "Knife crime and positive outcomes", harm),
        Section("sources", "", sources),
    ],
)
