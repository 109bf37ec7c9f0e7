"""The Met's Monthly Crime Dashboard files on the London Datastore (TNOCrimeData,
KnifeCrimeData, OtherCrimeData; CSV or XLSX), in both header layouts: current editions
name the offence columns `Offence Group, Offence Subgroup`, older ones `Crime Type, Crime
Subtype`.

Each file gives rows of `harm_monthly` (lib/contract.py) for the boroughs, with each row's
`Refresh Date` kept for `merge_files`, which the build calls once every file is read:

* Safer Neighbourhood Team rows repeat the borough rows' offences split by team, so they
  are counted as dropped and never added (they are skipped while reading, so a 100 MB file
  never becomes a 100 MB DataFrame).
* Total notifiable offences can come from more than one file (the TNO file's offence
  groups, or a total row): for each offence group and month exactly one file is used, the
  one with the latest Refresh Date (on a tie, the TNO file for the total).
* Successive refreshes of the same file repeat months; the latest Refresh Date wins the
  whole month, because a refresh leaves out the rows that became zero.

Zero counts are not published: a borough with no row in a month that the file covers had
none recorded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from lib.boroughs import BY_CODE, resolve_borough
from lib.contract import TEXT
from lib.pipeline.csvfile import CsvTable, SourceFile, first_bad_row, read_csv
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import met_wide
from lib.pipeline.sources.base import IDENTICAL_ROW, OGL_V2, AdapterResult, merge_counts
from lib.vocab import (
    CRIME_CATEGORIES,
    DOMESTIC_ABUSE,
    GUN_CRIME,
    HARM_OFFENCES,
    HARM_POSITIVE_OUTCOMES,
    HATE_CRIME,
    KNIFE_CRIME,
    TOTAL_NOTIFIABLE,
    crime_key,
)

NAME = "met_crime_dashboard"
DATASET_URL = "https://data.london.gov.uk/dataset/mps-monthly-crime-dahboard-data"
HARM_COLUMNS = ("month", "gss_code", "offence_group", "offence_subgroup", "measure", "count")

# Header names (case, spaces and underscores ignored); the offence columns in both layouts.
MONTH = ("Month_Year",)
AREA_TYPE = ("Area Type",)
AREA_NAME = ("Area name",)
AREA_CODE = ("Area code",)
GROUP = ("Offence Group", "Crime Type")
SUBGROUP = ("Offence Subgroup", "Crime Subtype")
MEASURE = ("Measure",)
COUNT = ("Count",)
REFRESH = ("Refresh Date",)

# Why rows were left out (the manifest's rows_dropped keys).
TEAM_ROW = "Safer Neighbourhood Team row (its offences are already in the borough's row)"
NOT_A_BOROUGH = "area not a London borough (Other / NK, other forces, aviation security)"
OTHER_AREA_TYPE = "area type other than Borough"
OTHER_MEASURE = "measure other than Offences or Positive Outcomes"
NOT_SHOWN = "offence the dashboard does not show"
NOT_NOTIFIABLE = "not a notifiable offence (Other Accepted Crime)"
TNO_PART = "part of total notifiable offences (the file's own total row is used)"
SUPERSEDED = "superseded by a later refresh of the same months"
COUNTED_ELSEWHERE = "already counted from another file (the same totals appear in more than one file)"

_NOT_BOROUGH_NAMES = ("other", "n/k", "nk", "unknown", "non met", "aviation", "heathrow", "airport")
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        zip(
            ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
            (
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ),
            strict=True,
        )
    )
    for name in names
}


def _sub(group: str, subgroup: str) -> tuple[str, str]:
    return (group, subgroup)


# Published subgroup labels (crime_key form) -> (offence_group, offence_subgroup).
_SUBGROUPS: dict[str, tuple[str, str]] = {
    "knife crime": _sub(KNIFE_CRIME, "Knife Crime"),
    "knife crime with injury": _sub(KNIFE_CRIME, "Knife Crime with Injury"),
    "knife crime with injury personal robbery": _sub(KNIFE_CRIME, "Knife Crime with Injury (Personal Robbery)"),
    "knife injury victims 1 24": _sub(KNIFE_CRIME, "Knife Injury Victims (1-24)"),
    "knife injury victims non da 1 24": _sub(KNIFE_CRIME, "Knife Injury Victims (non-domestic, 1-24)"),
    "gun crime": _sub(GUN_CRIME, "Gun Crime"),
    "gun crime personal robbery": _sub(GUN_CRIME, "Gun Crime (Personal Robbery)"),
    "lethal barrel discharge": _sub(GUN_CRIME, "Lethal Barrel Discharges"),
    "lethal barrel discharges": _sub(GUN_CRIME, "Lethal Barrel Discharges"),
    "domestic abuse": _sub(DOMESTIC_ABUSE, "Domestic Abuse"),
    "domestic abuse violence with injury": _sub(DOMESTIC_ABUSE, "Domestic Abuse Violence with Injury"),
    "hate crime": _sub(HATE_CRIME, "Hate Crime"),
    "racist and religious crime": _sub(HATE_CRIME, "Racist and Religious Hate Crime"),
    "racist and religious hate crime": _sub(HATE_CRIME, "Racist and Religious Hate Crime"),
    "racist crime": _sub(HATE_CRIME, "Racist Hate Crime"),
    "antisemitic": _sub(HATE_CRIME, "Antisemitic Hate Crime"),
    "anti semitic": _sub(HATE_CRIME, "Antisemitic Hate Crime"),
    "antisemitic crime": _sub(HATE_CRIME, "Antisemitic Hate Crime"),
    "islamophobic": _sub(HATE_CRIME, "Islamophobic Hate Crime"),
    "islamophobic crime": _sub(HATE_CRIME, "Islamophobic Hate Crime"),
    "faith crime": _sub(HATE_CRIME, "Faith Hate Crime"),
    "homophobic crime": _sub(HATE_CRIME, "Homophobic Hate Crime"),
    "transphobic crime": _sub(HATE_CRIME, "Transphobic Hate Crime"),
    "transgender crime": _sub(HATE_CRIME, "Transphobic Hate Crime"),
    "disability crime": _sub(HATE_CRIME, "Disability Hate Crime"),
    "disability hate crime": _sub(HATE_CRIME, "Disability Hate Crime"),
    "total notifiable offences": _sub(TOTAL_NOTIFIABLE, TOTAL_NOTIFIABLE),
    "tno": _sub(TOTAL_NOTIFIABLE, TOTAL_NOTIFIABLE),
    "total tno": _sub(TOTAL_NOTIFIABLE, TOTAL_NOTIFIABLE),
}
# "Personal Robbery" under the gun crime group in some editions.
_GROUP_SUBGROUPS: dict[tuple[str, str], tuple[str, str]] = {
    ("gun crime", "personal robbery"): _sub(GUN_CRIME, "Gun Crime (Personal Robbery)"),
    ("gun crime personal robbery", "personal robbery"): _sub(GUN_CRIME, "Gun Crime (Personal Robbery)"),
}
# Offence groups of the TNO file that make up total notifiable offences (Home Office
# major categories), and those that are not notifiable.
_NOTIFIABLE_GROUPS = {crime_key(major) for major in CRIME_CATEGORIES if major != KNIFE_CRIME} | {
    "miscellaneous crimes against society",
    "historical fraud and forgery",
    "fraud and forgery",
    "theft",
    "vehicle offences",
}
_NOT_NOTIFIABLE_GROUPS = {"other accepted crime", "non notifiable", "non notifiable offences", "other accepted crimes"}
_TNO = "_tno_part"


@dataclass(frozen=True)
class MetCrimeDashboardAdapter:
    name: str = NAME
    publisher: str = met_wide.PUBLISHER
    licence: str = OGL_V2
    url: str = DATASET_URL
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        if not lowered.endswith((".csv", ".xlsx")):
            return False
        if "monthlycrimedashboard" in re.sub(r"[^a-z]", "", lowered):
            return True
        header = [crime_key(cell) for cell in header_line.lstrip("\ufeff").replace('"', "").split(",")]
        return header[:2] == ["month year", "area type"] and bool({"offence group", "crime type"} & set(header))

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        table = (
            _read_workbook(source) if source.name.lower().endswith(".xlsx") else read_csv(source, keep=_borough_rows)
        )
        return _read_table(source, table)


ADAPTER = MetCrimeDashboardAdapter()


def file_kind(name: str) -> str:
    """'tno', 'knife' or 'other', from the file's name."""
    lowered = name.lower()
    if "tno" in lowered:
        return "tno"
    return "knife" if "knife" in lowered else "other"


