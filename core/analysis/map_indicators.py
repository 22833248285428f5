"""Indicators a choropleth can show, by territorial level."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.domain.territories import LEVELS


@dataclass(frozen=True)
class MapIndicator:
    """A choropleth indicator: label, decimals, and the levels it exists for."""

    label: str
    decimals: int
    levels: tuple[str, ...]


# The levels a choropleth can show, finest first (labels in core.domain.territories.LEVELS).
MAP_LEVELS: tuple[str, ...] = ("communes", "epci", "departements", "regions")
ALL = MAP_LEVELS
MAP_INDICATORS: dict[str, MapIndicator] = {
    "pour_100k": MapIndicator("Fabriques pour 100 000 habitants (sélection)", 2, ALL),
    "fabriques": MapIndicator("Fabriques de la sélection", 0, ALL),
    "population": MapIndicator("Population municipale", 0, ALL),
    "part_rurale": MapIndicator("Part de la population en commune rurale (%)", 1, ("epci", "departements", "regions")),
    "qpv_population": MapIndicator("Population en QPV", 0, ALL),
    "densite": MapIndicator(
        "Niveau de densité INSEE (1 = grands centres urbains, 7 = rural très dispersé)", 0, ("communes",)
    ),
    "frr": MapIndicator("Commune classée FRR (1 = oui, 0 = non)", 0, ("communes",)),
    "distance": MapIndicator("Distance à la Fabrique de la sélection la plus proche (km)", 1, ("communes",)),
}


def compute_choropleth_values(
    table: pd.DataFrame, level: str, fabriques: pd.DataFrame, indicator: str, distance_m: pd.Series | None = None
) -> pd.Series:
    """Value of ``indicator`` for each territory of ``table`` (indexed by its code).

    Parameters
    ----------
    table : DataFrame
        The level's mart (``communes``, ``epci``…) without geometry.
    fabriques : DataFrame
        The Fabriques of the selection (counts and rates follow the filters).
    distance_m : Series, optional
        For ``distance``: each commune's distance in metres to the nearest place of the selection,
        aligned with ``table`` (see ``ui.distances.commune_distances``).

    Raises
    ------
    KeyError
        For an unknown indicator, or ``distance`` without ``distance_m``.
    """
    code = LEVELS[level].code
    frame = table.set_index(code)
    counts = fabriques[code].value_counts().reindex(frame.index).fillna(0)
    pop = frame["population"].astype(float)
    if indicator == "pour_100k":
        values = (counts / pop * 100_000).where(pop > 0)
    elif indicator == "fabriques":
        values = counts
    elif indicator == "population":
        values = pop
    elif indicator == "part_rurale":
        values = frame["part_population_rurale"] * 100
    elif indicator == "qpv_population":
        values = frame["qpv_population"].astype(float)
    elif indicator == "densite":
        values = frame["densite_niveau"].astype(float)
    elif indicator == "frr":
        values = frame["frr"].astype("Float64").astype(float)
    elif indicator == "distance":
        if distance_m is None:
            raise KeyError("the distance indicator needs the distances to the selection (distance_m)")
        values = pd.Series(distance_m.to_numpy(), index=frame.index) / 1000
    else:
        raise KeyError(f"unknown indicator {indicator!r}; known: {', '.join(MAP_INDICATORS)}")
    return values.astype(float)
