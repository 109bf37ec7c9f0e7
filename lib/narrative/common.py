"""Phrases every sentence shares (number formats live in lib.formatting, re-exported here)."""

from __future__ import annotations

from lib.formatting import count_text as count_text
from lib.formatting import percent_text as percent_text
from lib.formatting import rate_text as rate_text
from lib.formatting import ratio_text as ratio_text
from lib.formatting import signed
from lib.metrics.change import CountChange
from lib.metrics.proportions import ProportionChange


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
