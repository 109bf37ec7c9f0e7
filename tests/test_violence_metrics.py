"""Violence figures, sentences and chart/map specs against hand-worked values."""

from __future__ import annotations

import json
from datetime import date

import geopandas as gpd
import h3
import pandas as pd
import pytest
from shapely.geometry import box

from lib.boroughs import GSS_CODES
from lib.charts.violence import borough_tile_chart, trend_chart
from lib.colour import quantile_scale
from lib.filters import Period
from lib.maps.base import london_view
from lib.maps.hotspots import hexagon_hotspot_map
from lib.metrics import violence as vm
from lib.metrics.counts import crime_figures
from lib.metrics.hotspots import h3_neighbour_weights
from lib.months import shift as add_months
from lib.narrative import violence as say
from lib.narrative.counts import count_headline
from lib.narrative.ranking import RANK_HEADING as RANK
from lib.vocab import VIOLENCE_AND_SEXUAL, OffenceGroup

LAMBETH = "E09000022"
VAP = OffenceGroup("violence-against-the-person", "Violence Against the Person", None, (VIOLENCE_AND_SEXUAL,))
HOMICIDE = OffenceGroup("homicide", "Violence Against the Person", "Homicide", (VIOLENCE_AND_SEXUAL,))
YEAR = Period(date(2024, 4, 1), date(2025, 3, 1))


def monthly_frame(per_month: dict[str, list[int]], first: date = date(2023, 4, 1)) -> pd.DataFrame:
    rows = []
    for code in GSS_CODES:
        for i, n in enumerate(per_month.get(code, [0] * len(next(iter(per_month.values()))))):
            rows.append({"month": add_months(first, i), "gss_code": code, "count": n})
    return pd.DataFrame(rows)


def residents() -> pd.Series:
    return pd.Series(100_000, index=list(GSS_CODES), dtype="int64")


def test_comparison_period_and_noun_follow_the_one_rule():
    assert vm.comparison_period(YEAR) == Period(date(2023, 4, 1), date(2024, 3, 1))
    quarter = Period(date(2025, 1, 1), date(2025, 3, 1))
    assert vm.comparison_period(quarter) == Period(date(2024, 1, 1), date(2024, 3, 1))
    two_years = Period(date(2023, 4, 1), date(2025, 3, 1))
    assert vm.comparison_period(two_years) == Period(date(2021, 4, 1), date(2023, 3, 1))
    # 18 months go back two whole years (same calendar months), not 18 months.
    eighteen = Period(date(2023, 10, 1), date(2025, 3, 1))
    assert vm.comparison_period(eighteen) == Period(date(2021, 10, 1), date(2023, 3, 1))
    assert [vm.comparison_noun(p) for p in (YEAR, quarter, two_years)] == [
        "the same months a year earlier",
        "the same months a year earlier",
        "the same months 2 years earlier",
    ]


def test_borough_figures_rate_change_and_rank():
    # Lambeth: 100 a month for a year, then 90 a month -> 1,080 now against 1,200 before.
    # Rate: 1,080 / 100,000 residents × 1,000 = 10.8 per 1,000 per year.
    # Change: (1,080 - 1,200) / 1,200 = -10%; exact test: 1,080 of 2,280 with p = 0.5 gives p ≈ 0.012.
    monthly = monthly_frame({LAMBETH: [100] * 12 + [90] * 12, "E09000001": [1] * 24})
    table = _figures(monthly).table
    row = table.set_index("gss_code").loc[LAMBETH]
    assert row["count"] == 1_080 and row["previous"] == 1_200
    assert row["rate"] == pytest.approx(10.8)
    assert row["change_pct"] == pytest.approx(-10.0)
    assert row["direction"] == "down" and 0.005 < row["p_value"] < 0.02
    assert row["rank_rate"] == 1
    city = table.set_index("gss_code").loc["E09000001"]
    assert not city["small"] and not city["rate_reliable"]  # 12 offences: shown, not ranked
    zero = table.set_index("gss_code").loc["E09000002"]
    assert zero["small"] and pd.isna(zero["rank_rate"])  # 0 offences: withheld, unranked


def test_six_month_rate_is_annualised():
    # 60 offences in 6 months = 120 a year; / 100,000 × 1,000 = 1.2 per 1,000 per year.
    monthly = monthly_frame({LAMBETH: [10] * 24})
    half = Period(date(2024, 10, 1), date(2025, 3, 1))
    assert _figures(monthly, half).figure(LAMBETH).rate == pytest.approx(1.2)


