"""Maps made for exploring, in Chromium on the fixture world: a click on a département opens its
panel (the sheet's figures; its actions filter and open the sheet), pan and zoom send nothing to
the server, a click on a Fabrique opens its card, the search finds and centres Concarneau; the
national map is named in French, lists its elements and holds the five overseas insets in the
page, its HTML export and its PNG."""

from __future__ import annotations

import io

from tests.e2e.conftest import MAP_FRAME
from tests.e2e.test_browser import METRIC_VALUE, TIMEOUT, wait_for_app
from tests.fixture_world import SCOPE_COMMUNES, SQUARES

PANEL = "[class*=st-key-carte_principale_panneau]"
INSETS = ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte")
# A point of Finistère's square (-4.5..-3.75, 48.0..48.75) away from its Fabriques and QPV.
FINISTERE_POINT = (48.7, -3.85)


def map_frame(page):
    """The map's frame (Playwright's Frame, for JavaScript) once its layers are drawn."""
    locator = page.frame_locator(MAP_FRAME).first
    locator.locator("path.fabt-fabrique").first.wait_for(state="attached", timeout=TIMEOUT)
    locator.locator("path.fabt-choropleth").first.wait_for(state="attached", timeout=TIMEOUT)
    return next(f for f in page.frames if f.url.endswith("index.html") or "st_folium" in f.url), locator


def click_at(page, lat: float, lon: float, expected_class: str) -> None:
    """Click the map at ``(lat, lon)``, checking first what is drawn there."""
    frame, locator = map_frame(page)
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }", [lat, lon]
    )
    hit = frame.evaluate("([x, y]) => document.elementFromPoint(x, y).getAttribute('class') || ''", [x, y])
    assert expected_class in hit.split(), hit
    locator.locator(".leaflet-container").first.click(position={"x": x, "y": y})


def panel_text(page) -> str:
    page.locator(PANEL).wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    return page.locator(PANEL).inner_text()


def panel_metric(page, label: str) -> str:
    metric = page.locator(PANEL).locator("[data-testid=stMetric]").filter(has_text=label).first
    return metric.locator(METRIC_VALUE).inner_text()


def test_a_click_on_a_departement_opens_its_panel_whose_actions_filter_and_open_the_sheet(server, tall_page):
    page = tall_page
    page.goto(f"{server}/carte")
    click_at(page, *FINISTERE_POINT, "fabt-choropleth")
    text = panel_text(page)
    assert "Finistère" in text and "Département · Bretagne" in text
    on_map = {label: panel_metric(page, label) for label in ("Fabriques (sélection)", "Population")}
    assert on_map["Fabriques (sélection)"] == "2"  # Brest-Test and Quimper-Test
    page.locator(PANEL).get_by_role("button", name="Filtrer sur ce territoire").click()
    page.wait_for_function("() => location.search.includes('dep=29')", timeout=TIMEOUT)
    wait_for_app(page)
    assert "29 – Finistère" in page.locator("[data-testid=stSidebar]").inner_text()
    page.locator(PANEL).get_by_role("link", name="Ouvrir la fiche").click()
    page.get_by_role("heading", name="Fiche territoire", exact=True).wait_for(timeout=TIMEOUT)
    page.get_by_role("heading", name="Finistère").wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    assert "territoire=departements" in page.url
    for label, value in on_map.items():  # the panel's figures are the sheet's
        metric = page.locator("[data-testid=stMetric]").filter(has_text=label).first
        assert metric.locator(METRIC_VALUE).inner_text() == value, label
    assert page.js_errors == []


