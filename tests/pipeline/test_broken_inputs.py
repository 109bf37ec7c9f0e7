"""Broken inputs: each gives one clear sentence (file, and row and column where they apply),
no traceback, and leaves the previous snapshot exactly as it was."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lib.pipeline.__main__ import main
from lib.pipeline.build import build_snapshot
from lib.pipeline.errors import SourceError
from tests.pipeline.conftest import (
    BOUNDARIES,
    CENSUS,
    FIXTURES,
    MET_B,
    PAS_BOROUGH,
    PAS_LONDON,
    RECENT,
    STOP_SEARCH,
    STREET,
    folder_digest,
)


def _edit_text(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        path = source / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture no longer holds {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")

    return edit


def _drop_column(relative: str, column: str) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        path = source / relative
        lines = path.read_text().splitlines()
        index = lines[0].split(",").index(column)
        path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != index) for line in lines))

    return edit


def _drop_lines(relative: str, containing: str) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        path = source / relative
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(line for line in lines if containing not in line))

    return edit


def _replace_bytes(relative: str, data: bytes) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        (source / relative).write_bytes(data)

    return edit


def _reencode(relative: str, encoding: str) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        path = source / relative
        path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))

    return edit


def _cp1252_name(source: Path) -> None:
    path = source / PAS_BOROUGH
    text = path.read_text(encoding="utf-8").replace("31/3/2023,PAS,Hackney,", "31/3/2023,PAS,Hackney Café,", 1)
    path.write_bytes(text.encode("cp1252"))


def _truncate(relative: str, keep_bytes: int) -> Callable[[Path], None]:
    def edit(source: Path) -> None:
        path = source / relative
        path.write_bytes(path.read_bytes()[:keep_bytes])

    return edit


def _zip_with_bad_crc(source: Path) -> None:
    """The stop-and-search file moved into a zip whose stored data then gets one byte flipped."""
    original = source / STOP_SEARCH
    archive_path = source / "police_uk" / "downloads.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_STORED) as archive:
        archive.write(original, "2024-04-metropolitan-stop-and-search.csv")
    original.unlink()
    data = bytearray(archive_path.read_bytes())
    position = data.find(b"Person search,2024-04-20")
    data[position] ^= 0x01
    archive_path.write_bytes(bytes(data))


def _truncated_zip(source: Path) -> None:
    original = source / STOP_SEARCH
    archive_path = source / "police_uk" / "downloads.zip"
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(original, "2024-04-metropolitan-stop-and-search.csv")
    original.unlink()
    archive_path.write_bytes(archive_path.read_bytes()[:300])


STOP_NAME = "police_uk/2024-04-metropolitan-stop-and-search.csv"

# (id, how to break the fixture folder, the sentence we expect, in full or in part)
CASES = [
    (
        "missing column",
        _drop_column(STOP_SEARCH, "Date"),
        f"In {STOP_NAME}: the column 'Date' is missing, so this is not a complete data.police.uk stop and search file.",
    ),
    (
        "empty file",
        _replace_bytes(PAS_LONDON, b""),
        "In mopac_pas/PAS_Total.csv: the file is empty; download it again.",
    ),
    (
        "header only",
        _replace_bytes(PAS_LONDON, b"Date;Survey;Borough;Measure;Proportion\r\n"),
        "In mopac_pas/PAS_Total.csv: the file has a header but no data rows.",
    ),
    (
        "binary junk",
        _replace_bytes(STOP_SEARCH, bytes(range(256)) * 16),
        f"In {STOP_NAME}: the file holds binary data, not CSV text; download it again.",
    ),
    (
        "unparseable date",
        _edit_text(STOP_SEARCH, "2024-04-05T09:45:00+00:00", "5th April 2024"),
        f"In {STOP_NAME}, row 6, column 'Date': '5th April 2024' is not a date and time.",
    ),
    (
        "unparseable survey date",
        _edit_text(PAS_BOROUGH, "30/6/2023,PAS,Lambeth", "31/6/2023,PAS,Lambeth"),
        "column 'Date': '31/6/2023' is not a date written as day/month/year.",
    ),
    (
        "date that is not a quarter end",
        _edit_text(PAS_BOROUGH, "30/6/2023,PAS,Lambeth", "29/6/2023,PAS,Lambeth"),
        "'29/6/2023' is not the last day of a quarter.",
    ),
    (
        "utf-16",
        _reencode(CENSUS, "utf-16"),
        "In population/Census_2021_ethnicity.csv: the file is saved as UTF-16 text; save it as UTF-8 CSV",
    ),
    (
        "cp1252",
        _cp1252_name,
        "In mopac_pas/PAS_Dashboard_Borough.csv, row 4: byte 0xe9 is not UTF-8 text",
    ),
    (
        "truncated file",
        _truncate(STREET, 2700),
        "the file stops part-way through this row (it looks truncated); download it again.",
    ),
    (
        "ragged row",
        _edit_text(STOP_SEARCH, "Stolen goods,Arrest,False,False", "Stolen goods,Arrest,False"),
        f"In {STOP_NAME}, row 2: this row has 14 values but the header has 15.",
    ),
    (
        "unknown borough (Met)",
        _edit_text(f"{MET_B}/{RECENT}", "VIOLENCE WITH INJURY,Westminster,", "VIOLENCE WITH INJURY,Gotham,"),
        f"In {MET_B}/{RECENT}, row 9, column 'BoroughName': 'Gotham' is not a London borough name.",
    ),
    (
        "unknown borough (PAS)",
        _edit_text(PAS_BOROUGH, "31/3/2023,PAS,Hackney,", "31/3/2023,PAS,Hackneyy,"),
        "In mopac_pas/PAS_Dashboard_Borough.csv, row 4, column 'Borough': 'Hackneyy' is not a London borough name.",
    ),
    (
        "unmapped crime category",
        _edit_text(f"{MET_B}/{RECENT}", "NFIB FRAUD,NFIB,Lambeth", "CYBER,ONLINE HARMS,Lambeth"),
        "the crime category 'CYBER' / 'ONLINE HARMS' is not in the pipeline's lookup table",
    ),
    (
        "count that is not a number",
        _edit_text(f"{MET_B}/{RECENT}", "VIOLENCE WITH INJURY,Lambeth,63,", "VIOLENCE WITH INJURY,Lambeth,six,"),
        f"In {MET_B}/{RECENT}, row 2, column '202403': 'six' is not a count of crimes.",
    ),
    (
        "coordinate that is not a number",
        _edit_text(STOP_SEARCH, "51.513600,-0.136500", "51.513600,west"),
        f"In {STOP_NAME}, row 7, column 'Longitude': 'west' is not a coordinate in degrees.",
    ),
    (
        "bad boolean",
        _edit_text(STOP_SEARCH, "Stolen goods,Arrest,False,False", "Stolen goods,Arrest,Maybe,False"),
        "row 2, column 'Outcome linked to object of search': 'Maybe' is not True, False or blank.",
    ),
    (
        "proportion out of range",
        _edit_text(PAS_LONDON, "Trust MPS;0,63", "Trust MPS;63"),
        "column 'Proportion': '63' is not a proportion between 0 and 1.",
    ),
    (
        "zip failing its CRC",
        _zip_with_bad_crc,
        "In police_uk/downloads.zip/2024-04-metropolitan-stop-and-search.csv: the archive is damaged",
    ),
    (
        "truncated zip",
        _truncated_zip,
        "In police_uk/downloads.zip: the file is not a readable zip archive (it may be truncated)",
    ),
    (
        "broken boundary file",
        _truncate(BOUNDARIES, 5000),
        f"In {BOUNDARIES}: the file cannot be read as map outlines",
    ),
    (
        "unknown borough code (census)",
        _edit_text(CENSUS, "E09000033", "E09000099"),
        "In population/Census_2021_ethnicity.csv, row 266, column 'Upper tier local authorities Code': "
        "'E09000099' is not a London borough code.",
    ),
    (
        "census without all boroughs",
        _drop_lines(CENSUS, "E09000033"),
        "In population/Census_2021_ethnicity.csv: 1 London borough(s) are missing (first E09000033)",
    ),
]


@pytest.fixture(scope="module")
def good_snapshot(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("previous") / "official"
    build_snapshot(FIXTURES, out, progress=False)
    return out


@pytest.fixture
def previous(good_snapshot, tmp_path) -> tuple[Path, dict[str, str]]:
    """A copy of a good snapshot that a broken build tries, and fails, to replace."""
    out = tmp_path / "snapshots" / "official"
    shutil.copytree(good_snapshot, out)
    return out, folder_digest(out)


@pytest.mark.parametrize(("break_it", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_input_gives_one_sentence_and_keeps_the_previous_snapshot(source, previous, break_it, expected):
    out, digest = previous
    break_it(source)
    with pytest.raises(SourceError) as error:
        build_snapshot(source, out, progress=False)
    message = str(error.value)
    assert expected in message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    assert folder_digest(out) == digest
    assert sorted(p.name for p in out.parent.iterdir()) == ["official"]  # no half-built folder left


@pytest.mark.parametrize("case", ["binary junk", "unparseable date", "unknown borough (Met)", "truncated zip"])
def test_cli_prints_the_sentence_without_a_traceback(source, previous, capsys, case):
    out, digest = previous
    _, break_it, expected = next(c for c in CASES if c[0] == case)
    break_it(source)
    code = main(["build", "--source", str(source), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("Build failed: In ") and expected in captured.err
    assert "Traceback" not in captured.err and captured.out == ""
    assert folder_digest(out) == digest
