"""Harm and justice queries over `harm_monthly` (the Met's Monthly Crime Dashboard).

The published files leave out cells with no offences, so counts are zero-filled here: every
month the offence group's files cover × every borough the Met polices (all but the City of
London, which the City of London Police polices; it is included only if the table holds it).
"""

from __future__ import annotations

import pandas as pd

from lib.store import Store
from lib.vocab import CITY_OF_LONDON


def has_harm(store: Store) -> bool:
    return store.has("harm_monthly")


def subgroups(store: Store) -> pd.DataFrame:
    """The offence subgroups the snapshot holds: offence_group, offence_subgroup,
    first_month, last_month, months (count of months with any row) and has_outcomes
    (whether the Met published positive outcomes for it)."""
    frame = store.query(
        """
        SELECT offence_group, offence_subgroup,
               min(month) AS first_month, max(month) AS last_month,
               count(DISTINCT month)::BIGINT AS months,
               bool_or(measure = 'positive_outcomes') AS has_outcomes
        FROM harm_monthly GROUP BY ALL ORDER BY offence_group, offence_subgroup
        """
    )
    for column in ("first_month", "last_month"):
        frame[column] = pd.to_datetime(frame[column]).dt.date
    return frame


def monthly_counts(store: Store, *, group: str, subgroup: str) -> pd.DataFrame:
    """Offences and positive outcomes of one subgroup per month and borough: columns month
    (date), gss_code, offences, positive_outcomes (zero where none were recorded), for every
    month the offence group covers."""
    frame = store.query(
        """
        WITH chosen AS (
            SELECT month, gss_code,
                   sum(count) FILTER (WHERE measure = 'offences') AS offences,
                   sum(count) FILTER (WHERE measure = 'positive_outcomes') AS positive_outcomes
            FROM harm_monthly WHERE offence_group = $group AND offence_subgroup = $subgroup
            GROUP BY ALL
        )
        SELECT m.month, b.gss_code,
               coalesce(c.offences, 0)::BIGINT AS offences,
               coalesce(c.positive_outcomes, 0)::BIGINT AS positive_outcomes
        FROM (SELECT DISTINCT month FROM harm_monthly WHERE offence_group = $group) m
        CROSS JOIN (
            SELECT gss_code FROM boroughs
            WHERE gss_code <> $city OR gss_code IN (SELECT gss_code FROM harm_monthly)
        ) b
        LEFT JOIN chosen c ON c.month = m.month AND c.gss_code = b.gss_code
        ORDER BY m.month, b.gss_code
        """,
        {"group": group, "subgroup": subgroup, "city": CITY_OF_LONDON},
    )
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame
