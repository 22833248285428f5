"""Load: N analysts at once in Chromium against the real server, filter-change latency and memory.

One ``streamlit run dashboard.py`` on a free loopback port, on the real marts, warmed up by one
session going through the pages. For each level N, one Chromium holds N browser contexts driven
together through Playwright's async API. The sessions open their first page (not timed); once
all have, the level's clock starts and each follows its own seeded plan
(:func:`bench.load_stats.plan_session`): open a page through the sidebar navigation, think, change
one sidebar filter, wait for the updated view, think, and again until the level's time is up.
A filter change is timed from the click that triggers the rerun to the updated view: the URL
holds the new filters, the app reports its script as not running, Streamlit's status widget has
gone, nothing in the main block is stale any more and the page's key element is visible. The
browsers talk to the server only (requests elsewhere, map tiles and web fonts, are aborted).

Errors are counted, never raised: an exception box shown by the app, an uncaught JavaScript
error, a Playwright timeout (the session then reopens the page from the URL of its planned
filters and goes on), the server's exit. The server's resident memory (its process and children)
is sampled every 0.5 s from ``/proc``; each level reports its peak, and prints the server's CPU
time over its wall time: the browsers run on the same machine, and when the server is far from
one busy core the latencies measure the machine's browsers as much as the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from bench.load_stats import (
    LOAD_PAGES,
    Step,
    compute_descendants,
    compute_load_figures,
    parse_cpu_ticks,
    parse_ppid,
    parse_vmrss_kb,
    plan_session,
    url_shows_filters,
)
from core.filters import DEFAULT, QPV_RELATIONS, RURAL_CHOICES, Filters, filters_to_query
from core.paths import MART_NAMES, REBUILD_COMMAND, MissingMartError, require_mart

ROOT = Path(__file__).resolve().parent.parent
QUICK = {"ns": (5,), "duration_s": 30.0}  # ``python -m bench load --quick``
SEED = 2026
PLAN_STEPS = 1_000  # more than a session can go through in its time
THINK_S = (0.5, 2.0)
STAGGER_S = 0.25  # session i opens its first page i × STAGGER_S after the level starts
TIMEOUT_MS = 30_000
FIRST_LOAD_TIMEOUT_MS = 60_000
OPEN_WAIT_S = 30.0  # the level's clock starts then even if some sessions are still opening
SAMPLE_S = 0.5
ERRORS_SHOWN = 5
HEADER = (
    f"{'N':>3} {'open s':>8} {'actions':>8} {'errors':>7} {'p50 s':>7} {'p95 s':>7} {'server RSS MB':>14}"
    f" {'server CPU':>10}"
)

PAGE_TITLES = {
    "vue_ensemble": "Vue d'ensemble",
    "carte": "Carte",
    "quartiers_prioritaires": "Quartiers prioritaires",
    "territoires_ruraux": "Territoires ruraux",
    "couverture_equite": "Couverture et équité",
    "fiche_territoire": "Fiche territoire",
}
# What an analyst looks at on each page; an empty selection shows an info box instead.
KEY_ELEMENTS = {
    "vue_ensemble": "[data-testid=stMetricValue]",
    "carte": "iframe[title*=streamlit_folium]",
    "quartiers_prioritaires": "[data-testid=stPlotlyChart]",
    "territoires_ruraux": "[data-testid=stPlotlyChart]",
    "couverture_equite": "[data-testid=stPlotlyChart]",
    "fiche_territoire": "[data-testid=stMetricValue]",
}
WIDGETS = {  # Filters field: (test id, label in ui/sidebar.py)
    "cohorts": ("stMultiSelect", "Cohorte"),
    "regions": ("stMultiSelect", "Région"),
    "density_scheme": ("stRadio", "Grille de densité"),
    "qpv_relation": ("stSelectbox", "Relation aux QPV"),
    "rural": ("stSelectbox", "Ruralité"),
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


class ProcSampler:
    """Sample the resident memory of a process and its children in a thread; keep the peak."""

    def __init__(self, pid: int, period_s: float = SAMPLE_S) -> None:
        self.pid = pid
        self.period_s = period_s
        self._peak_kb = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _tree(self) -> set[int]:
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError, ValueError):
                    parents[int(entry.name)] = parse_ppid((entry / "stat").read_text())
        return compute_descendants(self.pid, parents)

    def cpu_s(self) -> float:
        """CPU seconds used so far by the process and its living descendants."""
        total = 0
        for pid in self._tree():
            with contextlib.suppress(OSError, ValueError):
                total += parse_cpu_ticks(Path(f"/proc/{pid}/stat").read_text())
        return total / os.sysconf("SC_CLK_TCK")

    def rss_kb(self) -> int:
        """Sum of VmRSS over the process and its descendants, now (shared pages counted twice)."""
        total = 0
        for pid in self._tree():
            with contextlib.suppress(OSError, ValueError):
                total += parse_vmrss_kb(Path(f"/proc/{pid}/status").read_text())
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = self.rss_kb()
            with self._lock:
                self._peak_kb = max(self._peak_kb, sample)
            self._stop.wait(self.period_s)

    def take_peak(self) -> int:
        """The peak in kB since the previous call (or the start), then start a new window."""
        with self._lock:
            peak, self._peak_kb = self._peak_kb, 0
        return peak

    def __enter__(self) -> ProcSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


@dataclass
class Level:
    """What the sessions of one level share and report.

    The level's time starts once all its sessions have opened their first page (:meth:`opened`),
    or :data:`OPEN_WAIT_S` after the level started (:meth:`start_clock`), whichever comes first.
    """

    base: str
    server: subprocess.Popen
    regions: dict[str, str]
    sessions: int
    duration_s: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    deadline: float | None = None
    started: asyncio.Event = field(default_factory=asyncio.Event)
    _waiting: int = 0

    def start_clock(self) -> None:
        """Start the level's time, unless it has started already."""
        if self.deadline is None:
            self.deadline = time.monotonic() + self.duration_s
            self.started.set()

    async def opened(self) -> None:
        """Wait until every session has opened its first page (or failed to), or the clock has started."""
        self._waiting += 1
        if self._waiting == self.sessions:
            self.start_clock()
        await self.started.wait()

    def over(self) -> bool:
        if self.server.poll() is not None:
            return True
        return self.deadline is not None and time.monotonic() >= self.deadline


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
    test_id, label = WIDGETS[name]
    label_locator = page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stSidebar").get_by_test_id(test_id).filter(has=label_locator)


