"""The list beside a map, its text alternative (:func:`core.viz.map_list.make_map_list_html`), and
the exports of its tables.

Plain HTML in a disclosure box: no table widget, whose code would load in the browser before the
map (a second, measured, on the Carte page).
"""

from __future__ import annotations

import streamlit as st

from core.domain.text import escape_markdown
from core.viz.map_list import make_map_list_html, place_table, territory_table
from core.viz.maps import MapContents
from ui.exports import render_table_exports
from ui.widgets import slug


def render_map_list(contents: MapContents, key: str, description: str) -> None:
    """The tables of what a map shows (territories of its choropleth and their values, its places),
    then their CSV and Excel exports (``description``: the page's filters, in the exports)."""
    html = make_map_list_html(contents)
    if not html:
        return
    st.html(html)
    layer = contents.choropleth
    tables = [
        (territory_table(contents), layer.name if layer is not None else ""),
        (place_table(contents), contents.places_name),
    ]
    tables = [(table, title) for table, title in tables if title and not table.empty]
    with st.expander("Exporter la liste de la carte"):
        for n, (table, title) in enumerate(tables):
            st.markdown(f"**{escape_markdown(title)}**")
            render_table_exports(table, slug(title), title, [], f"{key}_liste_{n}", description)
