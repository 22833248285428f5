"""Entry point: page configuration, shared sidebar and navigation (``streamlit run dashboard.py``)."""

import contextlib
from pathlib import Path

import streamlit as st

from core.paths import MissingMartError
from ui import state
from ui.a11y import page_title, render_document_fixes
from ui.auth import navigation_position, render_identity, require_sign_in
from ui.bootstrap import ensure_navigation
from ui.dsfr import render_footer, render_header
from ui.heap import freeze_long_lived_objects
from ui.permalink import render_permalink
from ui.saved_items import open_linked_item, render_save_view
from ui.sidebar import render_sidebar
from ui.user_list import render_user_list_notice

# URL paths are the file names, so a link names the page the same way in every mode.
PAGES = [
    ("pages/vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/carte.py", "Carte", ":material/map:"),
    ("pages/quartiers_prioritaires.py", "Quartiers prioritaires", ":material/location_city:"),
    ("pages/territoires_ruraux.py", "Territoires ruraux", ":material/grass:"),
    ("pages/reseau_tiers_lieux.py", "Réseau des tiers-lieux", ":material/hub:"),
    ("pages/couverture_equite.py", "Couverture et équité", ":material/balance:"),
    ("pages/prochaine_vague.py", "Prochaine vague", ":material/add_location_alt:"),
    ("pages/fiche_territoire.py", "Fiche territoire", ":material/place:"),
    ("pages/dispositifs.py", "Dispositifs", ":material/account_balance:"),
    ("pages/eligibilite.py", "Éligibilité", ":material/fact_check:"),
    ("pages/region_sud.py", "Région Sud", ":material/wb_sunny:"),
    ("pages/listes_importees.py", "Listes importées", ":material/upload_file:"),
    ("pages/presentation.py", "Présentation", ":material/slideshow:"),
    ("pages/mon_espace.py", "Mon espace", ":material/folder_shared:"),
    ("pages/donnees_methodes.py", "Données et méthodes", ":material/menu_book:"),
    ("pages/accessibilite.py", "Déclaration d'accessibilité", ":material/accessibility_new:"),
    ("pages/mentions_legales.py", "Mentions légales", ":material/gavel:"),
]

# Sections of the navigation (a page not listed is an analysis).
SECTION_OF = {
    "dispositifs": "Dispositifs",
    "eligibilite": "Dispositifs",
    "region_sud": "Dispositifs",
    "listes_importees": "Mon travail",
    "presentation": "Mon travail",
    "mon_espace": "Mon travail",
    "donnees_methodes": "À propos",
    "accessibilite": "À propos",
    "mentions_legales": "À propos",
}


def run() -> None:
    """Declare the pages, draw the shared sidebar and run the selected page."""
    freeze_long_lived_objects()
    ensure_navigation(rerun=False)
    st.set_page_config(page_title="Fabriques de Territoire", page_icon=":material/hub:", layout="wide")
    sections: dict[str, list] = {}
    for i, (path, title, icon) in enumerate(PAGES):
        page = st.Page(path, title=title, icon=icon, url_path=Path(path).stem, default=i == 0)
        sections.setdefault(SECTION_OF.get(Path(path).stem, "Analyses"), []).append(page)
    navigation = st.navigation(sections, position=navigation_position(), expanded=True)
    # The browser's title names the page (one distinct title per page).
    st.set_page_config(page_title=page_title(navigation.title))
    render_document_fixes()
    require_sign_in()  # with sign-in on, nothing below runs for a visitor who is not signed in
    open_linked_item()  # a link ?espace=<id> opens a saved item on its own page
    state.start_reporting_ignored(st.sidebar.empty())
    with contextlib.suppress(MissingMartError):  # the page says which command builds the marts
        render_sidebar()
    render_user_list_notice()
    render_identity()
    link_slot = st.sidebar.empty()
    page_path = "/" + navigation.url_path
    render_permalink(link_slot, page_path)  # a page that stops early keeps this link
    render_save_view(navigation.url_path or "vue_ensemble")
    render_header()
    body = st.container()
    render_footer()  # drawn before the page, below it: a page that stops early keeps its footer
    with body:
        navigation.run()
    render_permalink(link_slot, page_path)  # with the parameters the page has just written


if __name__ == "__main__":
    run()
