"""The pack's harm and justice section: the Harm and justice page's default offence (knife
crime) for the borough beside London, its positive outcome rate, the borough map and trend,
and knife injury victims aged 1-24, from the same functions as the page and its Overview card."""

from __future__ import annotations

import pandas as pd

from lib.briefing.context import Context
from lib.briefing.model import Chart, Columns, Paragraph, Section, Table, missing_section
from lib.briefing.topics import topic
from lib.charts.harm import outcome_ranking_chart, trend_chart
from lib.colour import quantile_scale
from lib.formatting import count_text, rate_text
from lib.maps.vegalite import borough_choropleth_spec, outline_features
from lib.metrics import harm as hm
from lib.metrics.breaks import comparability
from lib.metrics.ranking import rank_range
from lib.narrative import harm as say
from lib.narrative.breaks import break_warning
from lib.narrative.counts import RATE_UNIT
from lib.narrative.ranking import rank_sentence
from lib.narrative.sources import breaks_in, source_line
from lib.queries import harm as hq
from lib.queries.common import borough_outlines, populations
from lib.vocab import KNIFE_CRIME, KNIFE_VICTIMS_1_24

TITLE = "Harm and justice"
DEFAULT_TOPIC = "knife-crime"  # the page's and the Overview card's default
TABLE = "harm_monthly"
SUBJECT = "Monthly Crime Dashboard data"
METHODS = (
    (
        "Offences and rates",
        "As for violence: the Met's counts for the months covered, per 1,000 Census 2021 "
        "residents a year, changes by an exact Poisson test against the same months a year earlier.",
    ),
    ("Positive outcomes", f"{say.OUTCOME_MEANING} {say.OUTCOME_TIMING}"),
    ("Which outcome rates are compared", say.OUTCOME_RELIABILITY),
)


@topic("harm", TITLE, order=40)
def harm_section(ctx: Context) -> Section:
    if not ctx.query(hq.has_harm):
        return missing_section(
            "harm", TITLE, "This snapshot holds none of the Met's Monthly Crime Dashboard data (knife crime, outcomes)."
        )
    choices = {t.key: t for t in hm.topics(ctx.query(hq.subgroups))}
    if not choices:
        return missing_section("harm", TITLE, "This snapshot's Monthly Crime Dashboard table holds no offences.")
    chosen = choices.get(DEFAULT_TOPIC) or next(iter(choices.values()))
    name = ctx.borough_name
    data, monthly = _period(ctx, chosen)
    if data.cover.empty:
        return missing_section("harm", TITLE, data.cover.empty_sentence(SUBJECT, advice=None))
    manifest = ctx.store.snapshot.manifest
    breaks = breaks_in(manifest, TABLE)
    source = f"Source: {source_line(manifest, TABLE, data.cover.months)}."
    borough = hm.area_figures(data.table, data.cover, data.compared, ctx.borough, with_outcomes=chosen.has_outcomes)
    london = hm.area_figures(data.table, data.cover, data.compared, None, with_outcomes=chosen.has_outcomes)
    headline = say.headline(chosen, name, borough)
    change = borough.offences.change or london.offences.change
    check = comparability(data.compared, change, breaks)
    warnings = [text for text in (break_warning(check), say.connect_note(chosen, check)) if text]
    note = data.cover.note(SUBJECT)
    blocks: list = [Paragraph(note, "note")] if note else []
    blocks += [Paragraph(headline, "headline"), Paragraph(say.headline(chosen, "London", london))]
    blocks += [Paragraph(text, "note") for text in warnings]
    blocks.append(_beside_london(chosen, name, borough, london, data, source))
    findings = []
    if chosen.has_outcomes:
        findings.append(Paragraph(say.outcome_sentence(chosen, name, borough.outcomes, data.cover)))
    findings += _victims(ctx, choices, name)
    ranking = _outcome_ranking(chosen, data, london, ctx.borough if ctx.borough in set(monthly["gss_code"]) else None)
    blocks.append(
        Columns((*findings, *ranking[1:]), ranking[:1], ratio=(3, 2)) if ranking else Columns(tuple(findings), ())
    )
    map_chart, beside = _place(ctx, chosen, data)
    trend, trend_sentence = _trend(ctx, chosen, monthly, breaks)
    blocks.append(Columns((map_chart, trend_sentence), (trend, *beside), ratio=(1, 1)))
    limits = [say.LONDON_NOTE, *([note] if note else []), *warnings]
    if chosen.has_outcomes:
        limits.append(say.OUTCOME_TIMING)
    return Section(
        key="harm",
        title=TITLE,
        blocks=tuple(blocks),
        summary=headline,
        limits=tuple(limits),
        methods=METHODS,
        sources=(TABLE,),
    )


