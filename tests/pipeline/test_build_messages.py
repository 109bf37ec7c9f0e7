"""What a build tells its user: every missing column named, a lone broken file reported as
broken (not as a folder lacking other files), ignored files named, progress bars that
finish at 100% in a log, and a --help written for users."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from lib.pipeline.build import build_snapshot
from lib.pipeline.errors import BuildError, SourceError
from tests.pipeline.conftest import FIXTURES, PAS_BOROUGH, ROOT, STOP_SEARCH


def _garble_header(path, renames: dict[str, str]) -> None:
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    for old, new in renames.items():
        assert old in header
        header = header.replace(old, new, 1)
    path.write_text(header + "\n" + rest, encoding="utf-8", newline="")


def test_garbled_header_names_every_missing_column(source, tmp_path):
    _garble_header(source / STOP_SEARCH, {"Date": "Dat", "Latitude": "Lat", "Outcome,": "Outcom,"})
    with pytest.raises(SourceError) as caught:
        build_snapshot(source, tmp_path / "out", progress=False)
    assert str(caught.value) == (
        "In police_uk/2024-04-metropolitan-stop-and-search.csv: the columns 'Date', 'Latitude' and 'Outcome' "
        "are missing, so this is not a complete data.police.uk stop and search file."
    )


@pytest.mark.parametrize(
    ("relative", "renames", "expected"),
    [
        (PAS_BOROUGH, {"Date": "Dxte", "Borough": "Brough"}, "the columns 'Date' and 'Borough' are missing"),
        (STOP_SEARCH, {"Date": "Dat"}, "the column 'Date' is missing"),
    ],
)
def test_a_lone_garbled_file_is_reported_as_a_bad_header(tmp_path, relative, renames, expected):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(FIXTURES / relative, lone / relative.rsplit("/", 1)[-1])
    _garble_header(lone / relative.rsplit("/", 1)[-1], renames)
    with pytest.raises(SourceError) as caught:
        build_snapshot(lone, tmp_path / "out", progress=False)
    assert expected in str(caught.value) and "lacks" not in str(caught.value)


def test_a_folder_missing_sources_still_says_what_it_lacks(tmp_path):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(FIXTURES / STOP_SEARCH, lone)
    with pytest.raises(BuildError, match="lacks the ONS Census 2021 ethnic group table"):
        build_snapshot(lone, tmp_path / "out", progress=False)


def test_a_folder_of_unknown_files_names_them(tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(BuildError, match=r"it holds only files this pipeline does not read: notes\.csv"):
        build_snapshot(folder, tmp_path / "out", progress=False)


def test_summary_names_the_files_it_ignored(source, tmp_path):
    (source / "README.txt").write_text("where these files came from")
    (source / "police_uk" / "2024-04-metropolitan-outcomes.csv").write_text("Crime ID,Month\n1,2024-04\n")
    summary = build_snapshot(source, tmp_path / "out", progress=False)
    lines = summary.lines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Files used:"))
    assert lines[at].endswith("not recognised, so not read (2):")
    assert lines[at + 1 : at + 3] == ["  README.txt", "  police_uk/2024-04-metropolitan-outcomes.csv"]


def test_progress_bars_in_a_log_finish_at_100_percent(tmp_path):
    log = tmp_path / "build.log"
    with open(log, "w") as stderr:
        subprocess.run(
            [sys.executable, "-m", "lib.pipeline", "build", "--source", str(FIXTURES), "--out", str(tmp_path / "o")],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            check=True,
        )
    updates = log.read_text(encoding="utf-8").replace("\r", "\n").splitlines()
    for bar in ("Reading files", "Locating searches"):
        last = [line for line in updates if line.startswith(bar)][-1]
        assert "100%" in last, last


def test_help_is_written_for_users():
    shown = subprocess.run(
        [sys.executable, "-m", "lib.pipeline", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "Command line" not in shown and "stderr" not in shown
    assert ".venv/bin/python -m lib.pipeline build --source sources/ --out data/snapshots/" in shown
    build_help = subprocess.run(
        [sys.executable, "-m", "lib.pipeline", "build", "--help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "left exactly as it was" in build_help
