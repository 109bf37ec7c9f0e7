"""Plain-English sentences for the violence page."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.boroughs import borough_name
from lib.filters import Period
from lib.formatting import change_text
from lib.metrics.hotspots import HOT_99, NOT_SIGNIFICANT
from lib.metrics.violence import RATE, AreaFigures, comparison_noun
from lib.months import label as month_label
from lib.narrative.common import count_change_phrase, count_text, rate_text
from lib.vocab import H3, LSOA, SEXUAL_OFFENCES, VIOLENCE_AND_SEXUAL, OffenceGroup

CITY_OF_LONDON = "E09000001"
RATE_UNIT = "per 1,000 residents per year"
DENOMINATOR = "Census 2021 residents; offences are counted where they happen, and victims need not live in the borough"
CITY_NOTE = (
    "The City of London has about 8,600 residents but hundreds of thousands of workers and visitors "
    "a day, so its rate per resident is far above any other borough's."
)


def _offences(n: int) -> str:
    return "1 offence" if n == 1 else f"{count_text(n)} offences"


def headline(group: OffenceGroup, area_name: str, figures: AreaFigures, period: Period) -> str:
    """'Violence against the person in Lambeth: 8,412 offences in the 12 months to March 2025,
    31.2 per 1,000 residents per year, down 6% on the year before (a significant fall).'"""
    start = f"{group.noun[0].upper()}{group.noun[1:]} in {area_name}: "
    if figures.small:
        return start + f"fewer than 10 offences in {period.describe()}, too few for a reliable rate or trend."
    text = start + f"{_offences(figures.count)} in {period.describe()}, {rate_text(figures.rate)} {RATE_UNIT}"
    if figures.change is None:
        return text + " (the snapshot does not reach back far enough to compare with an earlier period)."
    return text + f", {count_change_phrase(figures.change, noun=comparison_noun(period))}."


def borough_tooltip(row: pd.Series, period: Period) -> str:
    """Hover text for one borough of `borough_table`: count, rate and change."""
    if row["small"]:
        return "Fewer than 10 offences: figures withheld"
    parts = [_offences(int(row["count"])), f"{rate_text(row['rate'])} {RATE_UNIT}"]
    if pd.notna(row["previous"]):
        parts.append(f"Change on {comparison_noun(period)}: {change_text(row['direction'], row['change_pct'])}")
    return "\n".join(parts)


def borough_map_sentence(table: pd.DataFrame, measure: str, group: OffenceGroup, period: Period) -> str:
    """Which boroughs are highest and lowest, and how many changed significantly."""
    shown = table[~table["small"]]
    if shown.empty:
        return f"Every borough recorded fewer than 10 offences of {group.noun} in {period.describe()}."
    column = "rate" if measure == RATE else "count"
    fmt = rate_text if measure == RATE else count_text
    # The City's tiny resident population makes its rate an outlier; name the rest.
    ranked = shown[shown["gss_code"] != CITY_OF_LONDON] if measure == RATE else shown
    ranked = ranked.sort_values(column, ascending=False)
    named = [f"{r['name']} ({fmt(r[column])})" for _, r in ranked.head(3).iterrows()]
    top = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else named[0]
    low = ranked.iloc[-1]
    unit = f" {RATE_UNIT}" if measure == RATE else " offences"
    where = "Outside the City of London, the highest rates" if measure == RATE else "The most offences"
    text = f"{where} of {group.noun} were in {top}{unit}; the lowest in {low['name']} ({fmt(low[column])})."
    if shown["direction"].notna().any():
        down = int((shown["direction"] == "down").sum())
        up = int((shown["direction"] == "up").sum())
        text += (
            f" Compared with {comparison_noun(period)}, {_boroughs(down)} saw a significant fall"
            f" and {_boroughs(up)} a significant rise."
        )
    return text


def _boroughs(n: int) -> str:
    return "1 borough" if n == 1 else f"{n} boroughs"


def trend_sentence(area_name: str, trend: pd.DataFrame, measure: str) -> str:
    """How the 12-month average moved over the last year of the series."""
    rolling = trend.dropna(subset=["rolling"])
    if len(rolling) < 13:
        return f"The snapshot holds too few months for a 12-month average in {area_name} to compare a year apart."
    last, year_before = rolling.iloc[-1], rolling.iloc[-13]
    fmt = rate_text if measure == RATE else count_text
    unit = f" {RATE_UNIT}" if measure == RATE else " offences a month"
    return (
        f"{area_name}: the 12-month average was {fmt(last['rolling'])}{unit} in {month_label(last['month'])}, "
        f"against {fmt(year_before['rolling'])} in {month_label(year_before['month'])}."
    )


def hotspot_layer_note(group: OffenceGroup, source: str | None) -> str:
    """Which offences the hotspot layer counts (police.uk types don't match Met categories),
    or why there is no hotspot layer."""
    if source is None:
        return "Hot spots are not available for this snapshot: it holds no street-level or LSOA counts."
    if source == LSOA:
        return f"Hot spots count {group.noun} recorded in each LSOA (Met small-area data)."
    if not group.point_types:
        return f"Hot spots are not available for {group.noun}: data.police.uk has no street-level type for it."
    text = "Hot spots count data.police.uk street-level " + " and ".join(f"'{t}'" for t in group.point_types)
    if group.point_types == (VIOLENCE_AND_SEXUAL,):
        text += (
            ", which also includes violence against the person"
            if group.major == SEXUAL_OFFENCES
            else ", which also includes sexual offences"
        )
        if group.minor:
            text += f" (police.uk does not separate {group.noun})"
    return text + "."