def _period(ctx: Context, chosen: hm.Topic) -> tuple[hm.HarmPeriod, pd.DataFrame]:
    monthly = ctx.query(hq.monthly_counts, group=chosen.group, subgroup=chosen.subgroup)
    residents = ctx.query(populations).set_index("gss_code")["All"]
    data = ctx.shared(("harm-period", chosen.key, ctx.period), lambda: hm.harm_period(monthly, residents, ctx.period))
    return data, monthly


def _rate_cell(figure) -> str:
    if figure.count is None:
        return "–"
    if figure.small:
        return "fewer than 10"
    return f"{rate_text(figure.rate)} ({rate_text(figure.rate_low)} to {rate_text(figure.rate_high)})"


def _change_cell(figure) -> str:
    change = figure.change
    if figure.count is None or figure.small or change is None:
        return "–"
    if change.direction == "no significant change":
        return f"{change.percent:+.0f}% (not significant)".replace("-", "−")
    return f"{change.direction} {abs(change.percent):.0f}% (significant)"


def _outcome_cell(rate: hm.OutcomeRate | None) -> str:
    if rate is None or rate.offences < 10 or rate.exceeds:
        return "–"
    return f"{say.percent(rate.rate)} ({say.percent(rate.low)} to {say.percent(rate.high)})"


def _beside_london(chosen, name, borough, london, data, source) -> Table:
    columns = ["Area", chosen.unit.capitalize(), f"Rate {RATE_UNIT} (95% interval)", "Change"]
    if chosen.has_outcomes:
        columns.append("Positive outcome rate (95% interval)")
    rows = []
    for area, result in ((name, borough), ("London", london)):
        offences = result.offences
        count = "–" if offences.count is None else "fewer than 10" if offences.small else count_text(offences.count)
        row = [area, count, _rate_cell(offences), _change_cell(offences)]
        if chosen.has_outcomes:
            row.append(_outcome_cell(result.outcomes))
        rows.append(tuple(row))
    compared = f"; change on {data.compared.noun()}" if data.compared else ""
    return Table(
        columns=tuple(columns),
        rows=tuple(rows),
        caption=f"{chosen.label}, {data.cover.short()}: {name} beside London{compared}",
        source=f"{source} A dash: no figure (the City of London is policed by the City of London Police).",
        highlight=0,
    )


def _victims(ctx: Context, choices: dict, name: str) -> list:
    victims = choices.get(hm.Topic(KNIFE_CRIME, KNIFE_VICTIMS_1_24, False).key)
    if victims is None:
        return []
    data, _ = _period(ctx, victims)
    if data.cover.empty:
        return []
    return [
        Paragraph(
            say.headline(
                victims, area, hm.area_figures(data.table, data.cover, data.compared, code, with_outcomes=False)
            )
        )
        for code, area in ((ctx.borough, name), (None, "London"))
    ]


