"""Harm and justice figures, sentences and charts on a snapshot built from our fixtures
(tests/harm_fixtures.py), against values worked out by hand from the fixture tables.

The period is March to May 2024 (3 months), compared with March to May 2023. In the
fixtures Lambeth records 30 knife crimes a month in 2023 and 24 in 2024, with 4 and 3
positive outcomes; Westminster 20 then 25 (2 outcomes a month); Southwark 5 (1 outcome).
Residents are the real Census 2021 counts (data/reference): Lambeth 317,652.
"""

from __future__ import annotations

import math
from datetime import date
from math import comb

import pandas as pd
import pytest

from lib.breaks import breaks_for
from lib.charts import harm as charts
from lib.charts.vegalite import check_spec
from lib.contract import open_snapshot
from lib.filters import Period
from lib.geo import REFERENCE_DIR
from lib.metrics import harm as hm
from lib.metrics.breaks import comparability
from lib.metrics.coverage import coverage
from lib.narrative import harm as say
from lib.narrative.tables import DASH, PLACEHOLDERS
from lib.pipeline.build import build_snapshot
from lib.queries import harm as hq
from lib.store import Store
from tests.harm_fixtures import HAND, LAMBETH, SOUTHWARK, WESTMINSTER, source_folder

PERIOD = Period(date(2024, 3, 1), date(2024, 5, 1))
Z = 1.959963984540054
CITY = "E09000001"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("harm-figures")
    build_snapshot(source_folder(folder / "source"), folder / "snapshot", progress=False)
    store = Store(open_snapshot(folder / "snapshot"))
    yield store
    store.close()


@pytest.fixture(scope="module")
def residents() -> pd.Series:
    return pd.read_csv(REFERENCE_DIR / "census2021_ethnic_group.csv").set_index("code")["All"]


def _topic(store, subgroup: str) -> hm.Topic:
    return next(t for t in hm.topics(hq.subgroups(store)) if t.subgroup == subgroup)


def _period(store, residents, subgroup: str, period: Period = PERIOD) -> hm.HarmPeriod:
    topic = _topic(store, subgroup)
    monthly = hq.monthly_counts(store, group=topic.group, subgroup=topic.subgroup)
    return hm.harm_period(monthly, residents, period)


def _figures(data: hm.HarmPeriod, gss: str | None, outcomes: bool = True) -> hm.HarmFigures:
    return hm.area_figures(data.table, data.cover, data.compared, gss, with_outcomes=outcomes)


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
    assert monthly["gss_code"].nunique() == 32 and CITY not in set(monthly["gss_code"])
    assert monthly["month"].nunique() == 15
    assert int(monthly.loc[monthly["gss_code"] == "E09000002", "offences"].sum()) == 0


def test_lambeth_knife_crime_count_rate_and_change(store, residents):
    data = _period(store, residents, "Knife Crime")
    lambeth = _figures(data, LAMBETH).offences
    assert data.cover.complete and data.compared.earlier == (date(2023, 3, 1), date(2023, 4, 1), date(2023, 5, 1))
    assert lambeth.count == HAND["lambeth_knife_now"] == 72
    assert lambeth.change.previous == HAND["lambeth_knife_before"] == 90
    assert lambeth.rate == pytest.approx(72 * (12 / 3) / 317_652 * 1000)  # 0.91 a year
    assert lambeth.change.percent == pytest.approx(-20.0)
    assert lambeth.change.p_value == pytest.approx(_exact_p(72, 90))
    assert lambeth.change.direction == "no significant change"  # p = 0.18
    assert lambeth.reliability.reliable
    assert say.headline(_topic(store, "Knife Crime"), "Lambeth", _figures(data, LAMBETH)) == (
        "Knife crime in Lambeth: 72 offences in the 3 months to May 2024, 0.9 per 1,000 residents a year, "
        "no significant change on the same months a year earlier (March to May 2023) (−20%)."
    )


def test_london_is_the_met_boroughs_summed_without_team_rows(store, residents):
    london = _figures(_period(store, residents, "Knife Crime"), None)
    assert london.offences.count == HAND["london_knife_now"] == 162
    assert london.offences.change.previous == HAND["london_knife_before"] == 165
    assert london.offences.residents == residents.drop(CITY).sum() == 8_791_146
    assert london.offences.left_out == ("City of London",)
    assert london.outcomes.outcomes == 3 * (3 + 2 + 1) and london.outcomes.rate == pytest.approx(18 / 162)


def test_city_of_london_has_no_figure(store, residents):
    data = _period(store, residents, "Knife Crime")
    city = _figures(data, CITY)
    assert city.offences.count is None and city.outcomes is None
    assert "policed by the City of London Police" in say.headline(_topic(store, "Knife Crime"), "City", city)