# --- reading -------------------------------------------------------------------------------


def _area_type_index(header: list[str]) -> int | None:
    column = met_wide.find_column(header, AREA_TYPE)
    return header.index(column) if column else None


def _is_team(value: object) -> bool:
    return str(value or "").strip().lower().startswith("safer neighbourhood")


def _borough_rows(header: list[str]):
    """read_csv's row test: Safer Neighbourhood Team rows are checked, counted, not kept."""
    index = _area_type_index(header)
    if index is None:
        return None
    return lambda row: not _is_team(row[index])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_workbook(source: SourceFile) -> CsvTable:
    """The sheet holding the dashboard's columns, as a string table (rows numbered as Excel
    shows them); Safer Neighbourhood Team rows counted and left out as in read_csv."""
    import openpyxl  # imported here: only workbooks need it

    try:
        workbook = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl and zipfile raise many types for a damaged workbook
        raise SourceError(
            source.display, f"the workbook cannot be read ({type(exc).__name__}); download it again"
        ) from None
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            first = next(rows, None)
            if not first:
                continue
            header = [_cell_text(cell).strip() or f"_unnamed_{i}" for i, cell in enumerate(first)]
            while header and header[-1].startswith("_unnamed_"):
                header.pop()
            if met_wide.find_column(header, MONTH) is None or met_wide.find_column(header, COUNT) is None:
                continue
            return _sheet_table(source, sheet.title, header, rows)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(
            source.display, f"the workbook is damaged ({type(exc).__name__}); download it again"
        ) from None
    finally:
        workbook.close()
    raise SourceError(source.display, "no sheet has the Monthly Crime Dashboard columns (Month_Year, ..., Count)")


