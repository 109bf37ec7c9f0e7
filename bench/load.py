"""Load benchmark: many sessions at once against one server, without browsers.

    .venv/bin/python -m bench.load --sessions 20 [--views 10] [--think 2] [--url http://127.0.0.1:8501]

Each session speaks Streamlit's own websocket protocol (`/_stcore/stream`, subprotocol
"streamlit", protobuf BackMsg / ForwardMsg from the installed `streamlit` package) as a
browser tab does: it opens a page with a borough in its link, then moves through the pages,
choosing a different borough in the sidebar each time (a rerun request carrying the
Borough widget's new value). For every page view it records the time from sending the
rerun request to the server's "script finished" message, the bytes of ForwardMsg payload
the server sent, the bytes that crossed the socket for it (after permessage-deflate, which
scripts/serve.py's configuration turns on; images and static files are separate HTTP
requests and not counted), and any error: an exception drawn on the page, an
error box, a script that did not finish successfully, a page not found, a dropped
connection or a view slower than --view-timeout.

Without --url it starts a server of its own on 127.0.0.1 with the full-scale demo snapshot
(`python -m bench` builds bench/.snapshots/full), opens one page on it and waits for it, so
the run meets a server that has been up a while (snapshot loaded, modules imported), and
stops it afterwards. The server's
memory (resident set) is sampled from /proc (psutil when installed) every 0.2 s: before the
run, its peak during the run, and after --idle seconds of quiet. Bounded: each session shows
--views pages and the whole run stops after --deadline seconds. Results are printed and,
with --write, recorded in bench/results.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection

from bench import RESULTS, ROOT, SNAPSHOTS, write_section
from bench.server import (
    cpu_seconds,
    ensure_full_snapshot,
    free_port,
    pid_listening_on,
    rss_mb,
    start_server,
    stop_server,
)
from lib.boroughs import BOROUGHS

PAGES = ("overview", "violence", "trust", "stop_search", "harm", "about")
URL_PATH = {"overview": ""}  # the default page lives at the app's root
TARGET_P95_S = 1.0
BOROUGH_LABEL = "Borough"
NAMES_NO_BOROUGH = frozenset({"about"})  # pages whose text does not depend on the borough


@dataclass
class View:
    session: int
    page: str
    borough: str
    seconds: float
    payload_bytes: int
    error: str | None = None
    wire_bytes: int = 0  # what crossed the network for the view (after websocket compression)
    named_borough: bool = False  # the borough's name appeared in what the server sent


@dataclass
class Result:
    views: list[View] = field(default_factory=list)
    opens: list[View] = field(default_factory=list)
    sessions_started: int = 0
    stopped_by_deadline: bool = False


# --- one session ---------------------------------------------------------------------------


class CountingConnection(ClientConnection):
    """A websocket client connection that counts the bytes it receives off the socket, so a
    view's size on the network (after permessage-deflate) is measured, not estimated."""

    received = 0

    def data_received(self, data: bytes) -> None:
        self.received += len(data)
        super().data_received(data)


