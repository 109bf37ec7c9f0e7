"""Plain-English sentences for the stop and search page, built from lib.metrics.stop_search
tables. Suppressed cells (under SMALL_COUNT searches) are never quoted as numbers."""

from __future__ import annotations

import math

import pandas as pd

from lib.metrics.disparity import SMALL_COUNT
from lib.metrics.proportions import two_proportion_test
from lib.metrics.stop_search import SearchFigure
from lib.narrative.common import count_text, percent_text, rate_text, ratio_text
from lib.narrative.ranking import RANK_HEADING, extremes_sentence, rank_text
from lib.narrative.tables import DisplayTable, display_table
from lib.vocab import OFFICER_DEFINED, REFERENCE_GROUP

FEWER_THAN = f"fewer than {SMALL_COUNT}"


def count_label(n: float) -> str:
    """A count as shown in tables: 'fewer than 10' under SMALL_COUNT, else '1,234'."""
    return FEWER_THAN if n < SMALL_COUNT else count_text(n)


def ratio_label(ratio: float, low: float, high: float) -> str:
    """'3.5 (3.2 to 3.7)', or 'fewer than 10' when the ratio is suppressed (NaN)."""
    if not math.isfinite(ratio):
        return FEWER_THAN
    return f"{ratio_text(ratio)} ({ratio_text(low)} to {ratio_text(high)})"


def people(group: str, area_name: str) -> str:
    """'Black Londoners' for London, 'Black people' for a borough."""
    return f"{group} Londoners" if area_name == "London" else f"{group} people"


def headline(row: pd.Series, *, area_name: str) -> str:
    """The rate-ratio finding for one group in one area (a row of disparity_table)."""
    group = row["ethnic_group"]
    place = "" if area_name == "London" else f"In {area_name}, "
    if not math.isfinite(row["ratio"]):
        return (
            f"{place or 'In London, '}there were too few searches of {group} or White people "
            f"({FEWER_THAN} in a group) to compare their rates."
        )
    return (
        f"{place}{people(group, area_name)} were searched at {ratio_text(row['ratio'])} times the rate of "
        f"{people(REFERENCE_GROUP, area_name)} (95% interval {ratio_text(row['ratio_low'])} "
        f"to {ratio_text(row['ratio_high'])})."
    )


def rates_sentence(table: pd.DataFrame, *, area_name: str) -> str:
    """Each group's search rate with its 95% interval, highest first (rows of
    disparity_table; groups with too few searches for a rate are named as such)."""
    rated = table[table["rate"].notna()].sort_values("rate", ascending=False)
    parts = [
        f"{row.ethnic_group} {rate_text(row.rate)} "
        f"(95% interval {rate_text(row.rate_low)} to {rate_text(row.rate_high)})"
        for row in rated.itertuples()
    ]
    unrated = [str(group) for group in table.loc[table["rate"].isna(), "ethnic_group"] if group != "Unknown"]
    if not parts:
        return f"There were too few searches in {area_name} to give any group's rate."
    text = f"Searches per 1,000 residents a year in {area_name}: {'; '.join(parts)}."
    if unrated:
        text += f" {', '.join(unrated)}: {FEWER_THAN} searches, so no rate."
    return text


def missing_range_sentence(row: pd.Series, unknown: int, *, definition_name: str) -> str:
    """What the searches of unknown ethnicity could do to the ratio."""
    if not math.isfinite(row["ratio"]):
        return ""
    if unknown == 0:
        return f"Every search recorded a {definition_name} ethnicity, so there is no missing-ethnicity range."
    return (
        f"{count_text(unknown)} searches have no {definition_name} ethnicity. Had they all been of "
        f"{row['ethnic_group']} people the ratio would be {ratio_text(row['range_high'])}; had they "
        f"all been of White people, {ratio_text(row['range_low'])}."
    )


def basis_sentence(*, definition: str, filters_text: str, population_year: int) -> str:
    """How the rates are defined, so the headline can be repeated accurately."""
    ethnicity = "officer-defined" if definition == OFFICER_DEFINED else "self-defined"
    officer = (
        " Officers choose from four groups with no Mixed option, so officer-defined Other is "
        "compared with Census Mixed and Other residents together."
        if definition == OFFICER_DEFINED
        else ""
    )
    return (
        f"Using {ethnicity} ethnicity, {filters_text}; rates are searches per 1,000 residents per "
        f"year (Census {population_year} residents of each ethnic group).{officer}"
    )


