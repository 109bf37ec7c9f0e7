"""Public Attitude Survey look-ups for the trust and confidence page.

The `survey` table is small (a few thousand rows: quarter ends × areas × measures ×
groups), so each query returns a whole measure and the page filters in memory. Intervals,
changes and gaps are added by lib.metrics.survey.
"""

from __future__ import annotations

import pandas as pd

from lib.store import Store
from lib.vocab import SURVEY_GROUPS, SURVEY_MEASURES

SURVEY_COLUMNS = ["period_end", "gss_code", "group_type", "group", "proportion", "base"]


def _with_dates(frame: pd.DataFrame) -> pd.DataFrame:
    frame["period_end"] = pd.to_datetime(frame["period_end"]).dt.date
    return frame


def survey_measures(store: Store) -> tuple[str, ...]:
    """Measures with at least one published value, in the vocabulary's order."""
    frame = store.query("SELECT DISTINCT measure FROM survey WHERE proportion IS NOT NULL")
    present = set(frame["measure"])
    return tuple(key for key in SURVEY_MEASURES if key in present)


def area_values(store: Store, *, measure: str) -> pd.DataFrame:
    """One measure for London (gss_code null) and each surveyed borough, group 'All', every
    quarter end: period_end (date), gss_code, group_type, group, proportion (0–1), base
    (respondents in the rolling year, null when not published)."""
    frame = store.query(
        """
        SELECT period_end, gss_code, group_type, "group", proportion, base
        FROM survey
        WHERE measure = ? AND group_type = 'all' AND proportion IS NOT NULL
        ORDER BY period_end, gss_code NULLS FIRST
        """,
        [measure],
    )
    return _with_dates(frame)[SURVEY_COLUMNS]


def group_values(store: Store, *, measure: str, group_type: str) -> pd.DataFrame:
    """One measure London-wide for each group of one kind (ethnicity, age, gender), every
    quarter end; same columns as `area_values`."""
    frame = store.query(
        """
        SELECT period_end, gss_code, group_type, "group", proportion, base
        FROM survey
        WHERE measure = ? AND group_type = ? AND gss_code IS NULL AND proportion IS NOT NULL
        ORDER BY period_end, "group"
        """,
        [measure, group_type],
    )
    return _with_dates(frame)[SURVEY_COLUMNS]


def group_types_with_splits(store: Store, *, measure: str) -> tuple[str, ...]:
    """Kinds of London-wide group split published for a measure (vocabulary order)."""
    frame = store.query(
        """
        SELECT DISTINCT group_type FROM survey
        WHERE measure = ? AND gss_code IS NULL AND group_type <> 'all' AND proportion IS NOT NULL
        """,
        [measure],
    )
    present = set(frame["group_type"])
    return tuple(kind for kind in SURVEY_GROUPS if kind in present)


def groups_published(store: Store, *, measure: str, group_type: str) -> tuple[str, ...]:
    """The groups of one kind published for a measure, in the vocabulary's display order
    (any group outside the vocabulary after them, alphabetically)."""
    frame = store.query(
        """
        SELECT DISTINCT "group" FROM survey
        WHERE measure = ? AND group_type = ? AND gss_code IS NULL AND proportion IS NOT NULL
        """,
        [measure, group_type],
    )
    present = set(frame["group"])
    known = SURVEY_GROUPS.get(group_type, ())
    return tuple(g for g in known if g in present) + tuple(sorted(present - set(known)))
