"""Run the dashboard in Streamlit's AppTest the way a live server runs it.

With a `pages/` folder beside app.py, AppTest (1.67) resets
`PagesManager.uses_pages_directory` before every run, so a rerun after `switch_page`
would execute the page file alone and skip app.py (no sidebar, no snapshot). A live
server, once `st.navigation` has run, always reruns app.py, which runs the page. The
patch below keeps that flag False so AppTest does the same.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
_original_init = PagesManager.__init__


def _init_as_live_server(self, *args, **kwargs):
    _original_init(self, *args, **kwargs)
    PagesManager.uses_pages_directory = False


@contextmanager
def live_server_navigation():
    with mock.patch.object(PagesManager, "__init__", _init_as_live_server):
        yield


def open_snapshot_alone(monkeypatch, snapshot: Path, picker: Path) -> None:
    """Make the app show `snapshot` (an empty `picker` folder, so nothing else is listed),
    with no basemap tiles to fetch."""
    monkeypatch.setenv("DASHBOARD_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("DASHBOARD_SNAPSHOTS_DIR", str(picker))
    monkeypatch.setenv("DASHBOARD_BASEMAP", "off")


def run_page(page: str | None = None, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    """Open the app with a query string (as a shared link would) and show `page`
    (e.g. "pages/violence.py"); returns the AppTest after the page has run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    with live_server_navigation():
        if page is not None:  # a link straight to the page, as a browser opens it
            at.switch_page(page)
        at.run()
    return at


def rerun(at: AppTest) -> AppTest:
    """Rerun after changing a widget, as the live server would."""
    with live_server_navigation():
        return at.run()


def texts(at: AppTest) -> str:
    """All markdown, captions, metrics and notices on the page as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [e.value for e in at.error]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    parts += [s.value for s in at.subheader] + [t.value for t in at.title] + [h.value for h in at.header]
    return "\n".join(str(p) for p in parts)


def deck_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.json) for el in at.get("deck_gl_json_chart")]


def vega_specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
