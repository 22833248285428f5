"""A real server on a free loopback port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.server import start_server
from core.exports.browser import CHROMIUM_ARGS, chromium_path
from core.viz.controls import MAP_FRAME_SELECTOR

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = chromium_path()
BROWSER_ARGS = CHROMIUM_ARGS
# A map's frame, titled in French once its script has run.
MAP_FRAME = MAP_FRAME_SELECTOR

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def server(fixture_build):
    if not (ROOT / "static" / "vendor" / "leaflet.js").exists():
        pytest.skip("static/vendor is missing: run bash scripts/setup.sh")
    workspace = fixture_build["root"] / "espace-e2e.sqlite"
    proc, base = start_server(
        "dashboard.py", {"FABT_MARTS_DIR": str(fixture_build["marts"]), "FABT_DATABASE_URL": f"sqlite:///{workspace}"}
    )
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield b
        b.close()


def open_page(browser, height: int):
    """A page of a new French context ``height`` pixels high; its ``js_errors`` collect the page's
    errors. Returns the page and its context (to close)."""
    context = browser.new_context(viewport={"width": 1400, "height": height}, locale="fr-FR")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.js_errors = errors
    return pg, context


@pytest.fixture
def page(browser):
    pg, context = open_page(browser, 1000)
    yield pg
    context.close()


@pytest.fixture
def tall_page(browser):
    """A viewport holding the whole map and its panel: clicks inside it need no scrolling."""
    pg, context = open_page(browser, 1500)
    yield pg
    context.close()