def test_a_period_partly_outside_the_data_covers_the_months_held():
    monthly = monthly_frame({LAMBETH: [10] * 12}, first=date(2024, 4, 1))  # April 2024 to March 2025
    whole = _figures(monthly, YEAR)  # exactly the months held: 12 × 10 in Lambeth, no earlier months
    assert whole.figure(LAMBETH).count == 120 and whole.compared is None
    half = _figures(monthly, Period(date(2024, 10, 1), date(2025, 9, 1)))  # half after the data
    assert half.cover.count == 6 and half.figure(LAMBETH).count == 60
    # 60 offences in the 6 months covered: 120 a year per 100,000 residents = 1.2 per 1,000.
    assert half.figure(LAMBETH).rate == pytest.approx(1.2)


def _figures(monthly: pd.DataFrame, period: Period = YEAR):
    held = sorted(set(monthly["month"]))
    return crime_figures(monthly, residents(), held, period)


def test_area_figures_for_london_sum_the_boroughs():
    monthly = monthly_frame({LAMBETH: [100] * 12 + [90] * 12})
    figures = _figures(monthly)
    london = figures.figure(None)
    # 1,080 offences over 33 × 100,000 residents: 1,080 / 3,300,000 × 1,000 = 0.327 per 1,000.
    assert london.count == 1_080 and london.rate == pytest.approx(0.32727, abs=1e-5)
    assert london.change.previous == 1_200
    text = count_headline(VAP.noun, "Lambeth", figures.figure(LAMBETH))
    assert text == (
        "Violence against the person in Lambeth: 1,080 offences in the 12 months to March 2025, "
        "10.8 per 1,000 residents a year, down 10% on the same months a year earlier (April 2023 to March 2024) "
        "(a significant fall)."
    )


def test_headline_withholds_small_counts():
    monthly = monthly_frame({LAMBETH: [0] * 23 + [3]})
    text = count_headline(HOMICIDE.noun, "Lambeth", _figures(monthly).figure(LAMBETH))
    assert "fewer than 10 offences" in text and "3" not in text


def test_monthly_trend_rolling_and_year_earlier():
    # Months 1..24 hold 1..24 offences: the 12-month mean at month 12 is (1+…+12)/12 = 6.5,
    # at month 24 (13+…+24)/12 = 18.5; the year-earlier value of month 24 is 12.
    monthly = pd.DataFrame({"month": [add_months(date(2023, 4, 1), i) for i in range(24)], "count": range(1, 25)})
    trend = vm.monthly_trend(monthly, 100_000, vm.COUNT)
    assert trend["rolling"].isna().sum() == 11
    assert trend["rolling"].iloc[11] == pytest.approx(6.5)
    assert trend["rolling"].iloc[23] == pytest.approx(18.5)
    assert trend["year_earlier"].iloc[23] == 12
    # As a rate: 24 offences in a month × 12 / 100,000 × 1,000 = 2.88 per 1,000 per year.
    assert vm.monthly_trend(monthly, 100_000, vm.RATE)["value"].iloc[23] == pytest.approx(2.88)


