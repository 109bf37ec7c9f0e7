"""Small vectorised helpers shared by the demo generators: calendars, sampling, dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def month_starts(end: str, months: int) -> pd.DatetimeIndex:
    """First days of the `months` calendar months ending with `end` ("YYYY-MM"), oldest first."""
    return pd.period_range(end=pd.Period(end, freq="M"), periods=months, freq="M").to_timestamp()


def as_date(values: np.ndarray | pd.DatetimeIndex) -> pd.Series:
    """A date (Arrow date32) column from datetime64 values: Parquet then stores a DATE."""
    days = np.asarray(values, dtype="datetime64[D]")
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(days, type=pa.date32())))


def normalised(weights: np.ndarray, axis: int = -1) -> np.ndarray:
    """Weights scaled to sum to 1 along `axis`."""
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum(axis=axis, keepdims=True)


def cumulative(probabilities: np.ndarray) -> np.ndarray:
    """Row-wise CDFs whose last value is exactly 1 (so a uniform draw never falls off the end)."""
    cdf = np.cumsum(normalised(probabilities), axis=-1)
    cdf[..., -1] = 1.0
    return cdf


def draw(rng: np.random.Generator, labels: dict[str | None, float], size: int) -> np.ndarray:
    """`size` labels drawn with the given relative weights (an object array; None stays None)."""
    choices = np.array(list(labels), dtype=object)
    return choices[rng.choice(len(choices), size=size, p=normalised(list(labels.values())))]


def draw_conditional(rng: np.random.Generator, probabilities: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each element of `rows`, a column index drawn from that row of the `probabilities`
    matrix (each row a distribution over the same columns)."""
    return draw_from_blocks(rng, list(cumulative(probabilities)), rows)


def draw_from_blocks(rng: np.random.Generator, block_cdfs: list[np.ndarray], blocks: np.ndarray) -> np.ndarray:
    """For each element of `blocks`, an index into that block's distribution (given as a CDF).

    All blocks are laid end to end as block_number + cdf, so one searchsorted call serves
    millions of draws from hundreds of different distributions.
    """
    starts = np.concatenate([[0], np.cumsum([len(c) for c in block_cdfs])])
    laid = np.concatenate([k + c for k, c in enumerate(block_cdfs)])
    position = np.searchsorted(laid, blocks + rng.random(len(blocks)), side="right")
    return position - starts[blocks]
