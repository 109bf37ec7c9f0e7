"""GLA statistical GIS boundary files: borough outlines (into `boroughs`) and LSOA outlines
(into `lsoas`, written only beside `crime_areas`).

Shapefiles carry their CRS in the .prj (British National Grid). GeoJSON may carry a CRS84
member or none at all; the GLA borough GeoJSON in circulation has BNG metres without a
`crs` member, which a reader would otherwise take for degrees. So the rule is: coordinates
larger than any longitude or latitude are British National Grid metres.

Two geometries come out of the borough file: the full-resolution outlines in BNG, used for
point-in-polygon, and the web outlines (simplified to about 20 m, then WGS84) for maps.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.validation import make_valid

from lib.boroughs import resolve_borough
from lib.contract import TEXT
from lib.geo import BRITISH_NATIONAL_GRID, boroughs_frame, polygonal, reference_boroughs
from lib.pipeline.csvfile import SourceFile
from lib.pipeline.errors import SourceError
from lib.pipeline.sources.base import OGL_V3, AdapterResult

URL = "https://data.london.gov.uk/dataset/statistical-gis-boundary-files-london"
PUBLISHER = "Greater London Authority (London Datastore), ONS and Ordnance Survey data"
WEB_TOLERANCE_M = 20.0  # borough outlines for the web: invisible at borough zoom, ~10x smaller
LSOA_TOLERANCE_M = 5.0
# Outlines of London, in BNG metres, with room to spare: anything outside is misplaced.
_LONDON_BNG = (490_000, 140_000, 580_000, 215_000)
_GEO_SUFFIXES = (".shp", ".geojson", ".json")
_BOROUGH_CODE = re.compile(r"^E09\d{6}$")
NOT_LONDON = "not a London borough"


def read_layer(source: SourceFile) -> gpd.GeoDataFrame:
    """A vector file in British National Grid, whatever CRS (or none) it declares."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(source.path)
    except Exception as exc:  # pyogrio raises several error types for damaged files
        detail = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise SourceError(
            source.display, f"the file cannot be read as map outlines ({detail}); download it again"
        ) from None
    if frame.empty:
        raise SourceError(source.display, "the file holds no outlines")
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    minx, miny, maxx, maxy = frame.total_bounds
    looks_metric = max(abs(minx), abs(miny), abs(maxx), abs(maxy)) > 360
    if looks_metric:
        frame = frame.set_crs(BRITISH_NATIONAL_GRID, allow_override=True)
    elif frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    frame = frame.to_crs(BRITISH_NATIONAL_GRID)
    minx, miny, maxx, maxy = frame.total_bounds
    x0, y0, x1, y1 = _LONDON_BNG
    if not (minx >= x0 and miny >= y0 and maxx <= x1 and maxy <= y1):
        raise SourceError(
            source.display,
            "the outlines do not lie in London once placed on the map (is the coordinate system right?)",
        )
    return frame


