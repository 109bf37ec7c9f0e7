"""Stop and search fairness: who is searched, how often, and with what result."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.metrics import stop_search as m
from lib.page import PageContext, Section, run_page
from lib.queries import stop_search as q
from lib.views.stop_search import DEFINITIONS, by_borough, children, headline, outcomes, search_data, volume, who
from lib.vocab import AGE_RANGES, GENDERS, LEGISLATION_GROUPS, SEARCH_TYPES

ALL = "all"
PAGE_FILTERS = [  # (label, URL parameter, query argument, options, label for "all")
    ("Power used", "power", "legislation", LEGISLATION_GROUPS, "All powers"),
    ("Search type", "type", "search_type", SEARCH_TYPES, "All types"),
    ("Age", "age", "age_range", AGE_RANGES, "All ages"),
    ("Gender", "gender", "gender", GENDERS, "All genders"),
]
MAP_VIEWS = {"map": "Map", "tiles": "Equal-size tiles"}
BREAKDOWNS = {"legislation": "Power used", "object": "Object of search"}


def controls(ctx: PageContext) -> dict:
    columns = st.columns(5)
    definition = ui.url_choice(
        "Ethnicity",
        "ethnicity",
        list(DEFINITIONS),
        default=q.SELF_DEFINED,
        format_func=DEFINITIONS.get,
        container=columns[0],
        help="Self-defined: the person's own answer (often not stated). "
        "Officer-defined: the officer's view, from four groups.",
    )
    selection = {}
    for (label, param, argument, options, everything), column in zip(PAGE_FILTERS, columns[1:], strict=True):
        value = ui.url_choice(
            label,
            param,
            [ALL, *options],
            default=ALL,
            container=column,
            format_func=lambda v, everything=everything: everything if v == ALL else v,
        )
        selection[argument] = None if value == ALL else value
    left, middle, right = st.columns([4, 3, 3])
    groups = m.comparison_groups(definition)
    group = ui.url_choice("Compare with White", "group", groups, default="Black", widget="segmented", container=left)
    shape = ui.url_choice(
        "Borough map", "view", list(MAP_VIEWS), default="map", widget="segmented", format_func=MAP_VIEWS.get,
        container=middle,
    )  # fmt: skip
    by = ui.url_choice(
        "Volume by", "by", list(BREAKDOWNS), default="legislation", widget="segmented", format_func=BREAKDOWNS.get,
        container=right,
    )  # fmt: skip
    return {"definition": definition, "selection": selection, "group": group, "map": shape, "by": by}


def found(ctx: PageContext) -> bool:
    return ctx.data is not None


run_page(
    "Stop and search: who is searched, and with what result",
    [
        Section("headline", "", headline),
        Section("who", lambda ctx: f"Who is searched in {ctx.filters.borough_name}", who, when=found),
        Section("outcomes", "What searches find: the outcome test", outcomes, when=found),
        Section("children", "Children and strip searches", children, when=found),
        Section("boroughs", lambda ctx: f"Borough by borough: {ctx['group']}/White ratio", by_borough, when=found),
        Section("volume", lambda ctx: f"How many searches: {ctx.filters.borough_name}", volume, when=found),
    ],
    controls,
    prepare=search_data,
)
