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


# Addresses a page may reach: the dashboard on this machine and the browser's own schemes.
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")


def keep_local(context: Any) -> list[str]:
    """Refuse every request of a browser context that would leave this machine; returns the
    list the refused addresses are added to, for a test or benchmark to check."""
    refused: list[str] = []

    def guard(route: Any) -> None:
        if route.request.url.startswith(LOCAL):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    return refused
