"""The pack's stop and search section: the Stop and search page's headline ratios, charts,
outcome test and borough map (self-defined ethnicity, all searches), and the Overview's
search rate, from the same functions."""

from __future__ import annotations

from lib.briefing.context import Context
from lib.briefing.model import Chart, Columns, Paragraph, Section, Table, missing_section
from lib.briefing.topics import topic
from lib.charts import stop_search as charts
from lib.colour import quantile_scale
from lib.maps.vegalite import borough_choropleth_spec, outline_features
from lib.metrics import stop_search as m
from lib.metrics.coverage import coverage
from lib.metrics.ranking import rank_range
from lib.narrative import stop_search as say
from lib.narrative.common import count_text, rate_text, ratio_text
from lib.narrative.ranking import left_out_sentence, rank_sentence
from lib.queries import stop_search as q
from lib.queries.common import borough_outlines, held_months, population_year, populations

GROUP = "Black"  # the page's default comparison with White
DEFINITION = q.SELF_DEFINED
TITLE = "Stop and search"
SOURCE = "Source: data.police.uk stop and search; ONS Census 2021 residents."
METHODS = (
    (
        "Search rate",
        "Searches made in the area in the months the data cover, scaled to 12 months, per 1,000 Census 2021 "
        "residents of the area (or of the ethnic group). The people searched need not live there.",
    ),
    (
        "Rate ratio",
        "A group's search rate divided by the White rate, with an exact 95% interval (conditional Poisson: "
        "Clopper-Pearson on the group's share of the two groups' searches, scaled by their populations).",
    ),
    (
        "Missing ethnicity",
        "The ratio recomputed with every search of unknown self-defined ethnicity given to the group, then to "
        "White people: the true ratio lies between these if the unknowns are like either group.",
    ),
    (
        "Small numbers",
        f"A group with {say.FEWER_THAN} searches shows '{say.FEWER_THAN}' and has no rate or ratio.",
    ),
    (
        "Outcome test",
        "Share of searches with an outcome other than no further action, with 95% Wilson intervals, compared "
        "between groups with a two-proportion test.",
    ),
)


@topic("stop_search", TITLE, order=30)
def stop_search_section(ctx: Context) -> Section:
    period, area, name = ctx.period, ctx.borough, ctx.borough_name
    cover = coverage(ctx.query(held_months, table="stop_search"), period)
    if cover.empty:
        message = cover.empty_sentence("stop and search data", advice=None)
        return missing_section("stop_search", TITLE, message)
    cube = ctx.query(q.search_cube, definition=DEFINITION, start=cover.first, end=cover.last)
    note = cover.note("stop and search", changes=False)
    if cube.empty:
        message = f"This snapshot holds no searches {cover.phrase()}."
        return missing_section("stop_search", TITLE, message)
    months = cover.count
    residents = ctx.query(populations)
    local = m.disparity_table(cube, residents, area=area, definition=DEFINITION, months=months)
    row = m.group_row(local, GROUP)
    figure = m.search_figure(cube, residents, area=area, cover=cover, definition=DEFINITION, group=GROUP)
    headline = say.search_headline(name, figure)
    rates = Chart(
        "stop-search-rates",
        charts.rate_chart(local, title=f"Searches per 1,000 residents per year, {cover.short()}"),
        alt=f"Dot chart of search rates per 1,000 residents a year in {name} for each ethnic group, with 95% "
        f"intervals. {headline}",
        width=230,
        height=150,
    )
    ratios = Chart(
        "stop-search-ratios",
        charts.ratio_chart(local, title=f"Rate compared with White residents, {cover.short()}"),
        alt=f"Dot chart of each group's search rate divided by the White rate in {name}, with 95% intervals "
        f"and the range if every search of unknown ethnicity had been of that group or of White people. {headline}",
        width=230,
        height=130,
    )
    blocks: list = []
    if note:
        blocks.append(Paragraph(note, "note"))
    blocks += [
        Paragraph(headline, "headline"),
        # The Overview's London sentence, which holds the Stop and search page's London ratio.
        Paragraph(
            say.search_headline(
                "London", m.search_figure(cube, residents, area=None, cover=cover, definition=DEFINITION, group=GROUP)
            )
        ),
        Paragraph(
            say.missing_range_sentence(
                row, int(m.group_row(local, m.UNKNOWN)["searches"]), definition_name="self-defined"
            )
        ),
        _beside_london(ctx, cube, cover),
        Columns((rates,), (ratios,)),
        Paragraph(
            f"{SOURCE} {name}, {cover.phrase()}. Dot: rate or ratio; dark line: 95% interval (exact Poisson); grey "
            "bar: the ratio if every search of unknown ethnicity had been of that group, or of White people. Dashed "
            "line: the same rate as White residents.",
            "note",
        ),
        Paragraph(
            say.basis_sentence(
                definition=DEFINITION,
                filters_text=say.filters_text(legislation=None, search_type=None, age_range=None, gender=None),
                population_year=ctx.query(population_year),
            )
            + " "
            + say.residence_sentence(name, m.unlocated_searches(cube))
        ),
    ]
    outcomes = m.outcome_rates(cube, area=area, definition=DEFINITION)
    status = m.find_status(cube, area=area)
    finds = m.find_rates(cube, area=area, definition=DEFINITION) if status == "recorded" else None
    findings = (
        Paragraph(f"{say.outcome_sentence(outcomes, GROUP)} {say.OUTCOME_TEST} {say.find_sentence(status, finds)}"),
        Paragraph(
            say.children_sentence(
                m.children_by_group(cube, area=area, definition=DEFINITION), area_name=name, when=_when(cover)
            )
        ),
        Paragraph(
            say.strip_sentence(
                m.strip_searches(cube, area=area, definition=DEFINITION), area_name=name, when=_when(cover)
            )
        ),
    )
    boroughs = ctx.shared(
        ("ss-boroughs", period),
        lambda: say.with_labels(
            m.borough_disparity(cube, residents, group=GROUP, definition=DEFINITION, months=months), GROUP
        ),
    )
    blocks += _place(ctx, boroughs, findings)
    limits = []
    if note:
        limits.append(note)
    unknown = int(m.group_row(local, m.UNKNOWN)["searches"])
    total = int(local["searches"].sum())
    if total:
        limits.append(
            f"{count_text(unknown)} of {count_text(total)} searches in {name} ({unknown / total:.0%}) have no "
            "self-defined ethnicity; the ratio's range shows what they could change."
        )
    left_out = left_out_sentence(boroughs)
    if left_out:
        limits.append(f"Not ranked or mapped in colour. {left_out}")
    limits.append(
        "Rates divide searches made in an area by the people who live there: places with busy town centres or "
        "transport hubs look high, and a ratio says nothing about why the rates differ."
    )
    return Section(
        key="stop_search",
        title=TITLE,
        blocks=tuple(blocks),
        summary=headline,
        limits=tuple(limits),
        methods=METHODS,
        sources=("stop_search", "population"),
    )


