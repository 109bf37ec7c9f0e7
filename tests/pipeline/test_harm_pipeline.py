"""The Met's Monthly Crime Dashboard adapter and `harm_monthly`, on our own fixtures in
both header layouts (tests/harm_fixtures.py): values, the three traps, broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib.contract import open_snapshot
from lib.pipeline.build import build_snapshot
from lib.pipeline.csvfile import SourceFile
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import ADAPTERS
from lib.pipeline.sources import met_crime_dashboard as dashboard
from lib.pipeline.sources.met_crime_dashboard import ADAPTER, parse_day, parse_month
from tests.harm_fixtures import (
    CURRENT_HEADER,
    KNIFE,
    LAMBETH,
    SOUTHWARK,
    WESTMINSTER,
    rows,
    source_folder,
    write_all,
    write_csv,
)
from tests.pipeline.conftest import folder_digest

KNIFE_CRIME, TNO = ("Knife Crime", "Knife Crime"), ("Total Notifiable Offences", "Total Notifiable Offences")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, list[Path]]:
    return write_all(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """harm_monthly of a snapshot built from the official fixtures plus each layout, and both."""
    out = {}
    for name, layouts in {"current": ("current",), "older": ("older",), "both": ("current", "older")}.items():
        folder = tmp_path_factory.mktemp(name)
        build_snapshot(source_folder(folder / "source", layouts), folder / "snapshot", progress=False)
        table = pd.read_parquet(open_snapshot(folder / "snapshot").tables["harm_monthly"])
        table["month"] = pd.to_datetime(table["month"]).dt.date
        out[name] = table
    return out


def _source(path: Path) -> SourceFile:
    return SourceFile(path, path.name, "0" * 64)


def _value(table: pd.DataFrame, month: date, gss: str | None, subgroup: tuple[str, str], measure: str) -> int:
    chosen = table[
        (table["month"] == month)
        & (table["offence_group"] == subgroup[0])
        & (table["offence_subgroup"] == subgroup[1])
        & (table["measure"] == measure)
    ]
    if gss is not None:
        chosen = chosen[chosen["gss_code"] == gss]
    return int(chosen["count"].sum())


# --- recognition and dates ---------------------------------------------------------------------


def test_every_fixture_file_is_claimed_by_this_adapter(files):
    for path in files["current"] + files["older"]:
        header = path.read_bytes()[:4096].decode("utf-8", "replace").splitlines()[0]
        assert next(a for a in ADAPTERS if a.matches(path.name, header)) is ADAPTER, path.name


def test_recognised_by_its_header_under_another_name():
    header = ",".join(CURRENT_HEADER)
    assert ADAPTER.matches("download (3).csv", header)
    assert ADAPTER.matches("download.csv", header.replace("Offence Group,Offence Subgroup", "Crime Type,Crime Subtype"))
    assert not ADAPTER.matches("download.csv", "MajorText,MinorText,BoroughName,202401")
    assert not ADAPTER.matches("M1045_MonthlyCrimeDashboard_TNOCrimeData.pdf", header)


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2024-03-01", date(2024, 3, 1)),
        ("2024-03-01 00:00:00", date(2024, 3, 1)),
        ("2024-03", date(2024, 3, 1)),
        ("01/03/2024", date(2024, 3, 1)),  # day/month
        ("03/01/2024", date(2024, 3, 1)),  # month/day: the part that is 01 is the day
        ("01/01/2024", date(2024, 1, 1)),
        ("Mar-24", date(2024, 3, 1)),
        ("March 2024", date(2024, 3, 1)),
        ("202403", date(2024, 3, 1)),
        ("2024-13-01", None),
        ("yesterday", None),
    ],
)
def test_month_year_cells(text, month):
    assert parse_month(text) == month


def test_refresh_dates():
    assert parse_day("2026-03-18") == date(2026, 3, 18)
    assert parse_day("18/03/2026") == date(2026, 3, 18)
    assert parse_day("03/18/2026") == date(2026, 3, 18)
    assert parse_day("31/02/2026") is None


# --- one file ----------------------------------------------------------------------------------


def test_tno_file_sums_its_notifiable_groups_and_leaves_out_other_accepted_crime(files):
    result = ADAPTER.read(_source(files["current"][0]))
    harm = result.tables["_harm_rows"]
    # Lambeth, May 2024: violence with injury 300 + other theft 700 + burglary 100.
    assert _value(harm, date(2024, 5, 1), LAMBETH, TNO, "offences") == 1100
    assert _value(harm, date(2024, 5, 1), LAMBETH, TNO, "positive_outcomes") == 30 + 20
    assert set(harm["offence_group"]) == {TNO[0]}
    # 15 months x (Lambeth, Westminster) Other Accepted Crime rows; 15 Other / NK rows.
    assert result.rows_dropped[dashboard.NOT_NOTIFIABLE] == 30
    assert result.rows_dropped[dashboard.NOT_A_BOROUGH] == 15
    assert result.rows_dropped[dashboard.TEAM_ROW] == result.rows_read - 30 - 15 - 15 * 15


def test_knife_workbook_and_older_csv_read_the_same_figures(files):
    workbook = ADAPTER.read(_source(files["current"][1]))
    older = ADAPTER.read(_source(files["older"][1]))
    assert workbook.info["layout"] == "Offence Group" and older.info["layout"] == "Crime Type"
    assert _value(workbook.tables["_harm_rows"], date(2024, 3, 1), LAMBETH, KNIFE_CRIME, "offences") == 24
    # The older file: one more in every cell, dates written 01/03/2024.
    assert _value(older.tables["_harm_rows"], date(2024, 3, 1), LAMBETH, KNIFE_CRIME, "offences") == 25
    assert workbook.info["offences_outside_boroughs"] == {"Knife Crime": 15 * 3}
    assert older.info["months"][0] == date(2023, 2, 1)


def test_safer_neighbourhood_team_rows_are_never_added(files):
    harm = ADAPTER.read(_source(files["current"][1])).tables["_harm_rows"]
    # London = Lambeth 24 + Westminster 25 + Southwark 5; the team rows repeat the same 54.
    assert _value(harm, date(2024, 3, 1), None, KNIFE_CRIME, "offences") == 54
    assert set(harm["gss_code"]) == {LAMBETH, WESTMINSTER, SOUTHWARK}


# --- the build -----------------------------------------------------------------------------------


def test_total_notifiable_offences_are_counted_once(builds):
    # In both the TNO file and the Other file's total rows (same refresh): the TNO file's once.
    for name in ("current", "both"):
        assert _value(builds[name], date(2024, 5, 1), None, TNO, "offences") == 1100 + 1930 + 940


def test_a_later_refresh_wins_its_months_and_older_months_are_kept(builds):
    both = builds["both"]
    assert _value(both, date(2023, 2, 1), LAMBETH, KNIFE_CRIME, "offences") == 31  # only in the older release
    assert _value(both, date(2023, 3, 1), LAMBETH, KNIFE_CRIME, "offences") == 30  # not 31 from the older one
    assert _value(both, date(2024, 4, 1), LAMBETH, KNIFE_CRIME, "offences") == 24
    months = sorted(set(both["month"]))
    assert months[0] == date(2023, 2, 1) and months[-1] == date(2024, 5, 1) and len(months) == 16


def test_both_layouts_give_the_same_table_shape(builds):
    for name in ("current", "older"):
        table = builds[name]
        assert list(table.columns) == list(dashboard.HARM_COLUMNS)
        assert set(table["measure"]) == {"offences", "positive_outcomes"}
        assert table["count"].min() > 0
        assert not table.duplicated(list(dashboard.HARM_COLUMNS[:-1])).any()


def test_a_zero_in_the_later_refresh_replaces_the_earlier_count(tmp_path):
    """A refresh leaves out cells that became zero: the whole month comes from it."""
    months = [date(2024, 1, 1)]
    early = rows(KNIFE, months, date(2024, 2, 5))
    late = [r for r in rows(KNIFE, months, date(2024, 3, 5)) if r[4] != SOUTHWARK]
    a = write_csv(tmp_path / "a" / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", CURRENT_HEADER, early, iso=True)
    b = write_csv(tmp_path / "b" / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", CURRENT_HEADER, late, iso=True)
    merged = dashboard.merge_files([("a", ADAPTER.read(_source(a))), ("b", ADAPTER.read(_source(b)))])
    table, dropped = merged.table, merged.dropped
    assert merged.months_used == {"a": [], "b": months}
    assert _value(table, months[0], SOUTHWARK, KNIFE_CRIME, "offences") == 0
    assert _value(table, months[0], LAMBETH, KNIFE_CRIME, "offences") == 24
    assert dropped["a"][dashboard.SUPERSEDED] > 0 and "b" not in dropped


def test_manifest_records_what_each_file_lost(tmp_path):
    summary = build_snapshot(
        source_folder(tmp_path / "source", ("current", "older")), tmp_path / "snapshot", progress=False
    )
    manifest = open_snapshot(tmp_path / "snapshot").manifest
    source = next(s for s in manifest["sources"] if s["name"] == "met_crime_dashboard")
    by_path = {f["path"].rsplit("/", 2)[-2] + "/" + f["path"].rsplit("/", 1)[-1]: f for f in source["files"]}
    older_knife = by_path["older/MPS_MonthlyCrimeDashboard_KnifeCrimeData.csv"]
    assert older_knife["rows_dropped"][dashboard.SUPERSEDED] > 0
    other = by_path["current/M1045_MonthlyCrimeDashboard_OtherCrimeData.csv"]
    assert other["rows_dropped"][dashboard.COUNTED_ELSEWHERE] == 15 * 3 * 2  # 15 months, 3 boroughs, 2 measures
    assert "Domestic Abuse / Domestic Abuse Incidents" in other["offences_not_shown"]
    assert older_knife["months"] == {"from": "2023-02", "to": "2023-02"} and older_knife["months_used"] == 1
    assert summary.table_rows["harm_monthly"] > 0


# --- broken files ----------------------------------------------------------------------------------


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


FIRST_ROW = (
    "2023-03-01,Borough,Lambeth,Lambeth,E09000022,Violence Against the Person,Violence with Injury,Offences,"
    "fy22-23,22-23_12,300,2024-06-10\n"
)
BROKEN = [
    (
        "count that is not a number",
        lambda p: _break(
            p / "current" / "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv",
            ",Offences,fy22-23,22-23_12,300,",
            ",Offences,fy22-23,22-23_12,lots,",
        ),
        "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv, row 2, column 'Count': 'lots' is not a count.",
    ),
    (
        "month that is not a month",
        lambda p: _break(
            p / "current" / "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv",
            "2023-03-01,Borough,Lambeth",
            "2023-13-01,Borough,Lambeth",
        ),
        "row 2, column 'Month_Year': '2023-13-01' is not a month.",
    ),
    (
        "missing offence column",
        lambda p: _break(
            p / "current" / "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv", "Offence Subgroup", "Subgroup"
        ),
        "the column 'Offence Subgroup (or Crime Subtype)' is missing, so this is not a complete Met Monthly Crime "
        "Dashboard file.",
    ),
    (
        "truncated CSV",
        lambda p: (p / "current" / "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv").write_bytes(
            (p / "current" / "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv").read_bytes()[:5000].rstrip(b"\r\n")[:-3]
        ),
        "the file stops part-way through this row (it looks truncated); download it again.",
    ),
    (
        "truncated workbook",
        lambda p: (p / "current" / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.xlsx").write_bytes(
            (p / "current" / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.xlsx").read_bytes()[:2000]
        ),
        "M1045_MonthlyCrimeDashboard_KnifeCrimeData.xlsx: the workbook cannot be read (BadZipFile); download it again.",
    ),
    (
        "one cell given twice with different counts",
        lambda p: _break(
            p / "current" / "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv",
            FIRST_ROW,
            FIRST_ROW + FIRST_ROW.replace(",300,", ",301,"),
        ),
        "rows 2 and 3 give different counts (300 and 301) for the same borough, month, offence and measure.",
    ),
]


@pytest.mark.parametrize(("case", "breaker", "sentence"), BROKEN, ids=[c[0] for c in BROKEN])
def test_a_broken_file_stops_the_build_with_one_sentence_and_keeps_the_last_snapshot(tmp_path, case, breaker, sentence):
    source = source_folder(tmp_path / "source")
    out = tmp_path / "snapshot"
    build_snapshot(source, out, progress=False)
    before = folder_digest(out)
    breaker(source / "mps_crime_dashboard")
    with pytest.raises(SourceError) as caught:
        build_snapshot(source, out, progress=False)
    message = str(caught.value)
    assert sentence in message
    assert message.count(". ") == 0 and message.endswith(".") and "\n" not in message
    assert folder_digest(out) == before


def test_a_file_of_team_rows_only_is_refused(tmp_path):
    path = tmp_path / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv"
    data = [r for r in rows(KNIFE, [date(2024, 1, 1)], date(2024, 2, 5)) if r[1] != "Borough"]
    write_csv(path, CURRENT_HEADER, data, iso=True)
    with pytest.raises(SourceError, match="only Safer Neighbourhood Team rows"):
        ADAPTER.read(_source(path))


def test_identical_repeated_rows_count_once(tmp_path):
    path = tmp_path / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv"
    data = rows(KNIFE, [date(2024, 1, 1)], date(2024, 2, 5))
    write_csv(path, CURRENT_HEADER, data + data[:1], iso=True)
    result = ADAPTER.read(_source(path))
    assert result.rows_dropped["identical to another row"] == 1
    assert _value(result.tables["_harm_rows"], date(2024, 1, 1), LAMBETH, KNIFE_CRIME, "offences") == 24
