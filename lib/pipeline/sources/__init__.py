"""One adapter per publisher's file format, all with the same small interface
(`lib.pipeline.sources.base.Adapter`)."""

from __future__ import annotations

from lib.pipeline.sources import (
    census_ethnicity,
    gla_boundaries,
    met_borough_crime,
    met_crime_dashboard,
    met_lsoa_crime,
    mopac_pas,
    police_uk_stop_search,
    police_uk_street,
)
from lib.pipeline.sources.base import Adapter

# Tried in this order; the first adapter whose `matches` is true claims a file.
ADAPTERS: tuple[Adapter, ...] = (
    police_uk_stop_search.ADAPTER,
    police_uk_street.ADAPTER,
    met_borough_crime.ADAPTER,
    met_lsoa_crime.ADAPTER,
    met_crime_dashboard.ADAPTER,
    mopac_pas.ADAPTER,
    census_ethnicity.ADAPTER,
    gla_boundaries.BOROUGHS_ADAPTER,
    gla_boundaries.LSOAS_ADAPTER,
)
BY_NAME: dict[str, Adapter] = {adapter.name: adapter for adapter in ADAPTERS}