def residence_sentence(area_name: str, unlocated: int) -> str:
    """People searched need not live where they were searched; unlocated searches."""
    where = "London" if area_name == "London" else area_name
    text = (
        f"People searched in {where} need not live there: rates divide searches made in the area "
        "by its residents, so places with busy town centres or transport hubs look high."
    )
    if unlocated:
        text += f" {count_text(unlocated)} searches had no location; they count in London's totals but in no borough's."
    return text


def volume_sentence(frame: pd.DataFrame, *, area_name: str, period_text: str, months: int) -> str:
    """Total searches and the largest category (frame from monthly_breakdown)."""
    total = int(frame["searches"].sum())
    if total == 0:
        return f"No searches matching these filters were recorded in {area_name} in {period_text}."
    by_category = frame.groupby("category")["searches"].sum().sort_values(ascending=False)
    top, top_count = by_category.index[0], int(by_category.iloc[0])
    return (
        f"There were {count_text(total)} searches in {area_name} in {period_text}, about "
        f"{count_text(total / months)} a month; {percent_text(top_count / total)} were {top}."
    )


def outcome_sentence(outcomes: pd.DataFrame, group: str) -> str:
    """Compare the group's positive-outcome rate with the White rate (two-proportion test)."""
    positive = outcomes[outcomes["measure"] == "Positive outcome"].set_index("ethnic_group")
    if group not in positive.index or positive.loc[[group, REFERENCE_GROUP], "suppressed"].any():
        return f"There were too few searches of {group} or White people with a recorded outcome to compare."
    mine, white = positive.loc[group], positive.loc[REFERENCE_GROUP]
    test = two_proportion_test(mine["rate"], mine["base"], white["rate"], white["base"])
    if test.significant:
        word = "lower than" if mine["rate"] < white["rate"] else "higher than"
        verdict = f"significantly {word}"
    else:
        verdict = "not significantly different from"
    return (
        f"{percent_text(mine['rate'])} of searches of {group} people led to an outcome other than "
        f"no further action, {verdict} {percent_text(white['rate'])} for White people."
    )


OUTCOME_TEST = (
    "The outcome test: a lower positive-outcome rate for a group that is searched more often "
    "suggests searches of that group rest on weaker grounds."
)


def find_sentence(status: str, finds: pd.DataFrame | None = None) -> str:
    """Whether the find rate can be shown, and if so the overall rate."""
    if status == "not recorded":
        return (
            "Whether the outcome was linked to the object of the search is not recorded for this "
            "period, so no find rate is shown."
        )
    if status == "never true":
        return (
            "The find rate cannot be computed: every search in this period records the outcome as "
            "not linked to the object of the search (the Met has recorded it as always False "
            "since 2024)."
        )
    base = int(finds["base"].sum())
    linked = int(finds["count"].sum())
    return (
        f"Find rate: {percent_text(linked / base)} of the {count_text(base)} searches where it was "
        "recorded had an outcome linked to the object of the search."
    )


def children_sentence(children: pd.DataFrame, *, area_name: str, when: str = "") -> str:
    """How many searches were of under-18s, and the largest group among them; `when` names
    the months covered ('in the 6 months March to August 2024, …')."""
    total = int(children["under_18"].sum())
    where = f"{area_name} {when}".strip()
    if total < SMALL_COUNT:
        return f"There were {FEWER_THAN} searches of children (under 18) in {where} with these filters."
    known = children[children["ethnic_group"] != "Unknown"]
    top = known.sort_values("under_18", ascending=False, kind="stable").iloc[0]
    return (
        f"{count_text(total)} searches in {where} were of children (under 18); "
        f"{count_label(top['under_18'])} of them were of {top['ethnic_group']} children, the most of any group."
    )


def strip_sentence(table: pd.DataFrame | None, *, area_name: str, when: str = "") -> str:
    """Searches with removal of more than outer clothing (in the months `when` names), or
    that it wasn't recorded."""
    if table is None:
        return "Whether a search involved removal of more than outer clothing is not recorded for this period."
    total = int(table["All ages"].sum())
    children = int(table[["under 10", "10-17"]].to_numpy().sum())
    where = f"{area_name} {when}".strip()
    return (
        f"{count_label(total)} searches in {where} involved removal of more than outer "
        f"clothing; {count_label(children)} of them were of children."
    )


def with_labels(boroughs: pd.DataFrame, group: str) -> pd.DataFrame:
    """borough_disparity rows plus `label` (the ratio to one decimal, or 'fewer than 10')
    and `tooltip` text (with why a borough is not ranked) for the map and tile map."""
    frame = boroughs.copy()
    frame["label"] = [ratio_text(r) if math.isfinite(r) else FEWER_THAN for r in frame["ratio"]]
    tooltips = []
    for _, row in frame.iterrows():
        text = (
            f"{group}/White ratio {ratio_label(row['ratio'], row['ratio_low'], row['ratio_high'])}; "
            f"{count_label(row['group_searches'])} searches of {group} people, "
            f"{count_label(row['white_searches'])} of White people"
        )
        if "reliable" in frame.columns and not row["reliable"]:
            text += f". Not ranked: {row['reason']}"
        tooltips.append(text)
    frame["tooltip"] = tooltips
    return frame


