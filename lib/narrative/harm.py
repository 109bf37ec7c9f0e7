"""Plain-English sentences and tables for the Harm and justice page and its Overview card.

Offence figures are worded by `lib.narrative.counts` (the words every recorded-crime figure
uses), rankings by `lib.narrative.ranking`, tables by `lib.narrative.tables` and source lines
by `lib.narrative.sources`; this module adds what is particular to the topic: positive
outcomes, victims, and the Met's own warning about domestic abuse and hate crime.
"""

from __future__ import annotations

import math

import pandas as pd

from lib.formatting import count_text, rate_text
from lib.metrics import harm as hm
from lib.metrics.breaks import Comparability
from lib.metrics.coverage import Coverage, missing_comparison
from lib.metrics.disparity import SMALL_COUNT
from lib.metrics.reliability import MIN_COUNT
from lib.narrative.common import count_change_phrase
from lib.narrative.counts import RATE_UNIT, count_headline
from lib.narrative.ranking import extremes_sentence, rank_text
from lib.narrative.tables import DASH, DisplayTable, display_table
from lib.vocab import HARM_NOT_COMPARABLE_ACROSS_CONNECT

OUTCOME_MEANING = (
    "A positive outcome is what the Met counts when an offence ends with a charge or summons, a caution "
    "(adult or youth), an offence taken into consideration by a court, a penalty notice for disorder, a "
    "cannabis or khat warning, or a community resolution. Offences closed with no suspect identified, "
    "with evidential difficulties, or because the victim did not support action are not positive outcomes."
)
OUTCOME_TIMING = (
    "Outcomes are counted in the month they are recorded, and most belong to offences from earlier months. "
    "The rate is therefore outcomes recorded ÷ offences recorded in the same months: a rate of outcomes "
    "recorded, not the share of this period's offences that were solved (in a small area it can even pass 100%)."
)
OUTCOME_RELIABILITY = (
    f"An outcome rate is ranked and named only when it rests on at least {MIN_COUNT} offences and {MIN_COUNT} "
    "positive outcomes and its 95% interval is no wider than the rate itself; other boroughs are shown in grey."
)
LONDON_NOTE = (
    "London here means the 32 boroughs the Met polices: the City of London is policed by the City of London "
    "Police, so the Met's figures have nothing for it."
)


def noun(topic: hm.Topic) -> str:
    """'knife crime', 'knife injury victims (1-24)'."""
    return topic.label.lower()


def percent(rate: float, digits: int = 1) -> str:
    return DASH if rate is None or not math.isfinite(rate) else f"{rate * 100:.{digits}f}%"


def headline(topic: hm.Topic, area_name: str, figures: hm.HarmFigures) -> str:
    """'Knife crime in Lambeth: 72 offences in the 3 months to May 2024, 22.3 per 1,000
    residents a year, …' (the words of every recorded-crime figure); for victims, a count
    and its change only: victims of one age band per resident of every age would mislead."""
    if topic.counts_people:
        return victims_sentence(topic.subject, area_name, figures.offences)
    return count_headline(topic.subject, area_name, figures.offences, noun=topic.unit)


def victims_sentence(subject: str, area_name: str, figure) -> str:
    """'Knife injury victims (1-24) in Lambeth: 12 in the 3 months to May 2024, no
    significant change on the same months a year earlier (March to May 2023) (−20%).'"""
    start = f"{subject} in {area_name}: "
    when = figure.cover.phrase()
    if figure.count is None:
        return start + f"no figure ({figure.reliability.reason})."
    if figure.small:
        return start + f"fewer than {SMALL_COUNT} {when}, too few for a reliable change."
    text = start + f"{count_text(figure.count)} {when}"
    if figure.change is None:
        return text + f"; no change is given, as {missing_comparison(figure.cover)}."
    return text + f", {count_change_phrase(figure.change, noun=figure.compared.noun())}."


def connect_note(topic: hm.Topic, check: Comparability | None) -> str | None:
    """The Met's own warning, when a change spans its move to CONNECT for the offence groups
    it names."""
    if check is None or not check.breaks or topic.group not in HARM_NOT_COMPARABLE_ACROSS_CONNECT:
        return None
    return (
        f"The Met itself says its {topic.group.lower()} figures recorded on CONNECT are not comparable with "
        "those recorded before, because the new system records them differently."
    )


def outcome_sentence(topic: hm.Topic, area_name: str, rate: hm.OutcomeRate | None, cover: Coverage) -> str:
    """'In Lambeth, 9 positive outcomes were recorded in the 3 months to May 2024, against 72
    knife crime offences recorded in the same months: 12.5% (95% interval 6.7% to 22.1%).'"""
    if not topic.has_outcomes:
        return f"The Met publishes no positive outcomes for {noun(topic)}: it counts {topic.unit}, not offences."
    if rate is None:
        return f"There is no positive outcome rate for {area_name}."
    when = cover.phrase()
    if rate.offences < SMALL_COUNT:
        return (
            f"In {area_name}, fewer than {SMALL_COUNT} {noun(topic)} offences were recorded {when}: "
            "too few for a positive outcome rate."
        )
    outcomes = "1 positive outcome was" if rate.outcomes == 1 else f"{count_text(rate.outcomes)} positive outcomes were"
    text = (
        f"In {area_name}, {outcomes} recorded {when}, against {count_text(rate.offences)} "
        f"{noun(topic)} offences recorded in the same months"
    )
    if rate.exceeds:
        return text + ": more outcomes than offences, because most outcomes belong to offences from earlier months."
    text += f": {percent(rate.rate)} (95% interval {percent(rate.low)} to {percent(rate.high)})."
    if not rate.reliable:
        text += f" Not compared with other boroughs: {rate.reliability.reason}."
    return text


