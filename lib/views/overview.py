"""Data for the Overview page: each topic's summary for the chosen borough and London."""

from __future__ import annotations

import streamlit as st

from lib import ui
from lib.filters import Period, coverage_note
from lib.page import PageContext
from lib.queries.common import months_with_data

SOURCES = (
    "Sources: recorded crime (Metropolitan Police via the London Datastore, or data.police.uk), MOPAC "
    "Public Attitude Survey (rolling 12 months at quarter ends), data.police.uk stop and search, ONS Census "
    "2021. See About the data for files, periods and methods."
)


def delta_colour(direction: str, higher_is_worse: bool = True) -> str:
    if direction == "no significant change":
        return "off"
    return "inverse" if higher_is_worse else "normal"


def covered_months(table: str, subject: str, span: Period, *, say: bool = True) -> int:
    """Months of `span` the table covers, saying so (when `say`) if that is not all of them."""
    covered = ui.cached(months_with_data, table=table, start=span.start, end=span.end)
    note = coverage_note(subject, covered, span)
    if note and say:
        st.info(note, icon=":material/date_range:")
    return len(covered)


def intro(ctx: PageContext, population_year: int) -> str:
    period = ctx.filters.period
    return (
        f"{period.short()} compared with {period.previous().short()}. Rates are per 1,000 residents a year "
        f"(Census {population_year} residents). People searched or victimised need not live "
        "in the borough. A change is called up or down only when a statistical test says so (5% level)."
    )
