"""Accessibility in Chromium: axe-core on every page, before and after a filter change, in the page
and each of its frames (0 serious or critical); and what axe does not see: the language of the
page and of its frames, one title per page, the text and the table of every chart, headings, a tab
cycle that comes back to its start, no accessible name left in English."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from bench.accessibility import AXE, audit, change_filter, own_frames, settle
from dashboard import PAGES

STEMS = [Path(path).stem for path, *_ in PAGES]
# Names Streamlit, Plotly, BaseWeb and Leaflet give in English (exact, or a prefix with "…").
ENGLISH = (
    "Skip to main content",
    "Link to heading",
    "Zoom in",
    "Zoom out",
    "Marker",
    "Download plot…",
    "Download plot as a PNG",
    "Autoscale",
    "Reset axes",
    "Pan",
    "Main menu",
    "Collapse sidebar",
    "Expand sidebar",
    "App pages",
    "Sidebar",
    "Clear all",
    "Selected values",
    "Open",
    "Close",
    "Search",
    "Fullscreen",
    "Download as CSV",
    "Show/hide columns",
    "Help for…",
    "Remove…",
    "Layers",
    "Toggle…",
    "streamlit_folium.st_folium",
)
# An ARIA snapshot's line: « - role "name" ».
NAMED = re.compile(r'^\s*- [\w-]+ "((?:[^"\\]|\\.)*)"', re.M)
_NAMES_IN_DOM = """() => [...document.querySelectorAll('[aria-label],[title],[alt],[placeholder]')].flatMap(
  (e) => ['aria-label', 'title', 'alt', 'placeholder'].map((a) => e.getAttribute(a)).filter((v) => v))"""

pytestmark = pytest.mark.skipif(not AXE.exists(), reason="axe-core missing: run bash scripts/vendor.sh")


def is_english(name: str) -> bool:
    name = name.strip()
    return any(name.startswith(e[:-1]) if e.endswith("…") else name == e for e in ENGLISH)


def english_names(page, base: str) -> list[str]:
    """Accessible names (ARIA snapshot) and naming attributes, page and frames, still in English."""
    found = []
    for frame in [page.main_frame, *own_frames(page, base)]:
        names = NAMED.findall(frame.locator("body").aria_snapshot()) + frame.evaluate(_NAMES_IN_DOM)
        found += [n for n in names if is_english(n)]
    return sorted(set(found))


def heading_problems(page) -> list[str]:
    """One h1 in the page's main part, first, and no level skipped after it; none in the sidebar."""
    levels = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] :is(h1,h2,h3,h4,h5,h6)')]"
        ".map((h) => Number(h.tagName[1]))"
    )
    problems = [] if levels[:1] == [1] and levels.count(1) == 1 else [f"h1 : {levels}"]
    problems += [f"h{a} puis h{b}" for a, b in itertools.pairwise(levels) if b > a + 1]
    if page.locator("[data-testid=stSidebar] h1").count():
        problems.append("h1 dans la barre latérale")
    return problems


def chart_problems(page) -> list[str]:
    """Every chart has its text alternative and, in its box, the toggle to its table."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')].flatMap((chart) => {
          const name = (chart.getAttribute('aria-label') || '').trim();
          const box = chart.closest('[class*="st-key-graphique_"], [class*="st-key-diapo"]') || chart.parentElement;
          const toggle = [...box.querySelectorAll('[role=radiogroup] [role=radio]')]
            .some((r) => r.innerText.trim() === 'Tableau');
          const out = [];
          if (name.length < 10) out.push('graphique sans texte : ' + name);
          if (!toggle) out.push('graphique sans bascule vers son tableau : ' + name);
          return out;
        })"""
    )


