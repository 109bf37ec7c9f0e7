"""Everything that touches Streamlit outside the pages: snapshot choice, the shared
sidebar, URL-backed widgets, caching, notices and small presentation helpers.

Pages call these; they never read Parquet or query params themselves.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from lib import settings
from lib.boroughs import BOROUGHS, borough_name
from lib.charts.common import screen_spec
from lib.contract import SnapshotError
from lib.filters import Filters, Period, add_months, month_text, months_between, shown
from lib.queries.common import month_range
from lib.store import Store, is_open, open_store

DEMO_NOTICE = "Demo data: synthetic, not real figures."
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


# --- Snapshots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotChoice:
    key: str  # what the URL's `snapshot` parameter holds
    label: str
    path: Path


def snapshot_choices() -> list[SnapshotChoice]:
    """The built-in demo, DASHBOARD_SNAPSHOT if set, and every folder under data/snapshots/."""
    choices = []
    from_env = settings.snapshot_from_environment()
    if from_env is not None:
        choices.append(SnapshotChoice("startup", f"{from_env.name} (start-up)", from_env))
    choices.append(SnapshotChoice("demo", "Built-in demo (synthetic)", settings.DEMO_SNAPSHOT))
    folder = settings.snapshots_dir()
    if folder.is_dir():
        for path in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if _SNAPSHOT_NAME.match(path.name) and (path / "manifest.json").is_file():
                choices.append(SnapshotChoice(path.name, path.name, path))
    return choices


def _store_for(path: Path) -> Store:
    """The server's one open Store for a snapshot folder (lib.store.open_store). After a
    rebuild the old copy is closed and every cached result is dropped: they came from the
    old files, and keeping them would hold the old snapshot's memory."""
    if is_open(path):
        store, reopened = open_store(path)
    else:
        with st.spinner("Opening the snapshot…"):
            store, reopened = open_store(path)
    if reopened:
        st.cache_data.clear()
    return store


def select_snapshot() -> Store | None:
    """Sidebar snapshot picker (URL parameter `snapshot`); the opened store, or None with an
    error on screen when no snapshot can be opened."""
    choices = snapshot_choices()
    keys = [c.key for c in choices]
    requested = st.query_params.get("snapshot")
    if requested and requested not in keys:
        notice(f"There is no snapshot called '{shown(requested)}', so the default is shown.")
    if "snapshot" not in st.session_state or st.session_state["snapshot"] not in keys:
        st.session_state["snapshot"] = requested if requested in keys else keys[0]
    chosen_key = st.sidebar.selectbox(
        "Snapshot",
        keys,
        key="snapshot",
        format_func=lambda k: next(c.label for c in choices if c.key == k),
        help="Which data to show: the built-in demo or an official snapshot in data/snapshots/.",
    )
    _set_param("snapshot", chosen_key, default=keys[0])
    chosen = next(c for c in choices if c.key == chosen_key)
    try:
        return _store_for(chosen.path)
    except SnapshotError as error:
        st.error(f"This snapshot cannot be opened: {error}")
        if chosen.path == settings.DEMO_SNAPSHOT and not chosen.path.exists():
            st.info("Build the demo snapshot with `make demo` (or start the dashboard with `make run`).")
        else:
            st.info("Pick another snapshot in the sidebar, or rebuild this one with the pipeline.")
        return None


def current_store() -> Store:
    """The store app.py opened for this run (pages call this)."""
    store = st.session_state.get("_store")
    if store is None:
        # Only when a page runs without app.py (a legacy-multipage first request after
        # `streamlit run`): send the user through the app shell instead of failing.
        st.switch_page("app.py")
    return store


def cached(function: Callable[..., Any], **kwargs: Any) -> Any:
    """`function(store, **kwargs)` cached per (snapshot, function, arguments)."""
    store = current_store()
    key = tuple(sorted((name, _hashable(value)) for name, value in kwargs.items()))
    return _cached_call(
        store.snapshot.path.as_posix(), store.snapshot_id, function.__module__, function.__qualname__, key
    )


