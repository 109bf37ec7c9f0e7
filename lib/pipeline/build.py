"""Build an official snapshot from the publishers' files in a source folder.

Order of work: find and recognise every file (inside zip archives too), check the set is
complete and has no duplicates, read the borough outlines, read every other file through
its adapter, assemble the contract's tables, then hand them to
`lib.snapshot_writer.write_snapshot`, which writes beside the target and swaps only when all
succeeded. Anything wrong with a user's file stops the build with a `SourceError` sentence.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

import geopandas as gpd
import pandas as pd

from lib.contract import TABLES, TEXT, SnapshotError
from lib.geo import BOROUGHS_PARQUET, reference_boroughs
from lib.hexes import crime_cells_from_points
from lib.manifest import SOURCE_TABLES
from lib.pipeline.csvfile import SourceFile
from lib.pipeline.errors import BuildError, SourceError
from lib.pipeline.harmonise import (
    POLICE_UK_NOT_CRIME,
    POLICE_UK_NOTE,
    police_uk_category,
)
from lib.pipeline.locate import borough_of_points
from lib.pipeline.progress import progress_bar
from lib.pipeline.sources import ADAPTERS, BY_NAME, met_crime_dashboard
from lib.pipeline.sources.base import Adapter, AdapterResult, count_reasons, merge_counts
from lib.pipeline.sources.gla_boundaries import is_geo_file, reference_outlines
from lib.pipeline.sources.met_borough_crime import UNALLOCATED
from lib.pipeline.sources.police_uk import parse_archive_name
from lib.snapshot_writer import file_sha256, write_snapshot

_SHAPE_SIDECARS = (".dbf", ".shx", ".prj", ".cpg")
_LONDON_SURVEY_TOLERANCE = 0.005  # both tables round to 2 dp, so they agree to half a point
NOT_IN_OUTLINES = "LSOA code not in the LSOA outlines (2011 and 2021 codes differ)"

# What the dashboard cannot work without, and what to add when it's missing.
_REQUIRED = (
    ("police_uk_stop_search", "data.police.uk stop and search files (2024-01-metropolitan-stop-and-search.csv)"),
    ("census_ethnicity", "the ONS Census 2021 ethnic group table by local authority (TS021 or a custom export)"),
    ("mopac_pas", "the MOPAC Public Attitude Survey table (PAS_Dashboard_Borough.csv)"),
)
_CRIME_SOURCES = ("met_borough_crime", "police_uk_street")
_CRIME_HINT = "recorded crime: the Met borough files (MPS Borough Level Crime ...csv) or data.police.uk street files"


@dataclass
class FileReport:
    """One source file's line in the manifest."""

    source: SourceFile
    adapter: Adapter
    result: AdapterResult | None = None
    extra: dict[str, object] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)

    def manifest_entry(self) -> dict[str, object]:
        result = self.result
        entry: dict[str, object] = {
            "path": self.source.display,
            "sha256": self.source.sha256,
            "rows_read": result.rows_read if result else 0,
            "rows_dropped": dict(result.rows_dropped) if result else {},
            "rows_flagged": merge_counts(result.rows_flagged if result else {}, self.flagged),
        }
        entry.update(self.extra)
        return entry


@dataclass(frozen=True)
class BuildSummary:
    out_dir: Path
    snapshot_id: str
    period: dict[str, str]
    table_rows: dict[str, int]
    rows_dropped: dict[str, int]
    rows_flagged: dict[str, int]
    crimes_dropped: dict[str, int]
    files_used: int
    files_ignored: int
    notes: tuple[str, ...]
    seconds: float
    ignored: tuple[str, ...] = ()  # the files not recognised, as shown to the user

    def lines(self) -> list[str]:
        """The plain-text summary printed at the end of a build."""
        out = [
            f"Built {self.snapshot_id} in {self.seconds:.0f} s: {self.out_dir}",
            f"Period covered: {self.period['from']} to {self.period['to']}",
            f"Files used: {self.files_used}; "
            + (f"not recognised, so not read ({self.files_ignored}):" if self.files_ignored else "none ignored"),
        ]
        out += [f"  {path}" for path in self.ignored]
        out.append("Rows per table:")
        out += [f"  {name:<14} {rows:>12,}" for name, rows in self.table_rows.items()]
        out.append("Rows dropped:" if self.rows_dropped else "Rows dropped: none")
        out += [f"  {n:>10,}  {reason}" for reason, n in self.rows_dropped.items()]
        out.append("Rows kept with a caveat:" if self.rows_flagged else "Rows kept with a caveat: none")
        out += [f"  {n:>10,}  {reason}" for reason, n in self.rows_flagged.items()]
        if self.crimes_dropped:
            out.append("Recorded crimes left out of crime_monthly (no borough):")
            out += [f"  {n:>10,}  {reason}" for reason, n in self.crimes_dropped.items()]
        out += [f"Note: {note}" for note in self.notes]
        return out


