"""The stop and search page as a live server runs it, with every filter and hostile links."""

from __future__ import annotations

import pytest

from tests.apptest import deck_specs, rerun, run_page, texts, vega_specs

PAGE = "pages/stop_search.py"


def _no_exceptions(at):
    assert not at.exception, [e.message for e in at.exception]


def test_default_view(app_env):
    at = run_page(PAGE)
    _no_exceptions(at)
    shown = texts(at)
    assert "Black Londoners were searched at" in shown
    assert "self-defined ethnicity" in shown and "Census 2021 residents" in shown
    assert "need not live there" in shown
    assert "fewer than 10" in shown
    assert "outcome test" in shown.lower()
    assert len(deck_specs(at)) == 1  # the borough map
    assert len(vega_specs(at)) >= 6
    assert len(at.dataframe) >= 1


def test_borough_headline_and_selected_row(app_env):
    at = run_page(PAGE, query={"borough": "lambeth"})
    _no_exceptions(at)
    shown = texts(at)
    assert "Stop and search in Lambeth:" in shown and "Black people were searched at" in shown
    assert "Black Londoners" in shown
    ranking = at.dataframe[-1].value
    ranking = ranking.data if hasattr(ranking, "data") else ranking  # a Styler
    assert "▶ Lambeth" in set(ranking["Borough"])
    assert deck_specs(at)[0]["layers"][-1]["id"] == "selected-borough"


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"ethnicity": "officer"}, "officer-defined Other is compared with Census Mixed and Other"),
        ({"power": "PACE s1"}, "searches under PACE s1"),
        ({"type": "Vehicle search"}, "vehicle searches"),
        ({"age": "10-17"}, "people aged 10-17"),
        ({"gender": "Female"}, "female people"),
        ({"group": "Asian"}, "Asian Londoners were searched at"),
        ({"by": "object"}, "Controlled drugs"),
    ],
)
def test_each_filter_from_the_link(app_env, query, expected):
    at = run_page(PAGE, query=query)
    _no_exceptions(at)
    assert expected in texts(at) + str(vega_specs(at))
    for key, value in query.items():
        assert at.query_params[key] == value


def test_tiles_instead_of_map(app_env):
    at = run_page(PAGE, query={"view": "tiles"})
    _no_exceptions(at)
    assert not deck_specs(at)
    assert any("tile_col" in str(spec) for spec in vega_specs(at))


def test_changing_a_filter_reruns_cleanly(app_env):
    at = run_page(PAGE, query={"borough": "hackney"})
    at.selectbox(key="url:ethnicity").set_value("officer")
    rerun(at)
    _no_exceptions(at)
    assert "officer-defined" in texts(at)
    assert at.query_params["ethnicity"] == "officer"


@pytest.mark.parametrize(
    "query",
    [
        {"ethnicity": "<script>", "power": "'; DROP TABLE stop_search; --", "group": "Martian"},
        {"age": "x" * 500, "gender": "", "view": "3d", "by": "colour"},
        {"ethnicity": "officer", "group": "Mixed"},  # officers record no Mixed
    ],
)
def test_hostile_links_fall_back_with_a_notice(app_env, query):
    at = run_page(PAGE, query=query)
    _no_exceptions(at)
    assert "Black Londoners were searched at" in texts(at)
    assert at.warning  # the ignored values are named


def test_no_matching_searches(app_env):
    at = run_page(
        PAGE,
        query={
            "borough": "city-of-london",
            "age": "under 10",
            "gender": "Other",
            "type": "Vehicle search",
            "power": "Terrorism Act",
        },
    )
    _no_exceptions(at)
    assert "No searches match these filters" in texts(at)
