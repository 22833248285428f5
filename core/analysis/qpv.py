"""Places and the priority neighbourhoods (QPV): sensitivity to distance, QPV far from any place, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd

DISTANCES_M = (0, 300, 500, 1000)


def compute_qpv_sensitivity(fabriques: pd.DataFrame) -> pd.DataFrame:
    """Fabriques in or near a QPV at 0 / 300 / 500 / 1,000 m, and by commune.

    Returns
    -------
    DataFrame
        ``critère, fabriques, part`` (share of the selection).
    """
    n = len(fabriques)
    rows = [("Dans un QPV (point dans le périmètre)", int(fabriques["dans_qpv"].fillna(False).sum()))]
    for d in DISTANCES_M[1:]:
        rows.append(
            (
                f"Dans un QPV ou à moins de {d:,} m".replace(",", "\u202f"),
                int(fabriques["distance_qpv_m"].le(d).sum()),
            )
        )
    rows.append(("Commune comptant au moins un QPV", int(fabriques["commune_qpv"].fillna(False).sum())))
    out = pd.DataFrame(rows, columns=["critère", "fabriques"])
    out["part"] = out["fabriques"] / n if n else np.nan
    return out


def compute_qpv_without_fabrique(qpv: pd.DataFrame, distance_m: float) -> pd.DataFrame:
    """QPV 2024 with no Fabrique within ``distance_m``, largest population first."""
    far = qpv[(qpv["generation"] == "2024") & ~(qpv["distance_fabrique_m"] <= distance_m)]
    cols = ["code_qp", "lib_qp", "noms_communes", "insee_dep", "pop_qpv", "distance_fabrique_m"]
    return far[cols].sort_values("pop_qpv", ascending=False, na_position="last").reset_index(drop=True)


def compute_qpv_population_coverage(qpv: pd.DataFrame, distance_m: float, by: str) -> pd.DataFrame:
    """Share of QPV population within ``distance_m`` of a Fabrique, by territory ``by``.

    Returns
    -------
    DataFrame
        ``by, qpv, population_qpv, population_couverte, part_couverte``; QPV without a known
        population count in ``qpv`` but not in the populations.
    """
    frame = qpv[qpv["generation"] == "2024"].assign(
        couvert=qpv["distance_fabrique_m"].le(distance_m),
        pop=qpv["pop_qpv"].fillna(0),
    )
    frame["pop_couverte"] = frame["pop"].where(frame["couvert"], 0)
    out = (
        frame.groupby(by)
        .agg(
            qpv=("code_qp", "count"),
            population_qpv=("pop", "sum"),
            population_couverte=("pop_couverte", "sum"),
        )
        .reset_index()
    )
    out["part_couverte"] = (out["population_couverte"] / out["population_qpv"]).where(out["population_qpv"] > 0)
    return out.sort_values("part_couverte", ascending=True, na_position="first").reset_index(drop=True)
