"""The registry of topic sections: one module per dashboard topic, each registering a
builder with `@topic(...)`. Every module in this package is imported by `topics()`, so a new
topic joins the pack by adding a file here; `order` sets where its section appears."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from lib.briefing.context import Context
from lib.briefing.model import Section

Builder = Callable[[Context], Section]


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    order: int
    build: Builder


_REGISTRY: dict[str, Topic] = {}


def topic(key: str, title: str, *, order: int) -> Callable[[Builder], Builder]:
    """Register `build(context) -> Section` as the pack's section for one topic."""

    def register(build: Builder) -> Builder:
        _REGISTRY[key] = Topic(key, title, order, build)
        return build

    return register


def topics() -> list[Topic]:
    """Every registered topic, in section order."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(_REGISTRY.values(), key=lambda t: (t.order, t.key))
