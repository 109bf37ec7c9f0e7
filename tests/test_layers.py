"""The import-linter contracts in pyproject.toml (one-way layers; Streamlit only in lib.ui)
hold, so a change that breaks them fails the suite as well as `make test`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_layer_contracts_are_kept():
    result = _lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_a_chart_importing_queries_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of lib with one chart module importing lib.queries."""
    copy = tmp_path / "lib"
    shutil.copytree(ROOT / "lib", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    chart = copy / "charts" / "common.py"
    chart.write_text(chart.read_text() + "\nfrom lib.queries.common import month_range  # noqa: E402, F401\n")
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "lib.charts.common -> lib.queries.common" in result.stdout
