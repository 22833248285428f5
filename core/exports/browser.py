"""Headless Chromium for the exports: where it is (a setting), how it is started, and a safe thread."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from core.settings import get_setting

# No background traffic: the machines it runs on may have no network but loopback.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str:
    """The Chromium executable (setting ``chromium``, environment variable ``FABT_CHROMIUM``)."""
    return get_setting("chromium")


def run_isolated(function, *args, **kwargs):
    """Run ``function`` in a worker thread: Playwright's sync API refuses a thread that already
    runs an event loop (a caller's own Playwright session, an async server)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
