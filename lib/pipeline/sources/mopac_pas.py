"""MOPAC Public Attitude Survey dashboard tables (borough sheet and London/"MPS" sheet).

Quirks handled: decimal commas ("0,56"), the semicolon-separated London export, d/m/yyyy
dates with or without zero padding, "City of Westminster", the quoted `"Good Job" local`
measure name, and empty unnamed columns left by the Excel export. Proportions are rolling
12-month figures at quarter end; the files carry no respondent counts, so `base` is null.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd

from lib.boroughs import resolve_borough
from lib.contract import TEXT
from lib.pipeline.csvfile import (
    CsvTable,
    SourceFile,
    first_bad_row,
    parse_number_column,
    read_csv,
    require_columns,
)
from lib.pipeline.errors import SourceError
from lib.pipeline.sources.base import OGL_V2, AdapterResult, merge_counts
from lib.vocab import survey_measure_key

COLUMNS = ("Date", "Borough", "Measure", "Proportion")
LONDON_LABELS = {"mps", "london", "metropolitan police service"}
NOT_SHOWN = "measure not shown on the dashboard"
NO_VALUE = "no proportion published"
REPEATED = "repeated row"
OTHER_SURVEY = "not the Public Attitude Survey"
SURVEY_COLUMNS = ("period_end", "gss_code", "measure", "group_type", "group", "proportion", "base")


@dataclass(frozen=True)
class MopacPasAdapter:
    name: str = "mopac_pas"
    publisher: str = "Mayor's Office for Policing and Crime (London Datastore)"
    licence: str = OGL_V2
    url: str = "https://data.london.gov.uk/dataset/mopac-surveys"
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        if not lowered.endswith((".csv", ".xlsx")):
            return False
        if lowered.startswith("pas_"):  # MOPAC's names: PAS_T&Cdashboard..., and its sheets' exports
            return True
        header = header_line.strip().lstrip("\ufeff").replace(";", ",").replace('"', "").lower()
        return header.startswith("date,survey,borough,measure,proportion")

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        is_workbook = source.name.lower().endswith(".xlsx")
        sheets = _workbook_tables(source) if is_workbook else [(source, read_csv(source))]
        parts = [_read_table(sheet_source, table) for sheet_source, table in sheets]
        tables: dict[str, pd.DataFrame] = {}
        for name in ("survey", "_survey_london_from_boroughs"):
            frames = [p.tables[name] for p in parts if name in p.tables]
            if frames:
                tables[name] = pd.concat(frames, ignore_index=True)
        return AdapterResult(
            tables=tables,
            rows_read=sum(p.rows_read for p in parts),
            rows_dropped=merge_counts(*(p.rows_dropped for p in parts)),
        )


def _workbook_tables(source: SourceFile) -> list[tuple[SourceFile, CsvTable]]:
    """The survey sheets of MOPAC's workbook ("Borough", "MPS") as string tables, so they go
    through the same checks as the CSV exports. Rows are numbered as Excel shows them."""
    try:
        sheets = pd.read_excel(source.path, sheet_name=None, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise SourceError(
            source.display, f"the workbook cannot be read ({type(exc).__name__}); download it again"
        ) from None
    found = []
    for sheet, frame in sheets.items():
        header = [str(c).strip() for c in frame.columns]
        if not {"Date", "Borough", "Measure", "Proportion"} <= set(header):
            continue
        text = frame.apply(lambda column: column.map(_cell_text))
        text.columns = [name if not name.startswith("Unnamed") else f"_unnamed_{i}" for i, name in enumerate(header)]
        lines = np.arange(2, len(text) + 2, dtype=np.int64)
        sheet_source = SourceFile(source.path, f"{source.display} (sheet '{sheet}')", source.sha256)
        found.append((sheet_source, CsvTable(header=list(text.columns), frame=text.astype(TEXT), lines=lines)))
    if not found:
        raise SourceError(
            source.display, "no sheet has the columns Date, Borough, Measure and Proportion of the PAS tables"
        )
    return found


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day}/{value.month}/{value.year}"
    return str(value)


def _read_table(source: SourceFile, table: CsvTable) -> AdapterResult:
    require_columns(source, table.header, COLUMNS, "MOPAC Public Attitude Survey")
    raw = table.frame
    dropped = pd.Series(pd.NA, index=raw.index, dtype="string")

    if "Survey" in raw:
        dropped = dropped.mask(~raw["Survey"].str.strip().str.upper().isin(["PAS", ""]), OTHER_SURVEY)
    period_end = _quarter_ends(source, table)
    measures = raw["Measure"].map(survey_measure_key)
    dropped = dropped.mask(dropped.isna() & measures.isna(), NOT_SHOWN)
    proportion = parse_number_column(source, table, "Proportion", decimal_comma=True)
    _check_proportions(source, table, proportion, "Proportion")
    dropped = dropped.mask(dropped.isna() & proportion.isna(), NO_VALUE)

    labels = raw["Borough"].str.strip()
    is_london = labels.str.lower().isin(LONDON_LABELS)
    codes: dict[str, str | None] = {}
    for label in labels[~is_london & dropped.isna()].unique():
        borough = resolve_borough(label)
        if borough is None:
            position = int(np.flatnonzero((labels == label).to_numpy())[0])
            raise SourceError(
                source.display,
                f"'{label}' is not a London borough name",
                row=table.line_of(position),
                column="Borough",
            )
        codes[label] = borough.gss_code
    gss = labels.map(codes).where(~is_london).astype("string")

    frame = _survey_rows(period_end, gss, measures, proportion)
    keep = dropped.isna().to_numpy()
    frame, repeated = _deduplicate(table, source, frame, keep)
    tables = {"survey": frame}
    if "MPS" in raw:
        # The borough sheet repeats the London value on every row: one per quarter and measure.
        london_value = parse_number_column(source, table, "MPS", decimal_comma=True)
        _check_proportions(source, table, london_value, "MPS")
        london = _survey_rows(period_end, pd.Series(pd.NA, index=raw.index, dtype="string"), measures, london_value)
        usable = keep & london_value.notna().to_numpy()
        london = london[usable].drop_duplicates(["period_end", "measure", "proportion"])
        clash = london.duplicated(["period_end", "measure"], keep=False)
        if clash.any():
            first = london[clash].iloc[0]
            raise SourceError(
                source.display,
                f"the London value ('MPS' column) for {first['measure']} at {first['period_end']} differs between rows",
                column="MPS",
            )
        tables["_survey_london_from_boroughs"] = london.reset_index(drop=True)
    reasons = dropped.dropna().value_counts()
    rows_dropped = {str(reason): int(n) for reason, n in reasons.items()}
    if repeated:
        rows_dropped[REPEATED] = repeated
    return AdapterResult(tables=tables, rows_read=len(raw), rows_dropped=rows_dropped)


def _quarter_ends(source: SourceFile, table: CsvTable) -> pd.Series:
    text = table.frame["Date"].str.strip()
    parsed = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    parsed = parsed.fillna(iso)
    bad = first_bad_row(parsed.isna())
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{table.frame['Date'].iloc[bad]}' is not a date written as day/month/year",
            row=table.line_of(bad),
            column="Date",
        )
    bad = first_bad_row(~parsed.dt.is_quarter_end)
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{table.frame['Date'].iloc[bad]}' is not the last day of a quarter",
            row=table.line_of(bad),
            column="Date",
        )
    return parsed.dt.date


def _check_proportions(source: SourceFile, table: CsvTable, values: pd.Series, column: str) -> None:
    bad = first_bad_row((values < 0) | (values > 1))
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{table.frame[column].iloc[bad]}' is not a proportion between 0 and 1",
            row=table.line_of(bad),
            column=column,
        )


def _survey_rows(period_end: pd.Series, gss: pd.Series, measures: pd.Series, proportion: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_end": period_end,
            "gss_code": gss,
            "measure": measures.astype("string"),
            "group_type": pd.Series("all", index=period_end.index, dtype="string"),
            "group": pd.Series("All", index=period_end.index, dtype="string"),
            "proportion": proportion.astype("float64"),
            "base": pd.Series(np.nan, index=period_end.index, dtype="float64"),
        }
    )[list(SURVEY_COLUMNS)]


def _deduplicate(
    table: CsvTable, source: SourceFile, frame: pd.DataFrame, keep: np.ndarray
) -> tuple[pd.DataFrame, int]:
    """Drop exact repeats (counted); two different values for one quarter, area and
    measure is a SourceError, since either could be the right one."""
    kept = frame[keep]
    key = ["period_end", "gss_code", "measure"]
    exact = kept.duplicated([*key, "proportion"], keep="first")
    unique = kept[~exact]
    clash = unique.duplicated(key, keep="first")
    if clash.any():
        # The frame still has the file's row positions as its index.
        row = table.line_of(int(unique.index[clash.to_numpy()][0]))
        raise SourceError(
            source.display,
            "this quarter, area and measure already has a different proportion on an earlier row",
            row=row,
        )
    return unique.reset_index(drop=True), int(exact.sum())


ADAPTER = MopacPasAdapter()
