"""Accessibility audit of the dashboard in Chromium: axe-core in every page and in each of its
same-origin frames, before and after a filter change (``python -m bench accessibility`` on the real
marts; ``tests/e2e/test_accessibility.py`` on the fixture world, with the checks axe misses).

axe-core comes from the npm package fetched by ``scripts/vendor.sh`` (``static/vendor/axe``); it is
injected with Playwright, run with its frame support off (each frame is audited on its own) and
counts what it rates serious or critical.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "static" / "vendor" / "axe" / "axe.min.js"
SERIOUS = ("serious", "critical")
# The filter change: keep the 2023 cohort only (its chip's remove button, named in French).
FILTER_CHANGE_BUTTON = "Retirer 2020-2021"
FILTER_CHANGE_PARAMETER = "cohorte=2023"

_SETTLED = (
    "() => !document.querySelector('[data-testid=stStatusWidget]') && !document.querySelector('[data-stale=true]')"
    " && !!document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]')"
)
# The document's fixes (its language, the French names) are applied by a script the dashboard draws
# first, and in each frame once it has loaded; a page may be drawn before that script has run: give it
# a few seconds (the checks then say whether they were applied).
_FIXED = """() => document.documentElement.lang === 'fr' && [...document.querySelectorAll('iframe')].every((f) => {
  try { const d = f.contentDocument; return !d || !d.documentElement || d.documentElement.lang === 'fr'; }
  catch (e) { return true; }
})"""
_RUN_AXE = """async () => {
  const result = await axe.run(document, {iframes: false, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5),
  }));
}"""


@dataclass
class Audit:
    """What axe found on one page in one state, frame by frame."""

    page: str
    state: str
    violations: list[dict] = field(default_factory=list)

    @property
    def serious(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in SERIOUS]


def settle(page, timeout_ms: int = 120_000) -> None:
    """Wait until the page has its title and Streamlit has finished running and drawing it."""
    page.wait_for_selector("[data-testid=stMain] h1", timeout=timeout_ms)
    for _ in range(2):  # a run can start another (the link is rewritten, a widget settles)
        page.wait_for_function(_SETTLED, timeout=timeout_ms)
        page.wait_for_timeout(400)
    with contextlib.suppress(Exception):
        page.wait_for_function(_FIXED, timeout=5_000)
    dialog = page.locator("[role=dialog]")
    if dialog.count():  # a modal (Streamlit's connection error, an exception) makes the page inert
        raise AssertionError(f"{page.url}: a dialog is open: {dialog.first.inner_text()[:300]!r}")


def own_frames(page, base: str) -> list:
    """The page's frames served by the dashboard itself (components, maps), without the page."""
    return [f for f in page.frames if f is not page.main_frame and (f.url.startswith(base) or f.url == "about:srcdoc")]


def run_axe(frame) -> list[dict]:
    """axe-core's violations in ``frame`` (a page or a frame), injected if not there yet."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.add_script_tag(path=str(AXE))
    return frame.evaluate(_RUN_AXE)


def audit(page, base: str, name: str, state: str) -> Audit:
    """axe in the page and in each of its own frames; each violation says where it is."""
    found = Audit(name, state)
    for frame in [page.main_frame, *own_frames(page, base)]:
        where = "page" if frame is page.main_frame else frame.url.split("?")[0].rsplit("/", 2)[-2]
        found.violations += [{**v, "frame": where} for v in run_axe(frame)]
    return found


def change_filter(page) -> None:
    """Keep the 2023 cohort only, through the sidebar's widget (or, on a page that hides the sidebar,
    through the address's filter parameter), and wait for the page to redraw."""
    if page.locator("[data-testid=stSidebar]").is_visible():
        button = page.get_by_role("button", name=FILTER_CHANGE_BUTTON, exact=True).first
        try:
            button.wait_for(timeout=30_000)
        except Exception as error:  # the page's address says which page lacks the sidebar's filter
            raise AssertionError(f"{page.url}: no « {FILTER_CHANGE_BUTTON} » button in the sidebar") from error
        button.click()
    else:
        page.goto(page.url.split("?")[0] + "?" + FILTER_CHANGE_PARAMETER)
    page.wait_for_timeout(300)
    settle(page)


def page_url(base: str, stem: str, default: str) -> str:
    """A page's address: the default page is the root (Streamlit ignores its path name and says
    « page introuvable » for ``/<its name>``)."""
    return f"{base}/" if stem == default else f"{base}/{stem}"


def audit_every_page(browser, base: str, stems: list[str]) -> list[Audit]:
    """Each page opened fresh, audited, then audited again after the filter change."""
    audits = []
    for stem in stems:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        page.goto(page_url(base, stem, stems[0]))
        settle(page)
        audits.append(audit(page, base, stem, "sans filtre"))
        change_filter(page)
        audits.append(audit(page, base, stem, "après un changement de filtre"))
        context.close()
    return audits


def measure_accessibility(quick: bool = False) -> dict[str, float]:
    """The audit on the real marts: serious or critical violations, in total (aim 0)."""
    from playwright.sync_api import sync_playwright

    from bench.server import start_server
    from core.exports.browser import CHROMIUM_ARGS, chromium_path
    from dashboard import PAGES

    stems = [Path(path).stem for path, *_ in PAGES]
    if quick:
        stems = stems[:3]
    workspace = ROOT / "data" / "bench-a11y.sqlite"
    proc, base = start_server("dashboard.py", {"FABT_DATABASE_URL": f"sqlite:///{workspace}"})
    started = time.perf_counter()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            audits = audit_every_page(browser, base, stems)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        workspace.unlink(missing_ok=True)
    serious = [(a.page, a.state, v) for a in audits for v in a.serious]
    for page, state, v in serious:
        print(f"  {page} ({state}, {v['frame']}) : {v['impact']} {v['id']} — {v['help']} — {v['nodes'][:2]}")
    print(f"accessibility: {len(audits)} audits of {len(stems)} pages in {time.perf_counter() - started:.0f} s")
    return {
        "a11y_serious_violations": float(len(serious)),
        "a11y_other_violations": float(sum(len(a.violations) - len(a.serious) for a in audits)),
    }
