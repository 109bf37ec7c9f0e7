"""Shared pieces of the two data.police.uk archive formats (stop and search, street crime)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from lib.pipeline.csvfile import CsvTable, SourceFile, first_bad_row
from lib.pipeline.errors import SourceError

PUBLISHER = "Home Office (data.police.uk)"
URL = "https://data.police.uk/data/"
LONDON_FORCES = ("metropolitan", "city-of-london")

# A box around Greater London (degrees); points outside it are not London's, whatever
# the force, and are kept with an unknown borough.
LAT_RANGE = (51.2, 51.75)
LON_RANGE = (-0.6, 0.4)

_NAME = re.compile(r"^(\d{4})-(\d{2})-([a-z-]+?)-(stop-and-search|street|outcomes)\.csv$", re.IGNORECASE)


@dataclass(frozen=True)
class ArchiveName:
    month: date
    force: str
    kind: str  # "stop-and-search" or "street"


def parse_archive_name(name: str) -> ArchiveName | None:
    """Month, force and kind from a data.police.uk archive file name, if it is one."""
    found = _NAME.match(name)
    if not found:
        return None
    year, month, force, kind = found.groups()
    if not 1 <= int(month) <= 12:
        return None
    return ArchiveName(date(int(year), int(month), 1), force.lower(), kind.lower())


def claims(name: str, header_line: str, kind: str, header_start: str, header_needs: str) -> bool:
    """Whether a file is a London force's `kind` file. An archive-style name decides on its
    own (other forces and outcomes files in the monthly archive are not ours); a renamed file
    is recognised by its header, and then told to keep its name."""
    parsed = parse_archive_name(name)
    if parsed is not None:
        return parsed.kind == kind and parsed.force in LONDON_FORCES
    header = header_line.strip().lstrip("\ufeff")
    return name.lower().endswith(".csv") and header.startswith(header_start) and header_needs in header


def require_archive_name(source: SourceFile, kind: str) -> ArchiveName:
    """The month and force from the file name, which the data itself does not carry."""
    parsed = parse_archive_name(source.name)
    if parsed is None or parsed.kind != kind:
        raise SourceError(
            source.display,
            f"the month and force come from the file name, so keep the name as downloaded "
            f"(like 2024-01-metropolitan-{kind}.csv)",
        )
    if parsed.force not in LONDON_FORCES:
        raise SourceError(
            source.display,
            f"force '{parsed.force}' is not a London force (expected metropolitan or city-of-london)",
        )
    return parsed


def coordinates(source: SourceFile, table: CsvTable) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude in degrees (NaN where blank); text that isn't a number, or a
    row with only one of the pair, is a SourceError at its row."""
    values = {}
    for column in ("Latitude", "Longitude"):
        text = table.frame[column].str.strip()
        number = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = first_bad_row(number.isna() & (text != ""))
        if bad is not None:
            raise SourceError(
                source.display,
                f"'{table.frame[column].iloc[bad]}' is not a coordinate in degrees",
                row=table.line_of(bad),
                column=column,
            )
        values[column] = number.astype("float64")
    lat, lon = values["Latitude"], values["Longitude"]
    bad = first_bad_row(lat.isna() != lon.isna())
    if bad is not None:
        raise SourceError(source.display, "the row has one coordinate without the other", row=table.line_of(bad))
    return lat, lon


def in_london_box(lat: pd.Series, lon: pd.Series) -> np.ndarray:
    """True where a point lies inside the Greater London bounding box."""
    return lat.between(*LAT_RANGE).to_numpy(dtype=bool, na_value=False) & lon.between(*LON_RANGE).to_numpy(
        dtype=bool, na_value=False
    )


def blank_to_null(series: pd.Series) -> pd.Series:
    """Strings with blanks as nulls (the archive writes a missing value as an empty cell)."""
    stripped = series.str.strip()
    return stripped.where(stripped != "").astype("string")


def identical_rows(frame: pd.DataFrame) -> int:
    """Rows identical to an earlier row of the same file: kept (the archive legitimately
    repeats searches of several people at one snapped place and minute), but counted."""
    return int(frame.duplicated(keep="first").sum())
