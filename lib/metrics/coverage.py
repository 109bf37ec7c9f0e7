"""Which months a figure covers, and which months it is compared with.

One coverage policy for every table with a monthly grain (recorded crime, stop and search,
and later topics):

- A figure covers the months of the chosen period that the table holds; `coverage` says
  which. Counts are summed over those months, rates are annualised over their number, and
  every sentence, title, caption and CSV header names them (`Coverage.phrase`,
  `Coverage.short`, `Coverage.csv_line`), never the months chosen.
- A period the table does not reach at all gives no figure, with a sentence saying what the
  snapshot holds (`Coverage.empty_sentence`).
- One comparison rule for changes in counts (`comparison`): the same calendar months, a
  whole number of years earlier (one year for periods up to 12 months, two for 13 to 24, and
  so on, so the two never overlap). Crime and searches are seasonal; comparing December to
  February with the three months before would set winter against autumn. A change is tested
  only when the table holds every one of those earlier months, so both sides cover the same
  calendar months and the same number of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lib.filters import Period
from lib.months import count as months_between
from lib.months import label as month_label
from lib.months import shift as add_months


def span_label(first: date, last: date) -> str:
    """'March 2024', 'March to August 2024', 'December 2024 to February 2025'."""
    if first == last:
        return month_label(first)
    if first.year == last.year:
        return f"{first:%B} to {month_label(last)}"
    return f"{month_label(first)} to {month_label(last)}"


def short_span(first: date, last: date) -> str:
    """'Mar 2024', 'Mar–Aug 2024', 'Dec 2024 – Feb 2025' (for chart titles)."""
    if first == last:
        return f"{first:%b %Y}"
    if first.year == last.year:
        return f"{first:%b}–{last:%b %Y}"
    return f"{first:%b %Y} – {last:%b %Y}"


def _months_word(n: int) -> str:
    return "1 month" if n == 1 else f"{n} months"


@dataclass(frozen=True)
class Coverage:
    """The months of `chosen` a table holds (`months`, ascending), and the first and last
    month the table holds at all (None when it holds none)."""

    chosen: Period
    months: tuple[date, ...]
    held_first: date | None
    held_last: date | None

    @property
    def count(self) -> int:
        """Months covered: the number rates are annualised over."""
        return len(self.months)

    @property
    def empty(self) -> bool:
        return not self.months

    @property
    def complete(self) -> bool:
        return self.count == self.chosen.months

    @property
    def first(self) -> date | None:
        return self.months[0] if self.months else None

    @property
    def last(self) -> date | None:
        return self.months[-1] if self.months else None

    @property
    def gaps(self) -> bool:
        """True when months are missing between the first and last covered month."""
        return bool(self.months) and months_between(self.months[0], self.months[-1]) > self.count

    @property
    def period(self) -> Period | None:
        """First to last covered month (the whole span, gaps included)."""
        return Period(self.months[0], self.months[-1]) if self.months else None

    def span(self) -> str:
        """'March to August 2024' (covered months; empty string when none)."""
        return span_label(self.months[0], self.months[-1]) if self.months else ""

    def short(self) -> str:
        """Chart-title form of the covered months: 'Mar–Aug 2024'."""
        return short_span(self.months[0], self.months[-1]) if self.months else ""

    def _limit(self) -> str:
        """Why the covered months stop short of the chosen ones, when the table's own ends
        are the reason: ', the latest this snapshot holds' and the like."""
        clipped_end = self.last < self.chosen.end and self.last == self.held_last
        clipped_start = self.first > self.chosen.start and self.first == self.held_first
        if clipped_end and clipped_start:
            return ", all this snapshot holds"
        if clipped_end:
            return ", the latest this snapshot holds"
        if clipped_start:
            return ", the earliest this snapshot holds"
        return ""

    def phrase(self) -> str:
        """How a sentence names the months, after a count:

        'in the 12 months to February 2025' (complete),
        'in the 6 months March to August 2024, the latest this snapshot holds',
        'in 11 of the 68 months chosen (January 2019 to August 2024, with gaps)'."""
        if self.empty:
            return f"in none of {self.chosen.describe()}"
        if self.complete:
            return f"in {self.chosen.describe()}"
        if self.gaps:
            return f"in {self.count} of the {self.chosen.months} months chosen ({self.span()}, with gaps)"
        if self.count == 1:
            return f"in {self.span()}{self._limit()}"
        return f"in the {self.count} months {self.span()}{self._limit()}"

    def note(self, subject: str, *, changes: bool = True) -> str | None:
        """A sentence for a partly covered period (None when complete): what is covered and
        what that means for counts, rates and (when the figures include them) changes."""
        if self.complete or self.empty:
            return None
        gaps = ", with gaps" if self.gaps else ""
        what = (
            "Counts are for those months, rates are annualised over them, and changes compare them with the "
            "same months a year earlier."
            if changes
            else "Counts are for those months and rates are annualised over them."
        )
        return (
            f"{subject[0].upper()}{subject[1:]}: this snapshot holds {self.count} of the {self.chosen.months} "
            f"months chosen ({self.span()}{gaps}{self._limit()}). {what}"
        )

    def empty_sentence(self, subject: str, *, advice: str | None = "choose another period in the sidebar") -> str:
        """For a period the table does not reach: what the snapshot holds instead, then what
        to do (`advice`; None on paper, where there is no sidebar)."""
        held = (
            f" (it holds {span_label(self.held_first, self.held_last)})"
            if self.held_first is not None and self.held_last is not None
            else ""
        )
        text = f"This snapshot holds no {subject} for {self.chosen.describe()}{held}"
        return f"{text}: {advice}." if advice else f"{text}."

    def csv_line(self) -> str:
        """A CSV header line naming the covered months:
        'Months covered: March to August 2024 (6 of the 12 months chosen, Mar 2024 – Feb 2025)'."""
        if self.empty:
            return f"Months covered: none of the months chosen ({self.chosen.short()})"
        if self.complete:
            return f"Months covered: {self.span()} ({_months_word(self.count)})"
        gaps = ", with gaps" if self.gaps else ""
        return (
            f"Months covered: {self.span()}{gaps} ({self.count} of the {self.chosen.months} months chosen, "
            f"{self.chosen.short()})"
        )


def coverage(held_months: Iterable[date], period: Period) -> Coverage:
    """The coverage of `period` by a table holding `held_months` (any order, duplicates
    allowed)."""
    held = sorted(set(held_months))
    inside = tuple(m for m in held if period.start <= m <= period.end)
    return Coverage(period, inside, held[0] if held else None, held[-1] if held else None)


# --- The comparison rule -------------------------------------------------------------------


def years_back(months: tuple[date, ...]) -> int:
    """Whole years to go back so the earlier months do not overlap the current ones."""
    if not months:
        return 1
    return max(1, math.ceil(months_between(months[0], months[-1]) / 12))


def earlier_months(months: tuple[date, ...]) -> tuple[date, ...]:
    """The same calendar months, `years_back` years earlier."""
    shift = -12 * years_back(months)
    return tuple(add_months(m, shift) for m in months)


@dataclass(frozen=True)
class Comparison:
    """A change's two sides: `current` months and the same calendar months `years` earlier."""

    current: tuple[date, ...]
    earlier: tuple[date, ...]
    years: int

    def noun(self) -> str:
        """'the same months a year earlier (March to August 2023)'."""
        when = "a year earlier" if self.years == 1 else f"{self.years} years earlier"
        return f"the same months {when} ({span_label(self.earlier[0], self.earlier[-1])})"

    def when(self) -> str:
        """For metric deltas: 'a year earlier', '2 years earlier'."""
        return "a year earlier" if self.years == 1 else f"{self.years} years earlier"

    def short_noun(self) -> str:
        """For table headings: 'same months a year earlier'."""
        return "same months a year earlier" if self.years == 1 else f"same months {self.years} years earlier"


def comparison(cover: Coverage, held_months: Iterable[date]) -> Comparison | None:
    """The comparison for a covered period, or None when the table does not hold every one
    of the earlier months (then no change is tested: see `missing_comparison`)."""
    if cover.empty:
        return None
    earlier = earlier_months(cover.months)
    if not set(earlier) <= set(held_months):
        return None
    return Comparison(cover.months, earlier, years_back(cover.months))


def missing_comparison(cover: Coverage) -> str:
    """Why no change is given: 'the snapshot does not hold the same months a year earlier
    (March to August 2023)'."""
    if cover.empty:
        return "there is nothing to compare"
    earlier = earlier_months(cover.months)
    years = years_back(cover.months)
    when = "a year earlier" if years == 1 else f"{years} years earlier"
    return f"the snapshot does not hold all of the same months {when} ({span_label(earlier[0], earlier[-1])})"