class Session:
    """One browser tab's worth of protocol: open a page, then rerun it with new widget values."""

    def __init__(self, url: str, number: int, view_timeout: float) -> None:
        self.ws_url = url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self.number = number
        self.view_timeout = view_timeout
        self.page_hashes: dict[str, str] = {}
        self.borough_widget: str | None = None
        self.ws = None

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.view_timeout,
            create_connection=CountingConnection,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def open(self, page: str, borough: str) -> View:
        """The first request of a tab: a shared link with the borough in its query string."""
        message = BackMsg()
        message.rerun_script.query_string = f"borough={borough.replace(' ', '+')}"
        message.rerun_script.page_name = URL_PATH.get(page, page)
        message.rerun_script.context_info.url = f"http://127.0.0.1/{URL_PATH.get(page, page)}"
        message.rerun_script.context_info.timezone = "Europe/London"
        message.rerun_script.context_info.locale = "en-GB"
        return await self._run(message, page, borough)

    async def change(self, page: str, borough: str) -> View:
        """Pick a page in the navigation and a borough in the sidebar, as one rerun."""
        message = BackMsg()
        state = message.rerun_script
        state.page_script_hash = self.page_hashes[page]
        state.page_name = URL_PATH.get(page, page)
        widget = state.widget_states.widgets.add()
        widget.id = self.borough_widget
        widget.string_value = borough
        return await self._run(message, page, borough)

    async def _run(self, message: BackMsg, page: str, borough: str) -> View:
        started = time.perf_counter()
        payload = 0
        wire_before = self.ws.received
        error = None
        self._named = False
        self._wanted = borough
        await self.ws.send(message.SerializeToString())
        try:
            async with asyncio.timeout(self.view_timeout):
                while True:
                    data = await self.ws.recv()
                    payload += len(data)
                    forward = ForwardMsg()
                    forward.ParseFromString(data)
                    kind = forward.WhichOneof("type")
                    if kind == "delta":
                        error = error or self._delta_error(forward)
                    elif kind == "navigation":
                        self.page_hashes = {
                            (p.url_pathname or "overview"): p.page_script_hash for p in forward.navigation.app_pages
                        }
                    elif kind == "page_not_found":
                        error = error or f"page not found: {forward.page_not_found.page_name}"
                    elif kind == "session_event" and forward.session_event.WhichOneof("type") in (
                        "script_compilation_exception",
                        "script_changed_on_disk",
                    ):
                        error = error or f"session event {forward.session_event.WhichOneof('type')}"
                    elif kind == "script_finished":
                        status = forward.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue  # the script asked for a rerun (st.rerun, switch_page): wait for it
                        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                            error = error or f"script finished with {ForwardMsg.ScriptFinishedStatus.Name(status)}"
                        break
        except TimeoutError:
            error = f"no 'script finished' within {self.view_timeout:.0f} s"
        except websockets.ConnectionClosed as closed:
            error = f"connection closed ({closed})"
        if error is None and page not in NAMES_NO_BOROUGH and not self._named:
            error = f"no heading or text on the page named {borough}"
        seconds = time.perf_counter() - started
        wire = self.ws.received - wire_before
        return View(self.number, page, borough, seconds, payload, error, wire_bytes=wire, named_borough=self._named)

    def _delta_error(self, forward: ForwardMsg) -> str | None:
        delta = forward.delta
        if delta.WhichOneof("type") != "new_element":
            return None
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            return f"exception on the page: {element.exception.type}: {element.exception.message[:120]}"
        if kind == "alert" and element.alert.format == element.alert.ERROR:
            return f"error box: {element.alert.body[:120]}"
        if kind == "selectbox" and element.selectbox.label == BOROUGH_LABEL:
            self.borough_widget = element.selectbox.id
        if kind in ("heading", "markdown") and self._wanted in getattr(element, kind).body:
            self._named = True
        return None


async def run_session(
    url: str, number: int, args: argparse.Namespace, result: Result, deadline: float, start_gate: float
) -> None:
    rng = random.Random(args.seed * 1000 + number)
    names = [b.name for b in BOROUGHS]
    pages = list(args.pages)
    offset = number % len(pages)
    order = pages[offset:] + pages[:offset]  # sessions start on different pages
    await asyncio.sleep(max(0.0, start_gate - time.monotonic()) + rng.uniform(0, args.ramp))
    borough = rng.choice(names)
    try:
        async with Session(url, number, args.view_timeout) as session:
            result.sessions_started += 1
            view = await session.open(order[0], borough)
            result.opens.append(view)
            if view.error or session.borough_widget is None or not session.page_hashes:
                if not view.error:
                    view.error = "the page drew no Borough widget or navigation"
                return
            for index in range(args.views):
                if time.monotonic() > deadline:
                    result.stopped_by_deadline = True
                    return
                await asyncio.sleep(rng.uniform(0, 2 * args.think) if args.think else 0)
                borough = rng.choice([n for n in names if n != borough])
                page = order[(index + 1) % len(order)]
                view = await session.change(page, borough)
                result.views.append(view)
                if view.error and "connection closed" in view.error:
                    return
    except (OSError, websockets.WebSocketException, TimeoutError) as exc:
        result.opens.append(View(number, order[0], borough, 0.0, 0, f"could not connect: {exc}"))


