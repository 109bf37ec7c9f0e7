"""Links keep the view and say what they did: the address always carries the snapshot, the
area and the period; a copied link is shown in full; a repeated parameter names the value
used; a value with a hidden character is quoted as given; parameters the page does not use
are dropped."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from lib.filters import Filters
from lib.manifest import snapshot_label
from tests.apptest import rerun, run_page, texts
from tests.conftest import build_demo

pytestmark = pytest.mark.usefixtures("app_env")


def sidebar_select(at: AppTest, label: str):
    return next(s for s in at.sidebar.selectbox if s.label == label)


def warnings(at: AppTest) -> str:
    return "\n".join(w.value for w in at.warning)


def link(at: AppTest) -> str:
    """The text of the 'Link to this view' code block in the sidebar."""
    return next(c.value for c in at.sidebar.get("code"))


def test_the_address_carries_every_shared_value_even_at_its_default():
    at = run_page()
    assert not at.exception
    params = dict(at.query_params)
    assert {key: params.get(key) for key in ("snapshot", "borough", "from", "to")} == {
        "snapshot": "startup",
        "borough": "london",
        "from": "2024-10",
        "to": "2025-09",
    }


def test_a_default_link_reopens_the_same_period_on_a_longer_snapshot():
    """The link names its months, so a newer snapshot does not move the period."""
    first, last = date(2023, 10, 1), date(2025, 9, 1)
    shown = Filters.default(first, last)
    reopened, notices = Filters.from_query_params(shown.to_query_params(), first, date(2026, 3, 1))
    assert reopened == shown and notices == []


def test_copy_link_shows_the_full_link_of_the_page():
    at = run_page("pages/violence.py", query={"borough": "lambeth"})
    assert not at.exception
    text = link(at)
    assert text.startswith("/violence?")
    for part in ("snapshot=startup", "borough=E09000022", "from=2024-10", "to=2025-09", "offence=", "measure=rate"):
        assert part in text, part


def test_the_copied_link_follows_a_change_of_borough():
    at = run_page("pages/trust.py")
    sidebar_select(at, "Borough").set_value("E09000028")
    at = rerun(at)
    assert "borough=E09000028" in link(at) and "measure=trust" in link(at)


def test_a_repeated_borough_says_which_was_used():
    at = run_page(query={"borough": ["lambeth", "hackney"]})
    assert not at.exception
    assert at.title[0].value == "Overview: Lambeth"
    assert "named 2 boroughs ('lambeth', 'hackney'); the first was used, so Lambeth is shown" in warnings(at)
    assert at.query_params["borough"] == "E09000022"


def test_a_repeated_page_choice_says_which_was_used():
    at = run_page("pages/violence.py", query={"measure": ["count", "rate"]})
    assert not at.exception
    assert "gave measure 2 times; the first was used" in warnings(at)
    assert at.query_params["measure"] == "count"


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("lamb\u200beth", "'lamb\\\\u200beth'"),  # zero-width space, shown as its escape
        ("lambeth\x00", "'lambeth\\\\x00'"),
        ("lambeth\n", "'lambeth\\\\n'"),
    ],
)
def test_a_hidden_character_is_quoted_as_given(value, quoted):
    at = run_page(query={"borough": value})
    assert not at.exception
    assert f"unknown borough ({quoted})" in warnings(at)
    assert at.title[0].value == "Overview: London"


def test_markup_in_a_link_is_quoted_literally_not_drawn():
    at = run_page(query={"borough": "<b>x</b>*"})
    assert "unknown borough ('\\<b\\>x\\</b\\>\\*')" in warnings(at)


def test_parameters_the_page_does_not_use_are_dropped():
    at = run_page("pages/about.py", query={"utm_source": "mail", "measure": "fair", "borough": "camden"})
    assert not at.exception
    assert "utm_source" not in at.query_params and "measure" not in at.query_params
    assert at.query_params["borough"] == "E09000007"
    assert "does not use 'utm\\_source', 'measure' from the link, so they were left out" in warnings(at)
    assert "utm_source" not in link(at)


def test_one_unused_parameter_is_named_in_the_singular():
    at = run_page("pages/about.py", query={"fbclid": "abc123"})
    assert "This page does not use 'fbclid' from the link, so it was left out of the address." in warnings(at)


def test_a_page_keeps_its_own_parameters():
    at = run_page("pages/violence.py", query={"measure": "count", "map": "tiles"})
    assert at.query_params["measure"] == "count" and at.query_params["map"] == "tiles"
    assert "from the link" not in warnings(at)


def test_the_snapshot_picker_says_what_each_snapshot_holds():
    assert snapshot_label({"kind": "official", "period": {"to": "2025-02"}, "created_at": "2026-12-04T10:00Z"}) == (
        "Official · data to February 2025 · built 2026-12-04"
    )
    assert snapshot_label({"kind": "demo"}) == "Demo (synthetic)"
    at = run_page()
    label = sidebar_select(at, "Snapshot").options[0]
    assert label.startswith("Demo (synthetic) · data to September 2025 · built ") and label.endswith("(start-up)")


@pytest.fixture(scope="module")
def long_snapshot(tmp_path_factory):
    return build_demo(tmp_path_factory.mktemp("long") / "long-demo", months=60, scale=0.01)


def test_a_long_snapshot_gets_from_and_to_menus(long_snapshot, monkeypatch):
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(long_snapshot))
    at = run_page("pages/about.py")
    assert not at.exception
    start, end = sidebar_select(at, "From"), sidebar_select(at, "To")
    assert (start.value, end.value) == (date(2024, 10, 1), date(2025, 9, 1))
    assert start.options[0] == "Sep 2025" and start.options[-1] == "Oct 2020"  # newest first
    start.set_value(date(2021, 1, 1))
    at = rerun(at)
    assert (at.query_params["from"], at.query_params["to"]) == ("2021-01", "2025-09")
    sidebar_select(at, "To").set_value(date(2020, 11, 1))  # before 'From': the two are swapped
    at = rerun(at)
    assert (at.query_params["from"], at.query_params["to"]) == ("2020-11", "2021-01")
    assert "were swapped" in texts(at) or any("swapped" in c.value for c in at.sidebar.caption)