def _sheet_table(source: SourceFile, sheet: str, header: list[str], rows) -> CsvTable:
    width = len(header)
    team = _area_type_index(header)
    kept: list[list[str]] = []
    lines: list[int] = []
    skipped = 0
    for line, values in enumerate(rows, start=2):
        cells = [_cell_text(v) for v in values]
        if any(cell.strip() for cell in cells[width:]):
            raise SourceError(
                f"{source.display} (sheet '{sheet}')",
                f"this row has values beyond the header's {width} columns",
                row=line,
            )
        cells = (cells + [""] * width)[:width]
        if not any(cell.strip() for cell in cells):
            continue
        if team is not None and _is_team(cells[team]):
            skipped += 1
            continue
        kept.append(cells)
        lines.append(line)
    if not kept and not skipped:
        raise SourceError(f"{source.display} (sheet '{sheet}')", "the sheet has a header but no data rows")
    frame = pd.DataFrame(kept, columns=header, dtype=TEXT) if kept else pd.DataFrame(columns=header, dtype=TEXT)
    return CsvTable(header=header, frame=frame, lines=np.asarray(lines, dtype=np.int64), rows_skipped=skipped)


# --- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: .*)?$")
_NAMED = re.compile(r"^([A-Za-z]{3,9})[- ](\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})$")


def _valid(year: int, month: int, day: int = 1) -> date | None:
    try:
        return date(year, month, day) if 1990 <= year <= 2100 else None
    except ValueError:
        return None


def parse_month(text: str) -> date | None:
    """The first day of the month a Month_Year cell names: 2024-03-01, 2024-03, 01/03/2024
    (also 03/01/2024: the Met's months are first days, so the part that is 01 is the day),
    Mar-24, March 2024, 202403. None when it names no month."""
    text = text.strip()
    if found := _ISO.match(text):
        return _valid(int(found.group(1)), int(found.group(2)))
    if found := _SLASHED.match(text):
        first, second, year = (int(g) for g in found.groups())
        month = first if (second == 1 and first != 1) or second > 12 else second
        return _valid(year, month)
    if found := _NAMED.match(text):
        month = _MONTHS.get(found.group(1).lower())
        year = int(found.group(2))
        return _valid(year + 2000 if year < 100 else year, month) if month else None
    if found := _COMPACT.match(text):
        return _valid(int(found.group(1)), int(found.group(2)))
    return None


