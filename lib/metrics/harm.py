"""Harm and justice figures: offences, rates, changes and positive outcome rates for one
offence subgroup of `harm_monthly`. Pure functions over `lib.queries.harm.monthly_counts`.

Offences are counted by `lib.metrics.counts`, the functions behind every recorded-crime
figure, so they follow the same coverage policy, comparison rule (the same calendar months a
year earlier, exact Poisson test) and reliability rule as the Violence page. The positive
outcome rate is positive outcomes ÷ offences recorded in the same months, with a 95% Wilson
interval and the same reliability rule: outcomes recorded in a month mostly belong to
offences of earlier months, so it is a rate of outcomes recorded, not the share of the
period's offences that were solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.filters import Period
from lib.metrics import counts
from lib.metrics import violence as vm
from lib.metrics.coverage import Comparison, Coverage, comparison, coverage
from lib.metrics.proportions import wilson_interval
from lib.metrics.reliability import MIN_COUNT, Reliability, assess, ranks
from lib.vocab import HARM_CATEGORIES

OFFENCES, OUTCOMES = "offences", "positive_outcomes"
RATE, COUNT = vm.RATE, vm.COUNT
MORE_OUTCOMES = "more positive outcomes than offences recorded in these months (outcomes belong to earlier offences)"
NO_OFFENCES = "no offences recorded"


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
    def subject(self) -> str:
        """For the start of a sentence: 'Knife crime with injury', 'Knife injury victims (1-24)'."""
        return self.subgroup.capitalize()

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


def held_months(monthly: pd.DataFrame) -> list:
    """The months the subgroup's files cover (for `lib.metrics.coverage`)."""
    return sorted(set(monthly["month"]))


def _as_count(monthly: pd.DataFrame, column: str) -> pd.DataFrame:
    return monthly[["month", "gss_code", column]].rename(columns={column: "count"})


# --- positive outcome rate ---------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRate:
    """Positive outcomes recorded ÷ offences recorded in the same months, with a 95% Wilson
    interval (NaN when there were no offences, or more outcomes than offences), and whether
    it may be ranked or named (`lib.metrics.reliability`)."""

    outcomes: int
    offences: int
    rate: float
    low: float
    high: float
    reliability: Reliability

    @property
    def exceeds(self) -> bool:
        """More outcomes than offences: possible, as outcomes belong to earlier offences."""
        return self.outcomes > self.offences

    @property
    def reliable(self) -> bool:
        return self.reliability.reliable


def outcome_reliability(outcomes: int, offences: int, rate: float, low: float, high: float) -> Reliability:
    """The reliability rule for an outcome rate: at least MIN_COUNT offences and outcomes,
    an interval no wider than the rate itself, and no more outcomes than offences."""
    if offences <= 0:
        return Reliability(False, NO_OFFENCES)
    if offences < MIN_COUNT:
        return Reliability(False, f"fewer than {MIN_COUNT} offences")
    if outcomes > offences:
        return Reliability(False, MORE_OUTCOMES)
    return assess(counts=[outcomes], estimate=rate, low=low, high=high, count_noun="positive outcomes")


def outcome_rate(outcomes: int, offences: int) -> OutcomeRate:
    outcomes, offences = int(outcomes), int(offences)
    nan = float("nan")
    if offences <= 0:
        return OutcomeRate(outcomes, offences, nan, nan, nan, Reliability(False, NO_OFFENCES))
    rate = outcomes / offences
    low, high = wilson_interval(rate, offences) if rate <= 1 else (nan, nan)
    return OutcomeRate(outcomes, offences, rate, low, high, outcome_reliability(outcomes, offences, rate, low, high))


# --- one period ---------------------------------------------------------------------------


