"""Source lines and breaks read from a snapshot's manifest: every source a page, CSV or
export names comes from what the snapshot actually holds (its sources, their files and the
months those files supplied), never from a fixed sentence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

from lib.breaks import Break, breaks_for
from lib.manifest import DATASETS, DEMO_EVENT_TABLES, FORCES, SOURCE_TABLES
from lib.metrics.coverage import span_label

_ARCHIVE = re.compile(r"(\d{4})-(\d{2})-([a-z-]+?)-(?:stop-and-search|street|outcomes)\.csv$", re.IGNORECASE)


def _tables_of(source: dict, manifest: dict) -> tuple[str, ...]:
    listed = source.get("tables")
    if isinstance(listed, list | tuple):
        return tuple(listed)
    name = str(source.get("name", ""))
    if name in SOURCE_TABLES:
        tables = SOURCE_TABLES[name]
        # Before the Met borough files were required, crime_monthly could come from police.uk.
        names = {str(s.get("name")) for s in manifest.get("sources") or []}
        if name == "police_uk_street" and "met_borough_crime" not in names:
            tables = (*tables, "crime_monthly")
        return tables
    if manifest.get("kind") == "demo":
        if name.lower().startswith("synthetic"):
            return DEMO_EVENT_TABLES
        if "census" in name.lower():
            return ("population",)
        if "outline" in name.lower():
            return ("boroughs",)
    return ()


def _file_months(item: dict) -> tuple[date, date] | None:
    """The months a file contributed: its `months` entry, or the month in a data.police.uk
    archive name; None when the manifest does not say."""
    months = item.get("months")
    if isinstance(months, dict) and months.get("from") and months.get("to"):
        try:
            first = date.fromisoformat(f"{months['from']}-01")
            last = date.fromisoformat(f"{months['to']}-01")
        except ValueError:
            return None
        return first, last
    found = _ARCHIVE.search(str(item.get("path", "")))
    if found:
        month = date(int(found.group(1)), int(found.group(2)), 1)
        return month, month
    return None


def _file_force(item: dict) -> str | None:
    found = _ARCHIVE.search(str(item.get("path", "")))
    return FORCES.get(found.group(3).lower(), found.group(3)) if found else None


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def source_line(manifest: dict, table: str, months: Iterable[date] | None = None, when: str | None = None) -> str:
    """Where the figures of `table` come from, read from the snapshot's manifest: the
    publishers (and, for data.police.uk files, the forces) whose files hold the `months`
    asked about, those months (or `when`, a phrase such as 'rolling 12 months to December
    2023'), and the licence. Files that hold none of the months, or were superseded by a newer
    release, are not named; so a snapshot with only Met files never names another force.

    'Home Office (data.police.uk): stop and search records, Metropolitan Police Service
    files, March to August 2024 (Open Government Licence v3.0)'."""
    wanted = sorted(set(months)) if months is not None else None
    lines = []
    for source in manifest.get("sources") or []:
        if table not in _tables_of(source, manifest):
            continue
        name = str(source.get("name", ""))
        if manifest.get("kind") == "demo" and table in DEMO_EVENT_TABLES:
            lines.append("synthetic data made by the demo generator (lib/demo), not real figures")
            continue
        used: list[date] = []
        forces: list[str] = []
        files = source.get("files") or []
        for item in files:
            if item.get("months_used") == 0:
                continue  # superseded by a newer release
            span = _file_months(item)
            if wanted is not None and span is not None:
                inside = [m for m in wanted if span[0] <= m <= span[1]]
                if not inside:
                    continue
                used += inside
            force = _file_force(item)
            if force and force not in forces:
                forces.append(force)
        if files and wanted is not None and not used and any(_file_months(i) for i in files):
            continue  # this source holds none of the months asked about
        dataset = DATASETS.get(name, name)
        publisher = str(source.get("publisher", "")).strip()
        text = f"{publisher}: {dataset}" if publisher else dataset
        if forces:
            text += f", {_join(forces)} files"
        shown = sorted(set(used)) or wanted or []
        period = when or (span_label(shown[0], shown[-1]) if shown else "")
        if period:
            text += f", {period}"
        licence = str(source.get("licence", "")).strip()
        lines.append(f"{text} ({licence})" if licence else text)
    if not lines:
        return f"No source for {table} is listed in this snapshot's manifest"
    return "; ".join(dict.fromkeys(lines))


def sources_caption(manifest: dict, parts: Iterable[tuple[str, Iterable[date] | None]]) -> str:
    """'Sources: …; ….' for several (table, months) pairs, each line from `source_line`."""
    lines = [source_line(manifest, table, months) for table, months in parts]
    return "Sources: " + "; ".join(dict.fromkeys(lines)) + "."


def table_publishers(manifest: dict, table: str) -> tuple[str, ...]:
    """The publishers (and data.police.uk forces) of the sources that fed `table`."""
    found: list[str] = []
    for source in manifest.get("sources") or []:
        if table not in _tables_of(source, manifest):
            continue
        found.append(str(source.get("publisher", "")))
        found += [force for item in source.get("files") or [] if (force := _file_force(item))]
    return tuple(dict.fromkeys(p for p in found if p))


def breaks_in(manifest: dict, table: str, breaks: tuple[Break, ...] | None = None) -> tuple[Break, ...]:
    """The known breaks (`lib.breaks`) that affect `table` in this snapshot: those of a
    publisher whose files fed it. The demo models the Met's series, so it shows the Met's."""
    candidates = breaks_for(table, breaks)
    if manifest.get("kind") == "demo":
        return candidates
    publishers = table_publishers(manifest, table)
    return tuple(b for b in candidates if any(b.publisher in p for p in publishers))


def known_breaks_table(manifest: dict) -> pd.DataFrame:
    """The known breaks that affect any table of this snapshot, as shown on the About page:
    date, publisher, tables, what changed, source (all text)."""
    found: dict[Break, set[str]] = {}
    for table in sorted({t for source in manifest.get("sources") or [] for t in _tables_of(source, manifest)}):
        for item in breaks_in(manifest, table):
            found.setdefault(item, set()).add(table)
    rows = [
        {
            "Date": item.date_text,
            "Publisher": item.publisher,
            "Tables": ", ".join(sorted(tables)),
            "What changed": item.what_changed,
            "Source": item.source,
        }
        for item, tables in found.items()
    ]
    return pd.DataFrame(rows, columns=["Date", "Publisher", "Tables", "What changed", "Source"])
