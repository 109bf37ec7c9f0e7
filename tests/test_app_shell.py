"""The app shell, Overview and About pages in AppTest, with friendly and hostile links."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.ui import DEMO_NOTICE
from tests.apptest import ROOT, rerun, run_page, texts

pytestmark = pytest.mark.usefixtures("app_env")


def sidebar_select(at: AppTest, label: str):
    return next(s for s in at.sidebar.selectbox if s.label == label)


def test_overview_default_all_london_with_demo_notice():
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Overview: London"
    assert DEMO_NOTICE in texts(at)
    assert sidebar_select(at, "Borough").value == "london"
    labels = [m.label for m in at.metric]
    # One London card each for violence and for knife crime (harm), no borough card.
    assert labels.count("Offences") == 2 and "Black/White rate ratio" in labels
    body = texts(at)
    assert "Violence against the person in London:" in body and "the 12 months to September 2025" in body


@pytest.mark.parametrize("borough", ["lambeth", "E09000022", "LAMBETH", "Lambeth"])
def test_borough_in_link_selects_lambeth_beside_london(borough):
    at = run_page(query={"borough": borough})
    assert not at.exception
    assert at.title[0].value == "Overview: Lambeth"
    # Lambeth's and London's cards for violence and for knife crime (harm).
    assert [m.label for m in at.metric].count("Offences") == 4
    assert "**Lambeth**" in texts(at) and "**London**" in texts(at)
    assert at.query_params["borough"] == "E09000022"


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ({"borough": "Atlantis"}, "unknown borough"),
        ({"borough": "'; DROP TABLE stop_search; --"}, "unknown borough"),
        ({"from": "2025-13"}, "is not a month"),
        ({"from": "2025-06", "to": "2024-01"}, "ran backwards"),
        ({"from": "1990-01", "to": "2099-12"}, "trimmed to fit"),
        ({"snapshot": "../../etc/passwd"}, "no snapshot called"),
        ({"snapshot": "/tmp"}, "no snapshot called"),
    ],
)
def test_hostile_links_get_a_notice_not_a_traceback(query, notice):
    at = run_page(query=query)
    assert not at.exception
    assert at.title[0].value.startswith("Overview")
    assert notice in " ".join(w.value for w in at.warning)


def test_reversed_period_is_swapped():
    at = run_page(query={"from": "2025-06", "to": "2024-07"})
    assert "the 12 months to June 2025" in texts(at)


def test_changing_the_borough_updates_the_link_and_the_page():
    at = run_page()
    sidebar_select(at, "Borough").set_value("E09000028")
    at = rerun(at)
    assert at.title[0].value == "Overview: Southwark"
    assert at.query_params["borough"] == "E09000028"


def test_about_page_shows_manifest_methods_and_credits():
    at = run_page("pages/about.py")
    assert not at.exception
    body = texts(at)
    assert "About the data" in body
    assert "vega-datasets" in body and "Open Government Licence" in body
    assert "Rates** are per 1,000 residents **per year**" in body  # the methods section
    # Every table the snapshot's manifest lists, with its row count.
    manifest = json.loads((Path(os.environ["DASHBOARD_SNAPSHOT"]) / "manifest.json").read_text())
    shown = at.dataframe[-1].value.set_index("Table")["Rows"].to_dict()
    assert shown == {name: info["rows"] for name, info in manifest["tables"].items()}
    # Sources are static tables, which wrap long file names and notes to the page's width.
    sources = at.table[0].value
    assert list(sources.columns) == [
        "File", "Rows read", "Rows dropped", "Why dropped", "Kept but flagged", "SHA-256"
    ]  # fmt: skip
    assert sources["Rows read"].str.fullmatch(r"[\d,]+").all()


def test_shared_sidebar_survives_page_switch():
    """The AppTest helper must rerun app.py like a live server: the sidebar and the demo
    banner are drawn by app.py, so they prove it ran on the page's run."""
    at = run_page("pages/about.py", query={"borough": "camden"})
    assert sidebar_select(at, "Borough").value == "E09000007"
    assert DEMO_NOTICE in texts(at)


def test_plain_apptest_would_skip_app_py_on_rerun():
    """Guard for the helper: without its patch, AppTest 1.67 runs the page file alone after
    switch_page, so there is no sidebar. If Streamlit changes this, revisit tests/apptest.py."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/about.py").run()
    assert not any(s.label == "Borough" for s in at.sidebar.selectbox)


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/violence.py", "pages/trust.py", "pages/stop_search.py", "pages/about.py"]
)
def test_every_page_survives_a_link_full_of_junk(page):
    junk = {
        "borough": "x'; DROP TABLE stop_search; --",
        "from": "9999-99",
        "to": "2024-02-30",
        "snapshot": "../../../etc",
        "offence": "<script>alert(1)</script>",
        "measure": "../../etc/passwd",
        "ethnicity": "%00",
        "view": "' OR 1=1",
        "compare": "nowhere,E09000099",
    }
    at = run_page(page, query=junk)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page drew nothing"
    # The link's notices are shown on the first page opened (AppTest opens Overview first);
    # a value is quoted as given but never echoed back as markup.
    body = texts(at)
    assert "<script>" not in body