def parse_day(text: str) -> date | None:
    """A Refresh Date: ISO (2026-03-18, with or without a time) or day/month/year (18/03/2026;
    month/day when the second part cannot be a month)."""
    text = text.strip()
    if found := _ISO.match(text):
        return _valid(int(found.group(1)), int(found.group(2)), int(found.group(3) or 1))
    if found := _SLASHED.match(text):
        first, second, year = (int(g) for g in found.groups())
        day, month = (second, first) if second > 12 else (first, second)
        return _valid(year, month, day)
    return None


def _parsed(source: SourceFile, table: CsvTable, column: str, parse, what: str, *, blank_ok: bool) -> pd.Series:
    """One parsed value per row (parsing each distinct text once); a SourceError at the
    first cell that does not parse."""
    text = table.frame[column].str.strip()
    lookup = {value: parse(value) if value else None for value in text.unique()}
    for value, parsed in lookup.items():
        if parsed is None and (value or not blank_ok):
            position = first_bad_row(text == value)
            raise SourceError(
                source.display,
                f"'{value}' is not {what}" if value else f"the {what} is blank",
                row=table.line_of(position or 0),
                column=column,
            )
    return text.map(lookup)


# --- one file ------------------------------------------------------------------------------


def _columns(source: SourceFile, header: list[str]) -> dict[str, str | None]:
    found = {
        "month": met_wide.find_column(header, MONTH),
        "area_type": met_wide.find_column(header, AREA_TYPE),
        "area_name": met_wide.find_column(header, AREA_NAME),
        "area_code": met_wide.find_column(header, AREA_CODE),
        "group": met_wide.find_column(header, GROUP),
        "subgroup": met_wide.find_column(header, SUBGROUP),
        "measure": met_wide.find_column(header, MEASURE),
        "count": met_wide.find_column(header, COUNT),
        "refresh": met_wide.find_column(header, REFRESH),
    }
    wanted = {
        "month": "Month_Year",
        "area_type": "Area Type",
        "group": "Offence Group (or Crime Type)",
        "subgroup": "Offence Subgroup (or Crime Subtype)",
        "measure": "Measure",
        "count": "Count",
    }
    for key, label in wanted.items():
        if found[key] is None:
            raise SourceError(
                source.display,
                f"the column '{label}' is missing, so this is not a complete Met Monthly Crime Dashboard file",
            )
    if found["area_code"] is None and found["area_name"] is None:
        raise SourceError(source.display, "the columns 'Area code' and 'Area name' are both missing")
    return found


def _counts(source: SourceFile, table: CsvTable, column: str) -> np.ndarray:
    text = table.frame[column].str.strip().str.replace(",", "", regex=False)
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = (numbers.isna() & (text != "")) | (numbers < 0) | (numbers.fillna(0) % 1 != 0)
    if bad.any():
        position = first_bad_row(bad)
        raise SourceError(
            source.display,
            f"'{table.frame[column].iloc[position]}' is not a count",
            row=table.line_of(position),
            column=column,
        )
    return numbers.fillna(0).to_numpy(dtype=np.int64)


def _boroughs(table: CsvTable, columns: dict[str, str | None]) -> pd.Series:
    """GSS code of each row's borough (by Area code, else by name); null for areas that are
    no London borough."""
    frame = table.frame
    codes = frame[columns["area_code"]].str.strip().str.upper() if columns["area_code"] else None
    names = frame[columns["area_name"]].str.strip() if columns["area_name"] else None
    keys = pd.DataFrame({"code": codes if codes is not None else "", "name": names if names is not None else ""})
    lookup = {}
    for code, name in keys.drop_duplicates().itertuples(index=False):
        if code in BY_CODE:
            lookup[(code, name)] = code
            continue
        lowered = name.lower()
        borough = None if any(word in lowered for word in _NOT_BOROUGH_NAMES) else resolve_borough(name)
        lookup[(code, name)] = borough.gss_code if borough else None
    return pd.Series([lookup[pair] for pair in zip(keys["code"], keys["name"], strict=True)], index=frame.index)


def _label(group: str, subgroup: str, kind: str) -> tuple[str, str] | str:
    """(offence_group, offence_subgroup), or _TNO for a part of the TNO file's total, or
    the reason the row is left out."""
    group_key, sub_key = crime_key(group), crime_key(subgroup)
    if (group_key, sub_key) in _GROUP_SUBGROUPS:
        return _GROUP_SUBGROUPS[(group_key, sub_key)]
    if sub_key in _SUBGROUPS:
        return _SUBGROUPS[sub_key]
    if group_key in _SUBGROUPS and sub_key in ("", group_key):
        return _SUBGROUPS[group_key]
    if group_key in _NOT_NOTIFIABLE_GROUPS:
        return NOT_NOTIFIABLE
    if kind == "tno" and group_key in _NOTIFIABLE_GROUPS:
        return _TNO
    return NOT_SHOWN


