"""Entry point: page configuration, shared sidebar and navigation (``streamlit run dashboard.py``)."""

import streamlit as st

from core.filters import DEFAULT
from core.paths import MissingMartError
from ui.bootstrap import ensure_navigation
from ui.loaders import load_table
from ui.sidebar import render_sidebar

PAGES = [
    ("pages/vue_ensemble.py", "Vue d'ensemble", "📊", "vue-ensemble"),
    ("pages/carte.py", "Carte", "🗺️", "carte"),
    ("pages/quartiers_prioritaires.py", "Quartiers prioritaires", "🏙️", "qpv"),
    ("pages/territoires_ruraux.py", "Territoires ruraux", "🌾", "ruralite"),
    ("pages/couverture_equite.py", "Couverture et équité", "⚖️", "couverture"),
    ("pages/fiche_territoire.py", "Fiche territoire", "📍", "fiche"),
    ("pages/donnees_methodes.py", "Données et méthodes", "📚", "donnees"),
]


def run() -> None:
    """Declare the pages, draw the shared sidebar and run the selected page."""
    ensure_navigation()
    st.set_page_config(page_title="Fabriques de Territoire", page_icon="🏘️", layout="wide")
    pages = [
        st.Page(path, title=title, icon=icon, url_path=slug, default=i == 0)
        for i, (path, title, icon, slug) in enumerate(PAGES)
    ]
    navigation = st.navigation(pages)
    try:
        render_sidebar(load_table("fabriques"))
    except MissingMartError:
        st.session_state["filters"] = DEFAULT
    navigation.run()


if __name__ == "__main__":
    run()