def _column(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    upper = {c.upper(): c for c in frame.columns}
    return next((upper[c] for c in candidates if c in upper), None)


@dataclass(frozen=True)
class BoroughBoundariesAdapter:
    name: str = "gla_boundaries"
    publisher: str = PUBLISHER
    licence: str = OGL_V3
    url: str = URL
    single_file: bool = True

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        return lowered.endswith(_GEO_SUFFIXES) and "borough" in lowered and "ward" not in lowered

    def rank(self, source: SourceFile) -> int:
        # The shapefile is the publisher's original; GeoJSON copies are conversions.
        return 0 if source.name.lower().endswith(".shp") else 1

    def read(self, source: SourceFile) -> AdapterResult:
        frame = read_layer(source)
        code_column = _column(frame, ("GSS_CODE", "LAD22CD", "LAD21CD", "LAD11CD", "CODE"))
        name_column = _column(frame, ("NAME", "LAD22NM", "LAD21NM", "LAD11NM"))
        label_column = code_column or name_column
        if label_column is None:
            raise SourceError(
                source.display, "the outlines have no 'GSS_CODE' or 'NAME' attribute to say which borough"
            )
        labels = frame[label_column].astype(TEXT).str.strip()
        # National files (ONS LADs) hold every district: keep the E09 codes.
        london = labels.str.match(_BOROUGH_CODE) if code_column else pd.Series(True, index=frame.index)
        frame, labels = frame[london], labels[london]
        for position, label in enumerate(labels):
            if resolve_borough(label) is None:
                raise SourceError(
                    source.display,
                    f"'{label}' is not a London borough",
                    row=position + 1,
                    column=label_column,
                )
        gss = labels.map(lambda label: resolve_borough(label).gss_code)
        full = (
            gpd.GeoDataFrame(
                {"gss_code": gss.to_numpy()},
                geometry=[polygonal(make_valid(g)) for g in frame.geometry],
                crs=BRITISH_NATIONAL_GRID,
            )
            .dissolve("gss_code")
            .reset_index()
        )
        web = full.geometry.simplify(WEB_TOLERANCE_M, preserve_topology=True)
        try:
            boroughs = boroughs_frame(list(zip(full["gss_code"], web, strict=True)), crs=BRITISH_NATIONAL_GRID)
        except ValueError as exc:
            raise SourceError(source.display, str(exc).rstrip(".")) from None
        dropped = int((~london).sum())
        return AdapterResult(
            tables={"boroughs": boroughs, "_borough_outlines_bng": full},
            rows_read=len(london),
            rows_dropped={NOT_LONDON: dropped} if dropped else {},
        )


@dataclass(frozen=True)
class LsoaBoundariesAdapter:
    name: str = "gla_lsoa_boundaries"
    publisher: str = PUBLISHER
    licence: str = OGL_V3
    url: str = URL
    single_file: bool = True

    def matches(self, name: str, header_line: str) -> bool:
        lowered = name.lower()
        return lowered.endswith(_GEO_SUFFIXES) and "lsoa" in lowered

    def rank(self, source: SourceFile) -> int:
        # The newest LSOA vintage in the GLA zip, shapefile over GeoJSON.
        name = source.name.lower()
        vintage = 2 if "2021" in name else 1 if "2011" in name else 0
        return (0 if name.endswith(".shp") else 10) - vintage

    def read(self, source: SourceFile) -> AdapterResult:
        frame = read_layer(source)
        code_column = _column(frame, ("LSOA21CD", "LSOA11CD", "LSOA_CODE"))
        name_column = _column(frame, ("LSOA21NM", "LSOA11NM", "LSOA_NAME"))
        borough_column = _column(frame, ("LAD22CD", "LAD21CD", "LAD11CD"))
        if code_column is None:
            raise SourceError(source.display, "the outlines have no 'LSOA11CD' or 'LSOA21CD' attribute")
        if borough_column is not None:
            gss = frame[borough_column].astype(TEXT).str.strip()
        elif name_column is not None:
            # LSOA names start with their borough ("Camden 028B").
            gss = (
                frame[name_column]
                .astype(TEXT)
                .str.rsplit(" ", n=1)
                .str[0]
                .map(lambda label: getattr(resolve_borough(label), "gss_code", None))
            )
        else:
            raise SourceError(source.display, "the outlines have no borough code or LSOA name attribute")
        london = gss.str.match(_BOROUGH_CODE).fillna(False).to_numpy(dtype=bool)
        frame = frame[london]
        outlines = gpd.GeoDataFrame(
            {
                "lsoa_code": frame[code_column].astype(TEXT).str.strip().to_numpy(),
                "name": (frame[name_column] if name_column else frame[code_column]).astype(TEXT).to_numpy(),
                "gss_code": gss[london].to_numpy(),
            },
            geometry=frame.geometry.simplify(LSOA_TOLERANCE_M, preserve_topology=True).to_numpy(),
            crs=BRITISH_NATIONAL_GRID,
        ).to_crs("EPSG:4326")
        for column in ("lsoa_code", "name", "gss_code"):
            outlines[column] = outlines[column].astype("string")
        dropped = int((~london).sum())
        return AdapterResult(
            tables={"lsoas": outlines},
            rows_read=len(london),
            rows_dropped={NOT_LONDON: dropped} if dropped else {},
        )


BOROUGHS_ADAPTER = BoroughBoundariesAdapter()
LSOAS_ADAPTER = LsoaBoundariesAdapter()


def reference_outlines() -> gpd.GeoDataFrame:
    """The shipped reference borough outlines in BNG, for point-in-polygon when no boundary
    file was given."""
    return reference_boroughs()[["gss_code", "geometry"]].to_crs(BRITISH_NATIONAL_GRID)


def is_geo_file(path: Path) -> bool:
    return path.suffix.lower() in _GEO_SUFFIXES