def filters_text(*, legislation: str | None, search_type: str | None, age_range: str | None, gender: str | None) -> str:
    """'all powers, all search types, all ages and genders' or the chosen values."""
    parts = [
        f"searches under {legislation}" if legislation else "all powers",
        search_type.lower() + "es" if search_type else "all search types",
        f"people aged {age_range}" if age_range else "all ages",
        f"{gender.lower()} people" if gender else "all genders",
    ]
    return ", ".join(parts)


def search_headline(area_name: str, figure: SearchFigure) -> str:
    """'Stop and search in Lambeth: 2,395 searches in the 6 months March to August 2024, the
    latest this snapshot holds, 15.1 per 1,000 residents a year. Black people were searched at
    7.0 times the rate of White people (95% interval 6.2 to 8.0).'"""
    when = figure.cover.phrase()
    text = (
        f"Stop and search in {area_name}: {count_text(figure.count)} searches {when}, "
        f"{rate_text(figure.rate)} per 1,000 residents a year."
    )
    group = figure.group
    if figure.suppressed:
        return text + f" Too few searches ({FEWER_THAN} in a group) to compare {group} and White residents' rates."
    comparison = (
        f" {people(group, area_name)} were searched at {ratio_text(figure.ratio)} times the rate of "
        f"{people(REFERENCE_GROUP, area_name)} (95% interval {ratio_text(figure.ratio_low)} to "
        f"{ratio_text(figure.ratio_high)})."
    )
    if not figure.ratio_reliability.reliable:
        comparison += f" Treat this with caution: {figure.ratio_reliability.reason}."
    return text + comparison


def ratio_map_sentence(boroughs: pd.DataFrame, group: str) -> str:
    """Highest and lowest reliable group/White ratios (`borough_disparity` with its
    reliability columns), boroughs too close to tell apart named, and who was left out."""
    return extremes_sentence(
        boroughs,
        subject=f"The {group}/White ratio",
        value="ratio",
        low="ratio_low",
        high="ratio_high",
        fmt=ratio_text,
    )


def ratio_ranking(boroughs: pd.DataFrame, group: str, selected: str | None) -> DisplayTable:
    """The borough ranking as shown and downloaded (all text): rank with the range its
    interval allows among reliable boroughs, counts ('fewer than 10' under SMALL_COUNT),
    rates, and the ratio with its interval and missing-ethnicity range; unreliable
    boroughs last, a dash where there is no figure and a footnote saying why."""
    frame = boroughs.sort_values(["rank", "ratio", "name"], ascending=[True, False, True], na_position="last")
    table = pd.DataFrame(
        {
            RANK_HEADING: [
                rank_text(r, b, w)
                for r, b, w in zip(frame["rank"], frame["rank_best"], frame["rank_worst"], strict=True)
            ],
            "Borough": [
                f"▶ {n}" if c == selected else n for n, c in zip(frame["name"], frame["gss_code"], strict=True)
            ],
            "All searches": [count_label(n) for n in frame["searches"]],
            f"{group} searches": [count_label(n) for n in frame["group_searches"]],
            "White searches": [count_label(n) for n in frame["white_searches"]],
            "Unknown ethnicity": [count_label(n) for n in frame["unknown_searches"]],
            f"{group} rate per 1,000 a year": frame["group_rate"].to_numpy(),
            "White rate per 1,000 a year": frame["white_rate"].to_numpy(),
            "Rate ratio": frame["ratio"].to_numpy(),
            "95% interval from": frame["ratio_low"].to_numpy(),
            "95% interval to": frame["ratio_high"].to_numpy(),
            "If unknown were all White": frame["range_low"].to_numpy(),
            f"If unknown were all {group}": frame["range_high"].to_numpy(),
        }
    )
    numbers = [c for c in table.columns if table[c].dtype.kind == "f"]
    reasons = [
        None if ok else (f"{FEWER_THAN} searches in a group, so no rate or ratio" if s else f"not ranked, {why}")
        for ok, why, s in zip(frame["reliable"], frame["reason"], frame["suppressed"], strict=True)
    ]
    return display_table(table, dict.fromkeys(numbers, "{:.2f}"), labels=frame["name"], reasons=reasons)
