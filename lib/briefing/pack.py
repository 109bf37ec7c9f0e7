"""Assemble a pack: cover, one section per registered topic, then what the data cannot tell
you, sources and licences (from the snapshot's manifest) and the methods."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lib.briefing.context import Context
from lib.briefing.model import Cover, Pack, SourceLine
from lib.briefing.topics import topics
from lib.manifest import DATASETS, built_at
from lib.months import label as month_label
from lib.narrative.methods import rules
from lib.queries.briefing import table_span

GENERAL_LIMITS = (
    "Every figure counts what was recorded or reported: a change in recording practice, in reporting, or in how "
    "a publisher allocates records to boroughs can move a figure without any change on the street.",
    "A borough's figures describe what happened or was answered in the borough, not the people who live there: "
    "victims, people searched and survey respondents are counted where the publisher places them.",
    "Statistical tests and intervals describe chance variation only; they cannot rule out errors in the data "
    "themselves.",
)
GENERAL_METHODS = (
    (
        "Residents",
        "ONS Census 2021 usual residents of each borough (and of each ethnic group), the same denominator for "
        "every period.",
    ),
    (
        "Same figures as the dashboard",
        "Every figure in this pack is computed by the same functions as the dashboard's pages for the same borough "
        "and period, from the same snapshot.",
    ),
)
_RULE = re.compile(r"^\*\*(?P<term>[^*]+?)\.\*\*\s*(?P<text>.*)$", re.DOTALL)


def dashboard_rules() -> list[tuple[str, str]]:
    """The About page's plain-English rules (comparison, months covered, reliability, breaks,
    missing figures) as (term, text): one wording for the page and the pack."""
    found = []
    for rule in rules():
        match = _RULE.match(rule)
        # "**Term.** text" becomes (term, text); a rule whose bold words begin its sentence
        # ("**A dash (–)** marks …") is kept whole, under the name "Missing figures".
        found.append((match["term"], match["text"]) if match else ("Missing figures", rule.replace("**", "")))
    return found


def period_text(ctx: Context) -> str:
    """'March 2024 to February 2025' (or one month)."""
    start, end = ctx.period.start, ctx.period.end
    return month_label(end) if start == end else f"{month_label(start)} to {month_label(end)}"


def build_pack(ctx: Context, *, generated: datetime | None = None) -> Pack:
    """The whole pack for the context's borough and period."""
    generated = generated or datetime.now(UTC)
    sections = tuple(t.build(ctx) for t in topics())
    manifest = ctx.store.snapshot.manifest
    demo = ctx.store.snapshot.is_demo
    generated_text = f"{generated.day} {generated:%B %Y, %H:%M} UTC"
    cover = Cover(
        title=f"Policing in {ctx.borough_name}: briefing pack",
        borough=ctx.borough_name,
        borough_code=ctx.borough,
        period=f"{period_text(ctx)} ({ctx.period.months} month{'s' if ctx.period.months != 1 else ''})",
        snapshot_title=str(manifest.get("title", "")),
        snapshot_id=ctx.store.snapshot_id,
        snapshot_built=built_at(manifest),
        demo=demo,
        generated=generated_text,
        facts=tuple(_data_held(ctx)) + tuple(_publication_dates(manifest)),
    )
    limits = [(s.title, text) for s in sections for text in s.limits]
    limits += [("All topics", text) for text in GENERAL_LIMITS]
    methods = [*dashboard_rules(), *GENERAL_METHODS]
    for section in sections:
        methods += [(f"{section.title}: {term}", text) for term, text in section.methods]
    footer = (
        f"{ctx.borough_name} · {ctx.period.short()} · snapshot {ctx.store.snapshot_id} · made {generated:%-d %b %Y}"
    )
    if demo:
        footer = "DEMO DATA, not real figures · " + footer
    return Pack(
        cover=cover,
        sections=sections,
        limits=tuple(limits),
        sources=tuple(sources(manifest)),
        methods=tuple(methods),
        footer=footer,
    )


def sources(manifest: dict) -> list[SourceLine]:
    """One line per source in the manifest: publisher, licence, URL, files and rows read."""
    lines = []
    for source in manifest.get("sources", []) or []:
        files = [f for f in source.get("files") or [] if isinstance(f, dict)]
        rows = [f.get("rows_read") for f in files if isinstance(f.get("rows_read"), int)]
        # The file's path below the source's own folder (releases can share a file name).
        names = [str(f["path"]).split("/", 1)[-1] for f in files if f.get("path")]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        name = str(source.get("name", ""))
        dataset = DATASETS.get(name)
        lines.append(
            SourceLine(
                name=f"{dataset[0].upper()}{dataset[1:]} ({name})" if dataset else name,
                publisher=str(source.get("publisher", "")),
                licence=str(source.get("licence", "")),
                url=str(source.get("url", "")),
                files=len(files),
                rows=sum(rows) if rows else None,
                file_names=shown,
            )
        )
    return lines


def _data_held(ctx: Context) -> list[tuple[str, str]]:
    """The months (survey: quarter ends) each table of the snapshot holds."""
    facts = []
    for table, label in (
        ("crime_monthly", "Recorded crime held"),
        ("stop_search", "Stop and search held"),
        ("survey", "Survey held (12 months to)"),
    ):
        span = ctx.query(table_span, table=table)
        if span is not None:
            facts.append((label, f"{month_label(span[0])} to {month_label(span[1])}"))
    return facts


def _publication_dates(manifest: dict) -> list[tuple[str, str]]:
    """Publication or release dates the manifest records for its sources, if any."""
    facts = []
    for source in manifest.get("sources", []) or []:
        for key in ("published", "publication_date", "release", "released"):
            if source.get(key):
                facts.append((f"{source.get('name', 'Source')} published", str(source[key])))
                break
    return facts
