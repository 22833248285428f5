"""Profile of a territory and its comparison with a reference."""

from __future__ import annotations

import numpy as np
import pandas as pd


def compute_territory_profile(communes: pd.DataFrame, fabriques: pd.DataFrame) -> dict[str, float]:
    """Indicators of a territory (communes and Fabriques already restricted to it)."""
    pop = float(communes["population"].fillna(0).sum())
    rural = communes["rural_insee"].astype("boolean").fillna(False)
    n = len(fabriques)
    return {
        "population": pop,
        "communes": len(communes),
        "fabriques": n,
        "fabriques_pour_100k": n / pop * 100_000 if pop else float("nan"),
        "part_population_rurale": float(communes.loc[rural, "population"].sum() / pop) if pop else float("nan"),
        "population_qpv": float(communes["qpv_population"].fillna(0).sum()),
        "part_population_qpv": float(communes["qpv_population"].fillna(0).sum() / pop) if pop else float("nan"),
        "communes_pvd": int(communes["pvd"].sum()),
        "communes_acv": int(communes["acv"].sum()),
        "tiers_lieux_2019": int(communes["tiers_lieux_2019"].sum()),
    }


PROFILE_LABELS: dict[str, tuple[str, int, str]] = {
    "population": ("Population municipale", 0, "nombre"),
    "communes": ("Communes", 0, "nombre"),
    "fabriques": ("Fabriques (sélection)", 0, "nombre"),
    "fabriques_pour_100k": ("Fabriques pour 100 000 habitants", 2, "nombre"),
    "part_population_rurale": ("Part de la population en commune rurale", 1, "part"),
    "population_qpv": ("Population en QPV", 0, "nombre"),
    "part_population_qpv": ("Part de la population en QPV", 1, "part"),
    "communes_pvd": ("Communes Petites villes de demain", 0, "nombre"),
    "communes_acv": ("Communes Action cœur de ville", 0, "nombre"),
    "tiers_lieux_2019": ("Tiers-lieux recensés en 2019", 0, "nombre"),
}


def compute_profile_comparison(
    profile: dict[str, float], reference: dict[str, float], name: str, reference_name: str
) -> pd.DataFrame:
    """Side-by-side table of two territory profiles (see :func:`compute_territory_profile`).

    The ``écart`` column compares rates only (per 100,000 and shares): counts of territories of
    different sizes are not comparable.
    """
    rows = []
    for key, (label, _decimals, kind) in PROFILE_LABELS.items():
        a, b = profile.get(key, np.nan), reference.get(key, np.nan)
        comparable = key in ("fabriques_pour_100k", "part_population_rurale", "part_population_qpv")
        gap = (a - b) if comparable else np.nan
        rows.append({"indicateur": label, name: a, reference_name: b, "écart": gap, "type": kind})
    return pd.DataFrame(rows)


def format_profile_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison table of :func:`compute_profile_comparison` as French text, ready to show.

    Shares read ``12,5 %``, rates per 100,000 keep two decimals, counts none.
    """
    from core.domain.formatting import format_number, format_percent

    shown = comparison.copy()
    for col in [c for c in comparison.columns if c not in ("indicateur", "type")]:
        shown[col] = [
            format_percent(v) if kind == "part" else format_number(v, 2) if "100 000" in label else format_number(v)
            for v, kind, label in zip(comparison[col], comparison["type"], comparison["indicateur"], strict=True)
        ]
    return shown.drop(columns="type")
