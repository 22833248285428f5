"""Headline figures of a selection of places: counts, shares, funding (and how it was obtained)."""

from __future__ import annotations

import pandas as pd

from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.domain.formatting import format_euros, format_number

# Stated estimation rule (labelled "estimation" wherever shown): the 2020-2021 budget of €45M
# over 300 Fabriques is €150,000 each (max €50,000 a year for three years); a 2023 Fabrique gets
# €50,000 for one year. Per-place amounts are not published; a detailed file supplied to the ETL
# (``montant`` column of the fabriques mart) replaces the estimate where it gives an amount.
ESTIMATED_GRANT = {COHORT_2020_2021: 150_000, COHORT_2023: 50_000}

FUNDING_KEYS = {"estimation": "financement_estime", "fichier": "financement_fichier", "mixte": "financement_mixte"}

NEAR_QPV_M = 500


def compute_key_figures(fabriques: pd.DataFrame) -> dict[str, float]:
    """Headline figures of a selection of Fabriques.

    Returns
    -------
    dict
        ``fabriques``, ``communes``, ``departements``, ``part_qpv_500`` (share in a QPV or within
        500 m of one, point-based), ``part_rurale`` (share in INSEE-rural communes),
        ``population_communes`` (population of the distinct host communes),
        ``financement_estime`` (the ``montant`` of the detailed file where known, else the stated
        rule of :data:`ESTIMATED_GRANT`; :func:`compute_funding_sources` tells which).
    """
    n = len(fabriques)
    communes = fabriques.drop_duplicates("insee_com")
    near = fabriques["distance_qpv_m"].le(NEAR_QPV_M)
    rural = fabriques["rural_insee"].astype("boolean").fillna(False)
    return {
        "fabriques": n,
        "communes": communes["insee_com"].nunique(),
        "departements": fabriques["insee_dep"].nunique(),
        "part_qpv_500": float(near.mean()) if n else float("nan"),
        "part_rurale": float(rural.mean()) if n else float("nan"),
        "population_communes": float(communes["population_commune"].sum()),
        "financement_estime": float(compute_estimated_funding(fabriques).sum()),
    }


def compute_estimated_funding(fabriques: pd.DataFrame) -> pd.Series:
    """Estimated grant per Fabrique by the stated rule; an amount column, when present, wins."""
    estimate = fabriques["cohort"].map(ESTIMATED_GRANT).astype(float)
    if "montant" in fabriques.columns:
        return pd.to_numeric(fabriques["montant"], errors="coerce").fillna(estimate)
    return estimate


def compute_funding_sources(fabriques: pd.DataFrame) -> dict[str, int | str]:
    """Where the funding figure of a selection comes from.

    Returns
    -------
    dict
        ``fichier`` (Fabriques whose amount comes from the detailed file), ``estimation`` (the
        others, estimated by the stated rule), ``cas`` (``estimation``, ``fichier`` or ``mixte``)
        and ``definition`` (the key of :data:`core.domain.definitions.DEFINITIONS` to label it with).

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort": ["2023", "2023"], "montant": [40_000, None]})
    >>> compute_funding_sources(frame)["cas"], compute_funding_sources(frame)["estimation"]
    ('mixte', 1)
    """
    n = len(fabriques)
    known = int(pd.to_numeric(fabriques["montant"], errors="coerce").notna().sum()) if "montant" in fabriques else 0
    case = "estimation" if known == 0 else "fichier" if known == n else "mixte"
    return {"fichier": known, "estimation": n - known, "cas": case, "definition": FUNDING_KEYS[case]}


def compute_funding_note(fabriques: pd.DataFrame) -> str:
    """One sentence saying how the funding figure of a selection was obtained (French).

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort": ["2023", "2020-2021"], "montant": [40_000, None]})
    >>> compute_funding_note(frame).split(" (")[0]
    'Financement : montants du fichier détaillé pour 1 Fabrique, estimation pour 1'
    """
    sources = compute_funding_sources(fabriques)
    rule = (
        f"{format_euros(ESTIMATED_GRANT[COHORT_2020_2021])} par Fabrique 2020-2021, "
        f"{format_euros(ESTIMATED_GRANT[COHORT_2023])} par Fabrique 2023"
    )
    if sources["cas"] == "fichier":
        count = sources["fichier"]
        which = "la Fabrique" if count == 1 else f"les {format_number(count)} Fabriques"
        return f"Financement : montants du fichier détaillé pour {which}."
    if sources["cas"] == "mixte":
        known = sources["fichier"]
        plural = "s" if known > 1 else ""
        return (
            f"Financement : montants du fichier détaillé pour {format_number(known)} Fabrique{plural}, "
            f"estimation pour {format_number(sources['estimation'])} ({rule})."
        )
    return (
        "Le financement est une estimation (règle indiquée dans l'aide de l'indicateur), les montants par lieu "
        "n'étant pas publiés."
    )


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
