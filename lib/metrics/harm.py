"""Harm and justice figures: offences, rates, changes and positive outcome rates for one
offence subgroup of `harm_monthly`. Pure functions over `lib.queries.harm.monthly_counts`.

Offences use the Violence page's figures exactly (`lib.metrics.violence`: counts summed over
the period, rates per 1,000 Census residents a year, the exact Poisson test against the
comparison period that `comparison_period` names). The positive outcome rate is positive
outcomes ÷ offences recorded in the same months, with a 95% Wilson interval: outcomes
recorded in a month mostly belong to offences of earlier months, so it is a rate of outcomes
recorded, not the share of the period's offences that were solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.filters import Period
from lib.metrics import violence as vm
from lib.metrics.proportions import wilson_interval
from lib.months import shift as add_months
from lib.vocab import HARM_CATEGORIES, HARM_RECORDING_BREAKS

OFFENCES, OUTCOMES = "offences", "positive_outcomes"
RATE, COUNT = vm.RATE, vm.COUNT
# An outcome rate is ranked and named in sentences only when it rests on at least this many
# offences and its 95% interval is at most this wide (percentage points); otherwise it is
# shown greyed with its interval and left out of highest/lowest sentences.
OUTCOME_MIN_OFFENCES = 50
OUTCOME_MAX_WIDTH = 0.15


@dataclass(frozen=True)
class Topic:
    """One choice of the offence filter: a subgroup of one offence group."""

    group: str
    subgroup: str
    has_outcomes: bool

    @property
    def key(self) -> str:
        return "-".join(self.subgroup.lower().replace("(", "").replace(")", "").replace(",", "").split())

    @property
    def label(self) -> str:
        return self.subgroup

    @property
    def counts_people(self) -> bool:
        """Victims (people) rather than offences."""
        return "victims" in self.subgroup.lower()

    @property
    def unit(self) -> str:
        if self.counts_people:
            return "victims"
        return "discharges" if "discharge" in self.subgroup.lower() else "offences"


def topics(subgroups: pd.DataFrame) -> tuple[Topic, ...]:
    """The subgroups a snapshot holds (`lib.queries.harm.subgroups`), in vocabulary order,
    then any others."""
    present = {(g, s): bool(o) for g, s, o in subgroups[["offence_group", "offence_subgroup", "has_outcomes"]].values}
    ordered = [(g, s) for g, names in HARM_CATEGORIES.items() for s in names if (g, s) in present]
    ordered += sorted(set(present) - set(ordered))
    return tuple(Topic(g, s, present[(g, s)]) for g, s in ordered)


def covers(monthly: pd.DataFrame, period: Period) -> bool:
    """Whether the subgroup's files cover every month of the period."""
    months = set(monthly["month"])
    return all(add_months(period.start, i) in months for i in range(period.months))


