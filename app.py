"""London Policing Accountability Dashboard: the router and the shared sidebar."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lib import ui

st.set_page_config(
    page_title="London Policing Accountability Dashboard",
    page_icon=str(Path(__file__).parent / "assets" / "icon.png"),
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    ("pages/overview.py", "Overview", ":material/dashboard:"),
    ("pages/violence.py", "Violence", ":material/local_hospital:"),
    ("pages/trust.py", "Trust and confidence", ":material/handshake:"),
    ("pages/stop_search.py", "Stop and search", ":material/policy:"),
    ("pages/harm.py", "Harm and justice", ":material/gavel:"),
    ("pages/about.py", "About the data", ":material/info:"),
]
here = Path(__file__).parent
pages = [
    st.Page(path, title=title, icon=icon, default=(path == "pages/overview.py"))
    for path, title, icon in PAGES
    if (here / path).exists()
]
navigation = st.navigation(pages)

st.sidebar.title("London policing")
ui.start_address()
store = ui.select_snapshot()
if store is None:
    st.stop()
st.session_state["_store"] = store
ui.use_filters(ui.shared_sidebar(store))
link = st.sidebar.container()  # filled after the page runs, when the address is complete
ui.demo_banner(store)
notices = st.container()  # filled after the page runs, so its own notices show too
ui.remember_page(navigation.url_path, [page.url_path for page in pages])
try:
    navigation.run()
finally:  # also when a page stops early
    ui.finish_address()
    ui.copy_link(link, navigation.url_path, [page.url_path for page in pages])
    with notices:
        ui.show_notices()