def _read_table(source: SourceFile, table: CsvTable) -> AdapterResult:
    columns = _columns(source, table.header)
    kind = file_kind(source.name)
    dropped: dict[str, int] = {TEAM_ROW: table.rows_skipped}
    if table.frame.empty:
        raise SourceError(source.display, "the file holds only Safer Neighbourhood Team rows, no borough rows")
    frame = table.frame

    months = _parsed(source, table, columns["month"], parse_month, "a month", blank_ok=False)
    refresh = (
        _parsed(source, table, columns["refresh"], parse_day, "a date", blank_ok=True)
        if columns["refresh"]
        else pd.Series(None, index=frame.index, dtype=object)
    )
    counts = _counts(source, table, columns["count"])
    measure = (
        frame[columns["measure"]]
        .map(crime_key)
        .map({"offences": HARM_OFFENCES, "positive outcomes": HARM_POSITIVE_OUTCOMES})
    )
    gss = _boroughs(table, columns)
    groups = frame[columns["group"]].str.strip()
    subgroups = frame[columns["subgroup"]].str.strip()
    labels = {pair: _label(*pair, kind) for pair in set(zip(groups, subgroups, strict=True))}
    target = pd.Series([labels[pair] for pair in zip(groups, subgroups, strict=True)], index=frame.index)

    reason = pd.Series(pd.NA, index=frame.index, dtype=object)
    reason = reason.mask(frame[columns["area_type"]].str.strip().str.lower() != "borough", OTHER_AREA_TYPE)
    reason = reason.mask(reason.isna() & gss.isna(), NOT_A_BOROUGH)
    reason = reason.mask(reason.isna() & measure.isna(), OTHER_MEASURE)
    is_reason = target.map(lambda t: isinstance(t, str) and t != _TNO)
    reason = reason.mask(reason.isna() & is_reason, target)
    # Offences the Met could not place in a borough, per offence subgroup, for the manifest.
    elsewhere = (reason == NOT_A_BOROUGH) & (measure == HARM_OFFENCES) & target.map(lambda t: isinstance(t, tuple))
    offences_elsewhere = pd.Series(counts, index=frame.index)[elsewhere].groupby(target[elsewhere].str[1]).sum()

    rows = pd.DataFrame(
        {
            "month": months,
            "gss_code": gss,
            "raw_group": groups.map(crime_key),
            "raw_subgroup": subgroups.map(crime_key),
            "target": target,
            "measure": measure,
            "count": counts,
            "refresh": refresh,
            "line": table.lines,
        }
    )[reason.isna()]
    rows, identical = _drop_repeats(source, rows, columns)
    dropped[IDENTICAL_ROW] = identical
    rows, tno_dropped = _tno_total(rows)
    dropped[TNO_PART] = tno_dropped
    dropped = merge_counts(dropped, {str(k): int(v) for k, v in reason.dropna().value_counts().items()})

    rows["offence_group"] = rows["target"].str[0]
    rows["offence_subgroup"] = rows["target"].str[1]
    harm = rows.groupby(
        ["month", "gss_code", "offence_group", "offence_subgroup", "measure", "refresh"], dropna=False, as_index=False
    )["count"].sum()
    not_shown = sorted(
        {f"{g} / {s}" for (g, s), t in labels.items() if t in (NOT_SHOWN, NOT_NOTIFIABLE)}, key=str.lower
    )
    return AdapterResult(
        tables={"_harm_rows": harm},
        rows_read=len(frame) + table.rows_skipped,
        rows_dropped={k: v for k, v in dropped.items() if v},
        info={
            "months": sorted(set(harm["month"])),
            "kind": kind,
            "layout": columns["group"],
            "refresh_dates": sorted({d.isoformat() for d in harm["refresh"].dropna()}),
            "offences_outside_boroughs": {str(k): int(v) for k, v in offences_elsewhere.items() if v},
            "offences_not_shown": not_shown,
        },
    )


