"""No page shows None, nan, NaT or <NA>: every page, on the demo and on an official build from
our fixtures (whose Met files, like the real ones, have no City of London rows), scanned as
AppTest renders it. A table cell that is missing counts too: Streamlit's grid draws it as
"None" whatever a Styler says."""

from __future__ import annotations

import re

import pytest

from lib.pipeline.build import build_snapshot
from tests.apptest import run_page, texts
from tests.pipeline.conftest import FIXTURES

PAGES = [
    "pages/overview.py",
    "pages/violence.py",
    "pages/trust.py",
    "pages/stop_search.py",
    "pages/harm.py",
    "pages/about.py",
]
PLACEHOLDER = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>)(?![\w-])")


@pytest.fixture(scope="module")
def official(tmp_path_factory):
    out = tmp_path_factory.mktemp("placeholders") / "official-fixture"
    build_snapshot(FIXTURES, out, progress=False)
    return out


def _scan(at) -> list[str]:
    found = [f"text: …{m.string[max(0, m.start() - 40) : m.end() + 20]}…" for m in PLACEHOLDER.finditer(texts(at))]
    for index, table in enumerate(at.dataframe):
        frame = table.value
        if hasattr(frame, "data"):  # a Styler
            frame = frame.data
        missing = frame.isna()
        for column in frame.columns[missing.any()]:
            rows = frame.index[missing[column]].tolist()[:3]
            found.append(f"table {index}: missing cells in column {column!r} (rows {rows})")
        for column in frame.columns:
            cells = frame[column].astype(str)
            bad = cells[cells.str.fullmatch(PLACEHOLDER.pattern)]
            if len(bad):
                found.append(f"table {index}: {bad.iloc[0]!r} in column {column!r}")
        for name in (*frame.columns, *frame.index.names):
            if PLACEHOLDER.fullmatch(str(name)) and name is not None:
                found.append(f"table {index}: heading {name!r}")
    return found


@pytest.mark.parametrize("page", PAGES)
def test_no_placeholders_on_the_demo(app_env, page):
    at = run_page(page, query={"borough": "Lambeth"}, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert _scan(at) == []


@pytest.mark.parametrize("page", PAGES)
def test_no_placeholders_on_an_official_build(official, monkeypatch, tmp_path, page):
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(official))
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    at = run_page(page, query={"borough": "Lambeth"}, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert _scan(at) == []
