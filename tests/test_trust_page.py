"""The trust and confidence page run as a live server runs it (AppTest through app.py)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from lib.contract import open_snapshot
from lib.metrics import survey
from lib.queries.common import month_range
from lib.queries.trust import area_values, group_types_with_splits, group_values, groups_published, survey_measures
from lib.store import Store
from tests.apptest import rerun, run_page, texts, vega_specs
from tests.conftest import reseal

PAGE = "pages/trust.py"


def _ok(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    return texts(at)


def test_queries_on_the_demo(small_snapshot):
    store = Store(open_snapshot(small_snapshot))
    assert survey_measures(store)[0] == "trust"
    values = area_values(store, measure="trust")
    assert values["gss_code"].isna().any() and "E09000001" not in set(values["gss_code"].dropna())
    assert values["gss_code"].nunique() == 32  # boroughs; London's null code is not counted
    assert group_types_with_splits(store, measure="trust") == ("ethnicity", "age", "gender")
    assert groups_published(store, measure="trust", group_type="gender") == ("Female", "Male")


def test_default_view_answers_for_london(app_env):
    at = run_page(PAGE)
    shown = _ok(at)
    assert "Survey question:" in shown and "Strongly agree or tend to agree" in shown
    assert "Trust the Met, London" in shown and "of Londoners trust the Met (95% interval" in shown
    assert "the 12 months to September 2025" in shown
    assert "City of London is not surveyed" in shown and "rounded" in shown
    specs = vega_specs(at)
    assert len(specs) == 1 and specs[0]["layer"][1]["encoding"]["color"]["scale"]["domain"] == ["London"]
    assert at.get("download_button")


def test_borough_with_comparisons(app_env):
    at = run_page(PAGE, query={"borough": "lambeth", "compare": "southwark,brent,barnet,ealing", "measure": "fair"})
    shown = _ok(at)
    assert "Treat everyone fairly, Lambeth" in shown and "people in Lambeth agree the police treat" in shown
    domain = vega_specs(at)[0]["layer"][1]["encoding"]["color"]["scale"]["domain"]
    assert domain == ["Lambeth", "London", "Southwark", "Brent", "Barnet"]  # at most three comparisons
    assert at.query_params["measure"] == "fair"  # the link keeps the view


def test_all_boroughs_view(app_env):
    at = run_page(PAGE, query={"borough": "E09000022", "view": "boroughs"})
    shown = _ok(at)
    assert "Lambeth ranks" in shown and "of 32 surveyed boroughs" in shown
    assert "rose significantly" in shown and "▲▼ mark significant changes" in shown
    dots, tiles = vega_specs(at)
    assert dots["layer"][1]["mark"]["type"] == "circle"
    assert "vconcat" in tiles  # the tile map with its legend beneath
    assert len(at.get("download_button")) == 2


def _gap_verdict(snapshot, group_type: str, pair: tuple[str, str]) -> tuple[str, float, float]:
    """How the gap moved on a year earlier, with both groups' values at the default period's
    latest quarter end, computed by the metrics without the page."""
    store = Store(open_snapshot(snapshot))
    values = survey.with_intervals(area_values(store, measure="trust"))
    latest = survey.latest_period_end(values["period_end"].unique(), month_range(store)[1])
    gaps = survey.gap_series(survey.with_intervals(group_values(store, measure="trust", group_type=group_type)), *pair)
    row = gaps[gaps["period_end"] == latest].iloc[0]
    return survey.gap_change(gaps, latest).verdict, row["p_a"], row["p_b"]


def test_gap_between_groups(app_env, small_snapshot):
    at = run_page(PAGE, query={"view": "groups", "groups": "age", "a": "16-24", "b": "65+"})
    shown = _ok(at)
    verdict, young, old = _gap_verdict(small_snapshot, "age", ("16-24", "65+"))
    assert f"Londoners aged 16-24: {young * 100:.0f}%" in shown and f"Londoners aged 65+: {old * 100:.0f}%" in shown
    phrase = {"about the same": "about the same as a year ago", "reversed": "the gap has reversed since a year ago"}
    assert phrase.get(verdict, f"{verdict} than a year ago") in shown
    assert "Newcombe" in shown
    assert len(vega_specs(at)) == 2
    at.selectbox(key="url:a").set_value("25-34")
    shown = _ok(rerun(at))
    assert "Londoners aged 25-34:" in shown


def test_city_of_london_shows_london(app_env):
    shown = _ok(run_page(PAGE, query={"borough": "City of London"}))
    assert "does not cover the City of London, so London is shown" in shown
    assert "Trust the Met, London" in shown


def test_period_before_the_survey_starts(app_env):
    shown = _ok(run_page(PAGE, query={"from": "2023-10", "to": "2023-11"}))
    assert "first figure is for the 12 months to December 2023" in shown


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"measure": "nonsense", "view": "<script>", "compare": "foo,bar"}, "is not a choice"),
        ({"view": "groups", "groups": "religion", "a": "Martian", "b": "'; DROP TABLE survey; --"}, "is not a choice"),
        # values matched case-blind; an unknown borough falls back to all London
        ({"measure": "TRUST", "view": "BOROUGHS", "borough": "nowhere"}, "above London and"),
    ],
)
def test_hostile_links_get_notices_not_tracebacks(app_env, query, expected):
    shown = _ok(run_page(PAGE, query=query))
    assert "Trust and confidence" in shown and expected in shown


@pytest.fixture
def official_like_env(small_snapshot, tmp_path, monkeypatch, snapshot_env):
    """The demo with respondent counts removed (as in MOPAC's published files) and one
    ethnic group under 50 respondents."""
    copy = tmp_path / "official-like"
    shutil.copytree(small_snapshot, copy)
    survey = pd.read_parquet(copy / "survey.parquet")
    survey.loc[survey["group_type"] == "all", "base"] = float("nan")
    survey.loc[survey["group"] == "Black", "base"] = 30.0
    survey.to_parquet(copy / "survey.parquet", index=False)
    reseal(copy)
    for key, value in {**snapshot_env, "DASHBOARD_SNAPSHOT": str(copy)}.items():
        monkeypatch.setenv(key, value)


def test_approximate_intervals_and_suppressed_groups(official_like_env):
    shown = _ok(run_page(PAGE, query={"borough": "lambeth"}))
    assert "interval" in shown and ", approximate)" in shown
    assert "intervals use the survey's design" in shown
    shown = _ok(run_page(PAGE, query={"view": "groups"}))
    assert "is not shown: fewer than 50 respondents" in shown
