"""Vega-Lite specs written directly, for the charts drawn on every page view.

Building an Altair chart costs 40–90 ms on this machine (object copies and schema checks),
several times the cost of the page's queries. The per-borough charts are therefore written as
plain Vega-Lite dictionaries, which cost well under a millisecond; they have the same shape
as Altair's output (`data` named into `datasets`, `layer`, `encoding`), so they are tested and
drawn the same way.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pandas as pd


class Spec(dict):
    """A finished Vega-Lite spec that answers `to_dict()` like an Altair chart."""

    def to_dict(self, validate: bool = True, **_: Any) -> dict:
        return copy.deepcopy(dict(self))


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (missing values become null, dates ISO strings)."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def tooltip(*fields: tuple[str, str, str] | tuple[str, str, str, str]) -> list[dict]:
    """[(field, type, title[, format]), …] as Vega-Lite tooltip channel definitions."""
    return [{"field": f[0], "type": f[1], "title": f[2], **({"format": f[3]} if len(f) > 3 else {})} for f in fields]


def layered(
    values: list[dict], layers: list[dict], *, title: str, height: Any, extra: dict[str, list[dict]] | None = None
) -> Spec:
    """Layers over one named dataset (`main`); a layer may name another in `extra`."""
    return Spec(
        {
            "data": {"name": "main"},
            "datasets": {"main": values, **(extra or {})},
            "layer": layers,
            "title": title,
            "height": height,
        }
    )