# --- the server and its memory -------------------------------------------------------------


async def warm_up(url: str, timeout: float) -> None:
    """One view, not counted, as from the person who started the server: afterwards the
    snapshot is loaded and the pages' modules are imported."""
    async with Session(url, -1, timeout) as session:
        view = await session.open("overview", "Camden")
    if view.error:
        raise SystemExit(f"The server's first page failed: {view.error}")


class MemorySampler:
    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.peak = 0.0
        self._task: asyncio.Task | None = None

    def now(self) -> float | None:
        return rss_mb(self.pid) if self.pid else None

    async def _sample(self) -> None:
        while True:
            value = self.now()
            if value:
                self.peak = max(self.peak, value)
            await asyncio.sleep(0.2)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._sample())

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


# --- the run and its report ----------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def load(url: str, pid: int | None, args: argparse.Namespace) -> dict:
    result = Result()
    memory = MemorySampler(pid)
    before = memory.now()
    cpu_before = cpu_seconds(pid) if pid else None
    memory.start()
    started = time.monotonic()
    deadline = started + args.deadline
    await asyncio.gather(
        *(run_session(url, n, args, result, deadline, started) for n in range(args.sessions)),
    )
    elapsed = time.monotonic() - started
    cpu_after = cpu_seconds(pid) if pid else None
    await memory.stop()
    idle = None
    if pid and args.idle:
        await asyncio.sleep(args.idle)
        idle = memory.now()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    return {"result": result, "elapsed": elapsed, "before": before, "peak": memory.peak, "idle": idle, "cpu": cpu}


def table_row(label: str, views: list[View]) -> str:
    """One line of the results table: views, errors, times (ms) and sizes (KB) of the good ones."""
    good = [v for v in views if not v.error]
    times = [v.seconds * 1000 for v in good]
    if not times:
        return f"| {label} | {len(views)} | {len(views) - len(good)} | – | – | – | – | – |"
    payload = statistics.median(v.payload_bytes for v in good) / 1024
    wire = statistics.median(v.wire_bytes for v in good) / 1024
    return (
        f"| {label} | {len(views)} | {len(views) - len(good)} | {statistics.median(times):.0f} | "
        f"{percentile(times, 0.95):.0f} | {max(times):.0f} | {payload:,.0f} | {wire:,.0f} |"
    )


