"""The 33 London boroughs: GSS codes, ONS names, inner/outer, tile-grid positions.

One source of truth for borough identity. Everything that turns a user's or a publisher's
borough label into a GSS code goes through `resolve_borough`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Borough:
    gss_code: str
    name: str
    short: str  # three-letter label for the tile map
    inner_london: bool  # ONS statistical Inner London
    tile_col: int  # equal-size tile grid, 0 = west
    tile_row: int  # 0 = north


# Tile grid: one square per borough, arranged like London (8 columns x 6 rows).
BOROUGHS: tuple[Borough, ...] = (
    Borough("E09000001", "City of London", "CTY", True, 4, 3),
    Borough("E09000002", "Barking and Dagenham", "BAR", False, 7, 3),
    Borough("E09000003", "Barnet", "BRN", False, 2, 1),
    Borough("E09000004", "Bexley", "BXL", False, 7, 4),
    Borough("E09000005", "Brent", "BRT", False, 1, 2),
    Borough("E09000006", "Bromley", "BRM", False, 5, 5),
    Borough("E09000007", "Camden", "CMD", True, 2, 2),
    Borough("E09000008", "Croydon", "CRD", False, 4, 5),
    Borough("E09000009", "Ealing", "EAL", False, 0, 3),
    Borough("E09000010", "Enfield", "ENF", False, 3, 0),
    Borough("E09000011", "Greenwich", "GRN", False, 6, 4),
    Borough("E09000012", "Hackney", "HCK", True, 4, 2),
    Borough("E09000013", "Hammersmith and Fulham", "HMS", True, 1, 3),
    Borough("E09000014", "Haringey", "HGY", True, 3, 1),
    Borough("E09000015", "Harrow", "HRW", False, 1, 1),
    Borough("E09000016", "Havering", "HAV", False, 6, 2),
    Borough("E09000017", "Hillingdon", "HIL", False, 0, 2),
    Borough("E09000018", "Hounslow", "HNS", False, 0, 4),
    Borough("E09000019", "Islington", "ISL", True, 3, 2),
    Borough("E09000020", "Kensington and Chelsea", "KNS", True, 2, 3),
    Borough("E09000021", "Kingston upon Thames", "KNG", False, 1, 5),
    Borough("E09000022", "Lambeth", "LAM", True, 3, 4),
    Borough("E09000023", "Lewisham", "LSH", True, 5, 4),
    Borough("E09000024", "Merton", "MRT", False, 2, 5),
    Borough("E09000025", "Newham", "NWM", True, 6, 3),
    Borough("E09000026", "Redbridge", "RDB", False, 5, 2),
    Borough("E09000027", "Richmond upon Thames", "RCH", False, 1, 4),
    Borough("E09000028", "Southwark", "STH", True, 4, 4),
    Borough("E09000029", "Sutton", "SUT", False, 3, 5),
    Borough("E09000030", "Tower Hamlets", "TOW", True, 5, 3),
    Borough("E09000031", "Waltham Forest", "WFO", False, 4, 1),
    Borough("E09000032", "Wandsworth", "WND", True, 2, 4),
    Borough("E09000033", "Westminster", "WST", True, 3, 3),
)

BY_CODE: dict[str, Borough] = {b.gss_code: b for b in BOROUGHS}
GSS_CODES: tuple[str, ...] = tuple(BY_CODE)

# Publishers' spellings that differ from the ONS name (MOPAC: "City of Westminster";
# some exports replace "and" with "&").
_ALIASES = {
    "city of westminster": "E09000033",
    "westminster city": "E09000033",
    "city": "E09000001",
    "kingston": "E09000021",
    "richmond": "E09000027",
}


def _key(text: str) -> str:
    text = text.strip().lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


_BY_KEY: dict[str, str] = {_key(b.name): b.gss_code for b in BOROUGHS}
_BY_KEY.update({_key(alias): code for alias, code in _ALIASES.items()})


def resolve_borough(text: object) -> Borough | None:
    """The borough named by a GSS code or a name in any case (`lambeth`, `E09000022`,
    `City of Westminster`, `Barking & Dagenham`); None for anything else."""
    if not isinstance(text, str) or not text.strip() or len(text) > 80:
        return None
    code = text.strip().upper()
    if code in BY_CODE:
        return BY_CODE[code]
    found = _BY_KEY.get(_key(text))
    return BY_CODE[found] if found else None


def borough_name(gss_code: str | None) -> str:
    """Display name for a GSS code; "London" for None (all London)."""
    if gss_code is None:
        return "London"
    return BY_CODE[gss_code].name
