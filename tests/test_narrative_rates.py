"""The rates sentence that describes the stop-and-search rate chart (its alt text and its
presenter slide's answer), checked against hand-written text."""

from __future__ import annotations

import math

import pandas as pd

from lib.narrative.stop_search import rates_sentence


def _table(rows):
    return pd.DataFrame(rows, columns=["ethnic_group", "rate", "rate_low", "rate_high"])


def test_rates_highest_first_with_intervals_and_suppressed_groups_named():
    table = _table(
        [
            ("Asian", 0.56, 0.31, 0.95),
            ("Black", 1.64, 1.37, 1.96),
            ("Mixed", math.nan, math.nan, math.nan),
            ("White", 0.46, 0.37, 0.57),
            ("Unknown", math.nan, math.nan, math.nan),
        ]
    )
    assert rates_sentence(table, area_name="Lambeth") == (
        "Searches per 1,000 residents a year in Lambeth: Black 1.6 (95% interval 1.4 to 2.0); "
        "Asian 0.6 (95% interval 0.3 to 0.9); White 0.5 (95% interval 0.4 to 0.6). "
        "Mixed: fewer than 10 searches, so no rate."
    )


def test_no_rates_at_all():
    table = _table([("Black", math.nan, math.nan, math.nan)])
    assert rates_sentence(table, area_name="City of London") == (
        "There were too few searches in City of London to give any group's rate."
    )
