"""Sentences for recorded-crime figures (`lib.metrics.counts.CountFigure`), the same on
every page, CSV header and export: the months covered, the comparison rule, the
reliability rule and any break in the series."""

from __future__ import annotations

from lib.metrics.counts import CountFigure
from lib.metrics.coverage import missing_comparison
from lib.metrics.disparity import SMALL_COUNT
from lib.narrative.common import count_change_phrase, count_text, rate_text

RATE_UNIT = "per 1,000 residents a year"


def offences(n: int, noun: str = "offences") -> str:
    """'1 offence', '2,110 offences'."""
    return f"1 {noun[:-1]}" if n == 1 and noun.endswith("s") else f"{count_text(n)} {noun}"


def count_headline(subject: str, area_name: str, figure: CountFigure, *, noun: str = "offences") -> str:
    """'Violence against the person in Lambeth: 2,110 offences in the 3 months to February
    2025, 26.6 per 1,000 residents a year, down 8% on the same months a year earlier
    (December 2023 to February 2024) (a significant fall).'"""
    start = f"{subject[0].upper()}{subject[1:]} in {area_name}: "
    when = figure.cover.phrase()
    if figure.count is None:
        return start + f"no figure ({figure.reliability.reason})."
    if figure.small:
        return start + f"fewer than {SMALL_COUNT} {noun} {when}, too few for a rate or a change."
    text = start + f"{offences(figure.count, noun)} {when}, {rate_text(figure.rate)} {RATE_UNIT}"
    if figure.change is None:
        text += f"; no change is given, as {missing_comparison(figure.cover)}."
    else:
        text += f", {count_change_phrase(figure.change, noun=figure.compared.noun())}."
    if not figure.reliability.reliable:
        text += f" Treat this with caution: {figure.reliability.reason}."
    if figure.left_out:
        names = " and ".join(figure.left_out)
        verb = "has" if len(figure.left_out) == 1 else "have"
        text += f" London's figure leaves out {names}, which {verb} no figure in this data."
    return text
