"""Overview: the selected borough beside London on violence, trust and stop and search."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.filters import Period, coverage_note
from lib.metrics.summary import area_population, count_summary, search_summary, survey_summary
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.narrative.overview import search_sentence, survey_sentence, violence_sentence
from lib.queries.common import months_with_data, population_year, populations
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


def covered_months(table: str, subject: str, span: Period) -> int:
    """Months of `span` the table covers, saying so when that is not all of them."""
    covered = ui.cached(months_with_data, table=table, start=span.start, end=span.end)
    note = coverage_note(subject, covered, span)
    if note:
        st.info(note, icon=":material/date_range:")
    return len(covered)


st.subheader("Violence against the person")
crime_months = covered_months("crime_monthly", "recorded crime", period)
now = ui.cached(category_counts, major_category=VIOLENCE, start=period.start, end=period.end)
# A change is only tested between two fully covered periods of equal length.
comparable = (
    crime_months == period.months
    and len(ui.cached(months_with_data, table="crime_monthly", start=before.start, end=before.end)) == before.months
)
earlier = (
    ui.cached(category_counts, major_category=VIOLENCE, start=before.start, end=before.end) if comparable else None
)
for card, gss, area in ui.area_cards(areas) if crime_months else []:
    summary = count_summary(now, earlier, area_population(people, gss), crime_months, gss)
    change = summary.change
    with card:
        left, right = st.columns(2)
        left.metric(
            "Offences",
            count_text(summary.count),
            f"{change.percent:+.0f}% on previous period" if change and change.previous else None,
            delta_color=delta_colour(change.direction) if change else "off",
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
search_months = covered_months("stop_search", "stop and search", period)
searches = ui.cached(searches_by_group, start=period.start, end=period.end)
for card, gss, area in ui.area_cards(areas) if search_months else []:
    summary = search_summary(searches, people, search_months, gss)
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
