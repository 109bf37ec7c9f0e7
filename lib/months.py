"""Calendar months: the one place that parses, writes, shifts and counts them.

A month is held as the `datetime.date` of its first day (the snapshot tables' `month`
column); the arithmetic is `pandas.Period` month arithmetic. Nothing here raises on user
input except `argument`, which argparse turns into a usage message.
"""

from __future__ import annotations

import argparse
import re
from datetime import date

import pandas as pd

_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
MAX_TEXT = 80
FIRST_YEAR, LAST_YEAR = 1900, 2200


def _period(month: date) -> pd.Period:
    return pd.Period(year=month.year, month=month.month, freq="M")


def _first_day(period: pd.Period) -> date:
    return date(period.year, period.month, 1)


def parse(text: object) -> date | None:
    """`YYYY-MM` (or `YYYY-M`, spaces around allowed) -> first day of that month; None for
    anything else (2024-13, 'abc', a list)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    match = _PATTERN.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        return None
    return date(year, month, 1)


def argument(text: str) -> date:
    """`parse` for argparse `type=`: a usage error names the value and the form wanted."""
    month = parse(text)
    if month is None or text.strip() != text or not re.fullmatch(r"\d{4}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a month written as YYYY-MM, such as 2025-09")
    return month


def text(month: date) -> str:
    """'2025-03' (the URL and file-name form)."""
    return f"{month.year:04d}-{month.month:02d}"


def label(month: date) -> str:
    """'March 2025'."""
    return month.strftime("%B %Y")


def short(month: date) -> str:
    """'Mar 2025'."""
    return month.strftime("%b %Y")


def shift(month: date, n: int) -> date:
    """The month `n` months after (negative: before) `month`."""
    return _first_day(_period(month) + n)


def count(start: date, end: date) -> int:
    """Months from start to end inclusive (0 when end is before start)."""
    return max(0, (_period(end) - _period(start)).n + 1)


def span(start: date, end: date) -> list[date]:
    """Every month from start to end inclusive."""
    return [_first_day(p) for p in pd.period_range(_period(start), _period(end), freq="M")]
