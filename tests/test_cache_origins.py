"""`ui.london_wide` knows a frame from `ui.cached` or `ui.london_wide` by where it came
from instead of hashing its contents on every rerun. That is only true while no page
changes such a frame in place: these tests hold every page to it."""

from __future__ import annotations

import pandas as pd
import pytest

from lib import ui
from lib.figure import Figure
from tests.apptest import run_page

VIEWS = [
    ("pages/overview.py", {"borough": "lambeth"}),
    ("pages/violence.py", {"borough": "hackney"}),
    ("pages/trust.py", {"borough": "camden", "view": "trend"}),
    ("pages/trust.py", {"view": "boroughs"}),
    ("pages/trust.py", {"view": "groups"}),
    ("pages/stop_search.py", {"borough": "lambeth"}),
    ("pages/harm.py", {"borough": "newham"}),
    ("pages/violence.py", {"borough": "croydon", "present": "1", "slide": "2"}),
]


def test_no_page_changes_a_cached_frame_in_place(app_env, monkeypatch):
    handed_out: list[tuple[pd.DataFrame, str, str]] = []
    remember = ui._remember_origin

    def remember_and_note(value, origin):
        if isinstance(value, pd.DataFrame):
            handed_out.append((value, ui._content_digest(value), origin))
        return remember(value, origin)

    monkeypatch.setattr(ui, "_remember_origin", remember_and_note)
    for page, query in VIEWS:
        at = run_page(page, query=query)
        assert not at.exception, (page, [e.message for e in at.exception])
    changed = sorted({origin for frame, digest, origin in handed_out if ui._content_digest(frame) != digest})
    assert len(handed_out) > 50, "the pages should have read many cached frames"
    assert changed == []


def test_a_known_frame_is_named_by_its_origin_without_hashing_it(monkeypatch):
    frame = ui._remember_origin(pd.DataFrame({"gss_code": ["E09000022"], "count": [3]}), "query:violence(lambeth)")
    monkeypatch.setattr(ui, "_content_digest", lambda frame: pytest.fail("hashed a frame with a known origin"))
    assert ui._value_key(frame) == "<query:violence(lambeth) (1, 2) ['gss_code', 'count']>"
    assert ui.frame_origin(frame) == "query:violence(lambeth)"


def test_a_frame_changed_in_place_or_unknown_is_not_mistaken_for_another():
    frame = ui._remember_origin(pd.DataFrame({"count": [3, 4]}), "query:x")
    before = ui._value_key(frame)
    frame["rate"] = [1.0, 2.0]  # a new column changes the name
    assert ui._value_key(frame) != before
    # Frames nobody cached are named by their content: equal content, equal name.
    one, same, other = pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [1, 2]}), pd.DataFrame({"a": [1, 3]})
    assert ui.frame_origin(one) is None
    assert ui._value_key(one) == ui._value_key(same) != ui._value_key(other)
    # A copy is a new object, so it is not taken for the cached original either.
    assert ui.frame_origin(frame.copy()) is None


def test_values_are_named_exactly_and_unpicklable_ones_never_reused():
    assert ui._value_key(("a", 1)) == ui._value_key(("a", 1)) != ui._value_key(("a", 2))
    assert ui._value_key(pd.Series(range(1000))) != ui._value_key(pd.Series([*range(999), 0]))
    assert ui._value_key(lambda: 1) != ui._value_key(lambda: 1)


def test_a_forgotten_frame_leaves_no_origin_behind():
    frame = ui._remember_origin(pd.DataFrame({"a": [1]}), "query:gone")
    ident = id(frame)
    del frame
    assert ident not in ui._origins


def test_a_maps_static_twin_is_built_only_for_slides_and_exports(app_env, monkeypatch):
    """The hot-spot map's Vega-Lite twin cost about a tenth of a busy server's time when every
    view built it; a normal view now leaves it alone, a slide of the map builds it."""
    import lib.views.violence as violence_view

    built = []
    real = violence_view.hotspot_map_spec

    def counting(*args, **kwargs):
        built.append(kwargs.get("selected"))
        return real(*args, **kwargs)

    monkeypatch.setattr(violence_view, "hotspot_map_spec", counting)
    at = run_page("pages/violence.py", query={"borough": "lambeth"})
    assert not at.exception and built == []
    figure = Figure("m", "t", deck=object(), static=lambda: {"mark": "geoshape"})
    assert figure.has_drawing and figure.drawing == {"mark": "geoshape"}
    assert not Figure("m", "t", deck=object()).has_drawing
    per_slide = []
    for number in range(1, 9):
        before = len(built)
        slide = run_page("pages/violence.py", query={"borough": "lambeth", "present": "1", "slide": str(number)})
        assert not slide.exception
        per_slide.append(len(built) - before)
    assert sorted(per_slide) == [0] * 7 + [1], per_slide  # only the hot-spot map's own slide builds it
    assert built == ["E09000022"]


def _counting(monkeypatch, module, name: str) -> list:
    """Replace `module.name` with a wrapper that records each call's `area` (named as the
    original, so `ui.london_wide` finds it by name) and return the record."""
    import functools

    calls = []
    real = getattr(module, name)

    @functools.wraps(real)
    def counting(*args, **kwargs):
        calls.append(kwargs.get("area", "-"))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_londons_figures_are_made_once_whichever_borough_is_chosen(app_env, monkeypatch):
    """A borough change recomputes the borough's figures only: London's searches headline,
    its survey changes and the borough tables come from the cache (they cost about a third of
    Overview's and a fifth of Stop and search's rerun when made every time)."""
    import lib.metrics.stop_search as searches
    import lib.metrics.survey as survey

    headline = _counting(monkeypatch, searches, "search_figure")
    changes = _counting(monkeypatch, survey, "latest_changes")
    boroughs = _counting(monkeypatch, searches, "borough_disparity")
    for borough in ("lambeth", "hackney", "croydon"):
        assert not run_page(
            "pages/overview.py", query={"borough": borough, "from": "2024-10", "to": "2025-09"}
        ).exception
        assert not run_page(
            "pages/stop_search.py", query={"borough": borough, "from": "2024-10", "to": "2025-09"}
        ).exception
    assert [a for a in headline if a is not None].count("E09000022") == 2  # Lambeth's, on each page
    assert headline.count(None) <= 1  # London's: once, or not at all if an earlier test cached it
    assert len(changes) <= 2  # one table per survey measure shown, for every borough
    assert len(boroughs) <= 1
