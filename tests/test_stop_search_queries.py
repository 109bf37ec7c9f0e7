"""The search cube and monthly volume: counts, filters and groupings, on rows written by hand."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from lib.queries import stop_search as q

JAN, FEB = date(2024, 1, 1), date(2024, 2, 1)
DRUGS = "Misuse of Drugs Act 1971 (section 23)"
PACE = "Police and Criminal Evidence Act 1984 (section 1)"
NFA = "A no further action disposal"


class TableStore:
    """Just enough of lib.store.Store: parameterised queries over an in-memory table."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.con = duckdb.connect(":memory:")
        self.con.register("rows", frame)
        self.con.execute("CREATE TABLE stop_search AS SELECT * FROM rows")

    def query(self, sql, params=None):
        return self.con.execute(sql, params or []).df()


ROWS = pd.DataFrame(
    {
        "month": [JAN, JAN, JAN, FEB, FEB],
        "gss_code": ["E09000022", "E09000022", None, "E09000028", "E09000022"],
        "type": ["Person search", "Person search", "Vehicle search", "Person search", "Person search"],
        "gender": ["Male", "Female", "Male", "Male", "Male"],
        "age_range": ["18-24", "10-17", None, "18-24", "18-24"],
        "ethnic_group": ["Black", "White", "Unknown", "Black", "Black"],
        "officer_defined_ethnicity": ["Black", None, "Mixed", "White", "Black"],
        "legislation": [DRUGS, PACE, None, DRUGS, "Firearms Act 1968 (section 47)"],
        "object_of_search": ["Controlled drugs", "Stolen goods", None, "Controlled drugs", "Firearms"],
        "outcome": ["Arrest", NFA, None, NFA, "Arrest"],
        "outcome_linked": pd.array([False, False, None, False, True], dtype="boolean"),
        "removal_more_than_outer": pd.array([True, None, None, False, False], dtype="boolean"),
    }
)


@pytest.fixture
def store():
    return TableStore(ROWS)


def test_cube_counts_every_column(store):
    cube = q.search_cube(store, start=JAN, end=FEB)
    assert cube["searches"].sum() == 5
    lambeth_black = cube[(cube["gss_code"] == "E09000022") & (cube["ethnic_group"] == "Black")]
    # Two searches: one arrest (Jan), one arrest (Feb, linked True); removal recorded on both.
    assert lambeth_black[["searches", "arrests", "nfa", "linked", "removal_recorded", "removals"]].sum().tolist() == [
        2,
        2,
        0,
        1,
        2,
        1,
    ]
    unlocated = cube[cube["gss_code"].isna()].iloc[0]
    assert (unlocated["age_range"], unlocated["with_outcome"], unlocated["linked_recorded"]) == ("Not recorded", 0, 0)


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"legislation": "Misuse of Drugs Act s23"}, 2),
        ({"legislation": "Other"}, 1),  # the blank legislation
        ({"search_type": "Vehicle search"}, 1),
        ({"age_range": "10-17"}, 1),
        ({"gender": "Male"}, 4),
        ({"start": FEB}, 2),
    ],
)
def test_cube_filters(store, filters, expected):
    arguments = {"start": JAN, "end": FEB, **filters}
    assert q.search_cube(store, **arguments)["searches"].sum() == expected


def test_officer_defined_groups(store):
    cube = q.search_cube(store, start=JAN, end=FEB, definition="officer")
    by_group = cube.groupby("ethnic_group")["searches"].sum().to_dict()
    # Officers record no Mixed: that search and the blank one are Unknown.
    assert by_group == {"Black": 2, "White": 1, "Unknown": 2}


def test_unknown_definition_is_refused(store):
    with pytest.raises(ValueError):
        q.search_cube(store, start=JAN, end=FEB, definition="DROP TABLE stop_search")


def test_monthly_volume(store):
    volume = q.monthly_volume(store, start=JAN, end=FEB)
    assert volume["searches"].sum() == 5
    assert volume[volume["gss_code"] == "E09000022"]["searches"].sum() == 3
    feb = volume[volume["month"] == FEB].groupby("legislation_group")["searches"].sum().to_dict()
    assert feb == {"Firearms Act s47": 1, "Misuse of Drugs Act s23": 1}