def test_positive_outcome_rate_with_wilson_interval(store, residents):
    table = _period(store, residents, "Knife Crime").table.set_index("gss_code")
    low, high = _wilson(9, 72)  # Lambeth: 9 outcomes recorded against 72 offences
    assert table.at[LAMBETH, "outcomes"] == HAND["lambeth_knife_outcomes_now"] == 9
    assert table.at[LAMBETH, "outcome_rate"] == pytest.approx(0.125)
    assert (table.at[LAMBETH, "outcome_low"], table.at[LAMBETH, "outcome_high"]) == pytest.approx((low, high))
    assert (round(low, 4), round(high, 4)) == (0.0672, 0.2208)
    # The reliability rule: 9 outcomes are under 20; Southwark's 15 offences too.
    assert not table.at[LAMBETH, "outcome_reliable"]
    assert table.at[LAMBETH, "outcome_reason"] == "fewer than 20 positive outcomes"
    assert table.at[SOUTHWARK, "outcome_reason"] == "fewer than 20 offences"
    cover = _period(store, residents, "Knife Crime").cover
    sentence = say.outcome_sentence(_topic(store, "Knife Crime"), "Lambeth", hm.outcome_rate(9, 72), cover)
    assert sentence == (
        "In Lambeth, 9 positive outcomes were recorded in the 3 months to May 2024, against 72 knife crime offences "
        "recorded in the same months: 12.5% (95% interval 6.7% to 22.1%). Not compared with other boroughs: "
        "fewer than 20 positive outcomes."
    )


def test_more_outcomes_than_offences_is_said_plainly():
    rate = hm.outcome_rate(30, 25)
    assert rate.exceeds and math.isnan(rate.low) and not rate.reliable
    cover = coverage([PERIOD.start], Period(PERIOD.start, PERIOD.start))
    text = say.outcome_sentence(hm.Topic("Knife Crime", "Knife Crime", True), "Sutton", rate, cover)
    assert text.endswith("more outcomes than offences, because most outcomes belong to offences from earlier months.")


def test_total_notifiable_offences_and_their_outcome_rate(store, residents):
    data = _period(store, residents, "Total Notifiable Offences")
    lambeth = _figures(data, LAMBETH)
    assert lambeth.offences.count == HAND["lambeth_tno_now"] == 3300
    assert lambeth.outcomes.outcomes == HAND["lambeth_tno_outcomes_now"] == 150
    assert lambeth.outcomes.rate == pytest.approx(150 / 3300)
    assert (lambeth.outcomes.low, lambeth.outcomes.high) == pytest.approx(_wilson(150, 3300))
    assert lambeth.outcomes.reliable


def test_domestic_abuse_change_spans_connect(store, residents):
    topic = _topic(store, "Domestic Abuse")
    data = _period(store, residents, "Domestic Abuse")
    london = _figures(data, None)
    assert london.offences.count == HAND["london_domestic_now"] == 1560
    assert london.outcomes.outcomes == HAND["london_domestic_outcomes_now"] == 165
    check = comparability(data.compared, london.offences.change, breaks_for("harm_monthly"))
    assert [b.when for b in check.breaks] == [date(2024, 2, 28)]
    assert "not comparable" in say.connect_note(topic, check)
    assert say.connect_note(_topic(store, "Knife Crime"), check) is None  # the Met names DA and hate crime only


def test_knife_injury_victims_headline(store, residents):
    data = _period(store, residents, "Knife Injury Victims (1-24)")
    topic = _topic(store, "Knife Injury Victims (1-24)")
    lambeth = _figures(data, LAMBETH, outcomes=False)
    assert (lambeth.offences.count, lambeth.offences.change.previous) == (12, 15)
    assert lambeth.outcomes is None
    assert say.headline(topic, "Lambeth", lambeth) == (
        "Knife injury victims (1-24) in Lambeth: 12 in the 3 months to May 2024, no significant change on the same "
        "months a year earlier (March to May 2023) (−20%)."
    )
    westminster = _figures(data, WESTMINSTER, outcomes=False)
    assert "fewer than 10" in say.headline(topic, "Westminster", westminster)


def test_partly_covered_period_names_its_months(store, residents):
    data = _period(store, residents, "Knife Crime", Period(date(2024, 4, 1), date(2024, 7, 1)))
    assert data.cover.count == 2 and data.compared is not None
    lambeth = _figures(data, LAMBETH).offences
    assert lambeth.count == 48 and lambeth.rate == pytest.approx(48 * 6 / 317_652 * 1000)
    assert "in the 2 months April to May 2024, the latest this snapshot holds" in say.headline(
        _topic(store, "Knife Crime"), "Lambeth", _figures(data, LAMBETH)
    )
    empty = _period(store, residents, "Knife Crime", Period(date(2024, 7, 1), date(2024, 9, 1)))
    assert empty.cover.empty


