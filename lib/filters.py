"""The shared filters (borough and period) as a value object, with their URL form.

The URL is the state: `Filters.from_query_params` turns any query string into valid
filters plus notices for what it had to ignore; `to_query_params` is its inverse, so a
copied link reopens the same view. Nothing here raises on user input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lib.boroughs import borough_name, resolve_borough

_MONTH_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
MAX_PARAM_LENGTH = 80


def parse_month(text: object) -> date | None:
    """`YYYY-MM` -> first day of that month; None for anything else (2024-13, 'abc')."""
    if not isinstance(text, str) or len(text) > MAX_PARAM_LENGTH:
        return None
    match = _MONTH_PATTERN.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        return None
    return date(year, month, 1)


def month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: date) -> str:
    """'March 2025'."""
    return month.strftime("%B %Y")


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Number of months from start to end inclusive (both first-of-month dates)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def shown(value: object) -> str:
    """A user-supplied value made safe to quote in a notice (short, no markup)."""
    text = re.sub(r"[^\w\s\-./:]", "", str(value))[:40]
    return text or "(empty)"


@dataclass(frozen=True)
class Period:
    """An inclusive range of whole months."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    def previous(self) -> Period:
        """The period of equal length immediately before this one."""
        return Period(add_months(self.start, -self.months), add_months(self.start, -1))

    def year_earlier(self) -> Period:
        return Period(add_months(self.start, -12), add_months(self.end, -12))

    def describe(self) -> str:
        """'the 12 months to March 2025' or 'March 2025'."""
        if self.months == 1:
            return month_label(self.end)
        return f"the {self.months} months to {month_label(self.end)}"

    def short(self) -> str:
        """'Apr 2024 – Mar 2025'."""
        if self.months == 1:
            return self.end.strftime("%b %Y")
        return f"{self.start.strftime('%b %Y')} – {self.end.strftime('%b %Y')}"


@dataclass(frozen=True)
class Filters:
    """Borough (GSS code, None = all London) and period, as chosen by the user."""

    borough: str | None
    period: Period

    @property
    def borough_name(self) -> str:
        return borough_name(self.borough)

    @classmethod
    def default(cls, first_month: date, last_month: date) -> Filters:
        """All London, the latest 12 months the snapshot holds (fewer if it is shorter)."""
        start = max(first_month, add_months(last_month, -11))
        return cls(None, Period(start, last_month))

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, object], first_month: date, last_month: date
    ) -> tuple[Filters, list[str]]:
        """Valid filters from a query string, and a sentence for each value ignored."""
        notices: list[str] = []
        default = cls.default(first_month, last_month)

        borough = None
        raw_borough = params.get("borough")
        if raw_borough not in (None, "", "all", "london", "London"):
            found = resolve_borough(raw_borough)
            if found is None:
                notices.append(f"The link named an unknown borough ('{shown(raw_borough)}'), so all London is shown.")
            else:
                borough = found.gss_code

        start, end = default.period.start, default.period.end
        parsed = {}
        for key in ("from", "to"):
            raw = params.get(key)
            if raw in (None, ""):
                continue
            month = parse_month(raw)
            if month is None:
                notices.append(f"'{shown(raw)}' is not a month in the form YYYY-MM, so it was ignored.")
            else:
                parsed[key] = month
        if "to" in parsed:
            end = parsed["to"]
        if "from" in parsed:
            start = parsed["from"]
        elif "to" in parsed:
            start = add_months(end, -(default.period.months - 1))
        if start > end:
            notices.append("The period in the link ran backwards, so its two months were swapped.")
            start, end = end, start
        clamped_start, clamped_end = max(start, first_month), min(end, last_month)
        if (clamped_start, clamped_end) != (start, end):
            notices.append(
                f"This snapshot covers {month_label(first_month)} to {month_label(last_month)}; "
                "the period was trimmed to fit."
            )
        if clamped_start > clamped_end:
            return cls(borough, default.period), notices
        return cls(borough, Period(clamped_start, clamped_end)), notices

    def to_query_params(self) -> dict[str, str]:
        params = {"from": month_text(self.period.start), "to": month_text(self.period.end)}
        if self.borough:
            params["borough"] = self.borough
        return params

    def describe(self) -> str:
        """'Lambeth, the 12 months to March 2025'."""
        return f"{self.borough_name}, {self.period.describe()}"


def coverage_note(subject: str, covered: tuple[date, ...], period: Period) -> str | None:
    """A sentence when data cover only part of the period (None when they cover all of it):
    'Stop and search data cover 6 of the 12 months chosen (March 2024 to August 2024); rates
    are annualised over those 6 months.'"""
    if len(covered) >= period.months:
        return None
    if not covered:
        return f"This snapshot has no {subject} data for {period.describe()}: choose another period in the sidebar."
    span = month_label(covered[0]) if len(covered) == 1 else f"{month_label(covered[0])} to {month_label(covered[-1])}"
    gaps = " with gaps" if months_between(covered[0], covered[-1]) > len(covered) else ""
    return (
        f"{subject[0].upper()}{subject[1:]} data cover {len(covered)} of the {period.months} months chosen "
        f"({span}{gaps}); rates are annualised over those {len(covered)} months."
    )
