"""Charts for the trust and confidence page and the tables behind them (also the CSVs).

Survey values are proportions (0–1) shown as whole percentages; intervals are 95% Wilson
intervals; gaps and changes are in percentage points.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from lib.boroughs import BOROUGHS, borough_name
from lib.charts.common import borough_tiles
from lib.charts.vegalite import FIT_WIDTH, rows_height
from lib.colour import (
    BOROUGH_COLOUR,
    CATEGORICAL,
    LONDON_COLOUR,
    NO_DATA,
    SELECTED_OUTLINE,
    ClassScale,
    diverging_scale,
)

COMPARISON_COLOURS = CATEGORICAL[1:4]  # orange, green, pink: distinct from the borough's blue
GROUP_COLOURS = (CATEGORICAL[0], CATEGORICAL[5])  # blue and vermilion, apart for colour-blind readers
NOT_SURVEYED = "not surveyed"
LEGEND = alt.Legend(orient="top", title=None, symbolOpacity=1, symbolStrokeWidth=4, symbolSize=300)


def _period_axis(periods: pd.Series) -> alt.Axis:
    """Quarter ends on a time axis: ticks fall on the 1st of Jan/Apr/Jul/Oct (yearly for long
    series), one day after a quarter end, so each label names the day before: 'Dec 2023'."""
    quarters = pd.Series(periods).nunique()
    return alt.Axis(
        title="Rolling 12 months to",
        labelAngle=0,
        tickCount={"interval": "month", "step": 3 if quarters <= 12 else 12},
        labelExpr="timeFormat(datum.value - 86400000, '%b %Y')",
    )


def _percent(value: float) -> str:
    return "" if pd.isna(value) else f"{value * 100:.0f}%"


def _iso(periods: pd.Series) -> list[str]:
    """Quarter ends as ISO text: Vega-Lite reads them as dates, and Altair need not convert
    datetime columns (the slowest step in building these small charts)."""
    return [period.isoformat() for period in periods]


def _series_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Only the columns a line-with-band chart draws or shows in its tooltip."""
    columns = ["area", "proportion", "ci_low", "ci_high", "respondents"]
    return table[columns].assign(period=_iso(table["period_end"]), value_text=table["proportion"].map(_percent))


# --- Trend ---------------------------------------------------------------------------------


def trend_table(values: pd.DataFrame, areas: list[str | None], last: date) -> pd.DataFrame:
    """One row per area and quarter end up to `last`: area (name), proportion, ci_low,
    ci_high (0–1), respondents, approximate (design base), not_shown (reason), in the order
    of `areas` (the selected borough or London first). `values` is `with_intervals` output."""
    frames = []
    for area in areas:
        rows = values[(values["gss_code"].isna() if area is None else values["gss_code"] == area)]
        rows = rows[rows["period_end"] <= last]
        frames.append(
            pd.DataFrame(
                {
                    "period_end": rows["period_end"],
                    "area": borough_name(area),
                    "proportion": rows["proportion"],
                    "ci_low": rows["low"],
                    "ci_high": rows["high"],
                    "respondents": rows["base_used"].round().astype("int64"),
                    "approximate": rows["approximate"],
                    "not_shown": rows["reason"],
                }
            )
        )
    columns = ["period_end", "area", "proportion", "ci_low", "ci_high", "respondents", "approximate", "not_shown"]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return frame[columns]


