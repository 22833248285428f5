"""Territorial levels — the one table of their code column, name column and labels — and the form of
a territory in links (``departements:29``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd


@dataclass(frozen=True)
class Level:
    """A territorial level: its key (also the name of its mart), code and name columns, labels.

    ``plural`` heads a column or a choice (« Départements »), ``singular`` names one territory,
    ``of`` is the phrase after « par » or « des » (« départements »).
    """

    key: str
    code: str
    name: str
    plural: str
    singular: str
    of: str


LEVELS: dict[str, Level] = {
    "regions": Level("regions", "insee_reg", "nom_reg", "Régions", "Région", "régions"),
    "departements": Level("departements", "insee_dep", "nom_dep", "Départements", "Département", "départements"),
    "arrondissements": Level(
        "arrondissements", "insee_arr", "nom_arr", "Arrondissements", "Arrondissement", "arrondissements"
    ),
    "epci": Level("epci", "siren_epci", "nom_epci", "EPCI", "EPCI", "EPCI"),
    "communes": Level("communes", "insee_com", "nom_com", "Communes", "Commune", "communes"),
}
# The levels a territory sheet or a link can name (arrondissements are reached through their
# département).
SHEET_LEVELS: tuple[str, ...] = ("regions", "departements", "epci", "communes")


def level(key: str) -> Level:
    """The :class:`Level` of ``key``.

    Raises
    ------
    KeyError
        Naming the known levels.

    Examples
    --------
    >>> level("epci").code
    'siren_epci'
    """
    try:
        return LEVELS[key]
    except KeyError:
        raise KeyError(f"unknown territorial level {key!r}; known levels: {', '.join(LEVELS)}") from None


def level_labels(keys: tuple[str, ...] | list[str] | None = None) -> dict[str, str]:
    """``{key: plural label}`` for ``keys`` (every level when None), in the order given.

    Examples
    --------
    >>> level_labels(["communes", "regions"])
    {'communes': 'Communes', 'regions': 'Régions'}
    """
    return {k: level(k).plural for k in (keys if keys is not None else LEVELS)}


def territory_key(level_key: str, code: str) -> str:
    """The link form of a territory: ``level:code``."""
    return f"{level_key}:{code}"


# What a map or a search can point at besides the territories of LEVELS.
PLACE_KINDS: tuple[str, ...] = ("fabriques", "qpv")


def item_key(kind: str, code: object) -> str:
    """The key of a territory (a key of :data:`LEVELS`), a Fabrique or a QPV (:data:`PLACE_KINDS`):
    ``kind:code``, the form of :func:`territory_key`, carried by map features and search results.

    Examples
    --------
    >>> item_key("fabriques", 12), item_key("communes", "29039")
    ('fabriques:12', 'communes:29039')
    """
    return f"{kind}:{code}"


def split_item_key(value: object) -> tuple[str, str] | None:
    """``(kind, code)`` of an :func:`item_key`; None when the kind is unknown or the code empty.

    Examples
    --------
    >>> split_item_key("departements:29"), split_item_key("lune:1"), split_item_key(None)
    (('departements', '29'), None, None)
    """
    kind, _, code = str(value).partition(":")
    return (kind, code) if code and (kind in LEVELS or kind in PLACE_KINDS) else None


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
    key, _, code = str(value).partition(":")
    if key not in SHEET_LEVELS or not code:
        return None
    column = LEVELS[key].code
    if column not in communes.columns or not communes[column].eq(code).any():
        return None
    return key, code


class TerritoryNames(NamedTuple):
    """The régions and départements of the territorial marts: ``regions`` (code -> name, sorted by
    name), ``departements`` (code -> name, sorted by code) and the région of each département."""

    regions: dict[str, str]
    departements: dict[str, str]
    dep_region: dict[str, str]


def compute_territory_names(frame: pd.DataFrame) -> TerritoryNames:
    """The régions and départements of ``frame`` with their names (first name met for a code).

    ``frame`` is the ``communes`` mart (every département, with a Fabrique or not) or any frame
    with ``insee_reg, nom_reg, insee_dep, nom_dep``. Plain Python over distinct rows: pandas'
    deduplication of Arrow strings costs ten times more here.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"insee_reg": ["53", "11"], "nom_reg": ["Bretagne", "Île-de-France"],
    ...                      "insee_dep": ["29", "75"], "nom_dep": ["Finistère", "Paris"]})
    >>> compute_territory_names(rows).regions
    {'53': 'Bretagne', '11': 'Île-de-France'}
    """
    regions: dict[str, str] = {}
    deps: dict[str, str] = {}
    dep_region: dict[str, str] = {}
    columns = ("insee_reg", "nom_reg", "insee_dep", "nom_dep")
    distinct = frame[list(columns)].drop_duplicates("insee_dep") if len(frame) > 1000 else frame
    for reg, reg_name, dep, dep_name in zip(*(distinct[c].tolist() for c in columns), strict=True):
        if reg is None or dep is None or reg != reg or dep != dep:
            continue
        regions.setdefault(reg, reg_name)
        deps.setdefault(dep, dep_name)
        dep_region.setdefault(dep, reg)
    by_code = sorted(deps, key=str)
    return TerritoryNames(
        dict(sorted(regions.items(), key=lambda item: str(item[1]))),
        {dep: deps[dep] for dep in by_code},
        {dep: dep_region[dep] for dep in by_code},
    )
