"""Number formatting and phrases every sentence shares."""

from __future__ import annotations

import math

from lib.metrics.change import CountChange
from lib.metrics.proportions import ProportionChange


def count_text(n: float) -> str:
    """8412 -> '8,412'."""
    return f"{round(n):,}"


def rate_text(rate: float) -> str:
    """One decimal place, as rates are published: 31.24 -> '31.2'."""
    return "no data" if rate is None or not math.isfinite(rate) else f"{rate:,.1f}"


def percent_text(proportion: float) -> str:
    """A survey proportion as a whole percentage: 0.687 -> '69%'."""
    return f"{proportion * 100:.0f}%"


def ratio_text(ratio: float) -> str:
    """3.42 -> '3.4'."""
    return "no data" if ratio is None or not math.isfinite(ratio) else f"{ratio:.1f}"


def signed(value: float) -> str:
    """A whole number with its sign, the minus typographic: 6.4 -> '+6', -3 -> '−3', 0.2 -> '0'."""
    rounded = round(value)
    if rounded == 0:
        return "0"
    return f"+{rounded}" if rounded > 0 else f"−{abs(rounded)}"


def count_change_phrase(change: CountChange, *, noun: str = "the period before") -> str:
    """'down 6% on the year before (a significant fall)' or 'no significant change on …'."""
    if change.previous == 0:
        return f"none were recorded in {noun}"
    pct = abs(change.percent)
    if change.direction == "down":
        return f"down {pct:.0f}% on {noun} (a significant fall)"
    if change.direction == "up":
        return f"up {pct:.0f}% on {noun} (a significant rise)"
    return f"no significant change on {noun} ({signed(change.percent)}%)"


def proportion_change_phrase(change: ProportionChange, *, noun: str = "a year earlier") -> str:
    """'up 3 points on a year earlier (significant)' or 'no significant change on …'."""
    points = abs(change.points)
    if change.direction == "no significant change":
        return f"no significant change on {noun} ({signed(change.points)} points)"
    word = "up" if change.direction == "up" else "down"
    return f"{word} {points:.0f} points on {noun} (a significant change)"
