"""The coverage policy and the comparison rule (lib/metrics/coverage.py), against months and
wording worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from lib.filters import Period
from lib.metrics.coverage import comparison, coverage, earlier_months, missing_comparison, short_span, span_label
from lib.months import shift as add_months


def months(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01")
    out = [start]
    while out[-1] < end:
        out.append(add_months(out[-1], 1))
    return out


def period(first: str, last: str) -> Period:
    return Period(date.fromisoformat(f"{first}-01"), date.fromisoformat(f"{last}-01"))


# The real stop-and-search files: January and February 2019, November 2020, January to August 2024.
SEARCH_MONTHS = [*months("2019-01", "2019-02"), date(2020, 11, 1), *months("2024-01", "2024-08")]


def test_searches_in_the_default_window_cover_march_to_august_2024_only():
    # The case: 12 months to February 2025 chosen, searches held to August 2024.
    cover = coverage(SEARCH_MONTHS, period("2024-03", "2025-02"))
    assert cover.count == 6 and not cover.complete and not cover.gaps
    assert (cover.first, cover.last) == (date(2024, 3, 1), date(2024, 8, 1))
    assert cover.phrase() == "in the 6 months March to August 2024, the latest this snapshot holds"
    assert cover.short() == "Mar–Aug 2024"
    assert cover.csv_line() == "Months covered: March to August 2024 (6 of the 12 months chosen, Mar 2024 – Feb 2025)"
    note = cover.note("stop and search")
    assert note.startswith("Stop and search: this snapshot holds 6 of the 12 months chosen (March to August 2024")
    assert "rates are annualised over them" in note
    assert cover.note("stop and search", changes=False).endswith(
        "Counts are for those months and rates are annualised over them."
    )


def test_complete_coverage_names_the_chosen_period():
    cover = coverage(SEARCH_MONTHS, period("2024-03", "2024-08"))
    assert cover.complete and cover.count == 6
    assert cover.phrase() == "in the 6 months to August 2024"
    assert cover.note("stop and search") is None
    assert cover.csv_line() == "Months covered: March to August 2024 (6 months)"


def test_gaps_are_said_and_counted():
    # January 2019 to August 2024 is 68 months (5 × 12 + 8); the table holds 11 of them.
    cover = coverage(SEARCH_MONTHS, period("2019-01", "2024-08"))
    assert cover.count == 11 and cover.gaps
    assert cover.phrase() == "in 11 of the 68 months chosen (January 2019 to August 2024, with gaps)"


def test_wording_when_the_table_starts_late_or_holds_less_than_chosen():
    held = months("2024-03", "2024-08")
    assert coverage(held, period("2024-01", "2024-06")).phrase() == (
        "in the 4 months March to June 2024, the earliest this snapshot holds"
    )
    assert coverage(held, period("2024-01", "2024-12")).phrase() == (
        "in the 6 months March to August 2024, all this snapshot holds"
    )
    assert coverage(held, period("2024-08", "2024-12")).phrase() == "in August 2024, the latest this snapshot holds"


def test_no_months_covered_says_what_the_snapshot_holds():
    cover = coverage(months("2024-01", "2024-08"), period("2024-10", "2025-02"))
    assert cover.empty and cover.count == 0
    assert cover.empty_sentence("stop and search data") == (
        "This snapshot holds no stop and search data for the 5 months to February 2025 "
        "(it holds January to August 2024): choose another period in the sidebar."
    )


def test_span_labels():
    assert span_label(date(2024, 3, 1), date(2024, 3, 1)) == "March 2024"
    assert span_label(date(2024, 12, 1), date(2025, 2, 1)) == "December 2024 to February 2025"
    assert short_span(date(2024, 12, 1), date(2025, 2, 1)) == "Dec 2024 – Feb 2025"


# --- The comparison rule ----------------------------------------------------------------------

CRIME_MONTHS = months("2010-04", "2025-02")


def test_a_change_compares_the_same_months_a_year_earlier_not_the_months_before():
    # The case: Lambeth, December 2024 to February 2025. Overview compared with
    # September to November 2024, Violence with December 2023 to February 2024.
    cover = coverage(CRIME_MONTHS, period("2024-12", "2025-02"))
    compared = comparison(cover, CRIME_MONTHS)
    assert compared.earlier == tuple(months("2023-12", "2024-02"))
    assert compared.years == 1
    assert compared.noun() == "the same months a year earlier (December 2023 to February 2024)"


@pytest.mark.parametrize(
    ("chosen", "earlier", "years"),
    [
        (("2024-03", "2025-02"), ("2023-03", "2024-02"), 1),  # 12 months: one year back, no overlap
        (("2023-09", "2025-02"), ("2021-09", "2023-02"), 2),  # 18 months: two years back
        (("2023-03", "2025-02"), ("2021-03", "2023-02"), 2),  # 24 months
        (("2025-02", "2025-02"), ("2024-02", "2024-02"), 1),
    ],
)
def test_longer_periods_go_back_whole_years_so_the_two_never_overlap(chosen, earlier, years):
    cover = coverage(CRIME_MONTHS, period(*chosen))
    compared = comparison(cover, CRIME_MONTHS)
    assert compared.earlier == tuple(months(*earlier)) and compared.years == years
    assert compared.earlier[-1] < compared.current[0]


def test_a_partly_covered_period_compares_only_its_covered_months():
    cover = coverage(SEARCH_MONTHS, period("2024-03", "2025-02"))
    assert earlier_months(cover.months) == tuple(months("2023-03", "2023-08"))
    # The snapshot holds no searches for March to August 2023: no change is tested.
    assert comparison(cover, SEARCH_MONTHS) is None
    assert missing_comparison(cover) == (
        "the snapshot does not hold all of the same months a year earlier (March to August 2023)"
    )
    held = [*SEARCH_MONTHS, *months("2023-03", "2023-08")]
    assert comparison(cover, held).earlier == tuple(months("2023-03", "2023-08"))
