"""Stop and search aggregates: small grouped frames computed in DuckDB, never row by row.

Every page section reads one of two results: the `search_cube` (borough × ethnic group ×
age range, with outcome, find and strip-search counts) or `monthly_volume` (month ×
borough × legislation group × object of search). Neither depends on the borough chosen, so
a borough change reads them from the cache. Filter values
and the published-label → group mappings travel as parameters; the only SQL text chosen in
Python is one of two fixed ethnicity expressions, picked from a whitelist.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.store import Store
from lib.vocab import NO_FURTHER_ACTION, OFFICER_DEFINED, OFFICER_GROUPS, OUTCOMES, SELF_DEFINED, legislation_group

ARREST = next(o for o in OUTCOMES if o == "Arrest")  # the published outcome label

_ETHNICITY_SQL = {
    SELF_DEFINED: "coalesce(s.ethnic_group, 'Unknown')",
    OFFICER_DEFINED: "CASE WHEN list_contains($officer_groups, s.officer_defined_ethnicity) "
    "THEN s.officer_defined_ethnicity ELSE 'Unknown' END",
}

# Published legislation labels are mapped to their group by lib.vocab (in Python, over the
# handful of distinct labels) and joined in as a two-column parameter table.
_FILTERED_SEARCHES = """
WITH mapping AS (
    SELECT unnest($labels::VARCHAR[]) AS label, unnest($groups::VARCHAR[]) AS legislation_group
),
searches AS (
    SELECT s.*, coalesce(m.legislation_group, $other_group) AS legislation_group,
           {ethnicity} AS group_name
    FROM stop_search s LEFT JOIN mapping m ON s.legislation = m.label
    WHERE s.month BETWEEN $start AND $end
      AND ($search_type IS NULL OR s.type = $search_type)
      AND ($age_range IS NULL OR s.age_range = $age_range)
      AND ($gender IS NULL OR s.gender = $gender)
)
"""


def legislation_labels(store: Store) -> dict[str, str]:
    """Each distinct published legislation label -> its group (lib.vocab.legislation_group)."""
    frame = store.query("SELECT DISTINCT legislation FROM stop_search WHERE legislation IS NOT NULL")
    return {label: legislation_group(label) for label in frame["legislation"]}


def _parameters(
    store: Store,
    *,
    start: date,
    end: date,
    definition: str,
    legislation: str | None,
    search_type: str | None,
    age_range: str | None,
    gender: str | None,
) -> tuple[str, dict[str, object]]:
    if definition not in _ETHNICITY_SQL:
        raise ValueError(f"unknown ethnicity definition {definition!r}")
    mapping = legislation_labels(store)
    params: dict[str, object] = {
        "labels": list(mapping),
        "groups": list(mapping.values()),
        "other_group": legislation_group(None),
        "start": start,
        "end": end,
        "search_type": search_type,
        "age_range": age_range,
        "gender": gender,
        "legislation": legislation,
    }
    if definition == OFFICER_DEFINED:
        params["officer_groups"] = list(OFFICER_GROUPS)
    return _FILTERED_SEARCHES.format(ethnicity=_ETHNICITY_SQL[definition]), params


def search_cube(
    store: Store,
    *,
    start: date,
    end: date,
    definition: str = SELF_DEFINED,
    legislation: str | None = None,
    search_type: str | None = None,
    age_range: str | None = None,
    gender: str | None = None,
) -> pd.DataFrame:
    """Searches in the period matching the filters, counted by `gss_code` (None: no
    location or outside London), `ethnic_group` (per `definition`) and `age_range`
    ('Not recorded' when blank). Columns: searches; with_outcome (outcome recorded);
    arrests; nfa (no further action); linked_recorded / linked (outcome linked to the object
    of search recorded / True); removal_recorded / removals (removal of more than outer
    clothing recorded / True)."""
    prefix, params = _parameters(
        store,
        start=start,
        end=end,
        definition=definition,
        legislation=legislation,
        search_type=search_type,
        age_range=age_range,
        gender=gender,
    )
    params.update(arrest=ARREST, nfa=NO_FURTHER_ACTION)
    sql = (
        prefix
        + """
SELECT gss_code, group_name AS ethnic_group, coalesce(age_range, 'Not recorded') AS age_range,
       count(*) AS searches,
       count(outcome) AS with_outcome,
       count(*) FILTER (WHERE outcome = $arrest) AS arrests,
       count(*) FILTER (WHERE outcome = $nfa) AS nfa,
       count(outcome_linked) AS linked_recorded,
       count(*) FILTER (WHERE outcome_linked) AS linked,
       count(removal_more_than_outer) AS removal_recorded,
       count(*) FILTER (WHERE removal_more_than_outer) AS removals
FROM searches
WHERE $legislation IS NULL OR legislation_group = $legislation
GROUP BY ALL
ORDER BY ALL
"""
    )
    frame = store.query(sql, params)
    counts = [c for c in frame.columns if c not in ("gss_code", "ethnic_group", "age_range")]
    frame[counts] = frame[counts].astype("int64")
    frame["gss_code"] = frame["gss_code"].astype(object).where(frame["gss_code"].notna(), None)
    return frame


def monthly_volume(
    store: Store,
    *,
    start: date,
    end: date,
    legislation: str | None = None,
    search_type: str | None = None,
    age_range: str | None = None,
    gender: str | None = None,
) -> pd.DataFrame:
    """Searches per month matching the filters, by `gss_code` (null for searches with no
    borough), `legislation_group` and `object_of_search` ('Not recorded' when blank).
    Months with no searches are absent."""
    prefix, params = _parameters(
        store,
        start=start,
        end=end,
        definition=SELF_DEFINED,
        legislation=legislation,
        search_type=search_type,
        age_range=age_range,
        gender=gender,
    )
    sql = (
        prefix
        + """
SELECT month, gss_code, legislation_group,
       coalesce(object_of_search, 'Not recorded') AS object_of_search, count(*) AS searches
FROM searches
WHERE $legislation IS NULL OR legislation_group = $legislation
GROUP BY ALL
ORDER BY ALL
"""
    )
    frame = store.query(sql, params)
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    frame["searches"] = frame["searches"].astype("int64")
    return frame
