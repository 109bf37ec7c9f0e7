"""How numbers are written everywhere: in sentences, chart labels, tooltips and tables.

The bottom of the layers (no project imports), so charts, maps and narrative share one
spelling of every figure without importing each other.
"""

from __future__ import annotations

import math
import textwrap


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


def change_text(direction: str | None, percent: float) -> str:
    """Short change wording for tables and tooltips: 'down 6% (significant)', '+2% (not significant)'."""
    if direction is None or not math.isfinite(percent):
        return "not available"
    if direction == "no significant change":
        return f"{signed(percent)}% (not significant)"
    return f"{direction} {abs(percent):.0f}% (significant)"


def wrapped(text: str, width_px: float, font_size: float) -> list[str]:
    """`text` broken into lines that fit `width_px` at `font_size` px, by an average glyph
    width of half the font size (sans-serif, mixed case): for chart titles and image
    footers, which Vega does not wrap itself."""
    columns = max(20, int(width_px / (font_size * 0.5)))
    return textwrap.wrap(text, columns) or [""]
