"""Start the dashboard: `python scripts/serve.py [streamlit options]`.

A plain `streamlit run app.py` treats the `pages/` folder as a legacy multipage app until
the first script run calls `st.navigation`, so a shared link to a page (say /trust) that
is the first request after start-up would run that page without app.py. Setting the
legacy flag off before the server starts makes every request go through app.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *sys.argv[1:]]
    sys.exit(cli.main())