# --- finding files ------------------------------------------------------------------------


def _first_line(data: bytes) -> str:
    """The header line, for recognising a file (a UTF-16 file is recognised, then refused
    with a sentence when read)."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    return text.splitlines()[0] if text.strip() else ""


def _claim(name: str, header_line: str) -> Adapter | None:
    return next((a for a in ADAPTERS if a.matches(name, header_line)), None)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(source_dir: Path, scratch: Path) -> tuple[list[tuple[Adapter, SourceFile]], list[str]]:
    """Every recognised file (zip members extracted to `scratch`) and the paths ignored."""
    claimed: list[tuple[Adapter, SourceFile]] = []
    ignored: list[str] = []
    for path in sorted(p for p in source_dir.rglob("*") if p.is_file() and not _hidden(p, source_dir)):
        display = path.relative_to(source_dir).as_posix()
        if path.suffix.lower() == ".zip":
            members, skipped = _from_zip(path, display, scratch)
            claimed += members
            ignored += skipped
            continue
        with open(path, "rb") as handle:
            head = handle.read(4096)
        adapter = _claim(path.name, "" if is_geo_file(path) else _first_line(head))
        if adapter is None:
            ignored.append(display)
        else:
            claimed.append((adapter, SourceFile(path, display, file_sha256(path))))
    # A shapefile's .dbf, .shx, .prj and metadata are read with it, not ignored.
    shapes = {source.display[:-4] for _, source in claimed if source.display.lower().endswith(".shp")}
    ignored = [p for p in ignored if not any(p.startswith(f"{stem}.") for stem in shapes)]
    return claimed, ignored


def _from_zip(path: Path, display: str, scratch: Path) -> tuple[list[tuple[Adapter, SourceFile]], list[str]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise SourceError(
            display, "the file is not a readable zip archive (it may be truncated); download it again"
        ) from None
    claimed: list[tuple[Adapter, SourceFile]] = []
    ignored: list[str] = []
    target = scratch / hashlib.sha256(display.encode()).hexdigest()[:12]
    with archive:
        names = {info.filename for info in archive.infolist()}
        for info in archive.infolist():
            inner = PurePosixPath(info.filename)
            # Hidden members and macOS resource forks (__MACOSX/._name) are skipped, as in folders.
            if info.is_dir() or any(part.startswith((".", "__MACOSX")) for part in inner.parts):
                continue
            member_display = f"{display}/{info.filename}"
            if inner.suffix.lower() in _SHAPE_SIDECARS:
                continue  # read with its .shp
            try:
                head = b"" if is_geo_file(Path(inner.name)) else archive.open(info).read(4096)
            except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                raise SourceError(member_display, f"the archive is damaged ({exc}); download it again") from None
            adapter = _claim(inner.name, _first_line(head))
            if adapter is None:
                ignored.append(member_display)
                continue
            wanted = [info.filename]
            if inner.suffix.lower() == ".shp":
                wanted += [str(inner.with_suffix(s)) for s in _SHAPE_SIDECARS if str(inner.with_suffix(s)) in names]
            for member in wanted:
                try:
                    archive.extract(member, target)
                except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as exc:
                    raise SourceError(
                        f"{display}/{member}",
                        f"the archive is damaged ({exc}); download it again",
                    ) from None
            extracted = target / info.filename
            claimed.append((adapter, SourceFile(extracted, member_display, file_sha256(extracted))))
    return claimed, ignored


# --- checks before reading ---------------------------------------------------------------


def _check_duplicates(claimed: list[tuple[Adapter, SourceFile]]) -> None:
    seen: dict[str, str] = {}
    for _, source in claimed:
        if source.sha256 in seen:
            raise BuildError(
                f"{seen[source.sha256]} and {source.display} are the same file (identical contents); "
                "remove one of them from the source folder."
            )
        seen[source.sha256] = source.display
    force_months: dict[tuple[str, date, str], str] = {}
    for adapter, source in claimed:
        parsed = parse_archive_name(source.name)
        if parsed is None or not adapter.name.startswith("police_uk"):
            continue
        key = (parsed.force, parsed.month, parsed.kind)
        if key in force_months:
            raise BuildError(
                f"{force_months[key]} and {source.display} both hold {parsed.force} {parsed.kind} for "
                f"{parsed.month:%Y-%m}; remove one of them from the source folder."
            )
        force_months[key] = source.display


def _choose_single_files(
    claimed: list[tuple[Adapter, SourceFile]],
) -> tuple[list[tuple[Adapter, SourceFile]], list[str]]:
    """For sources read from one file, keep the preferred candidate; report the others."""
    chosen: list[tuple[Adapter, SourceFile]] = []
    by_adapter: dict[str, list[SourceFile]] = defaultdict(list)
    for adapter, source in claimed:
        if adapter.single_file:
            by_adapter[adapter.name].append(source)
        else:
            chosen.append((adapter, source))
    notes = []
    for name, sources in by_adapter.items():
        adapter = BY_NAME[name]
        ordered = sorted(sources, key=lambda s: (adapter.rank(s), s.display))
        chosen.append((adapter, ordered[0]))
        notes += [f"{s.display} was not used: {ordered[0].display} was preferred for {name}." for s in ordered[1:]]
    return chosen, notes


def _check_required(claimed: list[tuple[Adapter, SourceFile]], source_dir: Path, ignored: list[str]) -> None:
    present = {adapter.name for adapter, _ in claimed}
    if not present:
        seen = f" (it holds only files this pipeline does not read: {_listed(ignored)})" if ignored else ""
        raise BuildError(
            f"No publisher's file was recognised in {source_dir}{seen}; put the files there as downloaded "
            "(or run `.venv/bin/python -m lib.pipeline download` first)."
        )
    missing = [hint for name, hint in _REQUIRED if name not in present]
    if not present & set(_CRIME_SOURCES):
        missing.append(_CRIME_HINT)
    if missing:
        # A file that is there but broken (a garbled header, say) is the first thing to fix:
        # report it rather than the files that are absent.
        for adapter, source in claimed:
            adapter.read(source)
        raise BuildError(f"The source folder {source_dir} lacks {'; and '.join(missing)}.")


def _listed(paths: list[str], most: int = 5) -> str:
    shown = ", ".join(paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _drop_unpaired_lsoa_files(
    claimed: list[tuple[Adapter, SourceFile]], notes: list[str]
) -> list[tuple[Adapter, SourceFile]]:
    """LSOA crime and LSOA outlines are only useful together (crime_areas needs lsoas)."""
    present = {adapter.name for adapter, _ in claimed}
    if "met_lsoa_crime" in present and "gla_lsoa_boundaries" not in present:
        notes.append(
            "crime_areas was not written: the Met LSOA crime files need the LSOA outlines "
            "(LSOA_2011_London_gen_MHW.shp from the GLA boundary files) to be mapped."
        )
        return [(a, s) for a, s in claimed if a.name != "met_lsoa_crime"]
    if "gla_lsoa_boundaries" in present and "met_lsoa_crime" not in present:
        notes.append("The LSOA outlines were not used: no Met LSOA crime file was given.")
        return [(a, s) for a, s in claimed if a.name != "gla_lsoa_boundaries"]
    return claimed


# --- assembling tables -------------------------------------------------------------------


def _newest_per_month(reports: list[FileReport]) -> dict[int, set[date]]:
    """For each month, the file that wins: a newer release beats an older one.

    A release is the set of files in one folder (or zip archive), as downloaded together;
    its date is the last month any of them covers. Within a release, or when all files sit
    in one folder, the file reaching the later month wins (the "most recent 24 months" file
    over the "Historical" one).
    """
    release_end: dict[str, date] = defaultdict(lambda: date.min)
    for report in reports:
        folder = report.source.display.rsplit("/", 1)[0] if "/" in report.source.display else ""
        release_end[folder] = max(release_end[folder], max(report.result.info["months"]))
    ranked = []
    for index, report in enumerate(reports):
        folder = report.source.display.rsplit("/", 1)[0] if "/" in report.source.display else ""
        ranked.append(((release_end[folder], max(report.result.info["months"]), report.source.display), index))
    owner: dict[date, int] = {}
    for _, index in sorted(ranked):
        for month in reports[index].result.info["months"]:
            owner[month] = index  # later (newer) files overwrite
    wins: dict[int, set[date]] = defaultdict(set)
    for month, index in owner.items():
        wins[index].add(month)
    return wins


def _merge_releases(reports: list[FileReport], table: str) -> pd.DataFrame:
    """One table from overlapping Met files, each month counted once (from its newest file)."""
    wins = _newest_per_month(reports)
    parts = []
    for index, report in enumerate(reports):
        months = wins.get(index, set())
        frame = report.result.tables[table]
        parts.append(frame[frame["month"].isin(months)])
        lost = report.result.tables.get("_crimes_dropped")
        if lost is not None:
            used = lost[lost["month"].isin(months)].groupby("reason")["count"].sum()
            report.extra["crimes_dropped"] = {str(k): int(v) for k, v in used.items() if v}
        all_months = report.result.info["months"]
        report.extra["months_used"] = len(months)
        if months:
            report.extra["months"] = {"from": f"{min(months):%Y-%m}", "to": f"{max(months):%Y-%m}"}
        if len(months) < len(all_months):
            report.extra["months_superseded"] = len(all_months) - len(months)
            report.extra["superseded_by_newer_release"] = True
    return pd.concat(parts, ignore_index=True)


def _unallocated(reports: list[FileReport]) -> pd.DataFrame | None:
    """The contract's optional `crime_unallocated`: per month and harmonised major category,
    the crimes the Met recorded with no borough ("Unknown") and all crimes it recorded,
    for the months each file won (`_merge_releases` must have run). Files without an
    "Unknown" borough row give nothing: their unallocated share is not known. None when no
    file gives it."""
    wins = _newest_per_month(reports)
    parts = []
    for index, report in enumerate(reports):
        months = wins.get(index, set())
        if not months or not report.result.info.get("gives_unallocated"):
            continue
        recorded = report.result.tables["_crimes_recorded"]
        recorded = recorded[recorded["month"].isin(months)].rename(columns={"count": "recorded"})
        lost = report.result.tables["_crimes_dropped"]
        lost = lost[(lost["reason"] == UNALLOCATED) & lost["month"].isin(months)]
        lost = lost.groupby(["month", "major_category"], as_index=False)["count"].sum()
        merged = recorded.merge(
            lost.rename(columns={"count": "unallocated"}), on=["month", "major_category"], how="left"
        )
        parts.append(merged.fillna({"unallocated": 0}))
    if not parts:
        return None
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.groupby(["month", "major_category"], as_index=False)[["unallocated", "recorded"]].sum()
    frame["major_category"] = frame["major_category"].astype("string")
    for column in ("unallocated", "recorded"):
        frame[column] = frame[column].astype("int64")
    return frame.sort_values(["month", "major_category"]).reset_index(drop=True)


def _locate(
    reports: list[FileReport], table: str, outlines: gpd.GeoDataFrame, progress: bool, label: str
) -> pd.DataFrame:
    """Concatenate point fragments and fill gss_code by point-in-polygon; per-file flags."""
    frames = [r.result.tables[table] for r in reports]
    owners = pd.Series([i for i, f in enumerate(frames) for _ in range(len(f))], dtype="int64")
    combined = pd.concat(frames, ignore_index=True)
    gss, reasons = borough_of_points(combined["lat"], combined["lon"], outlines, progress=progress, label=label)
    combined["gss_code"] = gss
    for index, group in reasons.groupby(owners):
        reports[index].flagged = merge_counts(reports[index].flagged, count_reasons(group))
    return combined


def _crime_monthly_from_street(points: pd.DataFrame, reports: list[FileReport]) -> pd.DataFrame:
    types = points["crime_type"].astype(TEXT)
    lookup = {}
    for crime_type in types.unique():
        if crime_type == POLICE_UK_NOT_CRIME:
            continue
        target = police_uk_category(crime_type)
        if target is None:
            holder = next(r for r in reports if (r.result.tables["crime_points"]["crime_type"] == crime_type).any())
            raise SourceError(
                holder.source.display,
                f"the crime type '{crime_type}' is not in the pipeline's police.uk lookup table "
                "(lib/pipeline/harmonise.py)",
                column="Crime type",
            )
        lookup[crime_type] = target
    usable = points[types.isin(list(lookup)) & points["gss_code"].notna()]
    mapped = usable["crime_type"].astype(TEXT).map(lookup)
    frame = pd.DataFrame(
        {
            "month": usable["month"],
            "gss_code": usable["gss_code"],
            "major_category": mapped.str[0],
            "minor_category": mapped.str[1],
        }
    )
    return frame.groupby(list(frame.columns), as_index=False).size().rename(columns={"size": "count"})


def _survey(reports: list[FileReport], notes: list[str]) -> pd.DataFrame:
    """Borough rows from every PAS table; London rows as published (the "MPS" table or
    sheet) when given, else taken from the borough table's "MPS" column."""
    rows = pd.concat([r.result.tables["survey"] for r in reports], ignore_index=True)
    derived_parts = [
        r.result.tables["_survey_london_from_boroughs"]
        for r in reports
        if "_survey_london_from_boroughs" in r.result.tables
    ]
    derived = pd.concat(derived_parts, ignore_index=True).drop_duplicates() if derived_parts else None
    published = rows["gss_code"].isna()
    if published.any():
        if derived is not None:
            london_files = [r for r in reports if r.result.tables["survey"]["gss_code"].isna().any()]
            _check_london_agrees(rows[published], derived, london_files, notes)
    elif derived is not None:
        rows = pd.concat([rows, derived], ignore_index=True)
        notes.append("London-wide survey values were taken from the 'MPS' column of the borough table.")
    survey = rows.drop_duplicates()
    key = ["period_end", "gss_code", "measure", "group_type", "group"]
    clash = survey.duplicated(key, keep=False)
    if clash.any():
        first = survey[clash].iloc[0]
        area = first["gss_code"] if pd.notna(first["gss_code"]) else "London"
        raise BuildError(
            f"Two survey files give different values for {first['measure']} at {first['period_end']} "
            f"({area}); keep only one of them."
        )
    return survey.sort_values(key, na_position="first").reset_index(drop=True)