def test_outcome_trend_uses_twelve_month_sums(store):
    monthly = hq.monthly_counts(store, group="Knife Crime", subgroup="Knife Crime")
    trend = hm.outcome_trend(hm.area_rows(monthly, LAMBETH)).set_index("month")
    # 12 months to May 2024: June-December 2023 (7 x 30 offences, 7 x 4 outcomes) and
    # January-May 2024 (5 x 24, 5 x 3) = 43 of 330.
    may = trend.loc[date(2024, 5, 1)]
    assert may["rolling"] == pytest.approx(43 / 330)
    assert (may["rolling_low"], may["rolling_high"]) == pytest.approx(_wilson(43, 330))
    assert may["rate"] == pytest.approx(3 / 24)
    assert math.isnan(trend.at[date(2024, 1, 1), "rolling"])  # only 11 months by then


def test_ranking_table_has_no_placeholders_and_explains_its_dashes(store, residents):
    data = _period(store, residents, "Knife Crime")
    shown = say.ranking_table(data.table, hm.RATE, _topic(store, "Knife Crime"), data.compared)
    rows = shown.frame
    assert len(rows) == 33
    assert not set(rows.astype(str).to_numpy().ravel()) & {*PLACEHOLDERS, ""}
    # By rate: Westminster 75 × 4 / 204,236 = 1.47 a year, Lambeth 0.91; Southwark's 15 are
    # too few to rank (under 20) and follow, unranked.
    assert list(rows["Borough"][:3]) == ["Westminster", "Lambeth", "Southwark"]
    assert list(rows["Rank (possible range)"][:3]) == ["1", "2", DASH]
    city = rows[rows["Borough"] == "City of London"].iloc[0]
    assert city["Offences"] == DASH and city["Rank (possible range)"] == DASH
    assert "City of London: the City of London is policed by the City of London Police" in shown.footnote
    southwark = rows[rows["Borough"] == "Southwark"].iloc[0]
    assert southwark["Offences"] == "15" and southwark["Outcome rate (95% interval)"].startswith("20.0%")
    csv = say.ranking_csv(data.table, _topic(store, "Knife Crime"))
    assert len(csv) == 33 and csv.set_index("gss_code").at[LAMBETH, "offences"] == 72
    assert pd.isna(csv.set_index("gss_code").at[CITY, "offences"])


def test_outcome_sentence_names_only_reliable_boroughs(store, residents):
    data = _period(store, residents, "Total Notifiable Offences")
    london = _figures(data, None).outcomes
    text = say.outcome_ranking_sentence(data.table, london)
    # Lambeth 150/3,300 = 4.5%, Southwark 120/2,820 = 4.3%, Westminster 225/5,790 = 3.9%: their
    # intervals overlap, so none is named as highest alone. London: 495 of 11,910 = 4.2%.
    assert text.startswith(
        "London's rate was 4.2%. The positive outcome rate was highest in Lambeth (4.5%), with Southwark (4.3%) "
        "and Westminster (3.9%) too close to tell apart;"
    )
    assert "City of London (the City of London is policed by the City of London Police" in text
    knife = _period(store, residents, "Knife Crime")
    text = say.outcome_ranking_sentence(knife.table, _figures(knife, None).outcomes)
    assert "No borough's figure is reliable enough" in text


# --- charts ---------------------------------------------------------------------------------------


def test_trend_chart_marks_the_recording_break(store, residents):
    monthly = hq.monthly_counts(store, group="Domestic Abuse", subgroup="Domestic Abuse")
    trend = hm.offence_trend(monthly, float(residents.sum()), hm.COUNT)
    title = "Domestic abuse: London"
    spec = charts.trend_chart(trend, title=title, y_title="Offences", period=PERIOD, breaks=breaks_for("harm_monthly"))
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert rules[0]["data"]["values"][0]["when"] == "2024-02-28"
    check_spec(dict(spec))


def test_outcome_rate_chart(store):
    monthly = hq.monthly_counts(store, group="Knife Crime", subgroup="Knife Crime")
    trend = hm.outcome_trend(hm.area_rows(monthly, LAMBETH))
    spec = charts.outcome_rate_chart(trend, title="Knife crime outcomes: Lambeth", period=PERIOD)
    band = spec["datasets"]["band"]
    assert len(band) == 4 and band[-1]["rolling_low"] == pytest.approx(_wilson(43, 330)[0])
    assert {row["series"] for row in spec["datasets"]["main"]} == {charts.MONTHLY_RATE, charts.ROLLING_RATE}
    check_spec(dict(spec))


def test_outcome_ranking_chart_greys_unreliable_boroughs(store, residents):
    table = _period(store, residents, "Total Notifiable Offences").table
    spec = charts.outcome_ranking_chart(table, london_rate=0.041, title="Outcome rates", selected=LAMBETH)
    rows = spec["datasets"]["main"]
    assert [r["name"] for r in rows] == ["Lambeth", "Southwark", "Westminster"]
    assert [r["status"] for r in rows] == ["reliable"] * 3
    assert [r["chosen"] for r in rows] == [True, False, False]
    knife = _period(store, residents, "Knife Crime").table
    rows = charts.outcome_ranking_chart(knife, london_rate=0.1, title="t", selected=None)["datasets"]["main"]
    assert {r["status"] for r in rows} == {"not reliable"}
    check_spec(dict(spec))
