"""Plain-English sentences and tables for the Harm and justice page (and its Overview card)."""

from __future__ import annotations

import math

import pandas as pd

from lib.boroughs import BY_CODE
from lib.filters import Period
from lib.metrics import harm as hm
from lib.metrics import violence as vm
from lib.metrics.disparity import SMALL_COUNT
from lib.months import label as month_label
from lib.narrative.common import count_change_phrase, count_text, rate_text
from lib.vocab import CITY_OF_LONDON

RATE_UNIT = "per 1,000 residents per year"
DASH = "–"

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
    f"An outcome rate is ranked and named only when it rests on at least {hm.OUTCOME_MIN_OFFENCES} offences and "
    f"its 95% interval is no wider than {hm.OUTCOME_MAX_WIDTH * 100:.0f} percentage points; other boroughs are "
    "shown in grey."
)
CITY_NOTE = (
    "The City of London is policed by the City of London Police, so the Met's figures have nothing for it "
    f"({DASH} in tables); London here means the 32 boroughs the Met polices."
)
SMALL_NOTE = f"Figures under {SMALL_COUNT} are withheld ({DASH}): too few for a reliable rate or change."


def noun(topic: hm.Topic) -> str:
    """'knife crime', 'knife injury victims (1-24)'."""
    return topic.label.lower()


def _units(n: int, topic: hm.Topic) -> str:
    unit = topic.unit
    return f"1 {unit[:-1]}" if n == 1 else f"{count_text(n)} {unit}"


def percent(rate: float, digits: int = 1) -> str:
    return DASH if rate is None or not math.isfinite(rate) else f"{rate * 100:.{digits}f}%"


def headline(topic: hm.Topic, area_name: str, figures: hm.HarmFigures, period: Period) -> str:
    """'Knife crime in Lambeth: 412 offences in the 12 months to March 2025, 1.3 per 1,000
    residents per year, down 6% on the year before (a significant fall).'"""
    offences = figures.offences
    start = f"{topic.label} in {area_name}: "
    if offences.small:
        return start + (
            f"fewer than {SMALL_COUNT} {topic.unit} in {period.describe()}, too few for a reliable rate or change."
        )
    text = start + f"{_units(offences.count, topic)} in {period.describe()}"
    if not topic.counts_people:  # victims of one age band per resident of every age would mislead
        text += f", {rate_text(offences.rate)} {RATE_UNIT}"
    if offences.change is None:
        return text + " (the snapshot does not reach back far enough to compare with an earlier period)."
    return text + f", {count_change_phrase(offences.change, noun=vm.comparison_noun(period))}."


def not_policed(area_name: str) -> str:
    return f"{area_name} is policed by the City of London Police, so the Met's figures do not cover it."


def break_warning(topic: hm.Topic, period: Period) -> str | None:
    """A warning when the change compares months on both sides of a recording break."""
    found = hm.recording_break(topic.group)
    if found is None or not hm.straddles_break(topic.group, period):
        return None
    first, what = found
    return (
        f"The Met says its {topic.group.lower()} figures from {month_label(first)} on are not comparable with "
        f"earlier ones ({what}). This change compares months on both sides, so it may reflect the new way of "
        "recording rather than a change in offending."
    )


def outcome_sentence(topic: hm.Topic, area_name: str, rate: hm.OutcomeRate | None, period: Period) -> str:
    """'In Lambeth, 52 positive outcomes were recorded in the 12 months to March 2025, against
    412 knife crime offences recorded in the same months: 12.6% (95% interval 9.8% to 16.1%).'"""
    if rate is None:
        return f"The Met publishes no positive outcomes for {noun(topic)}: it counts {topic.unit}, not offences."
    if rate.offences < SMALL_COUNT:
        return (
            f"In {area_name}, fewer than {SMALL_COUNT} {noun(topic)} offences were recorded in {period.describe()}: "
            "too few for a positive outcome rate."
        )
    outcomes = "1 positive outcome was" if rate.outcomes == 1 else f"{count_text(rate.outcomes)} positive outcomes were"
    text = (
        f"In {area_name}, {outcomes} recorded in {period.describe()}, against {count_text(rate.offences)} "
        f"{noun(topic)} offences recorded in the same months"
    )
    if rate.exceeds:
        return text + ": more outcomes than offences, because most outcomes belong to offences from earlier months."
    text += f": {percent(rate.rate)} (95% interval {percent(rate.low)} to {percent(rate.high)})."
    if not rate.reliable:
        text += " Too few offences, or too wide an interval, to compare with other boroughs."
    return text


