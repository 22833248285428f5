"""The reconciliation of the official figures with the open data, computed once per build."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.reconciliation import compute_reconciliation, load_reference_figures
from ui.context import PageContext
from ui.loaders import load_table, mart_version


@st.cache_resource(show_spinner=False, max_entries=2)
def _marts_reconciliation(versions: tuple[tuple[str, int], ...]) -> pd.DataFrame:
    return compute_reconciliation(load_reference_figures(), load_table("fabriques"), load_table("arrondissements"))


def reconciliation(ctx: PageContext, arrondissements: pd.DataFrame) -> pd.DataFrame:
    """The official figures beside the whole list's values (national: the filters do not apply).

    For the Fabriques it is the same for every session until the next build, and kept; a user's
    list standing in for them is reconciled on each run.
    """
    if ctx.from_list:
        return compute_reconciliation(load_reference_figures(), ctx.all_fabriques, arrondissements)
    versions = (mart_version("fabriques"), mart_version("arrondissements"))
    return _marts_reconciliation(versions).copy(deep=False)
