"""Load sessions in Chromium: N browser contexts of one Chromium driven through Playwright.

Each session, driven by :func:`bench.load_session.run_plan`, opens its first page from a URL, then
opens a page through the sidebar navigation, thinks, clicks an option of one sidebar filter, waits
for the updated view, thinks. A filter change is timed from
the click to the updated view: the URL holds the new filters, the app reports its script as not
running, Streamlit's status widget has gone, nothing in the main block is stale any more and the
page's key element is visible. The browsers talk to the server only (map tiles and web fonts are
aborted). The browsers run on the server's machine: they measure the machine as much as the server.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

from bench.load_stats import (
    WIDGET_LABELS,
    Step,
    display_value,
    url_shows_filters,
)
from bench.load_types import Level
from core.analysis.filters import Filters, filters_to_query
from core.viz.controls import MAP_FRAME_SELECTOR
from dashboard import PAGES

TIMEOUT_MS = 30_000
FIRST_LOAD_TIMEOUT_MS = 60_000

# Navigation titles of the pages (also their headings for the pages the sessions visit).
PAGE_TITLES = {Path(path).stem: title for path, title, _ in PAGES}
# What an analyst looks at on each page; an empty selection shows an info box instead.
KEY_ELEMENTS = {
    "vue_ensemble": "[data-testid=stMetricValue]",
    "carte": f"iframe[title*=streamlit_folium], {MAP_FRAME_SELECTOR}",  # titled in French once drawn
    "quartiers_prioritaires": "[data-testid=stPlotlyChart]",
    "territoires_ruraux": "[data-testid=stPlotlyChart]",
    "couverture_equite": "[data-testid=stPlotlyChart]",
    "fiche_territoire": "[data-testid=stMetricValue]",
}
WIDGET_TEST_IDS = {  # Filters field: Streamlit's test id of its widget
    "cohorts": "stMultiSelect",
    "regions": "stMultiSelect",
    "density_scheme": "stRadio",
    "qpv_relation": "stSelectbox",
    "rural": "stSelectbox",
}
# The run is over: the app says so (the attribute Streamlit's own e2e tests read), the status widget
# has gone (it shows late, then fades out for 200 ms: its exit counts as gone) and nothing in the main
# block is stale.
IDLE_JS = """() =>
  document.querySelector('[data-testid=stApp]')?.dataset.testScriptState === 'notRunning'
  && !document.querySelector(
    '[data-testid=stStatusWidget]:not(.StatusWidget-exit):not(.StatusWidget-exit-active)')
  && !document.querySelector('[data-testid=stMain] [data-stale=true]')"""
UPDATED_JS = f"(before) => location.search !== before && ({IDLE_JS})()"


def _url(base: str, stem: str, filters: Filters) -> str:
    query = urlencode(filters_to_query(filters))
    return f"{base}/{'' if stem == 'vue_ensemble' else stem}" + (f"?{query}" if query else "")


async def _wait_view(
    page, stem: str, timeout: float, before: str | None = None, filters: Filters | None = None
) -> None:
    """Wait until a run is over and the page shows its key element. With ``before`` and ``filters``,
    the run must be one whose URL, changed from ``before``, holds ``filters``: a run the map's own
    messages trigger also changes the URL (its view), and it does not count."""
    deadline = time.monotonic() + timeout / 1000
    if before is None:
        await page.get_by_role("heading", name=PAGE_TITLES[stem], exact=True).first.wait_for(timeout=timeout)
        left = max(deadline - time.monotonic(), 0.001) * 1000
        await page.wait_for_function(IDLE_JS, timeout=left, polling=50)
    else:
        while True:
            left = max(deadline - time.monotonic(), 0.001) * 1000
            await page.wait_for_function(UPDATED_JS, arg=before, timeout=left, polling=50)
            before = await page.evaluate("location.search")
            if filters is None or url_shows_filters(before, filters):
                break
    key = f"[data-testid=stMain] :is({KEY_ELEMENTS[stem]}, [data-testid=stAlert])"
    left = max(deadline - time.monotonic(), 0.001) * 1000
    await page.locator(key).first.wait_for(state="visible", timeout=left)


def _widget(page, name: str):
    test_id, label = WIDGET_TEST_IDS[name], WIDGET_LABELS[name]
    label_locator = page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stSidebar").get_by_test_id(test_id).filter(has=label_locator)


async def _open_dropdown(widget, attempts: int = 3) -> None:
    """Open a select's list; the first click on "Open" after a rerun is sometimes swallowed."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    expanded = widget.locator("[role=combobox][aria-expanded=true]")
    for attempt in range(attempts):
        await widget.locator("button[aria-label=Open]").click(timeout=TIMEOUT_MS)
        try:
            await expanded.wait_for(timeout=2_000)
            return
        except PlaywrightTimeoutError:
            if attempt == attempts - 1:
                raise


async def _close_lists(page) -> None:
    """Close a select's list left open: while it is, the rest of the page is hidden from ARIA roles."""
    from playwright.async_api import TimeoutError as PlaywrightTimeoutError

    expanded = page.locator("input[role=combobox][aria-expanded=true]")
    if await expanded.count():
        await expanded.first.press("Escape")
        with contextlib.suppress(PlaywrightTimeoutError):
            await expanded.first.wait_for(state="detached", timeout=5_000)


