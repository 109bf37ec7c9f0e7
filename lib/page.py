"""The one page shape: a title, page-level controls, and a list of sections.

    run_page("Violence", SECTIONS, controls=controls)

`controls(ctx)` draws every page-level widget in one place and returns their values (read
from, and written to, the URL); each `Section` renders under its question from the
`PageContext` alone. Presenter mode (`?present=1`) shows the same sections as slides, one
chart or finding at a time, with the widgets hidden and their values read from the URL, so a
page draws nothing outside them and needs no second copy for the room.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

import streamlit as st

from lib import present, ui
from lib.filters import Filters


@dataclass(frozen=True, eq=False)
class PageContext:
    """Everything a section may depend on besides cached queries."""

    filters: Filters  # borough (None = all London) and period
    snapshot: ui.OpenSnapshot  # what is open: key, id, label, path, manifest, published-to month
    choices: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))  # page controls' values
    presenting: bool = False  # presenter mode: one section at a time, no widgets
    data: Any = None  # what the page's `prepare` hook computed once for all its sections

    def __getitem__(self, name: str) -> Any:
        """A page control's value: `ctx["measure"]`."""
        return self.choices[name]


@dataclass(frozen=True)
class Section:
    """One part of a page: a stable slug (`&slide=` later), the question it answers as its
    heading (text, or a function of the context), and how to draw it. `when` leaves a
    section out for some choices (a view switch)."""

    key: str
    question: str | Callable[[PageContext], str]
    render: Callable[[PageContext], None]
    when: Callable[[PageContext], bool] | None = None

    def heading(self, ctx: PageContext) -> str:
        return self.question(ctx) if callable(self.question) else self.question

    def shown(self, ctx: PageContext) -> bool:
        return self.when is None or self.when(ctx)


def page_context(choices: Mapping[str, Any] | None = None) -> PageContext:
    return PageContext(
        filters=ui.current_filters(),
        snapshot=ui.current_snapshot(),
        choices=MappingProxyType(dict(choices or {})),
    )


def run_page(
    title: str | Callable[[PageContext], str],
    sections: list[Section],
    controls: Callable[[PageContext], Mapping[str, Any] | None] | None = None,
    prepare: Callable[[PageContext], Any] | None = None,
    *,
    slides: bool = True,
) -> PageContext:
    """Draw the page: title, controls, then each section under its question. `prepare(ctx)`,
    if given, computes once what several sections share (`ctx.data`); it draws nothing.
    With `?present=1` in the address the page is shown as slides instead (`present_page`);
    `slides=False` is for a page with nothing to present (no Present button; the address's
    `present` is ignored)."""
    ctx = page_context()
    heading = title(ctx) if callable(title) else title
    if slides and ui.presenting():
        return present_page(heading, sections, controls, prepare, replace(ctx, presenting=True))
    st.title(heading)
    if slides:
        ui.present_button()
    if controls is not None:
        ctx = replace(ctx, choices=MappingProxyType(dict(controls(ctx) or {})))
    if prepare is not None:
        ctx = replace(ctx, data=prepare(ctx))
    for section in sections:
        if not section.shown(ctx):
            continue
        heading = section.heading(ctx)
        if heading:
            st.subheader(heading)
        section.render(ctx)
    return ctx


def present_page(
    title: str,
    sections: list[Section],
    controls: Callable[[PageContext], Mapping[str, Any] | None] | None,
    prepare: Callable[[PageContext], Any] | None,
    ctx: PageContext,
) -> PageContext:
    """The page as slides: the controls and every section run as usual but out of sight
    (so their values and figures are exactly the normal page's), what each section finds and
    draws becomes its slides (`present.slides_for`), and the slide the address names is shown,
    followed by a closing slide with the link to this view."""
    ui.presenter_styles()
    if controls is not None:
        with st.container(key="present-hidden-controls"):
            ctx = replace(ctx, choices=MappingProxyType(dict(controls(ctx) or {})))
    if prepare is not None:
        ctx = replace(ctx, data=prepare(ctx))
    slides: list[present.Slide] = []
    for section in sections:
        if not section.shown(ctx):
            continue
        with st.container(key=f"present-hidden-{section.key}"), ui.collecting() as events:
            section.render(ctx)
        slides += present.slides_for(section.key, section.heading(ctx) or title, events)
    slides.append(present.closing_slide(title))
    number = ui.slide_number(len(slides))
    ui.draw_slide(slides[number - 1], number, len(slides), coming=present.agenda(slides) if number == 1 else ())
    return ctx
