"""Tables as shown on screen and in CSVs: every cell text, a dash for a missing figure, and a
footnote saying why.

Streamlit's grid draws a null cell as "None" whatever a Styler's `na_rep` says, and pandas
writes NaN, NaT and <NA> in other places. `for_display` turns a frame into strings (numbers
formatted as the page wants them), so nothing but a dash can appear where a figure is missing,
and `missing_footnote` explains the dashes from the reasons the metrics give.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

DASH = "–"  # en dash
PLACEHOLDERS = ("None", "nan", "NaN", "NaT", "<NA>")

Formatter = str | Callable[[Any], str]


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT, pd.NA (and infinities, which are no figure either)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):
        return not math.isfinite(value)
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def cell_text(value: object, formatter: Formatter | None = None) -> str:
    """One cell as text: DASH when missing, else `formatter` (a format string such as
    '{:,.1f}' or a function) applied, else str()."""
    if is_missing(value):
        return DASH
    if formatter is None:
        text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    elif isinstance(formatter, str):
        text = formatter.format(value)
    else:
        text = formatter(value)
    return DASH if text in PLACEHOLDERS else text


def for_display(frame: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> pd.DataFrame:
    """`frame` with every cell as text: missing values become DASH, the columns named in
    `formats` are formatted with their format string or function, others with str()
    (integers with thousands separators). Index and column names are kept."""
    formats = formats or {}
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        formatter = formats.get(column)
        out[column] = pd.Series(
            [cell_text(_python(v), formatter) for v in frame[column].tolist()], index=frame.index, dtype=object
        )
    out.columns = frame.columns
    return out


def _python(value: object) -> object:
    """numpy scalars as Python ones, so formatting and int detection behave."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, str | bytes):
        try:
            return item()
        except (ValueError, TypeError):
            return value
    return value


def missing_footnote(reasons: Iterable[tuple[str, str]]) -> str | None:
    """'A dash (–) marks a figure that cannot be given: City of London: the City of London is
    policed by …' from (row label, reason) pairs; rows sharing a reason are listed together.
    None when there are no reasons."""
    by_reason: dict[str, list[str]] = {}
    for label, reason in reasons:
        if isinstance(reason, str) and reason:
            by_reason.setdefault(reason, []).append(str(label))
    if not by_reason:
        return None
    parts = [f"{_names(labels)}: {reason}" for reason, labels in by_reason.items()]
    return f"A dash ({DASH}) marks a figure that cannot be given. " + "; ".join(parts) + "."


def _names(labels: list[str]) -> str:
    labels = list(dict.fromkeys(labels))
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


@dataclass(frozen=True)
class DisplayTable:
    """A table ready for `st.dataframe` and CSV (all text) and the footnote for its dashes."""

    frame: pd.DataFrame
    footnote: str | None


def display_table(
    frame: pd.DataFrame,
    formats: Mapping[str, Formatter] | None = None,
    *,
    label_column: str | None = None,
    reasons: Iterable[str | None] | None = None,
    labels: Iterable[str] | None = None,
) -> DisplayTable:
    """`for_display(frame, formats)` with the footnote for rows that show a dash: `reasons`
    gives one reason (or None) per row, `label_column` (or `labels`, one per row) names the
    row in the footnote."""
    shown = for_display(frame, formats)
    pairs: list[tuple[str, str]] = []
    names = list(labels) if labels is not None else frame[label_column].tolist() if label_column else None
    if reasons is not None and names is not None:
        has_dash = (shown == DASH).any(axis=1).tolist()
        for dashed, label, reason in zip(has_dash, names, list(reasons), strict=True):
            if dashed and isinstance(reason, str):
                pairs.append((label, reason))
    return DisplayTable(shown, missing_footnote(pairs))
