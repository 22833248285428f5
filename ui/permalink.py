"""The "Copier le lien" action shown on every page."""

from __future__ import annotations

import streamlit as st

from core.domain.permalink import make_permalink
from ui import state


def render_permalink(slot, page_path: str) -> None:
    """Fill ``slot`` (a sidebar placeholder) with the link of the current view and a copy button."""
    link = make_permalink(st.context.url, state.url_params(), page_path)
    with slot.container(), st.popover("Copier le lien", icon=":material/link:", width="stretch"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(
            "Ce lien rouvre cette page avec les mêmes filtres, le même territoire et la même vue de carte "
            "(bouton de copie à droite du lien)."
        )
