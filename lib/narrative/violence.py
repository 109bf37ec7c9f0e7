"""Plain-English sentences for the violence page."""

from __future__ import annotations

from datetime import date

import pandas as pd

from lib.boroughs import borough_name
from lib.filters import Period
from lib.formatting import change_text
from lib.metrics.coverage import Comparison
from lib.metrics.hotspots import HOT_99, NOT_SIGNIFICANT
from lib.metrics.violence import RATE
from lib.months import label as month_label
from lib.narrative.common import count_text, rate_text
from lib.narrative.counts import RATE_UNIT
from lib.narrative.ranking import RANK_HEADING, extremes_sentence, rank_text
from lib.narrative.tables import DisplayTable, display_table
from lib.vocab import H3, LSOA, SEXUAL_OFFENCES, VIOLENCE_AND_SEXUAL, OffenceGroup

DENOMINATOR = "Census 2021 residents; offences are counted where they happen, and victims need not live in the borough"


def _offences(n: int) -> str:
    return "1 offence" if n == 1 else f"{count_text(n)} offences"


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


# --- Borough figures under the one rule (lib.metrics.counts.count_table) -----------------------


def _measure_columns(measure: str) -> tuple[str, str, str, str]:
    """(value, low, high, reliability prefix) of `count_table` for a measure."""
    if measure == RATE:
        return "rate", "rate_low", "rate_high", "rate"
    return "count", "count_low", "count_high", "count"


def counts_map_sentence(table: pd.DataFrame, measure: str, group: OffenceGroup, compared: Comparison | None) -> str:
    """Highest and lowest boroughs among reliable ones (too-close-to-tell groups named), who
    was left out and why, and how many changed significantly on the comparison months."""
    value, low, high, prefix = _measure_columns(measure)
    fmt = rate_text if measure == RATE else count_text
    subject = f"The rate of {group.noun}" if measure == RATE else f"The number of offences of {group.noun}"
    text = extremes_sentence(
        table,
        subject=subject,
        value=value,
        low=low,
        high=high,
        fmt=fmt,
        reliable=f"{prefix}_reliable",
        reason=f"{prefix}_reason",
    )
    tested = table[table["direction"].notna()]
    if compared is not None and not tested.empty:
        down = int((tested["direction"] == "down").sum())
        up = int((tested["direction"] == "up").sum())
        text += (
            f" Compared with {compared.noun()}, {_boroughs(down)} saw a significant fall"
            f" and {_boroughs(up)} a significant rise."
        )
    return text


def counts_tooltip(row: pd.Series, measure: str, compared: Comparison | None) -> str:
    """Hover text for one borough of `count_table`: count, rate, change, and why a figure is
    missing or not ranked."""
    _, _, _, prefix = _measure_columns(measure)
    if pd.isna(row["count"]):
        return f"No figure: {row[f'{prefix}_reason']}"
    if row["small"]:
        return "Fewer than 10 offences: figures withheld"
    parts = [_offences(int(row["count"])), f"{rate_text(row['rate'])} {RATE_UNIT}"]
    if compared is not None and pd.notna(row["previous"]):
        parts.append(f"Change on {compared.short_noun()}: {change_text(row['direction'], row['change_pct'])}")
    if not row[f"{prefix}_reliable"]:
        parts.append(f"Not ranked: {row[f'{prefix}_reason']}")
    return "\n".join(parts)


def counts_ranking(table: pd.DataFrame, measure: str, compared: Comparison | None) -> DisplayTable:
    """The ranking table exactly as shown and downloaded (all text): rank with the range its
    interval allows, borough, offences, rate, change on the comparison months and its
    significance; reliable boroughs first by the measure, then the rest. A dash marks a
    missing figure or an unranked borough, and the footnote says why."""
    value, _, _, prefix = _measure_columns(measure)
    rows = table.sort_values([f"rank_{measure}", value, "name"], ascending=[True, False, True], na_position="last")
    withheld = rows["small"]
    change_heading = f"Change on {compared.short_noun()}" if compared else "Change"
    frame = pd.DataFrame(
        {
            RANK_HEADING: [
                rank_text(r, b, w)
                for r, b, w in zip(
                    rows[f"rank_{measure}"], rows[f"rank_{measure}_best"], rows[f"rank_{measure}_worst"], strict=True
                )
            ],
            "Borough": rows["name"].to_numpy(),
            "Offences": [
                None if pd.isna(c) else ("fewer than 10" if s else count_text(c))
                for c, s in zip(rows["count"], withheld, strict=True)
            ],
            f"Rate {RATE_UNIT}": rows["rate"].where(~withheld).to_numpy(),
            change_heading: [
                None if pd.isna(p) or s else change_text(d, p)
                for d, p, s in zip(rows["direction"], rows["change_pct"], withheld, strict=True)
            ],
        }
    )
    reasons = []
    for ok, why, count, previous in zip(
        rows[f"{prefix}_reliable"], rows[f"{prefix}_reason"], rows["count"], rows["previous"], strict=True
    ):
        if pd.isna(count) or not ok:
            reasons.append(f"not ranked, {why}" if pd.notna(count) else why)
        elif compared is None or pd.isna(previous):
            reasons.append("no comparison months in this snapshot")
        else:
            reasons.append(None)
    return display_table(frame, {f"Rate {RATE_UNIT}": "{:,.1f}"}, label_column="Borough", reasons=reasons)
