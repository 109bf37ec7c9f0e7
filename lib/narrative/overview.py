"""Sentences for the Overview page."""

from __future__ import annotations

from lib.filters import Period
from lib.metrics.summary import CountSummary, SearchSummary, SurveySummary
from lib.narrative.common import (
    count_change_phrase,
    count_text,
    percent_text,
    proportion_change_phrase,
    rate_text,
    ratio_text,
)
from lib.vocab import SURVEY_MEASURES


def violence_sentence(area: str, summary: CountSummary, period: Period) -> str:
    """'Violence against the person in Lambeth: 8,412 offences in the 12 months to March
    2025, 26.5 per 1,000 residents a year, down 6% on the 12 months before (a significant fall).'"""
    before = "the 12 months before" if period.months == 12 else f"the {period.months} months before"
    if period.months == 1:
        before = "the month before"
    text = (
        f"Violence against the person in {area}: {count_text(summary.count)} offences in "
        f"{period.describe()}, {rate_text(summary.rate)} per 1,000 residents a year"
    )
    if summary.change is None:
        return text + f"; the snapshot does not cover all of {before}, so no change is given."
    return f"{text}, {count_change_phrase(summary.change, noun=before)}."


def survey_sentence(area: str, measure: str, summary: SurveySummary | None) -> str:
    label = SURVEY_MEASURES[measure]["label"]
    if summary is None:
        return f"{label}: the Public Attitude Survey has no figure for {area}."
    when = summary.period_end.strftime("%B %Y")
    text = f"{label} in {area}: {percent_text(summary.proportion)} in the 12 months to {when}"
    if summary.change is None:
        return text + " (no figure a year earlier to compare)."
    return f"{text}, {proportion_change_phrase(summary.change)}."


def search_sentence(area: str, summary: SearchSummary, period: Period) -> str:
    text = (
        f"Stop and search in {area}: {count_text(summary.count)} searches in {period.describe()}, "
        f"{rate_text(summary.rate)} per 1,000 residents a year."
    )
    ratio = summary.black_white
    if ratio.suppressed:
        return text + " Too few searches (fewer than 10) to compare Black and White residents' rates."
    return (
        text + f" Black people were searched at {ratio_text(ratio.ratio)} times the rate of White people "
        f"(95% interval {ratio_text(ratio.low)} to {ratio_text(ratio.high)})."
    )
