"""The shared filters (borough and period) as a value object, with their URL form.

The URL is the state: `Filters.from_query_params` turns any query string into valid
filters plus notices for what it had to ignore; `to_query_params` is its inverse, so a
copied link reopens the same view. Nothing here raises on user input.

"All London" has one spelling: `Filters.borough is None`. A chosen borough is a `Borough`
(code, name and tile position together).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from lib import months
from lib.boroughs import Borough, resolve_borough

ALL_LONDON = "london"  # the URL's word for all London
_ALL_LONDON_WORDS = ("", "all", "london", "all london")
_MARKDOWN = set("\\`*_[]<>#|~$")
MAX_QUOTED = 40


def quoted(value: object) -> str:
    """A user-supplied value quoted as given, safe to show in a notice: control and other
    invisible characters are written as escapes (`\\x00`, `\\u200b`) rather than removed,
    Markdown characters are backslash-escaped so they show literally, and anything past
    40 characters is cut with an ellipsis."""
    text = str(value)
    parts = []
    for char in text[:MAX_QUOTED]:
        if unicodedata.category(char)[0] in "CZ" and char != " ":
            parts.append(char.encode("unicode_escape").decode("ascii").replace("\\", "\\\\"))
        elif char in _MARKDOWN:
            parts.append("\\" + char)
        else:
            parts.append(char)
    return "".join(parts) + ("…" if len(text) > MAX_QUOTED else "") if text else "(empty)"


def unused_parameters_notice(names: list[str]) -> str:
    """The sentence for parameters a page dropped from its address because nothing on it
    uses them (a tracking tag, another page's control), each quoted as given."""
    listed = ", ".join(f"'{quoted(name)}'" for name in names)
    left_out = "it was" if len(names) == 1 else "they were"
    return f"This page does not use {listed} from the link, so {left_out} left out of the address."


def _values(params: Mapping[str, object], key: str) -> list[str]:
    """Every value the query string gives for `key` (a list when repeated)."""
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, list | tuple):
        return [str(v) for v in raw]
    return [str(raw)]


@dataclass(frozen=True)
class Period:
    """An inclusive range of whole months."""

    start: date
    end: date

    @property
    def months(self) -> int:
        return months.count(self.start, self.end)

    def month_list(self) -> list[date]:
        return months.span(self.start, self.end)

    def previous(self) -> Period:
        """The period of equal length immediately before this one."""
        return Period(months.shift(self.start, -self.months), months.shift(self.start, -1))

    def year_earlier(self) -> Period:
        return Period(months.shift(self.start, -12), months.shift(self.end, -12))

    def describe(self) -> str:
        """'the 12 months to March 2025' or 'March 2025'."""
        if self.months == 1:
            return months.label(self.end)
        return f"the {self.months} months to {months.label(self.end)}"

    def short(self) -> str:
        """'Apr 2024 – Mar 2025'."""
        if self.months == 1:
            return months.short(self.end)
        return f"{months.short(self.start)} – {months.short(self.end)}"


@dataclass(frozen=True)
class Filters:
    """Borough (None = all London) and period, as chosen by the user."""

    borough: Borough | None
    period: Period

    @property
    def gss_code(self) -> str | None:
        """The borough's GSS code; None for all London."""
        return self.borough.gss_code if self.borough else None

    @property
    def borough_name(self) -> str:
        """The area's name: the borough's, or "London"."""
        return self.borough.name if self.borough else "London"

    @classmethod
    def default(cls, first_month: date, last_month: date) -> Filters:
        """All London, the latest 12 months the snapshot holds (fewer if it is shorter)."""
        start = max(first_month, months.shift(last_month, -11))
        return cls(None, Period(start, last_month))

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, object], first_month: date, last_month: date
    ) -> tuple[Filters, list[str]]:
        """Valid filters from a query string (a value may be a list when the parameter is
        repeated), and a sentence for each value ignored or chosen between."""
        notices: list[str] = []
        default = cls.default(first_month, last_month)
        borough = _borough(_values(params, "borough"), notices)

        start, end = default.period.start, default.period.end
        parsed = {}
        for key in ("from", "to"):
            given = _values(params, key)
            if len(set(given)) > 1:
                values = ", ".join(f"'{quoted(value)}'" for value in given)
                notices.append(f"The link gave '{key}' {len(given)} times ({values}); the first was used.")
            raw = given[0] if given else ""
            if raw == "":
                continue
            month = months.parse(raw)
            if month is None:
                notices.append(f"'{quoted(raw)}' is not a month in the form YYYY-MM, so it was ignored.")
            else:
                parsed[key] = month
        if "to" in parsed:
            end = parsed["to"]
        if "from" in parsed:
            start = parsed["from"]
        elif "to" in parsed:
            start = months.shift(end, -(default.period.months - 1))
        if start > end:
            notices.append("The period in the link ran backwards, so its two months were swapped.")
            start, end = end, start
        clamped_start, clamped_end = max(start, first_month), min(end, last_month)
        if (clamped_start, clamped_end) != (start, end):
            notices.append(
                f"This snapshot covers {months.label(first_month)} to {months.label(last_month)}; "
                "the period was trimmed to fit."
            )
        if clamped_start > clamped_end:
            return cls(borough, default.period), notices
        return cls(borough, Period(clamped_start, clamped_end)), notices

    def to_query_params(self) -> dict[str, str]:
        """The URL form: always all three values, so a link reopens this exact view."""
        return {
            "borough": self.borough.gss_code if self.borough else ALL_LONDON,
            "from": months.text(self.period.start),
            "to": months.text(self.period.end),
        }

    def describe(self) -> str:
        """'Lambeth, the 12 months to March 2025'."""
        return f"{self.borough_name}, {self.period.describe()}"


def _borough(given: list[str], notices: list[str]) -> Borough | None:
    """The borough the link names (the first value when it names several, saying which).
    A value with a hidden (control or format) character names no borough."""
    if not given:
        return None
    raw = given[0]
    if raw.strip().lower() in _ALL_LONDON_WORDS:
        found, used = None, "all London"
    else:
        hidden = any(unicodedata.category(char)[0] == "C" for char in raw)
        found = None if hidden else resolve_borough(raw)
        used = found.name if found else "all London"
        if found is None:
            notices.append(f"The link named an unknown borough ('{quoted(raw)}'), so all London is shown.")
    if len(set(given)) > 1:
        names = ", ".join(f"'{quoted(value)}'" for value in given)
        notices.append(f"The link named {len(given)} boroughs ({names}); the first was used, so {used} is shown.")
    return found
