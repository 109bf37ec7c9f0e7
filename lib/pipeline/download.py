"""Fetch the publishers' files into a folder that `python -m lib.pipeline build` reads.

* data.police.uk stop and search, per force and month, from the API
  (`/api/stops-force?force=...&date=YYYY-MM`), written as CSV in the monthly archive's
  layout and name (`2024-01-metropolitan-stop-and-search.csv`). Optionally (`street=True`)
  the monthly archive zip for the last month, which holds street crime for every force for
  the 36 months to then (about 1.5 GB; the build reads only the London forces' files).
* The London Datastore files (Met borough and LSOA crime, the Met's Monthly Crime Dashboard
  files for knife and gun crime, domestic abuse, hate crime and outcomes, MOPAC PAS), whose download
  addresses change with each upload: they are looked up in the dataset's CKAN metadata
  (`/api/action/package_show`) by resource name.
* ONS Census 2021 TS021 (nomis bulk zip) and the GLA statistical boundary files (zip).

Every file goes to `<name>.part` first. An interrupted download resumes with an HTTP Range
request; a finished one is checked (length as announced, zip archive test, CSV header)
before it is renamed into place, and a file already in place and valid is skipped.

The HTTP session is a parameter, so tests pass a fake one: no test touches the network.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote

import requests
from tqdm import tqdm

from lib import months
from lib.pipeline.errors import BuildError
from lib.pipeline.sources.police_uk import LONDON_FORCES

POLICE_API = "https://data.police.uk/api"
POLICE_ARCHIVE = "https://data.police.uk/data/archive/{month}.zip"
DATASTORE_API = "https://data.london.gov.uk/api/action/package_show?id={dataset}"
CENSUS_TS021 = "https://www.nomisweb.co.uk/output/census/2021/census2021-ts021.zip"
GLA_BOUNDARIES = (
    "https://data.london.gov.uk/download/statistical-gis-boundary-files-london/"
    "9ba8c833-6370-4b11-abdc-314aa020d5e0/statistical-gis-boundaries-london.zip"
)
# The London Datastore's address for the Met's Monthly Crime Dashboard data (its spelling).
CRIME_DASHBOARD = "mps-monthly-crime-dahboard-data"
TIMEOUT_S = 60
CHUNK_BYTES = 1 << 16

# The archive CSV layout the stop-and-search adapter reads.
STOP_SEARCH_COLUMNS = (
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
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


@dataclass(frozen=True)
class DatastoreFile:
    """A London Datastore resource found by name in a dataset's metadata."""

    dataset: str  # CKAN id (the short id at the end of the dataset's address)
    name_pattern: str  # regular expression matched against the resource name, case-blind
    folder: str  # sub-folder of the destination (keeps releases apart)


DATASTORE_FILES: tuple[DatastoreFile, ...] = (
    DatastoreFile("exy3m", r"^MPS Borough Level Crime \(most recent 24 months\)", "mps_borough_crime"),
    DatastoreFile("exy3m", r"^MPS Borough Level Crime \(Historical\)", "mps_borough_crime"),
    DatastoreFile("exy3m", r"^MPS LSOA Level Crime \(most recent 24 months\)", "mps_lsoa_crime"),
    DatastoreFile("mopac-surveys", r"^PAS.*(T&C|dashboard).*\.(xlsx|csv)$", "mopac_pas"),
    # The Met's Monthly Crime Dashboard (harm_monthly): three CSVs, matched by file name
    # (M1045_MonthlyCrimeDashboard_TNOCrimeData.csv and so on).
    *(
        DatastoreFile(CRIME_DASHBOARD, rf"MonthlyCrimeDashboard_{part}CrimeData[^/]*\.csv$", "mps_crime_dashboard")
        for part in ("TNO", "Knife", "Other")
    ),
)


class Response(Protocol):
    status_code: int
    headers: dict

    def iter_content(self, chunk_size: int) -> Iterator[bytes]: ...

    def json(self) -> object: ...

    def close(self) -> None: ...