@pytest.fixture(scope="module")
def audits(server, browser, figures):
    """Every page opened fresh, audited, then audited again after the filter change."""
    results = {}
    for stem in STEMS:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
        page = context.new_page()
        page.goto(f"{server}/{stem}")
        for state in ("sans filtre", "après un changement de filtre"):
            if state != "sans filtre":
                change_filter(page)
            else:
                settle(page)
            langs = [
                f.evaluate("() => document.documentElement.lang") for f in [page.main_frame, *own_frames(page, server)]
            ]
            results[(stem, state)] = {
                "axe": audit(page, server, stem, state),
                "title": page.title(),
                "langs": langs,
                "english": english_names(page, server),
                "headings": heading_problems(page),
                "charts": chart_problems(page),
                "chart_count": page.locator("[data-testid=stPlotlyChart]").count(),
            }
        context.close()
    figures["a11y_serious_violations"] = sum(len(r["axe"].serious) for r in results.values())
    return results


def test_axe_finds_no_serious_violation_on_any_page_before_or_after_a_filter_change(audits):
    found = [
        f"{stem} ({state}, {v['frame']}) : {v['impact']} {v['id']} {v['nodes'][:2]}"
        for (stem, state), r in audits.items()
        for v in r["axe"].serious
    ]
    assert len(audits) == 2 * len(STEMS)
    assert not found, "\n".join(found)


def test_every_page_and_frame_is_in_french_and_has_its_own_title(audits, server):
    for (stem, state), r in audits.items():
        assert r["langs"] and set(r["langs"]) == {"fr"}, (stem, state, r["langs"])
    titles = {stem: r["title"] for (stem, state), r in audits.items() if state == "sans filtre"}
    assert len(set(titles.values())) == len(STEMS), titles
    assert titles["carte"] == "Carte – Fabriques de Territoire"
    # the map page has its map frame, and it is audited in French too
    assert len(audits[("carte", "sans filtre")]["langs"]) >= 2


def test_no_accessible_name_is_left_in_english(audits):
    left = {key: r["english"] for key, r in audits.items() if r["english"]}
    assert not left, left


def test_headings_and_charts(audits):
    for key, r in audits.items():
        assert not r["headings"], (key, r["headings"])
        assert not r["charts"], (key, r["charts"])
    assert audits[("vue_ensemble", "sans filtre")]["chart_count"] >= 1


def test_a_chart_switches_to_its_table_and_back(server, page):
    page.goto(f"{server}/vue_ensemble")
    settle(page)
    box = page.locator('[class*="st-key-graphique_"]').first
    box.get_by_role("radio", name="Tableau").click()
    box.locator("[data-testid=stDataFrame]").wait_for(timeout=60_000)
    assert box.locator("[data-testid=stPlotlyChart]").count() == 0
    settle(page)
    assert not audit(page, server, "vue_ensemble", "tableau").serious
    box.get_by_role("radio", name="Graphique").click()
    box.locator("[data-testid=stPlotlyChart]").wait_for(timeout=60_000)


def focus_path(page) -> str:
    """Where the focus is: the focused element, down into frames."""
    return page.evaluate(
        """() => {
          let doc = document, path = [];
          for (;;) {
            const el = doc.activeElement;
            if (!el || el === doc.body) { path.push('body'); break; }
            const index = [...doc.querySelectorAll('*')].indexOf(el);
            const label = el.getAttribute('aria-label');
            path.push(el.tagName + '#' + index + (label ? ':' + label : ''));
            if (el.tagName !== 'IFRAME') break;
            try { doc = el.contentDocument; if (!doc) break; } catch (e) { break; }
          }
          return path.join(' > ');
        }"""
    )


@pytest.mark.parametrize("stem", ["vue_ensemble", "carte", "eligibilite", "presentation"])
def test_tabbing_through_a_page_comes_back_to_its_start(server, page, stem):
    page.goto(f"{server}/{stem}")
    settle(page)
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("Tab")
    start = focus_path(page)
    assert "Aller au contenu" in start or start != "body", start
    seen = [start]
    for _ in range(500):
        page.keyboard.press("Tab")
        where = focus_path(page)
        if where == start:
            break
        seen.append(where)
    else:
        pytest.fail(f"{stem}: after 500 tabs the focus has not come back; last stops {seen[-5:]}")
    assert len(set(seen)) > 10, seen  # the cycle went through the page, not around one control