def _as_count(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    return monthly[["month", "gss_code", column]].rename(columns={column: "count"})


# --- positive outcome rate ---------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRate:
    """Positive outcomes recorded ÷ offences recorded in the same months, with a 95% Wilson
    interval (NaN when there were no offences, or more outcomes than offences)."""

    outcomes: int
    offences: int
    rate: float
    low: float
    high: float

    @property
    def exceeds(self) -> bool:
        """More outcomes than offences: possible, as outcomes belong to earlier offences."""
        return self.outcomes > self.offences

    @property
    def reliable(self) -> bool:
        """Rests on enough offences, with a narrow enough interval, to rank or name."""
        return (
            self.offences >= OUTCOME_MIN_OFFENCES
            and not self.exceeds
            and math.isfinite(self.low)
            and self.high - self.low <= OUTCOME_MAX_WIDTH
        )


def outcome_rate(outcomes: int, offences: int) -> OutcomeRate:
    outcomes, offences = int(outcomes), int(offences)
    if offences <= 0:
        return OutcomeRate(outcomes, offences, float("nan"), float("nan"), float("nan"))
    rate = outcomes / offences
    low, high = wilson_interval(rate, offences) if rate <= 1 else (float("nan"), float("nan"))
    return OutcomeRate(outcomes, offences, rate, low, high)


# --- one period ---------------------------------------------------------------------------


def borough_table(monthly: pd.DataFrame, period: Period, residents: pd.Series) -> pd.DataFrame | None:
    """`lib.metrics.violence.borough_table` for the subgroup's offences (one row per borough
    the files hold: count, rate, previous, change_pct, p_value, direction, small, ranks),
    plus outcomes, outcome_rate, outcome_low, outcome_high and outcome_reliable. None when
    the files do not cover every month of the period."""
    current = vm.period_counts(_as_count(monthly, OFFENCES), period)
    if current is None:
        return None
    previous = vm.period_counts(_as_count(monthly, OFFENCES), vm.comparison_period(period))
    table = vm.borough_table(current, previous, residents, period.months)
    outcomes = vm.period_counts(_as_count(monthly, OUTCOMES), period).reindex(table["gss_code"]).fillna(0)
    rates = [outcome_rate(o, n) for o, n in zip(outcomes, table["count"], strict=True)]
    table["outcomes"] = outcomes.to_numpy(dtype="int64")
    table["outcome_rate"] = [r.rate for r in rates]
    table["outcome_low"] = [r.low for r in rates]
    table["outcome_high"] = [r.high for r in rates]
    table["outcome_reliable"] = [r.reliable for r in rates]
    reliable = table[table["outcome_reliable"]]
    table["rank_outcome"] = reliable["outcome_rate"].rank(ascending=False, method="min").reindex(table.index)
    return table


@dataclass(frozen=True)
class HarmFigures:
    """An area's figures for the period: offences (count, rate, change) and, when the Met
    publishes them for the subgroup, the positive outcome rate."""

    offences: vm.AreaFigures
    outcomes: OutcomeRate | None


def area_figures(table: pd.DataFrame, months: int, gss_code: str | None, *, with_outcomes: bool) -> HarmFigures:
    """Figures for one borough of `borough_table`, or London (gss_code None: the boroughs
    the Met polices, summed)."""
    offences = vm.area_figures(table, months, gss_code)
    rows = table if gss_code is None else table[table["gss_code"] == gss_code]
    rate = outcome_rate(int(rows["outcomes"].sum()), offences.count) if with_outcomes else None
    return HarmFigures(offences, rate)


def policed_by_met(table: pd.DataFrame, gss_code: str | None) -> bool:
    """Whether the Met's files cover the area (all London, or a borough in the table)."""
    return gss_code is None or bool((table["gss_code"] == gss_code).any())


# --- recording breaks -------------------------------------------------------------------


def recording_break(group: str) -> tuple[date, str] | None:
    """(first month on the new system, what changed) for offence groups the Met says are
    not comparable across a change of recording system."""
    found = HARM_RECORDING_BREAKS.get(group)
    if found is None:
        return None
    year, month = (int(part) for part in found[0].split("-"))
    return date(year, month, 1), found[1]


def straddles_break(group: str, period: Period) -> bool:
    """Whether the change compares months on either side of the group's recording break."""
    found = recording_break(group)
    if found is None:
        return False
    comparison = vm.comparison_period(period)
    return comparison.start < found[0] <= period.end


def breaks_in(group: str, first: date, last: date) -> list[tuple[date, str]]:
    """The group's recording breaks between two months (for marking trend charts)."""
    found = recording_break(group)
    return [found] if found and first < found[0] <= last else []


# --- trends -------------------------------------------------------------------------------


def area_rows(monthly: pd.DataFrame, gss_code: str | None) -> pd.DataFrame:
    """One area's monthly rows (London: every borough's)."""
    return monthly if gss_code is None else monthly[monthly["gss_code"] == gss_code]


def offence_trend(monthly: pd.DataFrame, residents: float, measure: str) -> pd.DataFrame:
    """`lib.metrics.violence.monthly_trend` of one area's offences."""
    return vm.monthly_trend(_as_count(monthly, OFFENCES), residents, measure)


def outcome_trend(monthly: pd.DataFrame) -> pd.DataFrame:
    """One area's positive outcome rate by month: columns month, offences, outcomes, rate
    (that month's outcomes ÷ offences), rolling (the 12 months to this one, NaN until 12 are
    available), rolling_low and rolling_high (its 95% Wilson interval)."""
    frame = monthly.groupby("month", as_index=False)[[OFFENCES, OUTCOMES]].sum().sort_values("month")
    frame = frame.rename(columns={OUTCOMES: "outcomes"})
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["rate"] = np.where(frame[OFFENCES] > 0, frame["outcomes"] / frame[OFFENCES], np.nan)
    offences = frame[OFFENCES].rolling(12, min_periods=12).sum()
    outcomes = frame["outcomes"].rolling(12, min_periods=12).sum()
    rolling = [outcome_rate(o, n) if pd.notna(n) else None for o, n in zip(outcomes, offences, strict=True)]
    frame["rolling"] = [r.rate if r else np.nan for r in rolling]
    frame["rolling_low"] = [r.low if r else np.nan for r in rolling]
    frame["rolling_high"] = [r.high if r else np.nan for r in rolling]
    return frame.reset_index(drop=True)