def _check_london_agrees(
    london: pd.DataFrame, derived: pd.DataFrame, files: list[FileReport], notes: list[str]
) -> None:
    """The published London table and the borough table's "MPS" column must tell one story."""
    joined = london.merge(derived, on=["period_end", "measure"], suffixes=("", "_boroughs"))
    if joined.empty:
        return
    gap = (joined["proportion"] - joined["proportion_boroughs"]).abs()
    worst = joined.loc[gap.idxmax()]
    if gap.max() > _LONDON_SURVEY_TOLERANCE:
        raise SourceError(
            files[0].source.display,
            f"the London value for {worst['measure']} at {worst['period_end']} is {worst['proportion']:.2f}, "
            f"but the borough table's 'MPS' column says {worst['proportion_boroughs']:.2f}",
        )
    notes.append(
        f"London-wide survey values come from {', '.join(r.source.display for r in files)}; they agree with "
        f"the borough table's 'MPS' column for all {len(joined)} quarter-measure pairs both contain."
    )


def _lsoa_flags(reports: list[FileReport], lsoas: pd.DataFrame) -> None:
    known = set(lsoas["lsoa_code"].astype(TEXT))
    for report in reports:
        frame = report.result.tables["crime_areas"]
        unknown = int((~frame["lsoa_code"].astype(TEXT).isin(known)).sum())
        if unknown:
            report.flagged = merge_counts(report.flagged, {NOT_IN_OUTLINES: unknown})


