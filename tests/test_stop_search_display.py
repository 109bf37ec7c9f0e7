"""Sentences, suppression labels and chart specs for the stop and search page."""

from __future__ import annotations

import math

import pandas as pd

from lib.charts import stop_search as charts
from lib.metrics import stop_search as m
from lib.narrative import stop_search as say
from tests.test_stop_search_metrics import CUBE, POPULATIONS


def test_count_and_ratio_labels():
    assert say.count_label(9) == "fewer than 10"
    assert say.count_label(0) == "fewer than 10"
    assert say.count_label(10) == "10"
    assert say.count_label(12345) == "12,345"
    assert say.ratio_label(3.44, 3.1, 3.8) == "3.4 (3.1 to 3.8)"
    assert say.ratio_label(math.nan, math.nan, math.nan) == "fewer than 10"


def test_headlines():
    london = m.disparity_table(CUBE, POPULATIONS, area=None, definition="self", months=12)
    assert say.headline(m.group_row(london, "Black"), area_name="London").startswith(
        "Black Londoners were searched at 8.6 times the rate of White Londoners (95% interval"
    )
    local = m.disparity_table(CUBE, POPULATIONS, area="E09000022", definition="self", months=6)
    assert say.headline(m.group_row(local, "Black"), area_name="Lambeth").startswith(
        "In Lambeth, Black people were searched at 8.0 times the rate of White people"
    )
    asian = say.headline(m.group_row(local, "Asian"), area_name="Lambeth")
    assert "too few searches" in asian and "fewer than 10" in asian
    assert "5.3" in say.missing_range_sentence(m.group_row(local, "Black"), 10, definition_name="self-defined")


def test_find_and_strip_sentences_say_when_not_recorded():
    assert "not recorded" in say.find_sentence("not recorded")
    assert "always False since 2024" in say.find_sentence("never true")
    assert "not recorded for this period" in say.strip_sentence(None, area_name="Lambeth")


def test_ranking_table_marks_suppresses_and_explains():
    boroughs = m.borough_disparity(CUBE, POPULATIONS, group="Black", definition="self", months=6)
    shown = say.ratio_ranking(boroughs, "Black", "E09000022")
    table = shown.frame
    assert table.iloc[0]["Borough"] == "▶ Lambeth" and table.iloc[0]["Rate ratio"] == "8.00"
    southwark = table[table["Borough"] == "Southwark"].iloc[0]
    assert southwark["White searches"] == "fewer than 10" and southwark["Rate ratio"] == "–"
    assert "Southwark" in shown.footnote and "fewer than 10 searches in a group, so no rate or ratio" in shown.footnote
    assert "▶" not in shown.footnote
    assert not table.isin(["None", "nan", "NaN", "<NA>"]).any().any()
    labelled = say.with_labels(boroughs, "Black").set_index("gss_code")
    assert labelled.at["E09000022", "label"] == "8.0"
    assert labelled.at["E09000028", "label"] == "fewer than 10"
    assert "Not ranked: fewer than 20 searches" in labelled.at["E09000028", "tooltip"]


def test_rate_and_ratio_charts_leave_out_suppressed_groups():
    local = m.disparity_table(CUBE, POPULATIONS, area="E09000022", definition="self", months=6)
    rate = charts.rate_chart(local, title="Rates").to_dict()
    groups = {row["ethnic_group"] for row in rate["datasets"][rate["data"]["name"]]}
    assert groups == {"Black", "White"}
    ratio = charts.ratio_chart(local, title="Ratios").to_dict()
    marks = [layer["mark"]["type"] for layer in ratio["layer"]]
    assert marks == ["bar", "rule", "rule", "point", "text"]
    assert ratio["layer"][0]["encoding"]["x"]["field"] == "range_low"
    parity = ratio["layer"][1]
    assert parity["mark"]["strokeDash"] == [6, 4]
    assert ratio["datasets"][parity["data"]["name"]] == [{"x": 1.0}]  # the line at 1


def test_outcome_volume_and_children_charts():
    outcomes = m.outcome_rates(CUBE, area="E09000022", definition="self")
    spec = charts.outcome_chart(outcomes, title="Outcomes").to_dict()
    dots = spec["layer"][1]
    assert dots["encoding"]["yOffset"]["field"] == "measure"
    assert dots["encoding"]["color"]["scale"]["domain"] == ["Arrest", "No further action", "Positive outcome"]
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 1]
    volume = pd.DataFrame({"month": ["2024-01-01", "2024-01-01"], "category": ["PACE s1", "Other"], "searches": [3, 1]})
    bars = charts.volume_chart(volume, title="Volume").to_dict()
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["color"]["scale"]["domain"] == ["PACE s1", "Other"]
    children = m.children_by_group(CUBE, area="E09000022", definition="self")
    children = children.assign(label=[say.count_label(n) for n in children["under_18"]])
    kids = charts.children_chart(children, title="Children").to_dict()
    assert kids["layer"][1]["encoding"]["text"]["field"] == "label"
