"""Harm and justice: knife and gun crime, domestic abuse, hate crime, and positive outcomes."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.metrics import harm as hm
from lib.narrative import harm as say
from lib.page import PageContext, Section, run_page
from lib.views import harm as view

MEASURES = {hm.RATE: "Rate per 1,000", hm.COUNT: "Count"}


def controls(ctx: PageContext) -> dict:
    topics = view.topic_choices()
    if not topics:
        return {"topic": None, "measure": hm.RATE}
    pick, how = st.columns([3, 2])
    default = view.DEFAULT_TOPIC if view.DEFAULT_TOPIC in topics else next(iter(topics))
    key = ui.url_choice(
        "Offence", "offence", list(topics), default=default, format_func=lambda k: topics[k].label, container=pick
    )
    measure = ui.url_choice("Measure", "measure", list(MEASURES), default=hm.RATE, format_func=MEASURES.get,
                            widget="segmented", container=how)  # fmt: skip
    return {"topic": topics[key], "measure": measure}


def prepare(ctx: PageContext) -> view.HarmData | None:
    return view.harm_data(ctx, ctx["topic"], ctx["measure"]) if ctx["topic"] is not None else None


def has_data(ctx: PageContext) -> bool:
    return ctx.data is not None and ctx.data.has_figures


def headline(ctx: PageContext) -> None:
    data: view.HarmData | None = ctx.data
    if data is None:
        return ui.empty_result(say.NO_DASHBOARD_DATA)
    cover = data.period.cover
    if cover.empty:
        return ui.empty_result(cover.empty_sentence(view.SUBJECT))
    result = view.figures(data, ctx.filters.gss_code)
    ui.sentence(say.headline(data.topic, ctx.filters.borough_name, result))
    note = cover.note(view.SUBJECT)
    if note:
        st.info(note, icon=":material/date_range:")
    for text in view.warnings(data, result):
        st.warning(text, icon=":material/warning:")
    for card, gss, area in ui.area_cards(ctx.filters):
        view.area_card(card, data, gss, area, sentence=gss != ctx.filters.gss_code)
    ui.source_caption(f"{say.LONDON_NOTE} Source: {view.source(ctx, data)}")


def victims(ctx: PageContext) -> None:
    data = view.victims_data(ctx)
    if data is None or not data.has_figures:
        return ui.empty_result("This snapshot holds no figures for knife injury victims aged 1 to 24.")
    for card, gss, area in ui.area_cards(ctx.filters):
        card.markdown(f"**{say.headline(data.topic, area, view.figures(data, gss))}**")
    ui.source_caption(f"{say.VICTIMS_NOTE} Source: {view.source(ctx, data)}")


def outcomes(ctx: PageContext) -> None:
    data: view.HarmData = ctx.data
    if not data.topic.has_outcomes:
        return ui.empty_result(say.outcome_sentence(data.topic, "", None, data.period.cover))
    for card, gss, area in ui.area_cards(ctx.filters):
        card.markdown(say.outcome_sentence(data.topic, area, view.figures(data, gss).outcomes, data.period.cover))
    st.markdown(f"{say.OUTCOME_MEANING} {say.OUTCOME_TIMING}")
    charts = view.outcome_figures(ctx, data)
    for column, figure in zip(st.columns(len(charts)), charts, strict=True):
        ui.draw(figure, container=column)
        column.markdown(figure.sentence)
    ranking = view.outcome_ranking_figure(ctx, data)
    st.markdown(f"**{ranking.sentence}**")
    ui.draw(ranking)
    ui.source_caption(f"{say.OUTCOME_RELIABILITY} Source: {ranking.source}")


def trend(ctx: PageContext) -> None:
    figures = view.trend_figures(ctx, ctx.data)
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        ui.draw(figure, container=column)
        column.markdown(figure.sentence)
    ui.source_caption(
        f"Each month's {ctx.data.topic.unit} as recorded; the shaded band is the chosen period; a dashed line marks "
        f"a change in how the Met records crime. Source: {figures[0].source}"
    )


def worst(ctx: PageContext) -> None:
    figure, legend = view.map_figures(ctx, ctx.data)
    left, right = st.columns([3, 2])
    ui.draw(figure, container=left)
    ui.draw(legend, container=left)
    right.markdown(f"**{figure.sentence}**")
    right.caption(figure.source)


def ranking(ctx: PageContext) -> None:
    view.ranking_table(ctx, ctx.data, MEASURES[ctx["measure"]])


run_page(
    "Harm and justice",
    [
        Section("headline", "", headline),
        Section("victims", "Are fewer young people hurt by knives?", victims, when=has_data),
        Section("outcomes", "How often do offences end in a positive outcome?", outcomes, when=has_data),
        Section("trend", "Is it getting better?", trend, when=has_data),
        Section("where", "Where is it worst?", worst, when=has_data),
        Section("ranking", "All boroughs ranked", ranking, when=has_data),
    ],
    controls,
    prepare=prepare,
)
