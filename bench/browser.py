"""Browser benchmark: each page opened in a real browser, one session at a time.

    .venv/bin/python -m bench.browser [--runs 5] [--url http://127.0.0.1:8501] [--write]

Opens every page's link (with a borough, as a shared link would) in a fresh Chromium tab
at 1280x720 with an empty cache, --runs times, and measures:

- frontend started: from the start of navigation until Streamlit's JavaScript has loaded and
  opened its websocket (the floor: no page code runs before it);
- first draw: from the start of navigation until the page's title is on screen (the first
  element the page itself draws);
- complete: until every chart, map canvas and table the page holds is on screen and the
  page has stopped changing for 1 s (minus that second);
- bytes: what the page view moved over the network, split into the app's static files
  (HTTP, as transferred: gzipped by scripts/serve.py) and the page's own content (websocket payload).

Debian's /usr/bin/chromium, driven by Playwright, with software rendering as in the
browser tests. Without --url it starts a server of its own with the full-scale demo
snapshot. Target: first draw within 1.5 s median on every page. Not a test: the figures
depend on the machine; they are recorded in bench/results.md with --write.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench import RESULTS, ROOT, SNAPSHOTS, write_section
from bench.server import ensure_full_snapshot, free_port, start_server, stop_server
from tests.chromium import CHROMIUM, keep_local, launch

PAGES = {
    "overview": "",
    "violence": "violence",
    "trust": "trust",
    "stop_search": "stop_search",
    "harm": "harm",
    "about": "about",
}
TARGET_FIRST_DRAW_S = 1.5

# Runs in the page before any of its scripts: notes when the page's title first appears
# and when the main area last changed.
_WATCH = """
(() => {
  window.__bench = {firstDraw: null, lastChange: null, socketOpen: null};
  // When Streamlit's frontend has started and opened its websocket: before that, nothing the
  // dashboard's own code does can show.
  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => {
        if (window.__bench.socketOpen === null) window.__bench.socketOpen = performance.now();
      });
    }
  };
  const main = () => document.querySelector('[data-testid="stMain"]');
  const observer = new MutationObserver(() => {
    const now = performance.now();
    const area = main();
    if (!area) return;
    window.__bench.lastChange = now;
    if (window.__bench.firstDraw === null && area.querySelector('h1')) window.__bench.firstDraw = now;
  });
  const start = () => observer.observe(document, {subtree: true, childList: true, attributes: true,
                                                  characterData: true});
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
"""

# Everything the page should hold once it is complete (counted, then waited for).
_COMPLETE = """
() => {
  const area = document.querySelector('[data-testid="stMain"]');
  if (!area || document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const charts = [...area.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  const maps = [...area.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
  const tables = [...area.querySelectorAll('[data-testid="stDataFrame"]')];
  return charts.every(c => c.querySelector('canvas, svg'))
      && maps.every(m => m.querySelector('canvas'))
      && tables.every(t => t.querySelector('canvas, table'));
}
"""


@dataclass
class PageView:
    page: str
    socket_open_s: float | None
    first_draw_s: float | None
    complete_s: float | None
    http_bytes: int
    ws_bytes: int
    outside: int


def view_page(browser, url: str, page: str, borough: str, timeout_s: float) -> PageView:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    outside = keep_local(context)
    tab = context.new_page()
    tab.add_init_script(_WATCH)
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    counts = {"http": 0, "ws": 0}

    def finished(event):
        counts["http"] += int(event.get("encodedDataLength", 0))

    def frame(event):
        response = event["response"]
        data = response.get("payloadData", "")
        counts["ws"] += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.webSocketFrameReceived", frame)
    tab.goto(f"{url}/{PAGES[page]}?borough={borough}", wait_until="commit")
    first = complete = opened = None
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        time.sleep(0.1)
        state = tab.evaluate("window.__bench")
        if first is None and state and state["firstDraw"] is not None:
            first = state["firstDraw"] / 1000
            opened = state["socketOpen"] / 1000 if state["socketOpen"] is not None else None
        if first is not None and tab.evaluate(_COMPLETE):
            last = tab.evaluate("window.__bench.lastChange")
            if quiet_since is None or last != quiet_since[0]:
                quiet_since = (last, time.monotonic())
            elif time.monotonic() - quiet_since[1] >= 1.0:
                complete = last / 1000
                break
        else:
            quiet_since = None
    time.sleep(0.3)  # let the last websocket frames arrive before counting
    view = PageView(page, opened, first, complete, counts["http"], counts["ws"], len(outside))
    context.close()
    return view


def run(url: str, runs: int, pages: list[str], timeout_s: float) -> list[PageView]:
    from playwright.sync_api import sync_playwright

    boroughs = ["lambeth", "hackney", "croydon", "barnet", "newham", "camden", "ealing", "southwark"]
    views = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            view_page(browser, url, pages[0], "lambeth", timeout_s)  # warm the server's caches and fonts
            for index in range(runs):
                for page in pages:
                    view = view_page(browser, url, page, boroughs[index % len(boroughs)], timeout_s)
                    views.append(view)
                    print(
                        f"{page:12s} socket open {view.socket_open_s or float('nan'):5.2f} s  first draw "
                        f"{view.first_draw_s or float('nan'):5.2f} s  complete "
                        f"{view.complete_s or float('nan'):5.2f} s  http {view.http_bytes / 1024:6.0f} KB  "
                        f"websocket {view.ws_bytes / 1024:6.0f} KB",
                        flush=True,
                    )
        finally:
            browser.close()
    return views


def summarise(views: list[PageView], pages: list[str], runs: int) -> tuple[list[str], bool]:
    lines = [
        "| page | frontend started, median (s) | first draw, median (s) | first draw, max (s) "
        "| complete, median (s) | static files (KB) | page content (KB) | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    ok = True
    for page in pages:
        mine = [v for v in views if v.page == page]
        first = [v.first_draw_s for v in mine if v.first_draw_s is not None]
        complete = [v.complete_s for v in mine if v.complete_s is not None]
        median_first = statistics.median(first) if len(first) == len(mine) else float("inf")
        within = median_first <= TARGET_FIRST_DRAW_S and all(v.outside == 0 for v in mine)
        ok = ok and within
        opened = [v.socket_open_s for v in mine if v.socket_open_s is not None]
        lines.append(
            f"| {page} | {statistics.median(opened) if opened else float('nan'):.2f} | {median_first:.2f} | "
            f"{max(first, default=float('nan')):.2f} | "
            f"{statistics.median(complete) if complete else float('nan'):.2f}"
            + ("" if len(complete) == len(mine) else f" ({len(mine) - len(complete)} never complete)")
            + f" | {statistics.median(v.http_bytes for v in mine) / 1024:,.0f} | "
            f"{statistics.median(v.ws_bytes for v in mine) / 1024:,.0f} | {'within' if within else 'OVER'} |"
        )
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.browser", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="views of each page (default 5)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8501 (default: start one)")
    parser.add_argument("--snapshot", type=Path, default=SNAPSHOTS / "full", help="snapshot for a server started here")
    parser.add_argument("--port", type=int, default=0, help="port for a server started here (default: a free one)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a page counts as never drawn")
    parser.add_argument("--write", action="store_true", help="record the results in bench/results.md")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (make browser).")
    server = None
    if args.url:
        url = args.url.rstrip("/")
        if not url.startswith("http://127.0.0.1"):
            parser.error("--url must be a server on this machine (http://127.0.0.1:PORT)")
    else:
        ensure_full_snapshot(args.snapshot)
        port = args.port or free_port()
        print(f"Starting a server on 127.0.0.1:{port} with {args.snapshot}…", flush=True)
        server = start_server(args.snapshot, port)
        url = f"http://127.0.0.1:{port}"
    try:
        views = run(url, args.runs, args.pages, args.timeout)
    finally:
        if server is not None:
            stop_server(server)
    lines, ok = summarise(views, args.pages, args.runs)
    print("\n".join(lines))
    if args.write:
        load_average = os.getloadavg()[0]
        header = [
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()} "
            f"({os.cpu_count()} cores, load average {load_average:.1f} at the end), Debian Chromium with software "
            f"rendering at 1280x720; `.venv/bin/python -m bench.browser {' '.join(argv or sys.argv[1:])}`"
            + (f" against {args.snapshot.name}" if server else "")
            + ".",
            f"Each page opened {args.runs} times from its link with a borough, in a fresh tab with an empty cache. "
            "Frontend started: navigation start to Streamlit's own JavaScript having loaded and opened its "
            "websocket (nothing the dashboard does can show before then). "
            "First draw: navigation start to the page's title on screen. Complete: to every chart, map and table "
            "drawn. Static files: the app's HTML, JavaScript and fonts as transferred (gzipped by "
            "scripts/serve.py); page content: "
            "the websocket messages of the page view as the page decoded them (deflated on the wire to about a "
            "third: see the load benchmark's 'on the wire').",
            "",
            *lines,
            "",
            f"Target: first draw within {TARGET_FIRST_DRAW_S} s median on every page: **{'met' if ok else 'missed'}**.",
        ]
        write_section("Browser benchmark", header)
        print(f"Wrote {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
