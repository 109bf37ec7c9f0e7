"""Aggregates behind the Overview page: a few numbers per borough, each one query."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.store import Store


def category_counts(store: Store, *, major_category: str, start: date, end: date) -> pd.DataFrame:
    """Recorded offences of one major category per borough between two months (inclusive)."""
    return store.query(
        """
        SELECT gss_code, sum("count")::BIGINT AS count
        FROM crime_monthly
        WHERE major_category = $major AND month BETWEEN $start AND $end
        GROUP BY gss_code ORDER BY gss_code
        """,
        {"major": major_category, "start": start, "end": end},
    )


def searches_by_group(store: Store, *, start: date, end: date) -> pd.DataFrame:
    """Stop and searches per borough (null = no location) and self-defined ethnic group."""
    return store.query(
        """
        SELECT gss_code, ethnic_group, count(*)::BIGINT AS count
        FROM stop_search
        WHERE month BETWEEN $start AND $end
        GROUP BY ALL
        """,
        {"start": start, "end": end},
    )


def survey_values(store: Store, *, measures: tuple[str, ...], end: date) -> pd.DataFrame:
    """Whole-population survey values at the latest quarter end on or before `end`'s
    month end, and at the quarter end a year before that."""
    return store.query(
        """
        WITH latest AS (
            SELECT max(period_end) AS period_end FROM survey
            WHERE period_end < $end + INTERVAL 1 MONTH AND group_type = 'all'
              AND list_contains($measures, measure)
        )
        SELECT s.period_end, s.gss_code, s.measure, s.proportion, s.base
        FROM survey s, latest
        WHERE s.group_type = 'all' AND list_contains($measures, s.measure)
          AND (s.period_end = latest.period_end
               OR s.period_end = latest.period_end - INTERVAL 12 MONTH
               OR s.period_end = last_day(latest.period_end - INTERVAL 12 MONTH))
        ORDER BY s.period_end
        """,
        {"measures": list(measures), "end": end},
    )