def _place(ctx: Context, chosen: hm.Topic, data: hm.HarmPeriod) -> tuple[Chart, tuple[Paragraph, ...]]:
    """The borough map, and the borough's place and the map's sentence to set beside it."""
    table, name = data.table, ctx.borough_name
    reliable = table["rate_reliable"].astype(bool)
    place = rank_range(table, ctx.borough, value="rate", low="rate_low", high="rate_high", reliable="rate_reliable")
    values = pd.DataFrame(
        {
            "gss_code": table["gss_code"],
            "value": table["rate"].where(reliable),
            "label": [
                rate_text(r) if ok else (why or "no figure")
                for r, ok, why in zip(table["rate"], reliable, table["rate_reason"], strict=True)
            ],
        }
    )
    features = ctx.shared(("outline-features",), lambda: outline_features(ctx.query(borough_outlines)))
    map_sentence = say.borough_map_sentence(table, hm.RATE, chosen, data.compared)
    spec = borough_choropleth_spec(
        features,
        values,
        value_column="value",
        label_column="label",
        scale=quantile_scale(table.loc[reliable, "rate"]),
        title=f"{chosen.label} {RATE_UNIT}, {data.cover.short()}",
        legend_title=f"{chosen.unit.capitalize()} {RATE_UNIT}",
        no_data_label="not reliable or no figure",
        selected=ctx.borough,
        height=290,
    )
    chart = Chart(
        "harm-map",
        spec,
        alt=f"Map of London's boroughs shaded by the rate of {say.noun(chosen)}, {name} outlined. {map_sentence}",
        source="Colours: six classes with about equal numbers of boroughs in each; grey: not reliable or no figure.",
        width=380,
    )
    ranked = rank_sentence(name, place, what=f"rate of {say.noun(chosen)}")
    if place is None and ctx.borough in set(table["gss_code"]):
        why = table.loc[table["gss_code"] == ctx.borough, "rate_reason"].iloc[0]
        ranked = f"{name} is not ranked: {why or 'no figure'}."
    return chart, (Paragraph(ranked), Paragraph(map_sentence))


def _trend(ctx: Context, chosen: hm.Topic, monthly: pd.DataFrame, breaks) -> tuple[Chart, Paragraph]:
    """The monthly trend for the borough (London when the Met has no figures for it)."""
    residents = ctx.query(populations).set_index("gss_code")["All"]
    code = ctx.borough if ctx.borough in set(monthly["gss_code"]) else None
    area, rows = (ctx.borough_name, hm.area_rows(monthly, code)) if code else ("London", monthly)
    people = float(residents.get(code, 0)) if code else float(residents.reindex(sorted(set(monthly["gss_code"]))).sum())
    series = hm.offence_trend(rows, people, hm.RATE)
    sentence = say.trend_sentence(area, series, hm.RATE, chosen)
    spec = trend_chart(
        series, title=f"{chosen.label}: {area}", y_title="Per 1,000 residents a year", period=ctx.period, breaks=breaks
    )
    chart = Chart(
        "harm-trend",
        spec,
        alt=f"Line chart of the monthly rate of {say.noun(chosen)} in {area}, with its 12-month average, the same "
        f"months a year earlier and any known change in recording marked. {sentence}",
        width=280,
        height=150,
    )
    return chart, Paragraph(sentence)


def _outcome_ranking(chosen: hm.Topic, data: hm.HarmPeriod, london, code: str | None) -> tuple:
    """Every borough's positive outcome rate (the chosen one outlined) and its sentence; empty
    when the Met publishes no outcomes for the offence."""
    if not chosen.has_outcomes or london.outcomes is None:
        return ()
    spec = outcome_ranking_chart(
        data.table,
        london_rate=london.outcomes.rate,
        title=f"Positive outcome rate by borough, {data.cover.short()}",
        selected=code,
    )
    sentence = say.outcome_ranking_sentence(data.table, london.outcomes)
    chart = Chart(
        "harm-outcomes",
        spec,
        alt=f"Dot chart of each borough's positive outcome rate for {say.noun(chosen)} with its 95% interval, "
        f"London's rate as a line. {sentence}",
        width=170,
        height=10 * len(spec["datasets"]["main"]),
    )
    return chart, Paragraph(sentence)
