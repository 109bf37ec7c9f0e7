"""The issue's six cases on an official snapshot built from the publishers' real files
(../shared/real): what a reader sees on each page. Skipped when those files are absent."""

from __future__ import annotations

import pytest

from lib.narrative.ranking import RANK_HEADING as RANK
from lib.pipeline.build import build_snapshot
from tests.apptest import open_snapshot_alone, run_page, texts

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def real_snapshot(shared_real, tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "official"
    build_snapshot(shared_real, out, progress=False)
    return out


@pytest.fixture
def on_real(real_snapshot, monkeypatch, tmp_path):
    open_snapshot_alone(monkeypatch, real_snapshot, tmp_path)


def _table(at, index: int = -1):
    frame = at.dataframe[index].value
    return frame.data if hasattr(frame, "data") else frame


def test_violence_change_uses_one_rule_and_warns_of_connect(on_real):
    # Lambeth, December 2024 to February 2025: 2,110 offences against 2,289 in December 2023 to
    # February 2024 (−7.8%), on both pages; the earlier months hold the move to CONNECT.
    query = {"borough": "Lambeth", "from": "2024-12", "to": "2025-02"}
    for page in ("pages/overview.py", "pages/violence.py"):
        shown = texts(run_page(page, query=query, timeout=120))
        assert "Violence against the person in Lambeth: 2,110 offences in the 3 months to February 2025" in shown
        assert "down 8% on the same months a year earlier (December 2023 to February 2024)" in shown
        assert "Take care: the comparison spans a change in recording on 28 February 2024" in shown


def test_searches_name_the_months_they_cover_and_only_the_met(on_real):
    at = run_page("pages/stop_search.py", query={"borough": "Lambeth"}, timeout=120)
    shown = texts(at)
    assert (
        "Stop and search in Lambeth: 2,395 searches in the 6 months March to August 2024, the latest this "
        "snapshot holds" in shown
    )
    assert "12 months to February 2025" not in shown
    assert "Metropolitan Police Service files, March to August 2024" in shown
    assert "City of London Police" not in shown
    overview = texts(run_page("pages/overview.py", query={"borough": "Lambeth"}, timeout=120))
    assert "2,395 searches in the 6 months March to August 2024, the latest this snapshot holds" in overview


def test_ratio_headlines_leave_out_the_city(on_real):
    at = run_page("pages/stop_search.py", timeout=120)
    shown = texts(at)
    assert "The Black/White ratio was highest in Kensington and Chelsea" in shown
    assert "highest in City of London" not in shown
    assert "Left out: City of London (fewer than 20 searches of Black or White people)" in shown
    ranking = _table(at)
    city = ranking[ranking["Borough"] == "City of London"].iloc[0]
    assert city[RANK] == "–" and city["Rate ratio"] == "19.66"  # shown, grey, unranked
    assert "City of London: not ranked, fewer than 20 searches of Black or White people" in shown


def test_violence_ranking_has_a_dash_and_says_why(on_real):
    at = run_page("pages/violence.py", timeout=120)
    ranking = _table(at)
    city = ranking[ranking["Borough"] == "City of London"].iloc[0]
    assert set(city[[RANK, "Offences", "Change on same months a year earlier"]]) == {"–"}
    assert not ranking.isin(["None", "nan", "NaN", "<NA>"]).any().any()
    shown = texts(at)
    assert "the City of London is policed by the City of London Police, so the Met's recorded crime has no figure" in (
        shown
    )
