"""Presenter mode's pure parts: the slide number from the URL, chart text enlarged to at
least 18 px (checked on the drawn SVG), and the page's stylesheet and key handler."""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd
import pytest
import vl_convert as vlc

from lib import present
from lib.charts.common import class_legend, screen_spec
from lib.charts.stop_search import rate_chart
from lib.charts.vegalite import check_spec
from lib.charts.violence import trend_chart
from lib.colour import ClassScale
from lib.filters import Period


def _trend() -> dict:
    months = pd.date_range("2024-01-01", periods=15, freq="MS").date
    values = [float(20 + i % 4) for i in range(15)]
    trend = pd.DataFrame({"month": months, "value": values, "rolling": values, "year_earlier": values})
    return trend_chart(
        trend, title="Violence: Lambeth", y_title="Per 1,000", period=Period(date(2024, 4, 1), date(2025, 3, 1))
    )


def _rates() -> dict:
    table = pd.DataFrame(
        {
            "ethnic_group": ["Black", "White"],
            "searches": [331, 83],
            "population": [10_000, 10_000],
            "rate": [33.1, 8.3],
            "rate_low": [29.6, 6.6],
            "rate_high": [36.9, 10.3],
        }
    )
    return rate_chart(table, title="Searches per 1,000 residents per year")


def _legend() -> dict:
    return class_legend(
        ClassScale((5.0, 10.0), ("#ffffb2", "#fd8d3c", "#bd0026")), "Rate", no_data_label="fewer than 10"
    )


def _drawn_font_sizes(spec: dict) -> list[float]:
    svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    return [float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)]


@pytest.mark.parametrize("build", [_trend, _rates, _legend], ids=["trend", "rates", "legend"])
def test_every_drawn_text_is_at_least_18px(build):
    spec = screen_spec(build())
    assert min(_drawn_font_sizes(spec)) < 18  # as drawn on a normal page
    big = present.enlarged(spec)
    check_spec(big)
    sizes = _drawn_font_sizes(big)
    assert len(sizes) > 3 and min(sizes) >= present.MIN_TEXT_PX
    assert max(sizes) >= present.CHART_TITLE_PX or "title" not in spec


def test_enlarged_scales_in_proportion_and_leaves_the_original_alone():
    spec = screen_spec(_rates())
    before = repr(spec)
    big = present.enlarged(spec)
    assert repr(spec) == before
    assert big["config"]["axis"]["labelFontSize"] == 18  # 14 px becomes 18 px
    text_layer = big["layer"][2]["mark"]
    assert text_layer["fontSize"] == 18  # 13 px would be 17: raised to the floor
    assert big["config"]["title"]["fontSize"] == 22  # screen title 16 px, raised to 22


def test_enlarged_gives_inline_text_marks_a_size_and_grows_symbols():
    spec = {
        "layer": [
            {"mark": {"type": "text", "dy": -9}, "encoding": {"text": {"value": "x"}}},
            {"mark": {"type": "square", "size": 0}},
        ],
        "config": {"legend": {"symbolSize": 200}},
    }
    big = present.enlarged(spec)
    assert big["layer"][0]["mark"]["fontSize"] == 18
    assert big["config"]["legend"]["symbolSize"] == pytest.approx(200 * (18 / 14) ** 2)


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [("3", 5, 3), ("0", 5, 1), ("-2", 5, 1), ("99", 5, 5), ("abc", 5, 1), (None, 5, 1), (" 2 ", 5, 2), ("2", 0, 1)],
)
def test_slide_number_from_the_url(raw, count, expected):
    assert present.slide_number(raw, count) == expected


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("0", False), ("", False), ("x", False)])
def test_is_presenting(value, expected):
    assert present.is_presenting({"present": value}) is expected
    assert present.is_presenting({}) is False


def test_stylesheet_hides_streamlit_and_survives_sanitising():
    css = present.stylesheet()
    body = css.removeprefix("<style>").removesuffix("</style>")
    # DOMPurify drops a whole <style> whose text holds '<' followed by a letter.
    assert "<" not in body
    for testid in ("stSidebar", "stHeader", "stToolbar", "stMainMenu", "stSelectbox", "stSlider"):
        assert f'[data-testid="{testid}"]' in body
    sizes = [int(size) for size in re.findall(r"font-size: (?:max\(1em, )?(\d+)px", body)]
    assert min(sizes) >= present.MIN_TEXT_PX
    answer = re.search(r"p\.present-answer \{[^}]*font-size: (\d+)px", body)
    assert int(answer.group(1)) >= 32


