"""Source lines built from the manifest (lib/manifest.py) and tables without placeholders
(lib/narrative/tables.py)."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from lib.narrative.sources import breaks_in, source_line, sources_caption, table_publishers
from lib.narrative.tables import DASH, PLACEHOLDERS, cell_text, display_table, for_display, missing_footnote
from tests.conftest import SHARED_REAL
from tests.test_coverage import months


def _file(path: str, **extra) -> dict:
    return {"path": path, "sha256": "0" * 64, "rows_read": 10, "rows_dropped": {}, **extra}


# An official snapshot with only Met stop-and-search files for 2024, City of London Police
# files for 2019, and two Met borough releases (the older one superseded).
OFFICIAL = {
    "kind": "official",
    "sources": [
        {
            "name": "police_uk_stop_search",
            "publisher": "Home Office (data.police.uk)",
            "licence": "Open Government Licence v3.0",
            "files": [
                *[_file(f"police_uk/2024-0{m}-metropolitan-stop-and-search.csv") for m in range(1, 9)],
                _file("police_uk/city/2019-01-city-of-london-stop-and-search.csv"),
            ],
        },
        {
            "name": "met_borough_crime",
            "publisher": "Metropolitan Police Service (London Datastore)",
            "licence": "Open Government Licence v2.0",
            "files": [
                _file("release_2024-03/recent.csv", months_used=0, months_superseded=24),
                _file("release_2025-04/recent.csv", months={"from": "2023-03", "to": "2025-02"}, months_used=24),
            ],
        },
        {
            "name": "census_ethnicity",
            "publisher": "Office for National Statistics (Census 2021)",
            "licence": "Open Government Licence v3.0",
            "files": [_file("Census_2021_ethnicity.csv")],
        },
    ],
}


def test_a_period_with_only_met_files_never_names_the_city_police():
    line = source_line(OFFICIAL, "stop_search", months("2024-03", "2024-08"))
    assert line == (
        "Home Office (data.police.uk): stop and search records, Metropolitan Police Service files, March to August "
        "2024 (Open Government Licence v3.0)"
    )
    assert "City of London" not in line


def test_the_city_police_is_named_for_the_months_its_files_hold():
    line = source_line(OFFICIAL, "stop_search", months("2019-01", "2024-08"))
    assert "Metropolitan Police Service and City of London Police files, January 2019 to August 2024" in line


def test_superseded_releases_and_other_tables_are_not_named():
    line = source_line(OFFICIAL, "crime_monthly", months("2024-12", "2025-02"))
    assert line == (
        "Metropolitan Police Service (London Datastore): recorded crime by borough, December 2024 to February 2025 "
        "(Open Government Licence v2.0)"
    )
    assert "Home Office" not in line
    # Months no file holds: the source is not claimed for them.
    assert source_line(OFFICIAL, "crime_monthly", months("2020-01", "2020-02")).startswith("No source")


def test_caption_joins_lines_and_the_demo_says_it_is_synthetic():
    caption = sources_caption(OFFICIAL, [("stop_search", months("2024-03", "2024-08")), ("population", None)])
    assert caption.startswith("Sources: Home Office (data.police.uk): stop and search records")
    assert caption.endswith(
        "Office for National Statistics (Census 2021): Census 2021 residents by ethnic group "
        "(Open Government Licence v3.0)."
    )
    demo = {
        "kind": "demo",
        "sources": [{"name": "Synthetic demo generator (lib/demo)", "publisher": "Us", "files": []}],
    }
    assert source_line(demo, "stop_search") == "synthetic data made by the demo generator (lib/demo), not real figures"


def test_breaks_apply_only_where_their_publisher_fed_the_table():
    assert [b.label for b in breaks_in(OFFICIAL, "crime_monthly")] == ["Met: CONNECT replaces CRIS"]
    city_only = {
        "kind": "official",
        "sources": [{"name": "police_uk_street", "publisher": "Home Office (data.police.uk)", "files": [
            _file("2019-01-city-of-london-street.csv")]}],
    }  # fmt: skip
    assert table_publishers(city_only, "crime_monthly") == ("Home Office (data.police.uk)", "City of London Police")
    assert breaks_in(city_only, "crime_monthly") == ()


def test_real_build_names_only_met_files_for_2024(shared_real, tmp_path):
    from lib.pipeline.build import build_snapshot

    out = build_snapshot(SHARED_REAL, tmp_path / "official", progress=False).out_dir
    manifest = json.loads((out / "manifest.json").read_text())
    line = source_line(manifest, "stop_search", months("2024-03", "2024-08"))
    assert "Metropolitan Police Service files, March to August 2024" in line and "City of London" not in line
    # The 2025-04 release supplies 2023-03 onwards; the 2024-03 release is superseded.
    assert "recorded crime by borough, December 2024 to February 2025" in source_line(
        manifest, "crime_monthly", months("2024-12", "2025-02")
    )
    unallocated = pd.read_parquet(out / "crime_unallocated.parquet")
    violence = unallocated[unallocated["major_category"] == "Violence Against the Person"].set_index("month")
    share = violence["unallocated"] / violence["recorded"]
    # From the 2025-04 "most recent 24 months" file: 'Unknown' rows over all rows for violence
    # against the person (worked out with pandas on the raw CSV): 1.83% in August 2024, 0.37% in
    # October 2024.
    assert share[date(2024, 8, 1)] == pytest.approx(0.0183, abs=5e-5)
    assert share[date(2024, 10, 1)] == pytest.approx(0.0037, abs=5e-5)


# --- Tables without placeholders ---------------------------------------------------------------


def test_every_missing_value_becomes_a_dash():
    frame = pd.DataFrame(
        {
            "Rank": pd.array([1, None], dtype="Int64"),
            "Rate": [31.24, np.nan],
            "When": [pd.Timestamp("2024-03-01"), pd.NaT],
            "Note": ["", None],
            "Count": [8412, 0],
        }
    )
    shown = for_display(frame, {"Rate": "{:,.1f}", "When": lambda t: f"{t:%b %Y}"})
    assert shown.to_dict("list") == {
        "Rank": ["1", DASH],
        "Rate": ["31.2", DASH],
        "When": ["Mar 2024", DASH],
        "Note": ["", DASH],
        "Count": ["8,412", "0"],
    }
    assert not shown.isin(PLACEHOLDERS).any().any()
    assert cell_text(float("inf")) == DASH and cell_text(pd.NA) == DASH


def test_footnote_says_why_each_dash_is_there():
    frame = pd.DataFrame({"Borough": ["City of London", "Lambeth"], "Rate": [np.nan, 26.6]})
    reason = "policed by the City of London Police, so the Met's recorded crime has no figure for it"
    table = display_table(frame, {"Rate": "{:.1f}"}, label_column="Borough", reasons=[reason, None])
    assert table.frame["Rate"].tolist() == [DASH, "26.6"]
    assert table.footnote == f"A dash ({DASH}) marks a figure that cannot be given. City of London: {reason}."
    assert missing_footnote([]) is None
    assert (
        missing_footnote([("A", "x"), ("B", "x")])
        == f"A dash ({DASH}) marks a figure that cannot be given. A and B: x."
    )