def _when(cover) -> str:
    """The months, for sentences, when they are not the section's whole period."""
    return "" if cover.complete else cover.phrase()


def _beside_london(ctx: Context, cube, cover) -> Table:
    people = ctx.query(populations)
    rows = []
    for code, area in ((ctx.borough, ctx.borough_name), (None, "London")):
        figure = m.search_figure(cube, people, area=code, cover=cover, definition=DEFINITION, group=GROUP)
        rows.append(
            (
                area,
                count_text(figure.count),
                rate_text(figure.rate),
                say.FEWER_THAN
                if figure.suppressed
                else f"{ratio_text(figure.ratio)} ({ratio_text(figure.ratio_low)} to {ratio_text(figure.ratio_high)})",
            )
        )
    return Table(
        columns=("Area", "Searches", "Per 1,000 residents a year", f"{GROUP}/White rate ratio (95% interval)"),
        rows=tuple(rows),
        caption=f"Stop and search, {cover.span()}: {ctx.borough_name} beside London",
        source=f"{SOURCE} London includes searches with no location. Self-defined ethnicity, all search types.",
        highlight=0,
    )


def _place(ctx: Context, boroughs, findings: tuple[Paragraph, ...]) -> list:
    name = ctx.borough_name
    place = rank_range(boroughs, ctx.borough, value="ratio", low="ratio_low", high="ratio_high", reliable="reliable")
    shown = boroughs.assign(ratio=boroughs["ratio"].where(boroughs["reliable"]))
    scale = quantile_scale(shown["ratio"])
    features = ctx.shared(("outline-features",), lambda: outline_features(ctx.query(borough_outlines)))
    sentence = say.ratio_map_sentence(boroughs, GROUP)
    spec = borough_choropleth_spec(
        features,
        shown,
        value_column="ratio",
        label_column="label",
        scale=scale,
        title=f"{GROUP}/White search rate ratio",
        legend_title=f"{GROUP}/White rate ratio",
        no_data_label=f"{say.FEWER_THAN}, or not reliable",
        selected=ctx.borough,
    )
    chart = Chart(
        "stop-search-map",
        spec,
        alt=f"Map of London's boroughs shaded by the {GROUP}/White search rate ratio, {name} outlined. {sentence}",
        source=f"Searches made in each borough (unlocated searches are in no borough) per 1,000 residents per "
        f"year; ratio = {GROUP} rate ÷ White rate. Grey: {say.FEWER_THAN} searches in a group, or not reliable.",
        width=380,
        height=290,
    )
    return [
        Columns(
            (chart,),
            (Paragraph(rank_sentence(name, place, what=f"{GROUP}/White ratio")), Paragraph(sentence), *findings),
            ratio=(1, 1),
        )
    ]