def test_pan_and_zoom_send_nothing_and_a_click_on_a_fabrique_opens_its_card(server, tall_page):
    page = tall_page
    sent: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    page.goto(f"{server}/carte")
    _, locator = map_frame(page)
    wait_for_app(page)
    page.wait_for_timeout(500)
    before = len(sent)
    locator.locator(".leaflet-control-zoom-in").click()
    locator.locator(".leaflet-control-zoom-out").click()
    box = locator.locator(".leaflet-container").first.bounding_box()
    page.mouse.move(box["x"] + 400, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 420, box["y"] + 310, steps=5)
    page.mouse.move(box["x"] + 400, box["y"] + 300, steps=5)
    page.mouse.up()
    page.wait_for_timeout(1000)  # streamlit-folium sends after 250 ms without a change
    assert len(sent) == before
    lon, lat = (SQUARES["29002"][0] + 0.05, SQUARES["29002"][1] + 0.05)  # Fabrique de Quimper
    click_at(page, lat, lon, "fabt-fabrique")
    text = panel_text(page)
    for expected in (
        "Fabrique de Quimper",
        f"{SCOPE_COMMUNES['29002'][0]} (29)",
        "Cohorte",
        "2023",
        "QPV le plus proche",
        "Densité (INSEE)",
        "Petites villes",
        "Programmes de la commune",
        "Ouvrir la fiche de la commune",
    ):
        assert expected in text, expected
    assert len(sent) > before  # the click, and only it, came back
    assert page.js_errors == []


def test_search_centres_the_map_on_concarneau_and_opens_its_panel(server, tall_page):
    page = tall_page
    page.goto(f"{server}/carte")
    frame, _ = map_frame(page)
    box = page.get_by_role("searchbox", name="Rechercher un territoire ou un lieu")
    box.fill("concarn")
    box.press("Enter")
    assert "Concarneau" in panel_text(page)
    x0, y0, size = SQUARES["29039"]
    frame.wait_for_function(
        "([lat, lon]) => window.map.getCenter().distanceTo([lat, lon]) < 3000 && window.map.getZoom() >= 10",
        arg=[y0 + size / 2, x0 + size / 2],
        timeout=TIMEOUT,
    )
    assert page.js_errors == []


def test_national_map_is_named_in_french_lists_its_elements_and_holds_the_insets_in_page_html_and_png(
    server, tall_page, fixture_build, tmp_path
):
    import geopandas as gpd
    from PIL import Image

    from core.exports.map_files import make_map_png, make_standalone_html
    from core.viz.maps import make_fabriques_map

    page = tall_page
    page.goto(f"{server}/carte")
    _, locator = map_frame(page)
    locator.locator(".fabt-inset-map .leaflet-pane").first.wait_for(state="attached", timeout=TIMEOUT)
    assert locator.locator(".fabt-inset-title").all_inner_texts() == list(INSETS)
    assert locator.locator("path.fabt-inset-fabrique").count() == 1  # Fab Lab Abymes, in Guadeloupe
    assert page.locator(MAP_FRAME).first.get_attribute("title").startswith("Carte des Fabriques de Territoire")
    assert locator.locator(".leaflet-control-zoom-in").get_attribute("aria-label") == "Zoom avant"
    assert locator.locator(".leaflet-control-zoom-out").get_attribute("title") == "Zoom arrière"
    assert locator.locator(".leaflet-control-attribution a").first.get_attribute("title").startswith("Leaflet, ")
    assert "Couches" in locator.locator(".leaflet-control-layers-toggle").get_attribute("title")
    assert locator.locator(".leaflet-control-layers-expanded").count() == 0  # collapsed
    assert locator.locator("path.fabt-fabrique").first.get_attribute("aria-label").startswith("Fabrique ")
    locator.locator("path.fabt-inset-fabrique").click(force=True)  # a click in an inset opens the panel
    assert "Fab Lab Abymes" in panel_text(page)
    listing = page.locator("details.fabt-map-list")
    listing.locator("summary").click()
    assert "Finistère" in listing.inner_text() and "Fabrique de Quimper" in listing.inner_text()

    places = gpd.read_parquet(fixture_build["marts"] / "fabriques.parquet")
    html = make_standalone_html(make_fabriques_map(places, tiles=None), "Carte nationale", "Filtres : aucun")
    for name in INSETS:
        assert name in html
    path = tmp_path / "carte.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.locator(".fabt-inset-map .leaflet-pane").first.wait_for(state="attached", timeout=TIMEOUT)
    assert page.locator(".fabt-inset-map").count() == 5
    png = Image.open(io.BytesIO(make_map_png(html)))
    # The column of insets along the left edge: their frames' sea-blue background.
    inset_blue = (0xDF, 0xE9, 0xF2)
    column = [png.getpixel((60, y))[:3] for y in range(120, 800, 10)]
    assert column.count(inset_blue) >= 20
