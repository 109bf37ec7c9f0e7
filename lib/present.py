"""Presenter mode without Streamlit: the slide number in the URL, chart fonts enlarged for a
projector or a shrunken video-call share, and the page's presenter styling and keys.

Sizes are chosen so a 1280×720 share scaled down to 960×540 still shows no text under
about 13 px: body text at least 18 px, the headline answer at least 32 px.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from lib import months
from lib.figure import Figure
from lib.filters import Period
from lib.formatting import wrapped

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PRESENT_PARAM = "present"
SLIDE_PARAM = "slide"
MIN_TEXT_PX = 18
HEADLINE_PX = 34
CHART_TITLE_PX = 22
BASE_FONT_PX = 14  # the charts' normal label size (lib.charts.common.FONT_SIZE)
TEXT_COLOUR = "#1a1a1a"
_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize", "subtitleFontSize")


def is_presenting(params: dict[str, Any]) -> bool:
    """`present=1` (or true/yes/on) in the query string."""
    return str(params.get(PRESENT_PARAM, "")).strip().lower() in {"1", "true", "yes", "on"}


def slide_number(raw: object, count: int) -> int:
    """The 1-based slide a URL asks for, kept within 1..count (1 for anything unreadable)."""
    try:
        number = int(str(raw).strip())
    except ValueError:
        return 1
    return min(max(number, 1), max(count, 1))


def enlarged(spec: dict, *, minimum: int = MIN_TEXT_PX, title: int = CHART_TITLE_PX) -> dict:
    """A copy of a Vega-Lite spec whose every text is at least `minimum` px: axis and legend
    labels and titles, text marks and headers scaled up in proportion (14 px becomes
    `minimum`), chart titles at least `title` px, legend symbols grown to match."""
    factor = minimum / BASE_FONT_PX
    spec = copy.deepcopy(spec)
    _scale_fonts(spec, factor, minimum)
    config = spec.setdefault("config", {})
    for section in ("axis", "legend", "header"):
        part = config.setdefault(section, {})
        for key in ("labelFontSize", "titleFontSize"):
            part[key] = max(part.get(key, minimum), minimum)
        # Near-black on white (Streamlit's theme greys them), legible on a washed-out projector.
        part.setdefault("labelColor", TEXT_COLOUR)
        part.setdefault("titleColor", TEXT_COLOUR)
    legend = config["legend"]
    legend.setdefault("symbolSize", 100 * factor * factor)  # Vega's default 100, grown like the rest
    legend.setdefault("labelLimit", 0)
    config.setdefault("text", {})["fontSize"] = max(config.get("text", {}).get("fontSize", minimum), minimum)
    heading = config.setdefault("title", {})
    heading["fontSize"] = max(heading.get("fontSize", title), title)
    heading.setdefault("color", TEXT_COLOUR)
    heading["subtitleFontSize"] = max(heading.get("subtitleFontSize", minimum), minimum)
    return spec


def _scale_fonts(node: Any, factor: float, minimum: int) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _FONT_KEYS and isinstance(value, int | float):
                node[key] = max(round(value * factor), minimum)
            elif key == "symbolSize" and isinstance(value, int | float):
                node[key] = value * factor * factor
            else:
                _scale_fonts(value, factor, minimum)
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("type") == "text" and "fontSize" not in mark:
            mark["fontSize"] = minimum  # config.text covers text marks given as a plain string
    elif isinstance(node, list):
        for item in node:
            _scale_fonts(item, factor, minimum)


def stylesheet() -> str:
    """The presenter-mode CSS (assets/present.css) in a <style> element."""
    return f"<style>{(ASSETS / 'present.css').read_text(encoding='utf-8')}</style>"


# --- Slides ---------------------------------------------------------------------------------

SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
TEXT_WIDTH = 1050  # px: 40 px margin on the left, 190 px on the right for the QR code
# (average glyph width, line height) in px, the glyph about half the font size, bold wider.
_ANSWER = (32 * 0.54, 39)  # 32 px bold
_QUESTION = (26 * 0.54, 33)  # 26 px bold
_SOURCE = (18 * 0.5, 25)  # 18 px
MIN_STACKED_CHART = 300  # px: a chart squeezed below this goes beside the answer instead
MIN_STACKED_MAP = 400  # px: a map needs height more than width
SOURCE_LIMIT = 240  # characters of source on a slide when it has several sentences
ANSWER_LIMIT = 220  # characters of a finding in large type; the rest goes in the note
NOTE_LIMIT = 300  # characters of the note in small type
OPENING_LIMIT = 330  # characters in large type on a slide of findings without a chart
FIRST_SENTENCE_LIMIT = 340  # a first sentence of up to three lines is kept whole


def source_line(text: str, limit: int = SOURCE_LIMIT) -> str:
    """The source as it fits a slide: whole sentences up to `limit` characters (a first
    sentence of up to three lines is kept whole), else the first sentence cut at a word with
    an ellipsis. The full text stays in exports and on the normal page."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentences = _sentences(text)
    if len(sentences[0]) > limit:
        if len(sentences[0]) <= FIRST_SENTENCE_LIMIT:
            return sentences[0]
        return text[: FIRST_SENTENCE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"
    kept = ""
    for sentence in sentences:
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept


@dataclass(frozen=True)
class Layout:
    """Where a slide's parts go: the answer above the chart (`answer_share` None) or beside
    it, taking that share of the text column's width; and the chart's height in pixels."""

    answer_share: float | None
    chart_height: int


def _height(text: str, font: tuple[float, int], width: float) -> int:
    if not text:
        return 0
    return math.ceil(len(text) / max(1, int(width / font[0]))) * font[1]


def split_answer(text: str, limit: int = ANSWER_LIMIT) -> tuple[str, str]:
    """A finding as a slide states it: (the answer in large type, the rest as a note in
    small type). The answer is the first sentences that fit `limit` characters (the first
    sentence always, cut after a clause if it runs past half as long again); the note is
    what follows, cut at a word with an ellipsis past NOTE_LIMIT. The whole finding stays
    the chart's description, on the normal page and in its table."""
    text = " ".join(text.split())
    sentences = _sentences(text)
    if not sentences:
        return "", ""
    answer = sentences[0]
    if len(answer) > limit * 1.5:
        clauses = answer.split("; ")
        answer = clauses[0] + ("." if len(clauses) > 1 and not clauses[0].endswith(".") else "")
        rest = "; ".join(clauses[1:])
        note = (rest[:1].upper() + rest[1:]) if rest else ""
        note = " ".join(part for part in (note, *sentences[1:]) if part)
    else:
        taken = 1
        while taken < len(sentences) and len(answer) + 1 + len(sentences[taken]) <= limit:
            answer = f"{answer} {sentences[taken]}"
            taken += 1
        note = " ".join(sentences[taken:])
    if len(note) > NOTE_LIMIT:
        note = note[: NOTE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"
    return answer, note


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text) if part]


