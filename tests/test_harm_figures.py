"""Harm and justice figures, sentences and charts on a snapshot built from our fixtures
(tests/harm_fixtures.py), against values worked out by hand from the fixture tables.

The period is March to May 2024 (3 months), compared with March to May 2023. In the
fixtures Lambeth records 30 knife crimes a month in 2023 and 24 in 2024, with 4 and 3
positive outcomes; Westminster 20 then 25 (2 outcomes a month); Southwark 5 (1 outcome).
Lambeth's fixture population is 12,916 residents.
"""

from __future__ import annotations

import math
from datetime import date
from math import comb

import pandas as pd
import pytest

from lib.boroughs import GSS_CODES
from lib.charts import harm as charts
from lib.charts.vegalite import check_spec
from lib.contract import open_snapshot
from lib.filters import Period
from lib.metrics import harm as hm
from lib.narrative import harm as say
from lib.pipeline.build import build_snapshot
from lib.queries import harm as hq
from lib.queries.common import populations
from lib.store import Store
from tests.harm_fixtures import HAND, LAMBETH, SOUTHWARK, WESTMINSTER, source_folder

PERIOD = Period(date(2024, 3, 1), date(2024, 5, 1))
Z = 1.959963984540054


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("harm-figures")
    build_snapshot(source_folder(folder / "source"), folder / "snapshot", progress=False)
    return Store(open_snapshot(folder / "snapshot"))


@pytest.fixture(scope="module")
def residents(store) -> pd.Series:
    return populations(store).set_index("gss_code")["All"]


def _topic(store, subgroup: str) -> hm.Topic:
    return next(t for t in hm.topics(hq.subgroups(store)) if t.subgroup == subgroup)


def _table(store, residents, subgroup: str, period: Period = PERIOD) -> pd.DataFrame:
    topic = _topic(store, subgroup)
    return hm.borough_table(hq.monthly_counts(store, group=topic.group, subgroup=topic.subgroup), period, residents)


def _exact_p(current: int, previous: int) -> float:
    """Two-sided exact test of equal Poisson rates, by hand: conditional on the total the
    current count is Binomial(total, 1/2), symmetric, so p = 2 × P(X <= min)."""
    total, low = current + previous, min(current, previous)
    return min(1.0, 2 * sum(comb(total, k) for k in range(low + 1)) / 2**total)


