"""Coverage of territories: places per inhabitant, territories and arrondissements without a place."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.analysis.scope import WHOLLY_LEVELS, Scope
from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.domain.formatting import format_number
from core.domain.territories import LEVELS

RATE_COLUMNS = ["population", "fabriques_selection", "pour_100k"]


def compute_rate_per_100k(territories: pd.DataFrame, fabriques: pd.DataFrame, code: str) -> pd.DataFrame:
    """Fabriques of the selection per 100,000 inhabitants, by territory (all territories kept)."""
    counts = fabriques[code].value_counts()
    out = territories.drop(columns=["geometry"], errors="ignore").copy()
    out["fabriques_selection"] = out[code].map(counts).fillna(0).astype(int)
    pop = out["population"].astype(float)
    out["pour_100k"] = (out["fabriques_selection"] / pop * 100_000).where(pop > 0)
    return out.sort_values("pour_100k", ascending=False).reset_index(drop=True)


@dataclass(frozen=True)
class TerritoriesWithout:
    """How many territories of a level in scope have no place of the selection, over how many;
    ``wholly_*`` the same for those wholly inside the scope (None where a level cannot straddle it)."""

    level: str
    without: int
    total: int
    wholly_without: int | None = None
    wholly_total: int | None = None

    def describe(self) -> str:
        """« 43 EPCI sur 61 sans aucune Fabrique de la sélection (42 sur 59 entièrement dans le périmètre) »."""
        text = (
            f"{format_number(self.without)} {LEVELS[self.level].of} sur {format_number(self.total)} sans aucune "
            "Fabrique de la sélection"
        )
        if self.wholly_total is not None and self.wholly_total != self.total:
            text += (
                f" ({format_number(self.wholly_without)} sur {format_number(self.wholly_total)} entièrement dans le "
                "périmètre)"
            )
        return text


def compute_territories_without(rates: pd.DataFrame, level: str, scope: Scope) -> TerritoriesWithout:
    """Territories of ``level`` in ``scope`` with no place of the selection.

    Parameters
    ----------
    rates : DataFrame
        :func:`compute_rate_per_100k` over every territory of the level (it is restricted here).
    level : str
        A key of :data:`core.domain.territories.LEVELS`.
    scope : Scope
        The scope of the selection (:func:`core.analysis.scope.compute_scope`).
    """
    inside = scope.restrict(rates, level)
    result = {"without": int((inside["fabriques_selection"] == 0).sum()), "total": len(inside)}
    if level in WHOLLY_LEVELS:
        wholly = scope.restrict(rates, level, wholly=True)
        result |= {"wholly_without": int((wholly["fabriques_selection"] == 0).sum()), "wholly_total": len(wholly)}
    return TerritoriesWithout(level, **result)


def compute_arrondissements_status(arrondissements: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Each arrondissement, whether it had a Fabrique of 2020-2021 and whether it got one in 2023.

    The 2023 call was open to the arrondissements without a Fabrique of 2020-2021; ``places`` is the
    whole list (the rule is about the programme, not the filters).

    Returns
    -------
    DataFrame
        ``insee_arr, nom_arr, population, fabrique_2020_2021, fabrique_2023`` sorted by code.
    """
    have = {
        cohort: set(places.loc[places["cohort"] == cohort, "insee_arr"].dropna())
        for cohort in (COHORT_2020_2021, COHORT_2023)
    }
    out = arrondissements[["insee_arr", "nom_arr", "population"]].copy()
    out["fabrique_2020_2021"] = out["insee_arr"].isin(have[COHORT_2020_2021])
    out["fabrique_2023"] = out["insee_arr"].isin(have[COHORT_2023])
    return out.sort_values("insee_arr").reset_index(drop=True)


def compute_arrondissements_without(
    arrondissements: pd.DataFrame, fabriques: pd.DataFrame, cohorts: tuple[str, ...]
) -> pd.DataFrame:
    """Arrondissements with no Fabrique of the given cohorts (the 2023 wave's eligibility rule)."""
    have = set(fabriques.loc[fabriques["cohort"].isin(cohorts), "insee_arr"].dropna())
    out = arrondissements[~arrondissements["insee_arr"].isin(have)]
    return out.drop(columns=["geometry"], errors="ignore").sort_values("insee_arr").reset_index(drop=True)


def describe_arrondissements(status: pd.DataFrame) -> tuple[int, int, int, str]:
    """From :func:`compute_arrondissements_status`: arrondissements without a 2020-2021 Fabrique, those
    of them that got one in 2023, those still without, and the summary sentence (French)."""
    before = ~status["fabrique_2020_2021"]
    reached = int((before & status["fabrique_2023"]).sum())
    still = int((before & ~status["fabrique_2023"]).sum())
    without = int(before.sum())
    text = (
        f"{format_number(without)} arrondissements n'avaient pas de Fabrique 2020-2021 (l'appel 2023 en annonçait "
        f"144 éligibles pour la France entière ; l'écart tient aux découpages et au COG 2026 utilisé ici) ; "
        f"{format_number(reached)} ont reçu une Fabrique en 2023 et {format_number(still)} n'en ont toujours aucune."
    )
    return without, reached, still, text