def victims_sentence(area_name: str, figures: vm.AreaFigures, period: Period) -> str:
    """The knife injury victims aged 1-24 headline."""
    start = f"Victims aged 1 to 24 injured by a knife in {area_name}: "
    if figures.small:
        return start + f"fewer than {SMALL_COUNT} in {period.describe()}, too few for a reliable change."
    text = start + f"{count_text(figures.count)} in {period.describe()}"
    if figures.change is None:
        return text + "."
    return text + f", {count_change_phrase(figures.change, noun=vm.comparison_noun(period))}."


def _boroughs(n: int) -> str:
    return "1 borough" if n == 1 else f"{n} boroughs"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"


def borough_map_sentence(table: pd.DataFrame, measure: str, topic: hm.Topic, period: Period) -> str:
    """Highest and lowest boroughs (among those not withheld), and how many changed significantly."""
    shown = table[~table["small"]]
    if shown.empty:
        return f"Every borough recorded fewer than {SMALL_COUNT} {topic.unit} of {noun(topic)} in {period.describe()}."
    column = "rate" if measure == hm.RATE else "count"
    fmt = rate_text if measure == hm.RATE else count_text
    ranked = shown.sort_values([column, "name"], ascending=[False, True])
    named = [f"{r['name']} ({fmt(r[column])})" for _, r in ranked.iterrows()]
    if measure == hm.RATE:
        text = f"The highest rates of {noun(topic)} {RATE_UNIT} were in {_listed(named[:3])}"
    else:
        text = f"The most {noun(topic)} {topic.unit} were in {_listed(named[:3])}"
    text += f"; the lowest in {named[-1]}." if len(named) > 3 else "."
    left_out = len(table) - len(shown)
    if left_out:
        text += f" {_boroughs(left_out)} with fewer than {SMALL_COUNT} are not ranked."
    if shown["direction"].notna().any():
        down = int((shown["direction"] == "down").sum())
        up = int((shown["direction"] == "up").sum())
        text += (
            f" Compared with {vm.comparison_noun(period)}, {_boroughs(down)} saw a significant fall"
            f" and {_boroughs(up)} a significant rise."
        )
    return text


def outcome_ranking_sentence(table: pd.DataFrame, topic: hm.Topic, london: hm.OutcomeRate) -> str:
    """Highest and lowest positive outcome rates among boroughs whose rate is reliable."""
    reliable = table[table["outcome_reliable"]].sort_values(["outcome_rate", "name"], ascending=[False, True])
    left_out = len(table) - len(reliable)
    if len(reliable) < 2:
        return (
            f"Too few boroughs have enough {noun(topic)} offences for a reliable positive outcome rate to compare "
            f"({len(reliable)} of {len(table)})."
        )
    named = [f"{r['name']} ({percent(r['outcome_rate'])})" for _, r in reliable.iterrows()]
    text = f"London's rate was {percent(london.rate)}. Of the {len(reliable)} boroughs with a reliable rate, "
    if len(named) <= 4:
        text += f"from highest to lowest: {_listed(named)}."
    else:
        text += f"the highest were {_listed(named[:3])}; the lowest {named[-1]}."
    if left_out:
        text += f" {_boroughs(left_out)} left out: too few offences for a reliable rate."
    return text


def trend_sentence(area_name: str, trend: pd.DataFrame, measure: str, topic: hm.Topic) -> str:
    """How the 12-month average moved over the last year of the series."""
    rolling = trend.dropna(subset=["rolling"])
    if len(rolling) < 13:
        return f"The snapshot holds too few months for a 12-month average in {area_name} to compare a year apart."
    last, year_before = rolling.iloc[-1], rolling.iloc[-13]
    fmt = rate_text if measure == hm.RATE else count_text
    unit = f" {RATE_UNIT}" if measure == hm.RATE else f" {topic.unit} a month"
    return (
        f"{area_name}: the 12-month average was {fmt(last['rolling'])}{unit} in {month_label(last['month'])}, "
        f"against {fmt(year_before['rolling'])} in {month_label(year_before['month'])}."
    )


def outcome_trend_sentence(area_name: str, trend: pd.DataFrame) -> str:
    """The 12-month positive outcome rate now and a year before."""
    rolling = trend.dropna(subset=["rolling"])
    if len(rolling) < 13:
        return f"The snapshot holds too few months for a 12-month outcome rate in {area_name} a year apart."
    last, before = rolling.iloc[-1], rolling.iloc[-13]
    return (
        f"{area_name}: {percent(last['rolling'])} in the 12 months to {month_label(last['month'])} "
        f"(95% interval {percent(last['rolling_low'])} to {percent(last['rolling_high'])}), against "
        f"{percent(before['rolling'])} in the 12 months to {month_label(before['month'])}."
    )


