"""Presenter mode without Streamlit: the slide number in the URL, chart fonts enlarged for a
projector or a shrunken video-call share, and the page's presenter styling and keys.

Sizes are chosen so a 1280×720 share scaled down to 960×540 still shows no text under
about 13 px: body text at least 18 px, the headline answer at least 32 px.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PRESENT_PARAM = "present"
SLIDE_PARAM = "slide"
MIN_TEXT_PX = 18
HEADLINE_PX = 34
CHART_TITLE_PX = 22
BASE_FONT_PX = 14  # the charts' normal label size (lib.charts.common.FONT_SIZE)
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
    legend = config["legend"]
    legend.setdefault("symbolSize", 100 * factor * factor)  # Vega's default 100, grown like the rest
    legend.setdefault("labelLimit", 0)
    config.setdefault("text", {})["fontSize"] = max(config.get("text", {}).get("fontSize", minimum), minimum)
    heading = config.setdefault("title", {})
    heading["fontSize"] = max(heading.get("fontSize", title), title)
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


def keyboard_script() -> str:
    """The presenter-mode key handler (assets/present.js) in a <script> element."""
    return f"<script>{(ASSETS / 'present.js').read_text(encoding='utf-8')}</script>"
