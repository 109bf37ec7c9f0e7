"""data.police.uk stop and search (`YYYY-MM-<force>-stop-and-search.csv`).

Every row is kept. The borough is found later by point-in-polygon (`lib.pipeline.locate`),
since the file has coordinates only. `searched_at` is UTC as published; `month` is the
London local month, because from April to October each file starts at 23:xx UTC on the
last day of the previous month, which is already the 1st in British Summer Time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.pipeline.csvfile import SourceFile, first_bad_row, read_csv, require_columns
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import police_uk
from lib.pipeline.sources.base import IDENTICAL_ROW, OGL_V3, OTHER_MONTH, AdapterResult
from lib.vocab import ethnic_group_from_self_defined

COLUMNS = (
    "Type",
    "Date",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
)
_TEXT_COLUMNS = {
    "type": "Type",
    "gender": "Gender",
    "age_range": "Age range",
    "self_defined_ethnicity": "Self-defined ethnicity",
    "officer_defined_ethnicity": "Officer-defined ethnicity",
    "legislation": "Legislation",
    "object_of_search": "Object of search",
    "outcome": "Outcome",
}
_BOOLEANS = {"true": True, "false": False, "": None}
LONDON_TZ = "Europe/London"


@dataclass(frozen=True)
class StopSearchAdapter:
    name: str = "police_uk_stop_search"
    publisher: str = police_uk.PUBLISHER
    licence: str = OGL_V3
    url: str = police_uk.URL
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        return police_uk.claims(name, header_line, "stop-and-search", "Type,Date,", "Self-defined ethnicity")

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        archive = police_uk.require_archive_name(source, "stop-and-search")
        table = read_csv(source, delimiter=",")
        require_columns(source, table.header, COLUMNS, "data.police.uk stop and search")
        raw = table.frame

        searched_at = pd.to_datetime(raw["Date"].str.strip(), format="ISO8601", utc=True, errors="coerce")
        bad = first_bad_row(searched_at.isna())
        if bad is not None:
            shown = raw["Date"].iloc[bad]
            problem = f"'{shown}' is not a date and time" if shown.strip() else "the date is blank"
            raise SourceError(source.display, problem, row=table.line_of(bad), column="Date")
        local = searched_at.dt.tz_convert(LONDON_TZ)
        month = local.dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date
        lat, lon = police_uk.coordinates(source, table)

        frame = pd.DataFrame(
            {
                "searched_at": searched_at.astype("datetime64[us, UTC]"),
                "month": month,
                "gss_code": pd.Series(pd.NA, index=raw.index, dtype="string"),
                "lat": lat,
                "lon": lon,
            }
        )
        for column, published in _TEXT_COLUMNS.items():
            frame[column] = police_uk.blank_to_null(raw[published])
        # A month has a few dozen distinct labels: harmonise each once.
        labels = frame["self_defined_ethnicity"].fillna("")
        groups = {label: ethnic_group_from_self_defined(label) for label in labels.unique()}
        frame["ethnic_group"] = labels.map(groups).astype("string")
        frame["outcome_linked"] = _booleans(source, table, "Outcome linked to object of search")
        frame["removal_more_than_outer"] = _booleans(source, table, "Removal of more than just outer clothing")
        frame["force"] = pd.Series(archive.force, index=raw.index, dtype="string")

        flagged = {
            IDENTICAL_ROW: police_uk.identical_rows(raw),
            OTHER_MONTH: int((month != archive.month).sum()),
        }
        return AdapterResult(
            tables={"stop_search": frame},
            rows_read=len(raw),
            rows_flagged={reason: n for reason, n in flagged.items() if n},
            info={"force": archive.force, "month": archive.month},
        )


def _booleans(source: SourceFile, table, column: str) -> pd.Series:
    """Nullable booleans: the archive leaves a cell empty when it wasn't recorded (all of
    2019), which means unknown, not False."""
    text = table.frame[column].str.strip().str.lower()
    values = text.map(_BOOLEANS)
    bad = first_bad_row(~text.isin(list(_BOOLEANS)))
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{table.frame[column].iloc[bad]}' is not True, False or blank",
            row=table.line_of(bad),
            column=column,
        )
    return values.astype("boolean")


ADAPTER = StopSearchAdapter()
