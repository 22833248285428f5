"""The reconciliation of the official figures with the open data, computed once per build."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.analysis.reconciliation import REFERENCE_FILE, compute_reconciliation, load_reference_figures
from ui.context import PageContext
from ui.loaders import load_table_version, mart_version


@st.cache_resource(show_spinner=False, max_entries=2)
def _marts_reconciliation(fabriques: tuple[str, int], arrondissements: tuple[str, int], reference: int) -> pd.DataFrame:
    return compute_reconciliation(
        load_reference_figures(), load_table_version(fabriques), load_table_version(arrondissements)
    )


def reconciliation(ctx: PageContext, arrondissements: pd.DataFrame) -> pd.DataFrame:
    """The official figures beside the whole list's values (national: the filters do not apply).

    For the Fabriques it is the same for every session until the next build or a change of the
    official figures' file, and kept; a user's list standing in for them is reconciled on each run.
    """
    if ctx.from_list:
        return compute_reconciliation(load_reference_figures(), ctx.all_fabriques, arrondissements)
    reference = REFERENCE_FILE.stat().st_mtime_ns
    return _marts_reconciliation(mart_version("fabriques"), mart_version("arrondissements"), reference).copy(deep=False)
