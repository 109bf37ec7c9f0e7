"""Presenter mode and exports in a real browser (Debian's chromium at 1280×720), on every
topic page: the sidebar and widgets are hidden, no slide scrolls, no visible text is under
18 px, the arrow keys and a clicker's Page Up/Down move between slides and the address
records the slide (Back returns), the corner QR code decodes to the link of this view in
normal mode, Escape returns to that view, exported SVG/PNG carry the title and source, and
axe-core finds no serious or critical WCAG A/AA violation in either mode. Every slide is
saved to artifacts/presenter/ at 1280×720 and scaled to 960×540."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from PIL import Image

from tests.chromium import CHROMIUM, LOCAL, launch
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "artifacts" / "presenter"
# Every page with findings (About is reference material, without slides), opened for one
# borough so every section has something to show.
TOPICS = [p.stem for p in sorted((ROOT / "pages").glob("*.py")) if p.stem != "about"]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SVG_NS = "{http://www.w3.org/2000/svg}"


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def server(snapshot_env):
    """The dashboard on a free port of 127.0.0.1, on the small demo snapshot."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.address", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--server.headless", "true"],
        cwd=ROOT,
        env={**os.environ, **snapshot_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            if time.monotonic() > deadline:
                pytest.fail("the dashboard did not start within 60 s")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # busy finishing a run on a loaded machine
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch(playwright)
        yield instance
        instance.close()


SMALL_TEXT = """() => {
  const small = [];
  const walker = document.createTreeWalker(document.querySelector('[data-testid=stMain]'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const element = node.parentElement;
    if (element.closest('[aria-hidden=true]')) continue;  // icon ligatures
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.opacity === '0') continue;
    if (box.bottom < 0 || box.top > innerHeight || box.right < 0 || box.left > innerWidth) continue;
    const size = parseFloat(style.fontSize);
    if (size < 18) small.push(`${size}px ${element.tagName} '${text.slice(0, 40)}'`);
  }
  return small;
}"""

SCROLLS = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  return [main.scrollHeight - main.clientHeight, document.documentElement.scrollHeight - innerHeight,
          main.scrollWidth - main.clientWidth];
}"""


DONE = """() => !document.querySelector('[data-testid=stStatusWidget], [data-stale=true]')
  && [...document.querySelectorAll('[data-testid=stVegaLiteChart]')].every(c => c.querySelector('svg, canvas'))"""


def _idle(page, timeout_s: float = 90) -> None:
    """Streamlit has finished the run (no running indicator, no element left over from the
    previous run) and every chart has drawn, twice in a row half a second apart."""
    deadline = time.monotonic() + timeout_s
    quiet = 0
    while time.monotonic() < deadline and quiet < 2:
        time.sleep(0.5)
        quiet = quiet + 1 if page.evaluate(DONE) else 0
    time.sleep(1)


def _slide(page) -> tuple[int, int]:
    words = page.locator(".present-count").inner_text().split()  # "Slide 3 of 7"
    return int(words[1]), int(words[3])


def _wait_for_slide(page, number: int) -> None:
    page.wait_for_selector(f".present-count:text-is('Slide {number} of {_slide(page)[1]}')", timeout=60_000)
    _idle(page)


def _params(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    return parts.path, sorted(parse_qsl(parts.query))


def _normal_link(url: str) -> tuple[str, list[tuple[str, str]]]:
    path, params = _params(url)
    return path, [(k, v) for k, v in params if k not in ("present", "slide")]


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    return [
        f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as waiting:
        page.get_by_role("button", name=label, exact=True).last.click()
    return Path(waiting.value.path()).read_bytes()


def _svg_text(svg: bytes) -> str:
    lines = []
    for node in ET.fromstring(svg).iter(f"{SVG_NS}text"):
        spans = list(node.iter(f"{SVG_NS}tspan"))
        lines += ["".join(s.itertext()) for s in spans] if spans else ["".join(node.itertext())]
    return " ".join(lines)


def _check_exports(page, popover) -> None:
    """The figure's CSV, SVG and PNG agree: the CSV's title and source lines are drawn
    into the SVG, and the PNG is a picture."""
    popover.click()
    csv = _download(page, "CSV data").decode("utf-8")
    title, view, snapshot, source = (line.removeprefix("# ") for line in csv.splitlines()[:4])
    assert title and view and snapshot and source.strip()
    svg = _svg_text(_download(page, "SVG image"))
    for line in (title, view, source):
        assert " ".join(line.split()) in svg, f"{line!r} is not in the SVG"
    png = Image.open(io.BytesIO(_download(page, "PNG image")))
    assert png.format == "PNG" and png.width > 600 and png.height > 300
    assert len(png.convert("RGB").resize((100, 60)).getcolors(1 << 16)) > 8
    page.keyboard.press("Escape")  # close the popover
    time.sleep(0.5)


@pytest.mark.parametrize("topic", TOPICS)
def test_presenter_mode_and_exports(server, browser, topic):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(LOCAL) else None)
    try:
        path = "" if topic == "overview" else topic  # Overview is the app's default page, at /
        page.goto(f"{server}/{path}?borough=Lambeth")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=90_000)
        _idle(page)
        assert _serious(page) == [], "normal mode"
        downloads = page.get_by_role("button", name="Download", exact=True)
        assert downloads.count() > 0 or topic == "overview"  # Overview has cards, not charts
        if downloads.count():
            _check_exports(page, downloads.first)
        normal = page.url

        page.get_by_role("button", name="Present", exact=True).click()
        page.wait_for_selector(".present-count", timeout=60_000)
        _idle(page)
        assert "present=1" in page.url and "slide=1" in page.url
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert not page.locator("[data-testid='stHeader']").is_visible()
        for widget in ("stSelectbox", "stMultiSelect", "stSlider", "stRadio", "stButtonGroup"):
            assert page.locator(f"[data-testid='{widget}']:visible").count() == 0, widget
        number, count = _slide(page)
        assert number == 1 and count >= 3  # an opening slide, at least one chart, the closing slide
        for number in range(1, count + 1):
            if number > 1:
                page.keyboard.press("ArrowRight")
                _wait_for_slide(page, number)
            assert f"slide={number}" in page.url
            assert page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count() == 0
            page.screenshot(path=SHOTS / f"{topic}-{number}.png")
            Image.open(SHOTS / f"{topic}-{number}.png").resize((960, 540), Image.Resampling.LANCZOS).save(
                SHOTS / f"{topic}-{number}-960x540.png"
            )
            assert page.evaluate(SCROLLS) == [0, 0, 0] or max(page.evaluate(SCROLLS)) <= 1, f"slide {number} scrolls"
            assert page.evaluate(SMALL_TEXT) == [], f"slide {number} has text under 18 px"
            code = ".present-qr-large" if number == count else ".present-qr-corner"
            image = Image.open(io.BytesIO(page.locator(code).screenshot()))
            decoded = [result.text for result in zxingcpp.read_barcodes(image)]
            assert len(decoded) == 1 and _params(decoded[0]) == _normal_link(page.url), f"slide {number} QR"
            assert decoded[0].startswith(server)
        # The presenter's own controls: a slide with a chart offers its exports too.
        page.keyboard.press("ArrowLeft")
        _wait_for_slide(page, count - 1)
        assert _serious(page) == [], "presenter mode"
        if page.get_by_role("button", name="Download", exact=True).count():
            _check_exports(page, page.get_by_role("button", name="Download", exact=True).first)
        page.keyboard.press("PageUp")
        _wait_for_slide(page, count - 2)
        page.keyboard.press("PageDown")
        _wait_for_slide(page, count - 1)
        page.go_back()  # the address recorded every move: Back undoes the last
        _wait_for_slide(page, count - 2)
        assert f"slide={count - 2}" in page.url

        page.keyboard.press("Escape")
        page.wait_for_selector("[data-testid='stMain'] h1", timeout=60_000)
        _idle(page)
        assert "present" not in page.url and "slide=" not in page.url
        assert _params(page.url) == _params(normal)  # the same view, the same filters
        assert page.locator("[data-testid='stSidebar']").is_visible()
    finally:
        context.close()
    assert outside == [], f"requests left the machine: {outside[:5]}"