def hotspot_sentence(scored: pd.DataFrame, top: pd.DataFrame, gss_code: str | None, source: str) -> str:
    """How many cells are significant hot spots (one London-wide test), how many lie in the
    chosen borough, and where the strongest is."""
    unit = "hexagons" if source == H3 else "LSOAs"
    hot = scored[scored["hot"] != NOT_SIGNIFICANT]
    text = (
        f"{count_text(len(hot))} of {count_text(len(scored))} {unit} across London are significant hot spots "
        f"({count_text(int((hot['hot'] == HOT_99).sum()))} at the 99% level)."
    )
    if gss_code is not None:
        in_area = int((hot["gss_code"] == gss_code).sum())
        text += f" {borough_name(gss_code)} has {count_text(in_area)} of them."
    if not top.empty:
        first = top.iloc[0]
        text += f" The strongest{' there' if gss_code else ''} is {place_text(first)}"
        text += f" ({_offences(int(first['count']))}, Gi* z = {first['z']:.1f})."
    return text


def place_text(row: pd.Series) -> str:
    """'near Brixton' within 1 km of the place, else '1.8 km from Brixton'."""
    if row["place_km"] < 1:
        return f"near {row['place']}"
    return f"{row['place_km']:.1f} km from {row['place']}"


def ranking_rows(table: pd.DataFrame, measure: str, period: Period) -> pd.DataFrame:
    """The ranking table exactly as shown and downloaded: rank (by the chosen measure, 1 =
    highest), borough, offences, rate (1 decimal), change and its significance. Boroughs
    under 10 offences have their figures withheld and sort last."""
    rank_column = "rank_rate" if measure == RATE else "rank_count"
    rows = table.sort_values([rank_column, "name"], na_position="last")
    withheld = rows["small"]
    shown = pd.DataFrame(
        {
            "Rank": rows[rank_column].astype("Int64"),
            "Borough": rows["name"],
            "Offences": rows["count"].where(~withheld).astype("Int64"),
            f"Rate {RATE_UNIT}": rows["rate"].where(~withheld).round(1),
            f"Change on {comparison_noun(period)} (%)": rows["change_pct"].where(~withheld).round(0),
            "Significance (exact Poisson test)": [
                "fewer than 10 offences: withheld" if small else _significance(direction)
                for small, direction in zip(withheld, rows["direction"], strict=True)
            ],
        }
    )
    return shown.reset_index(drop=True)


def _significance(direction: str | None) -> str:
    if direction is None:
        return "comparison period not in snapshot"
    return {"up": "significant rise", "down": "significant fall"}.get(direction, "no significant change")


def hotspot_rows(top: pd.DataFrame, source: str) -> pd.DataFrame:
    """The top hot spots as shown: rank, place reference, cell centre, offences, z, level."""
    rows = pd.DataFrame(
        {
            "#": range(1, len(top) + 1),
            "Where": [place_text(row) for _, row in top.iterrows()],
            "Centre (lat, lon)": [f"{lat:.4f}, {lon:.4f}" for lat, lon in zip(top["lat"], top["lon"], strict=True)],
            "Offences": top["count"].astype("int64"),
            "Gi* z-score": top["z"].round(2),
            "Level": top["hot"],
        }
    )
    if source == LSOA:
        rows.insert(1, "LSOA", top["name"] + " (" + top["cell"] + ")")
    return rows


def source_text(group: OffenceGroup, period: Period) -> str:
    """The source line under the borough map, the ranking and its CSV."""
    return (
        f"Source: Metropolitan Police recorded crime (harmonised '{group.label}'), {period.short()}; "
        f"rates {RATE_UNIT} ({DENOMINATOR}). Changes: exact Poisson test against "
        f"{comparison_noun(period)}, 5% level."
    )


def trend_source_text(measure: str, period: Period) -> str:
    unit = (
        "Monthly rates are annualised (× 12) per 1,000 Census 2021 residents."
        if measure == RATE
        else "Counts are offences recorded in each month."
    )
    return f"Monthly recorded crime; the shaded band is {period.short()}. {unit}"


def hotspot_source_text(source: str, cells: int, expected_by_chance: int, used: Period) -> str:
    unit = "H3 resolution-8 hexagons" if source == H3 else "LSOAs"
    return (
        f"Hot spots: Getis-Ord Gi* on {unit} across London (each cell with its touching neighbours, compared "
        f"with all {cells:,} cells including empty ones), {used.short()}. Even with no real clustering about "
        f"{expected_by_chance:,} cells would pass the 95% mark by chance, so look for groups of outlined cells. "
        "Places are the nearest town centre to the cell's centre; police.uk locations are snapped to anonymised "
        "points, so single points are never shown."
    )


def no_data_text(first: date, last: date, what: str = "Recorded crime") -> str:
    return (
        f"{what} in this snapshot covers {month_label(first)} to {month_label(last)}: "
        "choose a period inside it in the sidebar."
    )