def _drop_repeats(source: SourceFile, rows: pd.DataFrame, columns: dict[str, str | None]) -> tuple[pd.DataFrame, int]:
    """Rows repeated exactly are counted once; the same cell with two different counts is
    an error in the file."""
    key = ["month", "gss_code", "raw_group", "raw_subgroup", "measure", "refresh"]
    exact = rows.duplicated([*key, "count"])
    rows = rows[~exact]
    repeated = rows.duplicated(key, keep="first")
    if repeated.any():
        keys = rows[key].astype(TEXT).apply(tuple, axis=1)
        second = rows[repeated].sort_values("line").iloc[0]
        first = rows[(keys == keys[second.name]) & ~repeated].iloc[0]
        raise SourceError(
            source.display,
            f"rows {int(first['line'])} and {int(second['line'])} give different counts ({int(first['count'])} "
            f"and {int(second['count'])}) for the same borough, month, offence and measure",
            column=columns["count"],
        )
    return rows, int(exact.sum())


def _tno_total(rows: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The TNO file's offence groups summed into total notifiable offences, unless the file
    carries its own total rows (then the parts are left out, never added to it)."""
    parts = rows["target"].map(lambda t: t == _TNO)
    if not parts.any():
        return rows, 0
    has_total = rows["target"].map(lambda t: isinstance(t, tuple) and t[0] == TOTAL_NOTIFIABLE).any()
    if has_total:
        return rows[~parts], int(parts.sum())
    summed = (
        rows[parts].groupby(["month", "gss_code", "measure", "refresh"], dropna=False, as_index=False)["count"].sum()
    )
    summed["target"] = [(TOTAL_NOTIFIABLE, TOTAL_NOTIFIABLE)] * len(summed)
    return pd.concat([rows[~parts], summed], ignore_index=True), 0


# --- all files together --------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """`harm_monthly`, and per file (by display name) the rows left out by reason and the
    months it supplied."""

    table: pd.DataFrame
    dropped: dict[str, dict[str, int]]
    months_used: dict[str, list[date]]


def merge_files(files: list[tuple[str, AdapterResult]]) -> Merged:
    """`harm_monthly` from every dashboard file read, each offence group's month taken from
    one file: the one with the latest Refresh Date, then (for total notifiable offences) the
    TNO file, then the later file name."""
    parts = []
    for index, (display, result) in enumerate(files):
        frame = result.tables["_harm_rows"].copy()
        frame["file"] = index
        frame["tno_file"] = result.info.get("kind") == "tno"
        frame["display"] = display
        parts.append(frame)
    rows = pd.concat(parts, ignore_index=True)
    rows["refresh_key"] = rows["refresh"].map(lambda d: d if isinstance(d, date) else date.min)
    rows["prefer_tno"] = rows["tno_file"] & (rows["offence_group"] == TOTAL_NOTIFIABLE)
    releases = rows.drop_duplicates(["offence_group", "month", "file", "refresh_key"])
    releases = releases.sort_values(["refresh_key", "prefer_tno", "display"])
    winners = releases.drop_duplicates(["offence_group", "month"], keep="last")
    chosen = rows.merge(
        winners[["offence_group", "month", "file", "refresh_key"]],
        on=["offence_group", "month"],
        suffixes=("", "_won"),
    )
    won = (chosen["file"] == chosen["file_won"]) & (chosen["refresh_key"] == chosen["refresh_key_won"])
    dropped: dict[str, dict[str, int]] = defaultdict(dict)
    lost = chosen[~won]
    for (display, newer), group in lost.groupby(["display", lost["refresh_key_won"] > lost["refresh_key"]], sort=False):
        reason = SUPERSEDED if newer else COUNTED_ELSEWHERE
        dropped[display] = merge_counts(dropped[display], {reason: len(group)})
    used = chosen[won].groupby("display")["month"].agg(lambda m: sorted(set(m)))
    table = chosen[won].groupby(list(HARM_COLUMNS[:-1]), as_index=False)["count"].sum()
    table = table.sort_values(list(HARM_COLUMNS[:-1])).reset_index(drop=True)
    for column in ("gss_code", "offence_group", "offence_subgroup", "measure"):
        table[column] = table[column].astype("string")
    table["count"] = table["count"].astype("int64")
    months_used = {display: used.get(display, []) for display, _ in files}
    return Merged(table[list(HARM_COLUMNS)], dict(dropped), months_used)
