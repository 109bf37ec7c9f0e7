"""Benchmarks: pages server-side (`python -m bench`), many sessions at once (`python -m
bench.load`) and pages in a real browser (`python -m bench.browser`). Each records its
results as a section of bench/results.md, leaving the other sections as they are."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "bench" / ".snapshots"
RESULTS = ROOT / "bench" / "results.md"
TITLE = "# Benchmarks"


def write_section(title: str, lines: list[str], results: Path = RESULTS) -> None:
    """Put `## title` and `lines` into the results file, replacing a section of that title."""
    text = results.read_text(encoding="utf-8") if results.exists() else ""
    sections = re.split(r"(?m)^(?=## )", text)
    head = sections[0] if sections[0].strip() and not sections[0].startswith("## ") else f"{TITLE}\n"
    body = [s.rstrip() + "\n\n" for s in sections if s.startswith("## ")]
    new = f"## {title}\n\n" + "\n".join(lines).rstrip() + "\n\n"
    for index, section in enumerate(body):
        if section.splitlines()[0] == f"## {title}":
            body[index] = new
            break
    else:
        body.append(new)
    results.write_text((head.rstrip() + "\n\n" + "".join(body)).rstrip() + "\n", encoding="utf-8")
