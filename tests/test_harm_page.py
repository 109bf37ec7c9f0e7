"""The Harm and justice page and the Overview's harm card as a live server runs them: on the
demo, on snapshots built from our fixtures in both header layouts, and on one without the
Met's Monthly Crime Dashboard data."""

from __future__ import annotations

import pytest

from lib.narrative.tables import PLACEHOLDERS
from lib.pipeline.build import build_snapshot
from tests.apptest import deck_specs, run_page, texts, vega_specs
from tests.harm_fixtures import source_folder

PAGE = "pages/harm.py"
OVERVIEW = "pages/overview.py"


@pytest.fixture(scope="module")
def fixture_builds(tmp_path_factory) -> dict[str, str]:
    """Snapshots built from the official fixtures plus the dashboard files in each layout,
    and one without them."""
    out = {}
    for name, layouts in {"current": ("current",), "older": ("older",), "none": ()}.items():
        folder = tmp_path_factory.mktemp(f"harm-{name}")
        build_snapshot(source_folder(folder / "source", layouts), folder / "snapshot", progress=False)
        out[name] = str(folder / "snapshot")
    return out


def _use(monkeypatch, app_env, snapshot: str) -> None:
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", snapshot)


def test_default_view_all_london(app_env):
    at = run_page(PAGE)
    assert not at.exception
    text = texts(at)
    assert "Harm and justice" in text
    assert "Knife crime in London:" in text and "per 1,000 residents a year" in text
    assert "Knife injury victims (1-24) in London:" in text
    assert "positive outcomes were recorded" in text and "not the share of this period's offences" in text
    assert "London here means the 32 boroughs the Met polices" in text
    layers = {layer["id"] for spec in deck_specs(at) for layer in spec["layers"]}
    assert "boroughs" in layers
    assert len(vega_specs(at)) >= 4  # outcome trend, outcome ranking, offence trend, legend
    table = at.dataframe[-1].value
    assert len(table) == 33 and not set(table.astype(str).to_numpy().ravel()) & set(PLACEHOLDERS)
    assert any(button.label == "Download the figures (CSV)" for button in at.get("download_button"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"offence": "domestic-abuse"}, "The Met itself says its domestic abuse figures recorded on CONNECT"),
        ({"offence": "knife-injury-victims-1-24"}, "The Met publishes no positive outcomes for knife injury victims"),
        ({"offence": "hate-crime", "borough": "westminster"}, "Hate crime in Westminster:"),
        ({"offence": "total-notifiable-offences", "measure": "count"}, "The number of total notifiable offences"),
        ({"borough": "city-of-london"}, "no figure (the City of London is policed by the City of London Police"),
        ({"borough": "city-of-london", "offence": "hate-crime"}, "The Met itself says its hate crime figures"),
    ],
)
def test_each_offence_and_option(app_env, query, expected):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert expected in texts(at)


@pytest.mark.parametrize(
    "query",
    [
        {"offence": "<script>alert(1)</script>", "measure": "both"},
        {"offence": "", "borough": "atlantis", "from": "2099-01", "to": "1999-13"},
        {"offence": "knife-crime" * 40},
    ],
)
def test_hostile_links_get_notices_not_tracebacks(app_env, query):
    at = run_page(PAGE, query=query)
    assert not at.exception
    assert "Knife crime in London:" in texts(at)


def test_overview_card_and_page_give_the_same_figures(app_env):
    query = {"borough": "lambeth"}
    page, overview = run_page(PAGE, query=query), run_page(OVERVIEW, query=query)
    assert not page.exception and not overview.exception
    on_page = [(m.label, m.value, m.delta or "", m.help or "") for m in page.metric]
    assert [m[0] for m in on_page] == ["Offences", "Per 1,000 a year", "Outcome rate"] * 2  # Lambeth, London
    on_overview = [(m.label, m.value, m.delta or "", m.help or "") for m in overview.metric]
    starts = [i for i in range(len(on_overview)) if on_overview[i : i + len(on_page)] == on_page]
    assert starts, "the Overview's harm card does not show the page's figures"
    page_text, overview_text = texts(page), texts(overview)
    for sentence in ("Knife crime in London:", "Knife injury victims (1-24) in Lambeth:"):
        line = next(part for part in page_text.split("\n") if sentence in part).strip("*# ")
        assert line in overview_text


def test_page_on_the_current_layout_fixture_gives_the_hand_worked_figures(app_env, monkeypatch, fixture_builds):
    _use(monkeypatch, app_env, fixture_builds["current"])
    at = run_page(PAGE, query={"borough": "lambeth", "from": "2024-03", "to": "2024-05"})
    assert not at.exception
    text = texts(at)
    assert "Knife crime in Lambeth: 72 offences in the 3 months to May 2024" in text
    assert "no significant change on the same months a year earlier (March to May 2023) (−20%)" in text
    assert "In Lambeth, 9 positive outcomes were recorded in the 3 months to May 2024, against 72" in text
    assert "Knife crime in London: 162 offences" in text
    metrics = {(m.label, m.value) for m in at.metric}
    assert ("Offences", "72") in metrics and ("Outcome rate", "12.5%") in metrics
    table = at.dataframe[-1].value
    lambeth = table[table["Borough"] == "Lambeth"].iloc[0]
    assert lambeth["Offences"] == "72" and lambeth["Outcome rate (95% interval)"] == "12.5% (6.7–22.1%)"
    assert "Monthly Crime Dashboard data" in text  # the source line, from the manifest


def test_page_on_the_older_layout_fixture(app_env, monkeypatch, fixture_builds):
    _use(monkeypatch, app_env, fixture_builds["older"])
    at = run_page(PAGE, query={"borough": "lambeth", "from": "2024-02", "to": "2024-04"})
    assert not at.exception
    # The older files hold one more in every cell: 25 a month in 2024, 31 in 2023.
    assert "Knife crime in Lambeth: 75 offences in the 3 months to April 2024" in texts(at)
    assert "February to April 2023" in texts(at)


def test_a_snapshot_without_the_dashboard_says_so(app_env, monkeypatch, fixture_builds):
    _use(monkeypatch, app_env, fixture_builds["none"])
    at = run_page(PAGE)
    assert not at.exception
    assert "This snapshot holds none of the Met's Monthly Crime Dashboard data" in texts(at)
    overview = run_page(OVERVIEW)
    assert not overview.exception
    assert "This snapshot holds none of the Met's Monthly Crime Dashboard data" in texts(overview)


def test_period_outside_the_dashboard_months(app_env, monkeypatch, fixture_builds):
    _use(monkeypatch, app_env, fixture_builds["older"])
    at = run_page(PAGE, query={"from": "2024-05", "to": "2024-05"})
    assert not at.exception
    assert (
        "This snapshot holds no Monthly Crime Dashboard data for May 2024 (it holds February 2023 to April 2024): "
        "choose another period in the sidebar." in texts(at)
    )
