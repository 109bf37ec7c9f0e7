"""The downloader against a fake HTTP session: resumable, verified, skips finished files.
No test sends any traffic: `requests` is never asked to open a connection."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
import requests

from lib.pipeline import download
from lib.pipeline.build import build_snapshot
from lib.pipeline.csvfile import SourceFile
from lib.pipeline.download import download_all, download_file, download_stop_search, months_between
from lib.pipeline.errors import BuildError
from lib.pipeline.sources.police_uk_stop_search import ADAPTER as STOP_ADAPTER
from tests.harm_fixtures import write_current


class FakeResponse:
    def __init__(self, status: int, body: bytes = b"", headers: dict | None = None, payload: object = None):
        self.status_code = status
        self.headers = headers if headers is not None else {"Content-Length": str(len(body))}
        self._body = body
        self._payload = payload
        self.closed = False

    def iter_content(self, chunk_size: int):
        for start in range(0, len(self._body), chunk_size):
            yield self._body[start : start + chunk_size]

    def json(self) -> object:
        return self._payload

    def close(self) -> None:
        self.closed = True


class FakeSession:
    """Serves bytes per URL, honours Range requests, and records every request."""

    def __init__(self, files: dict[str, bytes], json_by_url: dict[str, object] | None = None, cut_after=None):
        self.files = files
        self.json_by_url = json_by_url or {}
        self.cut_after = cut_after or {}  # url -> bytes sent before the connection "drops"
        self.requests: list[tuple[str, dict]] = []

    def get(self, url: str, **kwargs) -> FakeResponse:
        headers = kwargs.get("headers") or {}
        self.requests.append((url, headers))
        if url in self.json_by_url:
            return FakeResponse(200, payload=self.json_by_url[url])
        if url not in self.files:
            return FakeResponse(404)
        body = self.files[url]
        start = int(headers["Range"].split("=")[1].rstrip("-")) if "Range" in headers else 0
        status = 206 if start else 200
        rest = body[start:]
        announced = {"Content-Length": str(len(rest))}
        if url in self.cut_after:
            sent = rest[: self.cut_after.pop(url)]
            return FakeResponse(status, sent, announced)
        return FakeResponse(status, rest, announced)


def _zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a real connection fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(requests.Session, "send", refuse)
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", refuse)


URL = "https://example.invalid/data.zip"


def test_download_verifies_and_renames(tmp_path):
    body = _zip_bytes({"a.csv": b"x,y\n1,2\n" * 500})
    session = FakeSession({URL: body})
    dest = download_file(session, URL, tmp_path / "data.zip", progress=False)
    assert dest.read_bytes() == body and not (tmp_path / "data.zip.part").exists()


def test_an_interrupted_download_resumes_with_a_range_request(tmp_path):
    body = _zip_bytes({"a.csv": bytes(range(256)) * 40}, zipfile.ZIP_STORED)
    session = FakeSession({URL: body}, cut_after={URL: 1000})
    with pytest.raises(BuildError, match="stopped at 1,000 of"):
        download_file(session, URL, tmp_path / "data.zip", progress=False)
    assert (tmp_path / "data.zip.part").stat().st_size == 1000
    dest = download_file(session, URL, tmp_path / "data.zip", progress=False)
    assert dest.read_bytes() == body
    assert session.requests[-1][1] == {"Range": "bytes=1000-"}


def test_a_complete_file_is_not_fetched_again(tmp_path):
    body = _zip_bytes({"a.csv": b"x\n1\n"})
    session = FakeSession({URL: body})
    download_file(session, URL, tmp_path / "data.zip", progress=False)
    download_file(session, URL, tmp_path / "data.zip", progress=False)
    assert len(session.requests) == 1


def test_a_corrupt_archive_is_refused(tmp_path):
    body = bytearray(_zip_bytes({"a.csv": b"hello,world\n" * 200}))
    body[60] ^= 0xFF  # inside the compressed data
    session = FakeSession({URL: bytes(body)})
    with pytest.raises(BuildError, match=r"data\.zip"):
        download_file(session, URL, tmp_path / "data.zip", progress=False)
    assert not (tmp_path / "data.zip").exists()


def test_an_error_page_instead_of_a_csv_is_refused(tmp_path):
    url = "https://example.invalid/file.csv"
    session = FakeSession({url: b"<html><body>Service unavailable</body></html>"})
    with pytest.raises(BuildError, match="no CSV header"):
        download_file(session, url, tmp_path / "file.csv", progress=False)


def test_http_errors_are_one_sentence(tmp_path):
    with pytest.raises(BuildError, match="answered HTTP 404"):
        download_file(FakeSession({}), URL, tmp_path / "data.zip", progress=False)


API_RECORD = {
    "age_range": "18-24",
    "outcome": "Arrest",
    "involved_person": True,
    "self_defined_ethnicity": "Black/African/Caribbean/Black British - African",
    "gender": "Male",
    "legislation": "Misuse of Drugs Act 1971 (section 23)",
    "outcome_linked_to_object_of_search": None,
    "datetime": "2024-06-30T23:10:00+00:00",
    "removal_of_more_than_outer_clothing": False,
    "outcome_object": {"id": "bu-arrest", "name": "Arrest"},
    "location": {
        "latitude": "51.462600",
        "street": {"id": 1, "name": "On or near Atlantic Road"},
        "longitude": "-0.114500",
    },
    "operation": False,
    "officer_defined_ethnicity": "Black",
    "type": "Person search",
    "operation_name": None,
    "object_of_search": "Controlled drugs",
}


def test_api_stop_search_is_written_in_the_archive_layout(tmp_path):
    url = f"{download.POLICE_API}/stops-force?force=metropolitan&date=2024-07"
    session = FakeSession({}, json_by_url={url: [API_RECORD, {**API_RECORD, "location": None}]})
    path = download_stop_search(session, "metropolitan", date(2024, 7, 1), tmp_path)
    assert path.name == "2024-07-metropolitan-stop-and-search.csv"
    result = STOP_ADAPTER.read(SourceFile(path, path.name, "x"))
    frame = result.tables["stop_search"]
    assert len(frame) == 2
    assert frame["month"].tolist() == [date(2024, 7, 1)] * 2  # 00:10 BST on 1 July
    assert frame["outcome"].tolist() == ["Arrest", "Arrest"]
    assert frame["outcome_linked"].isna().all()  # null in the API: unknown
    assert not frame["removal_more_than_outer"].iloc[0]
    assert frame["lat"].isna().tolist() == [False, True]


def test_months_between():
    assert months_between(date(2023, 11, 1), date(2024, 2, 1)) == [
        date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1),
    ]  # fmt: skip


def test_download_all_fetches_every_source_into_a_buildable_folder(tmp_path):
    """Every publisher faked with our fixture files; the result builds into a snapshot."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "official"
    dashboard = write_current(tmp_path / "dashboard", knife_workbook=False)
    dashboard.append(write_current(tmp_path / "workbook")[1])  # the Knife file as XLSX too
    datastore = {}
    files = {}
    resources = {
        "exy3m": [
            (
                "MPS Borough Level Crime (most recent 24 months)",
                "mps_borough_crime/release_2024-06/" + "MPS Borough Level Crime (most recent 24 months).csv",
            ),
            (
                "MPS Borough Level Crime (Historical)",
                "mps_borough_crime/release_2024-06/MPS Borough Level Crime (Historical).csv",
            ),
            (
                "MPS LSOA Level Crime (most recent 24 months)",
                "mps_lsoa_crime/MPS LSOA Level Crime (most recent 24 months).csv",
            ),
        ],
        "mopac-surveys": [("PAS_Dashboard_Borough.csv", "mopac_pas/PAS_Dashboard_Borough.csv")],
        # Listed under descriptive titles, found by the file name in the address; the Knife
        # file is listed as XLSX too, which is not fetched (the CSV is).
        download.CRIME_DASHBOARD: [(f"MPS Monthly Crime Dashboard {path.stem[-13:]}", path) for path in dashboard],
    }
    for dataset, entries in resources.items():
        listed = []
        for name, relative in entries:
            path = relative if isinstance(relative, Path) else fixtures / relative
            url = f"https://data.london.gov.uk/download/{dataset}/{path.name.replace(' ', '%20')}"
            files[url] = path.read_bytes()
            listed.append({"name": name, "url": url, "last_modified": "2024-07-01"})
        datastore[download.DATASTORE_API.format(dataset=dataset)] = {"result": {"resources": listed}}
    files[download.CENSUS_TS021] = _zip_bytes(
        {"census2021-ts021-ltla.csv": (fixtures / ".variants" / "census2021-ts021-ltla.csv").read_bytes()}
    )
    files[download.GLA_BOUNDARIES] = _zip_bytes(
        {
            "statistical-gis-boundaries-london/London_Borough_Excluding_MHW.geojson": (
                fixtures / "boundaries" / "London_Borough_Excluding_MHW.geojson"
            ).read_bytes()
        }
    )
    stops = {
        f"{download.POLICE_API}/stops-force?force={force}&date=2024-04": [
            {**API_RECORD, "datetime": f"2024-04-{day:02d}T12:00:00+00:00"} for day in days
        ]
        for force, days in (("metropolitan", (3, 4, 5)), ("city-of-london", (6, 7, 8)))
    }
    session = FakeSession(files, json_by_url={**datastore, **stops})
    fetched = download_all(date(2024, 4, 1), date(2024, 4, 1), tmp_path / "sources", session=session, progress=False)
    names = sorted(p.name for p in fetched)
    assert "2024-04-metropolitan-stop-and-search.csv" in names and "census2021-ts021.zip" in names
    assert len(fetched) == 2 + 3 + 1 + 2 + 3
    assert not any(p.suffix == ".xlsx" for p in fetched)
    assert "M1045_MonthlyCrimeDashboard_TNOCrimeData.csv" in names
    again = download_all(date(2024, 4, 1), date(2024, 4, 1), tmp_path / "sources", session=session, progress=False)
    assert again == fetched
    data_requests = [url for url, _ in session.requests if "api/action" not in url]
    assert len(data_requests) == len(set(data_requests))  # nothing fetched twice
    summary = build_snapshot(tmp_path / "sources", tmp_path / "snapshot", progress=False)
    assert summary.table_rows["stop_search"] == 6 and summary.table_rows["population"] == 198
    assert summary.table_rows["harm_monthly"] > 0


def test_a_dataset_without_the_file_says_what_to_do(tmp_path):
    url = download.DATASTORE_API.format(dataset="exy3m")
    session = FakeSession({}, json_by_url={url: {"result": {"resources": []}}})
    with pytest.raises(BuildError, match="download it by hand"):
        download.datastore_resources(session, download.DATASTORE_FILES[0])


def test_no_internet_is_one_sentence(tmp_path):
    class Offline:
        def get(self, url, **kwargs):
            raise requests.ConnectionError("no route to host")

    with pytest.raises(BuildError, match="check the internet connection"):
        download_file(Offline(), URL, tmp_path / "data.zip", progress=False)


def test_cli_checks_the_month_order(capsys):
    from lib.pipeline.__main__ import main

    code = main(["download", "--from", "2024-05", "--to", "2024-01", "--dest", "/nonexistent", "--quiet"])
    assert code == 1
    assert "--to must be the same month as --from or later" in capsys.readouterr().err
