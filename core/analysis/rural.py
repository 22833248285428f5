"""Places against the rural classifications: shares by class, rural population far from any place."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from core.domain.formatting import format_number, format_percent

# The columns of compute_class_distribution after ``classe``.
COLUMNS_BY_CLASS = [
    "fabriques",
    "part_fabriques",
    "population",
    "part_population",
    "communes",
    "part_communes",
    "indice",
]


def compute_class_distribution(
    fabriques: pd.DataFrame, communes: pd.DataFrame, column: str, order: list[str] | None = None
) -> pd.DataFrame:
    """Share of Fabriques, of population and of communes in each class of ``column``.

    Classes follow ``order`` when given (others after it, "Non renseigné" last).

    Returns
    -------
    DataFrame
        ``classe, fabriques, part_fabriques, population, part_population, communes,
        part_communes, indice`` where ``indice`` = share of Fabriques / share of population
        (1 = as many Fabriques as population).
    """
    missing = "Non renseigné"
    fab = Counter(fabriques[column].fillna(missing).tolist())
    # Factorised classes, weighted counts and one frame built at the end: the same sums as a
    # groupby at a tenth of its cost on the 34,875 communes (three distributions a page, every run).
    codes, uniques = pd.factorize(communes[column].fillna(missing))
    found = [str(c) for c in uniques]
    classes = found + [c for c in fab if c not in set(found)]
    size = len(classes)
    population = np.bincount(
        codes, weights=pd.to_numeric(communes["population"]).fillna(0).to_numpy(dtype=float), minlength=size
    )
    counted = np.bincount(codes, weights=communes["insee_com"].notna().to_numpy(dtype=float), minlength=size)
    rank = {c: i for i, c in enumerate(order or [])}
    keys = sorted(range(size), key=lambda k: (classes[k] == missing, rank.get(classes[k], len(rank)), classes[k]))
    values = {
        "fabriques": np.array([fab.get(classes[k], 0) for k in keys], dtype="int64"),
        "population": population[keys].round().astype("int64"),
        "communes": counted[keys].round().astype("int64"),
    }
    out = {"classe": [classes[k] for k in keys]}
    for col, counts in values.items():
        total = counts.sum()
        out[col] = counts
        out[f"part_{col}"] = counts / total if total else np.full(size, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["indice"] = np.where(out["part_population"] > 0, out["part_fabriques"] / out["part_population"], np.nan)
    return pd.DataFrame(out)[["classe", *COLUMNS_BY_CLASS]]


def compute_population_beyond(
    communes: pd.DataFrame, distance_col: str, distance_m: float, rural_only: bool = True
) -> dict[str, float]:
    """Population (rural by default) living in communes whose centroid is beyond ``distance_m``."""
    frame = communes[communes["rural_insee"].astype("boolean").fillna(False)] if rural_only else communes
    beyond = frame[distance_col] > distance_m
    pop = frame["population"].fillna(0)
    total = float(pop.sum())
    return {
        "population": float(pop[beyond].sum()),
        "communes": int(beyond.sum()),
        "total": total,
        "part": float(pop[beyond].sum() / total) if total else float("nan"),
    }


def compute_population_beyond_by(communes: pd.DataFrame, distance_col: str, distance_m: float, by: str) -> pd.DataFrame:
    """Rural population beyond ``distance_m``, by territory ``by`` (as :func:`compute_population_beyond`).

    Returns
    -------
    DataFrame
        Indexed by ``by`` (the territories with a rural commune, sorted): ``population_rurale``,
        ``population_eloignee`` (whole inhabitants, an unknown population counting 0) and
        ``part_eloignee`` in % (NaN where the rural population is 0). A commune without a distance
        (no place in its zone) is not counted as beyond.
    """
    rural = communes["rural_insee"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    frame = communes.loc[rural, [by, "population", distance_col]]
    population = pd.to_numeric(frame["population"]).fillna(0).astype("int64")
    beyond = frame[distance_col].gt(distance_m).to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "population_rurale": population.groupby(frame[by]).sum(),
            "population_eloignee": population.where(beyond, 0).groupby(frame[by]).sum(),
        }
    )
    out["part_eloignee"] = (out["population_eloignee"] / out["population_rurale"] * 100).where(
        out["population_rurale"] > 0
    )
    return out


FRR_CLASSED = ("FRR+", "FRR socle", "Classée FRR partiellement")


def describe_density_shares(fabriques: pd.DataFrame, communes: pd.DataFrame) -> str:
    """Share of the places in INSEE-rural communes and share of the population living in them (French)."""
    rural_places = fabriques["rural_insee"].astype("boolean").fillna(False)
    rural_communes = communes["rural_insee"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    population = pd.to_numeric(communes["population"]).fillna(0)
    total = float(population.sum())
    share = float(population[rural_communes].sum()) / total if total else float("nan")
    return (
        f"{format_percent(rural_places.mean() if len(fabriques) else float('nan'))} des Fabriques sont en commune "
        f"rurale (INSEE, niveaux 5 à 7), qui regroupent {format_percent(share)} de la population du périmètre."
    )


def describe_frr_shares(distribution: pd.DataFrame) -> str:
    """Share of the places and of the population in a commune classed FRR (French), from
    :func:`compute_class_distribution` over ``frr_classe``."""
    classed = distribution[distribution["classe"].isin(FRR_CLASSED)]
    return (
        f"{format_percent(classed['part_fabriques'].sum())} des Fabriques sont en commune classée FRR, pour "
        f"{format_percent(classed['part_population'].sum())} de la population."
    )


def describe_population_beyond(beyond: dict[str, float], distance_km: int) -> str:
    """The one-line summary of :func:`compute_population_beyond` (French)."""
    return (
        f"{format_number(beyond['population'])} habitants de communes rurales ({format_percent(beyond['part'])} de "
        f"la population rurale du périmètre, {format_number(beyond['communes'])} communes) vivent à plus de "
        f"{distance_km} km d'une Fabrique de la sélection (centroïde à point)."
    )


def describe_main_class(distribution: pd.DataFrame) -> str:
    """The most populated class of :func:`compute_class_distribution` (French)."""
    main = distribution.sort_values("part_population").iloc[-1]
    share = format_percent(main["part_population"])
    return f"la classe de densité la plus peuplée est « {main['classe']} » ({share} de la population)."


def describe_top_class(distribution: pd.DataFrame) -> str:
    """The class of :func:`compute_class_distribution` holding the most places (French)."""
    return (
        f"Classe la plus représentée parmi les Fabriques : {distribution.sort_values('fabriques').iloc[-1]['classe']}."
    )
