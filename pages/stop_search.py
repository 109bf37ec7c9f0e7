"""Stop and search fairness: who is searched, how often, and with what result."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import ui
from lib.boroughs import BOROUGHS
from lib.charts import stop_search as charts
from lib.charts.common import borough_tiles, class_legend
from lib.colour import quantile_scale
from lib.filters import coverage_note
from lib.maps.choropleth import borough_choropleth
from lib.metrics import stop_search as m
from lib.narrative import stop_search as say
from lib.queries import stop_search as q
from lib.queries.common import borough_outlines, months_with_data, population_year, populations
from lib.vocab import AGE_RANGES, GENDERS, LEGISLATION_GROUPS, SEARCH_TYPES

ALL = "all"
SOURCE = "Source: data.police.uk stop and search (Met and City of London Police); ONS Census 2021 residents."
DEFINITIONS = {q.SELF_DEFINED: "Self-defined", q.OFFICER_DEFINED: "Officer-defined"}
PAGE_FILTERS = [  # (label, URL parameter, query argument, options, label for "all")
    ("Power used", "power", "legislation", LEGISLATION_GROUPS, "All powers"),
    ("Search type", "type", "search_type", SEARCH_TYPES, "All types"),
    ("Age", "age", "age_range", AGE_RANGES, "All ages"),
    ("Gender", "gender", "gender", GENDERS, "All genders"),
]

st.title("Stop and search: who is searched, and with what result")
filters = ui.current_filters()
area, area_name, months, where = filters.borough, filters.borough_name, filters.period.months, filters.describe()
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
group = ui.url_choice(
    "Compare with White", "group", m.comparison_groups(definition), default="Black", widget="segmented"
)

period = {"start": filters.period.start, "end": filters.period.end}
cube = ui.cached(q.search_cube, definition=definition, **period, **selection)
if cube.empty:
    ui.empty_result(f"No searches match these filters in {filters.period.describe()}. Try choosing fewer filters.")
    st.stop()
residents = ui.cached(populations)
covered = ui.cached(months_with_data, table="stop_search", **period)
if note := coverage_note("stop and search", covered, filters.period):
    st.info(note, icon=":material/date_range:")
months = len(covered) or months  # rates are annualised over the months with data
london = m.disparity_table(cube, residents, area=None, definition=definition, months=months)
local = london if area is None else m.disparity_table(cube, residents, area=area, definition=definition, months=months)
ui.sentence(say.headline(m.group_row(london, group), area_name="London"))
if area is not None:
    ui.sentence(say.headline(m.group_row(local, group), area_name=area_name))
st.markdown(
    say.missing_range_sentence(
        m.group_row(local, group),
        int(m.group_row(local, "Unknown")["searches"]),
        definition_name=DEFINITIONS[definition].lower(),
    )
)
st.markdown(
    say.basis_sentence(
        definition=definition, filters_text=say.filters_text(**selection), population_year=ui.cached(population_year)
    )
    + " "
    + say.residence_sentence(area_name, m.unlocated_searches(cube))
)
st.caption(f"Small numbers: a group with {say.FEWER_THAN} searches shows “{say.FEWER_THAN}” and no rate or ratio.")

st.header(f"Who is searched in {area_name}")
left, right = st.columns(2)
ui.cached_chart(
    charts.rate_chart, local, title="Searches per 1,000 residents per year", container=left, width="stretch"
)
ui.cached_chart(charts.ratio_chart, local, title="Rate compared with White residents", container=right, width="stretch")
ui.source_caption(
    f"{SOURCE} {where}. Dot: rate or ratio; dark line: 95% interval (exact Poisson); grey bar: "
    "the ratio if every search of unknown ethnicity had been of that group, or of White people. "
    "Dashed line: the same rate as White residents."
)

st.header("What searches find: the outcome test")
outcomes = m.outcome_rates(cube, area=area, definition=definition)
status = m.find_status(cube, area=area)
finds = m.find_rates(cube, area=area, definition=definition) if status == "recorded" else None
ui.sentence(say.outcome_sentence(outcomes, group))
st.markdown(f"{say.OUTCOME_TEST} {say.find_sentence(status, finds)}")
shown = outcomes if finds is None else pd.concat([outcomes, finds], ignore_index=True)
ui.cached_chart(charts.outcome_chart, shown, title=f"Outcomes of searches, {area_name}", width="stretch")
ui.source_caption(
    f"{SOURCE} {where}. Share of searches with a recorded outcome; positive outcome = any outcome "
    "other than no further action; lines are 95% Wilson intervals."
)

st.header("Children and strip searches")
children = m.children_by_group(cube, area=area, definition=definition)
strips = m.strip_searches(cube, area=area, definition=definition)
left, right = st.columns(2)
with left:
    st.markdown(say.children_sentence(children, area_name=area_name))
    labelled = children.assign(label=[say.count_label(n) for n in children["under_18"]])
    ui.cached_chart(charts.children_chart, labelled, title="Searches of under-18s", width="stretch")
with right:
    st.markdown(say.strip_sentence(strips, area_name=area_name))
    if strips is not None:
        st.dataframe(strips.map(say.count_label).rename_axis("Ethnic group"), width="stretch")
ui.source_caption(
    f"{SOURCE} {where}. Under 18 = age 'under 10' or '10-17'. Strip search = removal of more than "
    "outer clothing, counted by ethnic group and age."
)

st.header(f"Borough by borough: {group}/White ratio")
boroughs = say.with_labels(
    m.borough_disparity(cube, residents, group=group, definition=definition, months=months), group
)
ui.sentence(say.map_sentence(boroughs, group))
scale = quantile_scale(boroughs["ratio"])
view = ui.url_choice(
    "Show as",
    "view",
    ["map", "tiles"],
    default="map",
    widget="segmented",
    format_func={"map": "Map", "tiles": "Equal-size tiles"}.get,
)
if view == "map":
    st.pydeck_chart(
        borough_choropleth(
            ui.cached(borough_outlines),
            boroughs,
            value_column="ratio",
            scale=scale,
            tooltip_column="tooltip",
            selected=area,
        ),
        height=520,
    )
else:
    places = pd.DataFrame(
        [{"gss_code": b.gss_code, "short": b.short, "tile_col": b.tile_col, "tile_row": b.tile_row} for b in BOROUGHS]
    )
    ui.chart(
        borough_tiles(
            boroughs.merge(places, on="gss_code"),
            value_column="ratio",
            scale=scale,
            label_column="label",
            tooltip=["name:N", "tooltip:N"],
            title=f"{group}/White rate ratio",
            selected=area,
        ),
        width="content",
    )
ui.cached_chart(class_legend, scale, f"{group}/White rate ratio", no_data_label=say.FEWER_THAN, width="content")
ranking = say.ranking_table(boroughs, group, area)
st.dataframe(
    ranking,
    hide_index=True,
    width="stretch",
    column_config={
        c: st.column_config.NumberColumn(format="%.2f") for c in ranking.columns if ranking[c].dtype.kind == "f"
    },
)
ui.download_csv(
    ranking,
    label="Download this table (CSV)",
    file_stem=f"stop-search-{group}-white-ratio",
    header_lines=[
        where,
        say.basis_sentence(
            definition=definition,
            filters_text=say.filters_text(**selection),
            population_year=ui.cached(population_year),
        ),
        SOURCE,
    ],
)
ui.source_caption(
    f"{SOURCE} Period: {filters.period.short()}. Searches made in each borough (unlocated searches "
    "are in no borough) per 1,000 residents per year; ratio = group rate ÷ White rate."
)

st.header(f"How many searches: {area_name}")
by = ui.url_choice(
    "Break down by",
    "by",
    ["legislation", "object"],
    default="legislation",
    widget="segmented",
    format_func={"legislation": "Power used", "object": "Object of search"}.get,
)
volume = ui.cached(q.monthly_volume, borough=area, **period, **selection)
for in_borough, name in ([(True, area_name)] if area else []) + [(False, "London")]:
    monthly = m.monthly_breakdown(volume, in_borough=in_borough, by=by, months=m.period_months(**period))
    st.markdown(say.volume_sentence(monthly, area_name=name, period_text=filters.period.describe(), months=months))
    ui.cached_chart(charts.volume_chart, monthly, title=f"Searches a month, {name}", width="stretch")
ui.source_caption(
    f"{SOURCE} Period: {filters.period.short()}. Volume uses the filters above except ethnicity; "
    "London includes searches with no location."
)
