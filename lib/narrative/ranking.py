"""Sentences for a place among boroughs quoted with its uncertainty."""

from __future__ import annotations

from lib.metrics.ranking import RankRange


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
