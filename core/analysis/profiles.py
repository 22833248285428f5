"""Profile of a territory and its comparison with a reference."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.domain.formatting import format_number, format_percent
from core.domain.territories import LEVELS

REFERENCES = {"france": "France entière", "region": "Sa région"}


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
    shown = comparison.copy()
    for col in [c for c in comparison.columns if c not in ("indicateur", "type")]:
        shown[col] = [
            format_percent(v) if kind == "part" else format_number(v, 2) if "100 000" in label else format_number(v)
            for v, kind, label in zip(comparison[col], comparison["type"], comparison["indicateur"], strict=True)
        ]
    return shown.drop(columns="type")


@dataclass(frozen=True)
class ReferenceComparison:
    """A territory's profile beside its reference's, and the table that shows them."""

    name: str
    reference_name: str
    profile: dict[str, float]
    reference: dict[str, float]
    table: pd.DataFrame

    def describe_rate(self) -> str:
        """« Finistère compte 1,23 Fabriques pour 100 000 habitants, soit 0,45 de plus que la référence (…) »."""
        mine, theirs = self.profile["fabriques_pour_100k"], self.reference["fabriques_pour_100k"]
        gap = mine - theirs
        return (
            f"{self.name} compte {format_number(mine, 2)} Fabriques pour 100 000 habitants, soit "
            f"{format_number(abs(gap), 2)} de {'plus' if gap >= 0 else 'moins'} que la référence "
            f"({self.reference_name})."
        )


def _main_region(inside: pd.DataFrame) -> str:
    """The région holding most of a territory's population (an EPCI may straddle two)."""
    population = pd.to_numeric(inside["population"]).fillna(0)
    return str(population.groupby(inside["insee_reg"]).sum().sort_values(ascending=False).index[0])


def compute_reference_comparison(
    communes: pd.DataFrame, places: pd.DataFrame, level_key: str, code: str, reference: str
) -> ReferenceComparison:
    """A territory of ``level_key`` against France or its région, with the places of the selection.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart.
    places : DataFrame
        The selection (Fabriques or a user's list), with the level's code column.
    level_key, code : str
        The territory (a key of :data:`core.domain.territories.LEVELS` and its code).
    reference : str
        ``"france"`` or ``"region"`` (the région holding most of the territory's population; France
        for a région).

    Raises
    ------
    KeyError
        When no commune has ``code`` at that level.
    """
    spec = LEVELS[level_key]
    inside = communes[communes[spec.code] == code]
    if inside.empty:
        raise KeyError(f"no commune of {level_key} {code!r} in the communes mart")
    mine = places[places[spec.code] == code] if spec.code in places.columns else places.iloc[0:0]
    name = str(inside[spec.name].iloc[0])
    if reference == "region" and level_key != "regions":
        region = _main_region(inside)
        ref_communes = communes[communes["insee_reg"] == region]
        ref_places, ref_name = places[places["insee_reg"] == region], str(ref_communes["nom_reg"].iloc[0])
        if ref_name == name:  # an overseas département and its région share their name
            ref_name = f"{ref_name} (région)"
    else:
        ref_communes, ref_places, ref_name = communes, places, REFERENCES["france"]
    profile, ref = compute_territory_profile(inside, mine), compute_territory_profile(ref_communes, ref_places)
    table = format_profile_comparison(compute_profile_comparison(profile, ref, name, ref_name))
    return ReferenceComparison(name, ref_name, profile, ref, table)


def compute_territory_options(communes: pd.DataFrame, level_key: str, departement: str | None = None) -> dict[str, str]:
    """The territories of a level a user can choose, code → name sorted by name (for ``communes``,
    those of ``departement`` only).

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_com": ["29002", "29001"], "nom_com": ["Quimper", "Brest"],
    ...                          "insee_dep": ["29", "29"]})
    >>> compute_territory_options(communes, "communes", "29")
    {'29001': 'Brest', '29002': 'Quimper'}
    """
    spec = LEVELS[level_key]
    pool = communes[communes["insee_dep"] == departement] if level_key == "communes" else communes
    options = pool[[spec.code, spec.name]].dropna(subset=[spec.code]).drop_duplicates(spec.code)
    options = options.sort_values([spec.name, spec.code])
    return dict(zip(options[spec.code], options[spec.name], strict=True))


def compute_territory_qpv(qpv: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """The QPV 2024 whose main commune is one of ``communes`` (a territory's communes)."""
    inside = (qpv["generation"] == "2024") & qpv["insee_com_principale"].isin(set(communes["insee_com"]))
    columns = ["code_qp", "lib_qp", "noms_communes", "pop_qpv", "fabriques_dedans", "distance_fabrique_m"]
    return qpv.loc[inside.to_numpy(), columns].reset_index(drop=True)


def compute_programme_counts(programmes: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """The other ANCT programmes in a territory's communes: ``programme_libelle, lieux, communes``."""
    inside = programmes[programmes["insee_com"].isin(set(communes["insee_com"]))]
    table = inside.groupby("programme_libelle").agg(
        lieux=("id_programme", "nunique"), communes=("insee_com", "nunique")
    )
    return table.reset_index()
