"""One figure, one number: Overview and each topic page, opened with the same filters, show
the same numbers for the same area (they call the same functions). On the demo and on an
official build from our fixtures, whose stop-and-search files cover one month only.

Before the rule, Overview compared violence with the previous equal-length period and the
Violence page with the same months a year earlier, and Overview had its own survey summary
(without the fewer-than-50-respondents rule) and its own Black/White ratio."""

from __future__ import annotations

import re
from functools import cache

import pytest

from lib.pipeline.build import build_snapshot
from tests.apptest import run_page
from tests.harm_fixtures import source_folder
from tests.pipeline.conftest import FIXTURES

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?%?")
# (snapshot, filters): the demo covers October 2023 to September 2025 at 5% of London.
CASES = [
    ("demo", {"borough": "Lambeth"}),
    ("demo", {"borough": "Lambeth", "from": "2024-12", "to": "2025-02"}),
    ("demo", {}),
    ("official", {"borough": "Lambeth"}),
    # The official fixtures plus our Monthly Crime Dashboard files (tests/harm_fixtures.py).
    ("official-harm", {"borough": "Lambeth", "from": "2024-03", "to": "2024-05"}),
]
TOPICS = {
    # topic page, and how to find the area's sentence on both pages
    "violence": ("pages/violence.py", lambda area: f"Violence against the person in {area}:"),
    "searches": ("pages/stop_search.py", lambda area: f"Stop and search in {area}:"),
    "trust": ("pages/trust.py", lambda area: f"of {'Londoners' if area == 'London' else f'people in {area}'} trust"),
    "harm": ("pages/harm.py", lambda area: f"Knife crime in {area}:"),
}
# Snapshots without the Met's Monthly Crime Dashboard files have no harm figures to compare.
NO_HARM = {"official"}


@pytest.fixture(scope="module")
def snapshots(small_snapshot, tmp_path_factory):
    folder = tmp_path_factory.mktemp("same-numbers")
    official = folder / "official-fixture"
    build_snapshot(FIXTURES, official, progress=False)
    with_harm = folder / "official-harm"
    build_snapshot(source_folder(folder / "harm-source"), with_harm, progress=False)
    return {"demo": small_snapshot, "official": official, "official-harm": with_harm}


@cache
def _sentences(snapshot: str, page: str, query: tuple) -> tuple[str, ...]:
    at = run_page(page, query=dict(query), timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    return tuple(" ".join(m.value.removeprefix("#### ").split()) for m in at.markdown)


def _sentence(sentences: tuple[str, ...], marker: str) -> str:
    found = [s for s in sentences if marker in s]
    assert found, f"no sentence with {marker!r}"
    return found[0][found[0].index(marker) :] if marker.endswith(":") else found[0]


@pytest.mark.parametrize("topic", sorted(TOPICS))
@pytest.mark.parametrize(("snapshot", "query"), CASES)
def test_overview_and_topic_page_show_the_same_numbers(snapshots, monkeypatch, tmp_path, snapshot, query, topic):
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(snapshots[snapshot]))
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    if topic == "harm" and snapshot in NO_HARM:
        pytest.skip("this snapshot holds no Monthly Crime Dashboard data")
    page, marker = TOPICS[topic]
    area = query.get("borough", "London")
    key = tuple(sorted(query.items()))
    overview = _sentence(_sentences(snapshot, "pages/overview.py", key), marker(area))
    topic_page = _sentence(_sentences(snapshot, page, key), marker(area))
    numbers = NUMBER.findall(overview)
    assert numbers, overview
    assert NUMBER.findall(topic_page) == numbers, (overview, topic_page)