def _option_label(step: Step) -> str:
    if step.widget == "density_scheme":
        return f"{step.value} niveaux"
    return {"qpv_relation": QPV_RELATIONS, "rural": RURAL_CHOICES}[step.widget][step.value]


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
        target = widget.get_by_text(_option_label(step), exact=True)
    else:
        await _open_dropdown(widget)
        target = page.get_by_role("option", name=_option_label(step), exact=True)
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


async def run_session(browser, index: int, seed: int, level: Level) -> None:
    """One analyst: follow the plan of ``seed`` until the level is over; add to ``level``."""
    from playwright.async_api import Error as PlaywrightError

    rng = random.Random(seed)
    plan = plan_session(seed, PLAN_STEPS, sorted(level.regions))
    context = await _new_context(browser, level.base)
    page = await context.new_page()
    page.on("pageerror", lambda exc: level.errors.append(f"page error: {exc}"))
    filters, stem = DEFAULT, "vue_ensemble"
    try:
        await asyncio.sleep(index * STAGGER_S)
        try:
            await page.goto(_url(level.base, stem, filters), timeout=FIRST_LOAD_TIMEOUT_MS, wait_until="commit")
            await _wait_view(page, stem, FIRST_LOAD_TIMEOUT_MS)
            await _check_page(page, f"on {stem} (first page)", level)
        except PlaywrightError as exc:
            level.errors.append(f"opening the first page: {_first_line(exc)}")
            stem = ""
        await level.opened()
        for step in plan:
            if level.over():
                break
            planned = replace(filters, **{step.widget: step.value})
            phase = f"opening {step.page}"
            try:
                if step.page != stem and stem:
                    await _open_page(page, step.page)
                elif step.page != stem:  # the page is in an unknown state: reopen it from its URL
                    await page.goto(_url(level.base, step.page, filters), timeout=TIMEOUT_MS, wait_until="commit")
                    await _wait_view(page, step.page, TIMEOUT_MS)
                if step.page != stem:
                    stem = step.page
                    await _check_page(page, f"on opening {stem}", level)
                await asyncio.sleep(rng.uniform(*THINK_S))
                if level.over():
                    break
                phase = f"setting {step.widget} on {step.page}"
                elapsed = await _change_filter(page, step, filters, level)
                level.latencies.append(elapsed)
                await _check_page(page, f"on {stem} after setting {step.widget}={step.value}", level)
            except PlaywrightError as exc:
                level.errors.append(f"{phase}: {_first_line(exc)}")
                stem = ""
                if level.over():
                    break
                with contextlib.suppress(PlaywrightError):
                    await page.goto(_url(level.base, step.page, planned), timeout=TIMEOUT_MS, wait_until="commit")
                    await _wait_view(page, step.page, TIMEOUT_MS)
                    stem = step.page
            filters = planned
            await asyncio.sleep(rng.uniform(*THINK_S))
    finally:
        with contextlib.suppress(PlaywrightError):
            await context.close()


async def _warm_up(browser, base: str, server: subprocess.Popen, regions: dict[str, str]) -> list[str]:
    """Go once through the pages (one session, sidebar navigation) so that a level's sessions do not
    all fill the server's cold caches at the same time; return the errors met."""
    from playwright.async_api import Error as PlaywrightError

    level = Level(base, server, regions, 1, 0.0)
    context = await _new_context(browser, base)
    page = await context.new_page()
    try:
        await page.goto(_url(base, LOAD_PAGES[0], DEFAULT), timeout=FIRST_LOAD_TIMEOUT_MS, wait_until="commit")
        await _wait_view(page, LOAD_PAGES[0], FIRST_LOAD_TIMEOUT_MS)
        await _check_page(page, f"on {LOAD_PAGES[0]} (warm-up)", level)
        for stem in LOAD_PAGES[1:]:
            await _open_page(page, stem)
            await _check_page(page, f"on {stem} (warm-up)", level)
    except PlaywrightError as exc:
        level.errors.append(f"warm-up: {_first_line(exc)}")
    finally:
        await context.close()
    return level.errors


