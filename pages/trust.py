"""Trust and confidence: how Londoners' views of the Met move, with honest uncertainty."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.boroughs import borough_name
from lib.charts import trust as charts
from lib.metrics import survey
from lib.narrative import trust as text
from lib.narrative.common import percent_text
from lib.queries.trust import area_values, group_types_with_splits, group_values, groups_published, survey_measures
from lib.vocab import SURVEY_MEASURES

CITY_OF_LONDON = "E09000001"
DEFAULT_PAIRS = {"ethnicity": ("Black", "White"), "age": ("16-24", "65+"), "gender": ("Female", "Male")}
VIEWS = {"trend": "Over time", "boroughs": "All boroughs", "groups": "Gaps between groups"}
SOURCE = "MOPAC Public Attitude Survey"

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
values = ui.memo(survey.with_intervals, ui.cached(area_values, measure=measure))
latest = survey.latest_period_end(values["period_end"].unique(), filters.period.end)
if latest is None:
    ui.empty_result(
        f"This measure's first figure is for {text.rolling_year(values['period_end'].min())}, after the "
        "period chosen. Choose a later period in the sidebar."
    )
    st.stop()
changes = ui.memo(survey.area_changes, values, latest)
approximate = bool(changes["approximate"].any())
st.subheader(f"{label}: {text.rolling_year(latest)}")
for column, area in zip(st.columns(2), [None] if borough is None else [None, borough], strict=False):
    figure, name = survey.area_figure(changes, area), borough_name(area)
    if figure is None or figure.reason:
        column.metric(f"{label}, {name}", "not shown", help=figure.reason if figure else "No figure published.")
        continue
    change = figure.change
    column.metric(
        f"{label}, {name}",
        percent_text(figure.proportion),
        f"{change.points:+.0f} points on a year earlier" if change else None,
        delta_color="normal" if change and change.significant else "off",
        delta_arrow="auto" if change and change.significant else "off",  # arrows only for real changes
        help=text.interval_text(figure.low, figure.high, figure.approximate),
        border=True,
    )
    column.markdown(text.headline_sentence(measure, name, figure))


def show(view: charts.ChartView, *, unit: str, file_stem: str, what: str, uses_design_base: bool) -> None:
    """A cached chart (selected borough highlighted), its source caption and a CSV of it."""
    st.vega_lite_chart(charts.with_selected(view.spec, borough), width="stretch")
    ui.source_caption(text.source_text(latest, unit=unit, approximate=uses_design_base))
    ui.download_csv(
        view.table,
        label=f"Download {what} (CSV)",
        file_stem=file_stem,
        header_lines=[f"{label}, {text.rolling_year(latest)}: {what}", SOURCE],
    )


view = ui.url_choice("Show", "view", list(VIEWS), default="trend", format_func=VIEWS.get, widget="segmented")
if view == "trend":
    others = sorted((c for c in changes["gss_code"].dropna() if c != borough), key=borough_name)
    compare = ui.url_multichoice(
        "Compare with up to three other boroughs", "compare", others, max_selections=3, format_func=borough_name
    )
    first = values["period_end"].min()
    ui.sentence(
        text.trend_sentence(
            measure, borough_name(borough), first, latest, survey.change_since(values, borough, first, latest)
        )
    )
    if borough:
        compared = survey.compare_with_london(changes)
        verdict = compared.loc[compared["gss_code"] == borough, "verdict"]
        st.markdown(text.versus_london_phrase(verdict.iloc[0] if len(verdict) else None, borough_name(borough)))
    areas = (*([borough] if borough else []), None, *compare)
    banded = (borough_name(borough), "London") if borough else ("London",)
    trend = ui.memo(
        charts.trend_view, values, areas=areas, last=latest, title=f"{label}, rolling 12 months", banded=banded
    )
    if trend.table["not_shown"].notna().any():
        st.markdown("Gaps in a line are quarters with fewer than 50 respondents, which are not shown.")
    show(
        trend,
        unit="Unit: % of respondents agreeing; shaded bands are 95% intervals (selected borough and London).",
        file_stem=f"trust-{measure}-over-time",
        what="the values over time",
        uses_design_base=approximate,
    )
elif view == "boroughs":
    if survey.area_figure(changes, None) is None or changes["gss_code"].notna().sum() == 0:
        ui.empty_result(f"No borough figures are published for {text.rolling_year(latest)}.")
        st.stop()
    rank = survey.borough_rank(changes, borough) if borough else None
    counts = survey.verdict_counts(survey.compare_with_london(changes))
    ui.sentence(text.ranking_sentence(borough_name(borough) if borough else None, rank, counts))
    show(
        ui.memo(charts.borough_view, changes, title=f"{label}, {text.rolling_year(latest)}"),
        unit="Unit: % of respondents agreeing; dashed line: London.",
        file_stem=f"trust-{measure}-boroughs",
        what="each borough's value",
        uses_design_base=approximate,
    )
    ui.sentence(text.change_map_sentence(measure, latest, survey.change_counts(changes)))
    show(
        ui.memo(charts.change_view, changes, title=f"Change on a year earlier: {label}"),
        unit="Unit: change in percentage points on the 12 months a year earlier; ▲▼ mark significant "
        "changes (two-proportion test, 5% level).",
        file_stem=f"trust-{measure}-change",
        what="each borough's change",
        uses_design_base=approximate,
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
    pair = (group_a, group_b)
    group_estimates = ui.memo(survey.with_intervals, ui.cached(group_values, measure=measure, group_type=kind))
    gaps = ui.memo(survey.gap_series, group_estimates, *pair)
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
    with left:
        st.vega_lite_chart(
            ui.memo(
                charts.group_view, group_estimates, groups=pair, last=latest, title=f"{label}, London, by {kind}"
            ).spec,
            width="stretch",
        )
    with right:
        show(
            ui.memo(charts.gap_view, gaps, groups=pair, last=latest, title=f"Gap: {group_a} minus {group_b}"),
            unit="Unit: % agreeing; gap in percentage points with its 95% interval (Newcombe's hybrid score method).",
            file_stem=f"trust-{measure}-{kind}-gap",
            what="the gap over time",
            uses_design_base=False,
        )
st.caption(text.COVERAGE_TEXT)
