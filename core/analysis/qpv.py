"""Places and the priority neighbourhoods (QPV): sensitivity to distance, QPV far from any place, coverage."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from core.domain.formatting import format_number, format_percent

DISTANCES_M = (0, 300, 500, 1000)
QPV_METHOD_NOTE = (
    "- **Précision des points.** Les données ouvertes placent chaque Fabrique au centroïde de sa commune, pas à "
    "son adresse : « dans un QPV » sous-estime fortement la réalité (la vague 1, entièrement en QPV selon l'ANCT, "
    "n'a que quelques points dans un périmètre). Les seuils de 300 m, 500 m et 1 km et le critère communal "
    "encadrent cette incertitude.\n"
    "- **Géographies 2015 et 2024.** Les Fabriques 2020-2021 ont été sélectionnées sur la géographie prioritaire "
    "de 2015 ; la carte des QPV a été refondue au 1er janvier 2024 (décret 2023-1314). Les calculs utilisent "
    "2024 ; un fichier 2015 peut être ajouté à la construction (`python -m etl build --qpv-2015 FICHIER`).\n"
    "- **Distances** à vol d'oiseau, en Lambert-93 en métropole et dans la projection UTM locale outre-mer ; un "
    "QPV n'est jamais rapproché d'une Fabrique d'un autre territoire.\n"
    "- **Périmètre.** Les QPV comptés sont ceux des départements du territoire choisi (tous, qu'une Fabrique de "
    "la sélection y soit ou non) ; sans territoire choisi, tous les QPV 2024.\n"
    "- **Population des QPV** : fichier d'indicateurs au millésime non documenté (indicatif) ; les QPV qui n'y "
    "figurent pas comptent pour 0."
)


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


def describe_sensitivity(sensitivity: pd.DataFrame, places: int) -> str:
    """The one-line summary of :func:`compute_qpv_sensitivity` (French)."""
    inside, near500, commune = (int(sensitivity["fabriques"].iloc[i]) for i in (0, 2, -1))
    return (
        f"Sur {format_number(places)} Fabriques, {format_number(inside)} ont leur point dans un QPV et "
        f"{format_number(near500)} ({format_percent(near500 / places if places else float('nan'))}) sont dans un QPV "
        f"ou à moins de 500 m ; {format_number(commune)} sont dans une commune qui compte un QPV."
    )


def compute_qpv_without_fabrique(qpv: pd.DataFrame, distance_m: float) -> pd.DataFrame:
    """QPV 2024 with no Fabrique within ``distance_m`` (none at all in their territory counts as none
    within), largest population first.

    Returns
    -------
    DataFrame
        ``code_qp, lib_qp, noms_communes, insee_dep, pop_qpv, distance_km`` (to the nearest place,
        one decimal; empty when no place is in the QPV's territory).
    """
    far = qpv[(qpv["generation"] == "2024") & ~(qpv["distance_fabrique_m"] <= distance_m)]
    cols = ["code_qp", "lib_qp", "noms_communes", "insee_dep", "pop_qpv"]
    out = far[cols].assign(distance_km=(far["distance_fabrique_m"] / 1000).round(1))
    return out.sort_values("pop_qpv", ascending=False, na_position="last").reset_index(drop=True)


def compute_qpv_population_coverage(
    qpv: pd.DataFrame, distance_m: float, by: str, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Share of QPV population within ``distance_m`` of a Fabrique, by territory ``by``.

    Parameters
    ----------
    names : mapping, optional
        Territory code → name for the ``nom`` column (the code where a name is missing).

    Returns
    -------
    DataFrame
        ``by, nom, qpv, population_qpv, population_couverte, part_couverte``, lowest share first;
        QPV without a known population are counted in ``qpv`` but not in the populations.
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
    names = dict(names or {})
    out.insert(1, "nom", [names.get(code, code) for code in out[by]])
    return out.sort_values("part_couverte", ascending=True, na_position="first").reset_index(drop=True)


def describe_coverage(coverage: pd.DataFrame, distance_text: str) -> str:
    """The one-line summary of :func:`compute_qpv_population_coverage` (French)."""
    total = coverage["population_qpv"].sum()
    share = coverage["population_couverte"].sum() / total if total else float("nan")
    known = coverage.dropna(subset=["part_couverte"])
    lowest = (
        f" ; la part la plus faible est celle de {known.iloc[0]['nom']} "
        f"({format_percent(known.iloc[0]['part_couverte'])})."
        if len(known)
        else "."
    )
    return (
        f"{format_percent(share)} de la population des QPV du périmètre vit à moins de {distance_text} km d'une "
        "Fabrique de la sélection" + lowest
    )
