"""The search box of a map: a commune, an EPCI, a département, a région, a Fabrique or a QPV by its
name or its code (:mod:`core.analysis.search`); the chosen result opens in the map's panel and the
map moves to it."""

from __future__ import annotations

import streamlit as st

from core.analysis.search import SearchIndex, SearchResult, build_search_index, search
from core.viz.view import compute_view
from ui import state
from ui.loaders import load_geo_version, load_table_version, mart_version
from ui.map_panel import select

RESULTS = 8
# The map's width and height the view is computed for (a map column of a wide page).
VIEW_PX = (760, 640)


@st.cache_resource(show_spinner="Préparation de la recherche…", max_entries=2)
def _index(communes: tuple[str, int], fabriques: tuple[str, int], qpv: tuple[str, int]) -> SearchIndex:
    return build_search_index(load_geo_version(communes), load_table_version(fabriques), load_geo_version(qpv))


def search_index() -> SearchIndex:
    """The index of the marts' territories, Fabriques and QPV, once per version of the marts (shared)."""
    return _index(mart_version("communes"), mart_version("fabriques"), mart_version("qpv"))


def view_of(result: SearchResult, map_bounds: list | None, height: int) -> tuple:
    """The view (:func:`ui.state.map_view_key`) that shows ``result`` on a map fitted to ``map_bounds``."""
    centre, zoom = compute_view(result.bounds, VIEW_PX[0], min(VIEW_PX[1], height))
    return (map_bounds, centre, zoom)


def _results_key(key: str) -> str:
    return f"{key}_resultats"


def _show(key: str, result: SearchResult, map_bounds: list | None, height: int) -> None:
    select(key, result.key, view_of(result, map_bounds, height))


def _on_query(key: str, map_bounds: list | None, height: int) -> None:
    found = search(search_index(), state.recall(f"{key}_recherche") or "", RESULTS)
    state.forget(_results_key(key))
    if found:
        _show(key, found[0], map_bounds, height)


def _on_result(key: str, map_bounds: list | None, height: int) -> None:
    chosen = state.recall(_results_key(key))
    found = search(search_index(), state.recall(f"{key}_recherche") or "", RESULTS)
    for result in found:
        if result.key == chosen:
            _show(key, result, map_bounds, height)


def render_search(key: str, map_bounds: list | None, height: int) -> None:
    """The search box of the map ``key`` and, once something is typed, its results (the first is
    shown at once; another can be chosen)."""
    args = (key, map_bounds, height)
    query = st.text_input(
        "Rechercher un territoire ou un lieu",
        key=f"{key}_recherche",
        type="search",
        placeholder="Commune, EPCI, département, région, Fabrique, QPV ou code",
        on_change=_on_query,
        args=args,
        help="Nom ou code, sans se soucier des accents ni des majuscules ; le début du nom suffit.",
    )
    if not query:
        return
    found = search(search_index(), query, RESULTS)
    if not found:
        st.caption("Aucun résultat : essayez le début du nom ou le code INSEE.")
        return
    labels = {r.key: r.label for r in found}
    st.selectbox(
        "Résultats",
        list(labels),
        format_func=labels.get,
        key=_results_key(key),
        on_change=_on_result,
        args=args,
        label_visibility="collapsed",
    )
