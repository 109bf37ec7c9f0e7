from __future__ import annotations

from lib.manifest import built_at, source_files, table_rows

MANIFEST = {
    "created_at": "2026-11-21T01:01:54+00:00",
    "sources": [
        {
            "name": "Stop and search",
            "publisher": "Home Office",
            "licence": "OGL v3.0",
            "url": "https://data.police.uk",
            "files": [
                {
                    "path": "2024-01-metropolitan-stop-and-search.csv",
                    "sha256": "ab" * 32,
                    "rows_read": 9689,
                    "rows_dropped": {},
                    "rows_flagged": {"no location": 700, "outside London": 3},
                },
                {
                    "path": "2024-02-metropolitan-stop-and-search.csv",
                    "sha256": "cd" * 32,
                    "rows_read": 9179,
                    "rows_dropped": {"duplicate file": 0, "bad date": 2},
                },
            ],
        },
        {"name": "Synthetic", "publisher": "Us", "licence": "n/a", "url": "", "files": []},
    ],
    "tables": {"stop_search": {"rows": 18866, "sha256": "x"}, "mystery": {"rows": 1}},
}


def test_source_files_one_row_per_file_with_drop_reasons():
    frame = source_files(MANIFEST)
    assert list(frame["File"]) == [
        "2024-01-metropolitan-stop-and-search.csv",
        "2024-02-metropolitan-stop-and-search.csv",
        "",
    ]
    assert list(frame["Rows read"][:2]) == [9689, 9179]
    assert list(frame["Rows dropped"][:2]) == [0, 2]
    assert frame.loc[0, "Kept but flagged"] == "no location: 700; outside London: 3"
    assert frame.loc[1, "Why dropped"] == "bad date: 2"
    assert frame.loc[0, "URL"] == "https://data.police.uk"
    assert frame.loc[0, "SHA-256"] == "ab" * 6


def test_table_rows_and_timestamp():
    tables = table_rows(MANIFEST)
    assert tables.set_index("Table")["Rows"].to_dict() == {"stop_search": 18866, "mystery": 1}
    assert built_at(MANIFEST) == "21 November 2026, 01:01 UTC"
    assert built_at({}) == "at an unknown time"
    assert source_files({}).empty
