"""The panel beside a map: what was clicked on it or found by its search, with its key figures
(the same as the top of « Fiche territoire ») and two actions, « Filtrer sur ce territoire » and
« Ouvrir la fiche ».

The panel's choice is kept per map (:func:`ui.state.map_selection_key`); a click on the map reaches
it through the map component's callback (:func:`select_from_click`), a search through
:func:`select`, which can also move the map to the item.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from core.analysis.cards import Card, UnknownItemError, compute_place_card, compute_qpv_card, compute_territory_card
from core.domain.territories import LEVELS, split_item_key
from core.domain.text import escape_markdown
from ui import state
from ui.loaders import load_table
from ui.widgets import render_metric

SHEET_PAGE = "pages/fiche_territoire.py"
HINT = "Cliquez sur un territoire ou un lieu de la carte pour voir ici ses chiffres clés."


def select(key: str, item: str | None, view: tuple | None = None) -> None:
    """Show ``item`` (an item key, None: nothing) in the panel of the map ``key``; ``view``
    (``(map bounds, centre, zoom)``) also moves the map there."""
    if item is None:
        state.forget(state.map_selection_key(key))
    else:
        state.remember(state.map_selection_key(key), item)
    if view is not None:
        state.remember(state.map_view_key(key), view)


def clicked_item(value: object) -> str | None:
    """The item key of the feature a map click sent back (``last_active_drawing``), if it has one."""
    if not isinstance(value, dict):
        return None
    feature = value.get("last_active_drawing")
    properties = feature.get("properties") if isinstance(feature, dict) else None
    item = properties.get("id") if isinstance(properties, dict) else None
    return item if split_item_key(item) is not None else None


def select_from_click(key: str) -> None:
    """The map component's callback: show what was clicked (the map does not move)."""
    item = clicked_item(state.recall(key))
    if item is not None:
        select(key, item)


def compute_card(item: str, places: pd.DataFrame) -> Card | None:
    """The card of ``item`` counting ``places`` (the map's selection); None when it is not known."""
    kind, code = split_item_key(item) or (None, None)
    try:
        if kind in LEVELS:
            return compute_territory_card(kind, code, load_table("communes"), places)
        if kind == "fabriques":
            try:
                return compute_place_card(places, code)
            except UnknownItemError:  # found by the search but not in the map's selection
                return compute_place_card(load_table("fabriques"), code)
        if kind == "qpv":
            return compute_qpv_card(load_table("qpv"), code)
    except UnknownItemError:
        return None
    return None


def _filter_on(card: Card) -> None:
    current = state.current_filters()
    state.set_filter_widgets(replace(current, regions=card.regions, departements=card.departements))


def render_card(card: Card, key: str) -> None:
    """The card's figures, facts and actions (texts from the data escaped for Markdown)."""
    st.header(escape_markdown(card.title), anchor=False)
    st.caption(escape_markdown(card.subtitle))
    for definition, value in card.figures:
        render_metric(st, definition, value)
    for label, value in card.lines:
        st.markdown(f"**{escape_markdown(label)}** : {escape_markdown(value)}")
    if card.regions or card.departements:
        st.button(
            "Filtrer sur ce territoire" if card.kind in LEVELS else "Filtrer sur son département",
            key=f"{key}_filtrer",
            on_click=_filter_on,
            args=(card,),
            width="stretch",
            help="Met ce territoire dans les filtres de la barre latérale (toutes les pages le suivent).",
        )
        if card.filter_note:
            st.caption(escape_markdown(card.filter_note))
    if card.sheet is not None:
        # A link, not a button calling st.switch_page: the browser then sends the sidebar's widgets
        # with the navigation (after a switch_page the filters' widgets were read back empty).
        st.page_link(
            SHEET_PAGE,
            label="Ouvrir la fiche" if card.kind in LEVELS else "Ouvrir la fiche de la commune",
            icon=":material/place:",
            query_params={**state.url_params(), "territoire": card.sheet},
        )
    st.button("Fermer", key=f"{key}_fermer", on_click=select, args=(key, None), type="tertiary")


def render_panel(key: str, places: pd.DataFrame) -> None:
    """The panel of the map ``key``: the card of its choice, or how to choose."""
    item = state.recall(state.map_selection_key(key))
    card = compute_card(item, places) if item else None
    if card is None:
        st.caption(HINT)
        return
    with st.container(border=True, key=f"{key}_panneau"):
        render_card(card, key)