def memo(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` for a pure function of data (DataFrames included), reused
    while the arguments are the same: London-wide tables that a borough change leaves alone
    are then computed once."""
    return _memo_call(function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=256, show_spinner=False)
def _memo_call(module: str, name: str, args: tuple, kwargs: tuple) -> Any:
    return getattr(importlib.import_module(module), name)(*args, **dict(kwargs))


def _hashable(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


@st.cache_data(max_entries=2048, show_spinner=False)
def _cached_call(path: str, snapshot_id: str, module: str, name: str, kwargs: tuple) -> Any:
    function = getattr(importlib.import_module(module), name)
    return function(_store_for(Path(path)), **dict(kwargs))


# --- Shared filters -----------------------------------------------------------------------


def _set_param(name: str, value: str | None, default: str | None = None) -> None:
    """Keep the URL in step with a widget: write non-default values, drop default ones."""
    if value is None or value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def shared_sidebar(store: Store) -> Filters:
    """Borough and period widgets, initialised from the URL and written back to it."""
    first, last = cached(month_range)
    default = Filters.default(first, last)
    if "_filters" not in st.session_state:
        filters, messages = Filters.from_query_params(dict(st.query_params), first, last)
        for message in messages:
            notice(message)
        st.session_state["borough"] = filters.borough or ""
        st.session_state["period"] = (filters.period.start, filters.period.end)
    months = [add_months(first, i) for i in range(months_between(first, last))]
    names = {b.gss_code: b.name for b in BOROUGHS}
    codes = ["", *sorted(names, key=names.get)]
    st.sidebar.selectbox("Borough", codes, key="borough", format_func=lambda code: names.get(code, "All London"))
    # AppTest hands a range select_slider back as a single month on reruns: fall back to the
    # period of the previous run rather than fail.
    chosen = st.session_state.get("period")
    if not (isinstance(chosen, tuple | list) and len(chosen) == 2 and chosen[0] in months and chosen[1] in months):
        before = st.session_state.get("_filters")
        fallback = before.period if before else default.period
        st.session_state["period"] = (fallback.start, fallback.end)
    st.sidebar.select_slider(
        "Period",
        options=months,
        # A range default makes Streamlit read the widget state back as a (start, end)
        # pair; without it a rerun collapses the period to one date. Session state wins.
        value=(months[0], months[-1]),
        key="period",
        format_func=lambda m: m.strftime("%b %Y"),
        help="Months are whole calendar months (London time).",
    )
    start, end = st.session_state["period"]
    filters = Filters(st.session_state["borough"] or None, Period(start, end))
    st.session_state["_filters"] = filters
    _set_param("borough", filters.borough)
    _set_param("from", month_text(start), month_text(default.period.start))
    _set_param("to", month_text(end), month_text(default.period.end))
    return filters


def current_filters() -> Filters:
    return st.session_state["_filters"]


# --- URL-backed page widgets --------------------------------------------------------------


def url_choice(
    label: str,
    param: str,
    options: Sequence[str],
    *,
    default: str,
    format_func: Callable[[str], str] = str,
    widget: str = "selectbox",
    container: Any = None,
    help: str | None = None,
) -> str:
    """A single-choice widget whose value lives in the URL parameter `param`.

    An unknown value in the URL is ignored with a notice; the default value is kept out of
    the URL so links stay short."""
    options = list(options)
    if default not in options:
        default = options[0]
    key = f"url:{param}"
    remembered = st.session_state.setdefault("_remembered", {})
    if key not in st.session_state:
        raw = st.query_params.get(param)
        value = _match_option(raw, options, format_func)
        if raw not in (None, "") and value is None:
            notice(f"'{shown(raw)}' is not a choice for {label.lower()}, so {format_func(default)} is shown.")
        st.session_state[key] = value or remembered.get(key, default)
    if st.session_state[key] not in options:
        st.session_state[key] = default
    where = container or st
    if widget == "radio":
        value = where.radio(label, options, key=key, format_func=format_func, horizontal=True, help=help)
    elif widget == "segmented":
        value = (
            where.segmented_control(
                label, options, key=key, format_func=format_func, help=help, selection_mode="single"
            )
            or default
        )
    else:
        value = where.selectbox(label, options, key=key, format_func=format_func, help=help)
    remembered[key] = value
    _set_param(param, value, default)
    return value


def url_multichoice(
    label: str,
    param: str,
    options: Sequence[str],
    *,
    default: Sequence[str] = (),
    max_selections: int | None = None,
    format_func: Callable[[str], str] = str,
    container: Any = None,
) -> list[str]:
    """A multi-choice widget stored in the URL as a comma-separated list."""
    options = list(options)
    key = f"url:{param}"
    if key not in st.session_state:
        raw = st.query_params.get(param)
        chosen = list(default)
        if raw:
            parts = [_match_option(part, options, format_func) for part in str(raw).split(",")[:20]]
            if any(p is None for p in parts):
                notice(f"Some of '{shown(raw)}' are not choices for {label.lower()}; they were ignored.")
            chosen = list(dict.fromkeys(p for p in parts if p is not None))
        st.session_state[key] = chosen[:max_selections] if max_selections else chosen
    where = container or st
    values = where.multiselect(label, options, key=key, format_func=format_func, max_selections=max_selections)
    _set_param(param, ",".join(values) if values else None, ",".join(default) or None)
    return values


def _match_option(raw: object, options: Sequence[str], format_func: Callable[[str], str]) -> str | None:
    """The option a URL value names: exact, or by case-insensitive value or label."""
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 120:
        return None
    if raw in options:
        return raw
    wanted = raw.strip().lower()
    for option in options:
        if option.lower() == wanted or format_func(option).lower() == wanted:
            return option
    return None


# --- Notices and presentation -------------------------------------------------------------


def notice(message: str) -> None:
    """Tell the user, once, that something in their link or filters was not used."""
    st.session_state.setdefault("_notices", []).append(message)


def show_notices() -> None:
    for message in dict.fromkeys(st.session_state.pop("_notices", [])):
        st.warning(message, icon=":material/info:")


def demo_banner(store: Store) -> None:
    if store.snapshot.is_demo:
        st.warning(
            f"**{DEMO_NOTICE}** Patterns are modelled on London; do not quote them.",
            icon=":material/science:",
        )


def sentence(text: str) -> None:
    """A plain-English finding, set large enough to read on a shared screen."""
    st.markdown(f"#### {text}")


def source_caption(text: str) -> None:
    st.caption(text)


def download_csv(
    frame: pd.DataFrame,
    *,
    label: str,
    file_stem: str,
    header_lines: Sequence[str] = (),
    key: str | None = None,
) -> None:
    """A CSV download of exactly `frame`, with comment lines (filters, source) on top."""
    body = frame.to_csv(index=False)
    header = "".join(f"# {line}\n" for line in header_lines)
    safe_stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", file_stem).strip("-")[:120]
    st.download_button(
        label,
        data=header + body,
        file_name=f"{safe_stem}.csv",
        mime="text/csv",
        key=key or f"download:{safe_stem}",
        icon=":material/download:",
    )


def area_cards(areas: Sequence[str | None]) -> Iterator[tuple[Any, str | None, str]]:
    """Side-by-side bordered cards, one per area (a borough's GSS code, or None for London),
    each headed by the area's name: yields (card, gss_code, name)."""
    for column, gss_code in zip(st.columns(len(areas)), areas, strict=True):
        card = column.container(border=True)
        name = borough_name(gss_code)
        card.markdown(f"**{name}**")
        yield card, gss_code, name


def chart(chart: Any, *, container: Any = None, **kwargs: Any) -> None:
    """Draw an Altair chart (as `st.altair_chart` would) styled for screen sharing."""
    (container or st).vega_lite_chart(spec=screen_spec(chart), **kwargs)


def cached_chart(
    builder: Callable[..., Any], *args: Any, container: Any = None, width: str = "stretch", **kwargs: Any
) -> None:
    """Draw `builder(*args, **kwargs)`, reusing the finished spec when the same builder gets
    the same data again (building and serialising an Altair chart costs tens of
    milliseconds; after a borough change the London charts are unchanged)."""
    spec = memo(_built_spec, builder.__module__, builder.__qualname__, args, tuple(sorted(kwargs.items())))
    (container or st).vega_lite_chart(spec=spec, width=width)


def _built_spec(module: str, name: str, args: tuple, kwargs: tuple) -> dict:
    return screen_spec(getattr(importlib.import_module(module), name)(*args, **dict(kwargs)))


def empty_result(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")
