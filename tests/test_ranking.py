"""A place among boroughs with the range its 95% interval allows, worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from lib.metrics.ranking import RankRange, rank_range
from lib.narrative.ranking import ordinal, rank_sentence

# Five areas, highest first. C's interval (5-9) overlaps B's (6-10) and D's (4-6.5), lies
# wholly below A's (12-16) and wholly above E's (0.5-3).
TABLE = pd.DataFrame(
    {
        "gss_code": ["A", "B", "C", "D", "E", "F"],
        "value": [14.0, 8.0, 7.0, 5.0, 1.0, None],
        "low": [12.0, 6.0, 5.0, 4.0, 0.5, None],
        "high": [16.0, 10.0, 9.0, 6.5, 3.0, None],
    }
)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("A", RankRange(1, 1, 1, 5)),  # every other interval lies below A's
        ("B", RankRange(2, 2, 4, 5)),  # A surely above; C and D overlap; E surely below
        ("C", RankRange(3, 2, 4, 5)),  # A above; B and D overlap; E below
        ("D", RankRange(4, 2, 4, 5)),  # A above; B and C overlap (B's low 6 < D's high 6.5); E below
        ("E", RankRange(5, 5, 5, 5)),
        ("F", None),  # no value: not ranked
        ("Z", None),
    ],
)
def test_rank_range_by_hand(key, expected):
    assert rank_range(TABLE, key) == expected


def test_ties_share_the_better_place():
    tied = pd.DataFrame({"gss_code": ["A", "B"], "value": [5.0, 5.0], "low": [4.0, 4.0], "high": [6.0, 6.0]})
    assert rank_range(tied, "B") == RankRange(1, 1, 2, 2)


@pytest.mark.parametrize(("n", "text"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (22, "22nd")])
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_rank_sentences():
    assert rank_sentence("Lambeth", RankRange(3, 2, 4, 5), what="rate of robbery") == (
        "Lambeth has the 3rd highest rate of robbery of 5 boroughs; allowing for the uncertainty in each figure "
        "(95% intervals), its place could be anywhere from 2nd to 4th."
    )
    assert rank_sentence("Sutton", RankRange(1, 1, 1, 5), what="rate").startswith("Sutton has the highest rate of 5")
    assert rank_sentence("City of London", None, what="rate") == "City of London has no figure to rank among boroughs."