def trend_chart(table: pd.DataFrame, *, title: str, banded: list[str]) -> alt.LayerChart:
    """The measure over time, one line per area (first area in the borough colour, London
    grey, comparisons in Okabe-Ito colours); 95% interval bands for the `banded` areas."""
    names = list(dict.fromkeys(table["area"]))
    spare = iter(COMPARISON_COLOURS)
    colours = [
        LONDON_COLOUR if name == "London" else BOROUGH_COLOUR if i == 0 else next(spare) for i, name in enumerate(names)
    ]
    frame = _series_frame(table).assign(
        interval_text=[
            f"{_percent(lo)} to {_percent(hi)}" + (" (approximate)" if approx else "")
            for lo, hi, approx in zip(table["ci_low"], table["ci_high"], table["approximate"], strict=True)
        ],
    )
    scale = alt.Scale(domain=names, range=colours)
    base = alt.Chart().encode(x=alt.X("period:T", axis=_period_axis(frame["period"])))
    bands = (
        base.transform_filter(alt.FieldOneOfPredicate(field="area", oneOf=banded))
        .mark_area(opacity=0.18)
        .encode(y=alt.Y("ci_low:Q"), y2="ci_high:Q", color=alt.Color("area:N", scale=scale, sort=names, legend=LEGEND))
    )
    lines = base.mark_line(point=alt.OverlayMarkDef(size=60), strokeWidth=3).encode(
        y=alt.Y("proportion:Q", title="Agree", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False)),
        color=alt.Color("area:N", scale=scale, sort=names, legend=LEGEND),
        tooltip=[
            alt.Tooltip("area:N", title="Area"),
            alt.Tooltip("period:T", title="12 months to", format="%B %Y"),
            alt.Tooltip("value_text:N", title="Agree"),
            alt.Tooltip("interval_text:N", title="95% interval"),
            alt.Tooltip("respondents:Q", title="Respondents", format=","),
        ],
    )
    # Data on the layer, not each mark: Altair then needn't compare the layers' data.
    return alt.layer(bands, lines, data=frame).properties(title=title, height=360)


# --- All boroughs at a glance ---------------------------------------------------------------


def borough_table(changes: pd.DataFrame) -> pd.DataFrame:
    """Every surveyed borough at the latest quarter end, highest first: borough, proportion,
    ci_low, ci_high (0–1), change_points on a year earlier, p_value, significant. Boroughs
    whose value is not shown are left out. `changes` is `area_changes` output."""
    rows = changes[changes["gss_code"].notna() & changes["proportion"].notna()]
    frame = pd.DataFrame(
        {
            "gss_code": rows["gss_code"],
            "borough": [borough_name(code) for code in rows["gss_code"]],
            "proportion": rows["proportion"],
            "ci_low": rows["low"],
            "ci_high": rows["high"],
            "approximate": rows["approximate"],
            "change_points": rows["change_points"],
            "p_value": rows["p_value"],
            "significant": rows["significant"],
        }
    )
    return frame.sort_values(["proportion", "borough"], ascending=[False, True], ignore_index=True)


def borough_dot_chart(table: pd.DataFrame, *, london: float, selected: str | None, title: str) -> alt.LayerChart:
    """Each borough's value (dot) and 95% interval (bar), highest first, the London value
    as a dashed line and the selected borough in the borough colour (others grey)."""
    frame = table[["gss_code", "borough", "proportion", "ci_low", "ci_high"]].assign(
        is_selected=table["gss_code"] == selected,
        value_text=table["proportion"].map(_percent),
        interval_text=[
            f"{_percent(lo)} to {_percent(hi)}" for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
        ],
    )
    order = list(frame["borough"])
    colour = alt.condition("datum.is_selected", alt.value(BOROUGH_COLOUR), alt.value("#8c8c8c"))
    base = alt.Chart().encode(
        y=alt.Y("borough:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        tooltip=[
            alt.Tooltip("borough:N", title="Borough"),
            alt.Tooltip("value_text:N", title="Agree"),
            alt.Tooltip("interval_text:N", title="95% interval"),
        ],
    )
    x = alt.X(
        "proportion:Q",
        title="Agree (dot) with 95% interval (bar)",
        axis=alt.Axis(format=".0%"),
        scale=alt.Scale(zero=False),
    )
    bars = base.mark_rule(strokeWidth=3).encode(x=alt.X("ci_low:Q"), x2="ci_high:Q", color=colour)
    dots = base.mark_circle(size=110, opacity=1).encode(x=x, color=colour)
    reference = pd.DataFrame({"london": [london], "label": [f"London {_percent(london)}"]})
    rule = alt.Chart(reference).mark_rule(strokeDash=[6, 4], color=SELECTED_OUTLINE, strokeWidth=2).encode(x="london:Q")
    label = (
        alt.Chart(reference)
        .mark_text(align="left", dx=5, dy=-8, fontSize=13, fontWeight="bold")
        .encode(x="london:Q", y=alt.value(0), text="label:N")
    )
    return alt.layer(bars, dots, rule, label, data=frame).properties(
        title=title, height=rows_height(24, len(order)), autosize=alt.AutoSizeParams(**FIT_WIDTH)
    )


