"""Typeset a pack with typst (from PyPI: no system packages): the template in this folder,
the pack as JSON, and each chart as an SVG rendered by vl-convert.

The PDF is tagged to PDF/UA-1, so every chart must carry alt text (typst refuses to
compile an image without it) and the document has a title and language. The HTML version
comes from the same template and data (typst's HTML export), charts inlined."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typst

from lib.briefing.model import Pack
from lib.briefing.render import to_svg

TEMPLATE = Path(__file__).with_name("template.typ")
PDF_STANDARDS = ["ua-1"]


class TypesetError(RuntimeError):
    """The template or data could not be typeset (a bug, not bad user input)."""


def project_files(pack: Pack) -> dict[str, bytes]:
    """Everything the template reads: itself, pack.json and one SVG per chart."""
    files = {
        "main.typ": TEMPLATE.read_bytes(),
        "pack.json": json.dumps(pack.document(), ensure_ascii=False).encode("utf-8"),
    }
    for chart in pack.all_charts():
        files[f"{chart.key}.svg"] = to_svg(chart.spec, chart.width, chart.height, chart.step).encode("utf-8")
    return files


def to_pdf(pack: Pack, *, files: dict[str, bytes] | None = None, timestamp: datetime | None = None) -> bytes:
    """The pack as a tagged PDF (PDF/UA-1)."""
    return _compile(files or project_files(pack), "pdf", timestamp)


def to_html(pack: Pack, *, files: dict[str, bytes] | None = None) -> bytes:
    """The pack as one self-contained HTML page (charts inlined as SVG data)."""
    return _compile(files or project_files(pack), "html", None)


def _compile(files: dict[str, bytes], fmt: str, timestamp: datetime | None) -> bytes:
    options: dict = {"format": fmt, "sys_inputs": {"format": fmt}}
    if fmt == "pdf":
        options["pdf_standards"] = PDF_STANDARDS
        if timestamp is not None:
            options["timestamp"] = timestamp
    try:
        return typst.compile(files, **options)
    except typst.TypstError as error:
        raise TypesetError(f"The briefing template could not be typeset: {error}") from error
