"""What every analysis page starts with: the places, the selection, its scope and a sentence describing them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.analysis.filters import Filters, apply_filters, describe_filters
from core.analysis.scope import Scope, compute_scope
from core.domain.territories import TerritoryNames, compute_territory_names
from core.paths import MissingMartError
from ui import state
from ui.loaders import load_table, load_table_version, mart_version
from ui.messages import stop_on_missing
from ui.user_list import replacing_list

NAME_COLUMNS = ["insee_reg", "nom_reg", "insee_dep", "nom_dep"]


@dataclass
class PageContext:
    """The whole list, the selection, the filters, the scope of the selection and its description;
    ``from_list`` when a user's list stands in for the Fabriques."""

    all_fabriques: pd.DataFrame
    fabriques: pd.DataFrame
    filters: Filters
    scope: Scope
    description: str
    from_list: bool = False


@st.cache_resource(show_spinner=False, max_entries=2)
def _territory_names(communes: tuple[str, int], fabriques: tuple[str, int]) -> TerritoryNames:
    frames = [load_table_version(communes)[NAME_COLUMNS], load_table_version(fabriques)[NAME_COLUMNS]]
    return compute_territory_names(pd.concat(frames, ignore_index=True))


def territory_names() -> TerritoryNames:
    """Every région and département of the communes (with a Fabrique or not) and of the Fabriques
    (Saint-Martin has no commune in the marts), once per version of the marts.

    Shared by every session: read it, never change it.
    """
    return _territory_names(mart_version("communes"), mart_version("fabriques"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _typologies(version: tuple[str, int]) -> tuple[str, ...]:
    return tuple(sorted(load_table_version(version)["typologie_ruralite"].dropna().unique()))


def typologies() -> tuple[str, ...]:
    """The ANCT rural typology classes of the communes, sorted."""
    return _typologies(mart_version("communes"))


# A selection of the Fabriques is kept per filters and shared by the sessions (each gets a shallow
# copy: with copy-on-write, changing it leaves the kept one intact). Opening another page keeps the
# filters: the selection is then not computed again.
@st.cache_resource(show_spinner=False, max_entries=128)
def _fabriques_selection(version: tuple[str, int], filters: Filters) -> pd.DataFrame:
    return apply_filters(load_table_version(version), filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def _scope(
    communes: tuple[str, int], qpv: tuple[str, int], regions: tuple[str, ...], departements: tuple[str, ...]
) -> Scope:
    return compute_scope(regions, departements, load_table_version(communes), load_table_version(qpv))


def territory_scope(regions: tuple[str, ...], departements: tuple[str, ...]) -> Scope:
    """The scope of a territory (:mod:`core.analysis.scope`), once per marts and territory."""
    return _scope(mart_version("communes"), mart_version("qpv"), tuple(regions), tuple(departements))


def selection_scope(filters: Filters) -> Scope:
    """The scope of the filters' territory."""
    return territory_scope(filters.regions, filters.departements)


def page_context() -> PageContext:
    """Load the places, apply the sidebar's filters, compute the scope (stops the page if data are missing)."""
    try:
        version = mart_version("fabriques")
        fabriques = load_table_version(version)
        names = territory_names()
        filters = state.current_filters()
        scope = selection_scope(filters)
    except MissingMartError as error:
        stop_on_missing(error)
    replacing = replacing_list()
    if replacing is not None:
        fabriques = replacing.places
        selection = apply_filters(fabriques, filters)
    else:
        selection = _fabriques_selection(version, filters).copy(deep=False)
    description = describe_filters(filters, names.regions, names.departements)
    if replacing is not None:
        description = f"Liste importée « {replacing.name} » (à la place des Fabriques) — {description}"
    return PageContext(fabriques, selection, filters, scope, description, from_list=replacing is not None)


def load_or_stop(name: str) -> pd.DataFrame:
    """A mart without geometry, or the missing-data message."""
    try:
        return load_table(name)
    except MissingMartError as error:
        stop_on_missing(error)


def load_marts(*names: str) -> tuple[pd.DataFrame, ...]:
    """Several marts without geometry (:func:`load_or_stop` each), in the order asked."""
    return tuple(load_or_stop(name) for name in names)