def test_source_line_keeps_whole_sentences_that_fit():
    short = "Source: Met recorded crime, Oct 2024 – Sep 2025."
    assert present.source_line(short) == short
    long = "Source: Met recorded crime, Oct 2024 – Sep 2025. " + "Gi* on hexagons with every neighbour. " * 10
    line = present.source_line(long, limit=120)
    assert line == "Source: Met recorded crime, Oct 2024 – Sep 2025. Gi* on hexagons with every neighbour."
    # A long first sentence is kept whole up to three lines, never cut inside its brackets.
    first = "Source: recorded crime (rates per 1,000 residents; " + "counted where they happen, " * 8 + "by borough)."
    assert present.source_line(first + " Changes: exact Poisson test.") == first
    endless = "Source: " + "word " * 100
    cut = present.source_line(endless)
    assert cut.endswith("…") and len(cut) <= present.FIRST_SENTENCE_LIMIT and cut.startswith("Source: word")


def test_short_answers_go_above_the_chart_long_ones_beside_it():
    short = present.slide_layout("Is it falling?", "Down 4% (95% interval 1% to 7%).", "Source: Met.")
    assert short.answer_share is None and short.chart_height > 400
    long = present.slide_layout("Where is it worst?", "Westminster has the highest rate. " * 8, "Source: Met. " * 10)
    assert long.answer_share in (0.4, 0.5) and long.chart_height > short.chart_height
    # Beside the chart, the answer fits the height the chart has.
    lines = math.ceil(
        len("Westminster has the highest rate. " * 8) / int((1050 * long.answer_share - 16) / (32 * 0.54))
    )
    assert lines * 39 <= long.chart_height


def test_slide_spec_fills_the_slide():
    spec = screen_spec(_rates())
    assert spec["height"] != 300  # its own height on a normal page
    big = present.slide_spec(spec, 300)
    assert big["height"] == 300 and big["width"] == "container"
    check_spec(big)


def test_link_text_drops_the_scheme():
    link = "http://127.0.0.1:8560/violence?snapshot=official&borough=E09000022"
    assert present.link_text(link) == "127.0.0.1:8560/violence?snapshot=official&borough=E09000022"
    assert present.link_text("https://example.org/") == "example.org/"


def test_split_answer_keeps_the_finding_large_and_the_caveats_small():
    finding = "The rate was highest in Westminster (3.3); lowest in Richmond upon Thames (0.8)."
    caveat = "Left out: City of London (fewer than 20,000 residents)."
    change = "Compared with a year earlier, 3 boroughs saw a significant fall."
    answer, note = present.split_answer(f"{finding} {caveat} {change}", limit=120)
    assert answer == finding and note == f"{caveat} {change}"
    assert present.split_answer(f"{finding} {caveat}", limit=200) == (f"{finding} {caveat}", "")
    # A first sentence far past the limit is cut after its first clause.
    long = "Highest in Southwark (5.3), with Newham (4.8) and 11 others too close to tell apart; " + (
        "lowest in Greenwich (2.4), with Westminster (2.6) and 12 others too close to tell apart. "
    )
    answer, note = present.split_answer(long + "Left out: " + "Barnet, " * 60 + "Sutton.", limit=60)
    assert answer == "Highest in Southwark (5.3), with Newham (4.8) and 11 others too close to tell apart."
    assert note.startswith("Lowest in Greenwich (2.4)") and note.endswith("…")
    assert len(note) <= present.NOTE_LIMIT
    assert present.split_answer("") == ("", "")


def test_slide_spec_wraps_a_long_title_to_its_place():
    spec = {**screen_spec(_rates()), "title": "Knife crime: offences per 1,000 residents a year, Oct 2024 – Sep 2025"}
    narrow = present.slide_spec(spec, 300, width=400)
    assert len(narrow["title"]["text"]) == 3  # 33 characters a line at 24 px
    assert " ".join(narrow["title"]["text"]) == spec["title"]
    assert present.slide_spec(spec, 300, width=1050)["title"]["text"] == [spec["title"]]
    check_spec(narrow)
