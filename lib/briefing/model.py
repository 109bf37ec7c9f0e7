"""What a briefing pack holds, independent of how it is typeset.

A pack is a cover, one `Section` per topic (built by the topic's registered builder), then
the limits, sources and methods the sections and the snapshot contribute. Everything here
is plain data; `Pack.document()` turns it into the JSON the typesetting template reads,
with each figure referred to by the file its rendered SVG is stored under.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paragraph:
    text: str
    kind: str = "text"  # "headline" (the topic's findings, set large), "text", or "note" (small)


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite chart or map, rendered to SVG on the server.

    `alt` describes the figure for readers who cannot see it (PDF alt text, HTML alt);
    `width` is the plot width in pixels the spec is rendered at (the figure then fills its
    column); `height` (pixels) and `step` (pixels per category of a banded axis), when
    given, replace the spec's own so a chart sized for a screen fits on paper."""

    key: str
    spec: dict
    alt: str
    source: str = ""
    width: int = 460
    height: int | None = None
    step: int | None = None


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    source: str = ""
    highlight: int | None = None  # index of the row to set in bold (the chosen borough)


@dataclass(frozen=True)
class Columns:
    """Two lists of blocks side by side (one after the other in the HTML version)."""

    left: tuple[Paragraph | Chart | Table, ...]
    right: tuple[Paragraph | Chart | Table, ...]
    ratio: tuple[int, int] = (1, 1)


Block = Paragraph | Chart | Table | Columns


@dataclass(frozen=True)
class Section:
    """One topic's part of the pack."""

    key: str
    title: str
    blocks: tuple[Block, ...]
    summary: str = ""  # one sentence for the cover's key findings
    limits: tuple[str, ...] = ()  # what this topic's data cannot tell you
    methods: tuple[tuple[str, str], ...] = ()  # (term, definition) for the methods appendix
    sources: tuple[str, ...] = ()  # manifest source names this section's figures come from


def missing_section(key: str, title: str, message: str, methods: tuple[tuple[str, str], ...] = ()) -> Section:
    """A topic's section when the snapshot cannot give its figures: the one sentence saying
    why, set as the headline and carried to the cover's findings and the limits."""
    return Section(key, title, (Paragraph(message, "headline"),), summary=message, limits=(message,), methods=methods)


@dataclass(frozen=True)
class SourceLine:
    name: str
    publisher: str
    licence: str
    url: str
    files: int
    rows: int | None
    file_names: str  # the first few file names, "and N more"


@dataclass(frozen=True)
class Cover:
    title: str
    borough: str
    borough_code: str
    period: str  # 'March 2024 to February 2025'
    snapshot_title: str
    snapshot_id: str
    snapshot_built: str
    demo: bool
    generated: str
    facts: tuple[tuple[str, str], ...] = ()  # further (label, value) lines for the cover


@dataclass(frozen=True)
class Pack:
    cover: Cover
    sections: tuple[Section, ...]
    limits: tuple[tuple[str, str], ...]  # (topic title, sentence)
    sources: tuple[SourceLine, ...]
    methods: tuple[tuple[str, str], ...]
    footer: str

    def all_charts(self) -> list[Chart]:
        return [chart for section in self.sections for chart in _charts(section.blocks)]

    def document(self) -> dict:
        """The JSON the template reads (charts by file name: `<key>.svg`)."""
        return {
            "cover": {
                "title": self.cover.title,
                "borough": self.cover.borough,
                "borough_code": self.cover.borough_code,
                "period": self.cover.period,
                "snapshot_title": self.cover.snapshot_title,
                "snapshot_id": self.cover.snapshot_id,
                "snapshot_built": self.cover.snapshot_built,
                "demo": self.cover.demo,
                "generated": self.cover.generated,
                "facts": [list(fact) for fact in self.cover.facts],
                "findings": [
                    {"topic": section.title, "text": section.summary} for section in self.sections if section.summary
                ],
            },
            "sections": [
                {"key": section.key, "title": section.title, "blocks": _blocks(section.blocks)}
                for section in self.sections
            ],
            "limits": [{"topic": topic, "text": text} for topic, text in self.limits],
            "sources": [
                {
                    "name": s.name,
                    "publisher": s.publisher,
                    "licence": s.licence,
                    "url": s.url,
                    "files": s.files,
                    "rows": None if s.rows is None else f"{s.rows:,}",
                    "file_names": s.file_names,
                }
                for s in self.sources
            ],
            "methods": [{"term": term, "text": text} for term, text in self.methods],
            "footer": self.footer,
        }


def _charts(blocks) -> list[Chart]:
    found = []
    for block in blocks:
        if isinstance(block, Chart):
            found.append(block)
        elif isinstance(block, Columns):
            found += _charts(block.left) + _charts(block.right)
    return found


def _blocks(blocks) -> list[dict]:
    return [_block(block) for block in blocks]


def _block(block: Block) -> dict:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "kind": block.kind, "text": block.text}
    if isinstance(block, Chart):
        return {"type": "chart", "file": f"{block.key}.svg", "alt": block.alt, "source": block.source}
    if isinstance(block, Columns):
        return {
            "type": "columns",
            "left": _blocks(block.left),
            "right": _blocks(block.right),
            "ratio": list(block.ratio),
        }
    return {
        "type": "table",
        "columns": list(block.columns),
        "rows": [list(row) for row in block.rows],
        "caption": block.caption,
        "source": block.source,
        "highlight": block.highlight,
    }