def summarise(outcome: dict, args: argparse.Namespace) -> tuple[list[str], bool]:
    result: Result = outcome["result"]
    every = result.views
    good = [v.seconds for v in every if not v.error]
    errors = [v for v in every + result.opens if v.error]
    opens = [v.seconds for v in result.opens if not v.error]
    p95 = percentile(good, 0.95) if good else float("inf")
    ok = not errors and p95 <= TARGET_P95_S and not result.stopped_by_deadline
    table = [
        "| page | views | errors | median (ms) | p95 (ms) | max (ms) | payload per view (KB, median) "
        "| on the wire (KB, median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    table += [
        table_row(page, [v for v in every if v.page == page])
        for page in args.pages
        if any(v.page == page for v in every)
    ]
    if result.opens:
        table.append(table_row("first load (a link opened, any page)", result.opens))
    if every:
        table.append(table_row("**all pages, after a borough change**", every))
    memory = []
    if outcome["peak"]:
        memory.append(f"server memory {outcome['before']:.0f} MB before, peak {outcome['peak']:.0f} MB during the run")
        if outcome["idle"] is not None:
            memory[-1] += f", {outcome['idle']:.0f} MB after {args.idle:.0f} s idle"
    served = len(every) + len(result.opens)
    cpu = ""
    if outcome.get("cpu") is not None and served:
        per_view = outcome["cpu"] / served
        cpu = (
            f" Server CPU: {outcome['cpu']:.1f} s for {served} views, {per_view * 1000:.0f} ms a view "
            f"(one core serves at most about {1 / per_view:.0f} views a second: Streamlit runs every session's "
            f"script in one Python process); {served / outcome['elapsed']:.1f} views a second were served."
        )
    lines = [
        f"{args.sessions} sessions × {args.views} views (think time {args.think:g} s mean), "
        f"{len(result.opens)} first loads (median {statistics.median(opens) if opens else float('nan'):.1f} s), "
        f"run took {outcome['elapsed']:.0f} s; " + ("; ".join(memory) or "server memory not measured") + "." + cpu,
        "",
        *table,
        "",
        f"Target: zero errors and p95 ≤ {TARGET_P95_S * 1000:.0f} ms: **{'met' if ok else 'missed'}**"
        + (" (stopped at the deadline)" if result.stopped_by_deadline else "")
        + ".",
    ]
    for view in errors[:10]:
        lines.append(f"- session {view.session}, {view.page}, {view.borough}: {view.error}")
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--views", type=int, default=10, help="page views per session after the first (default 10)")
    parser.add_argument(
        "--think",
        type=float,
        default=5.0,
        help="mean seconds a reader spends on a page before the next click, drawn uniformly from 0 to twice "
        "this (default 5; 0 sends every click as soon as the last page has finished, to find capacity)",
    )
    parser.add_argument("--ramp", type=float, default=5.0, help="sessions open within this many seconds (default 5)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=PAGES)
    parser.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8501 (default: start one)")
    parser.add_argument("--pid", type=int, help="the running server's process id, for its memory (found if omitted)")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOTS / "full", help="snapshot for a server started here")
    parser.add_argument("--port", type=int, default=0, help="port for a server started here (default: a free one)")
    parser.add_argument("--view-timeout", type=float, default=60.0, help="a view slower than this is an error")
    parser.add_argument("--deadline", type=float, default=600.0, help="stop starting views after this many seconds")
    parser.add_argument("--idle", type=float, default=30.0, help="seconds to wait before the idle memory reading")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="record the results in bench/results.md")
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.views < 1:
        parser.error("--sessions and --views must be at least 1")

    server = None
    if args.url:
        url = args.url.rstrip("/")
        if not url.startswith("http://127.0.0.1"):
            parser.error("--url must be a server on this machine (http://127.0.0.1:PORT)")
        port = int(url.rsplit(":", 1)[1].split("/")[0])
        pid = args.pid or pid_listening_on(port)
    else:
        ensure_full_snapshot(args.snapshot)
        port = args.port or free_port()
        print(f"Starting a server on 127.0.0.1:{port} with {args.snapshot}…", flush=True)
        server = start_server(args.snapshot, port)
        url, pid = f"http://127.0.0.1:{port}", server.pid
        asyncio.run(warm_up(url, args.view_timeout))
    try:
        print(f"{args.sessions} sessions against {url}…", flush=True)
        outcome = asyncio.run(load(url, pid, args))
    finally:
        if server is not None:
            stop_server(server)
    lines, ok = summarise(outcome, args)
    print("\n".join(lines))
    if args.write:
        load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        header = [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()} "
            f"({os.cpu_count()} cores, load average {load_average:.1f} at the end), Python "
            f"{platform.python_version()}; `.venv/bin/python -m bench.load {' '.join(argv or sys.argv[1:])}`"
            + (f" against {args.snapshot.name}" if server else f" against {url}")
            + ".",
            "Times run from the rerun request to the server's 'script finished' message, per page view after a "
            "borough change; payload is the ForwardMsg bytes the server sent for the view, on the wire what "
            "crossed the socket for it after websocket compression (frame headers included).",
            "",
        ]
        write_section(f"Load benchmark, think time {args.think:g} s", header + lines)
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
