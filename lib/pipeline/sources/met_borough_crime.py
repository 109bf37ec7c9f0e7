"""MPS recorded crime by borough (London Datastore "MPS Recorded Crime: Geographic
Breakdown"), both layouts: `LookUp_BoroughName` with Title Case Home Office categories
(2024 releases) and `BoroughName` with UPPER CASE coarse categories and an "Unknown"
borough (2025 releases).

Each file gives long rows (month, gss_code, major, minor, count) summed to harmonised
categories; `lib.pipeline.build` decides which file wins a month several files contain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.boroughs import resolve_borough
from lib.pipeline.csvfile import SourceFile, missing_columns, read_csv
from lib.pipeline.errors import SourceError
from lib.pipeline.sources import met_wide
from lib.pipeline.sources.base import OGL_V2, AdapterResult

# Rows the Met publishes that belong to no borough: dropped, and counted in the manifest.
NOT_BOROUGHS = {
    "london heathrow and london city airports": "Heathrow and London City airports (not a borough)",
    "unknown": "borough unknown to the Met",
}
UNALLOCATED = NOT_BOROUGHS["unknown"]


@dataclass(frozen=True)
class MetBoroughCrimeAdapter:
    name: str = "met_borough_crime"
    publisher: str = met_wide.PUBLISHER
    licence: str = OGL_V2
    url: str = "https://data.london.gov.uk/dataset/recorded_crime_summary"
    single_file: bool = False

    def matches(self, name: str, header_line: str) -> bool:
        if "borough level crime" in name.lower() and name.lower().endswith(".csv"):
            return True
        header = header_line.strip().lstrip("\ufeff").lower()
        return header.startswith(("majortext,minortext,lookup_boroughname,", "majortext,minortext,boroughname,"))

    def rank(self, source: SourceFile) -> int:
        return 0

    def read(self, source: SourceFile) -> AdapterResult:
        table = read_csv(source, delimiter=",")
        borough_column = met_wide.find_column(table.header, ("LookUp_BoroughName", "BoroughName"))
        lacking = [column for column in ("MajorText", "MinorText") if column not in table.header]
        if borough_column is None:
            lacking.append("BoroughName")
        if lacking:
            raise missing_columns(source, lacking, "Met borough crime file")
        months = met_wide.month_columns(source, table.header)
        raw = table.frame

        names = raw[borough_column].str.strip()
        drop_reason = names.str.lower().map(NOT_BOROUGHS)
        codes = {}
        for label in names[drop_reason.isna()].unique():
            borough = resolve_borough(label)
            if borough is None:
                position = int(np.flatnonzero((names == label).to_numpy())[0])
                raise SourceError(
                    source.display,
                    f"'{label}' is not a London borough name",
                    row=table.line_of(position),
                    column=borough_column,
                )
            codes[label] = borough.gss_code
        majors, minors = met_wide.harmonised_categories(source, table, "MajorText", "MinorText")
        counts = met_wide.month_counts(source, table, months)

        keep = drop_reason.isna().to_numpy()
        month_list = list(months.values())
        long = pd.DataFrame(
            {
                "month": np.tile(np.array(month_list, dtype=object), int(keep.sum())),
                "gss_code": np.repeat(names[keep].map(codes).to_numpy(dtype=object), len(months)),
                "major_category": np.repeat(majors[keep].to_numpy(dtype=object), len(months)),
                "minor_category": np.repeat(minors[keep].to_numpy(dtype=object), len(months)),
                "count": counts[keep].reshape(-1),
            }
        )
        # Several published minors fold into one harmonised minor (e.g. the six weapons
        # sub-categories), so sum them.
        summed = long.groupby(["month", "gss_code", "major_category", "minor_category"], as_index=False, sort=True)[
            "count"
        ].sum()
        dropped = drop_reason.dropna().value_counts()
        # Crimes in the dropped rows, per month and harmonised major category, so the manifest
        # can say how many crimes (not just rows) have no borough and the snapshot can keep
        # the unallocated share: the 2025 releases put thousands a month under "Unknown".
        lost = pd.DataFrame(counts[~keep], columns=month_list).assign(
            reason=drop_reason[~keep].to_numpy(), major_category=majors[~keep].to_numpy(dtype=object)
        )
        lost = lost.melt(id_vars=["reason", "major_category"], var_name="month", value_name="count")
        lost = lost.groupby(["month", "reason", "major_category"], as_index=False)["count"].sum()
        # Every crime the file records (boroughs, airports and Unknown), per month and major
        # category: the denominator of the unallocated share.
        recorded = pd.DataFrame(counts, columns=month_list).assign(major_category=majors.to_numpy(dtype=object))
        recorded = recorded.melt(id_vars="major_category", var_name="month", value_name="count")
        recorded = recorded.groupby(["month", "major_category"], as_index=False)["count"].sum()
        return AdapterResult(
            tables={"crime_monthly": summed, "_crimes_dropped": lost, "_crimes_recorded": recorded},
            rows_read=len(raw),
            rows_dropped={str(reason): int(n) for reason, n in dropped.items()},
            info={
                "months": month_list,
                "layout": borough_column,
                # Only a file with an "Unknown" borough says how many crimes were unallocated.
                "gives_unallocated": bool((drop_reason == UNALLOCATED).any()),
            },
        )


ADAPTER = MetBoroughCrimeAdapter()
