"""The Met's wide layout shared by its borough and LSOA files on the London Datastore:
one row per area and category, one column of counts per month (YYYYMM)."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from lib.pipeline.csvfile import CsvTable, SourceFile, first_bad_row
from lib.pipeline.errors import SourceError
from lib.pipeline.harmonise import met_category

PUBLISHER = "Metropolitan Police Service (London Datastore)"
_MONTH_COLUMN = re.compile(r"^(\d{4})(\d{2})$")


def month_columns(source: SourceFile, header: list[str]) -> dict[str, date]:
    """{column: first day of month} for the YYYYMM columns; a SourceError if there are none
    or one names a month that doesn't exist."""
    months: dict[str, date] = {}
    for column in header:
        found = _MONTH_COLUMN.match(column)
        if not found:
            continue
        year, month = int(found.group(1)), int(found.group(2))
        if not (1 <= month <= 12 and 2000 <= year <= 2100):
            raise SourceError(source.display, f"'{column}' is not a month written as YYYYMM", row=1)
        months[column] = date(year, month, 1)
    if not months:
        raise SourceError(
            source.display, "no month columns (YYYYMM) were found, so this is not a Met crime file", row=1
        )
    return months


def find_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    """The first header name matching one of the aliases (case and spaces ignored)."""
    keys = {re.sub(r"[^a-z0-9]", "", name.lower()): name for name in header}
    for alias in aliases:
        found = keys.get(re.sub(r"[^a-z0-9]", "", alias.lower()))
        if found:
            return found
    return None


def harmonised_categories(
    source: SourceFile, table: CsvTable, major_column: str, minor_column: str
) -> tuple[pd.Series, pd.Series]:
    """Harmonised major and minor for each row; an unmapped label is a SourceError."""
    pairs = table.frame[[major_column, minor_column]].apply(lambda s: s.str.strip())
    lookup = {}
    for major, minor in pairs.drop_duplicates().itertuples(index=False):
        target = met_category(major, minor)
        if target is None:
            position = first_bad_row((pairs[major_column] == major) & (pairs[minor_column] == minor))
            raise SourceError(
                source.display,
                f"the crime category '{major}' / '{minor}' is not in the pipeline's lookup table "
                "(lib/pipeline/harmonise.py); add it there",
                row=table.line_of(position or 0),
                column=minor_column,
            )
        lookup[(major, minor)] = target
    targets = [lookup[pair] for pair in zip(pairs[major_column], pairs[minor_column], strict=True)]
    majors = pd.Series([t[0] for t in targets], index=table.frame.index, dtype="string")
    minors = pd.Series([t[1] for t in targets], index=table.frame.index, dtype="string")
    return majors, minors


def month_counts(source: SourceFile, table: CsvTable, months: dict[str, date]) -> np.ndarray:
    """Counts as an int64 matrix (rows x months); blanks count 0, anything else that is not
    a whole number >= 0 is a SourceError at its row and column."""
    block = table.frame[list(months)].apply(lambda s: s.str.strip())
    numbers = block.apply(lambda s: pd.to_numeric(s.where(s != ""), errors="coerce"))
    invalid = (numbers.isna() & (block != "")) | (numbers < 0) | (numbers.fillna(0) % 1 != 0)
    if invalid.to_numpy().any():
        row_pos, col_pos = np.argwhere(invalid.to_numpy())[0]
        column = block.columns[col_pos]
        raise SourceError(
            source.display,
            f"'{block.iat[row_pos, col_pos]}' is not a count of crimes",
            row=table.line_of(int(row_pos)),
            column=column,
        )
    return numbers.fillna(0).to_numpy(dtype=np.int64)