def _harm_monthly(reports: list[FileReport]) -> pd.DataFrame:
    """One table from every Monthly Crime Dashboard file; what each file lost to a later
    refresh (or to another file holding the same totals) joins its dropped rows."""
    merged = met_crime_dashboard.merge_files([(r.source.display, r.result) for r in reports])
    for report in reports:
        display = report.source.display
        report.result.rows_dropped = merge_counts(report.result.rows_dropped, merged.dropped.get(display, {}))
        months = merged.months_used[display]
        report.extra["months_used"] = len(months)
        if months:
            report.extra["months"] = {"from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}"}
        report.extra["layout"] = report.result.info["layout"]
        if report.result.info["offences_outside_boroughs"]:
            report.extra["offences_outside_boroughs"] = report.result.info["offences_outside_boroughs"]
        if report.result.info["offences_not_shown"]:
            report.extra["offences_not_shown"] = report.result.info["offences_not_shown"]
    return _contract_columns("harm_monthly", merged.table)


def _contract_columns(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Contract columns first (in contract order), then any extra ones the table carries."""
    columns = list(TABLES[name].columns)
    return frame[columns + [c for c in frame.columns if c not in columns]]


def _month_span(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    months: list[date] = []
    for name, column in (
        ("stop_search", "month"),
        ("crime_monthly", "month"),
        ("crime_points", "month"),
        ("survey", "period_end"),
    ):
        if name in tables and len(tables[name]):
            values = pd.to_datetime(pd.Series(tables[name][column]))
            months += [values.min().date(), values.max().date()]
    return {"from": f"{min(months):%Y-%m}", "to": f"{max(months):%Y-%m}"}


# --- the build ----------------------------------------------------------------------------


def build_snapshot(
    source_dir: str | Path,
    out_dir: str | Path,
    *,
    progress: bool = True,
) -> BuildSummary:
    """Read every recognised file in `source_dir` and write an official snapshot to `out_dir`.

    Raises BuildError (SourceError for a problem in one file) with a one-sentence message;
    `out_dir` is then exactly as it was.
    """
    started = time.monotonic()
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    if not source_dir.is_dir():
        raise BuildError(f"The source folder {source_dir} does not exist.")
    with tempfile.TemporaryDirectory(prefix="pipeline-") as scratch:
        claimed, ignored = discover(source_dir, Path(scratch))
        _check_duplicates(claimed)
        claimed, notes = _choose_single_files(claimed)
        _check_required(claimed, source_dir, ignored)
        claimed = _drop_unpaired_lsoa_files(claimed, notes)
        reports = [FileReport(source, adapter) for adapter, source in claimed]
        by_source: dict[str, list[FileReport]] = defaultdict(list)
        for report in reports:
            by_source[report.adapter.name].append(report)

        for report in progress_bar(reports, desc="Reading files", unit="file", enabled=progress):
            report.result = report.adapter.read(report.source)
        tables, sources_extra = _assemble(by_source, notes, progress)

    period = _month_span(tables)
    digest = hashlib.sha256("".join(sorted(r.source.sha256 for r in reports)).encode()).hexdigest()[:8]
    snapshot_id = f"official-{period['to']}-{digest}"
    sources = _manifest_sources(by_source, tables) + sources_extra
    try:
        write_snapshot(
            out_dir,
            tables,
            snapshot_id=snapshot_id,
            kind="official",
            title=f"Official data, {period['from']} to {period['to']}",
            period=period,
            sources=sources,
            extra={"notes": notes, "ignored_files": ignored},
        )
    except SnapshotError as exc:
        raise BuildError(f"The built snapshot failed the contract check, so nothing was replaced: {exc}") from None
    files = [r.manifest_entry() for r in reports]
    return BuildSummary(
        out_dir=out_dir.resolve(),
        snapshot_id=snapshot_id,
        period=period,
        table_rows={name: len(frame) for name, frame in tables.items()},
        rows_dropped=merge_counts(*(f["rows_dropped"] for f in files)),
        rows_flagged=merge_counts(*(f["rows_flagged"] for f in files)),
        crimes_dropped=merge_counts(*(f.get("crimes_dropped", {}) for f in files)),
        files_used=len(reports),
        files_ignored=len(ignored),
        notes=tuple(notes),
        seconds=time.monotonic() - started,
        ignored=tuple(ignored),
    )


def _assemble(
    by_source: dict[str, list[FileReport]], notes: list[str], progress: bool
) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    tables: dict[str, pd.DataFrame] = {}
    sources_extra: list[dict] = []

    boundary = by_source.get("gla_boundaries")
    if boundary:
        tables["boroughs"] = boundary[0].result.tables["boroughs"]
        outlines = boundary[0].result.tables["_borough_outlines_bng"]
    else:
        tables["boroughs"] = reference_boroughs()
        outlines = reference_outlines()
        notes.append(
            "No GLA borough boundary file was given: the shipped reference outlines "
            "(data/reference/boroughs.parquet) were used for the map and for point-in-polygon."
        )
        sources_extra.append(
            {
                "name": "reference_boroughs",
                "publisher": "Shipped with the dashboard (ONS/GLA borough outlines)",
                "tables": ["boroughs"],
                "licence": "Open Government Licence v3.0",
                "url": "",
                "files": [
                    {
                        "path": "data/reference/boroughs.parquet",
                        "sha256": file_sha256(BOROUGHS_PARQUET),
                        "rows_read": len(tables["boroughs"]),
                        "rows_dropped": {},
                        "rows_flagged": {},
                    }
                ],
            }
        )

    stops = _locate(by_source["police_uk_stop_search"], "stop_search", outlines, progress, "searches")
    tables["stop_search"] = _contract_columns("stop_search", stops)

    points = None
    if by_source.get("police_uk_street"):
        points = _locate(by_source["police_uk_street"], "crime_points", outlines, progress, "street crime")
        tables["crime_points"] = _contract_columns("crime_points", points)
        tables["crime_cells"] = crime_cells_from_points(tables["crime_points"])

    if by_source.get("met_borough_crime"):
        monthly = _merge_releases(by_source["met_borough_crime"], "crime_monthly")
        unallocated = _unallocated(by_source["met_borough_crime"])
        if unallocated is not None:
            tables["crime_unallocated"] = _contract_columns("crime_unallocated", unallocated)
        # Within one file a harmonised category can gather several published rows; across
        # files each month comes from one file, so this sum never counts a month twice.
        monthly = monthly.groupby(["month", "gss_code", "major_category", "minor_category"], as_index=False)[
            "count"
        ].sum()
    else:
        monthly = _crime_monthly_from_street(points, by_source["police_uk_street"])
        notes.append(POLICE_UK_NOTE)
    monthly = monthly.sort_values(["month", "gss_code", "major_category", "minor_category"]).reset_index(drop=True)
    for column in ("gss_code", "major_category", "minor_category"):
        monthly[column] = monthly[column].astype("string")
    monthly["count"] = monthly["count"].astype("int64")
    tables["crime_monthly"] = _contract_columns("crime_monthly", monthly)

    lsoa_reports = by_source.get("met_lsoa_crime", [])
    lsoa_outlines = by_source.get("gla_lsoa_boundaries", [])
    if lsoa_reports and lsoa_outlines:
        lsoas = lsoa_outlines[0].result.tables["lsoas"]
        areas = _merge_releases(lsoa_reports, "crime_areas")
        areas = areas.groupby(["month", "lsoa_code", "gss_code", "major_category", "minor_category"], as_index=False)[
            "count"
        ].sum()
        for column in ("lsoa_code", "gss_code", "major_category", "minor_category"):
            areas[column] = areas[column].astype("string")
        _lsoa_flags(lsoa_reports, lsoas)
        tables["crime_areas"] = _contract_columns("crime_areas", areas)
        tables["lsoas"] = lsoas

    if by_source.get(met_crime_dashboard.NAME):
        tables["harm_monthly"] = _harm_monthly(by_source[met_crime_dashboard.NAME])

    tables["survey"] = _contract_columns("survey", _survey(by_source["mopac_pas"], notes))
    tables["population"] = by_source["census_ethnicity"][0].result.tables["population"]
    return tables, sources_extra


def _manifest_sources(by_source: dict[str, list[FileReport]], written: Collection[str]) -> list[dict]:
    """One manifest entry per source used, naming the tables it fed (source lines on screen
    are built from these)."""
    sources = []
    for adapter in ADAPTERS:
        reports = by_source.get(adapter.name)
        if not reports:
            continue
        fed = list(SOURCE_TABLES.get(adapter.name, ()))
        if adapter.name == "police_uk_street" and not by_source.get("met_borough_crime"):
            fed.append("crime_monthly")
        sources.append(
            {
                "name": adapter.name,
                "publisher": adapter.publisher,
                "licence": adapter.licence,
                "url": adapter.url,
                "tables": [t for t in fed if t in written],
                "files": [r.manifest_entry() for r in sorted(reports, key=lambda r: r.source.display)],
            }
        )
    return sources