class Session(Protocol):
    def get(self, url: str, **kwargs: object) -> Response: ...


Verifier = Callable[[Path], None]


def _request(session: Session, url: str, **kwargs: object) -> Response:
    try:
        return session.get(url, timeout=TIMEOUT_S, **kwargs)
    except requests.RequestException as exc:
        raise BuildError(
            f"Could not reach {url} ({type(exc).__name__}); check the internet connection and run the "
            "command again: finished files are kept and partial ones resume."
        ) from None


def verify_zip(path: Path) -> None:
    """A zip whose every member passes its CRC check."""
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise BuildError(f"{path.name} is not a complete zip archive; run the command again.") from None
    if broken is not None:
        raise BuildError(f"{path.name} is damaged ({broken} fails its check); delete it and run again.")


def verify_csv(path: Path) -> None:
    """A non-empty text file whose first line looks like a CSV header."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    if not first or ("," not in first and ";" not in first):
        raise BuildError(f"{path.name} has no CSV header; the server may have sent an error page.")


def verifier_for(name: str) -> Verifier:
    lowered = name.lower()
    if lowered.endswith((".zip", ".xlsx")):  # an xlsx workbook is a zip archive too
        return verify_zip
    if lowered.endswith(".csv"):
        return verify_csv
    return lambda path: None


def download_file(
    session: Session, url: str, dest: Path, *, progress: bool = True, verify: Verifier | None = None
) -> Path:
    """Download `url` to `dest`, resuming `dest.part` if present; skip a valid `dest`."""
    verify = verify or verifier_for(dest.name)
    if dest.exists():
        try:
            verify(dest)
            return dest
        except BuildError:
            dest.unlink()  # a damaged earlier download: fetch it again
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    response = _request(session, url, headers=headers, stream=True)
    try:
        if response.status_code == 416 and offset:
            pass  # the part file is already whole
        elif response.status_code in (200, 206):
            if response.status_code == 200:
                offset = 0  # the server ignored the range: start again
            length = response.headers.get("Content-Length")
            total = offset + int(length) if length is not None else None
            mode = "ab" if offset else "wb"
            with (
                open(part, mode) as handle,
                tqdm(
                    total=total,
                    initial=offset,
                    unit="B",
                    unit_scale=True,
                    desc=dest.name,
                    disable=not progress,
                    leave=False,
                ) as bar,
            ):
                for block in response.iter_content(CHUNK_BYTES):
                    handle.write(block)
                    bar.update(len(block))
            if total is not None and part.stat().st_size != total:
                raise BuildError(
                    f"The download of {dest.name} stopped at {part.stat().st_size:,} of {total:,} bytes; "
                    "run the command again to resume it."
                )
        else:
            raise BuildError(f"{url} answered HTTP {response.status_code}; try again later.")
    finally:
        response.close()
    verify(part)
    part.replace(dest)
    return dest


def months_between(start: date, end: date) -> list[date]:
    return months.span(start, end)


def stop_search_rows(records: list[dict]) -> Iterator[list[str]]:
    """Archive-layout CSV rows from the API's JSON records."""

    def text(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "True" if value else "False"
        return str(value)

    for record in records:
        location = record.get("location") or {}
        outcome = record.get("outcome_object") or {}
        outcome_name = outcome.get("name") if isinstance(outcome, dict) else None
        if not outcome_name and isinstance(record.get("outcome"), str):
            outcome_name = record["outcome"]
        yield [
            text(record.get("type")),
            text(record.get("datetime")),
            text(record.get("operation")),
            text(record.get("operation_name")),
            text(location.get("latitude")),
            text(location.get("longitude")),
            text(record.get("gender")),
            text(record.get("age_range")),
            text(record.get("self_defined_ethnicity")),
            text(record.get("officer_defined_ethnicity")),
            text(record.get("legislation")),
            text(record.get("object_of_search")),
            text(outcome_name),
            text(record.get("outcome_linked_to_object_of_search")),
            text(record.get("removal_of_more_than_outer_clothing")),
        ]


def download_stop_search(session: Session, force: str, month: date, dest_dir: Path) -> Path:
    """One force-month of stop and search, from the API, as an archive-layout CSV."""
    dest = dest_dir / "police_uk" / f"{month:%Y-%m}-{force}-stop-and-search.csv"
    if dest.exists():
        try:
            verify_csv(dest)
            return dest
        except BuildError:
            dest.unlink()
    url = f"{POLICE_API}/stops-force?force={force}&date={month:%Y-%m}"
    response = _request(session, url)
    try:
        if response.status_code != 200:
            raise BuildError(
                f"data.police.uk has no stop and search for {force} in {month:%Y-%m} "
                f"(HTTP {response.status_code}); choose months it has published."
            )
        records = response.json()
    finally:
        response.close()
    if not isinstance(records, list):
        raise BuildError(f"data.police.uk sent an unexpected answer for {force} {month:%Y-%m}.")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STOP_SEARCH_COLUMNS)
    writer.writerows(stop_search_rows(records))
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    part.write_text(buffer.getvalue(), encoding="utf-8")
    part.replace(dest)
    return dest