def test_scored_cells_and_top_hotspots():
    centre = h3.latlng_to_cell(51.4627, -0.1145, 8)
    cells = [centre, *h3.grid_ring(centre, 1), *h3.grid_ring(centre, 2)]
    frame = pd.DataFrame({"cell": cells, "gss_code": LAMBETH})
    frame["lat"] = [h3.cell_to_latlng(c)[0] for c in cells]
    frame["lon"] = [h3.cell_to_latlng(c)[1] for c in cells]
    counts = pd.DataFrame({"cell": cells[:7], "count": [10] * 7})
    scored = vm.scored_cells(frame, h3_neighbour_weights(cells), counts)
    assert scored["count"].sum() == 70 and scored.loc[0, "z"] == pytest.approx(4.2426, abs=1e-4)
    places = pd.DataFrame({"name": ["Brixton", "Bank"], "lat": [51.4627, 51.5133], "lon": [-0.1145, -0.0890]})
    top = vm.top_hotspots(scored, places, gss_code=LAMBETH)
    assert len(top) == 1 and top.loc[0, "place"] == "Brixton" and top.loc[0, "place_km"] < 0.5
    assert say.place_text(top.iloc[0]) == "near Brixton"
    rows = say.hotspot_rows(top, "h3")
    assert list(rows.columns) == ["#", "Where", "Centre (lat, lon)", "Offences", "Gi* z-score", "Level"]
    deck = hexagon_hotspot_map(
        scored,
        scale=quantile_scale(scored.loc[scored["count"] > 0, "count"]),
        outlines=_square_outlines(),
        view=london_view(),
        selected=LAMBETH,
    )
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["hexagon-counts"]["@@type"] == "PolygonLayer"
    assert len(layers["hexagon-counts"]["data"]) == 7
    # Each hexagon is drawn from its own boundary: 6 corners to 4 decimal places, the ring
    # left open for deck.gl to close, within 6 m of H3's own corners.
    ring = layers["hexagon-counts"]["data"][0]["polygon"]
    corners = [(lon, lat) for lat, lon in h3.cell_to_boundary(centre)]
    assert len(ring) == 6 and all(round(v, 4) == v for point in ring for v in point)
    assert max(abs(a - b) for p, q in zip(ring, corners, strict=True) for a, b in zip(p, q, strict=True)) < 6e-5
    assert len(layers["hexagon-counts"]["data"][0]["fill"]) == 3  # alpha is the layer's opacity
    assert [d["cell"] for d in layers["hot-spots"]["data"]] == [centre]
    assert "selected-borough" in layers


def _square_outlines():
    return gpd.GeoDataFrame({"gss_code": [LAMBETH]}, geometry=[box(-0.15, 51.42, -0.08, 51.51)], crs="EPSG:4326")


def test_hotspot_layer_notes():
    assert "also includes sexual offences" in say.hotspot_layer_note(VAP, "h3")
    assert "does not separate homicide" in say.hotspot_layer_note(HOMICIDE, "h3")
    knife = OffenceGroup("knife-crime", "Knife Crime", None, ())
    assert "not available for knife crime" in say.hotspot_layer_note(knife, "h3")
    assert "not available for this snapshot" in say.hotspot_layer_note(VAP, None)


def test_ranking_table_and_tile_chart_spec():
    monthly = monthly_frame({LAMBETH: [100] * 12 + [90] * 12, "E09000001": [2] * 24})
    figures = _figures(monthly)
    shown = say.counts_ranking(figures.table, vm.RATE, figures.compared)
    rows = shown.frame
    assert rows.iloc[0]["Borough"] == "Lambeth" and rows.iloc[0][RANK] == "1"
    assert rows.iloc[0]["Rate per 1,000 residents a year"] == "10.8"
    assert rows.iloc[0]["Change on same months a year earlier"] == "down 10% (significant)"
    # Barnet recorded none: withheld (fewer than 10), unranked; the dash is explained.
    withheld = rows[rows["Borough"] == "Barnet"].iloc[0]
    assert withheld["Offences"] == "fewer than 10" and withheld[RANK] == "–"
    assert "Barnet" in shown.footnote and "fewer than 20 offences" in shown.footnote
    table = figures.table
    scale = quantile_scale(table.loc[~table["small"], "rate"])
    spec = borough_tile_chart(table, value_column="rate", scale=scale, title="t", selected=LAMBETH).to_dict()
    values = spec["datasets"][next(iter(spec["datasets"]))]
    lambeth = next(v for v in values if v["gss_code"] == LAMBETH)
    assert lambeth["label"] == "10.8" and lambeth["is_selected"]
    assert next(v for v in values if v["gss_code"] == "E09000003")["label"] == "<10"


def test_trend_chart_spec():
    monthly = pd.DataFrame({"month": [add_months(date(2023, 4, 1), i) for i in range(24)], "count": range(1, 25)})
    trend = vm.monthly_trend(monthly, 100_000, vm.COUNT)
    spec = trend_chart(trend, title="Lambeth", y_title="Offences a month", period=YEAR).to_dict()
    data = spec["datasets"][next(k for k, v in spec["datasets"].items() if len(v) > 2)]
    series = pd.DataFrame(data)["series"].value_counts().to_dict()
    # 24 monthly values, 13 rolling means (months 12-24), 12 year-earlier values inside the period.
    assert series == {"Each month": 24, "12-month average": 13, "Same month a year earlier": 12}
    assert spec["layer"][1]["encoding"]["y"]["title"] == "Offences a month"
