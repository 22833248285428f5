"""The workspace in Chromium: a list uploaded and saved in one browser opens by its link in another
browser (a new session) with the same counts."""

from __future__ import annotations

from tests.e2e.test_browser import METRIC_VALUE, TIMEOUT, wait_for_app

LIST = (
    b"Nom du lieu;Code INSEE;Contact\n"
    b"Lieu Alpha;01001;Jeanne Martin\n"
    b"Lieu Delta;01340;Paul Durand\n"
    b"Lieu Brest;29001;\n"
    b"Lieu Quimper;29002;\n"
)


def fabriques_metric(page) -> str:
    metric = page.locator("[data-testid=stMetric]").filter(has_text="Fabriques").first
    return metric.locator(METRIC_VALUE).inner_text()


def save_in_popover(page, label: str, title: str) -> str:
    """Open the « Enregistrer (…) » popover, give a title, save; the item's link shown after."""
    page.get_by_role("button", name=label).click()
    body = page.locator("[data-testid=stPopoverBody]").last
    field = body.get_by_label("Titre")
    field.fill(title)
    field.press("Enter")
    body.get_by_role("button", name="Enregistrer", exact=True).click()
    page.get_by_text("Enregistré. Lien de l'élément").wait_for(timeout=TIMEOUT)
    link = page.locator("[data-testid=stPopoverBody] [data-testid=stCode]").filter(has_text="espace=").last
    text = link.inner_text().strip()
    page.keyboard.press("Escape")
    return text


def test_a_list_saved_in_one_browser_opens_by_its_link_in_another(server, browser, page, tmp_path):
    path = tmp_path / "laureats.csv"
    path.write_bytes(LIST)
    page.goto(f"{server}/listes_importees")
    page.get_by_role("heading", name="Listes importées", exact=True).wait_for(timeout=TIMEOUT)
    page.locator("input[type=file]").set_input_files(str(path))
    page.get_by_text("4 lignes lues = 4 acceptées + 0 rejetées").wait_for(timeout=TIMEOUT)
    page.get_by_text("À la place des Fabriques, sur toutes les pages").click()
    page.get_by_text("Toutes les pages (vue d'ensemble").wait_for(timeout=TIMEOUT)
    save_in_popover(page, "Enregistrer (liste)", "Lauréats du test")
    page.locator("[data-testid=stSidebarNav]").get_by_text("Vue d'ensemble", exact=True).click()
    page.get_by_role("heading", name="Vue d'ensemble", exact=True).wait_for(timeout=TIMEOUT)
    wait_for_app(page)
    counted = fabriques_metric(page)
    assert counted == "4"
    link = save_in_popover(page, "Enregistrer (vue)", "Vue des lauréats")
    assert link.startswith(server) and "espace=" in link

    other = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR").new_page()
    other.goto(link)
    other.get_by_role("heading", name="Vue d'ensemble", exact=True).wait_for(timeout=TIMEOUT)
    wait_for_app(other)
    assert fabriques_metric(other) == counted
    assert "Liste importée" in other.locator("[data-testid=stSidebar]").inner_text()
    assert other.locator("[data-testid=stException]").count() == 0
    other.context.close()
