"""MPS recorded crime by LSOA (London Datastore "MPS LSOA Level Crime"), into `crime_areas`.

Layout as the borough files (one YYYYMM column per month) with the LSOA code and name and
the borough (name or GSS code) in front: `LSOA Code, LSOA Name, Borough, Major Category,
Minor Category, 202402, ...`. Header names are matched case- and space-blind, so the
MajorText/MinorText spelling of the borough files also works.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.boroughs import resolve_borough
from lib.pipeline.csvfile import SourceFile, missing_columns, read_csv
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import met_wide
from lib.pipeline.sources.base import OGL_V2, AdapterResult

_LSOA = ("LSOA Code", "LSOA21CD", "LSOA11CD")
_BOROUGH = ("Borough", "BoroughName", "LookUp_BoroughName")
_MAJOR = ("Major Category", "MajorText")
_MINOR = ("Minor Category", "MinorText")
_LSOA_CODE = re.compile(r"^E010\d{5}$")


@dataclass(frozen=True)
class MetLsoaCrimeAdapter:
    name: str = "met_lsoa_crime"
    publisher: str = met_wide.PUBLISHER
    licence: str = OGL_V2
    url: str = "https://data.london.gov.uk/dataset/recorded_crime_summary"
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        if not lowered.endswith(".csv"):
            return False
        if "lsoa level crime" in lowered:
            return True
        header = [cell.strip().strip('"') for cell in header_line.strip().lstrip("\ufeff").split(",")]
        return all(met_wide.find_column(header, aliases) for aliases in (_LSOA, _MAJOR, _MINOR))

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        table = read_csv(source, delimiter=",")
        roles = {"lsoa": _LSOA, "borough": _BOROUGH, "major": _MAJOR, "minor": _MINOR}
        columns = {role: met_wide.find_column(table.header, aliases) for role, aliases in roles.items()}
        lacking = [roles[role][0] for role, found in columns.items() if found is None]
        if lacking:
            raise missing_columns(source, lacking, "Met LSOA crime file")
        months = met_wide.month_columns(source, table.header)
        raw = table.frame

        lsoa = raw[columns["lsoa"]].str.strip()
        bad = np.flatnonzero(~lsoa.str.match(_LSOA_CODE, na=False).to_numpy(dtype=bool))
        if len(bad):
            raise SourceError(
                source.display,
                f"'{lsoa.iloc[bad[0]]}' is not an LSOA code (E01 and six digits)",
                row=table.line_of(int(bad[0])),
                column=columns["lsoa"],
            )
        names = raw[columns["borough"]].str.strip()
        codes = {}
        for label in names.unique():
            borough = resolve_borough(label)
            if borough is None:
                position = int(np.flatnonzero((names == label).to_numpy())[0])
                raise SourceError(
                    source.display,
                    f"'{label}' is not a London borough",
                    row=table.line_of(position),
                    column=columns["borough"],
                )
            codes[label] = borough.gss_code
        majors, minors = met_wide.harmonised_categories(source, table, columns["major"], columns["minor"])
        counts = met_wide.month_counts(source, table, months)

        month_list = list(months.values())
        n_months = len(month_list)
        long = pd.DataFrame(
            {
                "month": np.tile(np.array(month_list, dtype=object), len(raw)),
                "lsoa_code": np.repeat(lsoa.to_numpy(dtype=object), n_months),
                "gss_code": np.repeat(names.map(codes).to_numpy(dtype=object), n_months),
                "major_category": np.repeat(majors.to_numpy(dtype=object), n_months),
                "minor_category": np.repeat(minors.to_numpy(dtype=object), n_months),
                "count": counts.reshape(-1),
            }
        )
        # LSOA tables are sparse: zero cells carry no information for hotspot maps.
        long = long[long["count"] > 0]
        summed = long.groupby(
            ["month", "lsoa_code", "gss_code", "major_category", "minor_category"], as_index=False, sort=True
        )["count"].sum()
        return AdapterResult(tables={"crime_areas": summed}, rows_read=len(raw), info={"months": month_list})


ADAPTER = MetLsoaCrimeAdapter()
