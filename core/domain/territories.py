"""Territory levels and their codes in links (``departements:29``)."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

TERRITORY_LEVELS: dict[str, tuple[str, str, str]] = {
    "regions": ("insee_reg", "nom_reg", "Régions"),
    "departements": ("insee_dep", "nom_dep", "Départements"),
    "epci": ("siren_epci", "nom_epci", "EPCI"),
    "communes": ("insee_com", "nom_com", "Communes"),
}


def territory_key(level: str, code: str) -> str:
    """The link form of a territory: ``level:code``."""
    return f"{level}:{code}"


def parse_territory(value: str, communes: pd.DataFrame) -> tuple[str, str] | None:
    """Read ``level:code``; None when the level or the code is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_territory("departements:29", pd.DataFrame({"insee_dep": ["29"]}))
    ('departements', '29')
    >>> parse_territory("departements:999", pd.DataFrame({"insee_dep": ["29"]})) is None
    True
    """
    level, _, code = str(value).partition(":")
    if level not in TERRITORY_LEVELS or not code:
        return None
    column = TERRITORY_LEVELS[level][0]
    if column not in communes.columns or not communes[column].eq(code).any():
        return None
    return level, code


class TerritoryNames(NamedTuple):
    """The territories of a list of places: ``regions`` (code -> name, sorted by name),
    ``departements`` (code -> name, sorted by code) and the région of each département."""

    regions: dict[str, str]
    departements: dict[str, str]
    dep_region: dict[str, str]


def compute_territory_names(places: pd.DataFrame) -> TerritoryNames:
    """The régions and départements of ``places`` with their names (first name met for a code).

    Plain Python over the few hundred rows: pandas' deduplication of Arrow strings costs ten times
    more here.

    Examples
    --------
    >>> import pandas as pd
    >>> places = pd.DataFrame({"insee_reg": ["53", "11"], "nom_reg": ["Bretagne", "Île-de-France"],
    ...                        "insee_dep": ["29", "75"], "nom_dep": ["Finistère", "Paris"]})
    >>> compute_territory_names(places).regions
    {'53': 'Bretagne', '11': 'Île-de-France'}
    """
    regions: dict[str, str] = {}
    deps: dict[str, str] = {}
    dep_region: dict[str, str] = {}
    columns = ("insee_reg", "nom_reg", "insee_dep", "nom_dep")
    for reg, reg_name, dep, dep_name in zip(*(places[c].tolist() for c in columns), strict=True):
        regions.setdefault(reg, reg_name)
        deps.setdefault(dep, dep_name)
        dep_region.setdefault(dep, reg)
    by_code = sorted(deps, key=str)
    return TerritoryNames(
        dict(sorted(regions.items(), key=lambda item: str(item[1]))),
        {dep: deps[dep] for dep in by_code},
        {dep: dep_region[dep] for dep in by_code},
    )
