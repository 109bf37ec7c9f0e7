"""Everything that touches Streamlit outside the pages: snapshot choice, the shared
sidebar, the address bar, the one data path (`cached`, `london_wide`), the one drawing path
(`draw`), notices and small presentation helpers.

Pages call these (through `lib.page.run_page`); they never read Parquet or query params
themselves.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import math
import pickle
import re
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from lib import export, months, present, qr, settings
from lib.boroughs import BY_CODE
from lib.briefing import Briefer, file_stem
from lib.contract import SnapshotError
from lib.export import Provenance
from lib.figure import Figure
from lib.filters import ALL_LONDON, Filters, Period, quoted, unused_parameters_notice
from lib.manifest import snapshot_label
from lib.metrics.change import CountChange
from lib.metrics.proportions import ProportionChange
from lib.narrative.tables import for_display
from lib.queries.common import month_range
from lib.store import Store, is_open, open_store

DEMO_NOTICE = "Demo data: synthetic, not real figures."
_SNAPSHOT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
SHARED_PARAMS = ("snapshot", "borough", "from", "to")  # every address carries these
LONG_SPAN = 36  # months; a longer snapshot gets 'From' and 'To' menus instead of a slider
PERIOD_HELP = "Months are whole calendar months (London time)."


# --- Snapshots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotChoice:
    key: str  # what the URL's `snapshot` parameter holds
    label: str
    path: Path


@dataclass(frozen=True, eq=False)
class OpenSnapshot:
    """The snapshot a page shows: its picker key (the URL's `snapshot`), id, label, folder,
    manifest, the last month it holds data for, and whether it is the synthetic demo."""

    key: str
    snapshot_id: str
    label: str
    path: Path
    manifest: Mapping[str, Any]
    published_to: date | None
    is_demo: bool


def _described(path: Path, fallback: str) -> str:
    """The picker's words for a snapshot folder: what it holds (`snapshot_label`), or the
    fallback when its manifest cannot be read."""
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return fallback
    return snapshot_label(manifest) if isinstance(manifest, dict) else fallback


def snapshot_choices() -> list[SnapshotChoice]:
    """The built-in demo, DASHBOARD_SNAPSHOT if set, and every folder under data/snapshots/,
    each labelled with what it holds ('Official · data to February 2025 · built 2026-12-04');
    the folder name is added where two labels would read the same."""
    found = []
    from_env = settings.snapshot_from_environment()
    if from_env is not None:
        found.append(("startup", from_env, f"{from_env.name} (start-up)"))
    found.append(("demo", settings.DEMO_SNAPSHOT, "Built-in demo (synthetic)"))
    folder = settings.snapshots_dir()
    if folder.is_dir():
        for path in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if _SNAPSHOT_NAME.match(path.name) and (path / "manifest.json").is_file():
                found.append((path.name, path, path.name))
    labels = [_described(path, fallback) for _, path, fallback in found]
    choices = []
    for (key, path, _), label in zip(found, labels, strict=True):
        if key == "startup":
            label = f"{label} (start-up)"
        elif labels.count(label) > 1:
            label = f"{label} ({path.name})"
        choices.append(SnapshotChoice(key, label, path))
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
    requested = _first_param("snapshot")
    if requested and requested not in keys:
        notice(f"There is no snapshot called '{quoted(requested)}', so {choices[0].label} is shown.")
    if "snapshot" not in st.session_state or st.session_state["snapshot"] not in keys:
        st.session_state["snapshot"] = requested if requested in keys else keys[0]
    chosen_key = st.sidebar.selectbox(
        "Snapshot",
        keys,
        key="snapshot",
        format_func=lambda k: next(c.label for c in choices if c.key == k),
        help="Which data to show: the built-in demo or an official snapshot in data/snapshots/.",
    )
    chosen = next(c for c in choices if c.key == chosen_key)
    try:
        store = _store_for(chosen.path)
    except SnapshotError as error:
        st.error(f"This snapshot cannot be opened: {error}")
        if chosen.path == settings.DEMO_SNAPSHOT and not chosen.path.exists():
            st.info("Build the demo snapshot with `make demo` (or start the dashboard with `make run`).")
        else:
            st.info("Pick another snapshot in the sidebar, or rebuild this one with the pipeline.")
        return None
    manifest = store.snapshot.manifest
    st.session_state["_snapshot"] = OpenSnapshot(
        key=chosen.key,
        snapshot_id=store.snapshot_id,
        label=chosen.label,
        path=chosen.path,
        manifest=manifest,
        published_to=months.parse(str((manifest.get("period") or {}).get("to", ""))[:7]),
        is_demo=store.snapshot.is_demo,
    )
    return store


def current_store() -> Store:
    """The store app.py opened for this run (pages call this)."""
    store = st.session_state.get("_store")
    if store is None:
        # Only when a page runs without app.py (a legacy-multipage first request after
        # `streamlit run`): send the user through the app shell instead of failing.
        st.switch_page("app.py")
    return store


def current_snapshot() -> OpenSnapshot:
    return st.session_state["_snapshot"]


# --- The one data path --------------------------------------------------------------------


def cached(query: Callable[..., Any], **kwargs: Any) -> Any:
    """`query(store, **kwargs)` on the open snapshot, cached per (snapshot, query, arguments).
    Every read of snapshot data goes through here."""
    store = current_store()
    key = tuple(sorted((name, _hashable(value)) for name, value in kwargs.items()))
    path = store.snapshot.path.as_posix()
    result = _cached_call(path, store.snapshot_id, query.__module__, query.__qualname__, key)
    origin = f"{path}|{store.snapshot_id}|{store.opening}|{query.__module__}.{query.__qualname__}{key!r}"
    return _remember_origin(result, origin)


def london_wide(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` for a pure function of data (DataFrames included) whose
    result does not depend on the borough chosen, such as the table of all boroughs or the
    London map's layers: reused while its inputs are the same, so a borough change does not
    recompute it. Not for anything that reads the snapshot (use `cached`).

    A frame that came from `cached` or `london_wide` is known by where it came from, so a
    rerun does not hash its contents again (that hashing cost more than the work it saved)."""
    name = f"{function.__module__}.{function.__qualname__}"
    key = f"{name}({', '.join(map(_value_key, args))}; {_value_key(tuple(sorted(kwargs.items())))})"
    result = _london_wide_call(key, function.__module__, function.__qualname__, args, tuple(sorted(kwargs.items())))
    return _remember_origin(result, key)


def for_area(area: str | None, function: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` for a pure function of data about one area: London's
    result (`area` None) is the same whichever borough is chosen, so it is reused
    (`london_wide`); a borough's is computed."""
    return london_wide(function, *args, **kwargs) if area is None else function(*args, **kwargs)


@st.cache_data(max_entries=256, show_spinner=False)
def _london_wide_call(key: str, module: str, name: str, _args: tuple, _kwargs: tuple) -> Any:
    return getattr(importlib.import_module(module), name)(*_args, **dict(_kwargs))


# id(frame) -> (the frame, weakly, and where it came from). Pages never change a cached
# frame in place (tests/test_cache_origins.py), so its origin stays a true name for it.
_origins: dict[int, tuple[weakref.ref, str]] = {}


def _remember_origin(value: Any, origin: str) -> Any:
    if isinstance(value, pd.DataFrame):
        ident = id(value)

        def forget(ref: weakref.ref, ident: int = ident) -> None:
            if _origins.get(ident, (None,))[0] is ref:
                _origins.pop(ident, None)

        _origins[ident] = (weakref.ref(value, forget), origin)
    return value


def frame_origin(frame: pd.DataFrame) -> str | None:
    """Where a frame came from (`cached` or `london_wide`), if it is one of theirs."""
    entry = _origins.get(id(frame))
    return entry[1] if entry is not None and entry[0]() is frame else None


def _value_key(value: Any) -> str:
    """A text that names `value` exactly: a frame by its origin (and shape and columns, so a
    frame changed in place is not mistaken for its source) or else its content hash;
    containers item by item; anything else by a digest of its pickle."""
    if isinstance(value, pd.DataFrame):
        origin = frame_origin(value)
        if origin is not None:
            return f"<{origin} {value.shape} {list(value.columns)}>"
        return f"<frame {_content_digest(value)}>"
    if isinstance(value, list | tuple):
        return f"{type(value).__name__}({', '.join(map(_value_key, value))})"
    try:
        return hashlib.sha1(pickle.dumps(value, protocol=5)).hexdigest()
    except (pickle.PicklingError, TypeError, AttributeError):
        return f"<unhashable {id(value)}>"  # never reused: computed afresh each time


def _content_digest(frame: pd.DataFrame) -> str:
    """A frame's rows and columns as a digest; geometry as WKB."""
    described = repr((list(frame.columns), list(map(str, frame.dtypes)), str(getattr(frame, "crs", ""))))
    if hasattr(frame, "geometry") and hasattr(frame, "crs"):
        frame = pd.DataFrame(frame).assign(**{frame.geometry.name: frame.geometry.to_wkb()})
    try:
        rows = pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes()
    except TypeError:  # cells Pandas cannot hash (lists, dicts)
        rows = pickle.dumps(frame, protocol=5)
    return hashlib.sha1(rows + described.encode()).hexdigest()


def _hashable(value: Any) -> Any:
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return value


@st.cache_data(max_entries=2048, show_spinner=False)
def _cached_call(path: str, snapshot_id: str, module: str, name: str, kwargs: tuple) -> Any:
    function = getattr(importlib.import_module(module), name)
    return function(_store_for(Path(path)), **dict(kwargs))


# --- The one drawing path -----------------------------------------------------------------


def draw(figure: Figure, *, container: Any = None) -> None:
    """Put a chart or map on screen, with its sentence as alt text and, above it, its
    downloads (PNG, SVG, CSV) and a "Table" view of the data behind it. Every figure on every
    page is drawn here. While presenter mode collects a section's slides, it is recorded
    instead."""
    if _collected(present.DRAWN, figure):
        return
    where = container or st
    if not figure.legend:  # above the figure, so a map's legend stays right under the map
        figure_tools(figure, container=where, align="right")
    alt = figure.sentence or figure.title or None
    if figure.deck is not None:
        where.pydeck_chart(figure.deck, height=figure.height or 500, alt=alt)
    else:
        kwargs: dict[str, Any] = {"width": figure.width, "alt": alt}
        if figure.height is not None:
            kwargs["height"] = figure.height
        where.vega_lite_chart(spec=figure.spec, **kwargs)


def provenance(figure: Figure) -> Provenance:
    """The words every export of `figure` carries: its title, the view, the snapshot, its source."""
    filters, snapshot = current_filters(), current_snapshot()
    return Provenance(
        title=figure.title or figure.key,
        filters=present.view_line(filters.borough_name, filters.period, ""),
        snapshot=present.snapshot_words(snapshot.is_demo, snapshot.published_to).capitalize(),
        source=figure.source or "Source: see the About the data page.",
    )


def figure_tools(figure: Figure, *, container: Any = None, table: bool = True, align: str = "left") -> None:
    """A figure's downloads (PNG and SVG drawn on the server with the provenance in the
    image, CSV with it as a header; made only when clicked) and its data as a table."""
    words = provenance(figure)
    stem = words.file_stem()
    row = (container or st).container(
        horizontal=True, gap="small", horizontal_alignment=align, key=f"tools-{figure.key}"
    )
    with row.popover("Download", icon=":material/download:", help="This chart as an image or its data as CSV"):
        exports: list[tuple[str, Callable[[], Any], str, str]] = []
        if figure.has_drawing:  # a map's twin is built only when an image is asked for
            exports.append(("PNG image", lambda: export.png(figure.drawing, words), "png", "image/png"))
            exports.append(("SVG image", lambda: export.svg(figure.drawing, words), "svg", "image/svg+xml"))
        exports.append(("CSV data", partial(export.csv_text, figure.data, words), "csv", "text/csv"))
        for label, exporter, suffix, mime in exports:
            st.download_button(
                label,
                data=exporter,
                file_name=f"{stem}.{suffix}",
                mime=mime,
                on_click="ignore",
                key=f"{suffix}-{figure.key}",
            )
    if table and not figure.data.empty:
        # Drawn only while open: a page of charts does not send every table on every run.
        shelf = row.popover(
            "Table",
            icon=":material/table:",
            help="The numbers behind this chart",
            on_change="rerun",
            key=f"table-{figure.key}",
        )
        if shelf.open:
            shelf.caption(figure.sentence or figure.title)
            shelf.dataframe(for_display(figure.data, _number_formats(figure.data)), hide_index=True)


def _number_formats(frame: pd.DataFrame) -> dict[str, Callable[[Any], str]]:
    """Decimal columns to four significant figures (thousands with separators), as read."""

    def number(value: Any) -> str:
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"

    return {column: number for column in frame.columns if frame[column].dtype.kind == "f"}


# --- The address bar ----------------------------------------------------------------------
# The address is the view: app.py starts each run with `start_address`, every control that
# reads the URL writes its value back through `write_param`, and `finish_address` drops
# whatever no control used, so a copied link carries exactly the view on screen.


def start_address() -> None:
    st.session_state["_known_params"] = set(SHARED_PARAMS)


def query_values() -> dict[str, list[str]]:
    """Every parameter of the address with all its values (a parameter may be repeated)."""
    return {name: st.query_params.get_all(name) for name in st.query_params}


def _first_param(name: str) -> str | None:
    values = st.query_params.get_all(name)
    return values[0] if values else None


def write_param(name: str, value: str) -> None:
    """Record that `name` belongs to this view and put its value in the address."""
    st.session_state.setdefault("_known_params", set(SHARED_PARAMS)).add(name)
    if st.query_params.get_all(name) != [value]:
        st.query_params[name] = value


def link_to_view(page_path: str, page_paths: Sequence[str] = (), leave_out: Sequence[str] = ()) -> str:
    """The full address of the view on screen: the app's address in the browser (when the
    browser has reported it; its page part, one of `page_paths`, is replaced by this page's),
    the page's path and every parameter but those in `leave_out`."""
    pairs = [
        (name, value) for name in st.query_params if name not in leave_out for value in st.query_params.get_all(name)
    ]
    base = (st.context.url or "").split("?")[0].split("#")[0].rstrip("/")
    for path in page_paths:
        if path and base.endswith(f"/{path}"):
            base = base.removesuffix(f"/{path}")
            break
    return f"{base}/{page_path.strip('/')}?{urlencode(pairs)}"


def copy_link(container: Any, page_path: str, page_paths: Sequence[str] = ()) -> None:
    """Show the link to this view, with a copy button, in `container` (the sidebar)."""
    container.markdown("**Link to this view**", help="Reopens this page with the same snapshot, area and period.")
    container.code(link_to_view(page_path, page_paths), language=None, wrap_lines=True)


def finish_address() -> None:
    """Drop parameters no control of this page used, saying so."""
    known = st.session_state.get("_known_params", set(SHARED_PARAMS))
    unknown = [name for name in st.query_params if name not in known]
    for name in unknown:
        del st.query_params[name]
    if unknown:
        notice(unused_parameters_notice(unknown))


# --- Shared filters -----------------------------------------------------------------------


def _borough_label(code: str) -> str:
    return BY_CODE[code].name if code in BY_CODE else "All London"


def shared_sidebar(store: Store) -> Filters:
    """Borough and period widgets, initialised from the URL and written back to it; the
    filters chosen, which app.py hands to the page (`use_filters`)."""
    first, last = cached(month_range)
    default = Filters.default(first, last)
    write_param("snapshot", current_snapshot().key)
    if "_previous_filters" not in st.session_state:
        filters, messages = Filters.from_query_params(query_values(), first, last)
        for message in messages:
            notice(message)
        st.session_state["borough"] = filters.gss_code or ALL_LONDON
        st.session_state["period"] = (filters.period.start, filters.period.end)
    options = months.span(first, last)
    codes = [ALL_LONDON, *sorted(BY_CODE, key=lambda code: BY_CODE[code].name)]
    if st.session_state.get("borough") not in codes:
        st.session_state["borough"] = ALL_LONDON
    st.sidebar.selectbox("Borough", codes, key="borough", format_func=_borough_label)
    # AppTest hands a range select_slider back as a single month on reruns: fall back to the
    # period of the previous run rather than fail.
    chosen = st.session_state.get("period")
    if not (isinstance(chosen, tuple | list) and len(chosen) == 2 and chosen[0] in options and chosen[1] in options):
        before = st.session_state.get("_previous_filters")
        fallback = before.period if before else default.period
        st.session_state["period"] = (max(fallback.start, first), min(fallback.end, last))
        if st.session_state["period"][0] > st.session_state["period"][1]:
            st.session_state["period"] = (default.period.start, default.period.end)
    if len(options) > LONG_SPAN:
        start, end = _month_pickers(options)
    else:
        st.sidebar.select_slider(
            "Period",
            options=options,
            # A range default makes Streamlit read the widget state back as a (start, end)
            # pair; without it a rerun collapses the period to one date. Session state wins.
            value=(options[0], options[-1]),
            key="period",
            format_func=months.short,
            help=PERIOD_HELP,
        )
        start, end = st.session_state["period"]
    filters = Filters(BY_CODE.get(st.session_state["borough"]), Period(start, end))
    st.session_state["_previous_filters"] = filters
    for name, value in filters.to_query_params().items():
        write_param(name, value)
    return filters


def _month_pickers(options: list[date]) -> tuple[date, date]:
    """'From' and 'To' month menus (newest first) for a snapshot too long for a slider to be
    usable; they read and write the same period as the slider."""
    start, end = st.session_state["period"]
    for key, month in (("period:from", start), ("period:to", end)):
        if st.session_state.get(key) not in options:
            st.session_state[key] = month
    st.sidebar.markdown("**Period**", help=PERIOD_HELP)
    left, right = st.sidebar.columns(2)
    newest_first = options[::-1]
    left.selectbox("From", newest_first, key="period:from", format_func=months.short)
    right.selectbox("To", newest_first, key="period:to", format_func=months.short)
    start, end = st.session_state["period:from"], st.session_state["period:to"]
    if start > end:
        st.sidebar.caption("'From' was after 'To', so the two months were swapped.")
        start, end = end, start
    st.session_state["period"] = (start, end)
    return start, end


def use_filters(filters: Filters) -> None:
    """The filters the page app.py runs next shows (`current_filters`)."""
    st.session_state["_view_filters"] = filters


def current_filters() -> Filters:
    return st.session_state["_view_filters"]


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

    An unknown value in the URL is ignored with a notice; the value chosen is always
    written to the URL, so a copied link keeps it."""
    options = list(options)
    if default not in options:
        default = options[0]
    key = f"url:{param}"
    remembered = st.session_state.setdefault("_remembered", {})
    if key not in st.session_state:
        given = st.query_params.get_all(param)
        raw = given[0] if given else None
        value = _match_option(raw, options, format_func)
        if raw not in (None, "") and value is None:
            notice(f"'{quoted(raw)}' is not a choice for {label.lower()}, so {format_func(default)} is shown.")
        if len(set(given)) > 1:
            notice(f"The link gave {label.lower()} {len(given)} times; the first was used.")
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
    write_param(param, value)
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
    """A multi-choice widget stored in the URL as a comma-separated list (empty: none)."""
    options = list(options)
    key = f"url:{param}"
    if key not in st.session_state:
        raw = _first_param(param)
        chosen = list(default)
        if raw:
            parts = [_match_option(part, options, format_func) for part in str(raw).split(",")[:20]]
            if any(p is None for p in parts):
                notice(f"Some of '{quoted(raw)}' are not choices for {label.lower()}; they were ignored.")
            chosen = list(dict.fromkeys(p for p in parts if p is not None))
        st.session_state[key] = chosen[:max_selections] if max_selections else chosen
    st.session_state[key] = [value for value in st.session_state[key] if value in options]
    where = container or st
    values = where.multiselect(label, options, key=key, format_func=format_func, max_selections=max_selections)
    write_param(param, ",".join(values))
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
    if presenting():  # said before the presentation; a slide has no room for them
        st.session_state.pop("_notices", None)
        return
    for message in dict.fromkeys(st.session_state.pop("_notices", [])):
        st.warning(message, icon=":material/info:")


def demo_banner(store: Store) -> None:
    if store.snapshot.is_demo and not presenting():  # a slide says so in its top line
        st.warning(
            f"**{DEMO_NOTICE}** Patterns are modelled on London; do not quote them.",
            icon=":material/science:",
        )


def sentence(text: str, *, container: Any = None, large: bool = True) -> None:
    """A plain-English finding, set large enough to read on a shared screen (`large`), or
    as plain text beside a figure. Either way it is the answer a presenter's slide states."""
    if not _collected(present.SAID, text):
        (container or st).markdown(f"#### {text}" if large else text)


def source_caption(text: str) -> None:
    if not _collected(present.SOURCED, text):
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


@st.cache_resource(max_entries=8, show_spinner=False)
def _briefer(_store: Store, path: str, snapshot_id: str, opened: int) -> Briefer:
    """One Briefer per open Store (keyed by folder, snapshot and the Store object, so a
    rebuilt snapshot gets a new one): its London-wide tables are reused by every pack."""
    return Briefer(_store)


def briefing_download(filters: Filters) -> None:
    """'Download briefing (PDF)' for the borough and period in the filters. The pack is made
    when the button is clicked (on Streamlit's download thread, a few seconds), not on every
    rerun; for all London the button is replaced by a line saying to choose a borough."""
    if filters.borough is None:
        st.caption("Choose a borough in the sidebar to download its briefing pack (PDF).")
        return
    store = current_store()
    briefer = _briefer(store, store.snapshot.path.as_posix(), store.snapshot_id, id(store))
    borough, period = filters.gss_code, filters.period
    st.download_button(
        "Download briefing (PDF)",
        data=lambda: briefer.pdf(borough, period),
        file_name=f"{file_stem(borough, period)}.pdf",
        mime="application/pdf",
        key="download:briefing",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        help=f"A briefing pack for {filters.borough_name}, {period.short()}: 4 to 8 A4 pages with the same figures, "
        "charts and maps as these pages, what the data cannot tell you, sources and methods. It takes a few "
        "seconds to make.",
    )


def area_cards(filters: Filters) -> Iterator[tuple[Any, str | None, str]]:
    """Side-by-side bordered cards, the chosen borough's (if any) then London's, each headed
    by the area's name: yields (card, gss_code or None, name)."""
    areas = [(filters.gss_code, filters.borough_name), (None, "London")] if filters.borough else [(None, "London")]
    for column, (gss_code, name) in zip(st.columns(len(areas)), areas, strict=True):
        card = column.container(border=True)
        card.markdown(f"**{name}**")
        yield card, gss_code, name


def change_delta(
    amount: float | None, unit: str, *, significant: bool, higher_is_worse: bool, when: str = "on a year earlier"
) -> dict[str, Any]:
    """`st.metric`'s delta keywords for a change of `amount` `unit` ('%' or ' points'): the
    signed, rounded change ('+3 points on a year earlier'), coloured and with an arrow only
    when it is significant, so a change within the uncertainty never points anywhere. A rise
    is red when `higher_is_worse`. Streamlit reads the direction from a leading ASCII '-'."""
    if amount is None or not math.isfinite(amount):
        return {"delta": None}
    rounded = round(amount)
    shown = f"{rounded:+d}" if rounded else (f"{amount:+.1f}" if significant else "0")
    text = f"{shown}{unit} {when}"
    if not significant or shown == "0":
        return {"delta": text, "delta_color": "off", "delta_arrow": "off"}
    return {"delta": text, "delta_color": "inverse" if higher_is_worse else "normal", "delta_arrow": "auto"}


def count_change_delta(change: CountChange | None, *, when: str = "on a year earlier") -> dict[str, Any]:
    """`change_delta` for a count of offences (a rise is worse), in percent of the earlier
    count; nothing when there is no comparison or the earlier count was zero."""
    return change_delta(
        None if change is None else change.percent,
        "%",
        significant=bool(change and change.significant),
        higher_is_worse=True,
        when=when,
    )


def points_change_delta(change: ProportionChange | None) -> dict[str, Any]:
    """`change_delta` for a survey proportion (a rise is better), in percentage points."""
    return change_delta(
        None if change is None else change.points,
        " points",
        significant=bool(change and change.significant),
        higher_is_worse=False,
    )


def empty_result(message: str) -> None:
    """Why there is nothing to show here; on a slide, it is what the slide says."""
    if not _collected(present.SAID, message):
        st.info(message, icon=":material/filter_alt_off:")


# --- Presenter mode -----------------------------------------------------------------------
# `?present=1` shows a page as slides (lib.page.run_page): each section is drawn out of sight
# while `collecting` records its findings, figures and source lines; `lib.present.slides_for`
# turns those into slides, and `draw_slide` shows one. `&slide=N` is the slide; the buttons
# (and their keyboard shortcuts) change it, which adds a history entry, so Back works.

_EVENTS = "_present_events"


def presenting() -> bool:
    return present.is_presenting(st.query_params)


@contextmanager
def collecting() -> Iterator[list[tuple[str, Any]]]:
    """Within the block, `draw`, `sentence` and `source_caption` record what they would show."""
    events: list[tuple[str, Any]] = []
    st.session_state[_EVENTS] = events
    try:
        yield events
    finally:
        st.session_state.pop(_EVENTS, None)


def _collected(kind: str, value: Any) -> bool:
    events = st.session_state.get(_EVENTS)
    if events is None:
        return False
    events.append((kind, value))
    return True


def remember_page(page_path: str, page_paths: Sequence[str]) -> None:
    """The page app.py is about to run, and every page's path (for `view_link`)."""
    st.session_state["_page_paths"] = (page_path, tuple(page_paths))


def view_link() -> str:
    """The full link to this view in normal mode (every filter, the snapshot, the page):
    the sidebar's link without `present` and `slide`."""
    page_path, page_paths = st.session_state.get("_page_paths", ("", ()))
    return link_to_view(page_path, page_paths, leave_out=(present.PRESENT_PARAM, present.SLIDE_PARAM))


def view_words() -> str:
    """The view in words: 'Lambeth · March 2024 to February 2025 · official data published
    to February 2025'."""
    filters, snapshot = current_filters(), current_snapshot()
    return present.view_line(
        filters.borough_name, filters.period, present.snapshot_words(snapshot.is_demo, snapshot.published_to)
    )


def _go_to_slide(number: int) -> None:
    st.query_params[present.SLIDE_PARAM] = str(number)


def _start_presenting() -> None:
    st.query_params[present.PRESENT_PARAM] = "1"
    st.query_params[present.SLIDE_PARAM] = "1"


def _stop_presenting() -> None:
    for name in (present.PRESENT_PARAM, present.SLIDE_PARAM):
        if name in st.query_params:
            del st.query_params[name]


def present_button() -> None:
    """The normal page's way into presenter mode: the same view, one question at a time."""
    st.button(
        "Present",
        icon=":material/slideshow:",
        key="present-start",
        on_click=_start_presenting,
        help="Show this page as full-screen slides for a meeting (arrow keys move between slides).",
    )


def slide_number(count: int) -> int:
    """The slide the address asks for, within 1..count; the address corrected if it was not."""
    raw = _first_param(present.SLIDE_PARAM)
    number = present.slide_number(raw, count)
    write_param(present.PRESENT_PARAM, "1")
    write_param(present.SLIDE_PARAM, str(number))
    return number


def presenter_styles() -> None:
    st.html(present.stylesheet())


def draw_slide(slide: present.Slide, number: int, count: int, coming: Sequence[str] = ()) -> None:
    """One slide, filling a 1280×720 share: the view in words, the question, the answer in
    large type, the chart or map with its text enlarged, the source; the controls along the
    bottom and a QR code of the link to this view (normal mode) in the corner. The last slide
    is the closing slide.

    The controls and the corner come first and every slide has the same containers, so the
    page's elements keep their places from slide to slide: Streamlit then updates them rather
    than briefly showing two sets of buttons with the same keyboard shortcuts."""
    link = view_link()
    _slide_controls(slide, number, count)
    with st.container(key="present-corner"):
        if slide.section != present.CLOSING:
            code, width = qr.qr_png_fitting(link, 150)
            _qr_image(code, width, "present-qr-corner")
    with st.container(key="present-slide"):
        _slide_body(slide, link, coming)


def _slide_body(slide: present.Slide, link: str, coming: Sequence[str]) -> None:
    _words("present-filters", view_words())
    if slide.question:
        _words("present-question", slide.question, tag="h2")
    source = present.source_line(slide.source)
    figure = slide.figure
    if slide.section == present.CLOSING:
        _closing(link, slide.answer)
    elif figure is None:
        answer, note = present.split_answer(slide.answer, limit=present.OPENING_LIMIT)
        _words("present-answer present-answer-only", answer)
        if note:
            _words("present-note", note)
        if coming:
            items = "".join(f"<li>{_escaped(question)}</li>" for question in coming)
            st.html(f"<p class='present-source'>Coming up:</p><ol class='present-agenda'>{items}</ol>")
    else:
        answer, note = present.split_answer(slide.answer)
        layout = present.slide_layout(slide.question, answer, source, note=note, is_map=figure.is_map)
        if layout.answer_share is None:
            words = st.container(key="present-words")
            chart = st.container(key="present-chart")
        else:
            share = layout.answer_share
            chart, words = st.columns([1 - share, share], gap="medium")
        with words:
            _words("present-answer", answer)
            if note:
                _words("present-note", note)
        width = present.TEXT_WIDTH * (1 - (layout.answer_share or 0)) - (16 if layout.answer_share else 0)
        with chart:
            _slide_figure(figure, slide.legends, layout.chart_height, width)
    if source:
        _words("present-source", source)


def _slide_figure(figure: Figure, legends: Sequence[Figure], height: int, width: float) -> None:
    """The slide's chart or map, its text enlarged; a map without a static twin is drawn as
    the interactive map with its legends beneath."""
    alt = figure.sentence or figure.title or None
    drawing = figure.drawing
    if drawing is not None:
        spec = present.slide_spec(drawing, height, figure.sentence or figure.title, width)
        st.vega_lite_chart(spec=spec, width="content" if "projection" in spec else "stretch", alt=alt)
        return
    legend_height = 110 * len(legends)
    st.pydeck_chart(figure.deck, height=max(160, height - legend_height), alt=alt)
    for legend in legends:
        st.vega_lite_chart(spec=present.enlarged(legend.spec), width="content")


def _closing(link: str, title: str) -> None:
    code, width = qr.qr_png_fitting(link, 300)
    _words("present-source", f"This view of “{title}”, with the same filters, on the normal page:")
    left, right = st.columns([1, 2], vertical_alignment="center")
    with left:
        _qr_image(code, width, "present-qr-large")
    with right:
        _words("present-answer", "Scan the code with a phone camera, or type this link:")
        _words("present-link", present.link_text(link))


def _qr_image(png: bytes, width: int, key: str) -> None:
    """The QR code at its own pixel size (never resampled, so every module stays sharp)."""
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    st.html(
        f"<img class='present-qr {key}' src='{uri}' width='{width}' height='{width}' "
        "alt='QR code: the link to this view, printed on the last slide'>"
    )


def _words(css_class: str, text: str, *, tag: str = "p") -> None:
    st.html(f"<{tag} class='{css_class}'>{_escaped(text)}</{tag}>")


def _slide_controls(slide: present.Slide, number: int, count: int) -> None:
    row = st.container(horizontal=True, gap="small", vertical_alignment="center", key="present-controls")
    row.button(
        "Previous",
        icon=":material/arrow_back:",
        key="present-previous",
        on_click=_go_to_slide,
        args=(number - 1,),
        disabled=number <= 1,
        shortcut="Left",
    )
    row.button(
        "Next",
        icon=":material/arrow_forward:",
        key="present-next",
        on_click=_go_to_slide,
        args=(number + 1,),
        disabled=number >= count,
        shortcut="Right",
    )
    with row:
        _words("present-count", f"Slide {number} of {count}")
    tools = row.container(horizontal=True, gap="small", width="content", key="present-tools")
    if slide.figure is not None:
        figure_tools(slide.figure, container=tools, table=True)
    row.button(
        "Leave presenter mode", icon=":material/close:", key="present-leave", on_click=_stop_presenting, shortcut="Esc"
    )
    # Presentation clickers send Page Down / Page Up: the same moves, on buttons kept out of sight.
    with st.container(key="present-clicker"):
        st.button(
            "Next slide",
            key="present-next-key",
            on_click=_go_to_slide,
            args=(number + 1,),
            disabled=number >= count,
            shortcut="PageDown",
        )
        st.button(
            "Previous slide",
            key="present-previous-key",
            on_click=_go_to_slide,
            args=(number - 1,),
            disabled=number <= 1,
            shortcut="PageUp",
        )


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Tables -------------------------------------------------------------------------------

HIGHLIGHT = "background-color: #fff3b0; font-weight: bold"
MUTED = "color: #8a8a8a"


def table(
    shown: Any,
    *,
    highlight: Sequence[bool] | None = None,
    muted: Sequence[bool] | None = None,
    height: int | None = None,
    container: Any = None,
) -> None:
    """A `lib.narrative.tables.DisplayTable` on screen: every cell text (a dash for a missing
    figure), the chosen borough's row highlighted, rows whose figure is not reliable in grey,
    and the footnote that explains the dashes underneath."""
    where = container or st
    frame = shown.frame.reset_index(drop=True)
    marks = list(highlight or [False] * len(frame))
    greys = list(muted or [False] * len(frame))

    def style(row: pd.Series) -> list[str]:
        i = row.name
        return [HIGHLIGHT if marks[i] else MUTED if greys[i] else ""] * len(row)

    kwargs: dict[str, Any] = {"hide_index": True, "width": "stretch"}
    if height is not None:
        kwargs["height"] = height
    where.dataframe(frame.style.apply(style, axis=1), **kwargs)
    if shown.footnote:
        where.caption(shown.footnote)
