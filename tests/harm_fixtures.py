"""Our own small files in the layout of the Met's Monthly Crime Dashboard (TNOCrimeData,
KnifeCrimeData, OtherCrimeData), in both header layouts and both formats:

    python -m tests.harm_fixtures OUT_DIR

writes OUT_DIR/current/ (header `Offence Group, Offence Subgroup`, ISO dates, refreshed
2024-06-10, March 2023 to May 2024: TNO and Other as CSV, Knife as XLSX) and
OUT_DIR/older/ (header `Crime Type, Crime Subtype`, day/month/year dates, refreshed
2024-05-08, February 2023 to April 2024, every count one higher: Knife as CSV, TNO and
Other as XLSX). The months match the official fixtures' recorded crime (to May 2024).

Counts are flat within a year so tests can work figures out by hand (see HAND below):
Lambeth, Westminster and Southwark only; every other borough recorded none. Each file also
carries the traps of the real ones: Safer Neighbourhood Team rows that repeat the borough
rows, an "Other / NK" borough row, rows the dashboard does not show, and (in the Other
file) a total notifiable offences row that repeats the TNO file's total.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from datetime import date, datetime
from pathlib import Path

LAMBETH, WESTMINSTER, SOUTHWARK = "E09000022", "E09000033", "E09000028"
NAMES = {LAMBETH: "Lambeth", WESTMINSTER: "Westminster", SOUTHWARK: "Southwark"}
CURRENT_HEADER = (
    "Month_Year",
    "Area Type",
    "Borough_SNT",
    "Area name",
    "Area code",
    "Offence Group",
    "Offence Subgroup",
    "Measure",
    "Financial Year",
    "FY_FYIndex",
    "Count",
    "Refresh Date",
)
OLDER_HEADER = tuple(
    {"Offence Group": "Crime Type", "Offence Subgroup": "Crime Subtype"}.get(c, c) for c in CURRENT_HEADER
)
OFFENCES, OUTCOMES = "Offences", "Positive Outcomes"

# (group, subgroup, measure) -> borough -> (count each month of 2023 and before, each month of 2024).
KNIFE = {
    ("Knife Crime", "Knife Crime", OFFENCES): {LAMBETH: (30, 24), WESTMINSTER: (20, 25), SOUTHWARK: (5, 5)},
    ("Knife Crime", "Knife Crime", OUTCOMES): {LAMBETH: (4, 3), WESTMINSTER: (2, 2), SOUTHWARK: (1, 1)},
    ("Knife Crime", "Knife Crime with Injury", OFFENCES): {LAMBETH: (8, 8), WESTMINSTER: (5, 5), SOUTHWARK: (1, 1)},
    ("Knife Crime", "Knife Crime with Injury", OUTCOMES): {LAMBETH: (2, 2)},
    ("Knife Crime", "Knife Injury Victims (1-24)", OFFENCES): {LAMBETH: (5, 4), WESTMINSTER: (1, 1)},
}
OTHER = {
    ("Domestic Abuse", "Domestic Abuse", OFFENCES): {
        LAMBETH: (200, 180),
        WESTMINSTER: (150, 150),
        SOUTHWARK: (180, 190),
    },
    ("Domestic Abuse", "Domestic Abuse", OUTCOMES): {LAMBETH: (25, 20), WESTMINSTER: (15, 15), SOUTHWARK: (20, 20)},
    ("Hate Crime", "Hate Crime", OFFENCES): {LAMBETH: (40, 40), WESTMINSTER: (60, 60), SOUTHWARK: (30, 30)},
    ("Hate Crime", "Hate Crime", OUTCOMES): {LAMBETH: (4, 4), WESTMINSTER: (5, 5), SOUTHWARK: (3, 3)},
    ("Hate Crime", "Antisemitic", OFFENCES): {WESTMINSTER: (6, 6)},
    ("Gun Crime", "Gun Crime", OFFENCES): {LAMBETH: (3, 3), SOUTHWARK: (2, 2)},
    # Not shown by the dashboard: incidents are not crimes, and these split the TNO total.
    ("Domestic Abuse", "Domestic Abuse Incidents", OFFENCES): {LAMBETH: (500, 500)},
    ("Miscellaneous", "TNO Victim Based", OFFENCES): {LAMBETH: (900, 900)},
}
TNO = {
    ("Violence Against the Person", "Violence with Injury", OFFENCES): {
        LAMBETH: (300, 300),
        WESTMINSTER: (350, 350),
        SOUTHWARK: (250, 250),
    },
    ("Violence Against the Person", "Violence with Injury", OUTCOMES): {
        LAMBETH: (30, 30),
        WESTMINSTER: (35, 35),
        SOUTHWARK: (25, 25),
    },
    ("Theft", "Other Theft", OFFENCES): {LAMBETH: (700, 700), WESTMINSTER: (1500, 1500), SOUTHWARK: (600, 600)},
    ("Theft", "Other Theft", OUTCOMES): {LAMBETH: (20, 20), WESTMINSTER: (40, 40), SOUTHWARK: (15, 15)},
    ("Burglary", "Burglary - Residential", OFFENCES): {LAMBETH: (100, 100), WESTMINSTER: (80, 80), SOUTHWARK: (90, 90)},
    # Non-notifiable: never part of the total.
    ("Other Accepted Crime", "Other Accepted Crime", OFFENCES): {LAMBETH: (50, 50), WESTMINSTER: (50, 50)},
}
# The older release's counts differ, so a build that keeps them where a later refresh
# exists is caught.
OLDER_SHIFT = 1

# Figures worked out by hand from the tables above (current layout, March to May 2024
# against March to May 2023; Census residents from tests/fixtures/official/population).
HAND = {
    "lambeth_residents": 1814 + 1438 + 542 + 7222 + 354 + 1186 + 360,  # 12,916
    "lambeth_knife_now": 3 * 24,  # 72
    "lambeth_knife_before": 3 * 30,  # 90
    "lambeth_knife_outcomes_now": 3 * 3,  # 9 of 72 = 12.5%
    "london_knife_now": 3 * (24 + 25 + 5),  # 162
    "london_knife_before": 3 * (30 + 20 + 5),  # 165
    "lambeth_victims_now": 3 * 4,  # 12
    "lambeth_victims_before": 3 * 5,  # 15
    "lambeth_tno_now": 3 * (300 + 700 + 100),  # 3,300 (Other Accepted Crime left out)
    "lambeth_tno_outcomes_now": 3 * (30 + 20),  # 150
    "london_domestic_now": 3 * (180 + 150 + 190),  # 1,560
    "london_domestic_outcomes_now": 3 * (20 + 15 + 20),  # 165
}


def _months(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def _financial(month: date) -> tuple[str, str]:
    start = month.year if month.month >= 4 else month.year - 1
    label = f"{start % 100:02d}-{(start + 1) % 100:02d}"
    return f"fy{label}", f"{label}_{(month.month - 4) % 12 + 1:02d}"


def rows(
    figures: dict, months: list[date], refresh: date, *, shift: int = 0, total_row: bool = False
) -> list[tuple[date, str, str, str, str, str, str, str, int, date]]:
    """(month, area type, borough_snt, area name, area code, group, subgroup, measure, count,
    refresh) for each borough with a count, its Safer Neighbourhood Team rows (splitting
    the borough's count in two), and an "Other / NK" borough row."""
    out = []
    for month in months:
        totals: dict[tuple[str, str], int] = {}
        for (group, subgroup, measure), boroughs in figures.items():
            for code, (before, after) in boroughs.items():
                count = (after if month.year >= 2024 else before) + shift
                if count <= 0:
                    continue
                name = NAMES[code]
                out.append((month, "Borough", name, name, code, group, subgroup, measure, count, refresh))
                first = count // 2
                for team, part in ((f"{name} North", first), (f"{name} South", count - first)):
                    if part:
                        out.append(
                            (
                                month,
                                "Safer Neighbourhood Teams",
                                f"{name} {team}",
                                team,
                                "E05000000",
                                group,
                                subgroup,
                                measure,
                                part,
                                refresh,
                            )
                        )
                if group not in ("Other Accepted Crime", "Miscellaneous") and "Incidents" not in subgroup:
                    totals[(measure, code)] = totals.get((measure, code), 0) + count
        first_group, first_subgroup, _ = next(iter(figures))
        out.append(
            (month, "Borough", "Other / NK", "Other / NK", "", first_group, first_subgroup, OFFENCES, 3, refresh)
        )
        if total_row:
            for (measure, code), count in totals.items():
                name = NAMES[code]
                out.append(
                    (
                        month,
                        "Borough",
                        name,
                        name,
                        code,
                        "Total Notifiable Offences",
                        "Total Notifiable Offences",
                        measure,
                        count,
                        refresh,
                    )
                )
    return out


def _cells(row: tuple, *, iso: bool) -> list[object]:
    month, area_type, borough_snt, area_name, code, group, subgroup, measure, count, refresh = row
    financial, index = _financial(month)
    if iso is None:  # a workbook: real dates
        month_cell, refresh_cell = (
            datetime(month.year, month.month, 1),
            datetime(refresh.year, refresh.month, refresh.day),
        )
    elif iso:
        month_cell, refresh_cell = month.isoformat(), refresh.isoformat()
    else:
        month_cell, refresh_cell = f"{month:%d/%m/%Y}", f"{refresh:%d/%m/%Y}"
    return [
        month_cell,
        area_type,
        borough_snt,
        area_name,
        code,
        group,
        subgroup,
        measure,
        financial,
        index,
        count,
        refresh_cell,
    ]


def write_csv(path: Path, header: tuple[str, ...], data: list[tuple], *, iso: bool) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(_cells(row, iso=iso) for row in data)
    return path


def write_xlsx(path: Path, header: tuple[str, ...], data: list[tuple], sheet: str) -> Path:
    import openpyxl

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = datetime(2024, 1, 1)
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["Synthetic test data in the layout of the Met's Monthly Crime Dashboard."])
    table = workbook.create_sheet(sheet)
    table.append(list(header))
    for row in data:
        table.append(_cells(row, iso=None))
    workbook.save(path)
    return path


