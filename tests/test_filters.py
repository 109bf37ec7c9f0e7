from __future__ import annotations

from datetime import date

import pytest

from lib.boroughs import BY_CODE
from lib.filters import Filters, Period
from lib.months import count as months_between
from lib.months import parse as parse_month
from lib.months import shift as add_months

FIRST, LAST = date(2022, 10, 1), date(2025, 9, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03", date(2024, 3, 1)),
        ("2024-3", date(2024, 3, 1)),
        (" 2024-12 ", date(2024, 12, 1)),
        ("2024-13", None),
        ("2024-00", None),
        ("24-03", None),
        ("2024-03-01", None),
        ("'; DROP TABLE stop_search; --", None),
        ("", None),
        (None, None),
        (["2024-03"], None),
    ],
)
def test_parse_month(text, expected):
    assert parse_month(text) == expected


def test_month_arithmetic():
    assert add_months(date(2024, 11, 1), 3) == date(2025, 2, 1)
    assert add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert months_between(date(2024, 4, 1), date(2025, 3, 1)) == 12


def test_period_previous_and_descriptions():
    period = Period(date(2024, 10, 1), date(2025, 9, 1))
    assert period.months == 12
    assert period.previous() == Period(date(2023, 10, 1), date(2024, 9, 1))
    assert period.year_earlier() == Period(date(2023, 10, 1), date(2024, 9, 1))
    assert period.describe() == "the 12 months to September 2025"
    assert Period(date(2025, 3, 1), date(2025, 3, 1)).describe() == "March 2025"
    assert Period(date(2025, 1, 1), date(2025, 3, 1)).previous() == Period(date(2024, 10, 1), date(2024, 12, 1))


def test_default_is_latest_twelve_months_all_london():
    filters = Filters.default(FIRST, LAST)
    assert filters == Filters(None, Period(date(2024, 10, 1), LAST))
    assert filters.borough_name == "London" and filters.gss_code is None
    short = Filters.default(date(2025, 4, 1), LAST)
    assert short.period == Period(date(2025, 4, 1), LAST)


@pytest.mark.parametrize(
    ("params", "borough", "start", "end", "notices"),
    [
        ({}, None, date(2024, 10, 1), LAST, 0),
        ({"borough": "lambeth"}, "E09000022", date(2024, 10, 1), LAST, 0),
        ({"borough": "E09000022"}, "E09000022", date(2024, 10, 1), LAST, 0),
        ({"borough": "e09000022"}, "E09000022", date(2024, 10, 1), LAST, 0),
        ({"borough": "City of Westminster"}, "E09000033", date(2024, 10, 1), LAST, 0),
        ({"borough": "Barking & Dagenham"}, "E09000002", date(2024, 10, 1), LAST, 0),
        ({"borough": "Atlantis"}, None, date(2024, 10, 1), LAST, 1),
        ({"borough": "<script>alert(1)</script>"}, None, date(2024, 10, 1), LAST, 1),
        ({"from": "2024-01", "to": "2024-06"}, None, date(2024, 1, 1), date(2024, 6, 1), 0),
        ({"from": "2024-06", "to": "2024-01"}, None, date(2024, 1, 1), date(2024, 6, 1), 1),
        ({"from": "2024-13", "to": "2024-06"}, None, date(2023, 7, 1), date(2024, 6, 1), 1),
        ({"to": "2024-06"}, None, date(2023, 7, 1), date(2024, 6, 1), 0),
        ({"from": "1999-01", "to": "2030-01"}, None, FIRST, LAST, 1),
        ({"from": "2031-01", "to": "2032-01"}, None, date(2024, 10, 1), LAST, 1),
        ({"from": "1' OR '1'='1"}, None, date(2024, 10, 1), LAST, 1),
    ],
)
def test_from_query_params(params, borough, start, end, notices):
    filters, messages = Filters.from_query_params(params, FIRST, LAST)
    assert filters.gss_code == borough
    assert (filters.period.start, filters.period.end) == (start, end)
    assert len(messages) == notices


def test_notice_quotes_input_without_markup():
    _, messages = Filters.from_query_params({"borough": "<b>x</b>"}, FIRST, LAST)
    assert "('\\<b\\>x\\</b\\>')" in messages[0] and "unknown borough" in messages[0]


def test_round_trip_through_query_params():
    filters = Filters(BY_CODE["E09000022"], Period(date(2024, 1, 1), date(2024, 12, 1)))
    params = filters.to_query_params()
    assert params == {"from": "2024-01", "to": "2024-12", "borough": "E09000022"}
    assert Filters.from_query_params(params, FIRST, LAST) == (filters, [])
    assert filters.describe() == "Lambeth, the 12 months to December 2024"
