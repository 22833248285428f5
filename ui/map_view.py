"""Show a folium map in a page (streamlit-folium), the same way on every page."""

from __future__ import annotations

import folium
from streamlit_folium import st_folium


def render_map(fmap: folium.Map, height: int, key: str) -> None:
    """Draw ``fmap`` at full width; the map sends nothing back to the app (no rerun on pan or click).

    ``render=False``: streamlit-folium would otherwise render the whole page of the map once more
    before rendering the map itself, for the same component arguments (compared on the Fabriques
    map) at twice the cost.
    """
    st_folium(fmap, height=height, use_container_width=True, returned_objects=[], key=key, render=False)
