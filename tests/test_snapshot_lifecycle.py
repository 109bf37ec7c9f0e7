"""A served snapshot over its life: a damaged table gets a sentence (checked once per
server, not per view), and a rebuilt snapshot replaces the old copy in memory."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from lib import store as store_module
from lib.contract import SnapshotError
from tests.apptest import rerun, run_page, texts


def _damage_middle(path):
    """Overwrite bytes in the middle of a Parquet file, leaving its footer (and so its
    schema) intact: the kind of damage the opening check cannot see."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = bytes(4096)
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_and_good(small_snapshot, tmp_path, monkeypatch):
    damaged = tmp_path / "damaged"
    shutil.copytree(small_snapshot, damaged)
    _damage_middle(damaged / "stop_search.parquet")
    picker = tmp_path / "snapshots"
    shutil.copytree(small_snapshot, picker / "good")
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(damaged))
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS_DIR", str(picker))
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    return damaged


def test_damaged_table_is_named_in_one_sentence_and_another_snapshot_still_opens(damaged_and_good):
    at = run_page("pages/stop_search.py")
    assert not at.exception, at.exception[0].value if at.exception else ""
    errors = " ".join(e.value for e in at.error)
    assert "Table 'stop_search' (stop_search.parquet) is damaged" in errors
    assert "rebuild the snapshot" in errors
    snapshot = next(s for s in at.sidebar.selectbox if s.label == "Snapshot")
    snapshot.set_value("good")
    at = rerun(at)
    assert not at.exception and not at.error
    assert "Stop and search" in texts(at)


def test_damage_is_checked_once_per_server_not_per_view(damaged_and_good, monkeypatch):
    hashed = []
    original = store_module.open_snapshot

    def counting(folder, **kwargs):
        hashed.append(kwargs.get("verify"))
        return original(folder, **kwargs)

    monkeypatch.setattr(store_module, "open_snapshot", counting)
    for _ in range(3):
        with pytest.raises(SnapshotError, match="stop_search"):
            store_module.open_store(damaged_and_good)
    assert hashed == [True]


def _rebuild(folder):
    """What a rebuild does to a served folder: new files swapped in, a new manifest."""
    fresh = folder.with_name(folder.name + ".new")
    shutil.copytree(folder, fresh)
    manifest = json.loads((fresh / "manifest.json").read_text())
    manifest["created_at"] = "2026-01-01T00:00:00+00:00"
    (fresh / "manifest.json").write_text(json.dumps(manifest))
    shutil.rmtree(folder)
    os.rename(fresh, folder)


def test_rebuilt_snapshot_replaces_the_old_copy_instead_of_adding_one(small_snapshot, tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "RETIRE_AFTER_S", 0)
    folder = tmp_path / "served"
    shutil.copytree(small_snapshot, folder)
    first, reopened = store_module.open_store(folder)
    assert not reopened and store_module.open_store(folder)[0] is first
    stores = [first]
    for _ in range(3):
        _rebuild(folder)
        store, reopened = store_module.open_store(folder)
        assert reopened and store is not stores[-1]
        stores.append(store)
    # Only the newest copy is open; every older one was closed (its memory released).
    for old in stores[:-1]:
        with pytest.raises(Exception, match=r"(?i)closed"):
            old.query("SELECT 1")
    assert stores[-1].query("SELECT count(*) AS n FROM boroughs").at[0, "n"] == 33
    held = [s for path, (_, s) in store_module._open.items() if path == folder.resolve()]
    assert held == [stores[-1]]


def test_rebuild_seen_by_the_app_drops_results_cached_from_the_old_files(small_snapshot, tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "RETIRE_AFTER_S", 0)
    folder = tmp_path / "served"
    shutil.copytree(small_snapshot, folder)
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(folder))
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")
    at = run_page("pages/about.py")
    assert not at.exception
    before = store_module.open_store(folder)[0]
    _rebuild(folder)
    at = rerun(at)
    assert not at.exception and not at.error
    after = store_module.open_store(folder)[0]
    assert after is not before
    with pytest.raises(Exception, match=r"(?i)closed"):
        before.query("SELECT 1")
