"""The list beside a map, its accessible alternative: what the map draws, with the same values, in
tables a keyboard can browse; choosing a row opens it in the map's panel and moves the map to it."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from core.analysis.search import find_item
from core.domain.territories import item_key
from core.viz.maps import MapContents
from ui import state
from ui.map_panel import select
from ui.map_search import search_index, view_of
from ui.widgets import render_table

PLACE_COLUMNS = {"nom": "nom", "nom_com": "commune", "insee_dep": "département", "cohort": "cohorte"}


def territory_rows(contents: MapContents) -> pd.DataFrame:
    """The choropleth's territories with its value rounded as the tooltips show it, highest first."""
    layer = contents.choropleth
    if layer is None or layer.table is None:
        return pd.DataFrame()
    table = layer.table.copy()
    table[layer.caption] = pd.to_numeric(table[layer.caption], errors="coerce").round(layer.decimals)
    return table.sort_values([layer.caption, "territoire"], ascending=[False, True], na_position="last")


def place_rows(contents: MapContents) -> pd.DataFrame:
    """The places drawn (those with a point), by name."""
    places = contents.places
    located = places[places["longitude"].notna() & places["latitude"].notna()] if "longitude" in places else places
    shown = located[[c for c in PLACE_COLUMNS if c in located.columns]].rename(columns=PLACE_COLUMNS)
    if "fabrique_id" in located.columns:
        shown.insert(0, "identifiant", located["fabrique_id"].to_numpy())
    return shown.sort_values("nom") if "nom" in shown else shown


def _picked(key: str, table_key: str, rows: pd.DataFrame, kind: str, map_bounds: list | None, height: int) -> None:
    chosen = state.recall(table_key)
    picked = list(getattr(getattr(chosen, "selection", None), "rows", []) or [])
    if not picked:
        return
    row = rows.iloc[picked[0]]
    code = row["code"] if kind != "fabriques" else row["identifiant"]
    item = item_key(kind, code)
    result = find_item(search_index(), item)
    select(key, item, view_of(result, map_bounds, height) if result is not None else None)


def render_map_list(key: str, contents: MapContents, map_bounds: list | None, height: int, description: str) -> None:
    """The tables of what the map ``key`` shows (territories of its choropleth, its places), with
    their exports (``description``: the page's filters)."""
    layer = contents.choropleth
    with st.expander("Liste des éléments de la carte (accessible au clavier)"):
        st.caption(
            "Les mêmes valeurs que la carte. Choisir une ligne (case à gauche, ou Espace sur la ligne) l'ouvre dans "
            "le panneau à côté de la carte et y centre la carte."
        )
        for rows, kind, title in (
            (territory_rows(contents), layer.level if layer is not None else None, layer.name if layer else ""),
            (place_rows(contents), "fabriques", contents.places_name),
        ):
            if rows.empty or kind is None:
                continue
            table_key = f"{key}_liste_{kind}"
            render_table(
                rows,
                f"{title} — liste de la carte",
                "",
                table_key,
                description,
                on_select=partial(_picked, key, table_key, rows, kind, map_bounds, height),
            )
