"""Breaks in the series (data/reference/breaks.csv, lib/metrics/breaks.py, the warning
sentence and the chart layer), against dates and shares worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.breaks import Break, breaks_for, known_breaks, read_breaks
from lib.charts.breaks import break_layers, with_breaks
from lib.charts.vegalite import Spec
from lib.filters import Period
from lib.metrics.breaks import comparability, month_side, straddled, unallocated_shift
from lib.metrics.change import poisson_change
from lib.metrics.coverage import comparison, coverage
from lib.narrative.breaks import break_warning
from tests.test_coverage import months

CONNECT = next(b for b in known_breaks() if "CONNECT" in b.what_changed)
HELD = months("2022-01", "2025-02")


def _compared(first: str, last: str):
    start, end = date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01")
    return comparison(coverage(HELD, Period(start, end)), HELD)


def test_the_connect_break_is_kept_as_data_with_its_source():
    assert CONNECT.when == date(2024, 2, 28) and CONNECT.publisher == "Metropolitan Police Service"
    assert "01.FOI.25.042468" in CONNECT.source
    assert breaks_for("crime_monthly") == (CONNECT,) and breaks_for("stop_search") == ()


def test_read_breaks_parses_a_csv(tmp_path):
    path = tmp_path / "breaks.csv"
    path.write_text(
        "date,publisher,tables,label,what_changed,source\n"
        "2020-04-01,A Force,crime_monthly; stop_search,New rules,Rules changed,A bulletin\n",
        encoding="utf-8",
    )
    (item,) = read_breaks(path)
    assert item == Break(
        date(2020, 4, 1), "A Force", ("crime_monthly", "stop_search"), "New rules", "Rules changed", "A bulletin"
    )
    assert item.date_text == "1 April 2020"


@pytest.mark.parametrize(("month", "side"), [(date(2024, 1, 1), -1), (date(2024, 2, 1), 0), (date(2024, 3, 1), 1)])
def test_which_side_of_28_february_2024_a_month_lies(month, side):
    assert month_side(month, CONNECT.when) == side


def test_straddling():
    # December 2024 to February 2025 against December 2023 to February 2024: February 2024
    # holds the switch, so the comparison straddles it.
    assert straddled([CONNECT], [*months("2023-12", "2024-02"), *months("2024-12", "2025-02")]) == (CONNECT,)
    # March to May 2025 against March to May 2024: every month after the switch.
    assert straddled([CONNECT], [*months("2024-03", "2024-05"), *months("2025-03", "2025-05")]) == ()
    # Both sides before it.
    assert straddled([CONNECT], [*months("2022-03", "2022-05"), *months("2023-03", "2023-05")]) == ()


def _shares() -> pd.DataFrame:
    """2% of records unallocated each month to August 2024, 0.5% from September 2024."""
    rows = [(m, 20 if m < date(2024, 9, 1) else 5, 1_000) for m in HELD]
    return pd.DataFrame(rows, columns=["month", "unallocated", "recorded"])


def test_unallocated_shift_between_the_two_sides():
    shift = unallocated_shift(_shares(), _compared("2024-12", "2025-02"))
    assert (shift.earlier, shift.current) == (pytest.approx(0.02), pytest.approx(0.005))
    assert shift.points == pytest.approx(-1.5)
    # A month missing from the shares: not known.
    assert unallocated_shift(_shares().iloc[1:], _compared("2023-01", "2023-02")) is None


def test_a_borough_change_warns_of_the_break_but_not_the_shift():
    compared = _compared("2024-12", "2025-02")
    # Lambeth: 2,110 against 2,289 (−7.8%); its 95% interval is about −13.2% to −2.2%, so its
    # margin (±5.5%) is larger than the 1.5-point shift in unallocated records.
    change = poisson_change(2_110, 2_289)
    check = comparability(compared, change, [CONNECT], _shares())
    assert check.breaks == (CONNECT,)
    assert change.margin == pytest.approx(5.5, abs=0.1)
    assert not check.shift_exceeds_margin and check.warn
    assert break_warning(check) == (
        "Take care: the comparison spans a change in recording on 28 February 2024 (the Met replaced its crime "
        "recording system CRIS, used since 1995, with CONNECT), so part of the change may come from how crimes "
        "were recorded, not from crime."
    )


def test_a_london_change_warns_of_the_shift_too():
    # London: 54,552 against 58,992 (−7.5%), margin about ±1.1%, smaller than the 1.5-point shift.
    check = comparability(_compared("2024-12", "2025-02"), poisson_change(54_552, 58_992), [CONNECT], _shares())
    assert check.shift_exceeds_margin
    assert "the share of the Met's records it could not place in a borough fell from 2.0% to 0.5%" in break_warning(
        check
    )
    assert "margin of error (±1.1%)" in break_warning(check)


def test_no_warning_when_nothing_moved():
    check = comparability(_compared("2023-10", "2023-11"), poisson_change(100, 100), [CONNECT], _shares())
    assert not check.warn and break_warning(check) is None
    assert comparability(None, None, [CONNECT]) is None


def test_chart_layers_mark_breaks_inside_the_charts_months_only():
    rule, label = break_layers([CONNECT], first=date(2023, 3, 1), last=date(2025, 2, 1))
    assert rule["mark"]["type"] == "rule" and rule["data"]["values"][0]["when"] == "2024-02-28"
    assert label["encoding"]["text"]["field"] == "label"
    assert label["data"]["values"][0]["label"] == "Met: CONNECT replaces CRIS"
    # Half way along March 2023 to February 2025: labelled to the rule's right. On a chart from
    # January 2022, 70% of the way along: labelled to its left, so the label stays inside.
    assert label["mark"]["align"] == "left" and label["mark"]["dx"] == 4
    (_, late) = break_layers([CONNECT], first=date(2022, 1, 1), last=date(2025, 2, 1))
    assert late["mark"]["align"] == "right" and late["mark"]["dx"] == -4
    assert break_layers([CONNECT], first=date(2024, 3, 1), last=date(2025, 2, 1)) == []
    spec = with_breaks(Spec({"layer": [{"mark": "line"}]}), [CONNECT], first=date(2023, 3, 1), last=date(2025, 2, 1))
    assert isinstance(spec, Spec) and [
        layer["mark"] if isinstance(layer["mark"], str) else layer["mark"]["type"] for layer in spec["layer"]
    ] == ["line", "rule", "text"]


def test_a_trend_chart_with_its_break_is_valid_vega_lite():
    from lib.charts.common import screen_spec
    from lib.charts.vegalite import check_spec
    from lib.charts.violence import trend_chart

    trend = pd.DataFrame({"month": HELD, "value": 10.0, "rolling": 10.0, "year_earlier": 9.0})
    chart = trend_chart(trend, title="Trend", y_title="Offences", period=Period(date(2024, 3, 1), date(2025, 2, 1)))
    spec = with_breaks(chart, [CONNECT], first=HELD[0], last=HELD[-1])
    assert len(spec["layer"]) == len(chart["layer"]) + 2
    check_spec(screen_spec(spec))