def change_tile_table(table: pd.DataFrame) -> pd.DataFrame:
    """All 33 boroughs on the tile grid with their change on a year earlier (points):
    coloured_change is the change where significant and 0 otherwise (so only significant
    changes take a colour), NaN where there is no value (City of London: not surveyed);
    label is '▲ +4' / '▼ −4' for significant changes, '+1' otherwise."""
    by_code = table.set_index("gss_code")
    rows = []
    for borough in BOROUGHS:
        change = by_code["change_points"].get(borough.gss_code, float("nan"))
        significant = bool(by_code["significant"].get(borough.gss_code, False))
        if borough.gss_code not in by_code.index:
            label, coloured, verdict = "–", float("nan"), NOT_SURVEYED
        elif pd.isna(change):
            label, coloured, verdict = "–", float("nan"), "no value a year earlier"
        else:
            number = "0" if round(change) == 0 else f"{change:+.0f}".replace("-", "−")
            arrow = ("▲ " if change > 0 else "▼ ") if significant else ""
            label = f"{arrow}{number}"
            coloured = change if significant else 0.0
            verdict = "significant" if significant else "not significant"
        rows.append(
            {
                "gss_code": borough.gss_code,
                "borough": borough.name,
                "short": borough.short,
                "tile_col": borough.tile_col,
                "tile_row": borough.tile_row,
                "change_points": change,
                "coloured_change": coloured,
                "label": label,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


def change_scale(tiles: pd.DataFrame, minimum: float = 3.0) -> ClassScale:
    """Diverging classes for `change_tile_table`, out to the largest significant change
    (at least `minimum` points, so a quiet year isn't painted in strong colours)."""
    largest = tiles["coloured_change"].abs().max()
    return diverging_scale(max(minimum, 0.0 if pd.isna(largest) else float(largest)))


def change_tiles(table: pd.DataFrame, *, scale: ClassScale, selected: str | None, title: str) -> alt.LayerChart:
    """Equal-size tile map of each borough's change on a year earlier (`change_tile_table`)."""
    tooltip = [
        alt.Tooltip("borough:N", title="Borough"),
        alt.Tooltip("label:N", title="Change (points)"),
        alt.Tooltip("verdict:N", title="Test"),
    ]
    return borough_tiles(
        table,
        value_column="coloured_change",
        scale=scale,
        label_column="label",
        tooltip=tooltip,
        title=title,
        selected=selected,
        standalone=False,  # drawn above its legend (`change_view`)
    )


def change_legend(scale: ClassScale) -> alt.Chart:
    """Legend for `change_tiles`: significant falls, no significant change, significant rises
    (in points), not surveyed."""
    labels = scale.labels("{:+.0f}")
    middle = len(scale.colours) // 2
    labels[middle] = "no significant change"
    rows = [
        {"order": i, "label": text.replace("-", "−"), "colour": colour}
        for i, (text, colour) in enumerate(zip(labels, scale.colours, strict=True))
    ]
    rows.append({"order": len(rows), "label": NOT_SURVEYED, "colour": NO_DATA})
    data = pd.DataFrame(rows)
    swatches = (
        alt.Chart(data)
        .mark_rect(stroke="#999999", strokeWidth=0.5)
        .encode(x=alt.X("order:O", axis=None), color=alt.Color("colour:N", scale=None, legend=None))
    )
    text = alt.Chart(data).mark_text(dy=22, fontSize=12).encode(x=alt.X("order:O", axis=None), text="label:N")
    return (swatches + text).properties(
        title="Change in points (significant changes only)", height=24, width=alt.Step(82)
    )


# --- Gaps between groups --------------------------------------------------------------------


def gap_table(gaps: pd.DataFrame, group_a: str, group_b: str, last: date) -> pd.DataFrame:
    """`gap_series` output up to `last`, for the chart and CSV: the two groups' values (0–1)
    and the gap group_a − group_b with its 95% interval in percentage points."""
    rows = gaps[gaps["period_end"] <= last]
    return pd.DataFrame(
        {
            "period_end": rows["period_end"],
            f"{group_a}": rows["p_a"],
            f"{group_b}": rows["p_b"],
            "gap_points": rows["gap"] * 100,
            "gap_ci_low_points": rows["gap_low"] * 100,
            "gap_ci_high_points": rows["gap_high"] * 100,
            "not_shown": rows["reason"],
        }
    ).reset_index(drop=True)


def group_table(values: pd.DataFrame, groups: list[str], last: date) -> pd.DataFrame:
    """`trend_table`'s shape for London-wide groups: one row per group and quarter end up to
    `last`, the group's name in `area`. `values` is `with_intervals` output for one kind."""
    rows = values[values["group"].isin(groups) & (values["period_end"] <= last)]
    frame = pd.DataFrame(
        {
            "period_end": rows["period_end"],
            "area": rows["group"],
            "proportion": rows["proportion"],
            "ci_low": rows["low"],
            "ci_high": rows["high"],
            "respondents": rows["base_used"].round().astype("int64"),
            "approximate": rows["approximate"],
            "not_shown": rows["reason"],
        }
    )
    frame["area"] = pd.Categorical(frame["area"], categories=groups)
    return frame.sort_values(["area", "period_end"]).astype({"area": "str"}).reset_index(drop=True)


def group_chart(table: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """Each group's value over time with its 95% interval band (`trend_table` shape with
    the group names in `area`)."""
    names = list(dict.fromkeys(table["area"]))
    scale = alt.Scale(domain=names, range=list(GROUP_COLOURS[: len(names)]))
    frame = _series_frame(table)
    base = alt.Chart().encode(x=alt.X("period:T", axis=_period_axis(frame["period"])))
    bands = base.mark_area(opacity=0.18).encode(
        y="ci_low:Q", y2="ci_high:Q", color=alt.Color("area:N", scale=scale, sort=names, legend=LEGEND)
    )
    lines = base.mark_line(point=alt.OverlayMarkDef(size=60), strokeWidth=3).encode(
        y=alt.Y("proportion:Q", title="Agree", axis=alt.Axis(format=".0%"), scale=alt.Scale(zero=False)),
        color=alt.Color("area:N", scale=scale, sort=names, legend=LEGEND),
        tooltip=[
            alt.Tooltip("area:N", title="Group"),
            alt.Tooltip("period:T", title="12 months to", format="%B %Y"),
            alt.Tooltip("value_text:N", title="Agree"),
            alt.Tooltip("respondents:Q", title="Respondents", format=","),
        ],
    )
    return alt.layer(bands, lines, data=frame).properties(title=title, height=300)


def gap_chart(table: pd.DataFrame, *, title: str) -> alt.LayerChart:
    """The gap between two groups in percentage points over time with its 95% interval
    band (`gap_table`), and a line at zero (no gap)."""
    shown = table.dropna(subset=["gap_points"])
    points = ["gap_points", "gap_ci_low_points", "gap_ci_high_points"]
    frame = shown[points].assign(
        period=_iso(shown["period_end"]),
        gap_text=lambda f: [
            f"{g:+.0f} points ({lo:+.0f} to {hi:+.0f})".replace("-", "−")
            for g, lo, hi in zip(f["gap_points"], f["gap_ci_low_points"], f["gap_ci_high_points"], strict=True)
        ],
    )
    base = alt.Chart().encode(x=alt.X("period:T", axis=_period_axis(frame["period"])))
    band = base.mark_area(opacity=0.2, color=SELECTED_OUTLINE).encode(
        y="gap_ci_low_points:Q", y2="gap_ci_high_points:Q"
    )
    line = base.mark_line(
        point=alt.OverlayMarkDef(size=60, color=SELECTED_OUTLINE), strokeWidth=3, color=SELECTED_OUTLINE
    ).encode(
        y=alt.Y("gap_points:Q", title="Gap (percentage points)"),
        tooltip=[
            alt.Tooltip("period:T", title="12 months to", format="%B %Y"),
            alt.Tooltip("gap_text:N", title="Gap (95% interval)"),
        ],
    )
    zero = alt.Chart().mark_rule(color="#999999", strokeWidth=1.5).encode(y=alt.datum(0))
    return alt.layer(zero, band, line, data=frame).properties(title=title, height=300)
