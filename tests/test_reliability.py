"""The reliability rule, ranking with uncertainty and the highest/lowest sentences
(lib/metrics/reliability.py, lib/narrative/ranking.py), against hand-worked values."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.metrics.reliability import (
    FEW_RESIDENTS,
    WIDE_INTERVAL,
    assess,
    ranks,
    relative_width,
    top_group,
)
from lib.narrative.ranking import extremes_sentence, left_out_sentence, rank_text


def test_the_citys_black_white_ratio_is_not_reliable():
    # The case: 19.7 from 10 Black and 13 White searches, interval 7.7 to 48.5.
    verdict = assess(
        counts=[10, 13], estimate=19.66, low=7.72, high=48.53, count_noun="searches of Black or White people"
    )
    assert not verdict.reliable and verdict.reason == "fewer than 20 searches of Black or White people"


@pytest.mark.parametrize(
    ("estimate", "low", "high", "residents", "reason"),
    [
        (5.0, 3.0, 7.9, None, None),  # width 4.9 / 5 = 0.98: reliable
        (5.0, 2.0, 8.0, None, WIDE_INTERVAL),  # width 6 / 5 = 1.2
        (5.0, 3.0, math.inf, None, WIDE_INTERVAL),  # unbounded above
        (5.0, 4.0, 6.0, 8_600, FEW_RESIDENTS),  # the City's 8,600 residents
        (5.0, 4.0, 6.0, 20_000, None),
        (float("nan"), 1.0, 2.0, None, "no figure"),
    ],
)
def test_width_residents_and_missing(estimate, low, high, residents, reason):
    verdict = assess(counts=[100, 100], estimate=estimate, low=low, high=high, residents=residents)
    assert verdict.reliable is (reason is None) and verdict.reason == reason


def test_relative_width():
    assert relative_width(4.0, 3.0, 5.0) == pytest.approx(0.5)
    assert relative_width(0.0, 0.0, 1.0) == math.inf
    assert relative_width(float("nan"), 1.0, 2.0) == math.inf


# Four reliable areas and one unreliable one, intervals chosen so the ranks can be read off:
#   A 10 (9 to 11), B 8 (6 to 9.5), C 5 (4.5 to 5.5), D 4 (3 to 4.6), E 100 (unreliable).
TABLE = pd.DataFrame(
    {
        "name": ["A", "B", "C", "D", "E"],
        "value": [10.0, 8.0, 5.0, 4.0, 100.0],
        "low": [9.0, 6.0, 4.5, 3.0, 1.0],
        "high": [11.0, 9.5, 5.5, 4.6, 400.0],
        "reliable": [True, True, True, True, False],
        "reason": [None, None, None, None, "fewer than 20 searches"],
    }
)


def test_ranks_and_the_ranks_each_interval_allows():
    ranked = ranks(TABLE["value"], TABLE["low"], TABLE["high"], TABLE["reliable"])
    # A: nothing wholly above it (best 1); B's interval reaches 9, A's low (worst 2).
    # B: A's low 9 is not above B's high 9.5 (best 1); only A reaches 6 (worst 2).
    # C: A and B lie wholly above 5.5 (best 3); A, B and D (4.6 ≥ 4.5) reach 4.5 (worst 4).
    # D: A and B wholly above 4.6, C (4.5) is not (best 3); A, B, C reach 3 (worst 4).
    assert ranked["rank"].tolist()[:4] == [1, 2, 3, 4]
    assert ranked["rank_best"].tolist()[:4] == [1, 1, 3, 3]
    assert ranked["rank_worst"].tolist()[:4] == [2, 2, 4, 4]
    assert ranked.loc[4].isna().all()  # E is unreliable: unranked, and ignored by the others
    lowest_first = ranks(TABLE["value"], TABLE["low"], TABLE["high"], TABLE["reliable"], descending=False)
    assert lowest_first["rank"].tolist()[:4] == [4, 3, 2, 1]
    assert lowest_first["rank_best"].tolist()[:4] == [3, 3, 1, 1]


def test_top_group_is_the_leader_and_every_interval_overlapping_it():
    assert top_group(TABLE, value="value", low="low", high="high")["name"].tolist() == ["A", "B"]
    assert top_group(TABLE, value="value", low="low", high="high", highest=False)["name"].tolist() == ["D", "C"]


def test_extremes_sentence_names_only_reliable_areas_and_who_was_left_out():
    text = extremes_sentence(TABLE, subject="The ratio", value="value", low="low", high="high", fmt="{:.1f}".format)
    assert text == (
        "The ratio was highest in A (10.0), with B (8.0) too close to tell apart; lowest in D (4.0), with C (5.0) "
        "too close to tell apart. Left out: E (fewer than 20 searches)."
    )
    assert "E (100" not in text


def test_extremes_sentence_counts_the_rest_of_a_large_group():
    many = pd.DataFrame(
        {
            "name": list("PQRST"),
            "value": [5.0, 4.9, 4.8, 4.7, 1.0],
            "low": [4.0, 4.0, 4.0, 4.0, 0.5],
            "high": [6.0, 6.0, 6.0, 6.0, 1.5],
            "reliable": True,
            "reason": None,
        }
    )
    text = extremes_sentence(
        many, subject="The rate", value="value", low="low", high="high", fmt="{:.1f}".format, area_word="borough"
    )
    assert text == (
        "The rate was highest in P (5.0), with Q (4.9), R (4.8) and 1 other borough too close to tell apart; "
        "lowest in T (1.0)."
    )


def test_nothing_reliable():
    table = TABLE.assign(reliable=False, reason="fewer than 20 offences")
    text = extremes_sentence(table, subject="The rate", value="value", low="low", high="high", fmt=str)
    assert text.startswith("No borough's figure is reliable enough to name the highest or lowest.")
    assert left_out_sentence(table) == "Left out: A, B, C, D and E (fewer than 20 offences)."


def test_rank_text():
    assert rank_text(1, 1, 1) == "1"
    assert rank_text(4, 2, 7) == "4 (2–7)"
    assert rank_text(float("nan"), float("nan"), float("nan")) is None
