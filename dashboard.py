"""Entry point: page configuration, shared sidebar and navigation (``streamlit run dashboard.py``)."""

import contextlib
from pathlib import Path

import streamlit as st

from core.paths import MissingMartError
from ui import state
from ui.bootstrap import ensure_navigation
from ui.heap import freeze_long_lived_objects
from ui.permalink import render_permalink
from ui.sidebar import render_sidebar
from ui.user_list import render_user_list_notice

# URL paths are the file names, so a link names the page the same way in every mode.
PAGES = [
    ("pages/vue_ensemble.py", "Vue d'ensemble", ":material/dashboard:"),
    ("pages/carte.py", "Carte", ":material/map:"),
    ("pages/quartiers_prioritaires.py", "Quartiers prioritaires", ":material/location_city:"),
    ("pages/territoires_ruraux.py", "Territoires ruraux", ":material/grass:"),
    ("pages/couverture_equite.py", "Couverture et équité", ":material/balance:"),
    ("pages/prochaine_vague.py", "Prochaine vague", ":material/add_location_alt:"),
    ("pages/fiche_territoire.py", "Fiche territoire", ":material/place:"),
    ("pages/dispositifs.py", "Dispositifs", ":material/account_balance:"),
    ("pages/eligibilite.py", "Éligibilité", ":material/fact_check:"),
    ("pages/region_sud.py", "Région Sud", ":material/wb_sunny:"),
    ("pages/listes_importees.py", "Listes importées", ":material/upload_file:"),
    ("pages/presentation.py", "Présentation", ":material/slideshow:"),
    ("pages/donnees_methodes.py", "Données et méthodes", ":material/menu_book:"),
]


def run() -> None:
    """Declare the pages, draw the shared sidebar and run the selected page."""
    freeze_long_lived_objects()
    ensure_navigation()
    st.set_page_config(page_title="Fabriques de Territoire", page_icon=":material/hub:", layout="wide")
    pages = [
        st.Page(path, title=title, icon=icon, url_path=Path(path).stem, default=i == 0)
        for i, (path, title, icon) in enumerate(PAGES)
    ]
    navigation = st.navigation(pages, expanded=True)  # past twelve pages Streamlit would hide some
    state.start_reporting_ignored(st.sidebar.empty())
    with contextlib.suppress(MissingMartError):  # the page says which command builds the marts
        render_sidebar()
    render_user_list_notice()
    link_slot = st.sidebar.empty()
    page_path = "/" + navigation.url_path
    render_permalink(link_slot, page_path)  # a page that stops early keeps this link
    navigation.run()
    render_permalink(link_slot, page_path)  # with the parameters the page has just written


if __name__ == "__main__":
    run()