def _change(direction: str | None, pct: float) -> str:
    if direction is None or not math.isfinite(pct):
        return DASH
    return f"{'+' if pct >= 0 else '−'}{abs(pct):.0f}%"


def _significance(direction: str | None) -> str:
    if direction is None:
        return "comparison period not in snapshot"
    return {"up": "significant rise", "down": "significant fall"}.get(direction, "no significant change")


def ranking_rows(table: pd.DataFrame, measure: str, topic: hm.Topic, period: Period) -> pd.DataFrame:
    """The ranking as shown: every borough, text only (never a blank or 'None'): rank, counts,
    rate, change and its significance, and the positive outcome rate with its interval.
    Figures under 10 are withheld; the City of London, which the Met does not police, is
    listed last with dashes."""
    rank_column = "rank_rate" if measure == hm.RATE else "rank_count"
    rows = table.sort_values([rank_column, "name"], na_position="last")
    unit = topic.unit.capitalize()
    out = []
    for _, row in rows.iterrows():
        small = bool(row["small"])
        line = {
            "Rank": DASH if pd.isna(row[rank_column]) else f"{int(row[rank_column])}",
            "Borough": row["name"],
            unit: f"fewer than {SMALL_COUNT}" if small else count_text(row["count"]),
            f"Rate {RATE_UNIT}": DASH if small else rate_text(row["rate"]),
            f"Change on {vm.comparison_noun(period)}": DASH if small else _change(row["direction"], row["change_pct"]),
            "Significance (exact Poisson test)": f"withheld (fewer than {SMALL_COUNT})"
            if small
            else _significance(row["direction"]),
        }
        if topic.has_outcomes:
            line["Positive outcomes"] = count_text(row["outcomes"])
            line["Outcome rate"] = DASH if small else percent(row["outcome_rate"])
            line["95% interval"] = (
                DASH
                if small or not math.isfinite(row["outcome_low"])
                else f"{percent(row['outcome_low'])} to {percent(row['outcome_high'])}"
            )
        out.append(line)
    missing = [code for code in BY_CODE if code not in set(table["gss_code"])]
    for code in missing:
        line = {column: DASH for column in out[0]} if out else {}
        line["Borough"] = BY_CODE[code].name + (" (not policed by the Met)" if code == CITY_OF_LONDON else "")
        out.append(line)
    return pd.DataFrame(out)


def ranking_csv(table: pd.DataFrame, topic: hm.Topic) -> pd.DataFrame:
    """The same figures as numbers for the CSV download (blank where withheld or not
    covered): every borough, the Met's and the City of London's."""
    shown = ~table["small"]
    frame = pd.DataFrame(
        {
            "gss_code": table["gss_code"],
            "borough": table["name"],
            topic.unit: table["count"].where(shown).astype("Int64"),
            "rate_per_1000_residents_per_year": table["rate"].where(shown).round(2),
            "previous_period": table["previous"].where(shown).astype("Int64"),
            "change_percent": table["change_pct"].where(shown).round(1),
            "p_value_exact_poisson": table["p_value"].where(shown).round(4),
            "change": table["direction"].where(shown),
        }
    )
    if topic.has_outcomes:
        frame["positive_outcomes"] = table["outcomes"].astype("Int64")
        frame["outcome_rate_percent"] = (table["outcome_rate"].where(shown) * 100).round(1)
        frame["outcome_low_percent"] = (table["outcome_low"].where(shown) * 100).round(1)
        frame["outcome_high_percent"] = (table["outcome_high"].where(shown) * 100).round(1)
        frame["outcome_rate_reliable"] = table["outcome_reliable"]
    missing = [c for c in BY_CODE if c not in set(table["gss_code"])]
    extra = pd.DataFrame({"gss_code": missing, "borough": [BY_CODE[c].name for c in missing]})
    return pd.concat([frame, extra], ignore_index=True).sort_values("borough").reset_index(drop=True)


def source_line(publishers: list[str], period: Period, topic: hm.Topic) -> str:
    """The source line, naming the publishers the snapshot's manifest gives for the data."""
    who = " and ".join(publishers) if publishers else "the snapshot's harm_monthly table"
    return (
        f"Source: {who}, Monthly Crime Dashboard data ('{topic.label}'), {period.short()}; rates {RATE_UNIT} "
        f"(Census 2021 residents). Changes: exact Poisson test against {vm.comparison_noun(period)}, 5% level."
    )


def file_stem(topic: hm.Topic, period: Period) -> str:
    return f"harm-{topic.key}-{period.start:%Y-%m}-to-{period.end:%Y-%m}"