def _boroughs(n: int) -> str:
    return {0: "no borough", 1: "1 borough"}.get(n, f"{n} boroughs")


def borough_map_sentence(table: pd.DataFrame, measure: str, topic: hm.Topic, compared) -> str:
    """Highest and lowest boroughs among those whose figure is reliable (the others named,
    with why), and how many changed significantly."""
    column = "rate" if measure == hm.RATE else "count"
    subject = f"{topic.subject} {RATE_UNIT}" if measure == hm.RATE else f"The number of {noun(topic)} {topic.unit}"
    text = extremes_sentence(
        table,
        subject=subject[0].upper() + subject[1:],
        value=column,
        low=f"{column}_low",
        high=f"{column}_high",
        fmt=rate_text if measure == hm.RATE else count_text,
        reliable=f"{column}_reliable",
        reason=f"{column}_reason",
    )
    shown = table[table["reported"] & ~table["small"]]
    if compared is not None and shown["direction"].notna().any():
        down = int((shown["direction"] == "down").sum())
        up = int((shown["direction"] == "up").sum())
        text += (
            f" Compared with {compared.noun()}, {_boroughs(down)} saw a significant fall"
            f" and {_boroughs(up)} a significant rise."
        )
    return text


def borough_tooltip(row: pd.Series, topic: hm.Topic, compared) -> str:
    """Hover text for one borough of `harm.borough_table`."""
    if not row["reported"]:
        return f"No figure: {row['count_reason']}"
    if row["small"]:
        return f"Fewer than {SMALL_COUNT} {topic.unit}: figures withheld"
    parts = [f"{count_text(row['count'])} {topic.unit}", f"{rate_text(row['rate'])} {RATE_UNIT}"]
    change = _change(row["direction"], row["change_pct"])
    if compared is not None and change:
        parts.append(f"Change on {compared.short_noun()}: {change}")
    if topic.has_outcomes and math.isfinite(row["outcome_rate"]):
        parts.append(f"Positive outcome rate {percent(row['outcome_rate'])}")
    if not row["rate_reliable"]:
        parts.append(f"Not ranked: {row['rate_reason']}")
    return "\n".join(parts)


def outcome_ranking_sentence(table: pd.DataFrame, london: hm.OutcomeRate | None) -> str:
    """London's rate, then the highest and lowest boroughs among reliable rates."""
    text = extremes_sentence(
        table,
        subject="The positive outcome rate",
        value="outcome_rate",
        low="outcome_low",
        high="outcome_high",
        fmt=percent,
        reliable="outcome_reliable",
        reason="outcome_reason",
    )
    if london is None or not math.isfinite(london.rate):
        return text
    return f"London's rate was {percent(london.rate)}. {text}"


def trend_sentence(area_name: str, trend: pd.DataFrame, measure: str, topic: hm.Topic) -> str:
    """How the 12-month average moved over the last year of the series."""
    rolling = trend.dropna(subset=["rolling"])
    if len(rolling) < 13:
        return f"The snapshot holds too few months for a 12-month average in {area_name} to compare a year apart."
    last, year_before = rolling.iloc[-1], rolling.iloc[-13]
    fmt = rate_text if measure == hm.RATE else count_text
    unit = f" {RATE_UNIT}" if measure == hm.RATE else f" {topic.unit} a month"
    return (
        f"{area_name}: the 12-month average was {fmt(last['rolling'])}{unit} in {last['month']:%B %Y}, "
        f"against {fmt(year_before['rolling'])} in {year_before['month']:%B %Y}."
    )


def outcome_trend_sentence(area_name: str, trend: pd.DataFrame) -> str:
    """The 12-month positive outcome rate now and a year before."""
    rolling = trend.dropna(subset=["rolling"])
    if rolling.empty:
        return f"The snapshot holds fewer than 12 months of outcomes for {area_name}."
    last = rolling.iloc[-1]
    text = (
        f"{area_name}: {percent(last['rolling'])} in the 12 months to {last['month']:%B %Y} "
        f"(95% interval {percent(last['rolling_low'])} to {percent(last['rolling_high'])})"
    )
    if len(rolling) < 13:
        return text + "."
    before = rolling.iloc[-13]
    return text + f", against {percent(before['rolling'])} in the 12 months to {before['month']:%B %Y}."


