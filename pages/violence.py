"""Violence: where it is worst, whether it is falling, and where exactly the hot spots are."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.metrics import violence as vm
from lib.narrative import violence as say
from lib.page import PageContext, Section, run_page
from lib.queries import violence as vq
from lib.views.violence import (
    borough_data,
    borough_figures,
    headline_sentences,
    hotspot_data,
    hotspot_legends,
    ranking,
    trend_figures,
)

MEASURES = {vm.RATE: "Rate per 1,000", vm.COUNT: "Count"}
MAP_STYLES = {"outlines": "Outlines", "tiles": "Equal tiles"}


def controls(ctx: PageContext) -> dict:
    groups = {g.key: g for g in ui.cached(vq.offence_groups)}
    if not groups:
        return {"group": None}
    pick, how, style = st.columns([3, 2, 2])
    key = ui.url_choice(
        "Offence group", "offence", list(groups), default=next(iter(groups)),
        format_func=lambda k: groups[k].menu_label, container=pick,
    )  # fmt: skip
    measure = ui.url_choice(
        "Measure", "measure", list(MEASURES), default=vm.RATE, format_func=MEASURES.get, widget="segmented",
        container=how,
    )  # fmt: skip
    style = ui.url_choice(
        "Borough map", "map", list(MAP_STYLES), default="outlines", format_func=MAP_STYLES.get, widget="segmented",
        container=style,
    )  # fmt: skip
    return {"group": groups[key], "measure": measure, "map": style}


def headline(ctx: PageContext) -> None:
    if ctx["group"] is None:
        return ui.empty_result("This snapshot holds no violent offence categories.")
    data = ctx.data
    if data.table is None:
        return ui.empty_result(data.cover.empty_sentence("recorded crime"))
    if note := data.cover.note("recorded crime"):
        st.info(note, icon=":material/date_range:")
    sentence, warning = headline_sentences(data, ctx.filters.gss_code, ctx.filters.borough_name)
    ui.sentence(sentence)
    if warning:
        st.warning(warning, icon=":material/warning:")


def worst(ctx: PageContext) -> None:
    figure, legend = borough_figures(ctx)
    left, right = st.columns([3, 2])
    ui.draw(figure, container=left)
    ui.draw(legend, container=left)
    right.markdown(f"**{figure.sentence}**")
    right.caption(figure.source)


def trend(ctx: PageContext) -> None:
    figures = trend_figures(ctx)
    for column, figure in zip(st.columns(len(figures)), figures, strict=True):
        ui.draw(figure, container=column)
        column.markdown(figure.sentence)
    ui.source_caption(figures[0].source)


def hotspots(ctx: PageContext) -> None:
    spots = hotspot_data(ctx)
    if spots.message:
        return ui.empty_result(spots.message)
    left, right = st.columns([3, 2])
    for figure in (spots.map, *hotspot_legends(spots)):
        ui.draw(figure, container=left)
    right.markdown("**" + spots.map.sentence.replace("*", "\\*") + "**")  # "Gi*" is not markup
    right.markdown(spots.note)
    with right:
        if spots.top.empty:
            ui.empty_result("No significant hot spots here for this offence group and period.")
        else:
            st.dataframe(say.hotspot_rows(spots.top, spots.source), hide_index=True)
    ui.source_caption(spots.map.source)


def has_data(ctx: PageContext) -> bool:
    return ctx.data is not None and ctx.data.table is not None


run_page(
    "Violence: where it is worst, and is it falling?",
    [
        Section("headline", "", headline),
        Section("where", "Where is it worst?", worst, when=has_data),
        Section("trend", "Is it getting better?", trend, when=has_data),
        Section("hotspots", "Where exactly are the hot spots?", hotspots, when=has_data),
        Section("ranking", "All boroughs ranked", lambda ctx: ranking(ctx, MEASURES[ctx["measure"]]), when=has_data),
    ],
    controls,
    prepare=borough_data,
)
