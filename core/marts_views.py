"""Small reshapes of the marts used by several pages."""

from __future__ import annotations

import pandas as pd

from core.classes import COHORT_2020_2021, COHORT_2023


def compute_counts_by(fabriques: pd.DataFrame, key: str) -> pd.DataFrame:
    """Fabriques by ``key`` and cohort, most first.

    Returns ``key, fabriques_2020_2021, fabriques_2023, fabriques``.
    """
    table = pd.crosstab(fabriques[key], fabriques["cohort"])
    out = pd.DataFrame(
        {
            "fabriques_2020_2021": table.get(COHORT_2020_2021, pd.Series(0, index=table.index)),
            "fabriques_2023": table.get(COHORT_2023, pd.Series(0, index=table.index)),
        }
    )
    out["fabriques"] = out.sum(axis=1)
    return out.sort_values(["fabriques", key], ascending=[False, True]).reset_index()
