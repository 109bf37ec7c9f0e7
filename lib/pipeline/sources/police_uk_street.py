"""data.police.uk street-level crime (`YYYY-MM-<force>-street.csv`) into `crime_points`.

Every row is kept; the borough comes later from point-in-polygon. Rows with "No Location"
have blank coordinates and stay in with an unknown borough.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.pipeline.csvfile import SourceFile, first_bad_row, read_csv, require_columns
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import police_uk
from lib.pipeline.sources.base import IDENTICAL_ROW, OGL_V3, OTHER_MONTH, AdapterResult

COLUMNS = (
    "Month",
    "Longitude",
    "Latitude",
    "LSOA code",
    "Crime type",
    "Last outcome category",
)


@dataclass(frozen=True)
class StreetCrimeAdapter:
    name: str = "police_uk_street"
    publisher: str = police_uk.PUBLISHER
    licence: str = OGL_V3
    url: str = police_uk.URL
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        return police_uk.claims(name, header_line, "street", "Crime ID,Month,Reported by,Falls within,", "Crime type")

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        archive = police_uk.require_archive_name(source, "street")
        table = read_csv(source, delimiter=",")
        require_columns(source, table.header, COLUMNS, "data.police.uk street crime")
        raw = table.frame

        month = pd.to_datetime(raw["Month"].str.strip(), format="%Y-%m", errors="coerce")
        bad = first_bad_row(month.isna())
        if bad is not None:
            raise SourceError(
                source.display,
                f"'{raw['Month'].iloc[bad]}' is not a month written as YYYY-MM",
                row=table.line_of(bad),
                column="Month",
            )
        crime_type = police_uk.blank_to_null(raw["Crime type"])
        bad = first_bad_row(crime_type.isna())
        if bad is not None:
            raise SourceError(source.display, "the crime type is blank", row=table.line_of(bad), column="Crime type")
        lat, lon = police_uk.coordinates(source, table)
        months = month.dt.date
        frame = pd.DataFrame(
            {
                "month": months,
                "crime_type": crime_type,
                "lat": lat,
                "lon": lon,
                "gss_code": pd.Series(pd.NA, index=raw.index, dtype="string"),
                "lsoa_code": police_uk.blank_to_null(raw["LSOA code"]),
                "outcome": police_uk.blank_to_null(raw["Last outcome category"]),
                "force": pd.Series(archive.force, index=raw.index, dtype="string"),
            }
        )
        flagged = {
            IDENTICAL_ROW: police_uk.identical_rows(raw),
            OTHER_MONTH: int((months != archive.month).sum()),
        }
        return AdapterResult(
            tables={"crime_points": frame},
            rows_read=len(raw),
            rows_flagged={reason: n for reason, n in flagged.items() if n},
            info={"force": archive.force, "month": archive.month},
        )


ADAPTER = StreetCrimeAdapter()
