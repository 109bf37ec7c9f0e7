"""Vega-Lite specs written directly, for the charts drawn on every page view.

A measured exception to "prefer the kept library": building an Altair chart costs 40–90 ms
on this machine (object copies and schema checks), several times the cost of the page's
queries. The per-borough charts are therefore written as plain Vega-Lite dictionaries, which
cost well under a millisecond; they have the same shape as Altair's output (`data` named
into `datasets`, `layer`, `encoding`), so they are tested, validated against the Vega-Lite
schema Altair ships (`Spec.to_dict(validate=True)`) and drawn the same way.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

import jsonschema
import pandas as pd
from altair.vegalite.v6.schema.core import load_schema


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def check_spec(spec: dict) -> None:
    """Raise `jsonschema.ValidationError` (the deepest, most specific error) unless `spec`
    is a valid Vega-Lite spec for the schema version Altair ships."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(spec))
    if error is not None:
        raise error


class Spec(dict):
    """A finished Vega-Lite spec that answers `to_dict()` like an Altair chart: a copy,
    checked against the Vega-Lite schema unless `validate=False` (as Altair does)."""

    def to_dict(self, validate: bool = True, **_: Any) -> dict:
        spec = copy.deepcopy(dict(self))
        if validate:
            check_spec(spec)
        return spec


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-safe dicts (missing values become null, dates ISO strings)."""
    return json.loads(frame.to_json(orient="records", date_format="iso"))


def tooltip(*fields: tuple[str, str, str] | tuple[str, str, str, str]) -> list[dict]:
    """[(field, type, title[, format]), …] as Vega-Lite tooltip channel definitions."""
    return [{"field": f[0], "type": f[1], "title": f[2], **({"format": f[3]} if len(f) > 3 else {})} for f in fields]


def layered(
    values: list[dict],
    layers: list[dict],
    *,
    title: str,
    height: Any,
    extra: dict[str, list[dict]] | None = None,
    autosize: dict | None = None,
) -> Spec:
    """Layers over one named dataset (`main`); a layer may name another in `extra`."""
    spec = Spec(
        {
            "data": {"name": "main"},
            "datasets": {"main": values, **(extra or {})},
            "layer": layers,
            "title": title,
            "height": height,
        }
    )
    if autosize:
        spec["autosize"] = autosize
    return spec


# Streamlit asks Vega-Lite to fit a chart to its box in both directions unless the spec says
# otherwise; a chart whose height grows with its rows fits only its width.
FIT_WIDTH = {"type": "fit-x", "contains": "padding"}


def rows_height(step: float, rows: float) -> float:
    """The plot height of a chart with `rows` bands of `step` pixels. Written as a number, not
    as Vega-Lite's {"step": n}: Vega-Lite warns that it drops any fit (even fit-x) on a
    chart sized in steps, and the browser console must stay clean."""
    return step * max(rows, 1)
