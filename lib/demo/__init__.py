"""The demo snapshot: synthetic but realistic London policing data in the snapshot contract.

`build_tables` makes every table from one seeded numpy Generator, so the same arguments give
byte-identical Parquet; `write_demo` writes them with the shared atomic snapshot writer.
Real reference data is used where it exists (borough outlines, Census 2021 residents); every
event (crime, search, survey answer) is invented. Run `python -m lib.demo --help`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from lib.boroughs import GSS_CODES
from lib.contract import TEXT
from lib.demo.common import month_starts
from lib.demo.crime import crime_monthly, crime_points, crime_unallocated
from lib.demo.harm import harm_monthly
from lib.demo.places import snap_points, town_centres
from lib.demo.stops import stop_search
from lib.demo.survey import survey
from lib.geo import BOROUGHS_PARQUET, REFERENCE_DIR, reference_boroughs
from lib.hexes import crime_cells_from_points
from lib.snapshot_writer import file_sha256, write_snapshot
from lib.vocab import ETHNIC_GROUPS

CENSUS_CSV = REFERENCE_DIR / "census2021_ethnic_group.csv"
REPO_ROOT = REFERENCE_DIR.parent.parent


@dataclass(frozen=True)
class DemoSpec:
    """What to generate: `months` calendar months ending with `end` ("YYYY-MM"), event
    volumes multiplied by `scale` (1 = London's real magnitudes), from random `seed`."""

    months: int = 36
    scale: float = 1.0
    seed: int = 0
    end: str = "2025-09"

    @property
    def snapshot_id(self) -> str:
        return f"demo-s{self.seed}-{self.months}m-x{self.scale:g}"


def population_table() -> pd.DataFrame:
    """The contract's `population` from the real Census 2021 file: residents by borough and
    group (All plus the five groups), year 2021."""
    census = pd.read_csv(CENSUS_CSV, dtype={"code": str})
    long = census.melt(id_vars="code", var_name="ethnic_group", value_name="population")
    long["ethnic_group"] = pd.Categorical(long["ethnic_group"], categories=["All", *ETHNIC_GROUPS])
    long = long.rename(columns={"code": "gss_code"}).sort_values(["gss_code", "ethnic_group"], ignore_index=True)
    long.insert(1, "year", np.int64(2021))
    long["ethnic_group"] = long["ethnic_group"].astype(TEXT)
    long["population"] = long["population"].astype("int64")
    return long


def _as_str(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns (object or categorical) as pandas' string dtype, nulls kept."""
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            # Decoding the dictionary in Arrow is ~10x faster than astype(TEXT) on millions of rows.
            frame[column] = pd.array(pa.array(values).cast(pa.large_string()), dtype=TEXT)
        elif values.dtype == object:
            frame[column] = values.astype(TEXT)
    return frame


def build_tables(spec: DemoSpec) -> dict[str, pd.DataFrame]:
    """Every contract table plus crime_points, crime_cells, crime_unallocated and harm_monthly,
    in a fixed order of random draws."""
    rng = np.random.Generator(np.random.PCG64(spec.seed))
    months = month_starts(spec.end, spec.months)
    boroughs = reference_boroughs()
    population = population_table()
    residents = population.pivot(index="gss_code", columns="ethnic_group", values="population").loc[list(GSS_CODES)]

    points = snap_points(rng, boroughs, town_centres(boroughs))
    monthly = crime_monthly(rng, months, residents["All"].to_numpy(dtype=float), spec.scale)
    street = crime_points(rng, monthly, points, months)
    cells = crime_cells_from_points(street)
    by_group = residents[list(ETHNIC_GROUPS)].to_numpy(dtype=float)
    searches = stop_search(rng, months, by_group, points, spec.scale)
    attitudes = survey(rng, months, by_group.sum(axis=0) / by_group.sum())
    # Their own random streams, so adding these tables left every other table unchanged.
    unallocated = crime_unallocated(np.random.Generator(np.random.PCG64([spec.seed, 1])), monthly)
    harm_rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([spec.seed, 13])))
    harm = harm_monthly(harm_rng, months, residents["All"].to_numpy(dtype=float), spec.scale)
    tables = {
        "boroughs": boroughs,
        "population": population,
        "crime_monthly": monthly,
        "crime_points": street,
        "crime_cells": cells,
        "crime_unallocated": unallocated,
        "stop_search": searches,
        "survey": attitudes,
        "harm_monthly": harm,
    }
    return {name: table if name == "boroughs" else _as_str(table) for name, table in tables.items()}


def _reference_file(path: Path, rows: int) -> dict:
    return {
        "path": str(path.relative_to(REPO_ROOT)),
        "sha256": file_sha256(path),
        "rows_read": rows,
        "rows_dropped": {},
    }


def sources(spec: DemoSpec) -> list[dict]:
    """The manifest's sources: the generator itself and the two real reference files."""
    return [
        {
            "name": "Synthetic demo generator (lib/demo)",
            "publisher": "London Policing Accountability Dashboard",
            "licence": "Synthetic data: no real incidents, searches or survey answers",
            "url": "",
            "parameters": {"months": spec.months, "scale": spec.scale, "seed": spec.seed, "end": spec.end},
            "tables": [
                "crime_monthly",
                "crime_points",
                "crime_cells",
                "crime_unallocated",
                "stop_search",
                "survey",
                "harm_monthly",
            ],
            "files": [],
        },
        {
            "name": "London borough outlines (npm vega-datasets@3.2.1, londonBoroughs.json)",
            "publisher": "Derived from GLA statistical boundary files",
            "licence": "Open Government Licence v3.0",
            "url": "https://www.npmjs.com/package/vega-datasets/v/3.2.1",
            "tables": ["boroughs"],
            "files": [_reference_file(BOROUGHS_PARQUET, 33)],
        },
        {
            "name": "Census 2021 usual residents by ethnic group (real figures)",
            "publisher": "Office for National Statistics",
            "licence": "Open Government Licence v3.0",
            "url": "https://www.ons.gov.uk/census",
            "tables": ["population"],
            "files": [_reference_file(CENSUS_CSV, 33)],
        },
    ]


def write_demo(out_dir: str | Path, spec: DemoSpec, tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write the demo snapshot for `spec` (or already built `tables`) to `out_dir`."""
    months = month_starts(spec.end, spec.months)
    return write_snapshot(
        out_dir,
        tables if tables is not None else build_tables(spec),
        snapshot_id=spec.snapshot_id,
        kind="demo",
        title="Demo data (synthetic)",
        period={"from": months[0].strftime("%Y-%m"), "to": months[-1].strftime("%Y-%m")},
        sources=sources(spec),
    )