def slide_layout(question: str, answer: str, source: str, *, note: str = "", is_map: bool = False) -> Layout:
    """The layout giving the chart the most room on a 1280×720 slide: below the view line
    and question, above the source and the controls along the bottom (78 px), either under
    the answer (and its note) or, when they would squeeze it (or a map), beside them."""
    body = SLIDE_HEIGHT - 12 - 78 - 27 - 4 * 8
    body -= _height(question, _QUESTION, TEXT_WIDTH) + _height(source, _SOURCE, TEXT_WIDTH)

    def words(width: float) -> int:
        return _height(answer, _ANSWER, width) + (_height(note, _SOURCE, width) + 8 if note else 0)

    stacked = body - words(TEXT_WIDTH) - 8
    if stacked >= (MIN_STACKED_MAP if is_map else MIN_STACKED_CHART) or not answer:
        return Layout(None, max(160, stacked))
    for share in (0.4, 0.5):
        if words(TEXT_WIDTH * share - 16) <= body:
            return Layout(share, max(160, body))
    return Layout(0.5, max(160, body))


def slide_spec(spec: dict, height: int, description: str = "", width: float = TEXT_WIDTH) -> dict:
    """A chart's spec for a slide: text enlarged (`enlarged`), `height` px tall and as wide
    as its place on the slide (`width` px), whatever its own sizing (steps per category,
    fixed pixels), its title wrapped to that width; `description` (the figure's sentence) as
    its accessible name. Layers that only draw outlines carry no data, so screen readers are
    not told about them."""
    big = enlarged(spec)
    if description:
        big["description"] = description
    for layer in big.get("layer", []):
        if "encoding" not in layer and isinstance(layer.get("mark"), dict):
            layer["mark"]["aria"] = False
    if "projection" in big:
        # A map keeps its shape (its cells were chosen for it), scaled to the height, and
        # its legends wrap to fit the narrower width.
        own_width, own = big.get("width"), big.get("height")
        if isinstance(own_width, int | float) and isinstance(own, int | float) and own:
            big["width"] = min(round(height * own_width / own), round(width))
            width = big["width"]
        big["height"] = height
        big["autosize"] = {"type": "fit", "contains": "padding"}
        for layer in big.get("layer", []):
            for name, channel in layer.get("encoding", {}).items():
                if isinstance(channel, dict) and isinstance(channel.get("legend"), dict):
                    channel["legend"]["columns"] = 2 if name in ("color", "fill") else 1
    elif "layer" in big or "mark" in big:
        big["height"] = height
        big["width"] = "container"
        # Too many categories for the height at 18 px: show the labels that fit, not a pile.
        big["config"]["axis"]["labelOverlap"] = "greedy"
        for layer in [big, *big.get("layer", [])]:
            for channel in ("x", "y"):
                axis = layer.get("encoding", {}).get(channel, {}).get("axis")
                if isinstance(axis, dict) and axis.get("labelOverlap") is False:
                    axis["labelOverlap"] = "greedy"
        # The height is the whole chart's (axes, title and legend included), not the plot's.
        big["autosize"] = {"type": "fit", "contains": "padding"}
    title = big.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if isinstance(text, str):
        lines = wrapped(text, width, CHART_TITLE_PX * 1.1)  # bold
        big["title"] = {**title, "text": lines} if isinstance(title, dict) else {"text": lines}
    return big