def write_current(folder: Path, *, knife_workbook: bool = True) -> list[Path]:
    """The current layout; the Knife file as a workbook unless `knife_workbook` is False."""
    months, refresh = _months(date(2023, 3, 1), date(2024, 5, 1)), date(2024, 6, 10)
    knife = rows(KNIFE, months, refresh)
    return [
        write_csv(
            folder / "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv",
            CURRENT_HEADER,
            rows(TNO, months, refresh),
            iso=True,
        ),
        write_xlsx(
            folder / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.xlsx",
            CURRENT_HEADER,
            knife,
            "MPS_MonthlyCrimeDashboard_Knife",
        )
        if knife_workbook
        else write_csv(folder / "M1045_MonthlyCrimeDashboard_KnifeCrimeData.csv", CURRENT_HEADER, knife, iso=True),
        write_csv(
            folder / "M1045_MonthlyCrimeDashboard_OtherCrimeData.csv",
            CURRENT_HEADER,
            rows(OTHER, months, refresh) + _tno_rows(months, refresh),
            iso=True,
        ),
    ]


def _tno_rows(months: list[date], refresh: date) -> list[tuple]:
    """The TNO file's totals repeated as total rows (the trap: counted once)."""
    return [r for r in rows(TNO, months, refresh, total_row=True) if r[5] == "Total Notifiable Offences"]


