"""Overview: the selected borough beside London on violence, trust and stop and search."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.narrative import stop_search as search_words
from lib.narrative import trust as trust_words
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.page import PageContext, Section, run_page
from lib.queries.common import population_year
from lib.views import harm as harm_view
from lib.views.overview import intro, search_figure, search_figures, sources, survey_figure
from lib.views.violence import headline_sentences, violence_data

SURVEY_LABELS = {"trust": "Trust the Met", "good_job": "Good job locally"}


def briefing(ctx: PageContext) -> None:
    ui.briefing_download(ctx.filters)


def violence(ctx: PageContext) -> None:
    data = violence_data(ctx)
    if data.table is None:
        return ui.empty_result(data.cover.empty_sentence("recorded crime"))
    if note := data.cover.note("recorded crime"):
        st.info(note, icon=":material/date_range:")
    for card, gss, area in ui.area_cards(ctx.filters):
        figure = data.figure(gss)
        left, right = card.columns(2)
        left.metric(
            "Offences",
            "no figure" if figure.count is None else count_text(figure.count),
            **ui.count_change_delta(figure.change, when=f"on {data.compared.when()}" if data.compared else ""),
        )
        right.metric("Per 1,000 residents a year", rate_text(figure.rate))
        sentence, warning = headline_sentences(data, gss, area)
        ui.sentence(sentence, container=card, large=False)
        if warning:
            card.warning(warning, icon=":material/warning:")


def trust(ctx: PageContext) -> None:
    for card, gss, area in ui.area_cards(ctx.filters):
        for column, (measure, label) in zip(card.columns(2), SURVEY_LABELS.items(), strict=True):
            figure = survey_figure(measure, gss, ctx.filters.period.end)
            if figure is None or figure.reason:
                column.metric(label, "not shown", help=figure.reason if figure else "Not surveyed.")
                continue
            column.metric(
                label,
                percent_text(figure.proportion),
                **ui.points_change_delta(figure.change),
                help=trust_words.interval_text(figure.low, figure.high, figure.approximate),
            )
            ui.sentence(
                trust_words.headline_sentence(measure, area, figure, month=ctx.filters.period.end),
                container=card,
                large=False,
            )


def searches(ctx: PageContext) -> None:
    cover, cube = search_figures(ctx)
    if cube is None:
        return ui.empty_result(cover.empty_sentence("stop and search data"))
    if note := cover.note("stop and search", changes=False):
        st.info(note, icon=":material/date_range:")
    for card, gss, area in ui.area_cards(ctx.filters):
        figure = search_figure(cube, cover, gss)
        left, right = card.columns(2)
        left.metric("Searches per 1,000 a year", rate_text(figure.rate))
        right.metric(
            "Black/White rate ratio",
            search_words.FEWER_THAN if figure.suppressed else f"{ratio_text(figure.ratio)}×",
            help="Self-defined ethnicity, all search types, Census 2021 residents. "
            "Searches with ethnicity not stated are left out.",
        )
        ui.sentence(search_words.search_headline(area, figure), container=card, large=False)


def harm(ctx: PageContext) -> None:
    harm_view.overview_card(ctx)


def about(ctx: PageContext) -> None:
    st.caption(intro(ui.cached(population_year)))


def footer(ctx: PageContext) -> None:
    crime, (cover, _) = violence_data(ctx), search_figures(ctx)
    used = [*crime.cover.months, *(crime.compared.earlier if crime.compared else ())]
    parts = [("crime_monthly", used), ("survey", None), ("stop_search", cover.months), ("population", None)]
    ui.source_caption(sources(ctx, parts))


run_page(
    lambda ctx: f"Overview: {ctx.filters.borough_name}",
    [
        Section("about", "", about),
        Section("briefing", "", briefing, when=lambda ctx: not ctx.presenting),
        Section("violence", "Violence against the person", violence),
        Section("trust", "Trust and confidence (Public Attitude Survey)", trust),
        Section("searches", "Stop and search", searches),
        Section("harm", "Knife crime and positive outcomes", harm),
        Section("sources", "", footer),
    ],
)
