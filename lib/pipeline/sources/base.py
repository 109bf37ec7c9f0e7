"""The small interface every source adapter shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from lib.pipeline.csvfile import SourceFile

OGL_V3 = "Open Government Licence v3.0"
OGL_V2 = "Open Government Licence v2.0"

# Reasons for rows kept with an unknown borough ("flagged") and rows left out ("dropped").
NO_LOCATION = "no location"
OUTSIDE_LONDON = "outside London"
IDENTICAL_ROW = "identical to another row"
OTHER_MONTH = "dated outside the file's month"


@dataclass
class AdapterResult:
    """What one file contributed: table fragments, rows read, and the fate of the rest.

    `tables` maps a contract table name (or an internal name starting with '_') to rows of
    that table. `rows_dropped` counts rows left out, `rows_flagged` rows kept with a caveat,
    both keyed by a plain-English reason.
    """

    tables: dict[str, pd.DataFrame]
    rows_read: int
    rows_dropped: dict[str, int] = field(default_factory=dict)
    rows_flagged: dict[str, int] = field(default_factory=dict)
    info: dict[str, object] = field(default_factory=dict)


class Adapter(Protocol):
    """One publisher's file format."""

    name: str  # short id, also the manifest's source name
    publisher: str
    licence: str
    url: str
    # Sources read from a single file (boundaries, population): when several candidates
    # are present the one with the lowest rank is used and the others are reported unused.
    single_file: bool

    def matches(self, name: str, header_line: str) -> bool:
        """Whether a file with this name and first line is this source's."""
        ...

    def rank(self, source: SourceFile) -> int:
        """Preference among candidates when `single_file` (lower is better)."""
        ...

    def read(self, source: SourceFile) -> AdapterResult:
        """Validate and convert one file; raise SourceError for anything wrong with it."""
        ...


def count_reasons(reasons: pd.Series) -> dict[str, int]:
    """{reason: n} for a Series of reason strings (nulls ignored), largest first."""
    counts = reasons.dropna().value_counts()
    return {str(reason): int(n) for reason, n in counts.items()}


def merge_counts(*counts: dict[str, int]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for mapping in counts:
        for reason, n in mapping.items():
            if n:
                merged[reason] = merged.get(reason, 0) + int(n)
    return merged
