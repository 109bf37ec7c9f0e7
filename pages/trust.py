"""Trust and confidence: how Londoners' views of the Met move, with honest uncertainty."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.boroughs import borough_name
from lib.charts import trust as charts
from lib.charts.common import styled
from lib.metrics import survey
from lib.narrative import trust as text
from lib.narrative.common import percent_text
from lib.queries.trust import area_values, group_types_with_splits, group_values, groups_published, survey_measures
from lib.vocab import SURVEY_MEASURES

CITY_OF_LONDON = "E09000001"
DEFAULT_PAIRS = {"ethnicity": ("Black", "White"), "age": ("16-24", "65+"), "gender": ("Female", "Male")}
VIEWS = {"trend": "Over time", "boroughs": "All boroughs", "groups": "Gaps between groups"}

filters = ui.current_filters()
st.title("Trust and confidence")
measures = ui.cached(survey_measures)
if not measures:
    ui.empty_result("This snapshot has no Public Attitude Survey results.")
    st.stop()
measure = ui.url_choice(
    "Measure", "measure", measures, default="trust", format_func=lambda key: SURVEY_MEASURES[key]["label"]
)
label = SURVEY_MEASURES[measure]["label"]
st.markdown(text.question_text(measure))

borough = filters.borough
if borough == CITY_OF_LONDON:
    st.info("The Public Attitude Survey does not cover the City of London, so London is shown.")
    borough = None
values = survey.with_intervals(ui.cached(area_values, measure=measure))
latest = survey.latest_period_end(values["period_end"].unique(), filters.period.end)
if latest is None:
    first = values["period_end"].min()
    ui.empty_result(
        f"This measure's first figure is for {text.rolling_year(first)}, after the period chosen. "
        "Choose a later period in the sidebar."
    )
    st.stop()
changes = survey.area_changes(values, latest)
approximate = bool(changes["approximate"].any())
st.subheader(f"{label}: {text.rolling_year(latest)}")
areas = [None] if borough is None else [None, borough]
for column, area in zip(st.columns(2), areas, strict=False):
    figure = survey.area_figure(changes, area)
    name = borough_name(area)
    if figure is None or figure.reason:
        column.metric(f"{label}, {name}", "not shown", help=figure.reason if figure else "No figure published.")
        continue
    change = figure.change
    column.metric(
        f"{label}, {name}",
        percent_text(figure.proportion),
        f"{change.points:+.0f} points on a year earlier" if change else None,
        delta_color="normal" if change and change.significant else "off",
        help=text.interval_text(figure.low, figure.high, figure.approximate),
        border=True,
    )
    column.markdown(text.headline_sentence(measure, name, figure))

view = ui.url_choice("Show", "view", list(VIEWS), default="trend", format_func=VIEWS.get, widget="segmented")
unit = "Unit: % of respondents agreeing."
if view == "trend":
    others = [c for c in changes["gss_code"].dropna() if c != borough]
    compare = ui.url_multichoice(
        "Compare with up to three other boroughs",
        "compare",
        sorted(others, key=borough_name),
        max_selections=3,
        format_func=borough_name,
    )
    table = charts.trend_table(values, [*([borough] if borough else []), None, *compare], latest)
    first = table["period_end"].min()
    ui.sentence(
        text.trend_sentence(
            measure, borough_name(borough), first, latest, survey.change_since(values, borough, first, latest)
        )
    )
    if borough:
        compared = survey.compare_with_london(changes)
        st.markdown(
            text.versus_london_phrase(
                compared.loc[compared["gss_code"] == borough, "verdict"].squeeze(), borough_name(borough)
            )
        )
    if table["not_shown"].notna().any():
        st.markdown("Gaps in a line are quarters with fewer than 50 respondents, which are not shown.")
    banded = [borough_name(borough), "London"] if borough else ["London"]
    st.altair_chart(
        styled(charts.trend_chart(table, title=f"{label}, rolling 12 months", banded=banded)), width="stretch"
    )
    ui.source_caption(
        text.source_text(
            latest, unit=unit + " Shaded bands: 95% intervals (selected borough and London).", approximate=approximate
        )
    )
    ui.download_csv(
        table,
        label="Download this chart's data (CSV)",
        file_stem=f"trust-{measure}-over-time",
        header_lines=[f"{label}, rolling 12 months to each quarter end", "MOPAC Public Attitude Survey"],
    )
elif view == "boroughs":
    compared = survey.compare_with_london(changes)
    table = charts.borough_table(changes)
    london = survey.area_figure(changes, None)
    if table.empty or london is None or london.reason:
        ui.empty_result(f"No borough figures are published for {text.rolling_year(latest)}.")
        st.stop()
    ui.sentence(
        text.ranking_sentence(
            borough_name(borough) if borough else None,
            survey.borough_rank(changes, borough) if borough else None,
            survey.verdict_counts(compared),
        )
    )
    st.altair_chart(
        styled(
            charts.borough_dot_chart(
                table, london=london.proportion, selected=borough, title=f"{label}, {text.rolling_year(latest)}"
            )
        ),
        width="stretch",
    )
    ui.source_caption(text.source_text(latest, unit=unit, approximate=approximate))
    ui.download_csv(
        table,
        label="Download the borough figures (CSV)",
        file_stem=f"trust-{measure}-boroughs",
        header_lines=[f"{label}, {text.rolling_year(latest)}", "MOPAC Public Attitude Survey"],
    )
    tiles = charts.change_tile_table(table)
    scale = charts.change_scale(tiles)
    ui.sentence(text.change_map_sentence(measure, latest, survey.change_counts(changes)))
    st.altair_chart(
        styled(
            charts.change_tiles(tiles, scale=scale, selected=borough, title=f"Change on a year earlier: {label}")
            & charts.change_legend(scale)
        )
    )
    ui.source_caption(
        text.source_text(
            latest,
            unit="Unit: change in percentage points on the 12 months a year "
            "earlier; ▲▼ mark significant changes (two-proportion test, 5% level).",
            approximate=approximate,
        )
    )
    ui.download_csv(
        tiles,
        label="Download the changes (CSV)",
        file_stem=f"trust-{measure}-change",
        header_lines=[f"{label}: change in points, {text.rolling_year(latest)} on a year earlier"],
    )
else:
    kinds = ui.cached(group_types_with_splits, measure=measure)
    if not kinds:
        ui.empty_result(
            "This snapshot has no group splits (ethnicity, age, gender) for this measure: MOPAC's "
            "published dashboard files give London and borough figures only."
        )
        st.stop()
    kind = ui.url_choice(
        "Compare groups by", "groups", kinds, default="ethnicity", widget="segmented", format_func=str.capitalize
    )
    groups = list(ui.cached(groups_published, measure=measure, group_type=kind))
    pick_a, pick_b = st.columns(2)
    wanted_a, wanted_b = DEFAULT_PAIRS.get(kind, (groups[0], groups[-1]))
    group_a = ui.url_choice("Group", "a", groups, default=wanted_a, container=pick_a)
    group_b = ui.url_choice(
        "Compared with", "b", [g for g in groups if g != group_a] or groups, default=wanted_b, container=pick_b
    )
    group_rows = survey.with_intervals(ui.cached(group_values, measure=measure, group_type=kind))
    gaps = survey.gap_series(group_rows, group_a, group_b)
    now = gaps[gaps["period_end"] == latest]
    if now.empty or now["reason"].notna().any():
        why = now["reason"].iloc[0] if not now.empty else "no figures published"
        ui.empty_result(f"The gap for {text.rolling_year(latest)} is not shown: {why}.")
    else:
        row = now.iloc[0]
        ui.sentence(
            text.gap_sentence(
                kind,
                group_a,
                group_b,
                row["p_a"],
                row["p_b"],
                survey.gap_change(gaps, latest),
                row["gap_low"],
                row["gap_high"],
            )
        )
    left, right = st.columns(2)
    left.altair_chart(
        styled(
            charts.group_chart(
                charts.group_table(group_rows, [group_a, group_b], latest), title=f"{label}, London, by {kind}"
            )
        ),
        width="stretch",
    )
    gap_data = charts.gap_table(gaps, group_a, group_b, latest)
    right.altair_chart(styled(charts.gap_chart(gap_data, title=f"Gap: {group_a} minus {group_b}")), width="stretch")
    ui.source_caption(
        text.source_text(
            latest,
            unit="Unit: % agreeing; gap in percentage points with its 95% interval (Newcombe's hybrid score method).",
            approximate=False,
        )
    )
    ui.download_csv(
        gap_data,
        label="Download the gap (CSV)",
        file_stem=f"trust-{measure}-{kind}-gap",
        header_lines=[f"{label}, London: {group_a} minus {group_b}", "MOPAC Public Attitude Survey"],
    )
st.caption(text.COVERAGE_TEXT)
