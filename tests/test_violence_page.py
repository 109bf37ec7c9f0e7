"""The violence page as a live server runs it: every filter, a borough, hostile links."""

from __future__ import annotations

import pytest

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
    assert len(at.dataframe) >= 1


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
    assert counts.iloc[0] == counts.max() and rows["Rank"].iloc[0] == "1"


@pytest.mark.parametrize(
    "query",
    [
        {"offence": "<script>", "measure": "%00", "map": "x" * 500},
        {"borough": "Atlantis", "from": "1900-01", "to": "2999-12"},
        {"from": "2024-13", "offence": "ROBBERY"},
    ],
)
def test_hostile_links_get_notices_not_tracebacks(app_env, query):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert "in London:" in texts(at) or "Robbery" in texts(at)


def test_short_period_compares_with_a_year_earlier(app_env):
    at = run_page(PAGE, query={"from": "2025-01", "to": "2025-03", "borough": "westminster"})
    assert not at.exception
    assert "the same months a year earlier" in texts(at)