async def _change_filter(page, step: Step, current: Filters, level: Level) -> float:
    """Make the step's change in the sidebar; return the seconds from the click to the updated view."""
    await _close_lists(page)
    widget = _widget(page, step.widget)
    before = await page.evaluate("location.search")
    close_popup = False
    if step.widget in ("cohorts", "regions"):
        names = level.regions if step.widget == "regions" else {c: c for c in step.value}
        added = [v for v in step.value if v not in getattr(current, step.widget)]
        removed = [v for v in getattr(current, step.widget) if v not in step.value]
        if added:
            await _open_dropdown(widget)
            # The list is virtual: an option below the fold is not in the page until typed.
            await widget.locator("input[role=combobox]").fill(names[added[0]])
            target = page.get_by_role("option", name=names[added[0]], exact=True)
            close_popup = True
        else:
            label = level.regions.get(removed[0], removed[0]) if step.widget == "regions" else removed[0]
            target = widget.locator(f'button[aria-label="Remove {label}"]')
    elif step.widget == "density_scheme":
        target = widget.get_by_text(display_value(step.widget, step.value, level.regions), exact=True)
    else:
        await _open_dropdown(widget)
        target = page.get_by_role("option", name=display_value(step.widget, step.value, level.regions), exact=True)
    await target.wait_for(timeout=TIMEOUT_MS)
    start = time.perf_counter()
    await target.click(timeout=TIMEOUT_MS)
    await _wait_view(page, step.page, TIMEOUT_MS, before, replace(current, **{step.widget: step.value}))
    elapsed = time.perf_counter() - start
    if close_popup:
        await _close_lists(page)
    return elapsed


async def _open_page(page, stem: str) -> None:
    await _close_lists(page)
    link_text = page.get_by_text(PAGE_TITLES[stem], exact=True)
    link = page.get_by_test_id("stSidebar").get_by_test_id("stSidebarNavLink").filter(has=link_text)
    await link.click(timeout=TIMEOUT_MS)
    await _wait_view(page, stem, TIMEOUT_MS)


def _first_line(exc: Exception) -> str:
    """The error's first line, and what Playwright was waiting for when it timed out."""
    lines = str(exc).splitlines() or [type(exc).__name__]
    waiting = next((line.strip(" -") for line in lines if "waiting for" in line), "")
    return f"{lines[0]} ({waiting})" if waiting else lines[0]


async def _check_page(page, where: str, level: Level) -> None:
    if await page.locator("[data-testid=stException]").count():
        level.errors.append(f"exception shown by the app {where}")


async def _new_context(browser, base: str):
    """A browser context that only talks to the server: the map tiles and web fonts it would fetch
    cannot load here, and a load test must not send its load to the IGN or a font CDN anyway."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    await context.route(lambda url: not url.startswith(base + "/") and url != base, lambda route: route.abort())
    return context


class BrowserSession:
    """A :class:`bench.load_session.SessionDriver` in a Chromium context of ``browser``."""

    def __init__(self, browser, level: Level) -> None:
        from playwright.async_api import Error as PlaywrightError

        self.errors = (PlaywrightError,)
        self.browser = browser
        self.level = level
        self._context = None
        self._page = None

    async def open_link(self, stem: str, filters: Filters, first: bool = False) -> None:
        if self._page is None:
            self._context = await _new_context(self.browser, self.level.base)
            self._page = await self._context.new_page()
            self._page.on("pageerror", lambda exc: self.level.errors.append(f"page error: {exc}"))
        timeout = FIRST_LOAD_TIMEOUT_MS if first else TIMEOUT_MS
        await self._page.goto(_url(self.level.base, stem, filters), timeout=timeout, wait_until="commit")
        await _wait_view(self._page, stem, timeout)
        await _check_page(self._page, f"on {stem} (opened from its link)", self.level)

    async def open_page(self, stem: str) -> None:
        await _open_page(self._page, stem)
        await _check_page(self._page, f"on opening {stem}", self.level)

    async def change(self, step: Step, current: Filters, planned: Filters) -> float:
        elapsed = await _change_filter(self._page, step, current, self.level)
        await _check_page(self._page, f"on {step.page} after setting {step.widget}={step.value}", self.level)
        return elapsed

    async def close(self) -> None:
        if self._context is not None:
            with contextlib.suppress(*self.errors):
                await self._context.close()
            self._context = self._page = None

    def describe(self, exc: BaseException) -> str:
        return _first_line(exc)


class BrowserClients:
    """The sessions of a load run as Chromium contexts (``async with BrowserClients() as clients``)."""

    prefix = "load_browser"
    label = "Chromium sessions (Playwright)"

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    async def __aenter__(self) -> BrowserClients:
        from playwright.async_api import async_playwright

        from core.exports.browser import CHROMIUM_ARGS, chromium_path

        CHROMIUM = chromium_path()

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self

    async def __aexit__(self, *exc) -> None:
        await self._browser.close()
        await self._playwright.stop()

    def new_session(self, level: Level) -> BrowserSession:
        return BrowserSession(self._browser, level)
