"""Entry point: page configuration, shared sidebar and navigation (``streamlit run dashboard.py``)."""

import contextlib
from pathlib import Path

import streamlit as st

from core.paths import MissingMartError
from ui import state
from ui.auth import navigation_position, render_identity, require_sign_in
from ui.bootstrap import ensure_navigation
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
    ("pages/couverture_equite.py", "Couverture et équité", ":material/balance:"),
    ("pages/fiche_territoire.py", "Fiche territoire", ":material/place:"),
    ("pages/dispositifs.py", "Dispositifs", ":material/account_balance:"),
    ("pages/eligibilite.py", "Éligibilité", ":material/fact_check:"),
    ("pages/region_sud.py", "Région Sud", ":material/wb_sunny:"),
    ("pages/listes_importees.py", "Listes importées", ":material/upload_file:"),
    ("pages/presentation.py", "Présentation", ":material/slideshow:"),
    ("pages/mon_espace.py", "Mon espace", ":material/folder_shared:"),
    ("pages/donnees_methodes.py", "Données et méthodes", ":material/menu_book:"),
]


def run() -> None:
    """Declare the pages, draw the shared sidebar and run the selected page."""
    freeze_long_lived_objects()
    ensure_navigation(rerun=False)
    st.set_page_config(page_title="Fabriques de Territoire", page_icon=":material/hub:", layout="wide")
    pages = [
        st.Page(path, title=title, icon=icon, url_path=Path(path).stem, default=i == 0)
        for i, (path, title, icon) in enumerate(PAGES)
    ]
    navigation = st.navigation(pages, position=navigation_position(), expanded=True)  # all 13 pages shown
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
    navigation.run()
    render_permalink(link_slot, page_path)  # with the parameters the page has just written


if __name__ == "__main__":
    run()
