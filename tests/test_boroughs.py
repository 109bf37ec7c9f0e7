from __future__ import annotations

import pytest

from lib.boroughs import BOROUGHS, borough_name, resolve_borough


def test_thirty_three_boroughs_with_unique_codes_and_tiles():
    assert len(BOROUGHS) == 33
    assert [b.gss_code for b in BOROUGHS] == [f"E090000{n:02d}" for n in range(1, 34)]
    assert len({(b.tile_col, b.tile_row) for b in BOROUGHS}) == 33
    assert len({b.short for b in BOROUGHS}) == 33
    # ONS statistical Inner London: 14 boroughs including the City.
    assert sum(b.inner_london for b in BOROUGHS) == 14


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("lambeth", "E09000022"),
        ("LAMBETH", "E09000022"),
        ("E09000022", "E09000022"),
        ("City of Westminster", "E09000033"),
        ("Westminster", "E09000033"),
        ("Barking & Dagenham", "E09000002"),
        ("hammersmith-and-fulham", "E09000013"),
        ("City of London", "E09000001"),
        ("  Kingston upon Thames ", "E09000021"),
        ("London Heathrow and London City Airports", None),
        ("Unknown", None),
        ("", None),
        (None, None),
        ("x" * 500, None),
    ],
)
def test_resolve_borough(text, code):
    found = resolve_borough(text)
    assert (found.gss_code if found else None) == code


def test_borough_name():
    assert borough_name("E09000028") == "Southwark"
    assert borough_name(None) == "London"
