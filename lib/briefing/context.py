"""The borough and period a pack is for, with the store and a cache shared across packs.

Topic builders ask the context for query results (`query`) and for London-wide
computations (`shared`): when one process writes the packs of all 33 boroughs, the
London-wide tables are computed once and only the borough's own figures are redone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lib.boroughs import borough_name
from lib.filters import Period
from lib.store import Store

T = TypeVar("T")


@dataclass
class Context:
    store: Store
    borough: str  # GSS code
    period: Period
    cache: dict[tuple, Any] = field(default_factory=dict)

    @property
    def borough_name(self) -> str:
        return borough_name(self.borough)

    def query(self, function: Callable[..., T], **kwargs: Any) -> T:
        """`function(store, **kwargs)`, computed once per snapshot and arguments."""
        key = (
            "query",
            function.__module__,
            function.__qualname__,
            *sorted((k, _hashable(v)) for k, v in kwargs.items()),
        )
        return self.shared(key, lambda: function(self.store, **kwargs))

    def shared(self, key: tuple, make: Callable[[], T]) -> T:
        """`make()`, computed once per key (include the period and any choice in the key)."""
        full_key = (self.store.snapshot_id, *key)
        if full_key not in self.cache:
            self.cache[full_key] = make()
        return self.cache[full_key]


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value
