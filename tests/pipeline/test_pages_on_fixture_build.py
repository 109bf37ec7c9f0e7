"""Every page on an official snapshot built from our own fixtures, including the LSOA
hot-spot path (crime_areas + lsoas) that the real files in ../shared/real cannot exercise."""

from __future__ import annotations

import json

import pytest

from lib.pipeline.build import build_snapshot
from tests.apptest import deck_specs, open_snapshot_alone, run_page, texts
from tests.pipeline.conftest import write_lsoa_outlines

PAGES = ["pages/overview.py", "pages/violence.py", "pages/trust.py", "pages/stop_search.py", "pages/about.py"]


@pytest.fixture(scope="module")
def lsoa_snapshot(tmp_path_factory):
    import shutil

    from tests.pipeline.conftest import FIXTURES

    source = tmp_path_factory.mktemp("source") / "official"
    shutil.copytree(FIXTURES, source)
    write_lsoa_outlines(source / "boundaries" / "ESRI")
    # Without street-level files there are no H3 cells, so hot spots must come from LSOAs.
    for street in source.rglob("*-street.csv"):
        street.unlink()
    out = tmp_path_factory.mktemp("snap") / "official-fixture"
    build_snapshot(source, out, progress=False)
    return out


@pytest.fixture
def on_fixture(lsoa_snapshot, monkeypatch, tmp_path):
    open_snapshot_alone(monkeypatch, lsoa_snapshot, tmp_path)
    return lsoa_snapshot


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_an_official_fixture_build(on_fixture, page):
    at = run_page(page, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert "Demo data" not in texts(at)


def test_violence_hot_spots_use_lsoas_when_the_snapshot_has_small_area_counts(on_fixture):
    manifest = json.loads((on_fixture / "manifest.json").read_text())
    assert "crime_areas" in manifest["tables"] and "lsoas" in manifest["tables"]
    at = run_page("pages/violence.py", query={"from": "2024-03", "to": "2024-04"}, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    assert "recorded in each LSOA" in texts(at)
    layer_ids = {layer["id"] for spec in deck_specs(at) for layer in spec["layers"]}
    assert "lsoa-counts" in layer_ids
