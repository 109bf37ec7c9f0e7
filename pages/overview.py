"""Overview: the selected borough beside London on violence, trust and stop and search."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.metrics.summary import area_population, count_summary, search_summary, survey_summary
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.narrative.overview import search_sentence, survey_sentence, violence_sentence
from lib.queries.common import population_year, populations
from lib.queries.overview import category_counts, searches_by_group, survey_values
from lib.vocab import VIOLENCE

filters = ui.current_filters()
period = filters.period
before = period.previous()
areas = [filters.borough, None] if filters.borough else [None]

st.title(f"Overview: {filters.borough_name}")
st.caption(
    f"{period.short()} compared with {before.short()}. Rates are per 1,000 residents a year "
    f"(Census {ui.cached(population_year)} residents). People searched or victimised need not live "
    "in the borough. A change is called up or down only when a statistical test says so (5% level)."
)
people = ui.cached(populations)


def delta_colour(direction: str, higher_is_worse: bool = True) -> str:
    if direction == "no significant change":
        return "off"
    return "inverse" if higher_is_worse else "normal"


st.subheader("Violence against the person")
now = ui.cached(category_counts, major_category=VIOLENCE, start=period.start, end=period.end)
earlier = ui.cached(category_counts, major_category=VIOLENCE, start=before.start, end=before.end)
for card, gss, area in ui.area_cards(areas):
    summary = count_summary(now, earlier, area_population(people, gss), period.months, gss)
    with card:
        left, right = st.columns(2)
        left.metric(
            "Offences",
            count_text(summary.count),
            f"{summary.change.percent:+.0f}% on previous period" if summary.change.previous else None,
            delta_color=delta_colour(summary.change.direction),
        )
        right.metric("Per 1,000 residents a year", rate_text(summary.rate))
        st.markdown(violence_sentence(area, summary, period))

st.subheader("Trust and confidence (Public Attitude Survey)")
survey = ui.cached(survey_values, measures=("trust", "good_job"), end=period.end)
for card, gss, area in ui.area_cards(areas):
    with card:
        metric_columns = st.columns(2)
        for metric_column, measure in zip(metric_columns, ("trust", "good_job"), strict=True):
            summary = survey_summary(survey, measure, gss)
            label = {"trust": "Trust the Met", "good_job": "Good job locally"}[measure]
            if summary is None:
                metric_column.metric(label, "not surveyed")
                continue
            change = summary.change
            metric_column.metric(
                label,
                percent_text(summary.proportion),
                f"{change.points:+.0f} points on a year earlier" if change else None,
                delta_color=delta_colour(change.direction, higher_is_worse=False) if change else "off",
                help=f"95% interval {percent_text(summary.low)} to {percent_text(summary.high)}"
                + (" (approximate: respondent numbers not published)" if summary.approximate else ""),
            )
            st.markdown(survey_sentence(area, measure, summary))

st.subheader("Stop and search")
searches = ui.cached(searches_by_group, start=period.start, end=period.end)
for card, gss, area in ui.area_cards(areas):
    summary = search_summary(searches, people, period.months, gss)
    ratio = summary.black_white
    with card:
        left, right = st.columns(2)
        left.metric("Searches per 1,000 a year", rate_text(summary.rate))
        right.metric(
            "Black/White rate ratio",
            "fewer than 10" if ratio.suppressed else f"{ratio_text(ratio.ratio)}×",
            help="Self-defined ethnicity, all search types, Census 2021 residents. "
            "Searches with ethnicity not stated are left out.",
        )
        st.markdown(search_sentence(area, summary, period))

ui.source_caption(
    "Sources: recorded crime (Metropolitan Police via the London Datastore, or data.police.uk), MOPAC "
    "Public Attitude Survey (rolling 12 months at quarter ends), data.police.uk stop and search, ONS Census "
    "2021. See About the data for files, periods and methods."
)
