"""Coverage of territories: places per inhabitant, arrondissements without a place."""

from __future__ import annotations

import pandas as pd


def compute_rate_per_100k(territories: pd.DataFrame, fabriques: pd.DataFrame, code: str) -> pd.DataFrame:
    """Fabriques of the selection per 100,000 inhabitants, by territory (all territories kept)."""
    counts = fabriques[code].value_counts()
    out = territories.drop(columns=["geometry"], errors="ignore").copy()
    out["fabriques_selection"] = out[code].map(counts).fillna(0).astype(int)
    pop = out["population"].astype(float)
    out["pour_100k"] = (out["fabriques_selection"] / pop * 100_000).where(pop > 0)
    return out.sort_values("pour_100k", ascending=False).reset_index(drop=True)


def compute_arrondissements_without(
    arrondissements: pd.DataFrame, fabriques: pd.DataFrame, cohorts: tuple[str, ...]
) -> pd.DataFrame:
    """Arrondissements with no Fabrique of the given cohorts (the 2023 wave's eligibility rule)."""
    have = set(fabriques.loc[fabriques["cohort"].isin(cohorts), "insee_arr"].dropna())
    out = arrondissements[~arrondissements["insee_arr"].isin(have)]
    return out.drop(columns=["geometry"], errors="ignore").sort_values("insee_arr").reset_index(drop=True)
