"""Trust page chart builders (tested on their specs) and sentences."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from lib.charts import trust as charts
from lib.colour import BOROUGH_COLOUR, LONDON_COLOUR, NO_DATA
from lib.metrics.survey import area_changes, area_figure, change_counts, gap_change, gap_series, with_intervals
from lib.narrative import trust as text

SEP25, SEP24 = date(2025, 9, 30), date(2024, 9, 30)
LAMBETH, BRENT = "E09000022", "E09000005"


def _areas() -> pd.DataFrame:
    rows = [
        (SEP24, None, 0.67),
        (SEP25, None, 0.69),
        (SEP24, LAMBETH, 0.60),
        (SEP25, LAMBETH, 0.70),  # +10 points on n=400: significant
        (SEP24, BRENT, 0.60),
        (SEP25, BRENT, 0.62),  # +2 points: not significant
    ]
    frame = pd.DataFrame(rows, columns=["period_end", "gss_code", "proportion"])
    return with_intervals(frame.assign(group_type="all", group="All", base=None))


def test_trend_table_and_chart():
    table = charts.trend_table(_areas(), [LAMBETH, None], SEP25)
    assert list(table["area"]) == ["Lambeth", "Lambeth", "London", "London"]
    assert list(table["respondents"]) == [400, 400, 12_800, 12_800]
    assert table["approximate"].all()
    spec = charts.trend_chart(table, title="Trust", banded=["Lambeth", "London"]).to_dict()
    band, line = spec["layer"]
    assert band["mark"]["type"] == "area" and band["encoding"]["y2"]["field"] == "ci_high"
    assert band["transform"][0]["filter"]["oneOf"] == ["Lambeth", "London"]
    colour = line["encoding"]["color"]["scale"]
    assert colour == {"domain": ["Lambeth", "London"], "range": [BOROUGH_COLOUR, LONDON_COLOUR]}
    assert line["encoding"]["y"]["axis"]["format"] == ".0%"
    assert "timeFormat(datum.value - 86400000" in line["encoding"]["x"]["axis"]["labelExpr"]
    tooltip = {t["title"]: t["field"] for t in line["encoding"]["tooltip"]}
    assert tooltip["95% interval"] == "interval_text"
    data = next(iter(spec["datasets"].values()))
    assert data[0]["interval_text"].endswith("(approximate)")


def test_borough_dot_chart_marks_london_and_selected():
    table = charts.borough_table(area_changes(_areas(), SEP25))
    assert list(table["borough"]) == ["Lambeth", "Brent"]  # highest first, London left out
    spec = charts.borough_dot_chart(table, london=0.69, selected=LAMBETH, title="t").to_dict()
    bars, dots, rule, label = spec["layer"]
    assert bars["mark"]["type"] == "rule" and bars["encoding"]["x2"]["field"] == "ci_high"
    assert dots["encoding"]["y"]["sort"] == ["Lambeth", "Brent"]
    assert dots["encoding"]["color"]["condition"]["value"] == BOROUGH_COLOUR
    assert rule["mark"]["strokeDash"] == [6, 4]
    assert spec["datasets"][label["data"]["name"]][0]["label"] == "London 69%"


def test_change_tiles_colour_only_significant_changes():
    table = charts.borough_table(area_changes(_areas(), SEP25))
    tiles = charts.change_tile_table(table).set_index("gss_code")
    assert len(tiles) == 33
    # Lambeth +10 on n=400 each: pooled 0.65, se √(0.65·0.35·2/400) = 0.033727, z = 2.965, p = 0.003
    assert tiles.at[LAMBETH, "label"] == "▲ +10" and tiles.at[LAMBETH, "coloured_change"] == pytest.approx(10)
    # Brent +2: pooled 0.61, z = 0.58, p = 0.56 -> coloured as no change
    assert tiles.at[BRENT, "label"] == "+2" and tiles.at[BRENT, "coloured_change"] == 0
    assert tiles.at["E09000001", "verdict"] == charts.NOT_SURVEYED
    assert math.isnan(tiles.at["E09000001", "coloured_change"])
    scale = charts.change_scale(tiles.reset_index())
    assert scale.colour(10) == scale.colours[-1] and scale.colour(0) == scale.colours[3]
    chart = charts.change_tiles(tiles.reset_index(), scale=scale, selected=LAMBETH, title="t")
    fills = {row["gss_code"]: row["fill"] for row in next(iter(chart.to_dict()["datasets"].values()))}
    assert fills["E09000001"] == NO_DATA and fills[BRENT] == scale.colours[3]
    legend = charts.change_legend(scale).to_dict()
    labels = [row["label"] for row in next(iter(legend["datasets"].values()))]
    assert "no significant change" in labels and labels[-1] == charts.NOT_SURVEYED


def _groups() -> pd.DataFrame:
    rows = [
        (SEP24, "Black", 0.60, 1000),
        (SEP24, "White", 0.70, 4000),
        (SEP25, "Black", 0.58, 1000),
        (SEP25, "White", 0.71, 4000),
    ]
    frame = pd.DataFrame(rows, columns=["period_end", "group", "proportion", "base"])
    return with_intervals(frame.assign(gss_code=None, group_type="ethnicity"))


def test_gap_chart_and_table():
    gaps = gap_series(_groups(), "Black", "White")
    table = charts.gap_table(gaps, "Black", "White", SEP25)
    assert list(table.columns[:3]) == ["period_end", "Black", "White"]
    assert table["gap_points"].round(6).tolist() == [-10.0, -13.0]
    spec = charts.gap_chart(table, title="Gap").to_dict()
    zero, band, line = spec["layer"]
    assert zero["mark"]["type"] == "rule"
    assert band["encoding"]["y2"]["field"] == "gap_ci_high_points"
    assert line["encoding"]["y"]["title"] == "Gap (percentage points)"
    group_spec = charts.group_chart(charts.group_table(_groups(), ["Black", "White"], SEP25), title="g").to_dict()
    assert group_spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["Black", "White"]


def test_gap_sentence_names_both_groups_the_gap_and_its_change():
    gaps = gap_series(_groups(), "Black", "White")
    latest = gaps.iloc[-1]
    sentence = text.gap_sentence(
        "ethnicity",
        "Black",
        "White",
        latest["p_a"],
        latest["p_b"],
        gap_change(gaps, SEP25),
        latest["gap_low"],
        latest["gap_high"],
    )
    assert sentence.startswith("Black Londoners: 58%, White Londoners: 71%; a 13-point gap (95% interval")
    # the change −3 points: its interval from two gaps of about ±3.5 points each includes zero
    assert sentence.endswith("about the same as a year ago (10 points then).")


def test_headline_and_change_sentences():
    changes = area_changes(_areas(), SEP25)
    sentence = text.headline_sentence("trust", "Lambeth", area_figure(changes, LAMBETH))
    assert sentence.startswith("In the 12 months to September 2025, 70% of people in Lambeth trust the Met")
    assert "approximate" in sentence and "up 10 points on the 12 months to September 2024" in sentence
    counts = change_counts(changes)
    assert counts == {"up": 1, "down": 0, "no significant change": 1, "no comparison": 0}
    assert "1 borough rose significantly, no boroughs fell significantly" in text.change_map_sentence(
        "trust", SEP25, counts
    )
    assert text.rolling_year(SEP25) == "the 12 months to September 2025"


def test_gap_sentence_article_and_small_gaps():
    # 0.57 − 0.68 = −11 points: "an 11-point gap"; interval given for the gap's size
    sentence = text.gap_sentence("ethnicity", "Black", "White", 0.57, 0.68, None, -0.14, -0.08)
    assert "an 11-point gap (95% interval 8 to 14 points)" in sentence
    assert sentence.endswith("There is no gap a year earlier to compare with.")
    # a gap whose interval includes zero is called within the margin of error
    sentence = text.gap_sentence("gender", "Female", "Male", 0.66, 0.65, None, -0.01, 0.03)
    assert sentence.startswith("Women: 66%, men: 65%; a 1-point gap (95% interval −1 to +3 points), within")
