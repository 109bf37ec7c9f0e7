"""The change under every headline number (`ui.change_delta`): signed and rounded, and
pointing up or down only when the change is significant, on every page that shows one."""

from __future__ import annotations

import math

import pytest

from lib import ui
from tests.apptest import run_page


@pytest.mark.parametrize(
    ("amount", "unit", "significant", "higher_is_worse", "expected"),
    [
        # A significant fall in offences: green (inverse), arrow from the ASCII minus.
        (-7.4, "%", True, True, {"delta": "-7% on a year earlier", "delta_color": "inverse", "delta_arrow": "auto"}),
        # A significant rise in trust: green (normal).
        (
            3.2,
            " points",
            True,
            False,
            {"delta": "+3 points on a year earlier", "delta_color": "normal", "delta_arrow": "auto"},
        ),
        # Within the uncertainty: grey, no arrow, sign kept.
        (14.0, "%", False, True, {"delta": "+14% on a year earlier", "delta_color": "off", "delta_arrow": "off"}),
        # Rounds to nothing and not significant: '0', never '+0' with an up arrow.
        (
            0.3,
            " points",
            False,
            False,
            {"delta": "0 points on a year earlier", "delta_color": "off", "delta_arrow": "off"},
        ),
        (-0.4, "%", False, True, {"delta": "0% on a year earlier", "delta_color": "off", "delta_arrow": "off"}),
        # Significant but under one unit (London's large counts): one decimal, so it still points.
        (-0.4, "%", True, True, {"delta": "-0.4% on a year earlier", "delta_color": "inverse", "delta_arrow": "auto"}),
    ],
)
def test_a_change_is_signed_rounded_and_points_only_when_significant(
    amount, unit, significant, higher_is_worse, expected
):
    assert ui.change_delta(amount, unit, significant=significant, higher_is_worse=higher_is_worse) == expected


@pytest.mark.parametrize("amount", [None, math.nan, math.inf])
def test_no_change_to_show_gives_no_delta(amount):
    assert ui.change_delta(amount, "%", significant=True, higher_is_worse=True) == {"delta": None}


def test_the_period_words_follow_the_comparison():
    words = ui.change_delta(-5, "%", significant=True, higher_is_worse=True, when="on March to May 2024")
    assert words["delta"] == "-5% on March to May 2024"


def test_no_card_shows_a_plus_zero_or_an_arrow_on_a_change_that_is_not_significant(app_env):
    """Overview's cards and the Trust and Harm headline cards, for a borough and London: a
    grey change has no arrow, a coloured one has, and none reads '+0'."""
    from streamlit.proto.Metric_pb2 import Metric

    seen = set()
    for page in ("pages/overview.py", "pages/trust.py", "pages/harm.py"):
        at = run_page(page, query={"borough": "newham"})
        assert not at.exception
        deltas = [m.proto for m in at.metric if m.delta]
        assert deltas, page
        for metric in deltas:
            assert not metric.delta.startswith(("+0 ", "+0%", "-0 ", "-0%")), (page, metric.label, metric.delta)
            grey = metric.color == Metric.MetricColor.GRAY
            assert grey == (metric.direction == Metric.MetricDirection.NONE), (page, metric.label, metric.delta)
            seen.add(grey)
    assert seen == {True, False}, "the demo should show both kinds of change"