def datastore_resources(session: Session, wanted: DatastoreFile) -> list[tuple[str, str]]:
    """(file name, url) of the dataset's resources whose name matches, newest first."""
    url = DATASTORE_API.format(dataset=wanted.dataset)
    response = _request(session, url)
    try:
        if response.status_code != 200:
            raise BuildError(f"The London Datastore answered HTTP {response.status_code} for {url}.")
        body = response.json()
    finally:
        response.close()
    resources = body.get("result", {}).get("resources", []) if isinstance(body, dict) else []
    found = []
    pattern = re.compile(wanted.name_pattern, re.IGNORECASE)
    for resource in resources:
        name = str(resource.get("name") or resource.get("title") or "")
        link = str(resource.get("url") or "")
        filename = link.rstrip("/").rsplit("/", 1)[-1]
        filename = unquote(filename)
        if link and (pattern.search(name) or pattern.search(filename)):
            found.append((filename or name, link, str(resource.get("last_modified") or "")))
    found.sort(key=lambda item: item[2], reverse=True)
    if not found:
        raise BuildError(
            f"No file named like '{wanted.name_pattern}' is listed in London Datastore dataset "
            f"{wanted.dataset}; download it by hand into the source folder."
        )
    return [(name, link) for name, link, _ in found[:1]]


def download_all(
    start: date,
    end: date,
    dest_dir: str | Path,
    *,
    session: Session | None = None,
    progress: bool = True,
    street: bool = False,
) -> list[Path]:
    """Fetch every source for the months `start`..`end` into `dest_dir`; return the files."""
    if session is None:
        session = requests.Session()
        session.headers["User-Agent"] = "london-policing-dashboard pipeline (+OGL data reuse)"
    dest_dir = Path(dest_dir)
    files: list[Path] = []
    jobs = [(force, month) for month in months_between(start, end) for force in LONDON_FORCES]
    for force, month in tqdm(jobs, desc="Stop and search", unit="month", disable=not progress):
        files.append(download_stop_search(session, force, month, dest_dir))
    if street:
        url = POLICE_ARCHIVE.format(month=f"{end:%Y-%m}")
        files.append(download_file(session, url, dest_dir / "police_uk" / f"{end:%Y-%m}.zip", progress=progress))
    for wanted in DATASTORE_FILES:
        for name, url in datastore_resources(session, wanted):
            files.append(download_file(session, url, dest_dir / wanted.folder / name, progress=progress))
    files.append(download_file(session, CENSUS_TS021, dest_dir / "census" / "census2021-ts021.zip", progress=progress))
    files.append(
        download_file(
            session,
            GLA_BOUNDARIES,
            dest_dir / "boundaries" / "statistical-gis-boundaries-london.zip",
            progress=progress,
        )
    )
    return files
