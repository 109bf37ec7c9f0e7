"""ONS Census 2021 usual residents by ethnic group per local authority, into `population`.

Two layouts are read:
* the "create a custom dataset" export (long: `... local authorities Code, ..., Ethnic group
  (8 categories) Code, Ethnic group, Observation`; the 6-category version too). Categories are
  taken by ONS code, not label, because exports get relabelled (the copy in ../shared/real
  calls both codes 5 and 6 "White Other"). 8 categories: 1 Asian, 2 Black, 3 Mixed, 4-6 White
  (British; Irish; Gypsy, Roma or other White), 7 Other, -8 does not apply (0 residents).
* the TS021 bulk CSV (`census2021-ts021-ltla.csv`, wide: `date, geography, geography code,
  Ethnic group: Total: All usual residents, Ethnic group: Asian, Asian British or Asian
  Welsh, ...`), using the five high-level headings and the total.
Only London boroughs (E09 codes) are kept; all 33 must be present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.boroughs import GSS_CODES
from lib.pipeline.csvfile import CsvTable, SourceFile, first_bad_row, missing_columns, parse_number_column, read_csv
from lib.pipeline.errors import SourceError
from lib.pipeline.sources.base import OGL_V3, AdapterResult
from lib.vocab import ETHNIC_GROUPS

CENSUS_YEAR = 2021
NOT_LONDON = "not a London borough"
_CODE_GROUPS = {
    8: {"1": "Asian", "2": "Black", "3": "Mixed", "4": "White", "5": "White", "6": "White", "7": "Other"},
    6: {"1": "Asian", "2": "Black", "3": "Mixed", "4": "White", "5": "Other"},
}
_DOES_NOT_APPLY = "-8"
# TS021 high-level headings, by how they start.
_TS021_HEADINGS = {
    "total": "All",
    "asian": "Asian",
    "black": "Black",
    "mixed": "Mixed",
    "white": "White",
    "other ethnic group": "Other",
}
_BOROUGH_CODE = re.compile(r"^E09\d{6}$")


@dataclass(frozen=True)
class CensusEthnicityAdapter:
    name: str = "census_ethnicity"
    publisher: str = "Office for National Statistics (Census 2021)"
    licence: str = OGL_V3
    url: str = "https://www.ons.gov.uk/datasets/create"
    single_file: bool = True

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        if not lowered.endswith(".csv"):
            return False
        if re.search(r"ts021-(oa|lsoa|msoa|ctry|rgn)\b", lowered):
            return False  # same header, but areas that are not boroughs
        if re.search(r"census.?2021.?(ts021|ethnic)", lowered):
            return True  # ONS's bulk name, or a custom export named for its topic
        header = header_line.lower()
        custom = "local authorities code" in header and "ethnic group (" in header and "observation" in header
        return custom or ("geography code" in header and "ethnic group: total" in header)

    def rank(self, source: SourceFile) -> int:
        # The bulk TS021 table is the fuller official product; prefer it when both are given.
        return 0 if "ts021" in source.name.lower() else 1

    def read(self, source: SourceFile) -> AdapterResult:
        table = read_csv(source, delimiter=",")
        if "geography code" in table.header:
            population, dropped = _read_ts021(source, table)
        else:
            population, dropped = _read_custom(source, table)
        missing = sorted(set(GSS_CODES) - set(population["gss_code"]))
        if missing:
            raise SourceError(
                source.display,
                f"{len(missing)} London borough(s) are missing (first {missing[0]}); "
                "download the table for all local authorities",
            )
        return AdapterResult(
            tables={"population": population},
            rows_read=len(table.frame),
            rows_dropped={NOT_LONDON: dropped} if dropped else {},
        )


def _read_custom(source: SourceFile, table: CsvTable) -> tuple[pd.DataFrame, int]:
    area_column = next((c for c in table.header if c.lower().endswith("local authorities code")), None)
    category_column = next(
        (c for c in table.header if re.match(r"ethnic group \((\d+) categories\) code$", c.lower())), None
    )
    lacking = [
        needed
        for needed, found in (
            ("Upper tier local authorities Code", area_column),
            ("Ethnic group (8 categories) Code", category_column),
            ("Observation", "Observation" if "Observation" in table.header else None),
        )
        if found is None
    ]
    if lacking:
        raise missing_columns(source, lacking, "ONS Census 2021 ethnic group table")
    n_categories = int(re.search(r"\((\d+)", category_column).group(1))
    if n_categories not in _CODE_GROUPS:
        raise SourceError(
            source.display,
            f"the table uses {n_categories} ethnic group categories; export it with 6 or 8 categories",
            column=category_column,
        )
    raw = table.frame
    codes = raw[area_column].str.strip()
    london = codes.str.match(_BOROUGH_CODE, na=False).to_numpy(dtype=bool)
    _check_codes(source, table, codes, london, area_column)
    counts = parse_number_column(source, table, "Observation", allow_blank=False)
    categories = raw[category_column].str.strip()
    groups = categories.map(_CODE_GROUPS[n_categories])
    bad = first_bad_row(london & groups.isna().to_numpy() & (categories != _DOES_NOT_APPLY).to_numpy())
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{categories.iloc[bad]}' is not an ethnic group code of the {n_categories}-category scheme",
            row=table.line_of(bad),
            column=category_column,
        )
    repeated = first_bad_row(london & raw.duplicated([area_column, category_column]).to_numpy())
    if repeated is not None:
        raise SourceError(
            source.display,
            "this borough and ethnic group already appear on an earlier row",
            row=table.line_of(repeated),
        )
    long = pd.DataFrame({"gss_code": codes, "ethnic_group": groups, "population": counts})[london]
    by_group = long.dropna(subset=["ethnic_group"]).pivot_table(
        index="gss_code", columns="ethnic_group", values="population", aggfunc="sum", fill_value=0
    )
    by_group = by_group.reindex(columns=list(ETHNIC_GROUPS), fill_value=0)
    # "Does not apply" is 0 for usual residents; counting it keeps All equal to the total.
    by_group["All"] = long.groupby("gss_code")["population"].sum()
    return _population_frame(by_group), int((~london).sum())


def _read_ts021(source: SourceFile, table: CsvTable) -> tuple[pd.DataFrame, int]:
    columns: dict[str, str] = {}
    for column in table.header:
        parts = [p.strip() for p in column.split(":")]
        if parts[0].lower() != "ethnic group" or len(parts) < 2:
            continue
        heading = parts[1].lower()
        for start, group in _TS021_HEADINGS.items():
            # The headings themselves have two parts; "Total: All usual residents" has three.
            if heading.startswith(start) and (len(parts) == 2 or group == "All"):
                columns.setdefault(group, column)
    for group in ("All", *ETHNIC_GROUPS):
        if group not in columns:
            raise SourceError(
                source.display,
                f"no 'Ethnic group: {group}' column was found, so this is not a complete TS021 table",
            )
    raw = table.frame
    codes = raw["geography code"].str.strip()
    london = codes.str.match(_BOROUGH_CODE, na=False).to_numpy(dtype=bool)
    _check_codes(source, table, codes, london, "geography code")
    values = {group: parse_number_column(source, table, column, allow_blank=False) for group, column in columns.items()}
    by_group = pd.DataFrame(values).assign(gss_code=codes)[london].set_index("gss_code")
    if by_group.index.duplicated().any():
        position = first_bad_row(london & codes.duplicated().to_numpy())
        raise SourceError(
            source.display,
            "this borough already appears on an earlier row",
            row=table.line_of(position or 0),
            column="geography code",
        )
    parts_sum = by_group[list(ETHNIC_GROUPS)].sum(axis=1)
    mismatch = by_group.index[(parts_sum != by_group["All"]).to_numpy()]
    if len(mismatch):
        raise SourceError(
            source.display,
            f"for {mismatch[0]} the five ethnic groups do not add up to the total of all usual residents",
        )
    return _population_frame(by_group), int((~london).sum())


def _check_codes(source: SourceFile, table: CsvTable, codes: pd.Series, london: np.ndarray, column: str) -> None:
    """An E09 code that is not one of the 33 boroughs is a typo, not a place to skip."""
    bad = first_bad_row(london & ~codes.isin(GSS_CODES).to_numpy())
    if bad is not None:
        raise SourceError(
            source.display,
            f"'{codes.iloc[bad]}' is not a London borough code",
            row=table.line_of(bad),
            column=column,
        )


def _population_frame(by_group: pd.DataFrame) -> pd.DataFrame:
    """Long `population` rows (All, then the five groups) for the 33 boroughs."""
    wide = by_group.loc[by_group.index.isin(GSS_CODES), ["All", *ETHNIC_GROUPS]]
    long = wide.reset_index().melt(id_vars="gss_code", var_name="ethnic_group", value_name="population")
    long["year"] = np.int64(CENSUS_YEAR)
    long["population"] = long["population"].round().astype("int64")
    long["gss_code"] = long["gss_code"].astype("string")
    long["ethnic_group"] = long["ethnic_group"].astype("string")
    order = {group: i for i, group in enumerate(["All", *ETHNIC_GROUPS])}
    long = long.sort_values(["gss_code", "ethnic_group"], key=lambda s: s.map(order) if s.name == "ethnic_group" else s)
    return long[["gss_code", "year", "ethnic_group", "population"]].reset_index(drop=True)


ADAPTER = CensusEthnicityAdapter()