def write_older(folder: Path) -> list[Path]:
    months, refresh = _months(date(2023, 2, 1), date(2024, 4, 1)), date(2024, 5, 8)
    return [
        write_xlsx(
            folder / "MPS_MonthlyCrimeDashboard_TNOCrimeData.xlsx",
            OLDER_HEADER,
            rows(TNO, months, refresh, shift=OLDER_SHIFT),
            "MPS_MonthlyCrimeDashboard_TNOCr",
        ),
        write_csv(
            folder / "MPS_MonthlyCrimeDashboard_KnifeCrimeData.csv",
            OLDER_HEADER,
            rows(KNIFE, months, refresh, shift=OLDER_SHIFT),
            iso=False,
        ),
        write_xlsx(
            folder / "MPS_MonthlyCrimeDashboard_OtherCrimeData.xlsx",
            OLDER_HEADER,
            rows(OTHER, months, refresh, shift=OLDER_SHIFT),
            "MPS_MonthlyCrimeDashboard_Other",
        ),
    ]


def write_all(out: Path) -> dict[str, list[Path]]:
    return {"current": write_current(out / "current"), "older": write_older(out / "older")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    written = write_all(parser.parse_args().out)
    for layout, paths in written.items():
        for path in paths:
            print(f"{layout}: {path}")


if __name__ == "__main__":
    main()


def source_folder(target: Path, layouts: tuple[str, ...] = ("current",)) -> Path:
    """A source folder for `python -m lib.pipeline build`: the official fixtures
    (tests/fixtures/official) plus these files in the given layouts, each in its own
    sub-folder of mps_crime_dashboard/."""

    shutil.copytree(Path(__file__).resolve().parent / "fixtures" / "official", target)
    for layout in layouts:
        {"current": write_current, "older": write_older}[layout](target / "mps_crime_dashboard" / layout)
    return target
