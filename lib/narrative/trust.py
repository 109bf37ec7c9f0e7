"""Sentences for the trust and confidence page (Public Attitude Survey)."""

from __future__ import annotations

from datetime import date

from lib.metrics.proportions import ProportionChange
from lib.metrics.ranking import RankRange
from lib.metrics.survey import AreaFigure, GapChange, year_before
from lib.narrative.common import percent_text, proportion_change_phrase
from lib.vocab import SURVEY_MEASURES

# What "agree" means for each measure, as the end of "67% of Londoners …".
AGREE_PHRASES = {
    "trust": "trust the Met",
    "good_job": "think the police do a good job in their area",
    "fair": "agree the police treat everyone fairly",
    "listen": "agree the police listen to local concerns",
    "relied_on": "agree the police can be relied on to be there when needed",
    "understand": "agree the police understand local issues",
    "informed": "feel well informed about local policing",
    "contact_officer": "know how to contact their ward officer",
}
GROUP_NOUNS = {"Female": "Women", "Male": "Men"}


def rolling_year(period_end: date) -> str:
    """'the 12 months to September 2025'."""
    return f"the 12 months to {period_end.strftime('%B %Y')}"


def latest_rolling_year(period_end: date, month: date) -> str:
    """The survey's months named as the coverage policy asks: 'the 12 months to December
    2023, the latest this snapshot holds' when a later quarter end on or before the end of
    `month` (the chosen period's last) exists in the calendar but not in the snapshot."""
    quarter = ((month.month - 1) // 3) * 3  # months before the quarter holding `month`
    last_quarter_end = date(month.year, quarter, 1) if quarter else date(month.year - 1, 12, 1)
    if month.month % 3 == 0:  # `month` itself ends a quarter
        last_quarter_end = date(month.year, month.month, 1)
    stale = (period_end.year, period_end.month) < (last_quarter_end.year, last_quarter_end.month)
    return rolling_year(period_end) + (", the latest this snapshot holds" if stale else "")


def agree_phrase(measure: str) -> str:
    return AGREE_PHRASES.get(measure, f"agree: {SURVEY_MEASURES.get(measure, {}).get('label', measure)}")


def points_text(points: float) -> str:
    """13.0 -> '13 points'; 1 -> '1 point'."""
    rounded = abs(round(points))
    return f"{rounded:.0f} point" + ("" if rounded == 1 else "s")


def signed_points(points: float) -> str:
    """-3 -> '−3'; 4 -> '+4'."""
    return f"{points:+.0f}".replace("-", "−")


def interval_text(low: float, high: float, approximate: bool) -> str:
    """'95% interval 66% to 68%' with ', approximate' when the design base was used."""
    return f"95% interval {percent_text(low)} to {percent_text(high)}" + (", approximate" if approximate else "")


def headline_sentence(measure: str, area: str, figure: AreaFigure, *, month: date | None = None) -> str:
    """'In the 12 months to September 2025, 67% of people in London trust the Met (95%
    interval 66% to 68%): no significant change on a year earlier (−1 points).' With `month`
    (the chosen period's last), a figure older than that month's quarter says it is the
    latest the snapshot holds."""
    who = "Londoners" if area == "London" else f"people in {area}"
    when = rolling_year(figure.period_end) if month is None else latest_rolling_year(figure.period_end, month)
    if figure.reason:
        return f"In {when}, the {area} figure is not shown: {figure.reason}."
    text = (
        f"In {when}, {percent_text(figure.proportion)} of {who} {agree_phrase(measure)} "
        f"({interval_text(figure.low, figure.high, figure.approximate)})"
    )
    if figure.change is None:
        return f"{text}; there is no figure for a year earlier to compare with."
    return f"{text}: {proportion_change_phrase(figure.change, noun=rolling_year(year_before(figure.period_end)))}."


def versus_london_phrase(verdict: str | None, area: str) -> str:
    """How a borough's value compares with London's, by the difference's 95% interval."""
    if verdict == "above":
        return f"{area} is above the London figure by more than the margin of error."
    if verdict == "below":
        return f"{area} is below the London figure by more than the margin of error."
    if verdict == "similar":
        return f"{area} is within the margin of error of the London figure."
    return ""


def trend_sentence(measure: str, area: str, first: date, last: date, change: ProportionChange | None) -> str:
    """The longer-run movement over the quarter ends shown (first to latest)."""
    label = SURVEY_MEASURES[measure]["label"]
    if change is None:
        return (
            f"{label}, {area}: the chart shows each rolling year to {last.strftime('%B %Y')}; the series "
            "is too short to test a change over more than a year."
        )
    return (
        f"{label}, {area}: {percent_text(change.previous)} in {rolling_year(first)} and "
        f"{percent_text(change.current)} in {rolling_year(last)}, "
        f"{proportion_change_phrase(change, noun=rolling_year(first))}."
    )


def ranking_sentence(area: str | None, place: RankRange | None, counts: dict[str, int]) -> str:
    """Where the selected borough ranks, with the places its 95% interval allows, and how
    many boroughs differ from London."""
    above, below = counts.get("above", 0), counts.get("below", 0)
    overall = (
        f"{above} borough{'s are' if above != 1 else ' is'} above London and {below} below it by more "
        "than the margin of error; the rest are within it."
    )
    if area is None or place is None:
        return overall
    where = f"{area} ranks {_ordinal(place.rank)} of {place.of} surveyed boroughs"
    if not place.certain:
        where += f" (its 95% interval allows any place from {_ordinal(place.best)} to {_ordinal(place.worst)})"
    return f"{where}. {overall}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def change_map_sentence(measure: str, period_end: date, counts: dict[str, int]) -> str:
    """'Compared with the 12 months to September 2024, 3 boroughs rose significantly, 5
    fell significantly and 24 showed no significant change.'"""
    up, down, same = counts["up"], counts["down"], counts["no significant change"]
    text = (
        f"{SURVEY_MEASURES[measure]['label']}: compared with {rolling_year(year_before(period_end))}, "
        f"{_boroughs(up)} rose significantly, {_boroughs(down)} fell significantly and "
        f"{_boroughs(same)} showed no significant change."
    )
    if counts.get("no comparison"):
        text += f" {_boroughs(counts['no comparison'])} had no figure a year earlier."
    return text


def _boroughs(n: int) -> str:
    return "no boroughs" if n == 0 else f"{n} borough{'s' if n != 1 else ''}"


def _a(n: int) -> str:
    """The article before a number said aloud: 'an' 8, 11, 18, 80–89; 'a' otherwise."""
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def group_noun(group_type: str, group: str) -> str:
    """'Black Londoners', 'Londoners aged 16-24', 'Women'."""
    if group_type == "ethnicity":
        return f"{group} Londoners"
    if group_type == "age":
        return f"Londoners aged {group}"
    return GROUP_NOUNS.get(group, f"{group} Londoners")


def gap_sentence(
    group_type: str,
    group_a: str,
    group_b: str,
    p_a: float,
    p_b: float,
    change: GapChange | None,
    gap_low: float,
    gap_high: float,
) -> str:
    """'Black Londoners: 58%, White Londoners: 71%; a 13-point gap (95% interval 10 to 16
    points), wider than a year ago (8 points then).' Gaps and intervals in proportions."""
    noun_a, noun_b = group_noun(group_type, group_a), group_noun(group_type, group_b)
    gap = (p_a - p_b) * 100
    second = noun_b.lower() if group_type == "gender" else noun_b
    values = f"{noun_a}: {percent_text(p_a)}, {second}: {percent_text(p_b)}"
    size = "no gap" if round(gap) == 0 else f"{_a(abs(round(gap)))} {abs(round(gap)):.0f}-point gap"
    # State the interval for the gap's size (higher minus lower group), so it reads as 7 to 13.
    low, high = (gap_low * 100, gap_high * 100) if gap >= 0 else (-gap_high * 100, -gap_low * 100)
    interval = f"95% interval {signed_points(low)} to {signed_points(high)} points"
    if low > 0:
        interval = f"95% interval {low:.0f} to {high:.0f} points"
    significance = "" if low > 0 or high < 0 else ", within the margin of error"
    text = f"{values}; {size} ({interval}){significance}"
    if change is None:
        return f"{text}. There is no gap a year earlier to compare with."
    then = points_text(change.then.difference * 100)
    if change.verdict == "about the same":
        return f"{text}, about the same as a year ago ({then} then)."
    if change.verdict == "reversed":
        earlier = signed_points(change.then.difference * 100)
        return f"{text}; the gap has reversed since a year ago ({earlier} points then)."
    return f"{text}, {change.verdict} than a year ago ({then} then)."


def question_text(measure: str) -> str:
    """The survey question behind a measure and how "agree" is counted."""
    info = SURVEY_MEASURES[measure]
    return (
        f"**Survey question:** {info['question']} **Counted as agreeing:** {info['agree']}. "
        f"MOPAC's name for it: {info['published']}."
    )


def source_text(period_end: date, *, unit: str, approximate: bool) -> str:
    """The caption under each chart: source, period, unit, denominator, uncertainty."""
    base = (
        "intervals use the survey's design (about 400 respondents per borough and 12,800 London-wide a "
        "year) because respondent numbers are not published, so they are approximate."
        if approximate
        else "intervals use the published number of respondents."
    )
    return (
        f"Source: MOPAC Public Attitude Survey, rolling 12-month figures at quarter ends, latest "
        f"{rolling_year(period_end)}. {unit} Denominator: survey respondents aged 16+ who answered. "
        f"95% Wilson intervals; {base} Published proportions are rounded to whole percentages "
        "(2 decimal places), so figures and gaps can be off by up to half a point."
    )


COVERAGE_TEXT = (
    "About the survey: MOPAC interviews about 12,800 Londoners a year (about 400 per borough); the City "
    "of London is not surveyed. Every figure covers the 12 months to a quarter end, so consecutive "
    "quarters share three-quarters of their respondents and move smoothly. A change is called up or "
    "down only when a two-proportion test says so at the 5% level, comparing with the non-overlapping "
    "12 months a year earlier. Values from fewer than 50 respondents are not shown, as their margin of "
    "error can be as wide as ±13 points. Intervals assume simple random sampling; the survey's weighting makes "
    "the true margins somewhat wider."
)