def borough_table(
    monthly: pd.DataFrame, residents: pd.Series, cover: Coverage, compared: Comparison | None
) -> pd.DataFrame:
    """`lib.metrics.counts.count_table` for the subgroup's offences (all 33 boroughs; those
    the Met does not report, the City of London, have no figure), plus outcomes,
    outcome_rate with its interval (outcome_low, outcome_high), outcome_reliable and
    outcome_reason, and among reliable rates rank_outcome with the ranks its interval allows
    (rank_outcome_best, rank_outcome_worst)."""
    reported = set(monthly["gss_code"])
    table = counts.count_table(_as_count(monthly, OFFENCES), residents, cover, compared, reported)
    outcomes = counts.period_totals(_as_count(monthly, OUTCOMES), cover.months).reindex(table["gss_code"])
    table["outcomes"] = np.where(table["reported"], outcomes.fillna(0).to_numpy(dtype=float), np.nan)
    rates = [
        outcome_rate(o, n) if r else None
        for o, n, r in zip(table["outcomes"], table["count"], table["reported"], strict=True)
    ]
    nan = float("nan")
    table["outcome_rate"] = [r.rate if r else nan for r in rates]
    table["outcome_low"] = [r.low if r else nan for r in rates]
    table["outcome_high"] = [r.high if r else nan for r in rates]
    table["outcome_reliable"] = [bool(r and r.reliable) for r in rates]
    table["outcome_reason"] = [
        r.reliability.reason if r else counts.not_reported_reason(code)
        for r, code in zip(rates, table["gss_code"], strict=True)
    ]
    ranked = ranks(table["outcome_rate"], table["outcome_low"], table["outcome_high"], table["outcome_reliable"])
    table["rank_outcome"] = ranked["rank"].to_numpy()
    table["rank_outcome_best"] = ranked["rank_best"].to_numpy()
    table["rank_outcome_worst"] = ranked["rank_worst"].to_numpy()
    return table


@dataclass(frozen=True, eq=False)
class HarmPeriod:
    """A subgroup over the chosen period: the months covered, the comparison (None when the
    snapshot lacks the earlier months) and `borough_table`."""

    cover: Coverage
    compared: Comparison | None
    table: pd.DataFrame


def harm_period(monthly: pd.DataFrame, residents: pd.Series, period: Period) -> HarmPeriod:
    """The one way every page, card, CSV and export gets a subgroup's figures for a period:
    coverage and comparison by `lib.metrics.coverage`, then `borough_table`."""
    held = held_months(monthly)
    cover = coverage(held, period)
    compared = comparison(cover, held)
    return HarmPeriod(cover, compared, borough_table(monthly, residents, cover, compared))


@dataclass(frozen=True)
class HarmFigures:
    """An area's figures for the covered months: offences (`lib.metrics.counts.CountFigure`)
    and, when the Met publishes them for the subgroup, the positive outcome rate."""

    offences: counts.CountFigure
    outcomes: OutcomeRate | None


def area_figures(
    table: pd.DataFrame, cover: Coverage, compared: Comparison | None, gss_code: str | None, *, with_outcomes: bool
) -> HarmFigures:
    """Figures for one borough of `borough_table`, or London (gss_code None: the boroughs
    the Met reports, summed)."""
    offences = counts.area_figure(table, cover, compared, gss_code)
    if not with_outcomes or offences.count is None:
        return HarmFigures(offences, None)
    rows = table[table["reported"]] if gss_code is None else table[table["gss_code"] == gss_code]
    return HarmFigures(offences, outcome_rate(int(rows["outcomes"].sum()), offences.count))


# --- trends -------------------------------------------------------------------------------


def area_rows(monthly: pd.DataFrame, gss_code: str | None) -> pd.DataFrame:
    """One area's monthly rows (London: every borough's)."""
    return monthly if gss_code is None else monthly[monthly["gss_code"] == gss_code]


def offence_trend(monthly: pd.DataFrame, residents: float, measure: str) -> pd.DataFrame:
    """`lib.metrics.violence.monthly_trend` of one area's offences: month, value, rolling
    (12-month average), year_earlier."""
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


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
