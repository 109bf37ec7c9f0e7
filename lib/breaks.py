"""Known breaks in the publishers' series (data/reference/breaks.csv): a change of recording
system or rules after which a count can move for reasons other than crime."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

# Beside the other reference files (lib.geo.REFERENCE_DIR); a sibling at the bottom of the
# layers, so the path is spelled here rather than imported.
BREAKS_CSV = Path(__file__).resolve().parent.parent / "data" / "reference" / "breaks.csv"


@dataclass(frozen=True)
class Break:
    """`when`: the first day recorded the new way."""

    when: date
    publisher: str
    tables: tuple[str, ...]
    label: str  # a few words for a chart
    what_changed: str
    source: str

    @property
    def date_text(self) -> str:
        """'28 February 2024'."""
        return f"{self.when.day} {self.when:%B %Y}"


def read_breaks(path: Path) -> tuple[Break, ...]:
    """Every break in a breaks CSV, oldest first."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    breaks = [
        Break(
            when=date.fromisoformat(row["date"].strip()),
            publisher=row["publisher"].strip(),
            tables=tuple(t.strip() for t in row["tables"].split(";") if t.strip()),
            label=row["label"].strip(),
            what_changed=row["what_changed"].strip(),
            source=row["source"].strip(),
        )
        for row in rows
    ]
    return tuple(sorted(breaks, key=lambda b: b.when))


@cache
def known_breaks() -> tuple[Break, ...]:
    """The breaks shipped with the dashboard."""
    return read_breaks(BREAKS_CSV)


def breaks_for(table: str, breaks: tuple[Break, ...] | None = None) -> tuple[Break, ...]:
    """The breaks that affect one snapshot table."""
    return tuple(b for b in (known_breaks() if breaks is None else breaks) if table in b.tables)
