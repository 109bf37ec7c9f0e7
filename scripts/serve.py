"""Start the dashboard: `python scripts/serve.py [streamlit options]`.

A plain `streamlit run app.py` treats the `pages/` folder as a legacy multipage app until
the first script run calls `st.navigation`, so a shared link to a page (say /trust) that
is the first request after start-up would run that page without app.py. Setting the
legacy flag off before the server starts makes every request go through app.py.

Streamlit's page in the browser does not know where the server's endpoints live, so on a
page's own address (say /violence) it first tries /violence/_stcore/health and
/violence/_stcore/host-config, which the server answers with 404 on purpose, and only then
the right ones under /. The server below tells the page the address once, in the HTML it
serves (`window.__streamlit.BACKEND_BASE_URL`, which Streamlit's front end reads at
start-up), so no page view logs those two 404s or waits for them.

Streamlit also sends its front end's JavaScript (4-10 MB a page, depending on the charts it
draws) uncompressed, expecting a proxy in front to compress it. The server below gzips each
of those files once, on first request, and keeps the result (they are named by content and
never change), so a phone in the room downloads about a third of the bytes.

The snapshot shown first is opened, and the pages' modules imported, while the server starts
(loading the tables takes a few seconds at London scale, the imports about one and a half),
so the first people to open a shared link do not wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import importlib
import pkgutil
import sys
import threading
import time
from pathlib import Path

from streamlit import config, runtime
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

ROOT = Path(__file__).resolve().parent.parent


def _base_url_script() -> bytes:
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    path = f"/{base}/" if base else "/"
    return (f'<script>window.__streamlit = {{BACKEND_BASE_URL: window.location.origin + "{path}"}};</script>').encode()


async def _whole_response(app, scope, receive, send, *, wanted, rewrite) -> None:
    """Run the ASGI `app`, holding back each response whose start message `wanted(start)`
    accepts until its body is complete, then sending what `rewrite(start, body)` makes of it
    (its headers and body; the length is set here) in one piece. Other responses pass."""
    start: dict | None = None
    body: list[bytes] = []

    async def hold(message) -> None:
        nonlocal start
        if message["type"] == "http.response.start" and wanted(message):
            start = message
        elif start is not None and message["type"] == "http.response.body":
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            headers, content = await rewrite(start, b"".join(body))
            headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(content)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": content})
        else:
            await send(message)

    await app(scope, receive, hold)


def _headers(message) -> dict[bytes, bytes]:
    return dict(message.get("headers") or [])


class BackendAddress:
    """ASGI middleware: put the backend's address into every HTML page the server sends."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return

        def wanted(start) -> bool:
            headers = _headers(start)
            is_html = headers.get(b"content-type", b"").startswith(b"text/html")
            encoding = headers.get(b"content-encoding", b"identity")
            return start.get("status") == 200 and is_html and encoding in (b"identity", b"gzip")

        async def rewrite(start, html: bytes):
            if _headers(start).get(b"content-encoding") == b"gzip":
                html = gzip.decompress(html)  # a page's address is gzipped, the root is not
            html = html.replace(b"<head>", b"<head>" + _base_url_script(), 1)
            return [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-encoding"], html

        await _whole_response(self.app, scope, receive, send, wanted=wanted, rewrite=rewrite)


_COMPRESSIBLE = (b"application/javascript", b"text/javascript", b"text/css", b"application/json", b"image/svg+xml")


class CompressedStatic:
    """ASGI middleware: the front end's static text files gzipped, each compressed once."""

    def __init__(self, app) -> None:
        self.app = app
        self._compressed: dict[tuple[str, bytes], bytes] = {}  # (path, etag) -> gzip bytes

    def _wanted(self, scope) -> bool:
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        base = (config.get_option("server.baseUrlPath") or "").strip("/")
        if not scope.get("path", "").startswith(f"/{base}/static/" if base else "/static/"):
            return False
        headers = _headers(scope)
        return b"gzip" in headers.get(b"accept-encoding", b"") and b"range" not in headers

    async def __call__(self, scope, receive, send) -> None:
        if not self._wanted(scope):
            await self.app(scope, receive, send)
            return

        def wanted(start) -> bool:
            headers = _headers(start)
            kind = headers.get(b"content-type", b"").split(b";")[0].strip()
            return start.get("status") == 200 and kind in _COMPRESSIBLE and b"content-encoding" not in headers

        async def rewrite(start, content: bytes):
            key = (scope["path"], _headers(start).get(b"etag", b""))
            packed = self._compressed.get(key)
            if packed is None:
                packed = await asyncio.to_thread(gzip.compress, content, 6)
                self._compressed[key] = packed
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"accept-ranges"]
            return [*headers, (b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")], packed

        await _whole_response(self.app, scope, receive, send, wanted=wanted, rewrite=rewrite)


def _with_backend_address(create_app):
    def create(runtime):
        return CompressedStatic(BackendAddress(create_app(runtime)))

    return create


def _warm_up() -> None:
    """Load the snapshot the picker shows first (DASHBOARD_SNAPSHOT, else the demo) into the
    server's one Store for it, then import what the pages import (about a second and a half
    the first request would otherwise spend, with everyone who opened the link at the same
    moment waiting behind it). A snapshot that cannot be opened is left for the page to
    explain."""
    from lib import settings
    from lib.contract import SnapshotError
    from lib.store import open_store

    folder = settings.snapshot_from_environment() or settings.DEMO_SNAPSHOT
    with contextlib.suppress(SnapshotError, OSError):
        open_store(folder)
    # Streamlit's caches are set up by its runtime: import the cached functions once it exists.
    for _ in range(300):
        if runtime.exists():
            break
        time.sleep(0.1)
    importlib.import_module("lib.ui")
    views = importlib.import_module("lib.views")
    for module in pkgutil.iter_modules(views.__path__, "lib.views."):
        importlib.import_module(module.name)


if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.path.insert(0, str(ROOT))  # the app's own modules, shared with app.py's runs
    threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()
    starlette_server.create_starlette_app = _with_backend_address(starlette_server.create_starlette_app)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
