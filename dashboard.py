"""Entry point: page configuration and navigation (``streamlit run dashboard.py``)."""

import streamlit as st


def run() -> None:
    """Declare the pages and run the selected one."""
    st.set_page_config(page_title="Fabriques de Territoire", page_icon="🏘️", layout="wide")
    pages = [
        st.Page("pages/donnees_methodes.py", title="Données et méthodes", icon="📚", url_path="donnees"),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    run()
