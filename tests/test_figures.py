"""One function per figure (lib/metrics/counts.py, stop_search.search_figure,
survey.survey_figure) against values worked out by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from scipy import stats

from lib.boroughs import BOROUGHS
from lib.filters import Period
from lib.metrics import survey
from lib.metrics.counts import NOT_POLICED_BY_MET, area_figure, count_table
from lib.metrics.coverage import comparison, coverage
from lib.metrics.stop_search import search_figure
from lib.narrative.counts import count_headline
from lib.narrative.stop_search import search_headline
from tests.test_coverage import months

CITY, LAMBETH, KINGSTON, WESTMINSTER = "E09000001", "E09000022", "E09000021", "E09000033"
HELD = months("2023-09", "2025-02")


def _monthly() -> pd.DataFrame:
    """Every borough but the City (the Met has no figure for it): 50 offences a month, except
    Lambeth (110 a month Dec 2023-Feb 2024, 90 Sep-Nov 2024, 100 Dec 2024-Feb 2025) and
    Kingston (5 a month)."""
    rows = []
    for borough in BOROUGHS:
        if borough.gss_code == CITY:
            continue
        for month in HELD:
            count = 50
            if borough.gss_code == KINGSTON:
                count = 5
            elif borough.gss_code == LAMBETH:
                count = 110 if month <= date(2024, 2, 1) else 90 if month <= date(2024, 11, 1) else 100
            rows.append((month, borough.gss_code, count))
    return pd.DataFrame(rows, columns=["month", "gss_code", "count"])


def _residents() -> pd.Series:
    values = {b.gss_code: 200_000 for b in BOROUGHS}
    values.update({LAMBETH: 300_000, CITY: 8_600})
    return pd.Series(values)


@pytest.fixture(scope="module")
def figures():
    monthly = _monthly()
    cover = coverage(HELD, Period(date(2024, 12, 1), date(2025, 2, 1)))
    compared = comparison(cover, HELD)
    reported = set(monthly["gss_code"])
    return count_table(monthly, _residents(), cover, compared, reported), cover, compared


def _two_sided_binomial(k: int, n: int) -> float:
    probabilities = [math.comb(n, i) / 2**n for i in range(n + 1)]
    return sum(p for p in probabilities if p <= probabilities[k] * (1 + 1e-7))


def test_a_borough_count_rate_and_change_under_the_one_rule(figures):
    table, cover, compared = figures
    lambeth = area_figure(table, cover, compared, LAMBETH)
    # 3 months × 100 = 300; rate 300 × 12/3 ÷ 300,000 × 1,000 = 4.0 a year.
    assert lambeth.count == 300 and lambeth.rate == pytest.approx(4.0)
    # Compared with December 2023 to February 2024 (3 × 110 = 330), not with the three
    # months before (3 × 90 = 270, the Overview's old rule): −30/330 = −9.09%.
    assert lambeth.change.previous == 330
    assert lambeth.change.percent == pytest.approx(-9.0909, abs=1e-3)
    assert lambeth.change.p_value == pytest.approx(_two_sided_binomial(300, 630), rel=1e-6)
    # The change's interval: Clopper-Pearson on 300 of 630, as a ratio of the two counts.
    low = stats.beta.ppf(0.025, 300, 331)
    high = stats.beta.ppf(0.975, 301, 330)
    assert lambeth.change.percent_low == pytest.approx((low / (1 - low) - 1) * 100, rel=1e-6)
    assert lambeth.change.percent_high == pytest.approx((high / (1 - high) - 1) * 100, rel=1e-6)
    assert lambeth.reliability.reliable


def test_london_leaves_out_the_city_from_both_count_and_residents(figures):
    table, cover, compared = figures
    london = area_figure(table, cover, compared, None)
    # 300 + 30 × 150 + 15 (Kingston) = 4,815 offences; residents 300,000 + 31 × 200,000.
    assert london.count == 4_815
    assert london.residents == 6_500_000
    assert london.rate == pytest.approx(4_815 * 4 / 6_500_000 * 1_000)
    assert london.change.previous == 330 + 30 * 150 + 15
    assert london.left_out == ("City of London",)


def test_the_city_has_no_figure_and_says_why(figures):
    table, cover, compared = figures
    city = table.set_index("gss_code").loc[CITY]
    assert math.isnan(city["count"]) and math.isnan(city["rate"]) and math.isnan(city["previous"])
    assert city["rate_reason"] == city["count_reason"] == NOT_POLICED_BY_MET
    figure = area_figure(table, cover, compared, CITY)
    assert figure.count is None and figure.reliability.reason == NOT_POLICED_BY_MET
    assert count_headline("violence against the person", "City of London", figure) == (
        "Violence against the person in City of London: no figure (the City of London is policed by the City "
        "of London Police, so the Met's recorded crime has no figure for it)."
    )


def test_reliability_and_ranks_in_the_borough_table(figures):
    table, _, _ = figures
    rows = table.set_index("gss_code")
    # Kingston: 15 offences, shown (10 or more) but not reliable, so not ranked.
    assert not rows.at[KINGSTON, "small"]
    assert rows.at[KINGSTON, "rate_reason"] == "fewer than 20 offences"
    assert math.isnan(rows.at[KINGSTON, "rank_rate"])
    # Lambeth's rate interval (3.56 to 4.48) lies wholly above every other (at most 3.49):
    # rank 1, and no other rank is possible.
    assert rows.loc[LAMBETH, ["rank_rate", "rank_rate_best", "rank_rate_worst"]].tolist() == [1, 1, 1]
    # Thirty boroughs tie at 3.0 a year: each is 2nd, and could be anywhere from 2nd to 31st.
    assert rows.loc[WESTMINSTER, ["rank_rate", "rank_rate_best", "rank_rate_worst"]].tolist() == [2, 2, 31]


def test_headline_names_the_covered_months_and_the_comparison(figures):
    table, cover, compared = figures
    text = count_headline("violence against the person", "Lambeth", area_figure(table, cover, compared, LAMBETH))
    assert text == (
        "Violence against the person in Lambeth: 300 offences in the 3 months to February 2025, 4.0 per 1,000 "
        "residents a year, no significant change on the same months a year earlier (December 2023 to February "
        "2024) (−9%)."
    )


def test_no_change_is_given_when_the_earlier_months_are_not_held():
    monthly = _monthly()
    held = months("2024-06", "2025-02")
    cover = coverage(held, Period(date(2024, 12, 1), date(2025, 2, 1)))
    compared = comparison(cover, held)
    assert compared is None
    table = count_table(monthly[monthly["month"].isin(held)], _residents(), cover, compared, set(monthly["gss_code"]))
    figure = area_figure(table, cover, compared, LAMBETH)
    assert figure.change is None
    assert count_headline("violence", "Lambeth", figure).endswith(
        "no change is given, as the snapshot does not hold all of the same months a year earlier "
        "(December 2023 to February 2024)."
    )


# --- Stop and search ---------------------------------------------------------------------------


def _cube(rows: list[tuple[str | None, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["gss_code", "ethnic_group", "searches"])
    frame["age_range"] = "18-24"
    for column in ("with_outcome", "arrests", "nfa", "linked_recorded", "linked", "removal_recorded", "removals"):
        frame[column] = 0
    return frame


def _populations() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "gss_code": [CITY, LAMBETH],
            "All": [8_600, 317_000],
            "Asian": [1_000, 20_000],
            "Black": [250, 75_000],
            "Mixed": [350, 25_000],
            "Other": [1_000, 15_000],
            "White": [6_000, 182_000],
        }
    )


def test_search_figure_for_the_city_is_shown_but_not_reliable():
    # 10 Black and 13 White searches in the City, 5 of unknown ethnicity, in 6 covered months.
    cube = _cube([(CITY, "Black", 10), (CITY, "White", 13), (CITY, "Unknown", 5)])
    cover = coverage(months("2024-01", "2024-08"), Period(date(2024, 3, 1), date(2025, 2, 1)))
    figure = search_figure(cube, _populations(), area=CITY, cover=cover)
    # 28 searches × 12/6 ÷ 8,600 × 1,000 = 6.51 a year.
    assert figure.count == 28 and figure.rate == pytest.approx(28 * 2 / 8_600 * 1_000)
    # (10/250) ÷ (13/6,000) = 18.46.
    assert figure.ratio == pytest.approx((10 / 250) / (13 / 6_000))
    assert not figure.suppressed
    assert figure.ratio_reliability.reason == "fewer than 20 searches of Black or White people"
    assert search_headline("City of London", figure).endswith(
        "Treat this with caution: fewer than 20 searches of Black or White people."
    )


def test_search_figure_for_a_large_borough_is_reliable_and_names_its_months():
    cube = _cube([(LAMBETH, "Black", 1_002), (LAMBETH, "White", 328), (None, "White", 7)])
    cover = coverage(months("2024-01", "2024-08"), Period(date(2024, 3, 1), date(2025, 2, 1)))
    figure = search_figure(cube, _populations(), area=LAMBETH, cover=cover)
    assert figure.count == 1_330
    assert figure.ratio == pytest.approx((1_002 / 75_000) / (328 / 182_000))
    assert figure.ratio_reliability.reliable
    assert search_headline("Lambeth", figure).startswith(
        "Stop and search in Lambeth: 1,330 searches in the 6 months March to August 2024, the latest this "
        "snapshot holds, 8.4 per 1,000 residents a year."  # 1,330 × 12/6 ÷ 317,000 × 1,000
    )
    # London counts the search with no location too.
    assert search_figure(cube, _populations(), area=None, cover=cover).count == 1_337


# --- Survey ------------------------------------------------------------------------------------


def test_survey_figure_applies_the_fewer_than_50_respondents_rule():
    ends = [date(2023, 12, 31), date(2024, 12, 31)]
    frame = pd.DataFrame(
        {
            "period_end": ends * 2,
            "gss_code": [None, None, LAMBETH, LAMBETH],
            "group_type": "all",
            "group": "All",
            "proportion": [0.70, 0.66, 0.60, 0.55],
            "base": [12_000, 12_000, 400, 40],
        }
    )
    estimates = survey.with_intervals(frame)
    lambeth = survey.survey_figure(estimates, LAMBETH, date(2025, 2, 1))
    # 40 respondents: not shown (the Overview's own copy used to show 55%).
    assert lambeth.period_end == date(2024, 12, 31)
    assert lambeth.reason == "fewer than 50 respondents" and math.isnan(lambeth.proportion)
    london = survey.survey_figure(estimates, None, date(2025, 2, 1))
    assert london.proportion == pytest.approx(0.66) and london.change.previous == pytest.approx(0.70)
    # A month before any quarter end: no figure.
    assert survey.survey_figure(estimates, None, date(2023, 11, 1)) is None


@pytest.mark.parametrize(
    ("period_end", "month", "text"),
    [
        # The real survey ends December 2023; the default period ends February 2025.
        (date(2023, 12, 31), date(2025, 2, 1), "the 12 months to December 2023, the latest this snapshot holds"),
        (date(2024, 12, 31), date(2025, 2, 1), "the 12 months to December 2024"),  # no quarter end since
        (date(2024, 12, 31), date(2025, 3, 1), "the 12 months to December 2024, the latest this snapshot holds"),
        (date(2025, 3, 31), date(2025, 3, 1), "the 12 months to March 2025"),
    ],
)
def test_survey_months_named_with_the_coverage_policy(period_end, month, text):
    from lib.narrative.trust import latest_rolling_year

    assert latest_rolling_year(period_end, month) == text
