"""Self-defined ethnicity -> five groups, on every label the publishers use."""

from __future__ import annotations

import csv

import pytest

from lib.vocab import ethnic_group_from_self_defined, legislation_group

# The 18 Census 2021 categories as data.police.uk prints them, plus "Not stated" (+1).
LABELS = {
    "Asian/Asian British - Bangladeshi": "Asian",
    "Asian/Asian British - Chinese": "Asian",
    "Asian/Asian British - Indian": "Asian",
    "Asian/Asian British - Pakistani": "Asian",
    "Asian/Asian British - Any other Asian background": "Asian",
    "Black/African/Caribbean/Black British - African": "Black",
    "Black/African/Caribbean/Black British - Caribbean": "Black",
    "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background": "Black",
    "Mixed/Multiple ethnic groups - White and Asian": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black African": "Mixed",
    "Mixed/Multiple ethnic groups - White and Black Caribbean": "Mixed",
    "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background": "Mixed",
    "White - English/Welsh/Scottish/Northern Irish/British": "White",
    "White - Irish": "White",
    "White - Gypsy or Irish Traveller": "White",
    "White - Any other White background": "White",
    "Other ethnic group - Arab": "Other",
    "Other ethnic group - Any other ethnic group": "Other",
    "Other ethnic group - Not stated": "Unknown",
    "": "Unknown",
}


@pytest.mark.parametrize("label, group", LABELS.items())
def test_hard_coded_labels(label, group):
    assert ethnic_group_from_self_defined(label) == group


def _expected(label: str) -> str:
    """Independent rule: 'Not stated' or blank -> Unknown, else the heading before ' - '."""
    if not label.strip() or "not stated" in label.lower():
        return "Unknown"
    heading = label.split(" - ")[0]
    return {
        "Asian/Asian British": "Asian",
        "Black/African/Caribbean/Black British": "Black",
        "Mixed/Multiple ethnic groups": "Mixed",
        "White": "White",
        "Other ethnic group": "Other",
    }[heading]


@pytest.mark.realdata
def test_every_label_in_the_published_files(shared_real):
    files = sorted((shared_real / "police_uk_stop_and_search").glob("*.csv"))
    files += sorted((shared_real / "police_uk_street" / "city_of_london").glob("*stop-and-search.csv"))
    if not files:
        pytest.skip("no stop and search CSVs in ../shared/real")
    labels, powers = set(), set()
    for path in files:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                labels.add(row["Self-defined ethnicity"])
                powers.add(row["Legislation"])
    assert len(labels) >= 19
    for label in labels:
        assert ethnic_group_from_self_defined(label) == _expected(label), label
        assert label in LABELS, f"a label the hard-coded table lacks: {label!r}"
    for power in powers:
        assert legislation_group(power) in {
            "PACE s1",
            "Misuse of Drugs Act s23",
            "CJPOA s60",
            "Firearms Act s47",
            "Terrorism Act",
            "Other",
        }