def _rank(rank: float, best: float, worst: float) -> str | None:
    """'12 (12–20)': the rank and the places its 95% interval allows (`rank_text`'s figure,
    short enough for a table column); '1' when only one place is possible."""
    text = rank_text(rank, best, worst)
    if text is None or best == worst:
        return text
    return f"{int(rank)} ({int(best)}–{int(worst)})"


def _change(direction: str | None, pct: float) -> str | None:
    if direction is None or not math.isfinite(pct):
        return None
    word = {"up": "significant rise", "down": "significant fall"}.get(direction, "not significant")
    return f"{'+' if pct >= 0 else '−'}{abs(pct):.0f}% ({word})"


def ranking_table(table: pd.DataFrame, measure: str, topic: hm.Topic, compared) -> DisplayTable:
    """The ranking as shown and downloaded: every borough, text only, a dash (explained in the
    footnote) where there is no figure; figures under 10 are withheld."""
    rank_column = "rank_rate" if measure == hm.RATE else "rank_count"
    rows = table.sort_values([rank_column, "count", "name"], ascending=[True, False, True], na_position="last")
    shown = rows["reported"] & ~rows["small"]
    unit = topic.unit.capitalize()
    frame = pd.DataFrame(
        {
            "Rank (possible range)": [
                _rank(*ranks) for ranks in rows[[rank_column, f"{rank_column}_best", f"{rank_column}_worst"]].values
            ],
            "Borough": rows["name"],
            unit: [
                count_text(c) if s else (f"fewer than {SMALL_COUNT}" if r else None)
                for c, s, r in zip(rows["count"], shown, rows["reported"], strict=True)
            ],
            "Per 1,000 a year": rows["rate"].where(shown),
            "Change on a year earlier": [
                _change(d, p) if s else None
                for d, p, s in zip(rows["direction"], rows["change_pct"], shown, strict=True)
            ],
        }
    )
    if topic.has_outcomes:
        frame["Positive outcomes"] = rows["outcomes"].where(rows["reported"])
        frame["Outcome rate (95% interval)"] = [
            f"{percent(v)} ({percent(lo)[:-1]}–{percent(hi)})" if s and math.isfinite(lo) else None
            for v, lo, hi, s in zip(rows["outcome_rate"], rows["outcome_low"], rows["outcome_high"], shown, strict=True)
        ]
    reasons = [
        None if reported else reason for reported, reason in zip(rows["reported"], rows["count_reason"], strict=True)
    ]
    reasons = [
        reason or (f"fewer than {SMALL_COUNT} {topic.unit}: withheld" if not s else None)
        for reason, s in zip(reasons, shown, strict=True)
    ]
    return display_table(
        frame.reset_index(drop=True),
        {"Per 1,000 a year": "{:,.1f}", "Positive outcomes": lambda v: count_text(v)},
        label_column="Borough",
        reasons=reasons,
    )


def ranking_csv(table: pd.DataFrame, topic: hm.Topic) -> pd.DataFrame:
    """The same figures as numbers for the CSV download (blank where withheld or not
    reported): every borough."""
    shown = table["reported"] & ~table["small"]
    frame = pd.DataFrame(
        {
            "gss_code": table["gss_code"],
            "borough": table["name"],
            topic.unit: table["count"].where(shown).astype("Int64"),
            "rate_per_1000_residents_a_year": table["rate"].where(shown).round(2),
            "rate_low": table["rate_low"].where(shown).round(2),
            "rate_high": table["rate_high"].where(shown).round(2),
            "comparison_count": table["previous"].where(shown).astype("Int64"),
            "change_percent": table["change_pct"].where(shown).round(1),
            "p_value_exact_poisson": table["p_value"].where(shown).round(4),
            "change": table["direction"].where(shown),
            "rank_by_rate": table["rank_rate"].astype("Int64"),
        }
    )
    if topic.has_outcomes:
        frame["positive_outcomes"] = table["outcomes"].where(table["reported"]).astype("Int64")
        frame["outcome_rate_percent"] = (table["outcome_rate"].where(shown) * 100).round(1)
        frame["outcome_low_percent"] = (table["outcome_low"].where(shown) * 100).round(1)
        frame["outcome_high_percent"] = (table["outcome_high"].where(shown) * 100).round(1)
        frame["outcome_rate_reliable"] = table["outcome_reliable"]
    frame["note"] = [None if r else reason for r, reason in zip(table["reported"], table["count_reason"], strict=True)]
    return frame


def file_stem(topic: hm.Topic, cover: Coverage) -> str:
    first, last = (cover.first, cover.last) if not cover.empty else (cover.chosen.start, cover.chosen.end)
    return f"harm-{topic.key}-{first:%Y-%m}-to-{last:%Y-%m}"


NO_DASHBOARD_DATA = (
    "This snapshot holds none of the Met's Monthly Crime Dashboard data: build one with its TNO, Knife and "
    "Other crime files (python -m lib.pipeline download fetches them)."
)
VICTIMS_NOTE = (
    "People aged 1 to 24 injured by a knife or sharp instrument (the Met's 'Knife Injury Victims (1-24)'), "
    "counted where the offence happened. No rate is given: the snapshot holds residents of all ages, not "
    "of these ages."
)
