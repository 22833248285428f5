"""Every page in a real browser: its key element, no error box; the map holds Leaflet layers."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import MAP_FRAME
from tests.upload_corpus import ods_bytes

PAGES = {
    "vue_ensemble": "Vue d'ensemble",
    "carte": "Carte",
    "quartiers_prioritaires": "Quartiers prioritaires",
    "territoires_ruraux": "Territoires ruraux",
    "reseau_tiers_lieux": "Réseau des tiers-lieux",
    "couverture_equite": "Couverture et équité",
    "prochaine_vague": "Prochaine vague",
    "fiche_territoire": "Fiche territoire",
    "dispositifs": "Dispositifs",
    "eligibilite": "Éligibilité",
    "region_sud": "Région Sud — Parcours Sud Smart Territoires",
    "listes_importees": "Listes importées",
    "donnees_methodes": "Données et méthodes",
}
METRIC_VALUE = "[data-testid=stMetricValue]"
TIMEOUT = 30_000


def wait_for_app(page) -> None:
    page.wait_for_selector("[data-testid=stSidebar]", timeout=TIMEOUT)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=TIMEOUT)


def url_of(server: str, stem: str) -> str:
    """The default page lives at the root."""
    return f"{server}/" if stem == "vue_ensemble" else f"{server}/{stem}"


@pytest.mark.parametrize("stem", list(PAGES))
def test_page_opens_with_its_title_and_no_error(server, page, stem):
    page.goto(url_of(server, stem))
    page.get_by_role("heading", name=PAGES[stem], exact=True).first.wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert "Filtres" in page.locator("[data-testid=stSidebar]").inner_text()


def open_from_nav(page, title: str) -> None:
    """Click a page in the sidebar's navigation, first opening « View N more » when the page is folded
    away (Streamlit folds a long navigation)."""
    nav = page.locator("[data-testid=stSidebarNav]")
    link = nav.get_by_text(title, exact=True)
    if not link.count():
        nav.get_by_text(re.compile(r"^View \d+ more$")).click()
    link.click()


def open_map(page, url):
    page.goto(url)
    page.get_by_role("heading", name="Carte", exact=True).wait_for(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".leaflet-container").wait_for(timeout=TIMEOUT)
    return frame


def test_national_map_shows_qpv_as_points(server, page):
    frame = open_map(page, f"{server}/carte")
    frame.locator("path.fabt-qpv-point").first.wait_for(state="attached", timeout=TIMEOUT)
    assert frame.locator("path.fabt-qpv-point").count() == 5  # the collapsed QPV has no point to show
    assert page.js_errors == []


def test_next_wave_map_holds_the_proposed_sites(server, page):
    from tests.app.test_next_wave import expected_plan

    _, choice = expected_plan(3, 10)
    page.goto(f"{server}/prochaine_vague?sites=3&distance=10")
    page.get_by_role("heading", name="Prochaine vague", exact=True).wait_for(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("path.fabt-plan-site").first.wait_for(state="attached", timeout=TIMEOUT)
    assert frame.locator("path.fabt-plan-site").count() == len(choice)
    assert page.js_errors == []


def test_map_iframe_holds_markers_and_qpv_polygons(server, page):
    frame = open_map(page, f"{server}/carte?dep=01")
    frame.locator("path.fabt-qpv").first.wait_for(state="attached", timeout=TIMEOUT)
    markers = frame.locator("path.fabt-fabrique, .marker-cluster")
    markers.first.wait_for(state="attached", timeout=TIMEOUT)
    assert frame.locator("path.fabt-qpv").count() == 2  # the Ain QPV with an area (one collapsed)
    assert markers.count() >= 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert "Légende" in frame.locator(".fabt-legend").inner_text()
    assert page.js_errors == []


def test_link_reopens_the_same_view(server, page):
    page.goto(f"{server}/?cohorte=2023")
    page.get_by_role("heading", name="Vue d'ensemble", exact=True).wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Fabriques").first
    assert metric.locator("[data-testid=stMetricValue]").inner_text() == "3"  # fabt-301, 302, 364
    assert "cohorte 2023" in page.locator("[data-testid=stCaptionContainer]").first.inner_text()


def fabriques_metric(page) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Fabriques").first
    return metric.locator(METRIC_VALUE).inner_text()


def test_copied_link_round_trip(server, browser, page):
    page.goto(f"{server}/?cohorte=2020-2021&qpv=commune")
    wait_for_app(page)
    expected = fabriques_metric(page)
    page.get_by_role("button", name="Copier le lien").click()
    link = page.locator("[data-testid=stPopoverBody] [data-testid=stCode]").inner_text().strip()
    assert link.startswith(server) and "cohorte=2020-2021" in link and "qpv=commune" in link
    other = browser.new_context().new_page()
    other.goto(link)
    wait_for_app(other)
    assert fabriques_metric(other) == expected
    assert "cohorte 2020-2021" in other.locator("[data-testid=stCaptionContainer]").first.inner_text()
    other.context.close()


def test_presentation_next_and_previous(server, page):
    page.goto(f"{server}/presentation")
    page.get_by_text("Diapositive 1 /").wait_for(timeout=TIMEOUT)
    # The page's style hides the sidebar; the browser may apply it just after the slide's text shows.
    page.locator("[data-testid=stSidebar]").wait_for(state="hidden", timeout=TIMEOUT)
    first = page.locator("h1").first.inner_text()
    page.get_by_role("button", name="Suivante").click()
    page.get_by_text("Diapositive 2 /").wait_for(timeout=TIMEOUT)
    assert page.locator("h1").first.inner_text() != first
    assert "diapo=2" in page.url
    page.get_by_role("button", name="Précédente").click()
    page.get_by_text("Diapositive 1 /").wait_for(timeout=TIMEOUT)
    assert page.locator("h1").first.inner_text() == first


HOSTILE_LIST = (
    "nom;insee;longitude;latitude\n"
    '<img src=x onerror="window.top.__xss=1">;01001;;\n'
    '"<script>window.top.__xss=2</script>";01002;;\n'
    'Lieu "quoté\' onmouseover=window.top.__xss=3 x=";01015;5.05;46.05\n'
    "Inversé;;46.05;5.05\n"
).encode()


def test_uploaded_list_is_validated_and_its_hostile_names_stay_inert(server, page, tmp_path):
    path = tmp_path / "x<img src=y onerror=window.top.__xss=9>.csv"
    path.write_bytes(HOSTILE_LIST)
    page.goto(f"{server}/listes_importees")
    page.get_by_role("heading", name="Listes importées", exact=True).wait_for(timeout=TIMEOUT)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("4 lignes lues = 3 acceptées + 1 rejetées").wait_for(timeout=TIMEOUT)
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator("path.fabt-fabrique, .marker-cluster").first.wait_for(timeout=TIMEOUT)
    for marker in frame.locator("path.fabt-fabrique").all():
        marker.hover(force=True)
    # The list then stands in for the Fabriques: every page shows its hostile names and file name.
    page.get_by_text("À la place des Fabriques, sur toutes les pages").click()
    page.get_by_text("Toutes les pages (vue d'ensemble").wait_for(timeout=TIMEOUT)
    for title in (
        "Vue d'ensemble",
        "Carte",
        "Quartiers prioritaires",
        "Réseau des tiers-lieux",
        "Fiche territoire",
        "Prochaine vague",
        "Présentation",
    ):
        open_from_nav(page, title)
        if title == "Présentation":  # a slide's heading is its own title and the sidebar is hidden
            page.get_by_role("button", name="Suivante").first.wait_for(timeout=TIMEOUT)
        else:
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=TIMEOUT)
            assert "Liste importée" in page.locator("[data-testid=stSidebar]").inner_text()
        page.wait_for_timeout(300)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=TIMEOUT)
        assert page.locator("[data-testid=stException]").count() == 0, title
        if title in ("Carte", "Réseau des tiers-lieux"):
            frame = page.frame_locator(MAP_FRAME).first
            frame.locator(".leaflet-control-layers").first.wait_for(timeout=TIMEOUT)
            for marker in frame.locator("path.fabt-fabrique").all():
                marker.hover(force=True)
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert page.js_errors == []


def test_libreoffice_list_is_read_by_the_worker_under_the_real_server(server, page, tmp_path):
    """An .ods goes through the worker server, started by the Streamlit server itself: sheet and header found."""
    path = tmp_path / "laureats.ods"
    path.write_bytes(
        ods_bytes(
            {
                "Notice": [["Lisez-moi"]],
                "Lauréats": [
                    ["Lauréats 2024"],
                    ["Nom du lieu", "Code INSEE"],
                    ["Premier", "01001"],
                    ["Second", "01015"],
                ],
            }
        )
    )
    page.goto(f"{server}/listes_importees")
    page.get_by_role("heading", name="Listes importées", exact=True).wait_for(timeout=TIMEOUT)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("2 lignes lues = 2 acceptées + 0 rejetées").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Feuille « Lauréats » lue").count() == 1
    assert page.locator("[data-testid=stException]").count() == 0