def _wilson(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    return centre - half, centre + half


def test_topics_in_vocabulary_order(store):
    topics = hm.topics(hq.subgroups(store))
    assert [t.subgroup for t in topics] == [
        "Knife Crime",
        "Knife Crime with Injury",
        "Knife Injury Victims (1-24)",
        "Gun Crime",
        "Domestic Abuse",
        "Hate Crime",
        "Antisemitic Hate Crime",
        "Total Notifiable Offences",
    ]
    knife = topics[0]
    assert knife.has_outcomes and knife.key == "knife-crime" and knife.unit == "offences"
    victims = topics[2]
    assert not victims.has_outcomes and victims.counts_people and victims.unit == "victims"


def test_zero_filled_for_every_borough_the_met_polices(store):
    monthly = hq.monthly_counts(store, group="Knife Crime", subgroup="Knife Crime")
    assert monthly["gss_code"].nunique() == 32 and "E09000001" not in set(monthly["gss_code"])
    assert monthly["month"].nunique() == 15
    assert int(monthly.loc[monthly["gss_code"] == "E09000002", "offences"].sum()) == 0


def test_lambeth_knife_crime_count_rate_and_change(store, residents):
    table = _table(store, residents, "Knife Crime")
    lambeth = hm.area_figures(table, PERIOD.months, LAMBETH, with_outcomes=True)
    assert residents[LAMBETH] == HAND["lambeth_residents"] == 12_916
    assert lambeth.offences.count == HAND["lambeth_knife_now"] == 72
    assert lambeth.offences.change.previous == HAND["lambeth_knife_before"] == 90
    assert lambeth.offences.rate == pytest.approx(72 * (12 / 3) / 12_916 * 1000)  # 22.30 a year
    assert lambeth.offences.change.percent == pytest.approx(-20.0)
    assert lambeth.offences.change.p_value == pytest.approx(_exact_p(72, 90))
    assert lambeth.offences.change.direction == "no significant change"  # p = 0.18
    assert say.headline(_topic(store, "Knife Crime"), "Lambeth", lambeth, PERIOD) == (
        "Knife Crime in Lambeth: 72 offences in the 3 months to May 2024, 22.3 per 1,000 residents per year, "
        "no significant change on the same months a year earlier (−20%)."
    )


def test_london_is_the_boroughs_summed_without_team_rows(store, residents):
    table = _table(store, residents, "Knife Crime")
    london = hm.area_figures(table, PERIOD.months, None, with_outcomes=True)
    assert london.offences.count == HAND["london_knife_now"] == 162
    assert london.offences.change.previous == HAND["london_knife_before"] == 165
    assert london.offences.residents == residents.drop("E09000001").sum()
    assert london.outcomes.outcomes == 3 * (3 + 2 + 1) and london.outcomes.rate == pytest.approx(18 / 162)


def test_positive_outcome_rate_with_wilson_interval(store, residents):
    table = _table(store, residents, "Knife Crime").set_index("gss_code")
    low, high = _wilson(9, 72)  # Lambeth: 9 outcomes recorded against 72 offences
    assert table.at[LAMBETH, "outcomes"] == HAND["lambeth_knife_outcomes_now"] == 9
    assert table.at[LAMBETH, "outcome_rate"] == pytest.approx(0.125)
    assert (table.at[LAMBETH, "outcome_low"], table.at[LAMBETH, "outcome_high"]) == pytest.approx((low, high))
    assert (round(low, 4), round(high, 4)) == (0.0672, 0.2208)
    # Reliability: Lambeth's interval is 15.4 points wide (over 15); Westminster's 6 of 75
    # is narrow enough; Southwark's 15 offences are too few.
    assert not table.at[LAMBETH, "outcome_reliable"]
    assert table.at[WESTMINSTER, "outcome_reliable"] and table.at[WESTMINSTER, "rank_outcome"] == 1
    assert not table.at[SOUTHWARK, "outcome_reliable"]
    sentence = say.outcome_sentence(_topic(store, "Knife Crime"), "Lambeth", hm.outcome_rate(9, 72), PERIOD)
    assert sentence == (
        "In Lambeth, 9 positive outcomes were recorded in the 3 months to May 2024, against 72 knife crime offences "
        "recorded in the same months: 12.5% (95% interval 6.7% to 22.1%). Too few offences, or too wide an "
        "interval, to compare with other boroughs."
    )


def test_total_notifiable_offences_and_their_outcome_rate(store, residents):
    table = _table(store, residents, "Total Notifiable Offences")
    lambeth = hm.area_figures(table, PERIOD.months, LAMBETH, with_outcomes=True)
    assert lambeth.offences.count == HAND["lambeth_tno_now"] == 3300
    assert lambeth.outcomes.outcomes == HAND["lambeth_tno_outcomes_now"] == 150
    assert lambeth.outcomes.rate == pytest.approx(150 / 3300)
    assert lambeth.outcomes.reliable


def test_domestic_abuse_change_straddles_the_recording_break(store, residents):
    topic = _topic(store, "Domestic Abuse")
    table = _table(store, residents, "Domestic Abuse")
    london = hm.area_figures(table, PERIOD.months, None, with_outcomes=True)
    assert london.offences.count == HAND["london_domestic_now"] == 1560
    assert london.outcomes.outcomes == HAND["london_domestic_outcomes_now"] == 165
    assert hm.straddles_break(topic.group, PERIOD)
    assert "not comparable" in say.break_warning(topic, PERIOD)
    assert say.break_warning(_topic(store, "Knife Crime"), PERIOD) is None
    later = Period(date(2025, 4, 1), date(2025, 5, 1))  # both periods after March 2024
    assert not hm.straddles_break(topic.group, later)


def test_knife_injury_victims_headline(store, residents):
    table = _table(store, residents, "Knife Injury Victims (1-24)")
    lambeth = hm.area_figures(table, PERIOD.months, LAMBETH, with_outcomes=False)
    assert (lambeth.offences.count, lambeth.offences.change.previous) == (12, 15)
    assert lambeth.outcomes is None
    assert say.victims_sentence("Lambeth", lambeth.offences, PERIOD) == (
        "Victims aged 1 to 24 injured by a knife in Lambeth: 12 in the 3 months to May 2024, no significant change "
        "on the same months a year earlier (−20%)."
    )
    london = hm.area_figures(table, PERIOD.months, None, with_outcomes=False)
    assert london.offences.count == 15 and london.offences.small is False
    westminster = hm.area_figures(table, PERIOD.months, WESTMINSTER, with_outcomes=False)
    assert "fewer than 10" in say.victims_sentence("Westminster", westminster.offences, PERIOD)


def test_outcome_trend_uses_twelve_month_sums(store):
    monthly = hq.monthly_counts(store, group="Knife Crime", subgroup="Knife Crime")
    trend = hm.outcome_trend(hm.area_rows(monthly, LAMBETH)).set_index("month")
    # 12 months to May 2024: June-December 2023 (7 x 30 offences, 7 x 4 outcomes) and
    # January-May 2024 (5 x 24, 5 x 3) = 43 of 330.
    assert trend.at[date(2024, 5, 1), "rolling"] == pytest.approx(43 / 330)
    assert (trend.at[date(2024, 5, 1), "rolling_low"], trend.at[date(2024, 5, 1), "rolling_high"]) == pytest.approx(
        _wilson(43, 330)
    )
    assert trend.at[date(2024, 5, 1), "rate"] == pytest.approx(3 / 24)
    assert math.isnan(trend.at[date(2024, 1, 1), "rolling"])  # only 11 months by then


def test_period_outside_the_files_gives_none(store, residents):
    assert _table(store, residents, "Knife Crime", Period(date(2024, 5, 1), date(2024, 6, 1))) is None


def test_ranking_rows_have_no_placeholders_and_list_the_city(store, residents):
    topic = _topic(store, "Knife Crime")
    table = _table(store, residents, "Knife Crime")
    rows = say.ranking_rows(table, hm.RATE, topic, PERIOD)
    assert len(rows) == 33
    text = rows.astype(str).to_numpy().ravel()
    assert not any(value in ("None", "nan", "NaN", "NaT", "<NA>", "") for value in text)
    city = rows[rows["Borough"].str.startswith("City of London")].iloc[0]
    assert city["Borough"] == "City of London (not policed by the Met)" and city["Offences"] == "–"
    top = rows.iloc[0]
    assert top["Borough"] == "Lambeth" and top["Rank"] == "1"  # 22.3 a year; Westminster's residents differ
    southwark = rows[rows["Borough"] == "Southwark"].iloc[0]
    assert southwark["Offences"] == "15" and southwark["Outcome rate"] == "20.0%"
    csv = say.ranking_csv(table, topic)
    assert len(csv) == 33 and set(csv["gss_code"]) == set(GSS_CODES)
    assert csv.set_index("gss_code").at[LAMBETH, "offences"] == 72


def test_sentences_name_only_reliable_boroughs(store, residents):
    topic = _topic(store, "Knife Crime")
    table = _table(store, residents, "Knife Crime")
    london = hm.area_figures(table, PERIOD.months, None, with_outcomes=True).outcomes
    text = say.outcome_ranking_sentence(table, topic, london)
    assert text.startswith("Too few boroughs")  # only Westminster is reliable
    tno = _table(store, residents, "Total Notifiable Offences")
    tno_london = hm.area_figures(tno, PERIOD.months, None, with_outcomes=True).outcomes
    text = say.outcome_ranking_sentence(tno, _topic(store, "Total Notifiable Offences"), tno_london)
    # Westminster 225/5,790 = 3.9%, Lambeth 150/3,300 = 4.5%, Southwark 120/2,820 = 4.3%.
    assert "from highest to lowest: Lambeth (4.5%), Southwark (4.3%) and Westminster (3.9%)." in text
    assert "29 boroughs left out" in text
    map_text = say.borough_map_sentence(table, hm.COUNT, topic, PERIOD)
    assert map_text.startswith(
        "The most knife crime offences were in Westminster (75), Lambeth (72) and Southwark (15). "
        "29 boroughs with fewer than 10 are not ranked."
    )


# --- charts ---------------------------------------------------------------------------------------


def _compiles(spec: dict) -> None:
    check_spec(dict(spec))


def test_trend_chart_marks_the_recording_break(store, residents):
    monthly = hq.monthly_counts(store, group="Domestic Abuse", subgroup="Domestic Abuse")
    trend = hm.offence_trend(monthly, float(residents.sum()), hm.COUNT)
    breaks = hm.breaks_in("Domestic Abuse", trend["month"].min(), trend["month"].max())
    assert breaks == [(date(2024, 3, 1), "the Met's move to a new crime recording system (CONNECT)")]
    title = "Domestic abuse: London"
    spec = charts.trend_chart(trend, title=title, y_title="Offences a month", period=PERIOD, breaks=breaks)
    rules = [layer for layer in spec["layer"] if layer["mark"].get("color") == charts.BREAK_COLOUR]
    assert rules[0]["data"]["values"] == [{"month": "2024-03-01", "label": "recording changed"}]
    _compiles(spec)
    assert hm.breaks_in("Knife Crime", trend["month"].min(), trend["month"].max()) == []


def test_outcome_rate_chart(store):
    monthly = hq.monthly_counts(store, group="Knife Crime", subgroup="Knife Crime")
    trend = hm.outcome_trend(hm.area_rows(monthly, LAMBETH))
    spec = charts.outcome_rate_chart(trend, title="Knife crime outcomes: Lambeth", period=PERIOD)
    band = spec["datasets"]["band"]
    assert len(band) == 4 and band[-1]["rolling_low"] == pytest.approx(_wilson(43, 330)[0])
    main = spec["datasets"]["main"]
    assert {row["series"] for row in main} == {charts.MONTHLY_RATE, charts.ROLLING_RATE}
    _compiles(spec)


def test_outcome_ranking_chart_greys_unreliable_boroughs(store, residents):
    table = _table(store, residents, "Knife Crime")
    spec = charts.outcome_ranking_chart(table, london_rate=18 / 162, title="Outcome rates", selected=LAMBETH)
    rows = spec["datasets"]["main"]
    assert [r["name"] for r in rows] == ["Westminster", "Southwark", "Lambeth"]  # reliable first
    assert [r["status"] for r in rows] == ["reliable", "too few offences", "too few offences"]
    assert [r["chosen"] for r in rows] == [False, False, True]
    assert spec["layer"][-1]["data"]["values"] == [{"rate": pytest.approx(18 / 162)}]
    _compiles(spec)