async def _run_levels(ns, duration_s, base, server, sampler, regions) -> dict[str, float]:
    from playwright.async_api import async_playwright

    from core.map_export import CHROMIUM_ARGS
    from tests.e2e.conftest import CHROMIUM

    figures: dict[str, float] = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            start = time.monotonic()
            carried = await _warm_up(browser, base, server, regions)
            print(f"warm-up: {time.monotonic() - start:.1f} s, server RSS {sampler.rss_kb() / 1024:.0f} MB")
            print(f"open s: time for the N sessions to open their first page (at most {OPEN_WAIT_S:g} s: the level's")
            print("clock starts then); timed steps come after.")
            print(f"server CPU: its CPU time over the level's wall time (one core = 100 %, {os.cpu_count()} here)")
            print(HEADER)
            for n in ns:
                level = Level(base, server, regions, n, duration_s, errors=carried)
                carried = []
                sampler.take_peak()
                start, cpu_start = time.monotonic(), sampler.cpu_s()
                cap = asyncio.get_running_loop().call_later(OPEN_WAIT_S, level.start_clock)
                await asyncio.gather(*(run_session(browser, i, SEED * 1000 + n * 100 + i, level) for i in range(n)))
                cap.cancel()
                opening = None if level.deadline is None else level.deadline - duration_s - start
                cpu = (sampler.cpu_s() - cpu_start) / (time.monotonic() - start)
                if server.poll() is not None:
                    level.errors.append(f"the server exited with code {server.returncode}")
                level_figures = compute_load_figures(n, level.latencies, len(level.errors), sampler.take_peak())
                figures.update(level_figures)
                _print_level(n, level_figures, level.errors, opening, cpu)
                if server.poll() is not None:
                    break
        finally:
            await browser.close()
    return figures


def _print_level(n: int, figures: dict[str, float], errors: list[str], opening: float | None, cpu: float) -> None:
    p50, p95 = figures.get(f"load_n{n}_p50_s"), figures.get(f"load_n{n}_p95_s")
    print(
        f"{n:>3} {'-' if opening is None else f'{opening:.1f}':>8} {figures[f'load_n{n}_actions']:>8.0f} "
        f"{figures[f'load_n{n}_errors']:>7.0f} {'-' if p50 is None else f'{p50:.2f}':>7} "
        f"{'-' if p95 is None else f'{p95:.2f}':>7} {figures[f'load_n{n}_server_rss_mb']:>14.0f} {cpu:>10.0%}"
    )
    if not figures[f"load_n{n}_actions"]:
        print("      error: no filter change was timed before the end of the level")
    kinds = Counter(errors)
    for message, count in kinds.most_common(ERRORS_SHOWN):
        print(f"      error ×{count}: {message[:300]}")
    if len(kinds) > ERRORS_SHOWN:
        print(f"      … and {len(kinds) - ERRORS_SHOWN} other kinds")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def measure_load(ns: tuple[int, ...] = (1, 5, 20), duration_s: float = 60.0) -> dict[str, float]:
    """N analysts at once for ``duration_s`` seconds, for each N in ``ns``.

    Parameters
    ----------
    ns
        Numbers of simultaneous browser sessions, run one level after the other on one server.
    duration_s
        Seconds during which each level's sessions start new steps.

    Returns
    -------
    dict[str, float]
        For each N: ``load_n{N}_errors``, ``_actions`` (timed filter changes), ``_p50_s`` and
        ``_p95_s`` (seconds from the click to the updated view; absent with no timed change, which
        counts as an error) and ``_server_rss_mb`` (peak over the level). Errors of the warm-up
        count in the first level.

    Raises
    ------
    SystemExit
        If a mart, the vendored Leaflet or Chromium is missing (with what to run).
    """
    from tests.e2e.conftest import CHROMIUM, start_server

    try:
        for name in MART_NAMES:
            require_mart(name)
    except MissingMartError as exc:
        raise SystemExit(f"{exc}\nbench load needs the real marts: run {REBUILD_COMMAND}") from exc
    if not (ROOT / "static" / "vendor" / "leaflet.js").exists():
        raise SystemExit("static/vendor/leaflet.js is missing: run bash scripts/setup.sh")
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    fabriques = pd.read_parquet(require_mart("fabriques"), columns=["insee_reg", "nom_reg"])
    regions = dict(fabriques.dropna().drop_duplicates("insee_reg").itertuples(index=False, name=None))
    server, base = start_server("dashboard.py", {})
    try:
        with ProcSampler(server.pid) as sampler:
            return asyncio.run(_run_levels(tuple(ns), duration_s, base, server, sampler, regions))
    finally:
        _stop(server)
