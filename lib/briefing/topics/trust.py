"""The pack's trust and confidence section: the Trust page's headline, trend and borough
comparison for the Overview's two measures, from the same functions."""

from __future__ import annotations

from lib.boroughs import borough_name
from lib.briefing.context import Context
from lib.briefing.model import Chart, Columns, Paragraph, Section, Table, missing_section
from lib.briefing.topics import topic
from lib.charts import trust as charts
from lib.charts.common import screen_spec
from lib.metrics import survey
from lib.narrative import trust as text
from lib.narrative.common import percent_text
from lib.queries.trust import area_values, survey_measures
from lib.vocab import SURVEY_MEASURES

CITY_OF_LONDON = "E09000001"
MEASURES = ("trust", "good_job")  # the Overview's two measures; the first is charted
TITLE = "Trust and confidence"
METHODS = (
    (
        "Survey figures",
        "MOPAC Public Attitude Survey: share of respondents agreeing, over the 12 months to a quarter end, with "
        "a 95% Wilson interval from the number of respondents (from the survey's design, about 400 per borough "
        "and 12,800 London-wide a year, where the number is not published: then approximate).",
    ),
    (
        "Survey change",
        "Pooled two-proportion z-test against the 12 months a year earlier (different respondents), 5% level.",
    ),
    (
        "Borough beside London",
        "The difference from London with a 95% interval combining both intervals (Newcombe's method); above or "
        "below only when that interval excludes zero. Values from fewer than 50 respondents are not shown.",
    ),
)


@topic("trust", TITLE, order=20)
def trust_section(ctx: Context) -> Section:
    measures = [m for m in MEASURES if m in ctx.query(survey_measures)]
    if not measures:
        return missing_section("trust", TITLE, "This snapshot has no Public Attitude Survey results.")
    area = None if ctx.borough == CITY_OF_LONDON else ctx.borough
    name = borough_name(area)
    blocks: list = []
    limits = [text.COVERAGE_TEXT]
    if area is None:
        limits.insert(0, "The Public Attitude Survey does not cover the City of London, so London is shown.")
        blocks.append(Paragraph(limits[0], "note"))
    summary = ""
    rows = []
    charted = None
    for measure in measures:
        label = SURVEY_MEASURES[measure]["label"]
        values = ctx.shared(
            ("survey-estimates", measure), lambda m=measure: survey.with_intervals(ctx.query(area_values, measure=m))
        )
        latest = survey.latest_period_end(values["period_end"].unique(), ctx.period.end)
        if latest is None:
            sentence = (
                f"{label}: the first figure is for {text.rolling_year(values['period_end'].min())}, after the "
                "period chosen."
            )
            blocks.append(Paragraph(sentence))
            continue
        changes = ctx.shared(("survey-changes", measure, latest), lambda v=values, e=latest: survey.area_changes(v, e))
        for code in dict.fromkeys([area, None]):
            figure = survey.area_figure(changes, code)
            if figure is None:
                continue
            sentence = text.headline_sentence(measure, borough_name(code), figure, month=ctx.period.end)
            blocks.append(Paragraph(sentence, "headline" if code == area and not summary else "text"))
            summary = summary or sentence
            rows.append(_row(label, borough_name(code), figure))
        if area is not None:
            verdict = survey.compare_with_london(changes)
            mine = verdict.loc[verdict["gss_code"] == area, "verdict"]
            phrase = text.versus_london_phrase(mine.iloc[0] if len(mine) else None, name)
            if phrase:
                blocks.append(Paragraph(f"{label}: {phrase}"))
        if charted is None:
            charted = (measure, label, values, changes, latest)
    if rows:
        blocks.append(
            Table(
                columns=("Measure", "Area", "Agree (95% interval)", "Change on a year earlier"),
                rows=tuple(rows),
                caption=f"Public Attitude Survey: {name} beside London",
                source="Source: MOPAC Public Attitude Survey, rolling 12 months at quarter ends.",
            )
        )
    if charted is not None:
        blocks += _charts(ctx, area, *charted)
    return Section(
        key="trust",
        title=TITLE,
        blocks=tuple(blocks),
        summary=summary,
        limits=tuple(limits),
        methods=METHODS,
        sources=("survey",),
    )


def _row(label: str, area: str, figure: survey.AreaFigure) -> tuple[str, ...]:
    if figure.reason:
        return (label, area, f"not shown: {figure.reason}", "")
    interval = f"{percent_text(figure.proportion)} ({percent_text(figure.low)} to {percent_text(figure.high)})"
    if figure.approximate:
        interval += ", approximate"
    change = figure.change
    if change is None:
        moved = "no figure a year earlier"
    elif change.direction == "no significant change":
        moved = f"no significant change ({text.signed_points(change.points)} points)"
    else:
        moved = f"{change.direction} {text.points_text(change.points)} (significant)"
    return (label, area, interval, moved)


def _charts(ctx: Context, area: str | None, measure: str, label: str, values, changes, latest) -> list:
    name = borough_name(area)
    first = values["period_end"].min()
    trend_text = text.trend_sentence(measure, name, first, latest, survey.change_since(values, area, first, latest))
    areas = (*([area] if area else []), None)
    banded = (name, "London") if area else ("London",)
    table = charts.trend_table(values, list(areas), latest)
    trend = screen_spec(charts.trend_chart(table, title=f"{label}, rolling 12 months", banded=list(banded)))
    trend_chart = Chart(
        "trust-trend",
        trend,
        alt=f"Line chart of the share who say '{label}' in {name} and London for each rolling 12 months to "
        f"{latest.strftime('%B %Y')}, with 95% interval bands. {trend_text}",
        source=text.source_text(
            latest,
            unit="Unit: % of respondents agreeing; bands are 95% intervals.",
            approximate=bool(changes["approximate"].any()),
        ),
        width=300,
        height=190,
    )
    left: list = [trend_chart, Paragraph(trend_text)]
    compared = survey.compare_with_london(changes)
    counts = survey.verdict_counts(compared)
    boroughs = changes[changes["gss_code"].notna()]
    if survey.area_figure(changes, None) is None or boroughs.empty:
        return left
    rank = survey.borough_rank(changes, area) if area else None
    ranking = text.ranking_sentence(name if area else None, rank, counts)
    left.append(Paragraph(ranking))
    london = float(changes.loc[changes["gss_code"].isna(), "proportion"].iloc[0])
    title = f"{label}, {text.rolling_year(latest)}"
    dot_table = charts.borough_table(changes)
    dot_chart = charts.borough_dot_chart(dot_table, london=london, selected=area, title=title)
    dots = Chart(
        "trust-boroughs",
        screen_spec(dot_chart),
        alt=f"Dot chart of every surveyed borough's share who say '{label}' in {text.rolling_year(latest)}, "
        f"highest first, each with its 95% interval, the London figure as a dashed line"
        f"{f' and {name} highlighted' if area else ''}. {ranking}",
        source="Dot: the borough's figure; bar: its 95% interval; dashed line: London.",
        width=170,
        height=11 * len(dot_table),
    )
    return [Columns(tuple(left), (dots,), ratio=(3, 2))]
