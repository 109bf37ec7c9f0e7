"""Trust and confidence: how Londoners' views of the Met move, with honest uncertainty."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.boroughs import borough_name
from lib.narrative import trust as text
from lib.page import PageContext, Section, run_page
from lib.queries.trust import group_types_with_splits, groups_published, survey_measures
from lib.views.trust import boroughs, estimates, groups, headline_metrics, over_time, trust_data
from lib.vocab import SURVEY_MEASURES

DEFAULT_PAIRS = {"ethnicity": ("Black", "White"), "age": ("16-24", "65+"), "gender": ("Female", "Male")}
LATER = "Choose a later period in the sidebar."
VIEWS = {"trend": "Over time", "boroughs": "All boroughs", "groups": "Gaps between groups"}


def controls(ctx: PageContext) -> dict:
    measures = ui.cached(survey_measures)
    if not measures:
        return {}
    label = lambda key: SURVEY_MEASURES[key]["label"]  # noqa: E731
    measure = ui.url_choice("Measure", "measure", measures, default="trust", format_func=label)
    view = ui.url_choice("Show", "view", list(VIEWS), default="trend", format_func=VIEWS.get, widget="segmented")
    choices = {"measure": measure, "view": view}
    if view == "trend":
        surveyed = estimates(measure)["gss_code"].dropna().unique()
        others = sorted((code for code in surveyed if code != ctx.filters.gss_code), key=borough_name)
        choices["compare"] = ui.url_multichoice(
            "Compare with up to three other boroughs", "compare", others, max_selections=3, format_func=borough_name
        )
    elif view == "groups" and (kinds := ui.cached(group_types_with_splits, measure=measure)):
        kind = ui.url_choice(
            "Compare groups by", "groups", kinds, default="ethnicity", widget="segmented", format_func=str.capitalize
        )
        groups = list(ui.cached(groups_published, measure=measure, group_type=kind))
        pick_a, pick_b = st.columns(2)
        wanted_a, wanted_b = DEFAULT_PAIRS.get(kind, (groups[0], groups[-1]))
        group_a = ui.url_choice("Group", "a", groups, default=wanted_a, container=pick_a)
        rest = [g for g in groups if g != group_a] or groups
        choices.update(
            kind=kind, pair=(group_a, ui.url_choice("Compared with", "b", rest, default=wanted_b, container=pick_b))
        )
    return choices


def intro(ctx: PageContext) -> None:
    if ctx.data is None:
        return ui.empty_result("This snapshot has no Public Attitude Survey results.")
    st.markdown(text.question_text(ctx.data.measure))
    if ctx.filters.gss_code and ctx.data.borough is None:
        st.info("The Public Attitude Survey does not cover the City of London, so London is shown.")
    if ctx.data.latest is None:
        first = text.rolling_year(ctx.data.values["period_end"].min())
        ui.empty_result(f"This measure's first figure is for {first}, after the period chosen. {LATER}")


def coverage(ctx: PageContext) -> None:
    st.caption(text.COVERAGE_TEXT)


def ready(view: str | None = None):
    return lambda ctx: ctx.data is not None and ctx.data.latest is not None and view in (None, ctx["view"])


run_page(
    "Trust and confidence",
    [
        Section("question", "", intro),
        Section(
            "latest",
            lambda ctx: f"{ctx.data.label}: {text.rolling_year(ctx.data.latest)}",
            lambda ctx: headline_metrics(ctx.data),
            when=ready(),
        ),
        Section("trend", "How has it moved over time?", over_time, when=ready("trend")),
        Section("boroughs", "How do the boroughs compare?", boroughs, when=ready("boroughs")),
        Section("groups", "How far apart are groups of Londoners?", groups, when=ready("groups")),
        Section("coverage", "", coverage, when=ready()),
    ],
    controls,
    prepare=trust_data,
)
