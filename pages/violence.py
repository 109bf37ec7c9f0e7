"""Violence: where it is worst, whether it is falling, and where exactly the hot spots are."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lib import ui
from lib.charts.common import class_legend
from lib.charts.violence import borough_tile_chart, hotspot_legend, trend_chart
from lib.colour import quantile_scale
from lib.filters import Period, month_label, month_text
from lib.maps.base import london_view
from lib.maps.choropleth import borough_choropleth, borough_view
from lib.maps.hotspots import hexagon_hotspot_map, hexagon_records, lsoa_hotspot_map
from lib.metrics import violence as vm
from lib.metrics.hotspots import h3_study_area, hotspots_expected_by_chance, lsoa_study_area
from lib.narrative import violence as say
from lib.places import TOWN_CENTRES
from lib.queries import violence as vq
from lib.queries.common import borough_outlines, populations

MEASURES = {vm.RATE: "Rate per 1,000", vm.COUNT: "Count"}
MAP_STYLES = {"outlines": "Outlines", "tiles": "Equal tiles"}
PLACES = pd.DataFrame([(n, lat, lon) for n, lat, lon, *_ in TOWN_CENTRES], columns=["name", "lat", "lon"])


def main() -> None:
    filters, period = ui.current_filters(), ui.current_filters().period
    st.title("Violence: where it is worst, and is it falling?")
    groups = {g.key: g for g in ui.cached(vq.offence_groups)}
    if not groups:
        ui.empty_result("This snapshot holds no violent offence categories.")
        return
    pick, how, style = st.columns([3, 2, 2])
    default = next(iter(groups))
    key = ui.url_choice(
        "Offence group",
        "offence",
        list(groups),
        default=default,
        format_func=lambda k: groups[k].menu_label,
        container=pick,
    )
    measure = ui.url_choice(
        "Measure",
        "measure",
        list(MEASURES),
        default=vm.RATE,
        format_func=MEASURES.get,
        widget="segmented",
        container=how,
    )
    map_style = ui.url_choice(
        "Borough map",
        "map",
        list(MAP_STYLES),
        default="outlines",
        format_func=MAP_STYLES.get,
        widget="segmented",
        container=style,
    )
    group = groups[key]
    monthly = ui.cached(vq.category_monthly_counts, major=group.major, minor=group.minor)
    current = vm.period_counts(monthly, period)
    if current is None:
        ui.empty_result(
            f"Recorded crime in this snapshot covers {month_label(monthly['month'].min())} to "
            f"{month_label(monthly['month'].max())}: choose a period inside it in the sidebar."
        )
        return
    residents = ui.cached(populations).set_index("gss_code")["All"]
    previous = vm.period_counts(monthly, vm.comparison_period(period))
    table = ui.memo(vm.borough_table, current, previous, residents, period.months)
    ui.sentence(
        say.headline(group, filters.borough_name, vm.area_figures(table, period.months, filters.borough), period)
    )
    source = (
        f"Source: Metropolitan Police recorded crime (harmonised '{group.label}'), {period.short()}; "
        f"rates {say.RATE_UNIT} ({say.DENOMINATOR}). Changes: exact Poisson test against "
        f"{say.comparison_noun(period)}, 5% level."
    )
    borough_section(table, group, measure, map_style, filters.borough, period, source)
    trend_section(monthly, residents, measure, filters.borough, filters.borough_name, period, group)
    hotspot_section(group, filters.borough, period)
    ranking_section(table, group, measure, filters.borough_name, period, source)


def borough_section(table, group, measure, map_style, borough, period, source) -> None:
    st.subheader("Where is it worst?")
    value_column = "rate" if measure == vm.RATE else "count"
    scale = quantile_scale(table.loc[~table["small"], value_column])
    legend_title = f"Offences {say.RATE_UNIT}" if measure == vm.RATE else "Offences"
    fmt = "{:,.1f}" if measure == vm.RATE else "{:,.0f}"
    left, right = st.columns([3, 2])
    with left:
        if map_style == "outlines":
            values = table.assign(
                value=table[value_column].where(~table["small"]),
                tooltip=[say.borough_tooltip(row, period) for _, row in table.iterrows()],
            )
            st.pydeck_chart(
                borough_choropleth(
                    ui.cached(borough_outlines),
                    values,
                    value_column="value",
                    scale=scale,
                    tooltip_column="tooltip",
                    selected=borough,
                    view=london_view(width_px=480, height_px=470),  # the map's column at 1280 px
                ),
                height=470,
            )
        else:
            ui.chart(
                borough_tile_chart(table, value_column=value_column, scale=scale, title=legend_title, selected=borough)
            )
        ui.cached_chart(class_legend, scale, legend_title, fmt=fmt, no_data_label="fewer than 10")
    with right:
        st.markdown(f"**{say.borough_map_sentence(table, measure, group, period)}**")
        if measure == vm.RATE:
            st.markdown(say.CITY_NOTE)
        ui.source_caption(f"{source} Colours: six classes with about equal numbers of boroughs in each.")


def trend_section(monthly, residents, measure, borough, borough_name, period, group) -> None:
    st.subheader("Is it getting better?")
    # Short enough to fit beside a 300 px chart; the caption below gives the full unit.
    y_title = "Per 1,000 residents a year" if measure == vm.RATE else "Offences a month"
    areas = [(borough, borough_name)] if borough else []
    columns = st.columns(len(areas) + 1)
    for column, (code, name) in zip(columns, [*areas, (None, "London")], strict=True):
        rows = monthly if code is None else monthly[monthly["gss_code"] == code]
        people = residents.sum() if code is None else residents.get(code, 0)
        trend = vm.monthly_trend(rows, people, measure)
        with column:
            ui.cached_chart(trend_chart, trend, title=f"{group.label}: {name}", y_title=y_title, period=period)
            st.markdown(say.trend_sentence(name, trend, measure))
    ui.source_caption(
        f"Monthly recorded crime; the shaded band is {period.short()}. "
        + (
            "Monthly rates are annualised (× 12) per 1,000 Census 2021 residents."
            if measure == vm.RATE
            else "Counts are offences recorded in each month."
        )
    )


def hotspot_section(group, borough, period: Period) -> None:
    st.subheader("Where exactly are the hot spots?")
    source = ui.cached(vq.hotspot_source)
    note = say.hotspot_layer_note(group, source)
    covered = ui.cached(vq.small_area_months)
    if source is None or (source == vq.H3 and not group.point_types) or covered is None:
        ui.empty_result(note)
        return
    start, end = max(period.start, covered[0]), min(period.end, covered[1])
    if start > end:
        ui.empty_result(
            f"Small-area data in this snapshot covers {month_label(covered[0])} to "
            f"{month_label(covered[1])}, outside the chosen period."
        )
        return
    if source == vq.H3:
        cells, weights = ui.memo(h3_study_area, ui.cached(borough_outlines), ui.cached(vq.counted_cells))
        counts = ui.cached(vq.h3_cell_counts, crime_types=group.point_types, start=start, end=end)
    else:
        cells, weights = ui.memo(lsoa_study_area, ui.cached(vq.lsoa_shapes))
        counts = ui.cached(vq.lsoa_counts, major=group.major, minor=group.minor, start=start, end=end)
    if counts["count"].sum() == 0:
        ui.empty_result(
            f"{note} This snapshot holds none of those records from {month_label(start)} to {month_label(end)}, "
            "so there are no hot spots to find."
        )
        return
    scored = vm.scored_cells(cells, weights, counts)
    scale = quantile_scale(scored.loc[scored["count"] > 0, "count"])
    outlines = ui.cached(borough_outlines)
    # Both fitted to the map's column (3/5 of the page) at 1280 px.
    view = borough_view(outlines, borough, width_px=480, height_px=520) if borough else london_view(480, 520)
    build = hexagon_hotspot_map if source == vq.H3 else lsoa_hotspot_map
    top = vm.top_hotspots(scored, PLACES, gss_code=borough)
    left, right = st.columns([3, 2])
    with left:
        extra = {"records": ui.memo(hexagon_records, scored, scale)} if source == vq.H3 else {}
        st.pydeck_chart(build(scored, scale=scale, outlines=outlines, view=view, selected=borough, **extra), height=520)
        unit = "hexagon (about 0.74 km²)" if source == vq.H3 else "LSOA"
        ui.cached_chart(class_legend, scale, f"Offences per {unit}", fmt="{:,.0f}")
        ui.cached_chart(
            hotspot_legend,
        )
    with right:
        st.markdown(f"**{say.hotspot_sentence(scored, top, borough, source)}**")
        st.markdown(note)
        if top.empty:
            ui.empty_result("No significant hot spots here for this offence group and period.")
        else:
            st.dataframe(say.hotspot_rows(top, source), hide_index=True)
    used = Period(start, end)
    ui.source_caption(
        f"Hot spots: Getis-Ord Gi* on {'H3 resolution-8 hexagons' if source == vq.H3 else 'LSOAs'} across London "
        f"(each cell with its touching neighbours, compared with all {len(scored):,} cells including empty ones), "
        f"{used.short()}. Even with no real clustering about {hotspots_expected_by_chance(len(scored)):,} cells "
        "would pass the 95% mark by chance, so look for groups of outlined cells. Places are the nearest town "
        "centre to the cell's centre; police.uk locations are snapped to anonymised points, so single points "
        "are never shown."
    )


def ranking_section(table, group, measure, borough_name, period, source) -> None:
    st.subheader("All boroughs ranked")
    rows = say.ranking_rows(table, measure, period)
    number_formats = {column: "{:,.1f}" for column in rows.columns if column.startswith("Rate")}
    number_formats.update({column: "{:+.0f}%" for column in rows.columns if column.startswith("Change")})
    highlight = rows.style.apply(
        lambda row: (
            ["background-color: #fff3b0; font-weight: bold" if row["Borough"] == borough_name else ""] * len(row)
        ),
        axis=1,
    ).format(number_formats, na_rep="–")
    st.dataframe(highlight, hide_index=True, height=35 * len(rows) + 40)
    ui.download_csv(
        rows,
        label="Download this table (CSV)",
        file_stem=f"violence-{group.key}-{measure}-{month_text(period.start)}-to-{month_text(period.end)}",
        header_lines=[
            f"{group.label}, all London boroughs, {period.short()}, ranked by {MEASURES[measure].lower()}",
            source,
        ],
    )


main()
