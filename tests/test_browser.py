"""Real browser: Debian's chromium, driven by Playwright, against the dashboard served on
127.0.0.1. Opens every page, checks that charts and map canvases draw, that tables
appear, that no request leaves the machine, and saves screenshots to artifacts/."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.chromium import CHROMIUM, keep_local, launch
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "artifacts" / "screenshots"

# page path -> (has Altair charts, has a deck.gl map, has a table)
PAGES = {
    "": (False, False, False),
    "violence": (True, True, True),
    "trust": (True, False, False),
    "stop_search": (True, True, True),
    "harm": (True, True, True),
    "about": (False, False, True),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(snapshot_env):
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    port = _free_port()
    env = {**os.environ, **snapshot_env}
    process = subprocess.Popen(
        [
            sys.executable,
            "scripts/serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the dashboard did not start within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


def _drawn(png: bytes) -> int:
    """How many distinct colours an element's screenshot holds (a blank canvas has 1-2)."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((200, 120))
    return len(image.getcolors(maxcolors=1 << 16) or [])


# Console messages a page may log although the app did not cause them:
# - "GL Driver Message (OpenGL, Performance, ...): GPU stall due to ReadPixels": Chromium's
#   software GL reports it when the test itself screenshots a WebGL canvas (the deck.gl map)
#   and the pixels are read back; no page code runs.
_NOT_FROM_THE_APP = ("GPU stall due to ReadPixels",)


def _console(page) -> list[str]:
    """Collect every console warning and error and every uncaught page error."""
    messages: list[str] = []

    def record(message) -> None:
        if message.type not in ("warning", "error"):
            return
        if any(text in message.text for text in _NOT_FROM_THE_APP):
            return
        messages.append(f"{message.type}: {message.text} ({message.location.get('url', '')})")

    page.on("console", record)
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    return messages


def _draw_everything(page) -> None:
    """Scroll every chart and map into view: Streamlit draws an element, and Vega logs its
    warnings, only once it is on screen."""
    for selector in (".vega-embed", "[data-testid='stDeckGlJsonChart']"):
        elements = page.locator(selector)
        for index in range(elements.count()):
            elements.nth(index).scroll_into_view_if_needed()
            time.sleep(0.3)
    time.sleep(1.0)


def _wait_until_idle(page, timeout_s: float = 45) -> None:
    """Wait for Streamlit to finish running the script (no 'running' indicator)."""
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=timeout_s * 1000)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.locator("[data-testid='stStatusWidget']").count() == 0:
            break
        time.sleep(0.3)
    time.sleep(1.5)  # charts and the map draw after the script has finished


@pytest.mark.parametrize("path", list(PAGES))
def test_page_draws_in_a_real_browser_without_leaving_the_machine(server, browser, path):
    has_charts, has_map, has_table = PAGES[path]
    if path and not (ROOT / "pages" / f"{path}.py").exists():
        pytest.skip(f"pages/{path}.py does not exist yet")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    outside = keep_local(context)
    page = context.new_page()
    console = _console(page)
    page.goto(f"{server}/{path}?borough=lambeth")
    _wait_until_idle(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = path or "overview"

    assert page.locator("[data-testid='stException']").count() == 0
    assert "Demo data: synthetic, not real figures" in page.inner_text("body")
    if has_charts:
        charts = page.locator(".vega-embed")
        charts.first.wait_for(timeout=45_000)
        charts.first.scroll_into_view_if_needed()
        assert _drawn(charts.first.screenshot()) > 3
    if has_map:
        canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
        canvas.wait_for(timeout=30_000)
        canvas.scroll_into_view_if_needed()
        time.sleep(1.0)
        assert _drawn(canvas.screenshot()) > 3, "the deck.gl map canvas is blank"
    if has_table:
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=45_000)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    _draw_everything(page)
    context.close()
    assert outside == [], f"requests left the machine: {outside[:5]}"
    assert console == [], "the page logged warnings or errors:\n" + "\n".join(console)


# Views behind a choice on the page, each drawing charts the default view does not.
OTHER_VIEWS = [
    "violence?borough=lambeth&map=tiles&measure=count",
    "trust?borough=lambeth&view=boroughs",
    "trust?borough=lambeth&view=groups",
    "stop_search?borough=lambeth&view=tiles",
]


@pytest.mark.parametrize("address", OTHER_VIEWS)
def test_other_views_leave_the_console_clean(server, browser, address):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    console = _console(page)
    page.goto(f"{server}/{address}")
    _wait_until_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    page.locator(".vega-embed").first.wait_for(timeout=45_000)
    _draw_everything(page)
    context.close()
    assert console == [], "the page logged warnings or errors:\n" + "\n".join(console)


def test_chromium_is_debian_build():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed")
    version = subprocess.run([shutil.which("chromium") or CHROMIUM, "--version"], capture_output=True, text=True)
    assert "Chromium" in version.stdout


@pytest.mark.parametrize("path", ["violence", "trust?borough=lambeth"])
def test_a_page_address_makes_no_failed_request(server, browser, path):
    """On a page's own address the app used to probe /<page>/_stcore/health and
    /<page>/_stcore/host-config first (two 404s in every log); scripts/serve.py tells it
    where the server's endpoints are."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    page.goto(f"{server}/{path}")
    _wait_until_idle(page)
    context.close()
    assert failed == []


def test_front_end_files_are_sent_compressed(server):
    """Streamlit leaves its JavaScript uncompressed for a proxy to compress; scripts/serve.py
    gzips each file once, so a phone downloads about a third of the bytes."""
    import gzip
    import re
    import urllib.request

    with urllib.request.urlopen(f"{server}/violence") as response:
        html = response.read().decode()
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', html).group(1)
    plain = urllib.request.urlopen(f"{server}/{script}").read()
    request = urllib.request.Request(f"{server}/{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        packed = response.read()
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 2


def test_page_content_travels_deflated_over_the_websocket(server):
    """The hot-spot map's polygons are most of a Violence view (about 550 KB); the server
    agrees to permessage-deflate, so what crosses the network is a fraction of it."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.load import Session

    async def open_violence():
        async with Session(server, 0, 60) as session:
            view = await session.open("violence", "Lambeth")
            return view, session.ws.response.headers.get("Sec-WebSocket-Extensions", "")

    with ThreadPoolExecutor(1) as thread:  # Playwright's sync API holds this thread's event loop
        view, extensions = thread.submit(asyncio.run, open_violence()).result()
    assert view.error is None, view.error
    assert "permessage-deflate" in extensions
    assert view.payload_bytes > 100_000
    assert view.wire_bytes < view.payload_bytes / 2
