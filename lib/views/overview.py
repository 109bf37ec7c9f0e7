"""Data for the Overview page: each topic's headline for the chosen borough and London, from
the same functions (and the same cached tables) as the topic pages, so the numbers match."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib import ui
from lib.metrics import stop_search as m
from lib.metrics import survey
from lib.metrics.coverage import Coverage
from lib.metrics.survey import AreaFigure
from lib.narrative.sources import source_line
from lib.page import PageContext
from lib.queries import stop_search as q
from lib.queries.common import populations
from lib.queries.trust import area_values
from lib.views.stop_search import search_cover
from lib.vocab import SELF_DEFINED


def survey_figure(measure: str, gss_code: str | None, month: date) -> AreaFigure | None:
    """The Trust page's figure for a measure and area (same estimates, same function)."""
    estimates = ui.london_wide(survey.with_intervals, ui.cached(area_values, measure=measure))
    if estimates.empty:
        return None
    # survey.survey_figure in two steps, so the table of every area's change is made once.
    changes = ui.london_wide(survey.latest_changes, estimates, month)
    return None if changes is None else survey.area_figure(changes, gss_code)


def search_figures(ctx: PageContext) -> tuple[Coverage, pd.DataFrame | None]:
    """The covered months of stop and search and the Stop and search page's default cube
    (self-defined ethnicity, every power, type, age and gender) over them."""
    cover = search_cover(ctx)
    if cover.empty:
        return cover, None
    cube = ui.cached(q.search_cube, definition=SELF_DEFINED, start=cover.first, end=cover.last)
    return cover, cube


def search_figure(cube: pd.DataFrame, cover: Coverage, gss_code: str | None) -> m.SearchFigure:
    return ui.for_area(gss_code, m.search_figure, cube, ui.cached(populations), area=gss_code, cover=cover)


def intro(population_year: int) -> str:
    return (
        f"Rates are per 1,000 residents a year (Census {population_year} residents), over the months each "
        "snapshot table covers. People searched or victimised need not live in the borough. Changes compare the "
        "same months a year earlier and are called up or down only when a statistical test says so (5% level)."
    )


def sources(ctx: PageContext, parts: list[tuple[str, object]]) -> str:
    """'Sources: …' from the manifest for the tables and months shown."""
    manifest = ctx.snapshot.manifest
    lines = [source_line(manifest, table, months) for table, months in parts]
    return "Sources: " + "; ".join(dict.fromkeys(lines)) + ". See About the data for files, periods and methods."
