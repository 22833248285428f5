"""What every analysis page starts with: the filtered Fabriques and a sentence describing them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.filters import Filters, apply_filters, describe_filters
from core.paths import MissingMartError
from ui.loaders import load_table
from ui.messages import stop_on_missing
from ui.state import current_filters
from ui.user_list import replacing_list


@dataclass
class PageContext:
    """The whole list, the selection and the filters."""

    all_fabriques: pd.DataFrame
    fabriques: pd.DataFrame
    filters: Filters
    description: str


def territory_names(fabriques: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """Names of régions and of départements by code (two maps: their codes overlap)."""
    regs = dict(zip(fabriques["insee_reg"], fabriques["nom_reg"], strict=True))
    deps = dict(zip(fabriques["insee_dep"], fabriques["nom_dep"], strict=True))
    return regs, deps


def page_context() -> PageContext:
    """Load the Fabriques and apply the sidebar's filters (stops the page if data are missing)."""
    try:
        fabriques = load_table("fabriques")
    except MissingMartError as error:
        stop_on_missing(error)
    names = territory_names(fabriques)
    replacing = replacing_list()
    if replacing is not None:
        fabriques = replacing.places
    filters = current_filters()
    selection = apply_filters(fabriques, filters)
    description = describe_filters(filters, *names)
    if replacing is not None:
        description = f"Liste importée « {replacing.name} » (à la place des Fabriques) — {description}"
    st.session_state["filters_description"] = description
    return PageContext(fabriques, selection, filters, description)


def load_or_stop(name: str) -> pd.DataFrame:
    """A mart without geometry, or the missing-data message."""
    try:
        return load_table(name)
    except MissingMartError as error:
        stop_on_missing(error)
