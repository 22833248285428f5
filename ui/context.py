"""What every analysis page starts with: the filtered Fabriques and a sentence describing them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.analysis.filters import Filters, apply_filters, describe_filters
from core.domain.territories import TerritoryNames, compute_territory_names
from core.paths import MissingMartError
from ui.loaders import load_table, load_table_version, mart_version
from ui.messages import stop_on_missing
from ui.state import current_filters
from ui.user_list import replacing_list


@dataclass
class PageContext:
    """The whole list, the selection and the filters; ``from_list`` when a user's list stands in
    for the Fabriques."""

    all_fabriques: pd.DataFrame
    fabriques: pd.DataFrame
    filters: Filters
    description: str
    from_list: bool = False


@st.cache_resource(show_spinner=False, max_entries=2)
def _territory_names(version: tuple[str, int]) -> TerritoryNames:
    return compute_territory_names(load_table_version(version))


def fabriques_territory_names() -> TerritoryNames:
    """The Fabriques' régions and départements with their names, once per version of the mart.

    Shared by every session: read it, never change it.
    """
    return _territory_names(mart_version("fabriques"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _typologies(version: tuple[str, int]) -> tuple[str, ...]:
    return tuple(sorted(load_table_version(version)["typologie_ruralite"].dropna().unique()))


def fabriques_typologies() -> tuple[str, ...]:
    """The ANCT rural typology classes of the Fabriques, sorted."""
    return _typologies(mart_version("fabriques"))


# A selection of the Fabriques is kept per filters and shared by the sessions (each gets a shallow
# copy: with copy-on-write, changing it leaves the kept one intact). Opening another page keeps the
# filters: the selection is then not computed again.
@st.cache_resource(show_spinner=False, max_entries=128)
def _fabriques_selection(version: tuple[str, int], filters: Filters) -> pd.DataFrame:
    return apply_filters(load_table_version(version), filters)


def page_context() -> PageContext:
    """Load the Fabriques and apply the sidebar's filters (stops the page if data are missing)."""
    try:
        version = mart_version("fabriques")
        fabriques = load_table_version(version)
    except MissingMartError as error:
        stop_on_missing(error)
    names = fabriques_territory_names()
    filters = current_filters()
    replacing = replacing_list()
    if replacing is not None:
        fabriques = replacing.places
        selection = apply_filters(fabriques, filters)
    else:
        selection = _fabriques_selection(version, filters).copy(deep=False)
    description = describe_filters(filters, names.regions, names.departements)
    if replacing is not None:
        description = f"Liste importée « {replacing.name} » (à la place des Fabriques) — {description}"
    st.session_state["filters_description"] = description
    return PageContext(fabriques, selection, filters, description, from_list=replacing is not None)


def load_or_stop(name: str) -> pd.DataFrame:
    """A mart without geometry, or the missing-data message."""
    try:
        return load_table(name)
    except MissingMartError as error:
        stop_on_missing(error)
