"""The one way tests and benchmarks start a browser: Debian's chromium, headless, with
software rendering and none of its own network traffic (updates, sync)."""

from __future__ import annotations

from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def launch(playwright: Any) -> Any:
    """A headless Debian chromium from a started Playwright."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
