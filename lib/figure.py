"""What every chart and map on screen is: a `Figure`, drawn by `ui.draw`.

Chart, map and narrative code builds Figures from DataFrames and values (never from a
`Store`); `ui.draw` is the only code that puts one on screen, so anything every figure
needs (alt text, export, "show as table") is added there once. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True, eq=False)
class Figure:
    """One chart (`spec`, a Vega-Lite dict) or map (`deck`, a pydeck Deck).

    key: stable slug, unique on its page (used for widget keys and export file names).
    title: what it shows, in words (export title).
    data: the table behind it (what a CSV export or "show as table" gives).
    sentence: plain-English description of what it shows, used as alt text.
    source: the source line (publisher, period, unit).
    height: pixels, or None for the spec's own height.
    width: "stretch" (the column's width) or "content" (the spec's own width).
    static: for a map, its Vega-Lite twin (same classes and colours, legend included): what
        PNG/SVG exports and presenter slides draw. May be a function that builds it, so a
        page view that neither exports nor presents the map does not pay for it.
    legend: a legend drawn beside a map: shown with that map, never exported or given a
        slide of its own.
    """

    key: str
    title: str
    spec: dict | None = None
    deck: Any = None
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    sentence: str = ""
    source: str = ""
    height: int | None = None
    width: str = "stretch"
    static: dict | Callable[[], dict] | None = None
    legend: bool = False

    def __post_init__(self) -> None:
        if (self.spec is None) == (self.deck is None):
            raise ValueError(f"Figure {self.key!r} needs exactly one of spec and deck.")

    @property
    def is_map(self) -> bool:
        return self.deck is not None

    @property
    def has_drawing(self) -> bool:
        """Whether exports and slides can draw it as Vega-Lite (a chart, or a map with a twin)."""
        return self.deck is None or self.static is not None

    @property
    def drawing(self) -> dict | None:
        """The Vega-Lite spec that exports and slides draw: the chart's own, or a map's twin."""
        if self.deck is None:
            return self.spec
        return self.static() if callable(self.static) else self.static
