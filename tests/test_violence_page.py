"""The violence page as a live server runs it: every filter, a borough, hostile links."""

from __future__ import annotations

import re

import pytest

from lib.narrative.ranking import RANK_HEADING as RANK
from tests.apptest import deck_specs, run_page, texts, vega_specs

PAGE = "pages/violence.py"


def test_default_view_all_london(app_env):
    at = run_page(PAGE)
    assert not at.exception
    text = texts(at)
    assert "Violence against the person in London:" in text and "per 1,000 residents a year" in text
    assert "Census 2021 residents" in text and "City of London" in text
    layers = {layer["id"] for spec in deck_specs(at) for layer in spec["layers"]}
    assert {"boroughs", "hexagon-counts", "hot-spots"} <= layers
    # The ranking covers all 33 boroughs by the default measure (rate, highest first), and
    # London's headline count is their sum.
    # The ranking table is text (a dash where a figure is missing or not ranked): ranked
    # boroughs first in rank order, then the unranked (on the demo, the City of London, whose
    # 8,600 residents make a rate per resident mislead).
    ranking = at.dataframe[-1].value
    ranking = ranking.data if hasattr(ranking, "data") else ranking
    rate = next(column for column in ranking.columns if column.startswith("Rate"))
    ranked = ranking[ranking[RANK] != "–"]
    ranks = [int(r.split(" ")[0]) for r in ranked[RANK]]
    assert len(ranking) == 33 and ranks == sorted(ranks) and len(ranked) == 32
    assert float(ranked[rate].iloc[0]) == ranked[rate].astype(float).max()
    assert ranking.iloc[-1]["Borough"] == "City of London"
    headline = re.search(r"in London: ([\d,]+) offences", text)
    counts = ranking["Offences"].str.replace(",", "").astype(int)
    assert headline and int(headline.group(1).replace(",", "")) == counts.sum()


def test_borough_zooms_hotspots_and_highlights(app_env):
    at = run_page(PAGE, query={"borough": "lambeth"})
    assert not at.exception
    text = texts(at)
    assert "in Lambeth:" in text and "Lambeth has" in text
    hotspot_deck = next(s for s in deck_specs(at) if any(layer["id"] == "hexagon-counts" for layer in s["layers"]))
    assert hotspot_deck["initialViewState"]["zoom"] > 10  # zoomed to the borough
    ranking = at.dataframe[-1].value
    assert "Lambeth" in set(ranking["Borough"]) and len(ranking) == 33


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"offence": "robbery"}, "Robbery in London:"),
        ({"offence": "homicide", "borough": "sutton"}, "Homicide in Sutton:"),
        ({"offence": "violence-with-injury", "measure": "count"}, "Violence with injury in London:"),
        ({"offence": "sexual-offences"}, "which also includes violence against the person"),
        ({"offence": "possession-of-weapons", "map": "tiles"}, "Possession of weapons in London:"),
        ({"offence": "knife-crime"}, "Hot spots are not available for knife crime"),
    ],
)
def test_each_offence_group_and_option(app_env, query, expected):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert expected in texts(at)
    if query.get("map") == "tiles":
        assert any("tile_col" in str(spec) for spec in vega_specs(at))


def test_count_measure_ranks_by_count(app_env):
    at = run_page(PAGE, query={"measure": "count"})
    rows = at.dataframe[-1].value
    if hasattr(rows, "data"):  # a Styler
        rows = rows.data
    counts = rows["Offences"].str.replace(",", "").astype(int)
    # Reliable boroughs first, highest count first.
    assert counts.iloc[0] == counts.max() and rows[RANK].iloc[0] == "1"


@pytest.mark.parametrize(
    ("query", "notices", "headline"),
    [
        (
            {"offence": "<script>", "measure": "%00", "map": "x" * 500},
            ["is not a choice for offence group", "is not a choice for measure", "is not a choice for borough map"],
            "Violence against the person in London:",
        ),
        (
            {"borough": "Atlantis", "from": "1900-01", "to": "2999-12"},
            ["unknown borough ('Atlantis')", "'2999-12' is not a month", "the period was trimmed to fit"],
            "Violence against the person in London:",
        ),
        ({"from": "2024-13", "offence": "ROBBERY"}, ["'2024-13' is not a month"], "Robbery in London:"),
    ],
)
def test_hostile_links_get_notices_not_tracebacks(app_env, query, notices, headline):
    at = run_page(PAGE, query=query)
    assert not at.exception
    shown = [warning.value for warning in at.warning]
    for notice in notices:
        assert any(notice in text for text in shown), f"no notice saying {notice!r} in {shown}"
    assert headline in texts(at)  # the page still shows the defaults it fell back to


def test_short_period_compares_with_a_year_earlier(app_env):
    at = run_page(PAGE, query={"from": "2025-01", "to": "2025-03", "borough": "westminster"})
    assert not at.exception
    assert "the same months a year earlier" in texts(at)
