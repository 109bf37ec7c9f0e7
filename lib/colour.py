"""Colour scales shared by the pydeck maps and the Altair charts, so a colour means the
same value everywhere. Palettes are ColorBrewer schemes marked colour-blind safe."""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np

# ColorBrewer YlOrRd, 6 classes: light = low, dark red = high.
SEQUENTIAL = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
# ColorBrewer RdBu, 7 classes, for changes: blue = fall, red = rise, grey-white = none.
DIVERGING = ("#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b")
NO_DATA = "#d9d9d9"
SELECTED_OUTLINE = "#111111"
LONDON_COLOUR = "#555555"
BOROUGH_COLOUR = "#1d4e89"
# Okabe-Ito, for categories (up to 8 series).
CATEGORICAL = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Hot-spot outlines on the hexagon/LSOA maps and their legend.
HOT_95_COLOUR = "#0072B2"  # Okabe-Ito blue: stands out on yellow-to-red fills
HOT_99_COLOUR = "#000000"


def hex_to_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)]


def _nice(value: float) -> float:
    """Round a break to 2 significant figures so the legend reads cleanly."""
    if value == 0 or not math.isfinite(value):
        return value
    digits = 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def _precise_enough(fmt: str, edges: list[float]) -> str:
    """`fmt` with as many decimals as the breaks need to read as distinct numbers.

    Small rates (knife crime per 1,000 residents in a quiet borough) give breaks such as
    0.06, 0.08 and 0.12; at one decimal the legend said "0.1 to 0.1", and Vega-Lite merged
    the repeated labels, so the colours slid one class out of step with the map."""
    decimals = re.search(r"\.(\d+)f", fmt)
    if decimals is None or len({fmt.format(e) for e in edges}) == len(edges):
        return fmt
    candidate = fmt
    for places in range(int(decimals.group(1)) + 1, 7):
        candidate = fmt.replace(decimals.group(0), f".{places}f")
        if len({candidate.format(e) for e in edges}) == len(edges):
            return candidate
    return candidate


@dataclass(frozen=True)
class ClassScale:
    """Values binned at `breaks` (upper bounds of all but the last class) into `colours`."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        if value is None or not math.isfinite(value):
            return NO_DATA
        return self.colours[int(np.searchsorted(self.breaks, value, side="right"))]

    def labels(self, fmt: str = "{:,.1f}") -> list[str]:
        """Legend labels: 'under 5.0', '5.0 to 10.0', …, '25.0 and over'."""
        if not self.breaks:
            return ["all values"]
        edges = list(self.breaks)
        fmt = _precise_enough(fmt, edges)
        labels = [f"under {fmt.format(edges[0])}"]
        labels += [f"{fmt.format(a)} to {fmt.format(b)}" for a, b in itertools.pairwise(edges)]
        labels.append(f"{fmt.format(edges[-1])} and over")
        return labels


def quantile_scale(values, colours: tuple[str, ...] = SEQUENTIAL) -> ClassScale:
    """Classes with about equal numbers of boroughs (or cells) in each, breaks rounded."""
    finite = np.asarray([v for v in values if v is not None and math.isfinite(v)], dtype=float)
    if finite.size == 0 or np.ptp(finite) == 0:
        return ClassScale((), colours[-1:])
    qs = np.quantile(finite, np.linspace(0, 1, len(colours) + 1)[1:-1])
    breaks = tuple(dict.fromkeys(float(_nice(q)) for q in qs if finite.min() < q <= finite.max()))
    return ClassScale(breaks, colours[: len(breaks) + 1])


def diverging_scale(limit: float, colours: tuple[str, ...] = DIVERGING) -> ClassScale:
    """Symmetric classes around zero for changes, out to ±limit."""
    limit = _nice(abs(limit)) or 1.0
    step = limit / 3
    breaks = tuple(_nice(b) for b in (-2.5 * step, -1.5 * step, -0.5 * step, 0.5 * step, 1.5 * step, 2.5 * step))
    return ClassScale(breaks, colours)
