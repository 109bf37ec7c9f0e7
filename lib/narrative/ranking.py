"""Ranking sentences: highest, lowest and places among boroughs, quoted with their
uncertainty and respecting the reliability rule (`lib.metrics.reliability`): only reliable
areas are named, areas whose 95% intervals overlap the leader's are said to be too close to
tell apart, the areas left out are named with the reason, and a place is given with the range
of places its interval allows."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from lib.metrics.ranking import RankRange
from lib.metrics.reliability import top_group

MAX_NAMED = 3


def _names(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _group_phrase(group: pd.DataFrame, *, value: str, name: str, fmt: Callable[[float], str], area_word: str) -> str:
    """'Westminster (51.0)' or 'Westminster (51.0), with Camden (33.0) and Islington (30.4)
    too close to tell apart' (at most MAX_NAMED named, then 'and 4 other boroughs')."""
    labels = [f"{row[name]} ({fmt(row[value])})" for _, row in group.iterrows()]
    leader, others = labels[0], labels[1:]
    if not others:
        return leader
    shown = others[: MAX_NAMED - 1]
    rest = len(others) - len(shown)
    if rest:
        shown.append(f"{rest} other {area_word}{'s' if rest > 1 else ''}")
    return f"{leader}, with {_names(shown)} too close to tell apart"


def extremes_sentence(
    table: pd.DataFrame,
    *,
    subject: str,
    value: str,
    low: str,
    high: str,
    fmt: Callable[[float], str],
    name: str = "name",
    reliable: str = "reliable",
    reason: str = "reason",
    area_word: str = "borough",
) -> str:
    """'{subject} was highest in A (v) and lowest in B (v).' over reliable rows only, with the
    overlapping ones named as too close to tell apart, then who was left out and why."""
    top = top_group(table, value=value, low=low, high=high, reliable=reliable, highest=True)
    if top.empty:
        text = f"No {area_word}'s figure is reliable enough to name the highest or lowest."
    else:
        bottom = top_group(table, value=value, low=low, high=high, reliable=reliable, highest=False)
        highest = _group_phrase(top, value=value, name=name, fmt=fmt, area_word=area_word)
        lowest = _group_phrase(bottom, value=value, name=name, fmt=fmt, area_word=area_word)
        text = f"{subject} was highest in {highest}; lowest in {lowest}."
    left = left_out_sentence(table, name=name, reliable=reliable, reason=reason)
    return f"{text} {left}" if left else text


def left_out_sentence(
    table: pd.DataFrame, *, name: str = "name", reliable: str = "reliable", reason: str = "reason"
) -> str | None:
    """'Left out: City of London (fewer than 20 offences).' Rows sharing a reason are listed
    together. None when every row is reliable."""
    out = table[~table[reliable].astype(bool)]
    if out.empty:
        return None
    by_reason: dict[str, list[str]] = {}
    for area, why in zip(out[name], out[reason], strict=True):
        by_reason.setdefault(why if isinstance(why, str) else "not reliable", []).append(str(area))
    parts = [f"{_names(names)} ({why})" for why, names in by_reason.items()]
    return "Left out: " + "; ".join(parts) + "."


RANK_HEADING = "Rank (places its 95% interval allows)"


def rank_text(rank: float, best: float, worst: float) -> str | None:
    """'4 (2–7)', '1' when the interval allows no other place, None when unranked (shown as
    a dash, with the reason in the table's footnote). Tables head the column RANK_HEADING."""
    if rank is None or not math.isfinite(rank):
        return None
    if best == worst == rank:
        return f"{int(rank)}"
    return f"{int(rank)} ({int(best)}–{int(worst)})"


def ordinal(n: int) -> str:
    """1 -> '1st', 12 -> '12th', 23 -> '23rd'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_sentence(area: str, place: RankRange | None, *, what: str, among: str = "boroughs") -> str:
    """'Lambeth has the 5th highest rate of violence of 33 boroughs; allowing for the
    uncertainty in each borough's figure, its place could be anywhere from 3rd to 8th.'"""
    if place is None:
        return f"{area} has no figure to rank among {among}."
    position = "the highest" if place.rank == 1 else f"the {ordinal(place.rank)} highest"
    text = f"{area} has {position} {what} of {place.of} {among}"
    if place.certain:
        return text + "; the 95% intervals leave no doubt about that place."
    return (
        f"{text}; allowing for the uncertainty in each figure (95% intervals), its place could be anywhere "
        f"from {ordinal(place.best)} to {ordinal(place.worst)}."
    )