def link_text(link: str) -> str:
    """The link as printed on a slide: without the scheme, which nobody types."""
    return re.sub(r"^https?://", "", link)


@dataclass(frozen=True, eq=False)
class Slide:
    """One slide: a question, its plain-English answer, at most one chart or map (with the
    legends drawn beside it), and a source line. `section` is the page section it comes from."""

    section: str
    question: str
    answer: str
    figure: Figure | None = None
    legends: tuple[Figure, ...] = ()
    source: str = ""


CLOSING = "closing"


def closing_slide(title: str) -> Slide:
    """The last slide: the link to this view, as a QR code and in words."""
    return Slide(CLOSING, "See these figures for yourself", title)


def agenda(slides: Sequence[Slide]) -> list[str]:
    """The questions the slides after the first answer, in order, each once: what the
    opening slide lists as coming up."""
    return list(dict.fromkeys(s.question for s in slides[1:] if s.section != CLOSING and s.question))


# What a section put on the page, in order, while presenter mode collected it (lib.ui).
SAID, SOURCED, DRAWN = "said", "sourced", "drawn"


def slides_for(section: str, question: str, events: Sequence[tuple[str, Any]]) -> list[Slide]:
    """A section's slides from what it drew: one per chart or map; or, when it drew none but
    stated findings, one slide of those findings; otherwise none (controls, tables, notes).

    A figure's answer is its own sentence, else the finding stated just before it (else the
    section's first); its source is its own, else the source line that follows it (else the
    section's last). Legends go with the figure before them."""
    said = [(i, text) for i, (kind, text) in enumerate(events) if kind == SAID and text]
    sourced = [(i, text) for i, (kind, text) in enumerate(events) if kind == SOURCED and text]
    drawn = [(i, figure) for i, (kind, figure) in enumerate(events) if kind == DRAWN]
    slides: list[Slide] = []
    for position, (i, figure) in enumerate(drawn):
        if figure.legend:
            continue
        until = next((j for j, f in drawn[position + 1 :] if not f.legend), len(events))
        legends = tuple(f for j, f in drawn[position + 1 :] if f.legend and j < until)
        before = [text for j, text in said if j < i]
        answer = figure.sentence or (before[-1] if before else said[0][1] if said else "")
        after = [text for j, text in sourced if j > i]
        source = figure.source or (after[0] if after else sourced[-1][1] if sourced else "")
        slides.append(Slide(section, question, answer, figure, legends, source))
    if not slides and said:
        source = sourced[-1][1] if sourced else ""
        slides.append(Slide(section, question, " ".join(text for _, text in said), source=source))
    return slides


def snapshot_words(is_demo: bool, published_to: date | None) -> str:
    """'official data published to February 2025', or the demo's warning."""
    if is_demo:
        return "synthetic demo data, not real figures"
    if published_to is None:
        return "official data"
    return f"official data published to {months.label(published_to)}"


def view_line(area: str, period: Period, snapshot: str) -> str:
    """The view in one line of words: 'Lambeth · March 2024 to February 2025 · official
    data published to February 2025'."""
    if period.months == 1:
        span = months.label(period.end)
    else:
        span = f"{months.label(period.start)} to {months.label(period.end)}"
    return " · ".join(part for part in (area, span, snapshot) if part)
