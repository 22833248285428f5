"""The Fabriques as hubs of the 2019 tiers-lieux census: which census places each Fabrique can reach
within X km, and which census places have no Fabrique within X km.

Distances follow the rule of every other page: straight-line distances between points projected into
the metric CRS of their territory (Lambert-93 for métropole, the local UTM zone overseas,
:func:`core.geo.crs.metric_zone`); a Fabrique and a place of two different zones are never linked.
A place exactly X km away is within reach. The Fabriques' points are their commune's centroid
(``location_precision`` of the mart); the census gives each place its own point.

Which places are counted is decided by the caller with the one scope rule: the census places of
the territory (``scope.restrict(census, "communes")``) and the selected Fabriques as hubs.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import shapely

from core.domain.classifications import DENSITY_LEVELS
from core.domain.formatting import format_number, format_percent
from core.domain.parsing import normalise_label
from core.geo.crs import ZonedPoints, project_by_zone
from core.geo.nearest import compute_nearest_zoned

HUB_COLUMNS = ("fabrique_id", "insee_dep", "longitude", "latitude")
CENSUS_COLUMNS = ("tl_id", "insee_dep", "longitude", "latitude")
# The census columns the network figures and tables use (the mart has no personal column).
CENSUS_VIEW_COLUMNS = [
    "tl_id",
    "nom",
    "typologie",
    "insee_com",
    "nom_com",
    "insee_dep",
    "nom_dep",
    "densite_libelle",
    "longitude",
    "latitude",
]
LINK_COLUMNS = ["fabrique_id", "tl_id", "distance_m"]
DEFAULT_DISTANCE_KM = 15
# Short column names of the census typologies (the census labels them "Tiers lieux à dominante …").
TYPOLOGY_COLUMNS = {
    "Tiers lieux à dominante coworking": "coworking",
    "Tiers lieux à dominante fablab": "fablab",
    "Non renseignée": "typologie_non_renseignee",
}
MISSING_TYPOLOGY = "Non renseignée"
MISSING_CLASS = "Non renseigné"
# Links are lines on a map: readable for one département; beyond, only a small scope is drawn.
LINKS_MAX = 400


class NetworkInputError(ValueError):
    """A frame given to the network functions lacks a column, or the distance is not a distance."""


def _require(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise NetworkInputError(
            f"the {name} frame lacks column(s) {', '.join(missing)} (it has {', '.join(map(str, frame.columns))}); "
            "pass the Fabriques and tiers_lieux_2019 marts, rebuilt with python -m etl build if needed"
        )


def typology_column(label: object) -> str:
    """The column name of a census typology in the reach table.

    Examples
    --------
    >>> typology_column("Tiers lieux à dominante fablab"), typology_column(None)
    ('fablab', 'typologie_non_renseignee')
    >>> typology_column("Atelier partagé")
    'atelier_partage'
    """
    if label is None or (isinstance(label, float) and math.isnan(label)) or label is pd.NA:
        label = MISSING_TYPOLOGY
    text = str(label)
    if text in TYPOLOGY_COLUMNS:
        return TYPOLOGY_COLUMNS[text]
    return normalise_label(text).replace(" ", "_") or "typologie_non_renseignee"


def project_census(census: pd.DataFrame) -> ZonedPoints:
    """The census places' points in their metric CRS (to keep once per version of the mart)."""
    _require(census, CENSUS_COLUMNS, "census")
    return project_by_zone(census["longitude"], census["latitude"], census["insee_dep"])


def compute_hub_links(
    hubs: pd.DataFrame, census: pd.DataFrame, distance_m: float, census_points: ZonedPoints | None = None
) -> pd.DataFrame:
    """Every pair (Fabrique, census place) of the same metric zone at most ``distance_m`` apart.

    Parameters
    ----------
    hubs : DataFrame
        The Fabriques acting as hubs: ``fabrique_id, insee_dep, longitude, latitude`` (rows without
        a point are never linked).
    census : DataFrame
        Census places: ``tl_id, insee_dep, longitude, latitude``.
    distance_m : float
        The reach X in metres (inclusive).
    census_points : ZonedPoints, optional
        ``census`` already projected (:func:`project_census`), rows aligned.

    Returns
    -------
    DataFrame
        ``fabrique_id, tl_id, distance_m``, sorted by Fabrique then distance; empty with these
        columns when no pair is close enough.

    Raises
    ------
    NetworkInputError
        A column is missing, the distance is negative or not finite, or ``census_points`` is not
        aligned with ``census``.

    Examples
    --------
    >>> hubs = pd.DataFrame({"fabrique_id": [1], "insee_dep": ["29"], "longitude": [-4.0], "latitude": [48.0]})
    >>> census = pd.DataFrame({"tl_id": ["a", "b"], "insee_dep": ["29", "29"],
    ...                        "longitude": [-4.0, -3.0], "latitude": [48.05, 48.0]})
    >>> links = compute_hub_links(hubs, census, 15_000)
    >>> links["tl_id"].tolist(), round(float(links["distance_m"].iloc[0]) / 1000, 1)
    (['a'], 5.6)
    """
    _require(hubs, HUB_COLUMNS, "hubs")
    _require(census, CENSUS_COLUMNS, "census")
    if not isinstance(distance_m, int | float) or not math.isfinite(distance_m) or distance_m < 0:
        raise NetworkInputError(f"the reach must be a distance in metres ≥ 0, got {distance_m!r}")
    points = census_points if census_points is not None else project_census(census)
    if len(points.x) != len(census):
        raise NetworkInputError(
            f"census_points holds {len(points.x)} points for {len(census)} census rows: project the same frame"
        )
    hub_points = project_by_zone(hubs["longitude"], hubs["latitude"], hubs["insee_dep"])
    hub_ok = ~(np.isnan(hub_points.x) | np.isnan(hub_points.y))
    census_ok = ~(np.isnan(points.x) | np.isnan(points.y))
    hub_ids, census_ids = hubs["fabrique_id"].to_numpy(), census["tl_id"].to_numpy()
    parts = []
    for zone in sorted(set(hub_points.zone[hub_ok])):
        h_rows = np.flatnonzero(hub_ok & (hub_points.zone == zone))
        c_rows = np.flatnonzero(census_ok & (points.zone == zone))
        if not len(c_rows):
            continue
        tree = shapely.STRtree(shapely.points(points.x[c_rows], points.y[c_rows]))
        h_idx, c_idx = tree.query(
            shapely.points(hub_points.x[h_rows], hub_points.y[h_rows]), predicate="dwithin", distance=distance_m
        )
        h, c = h_rows[h_idx], c_rows[c_idx]
        distance = np.hypot(hub_points.x[h] - points.x[c], hub_points.y[h] - points.y[c])
        parts.append(pd.DataFrame({"fabrique_id": hub_ids[h], "tl_id": census_ids[c], "distance_m": distance}))
    if not parts:
        return pd.DataFrame(
            {
                "fabrique_id": pd.Series([], dtype=hubs["fabrique_id"].dtype),
                "tl_id": pd.Series([], dtype=census["tl_id"].dtype),
                "distance_m": pd.Series([], dtype=float),
            }
        )
    links = pd.concat(parts, ignore_index=True)
    return links.sort_values(["fabrique_id", "distance_m", "tl_id"], kind="stable").reset_index(drop=True)


# Membership and counts in plain Python: pandas' isin and groupby on Arrow strings cost a hundred
# times more here (0.3 s for one isin of the 8,984 national links, measured in bench/hubs.py).
def linked_mask(census: pd.DataFrame, links: pd.DataFrame) -> np.ndarray:
    """Boolean mask of the census rows that at least one link reaches."""
    reached = set(links["tl_id"].tolist())
    return np.fromiter((t in reached for t in census["tl_id"].tolist()), dtype=bool, count=len(census))


def restrict_links(links: pd.DataFrame, census: pd.DataFrame) -> pd.DataFrame:
    """The links whose census place is one of ``census`` (the census places in scope)."""
    kept = set(census["tl_id"].tolist())
    mask = np.fromiter((t in kept for t in links["tl_id"].tolist()), dtype=bool, count=len(links))
    return links[mask].reset_index(drop=True)


def compute_reach(hubs: pd.DataFrame, census: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """One row per Fabrique: the census places within reach, in all and by typology.

    Parameters
    ----------
    hubs : DataFrame
        The Fabriques: ``fabrique_id`` and, when present, ``nom, nom_com, insee_dep, cohort``.
    census : DataFrame
        The census places counted (those in scope): ``tl_id, typologie``.
    links : DataFrame
        :func:`compute_hub_links` (only the links to ``census`` are counted).

    Returns
    -------
    DataFrame
        ``fabrique_id, nom, nom_com, insee_dep, cohort, tiers_lieux_a_portee``, one column per
        typology of ``census`` (:func:`typology_column`), ``plus_proche_m`` (distance to the nearest
        place within reach, NaN when none); sorted by places within reach, descending.
    """
    _require(census, ("tl_id", "typologie"), "census")
    typology = dict(zip(census["tl_id"].tolist(), map(typology_column, census["typologie"].tolist()), strict=True))
    columns = sorted(set(typology.values()))
    counts: dict[object, Counter] = {}
    nearest: dict[object, float] = {}
    rows = zip(links["fabrique_id"].tolist(), links["tl_id"].tolist(), links["distance_m"].tolist(), strict=True)
    for fid, tl_id, distance in rows:
        if tl_id in typology:
            counts.setdefault(fid, Counter())[typology[tl_id]] += 1
            nearest[fid] = min(nearest.get(fid, math.inf), distance)
    info = [c for c in ("fabrique_id", "nom", "nom_com", "insee_dep", "cohort") if c in hubs.columns]
    out = pd.DataFrame(hubs[info]).reset_index(drop=True)
    ids = out["fabrique_id"].tolist()
    out["tiers_lieux_a_portee"] = np.array([sum(counts.get(f, Counter()).values()) for f in ids], dtype="int64")
    for column in columns:
        out[column] = np.array([counts.get(f, Counter())[column] for f in ids], dtype="int64")
    out["plus_proche_m"] = np.array([round(nearest[f]) if f in nearest else np.nan for f in ids], dtype=float)
    return out.sort_values(["tiers_lieux_a_portee", "fabrique_id"], ascending=[False, True], kind="stable")


def compute_nearest_hub(
    hubs: pd.DataFrame, census: pd.DataFrame, census_points: ZonedPoints | None = None
) -> np.ndarray:
    """Distance in metres (rounded) from each census place to the nearest Fabrique of ``hubs`` in the
    same zone, NaN where the zone has none; aligned with ``census`` (``census_points``: it projected)."""
    _require(hubs, HUB_COLUMNS, "hubs")
    points = census_points if census_points is not None else project_census(census)
    hub_points = project_by_zone(hubs["longitude"], hubs["latitude"], hubs["insee_dep"])
    return np.round(compute_nearest_zoned(points, hub_points), 0)


def compute_places_without_hub(census: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """The census places of ``census`` that no link reaches (no Fabrique within X km).

    Returns
    -------
    DataFrame
        The rows of ``census`` without any link, nearest to a Fabrique first when ``census`` has the
        ``distance_fabrique_m`` of :func:`compute_nearest_hub`.
    """
    _require(census, ("tl_id",), "census")
    out = census[~linked_mask(census, links)]
    order = ["distance_fabrique_m", "tl_id"] if "distance_fabrique_m" in out.columns else ["tl_id"]
    return out.sort_values(order, na_position="last", kind="stable")


def _count_by(keys: list[str], flags: np.ndarray) -> tuple[Counter, Counter]:
    """Rows and flagged rows per key."""
    return Counter(keys), Counter(k for k, f in zip(keys, flags.tolist(), strict=True) if f)


def compute_reach_by_typology(census: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Census places within reach of at least one Fabrique, and without, by typology.

    Returns
    -------
    DataFrame
        ``typologie, tiers_lieux, a_portee, part_a_portee, sans_fabrique, part_sans_fabrique``
        (shares in [0, 1]), the typologies by number of places, then a ``Total`` row.
    """
    keys = [t if isinstance(t, str) else MISSING_TYPOLOGY for t in census["typologie"].tolist()]
    places, reached = _count_by(keys, linked_mask(census, links))
    order = sorted(places, key=lambda k: (-places[k], k))
    out = pd.DataFrame(
        {
            "typologie": [*order, "Total"],
            "tiers_lieux": np.array([*(places[k] for k in order), len(keys)], dtype="int64"),
            "a_portee": np.array([*(reached[k] for k in order), sum(reached.values())], dtype="int64"),
        }
    )
    out["sans_fabrique"] = out["tiers_lieux"] - out["a_portee"]
    total = out["tiers_lieux"].where(out["tiers_lieux"] > 0)
    out["part_a_portee"] = out["a_portee"] / total
    out["part_sans_fabrique"] = out["sans_fabrique"] / total
    return out[["typologie", "tiers_lieux", "a_portee", "part_a_portee", "sans_fabrique", "part_sans_fabrique"]]


def compute_without_hub_by(census: pd.DataFrame, without: pd.DataFrame, by: str) -> pd.DataFrame:
    """Census places and those without a Fabrique within reach, by ``by`` (``insee_dep`` or
    ``densite_libelle``).

    Returns
    -------
    DataFrame
        ``by`` (and ``nom_dep`` for départements), ``tiers_lieux``, ``a_portee``, ``sans_fabrique``,
        ``part_sans_fabrique`` (in [0, 1]); density classes in the grid's order, départements by code.
    """
    _require(census, ("tl_id", by), "census")
    keys = [k if isinstance(k, str) else MISSING_CLASS for k in census[by].tolist()]
    far = set(without["tl_id"].tolist())
    places, without_hub = _count_by(keys, np.array([t in far for t in census["tl_id"].tolist()], dtype=bool))
    rank = (lambda k: (DENSITY_LEVELS.get(k, 99), k)) if by == "densite_libelle" else None
    order = sorted(places, key=rank)
    out = pd.DataFrame(
        {
            by: order,
            "tiers_lieux": np.array([places[k] for k in order], dtype="int64"),
            "sans_fabrique": np.array([without_hub[k] for k in order], dtype="int64"),
        }
    )
    out.insert(2, "a_portee", out["tiers_lieux"] - out["sans_fabrique"])
    out["part_sans_fabrique"] = out["sans_fabrique"] / out["tiers_lieux"]
    if by == "insee_dep" and "nom_dep" in census.columns:
        names = dict(zip(census["insee_dep"].tolist(), census["nom_dep"].tolist(), strict=True))
        out.insert(1, "nom_dep", [names.get(k) for k in order])
    return out


def links_drawable(departements_in_scope: int, national: bool, links: int) -> bool:
    """Whether the links are drawn: one département in scope, or a scope other than France with at
    most :data:`LINKS_MAX` links (more lines than that cover the map)."""
    return departements_in_scope == 1 or (not national and links <= LINKS_MAX)


def describe_reach(reach: pd.DataFrame, distance_km: float) -> str:
    """Fabriques with and without a census place within reach (French).

    Examples
    --------
    >>> print(describe_reach(pd.DataFrame({"tiers_lieux_a_portee": [3, 0, 1]}), 15))  # doctest: +NORMALIZE_WHITESPACE
    2 Fabriques sur 3 ont au moins un tiers-lieu recensé en 2019 à moins de 15 km
    (4 liens en tout, 1,3 en moyenne par Fabrique) ; 1 n’en a aucun.
    """
    n = len(reach)
    counts = reach["tiers_lieux_a_portee"]
    with_some = int((counts > 0).sum())
    mean = float(counts.mean()) if n else float("nan")
    return (
        f"{format_number(with_some)} Fabriques sur {format_number(n)} ont au moins un tiers-lieu recensé en 2019 à "
        f"moins de {format_number(distance_km)} km ({format_number(int(counts.sum()))} liens en tout, "
        f"{format_number(mean, 1)} en moyenne par Fabrique) ; {format_number(n - with_some)} "
        f"n’en {'ont' if n - with_some > 1 else 'a'} aucun."
    )


def describe_without_hub(census: pd.DataFrame, without: pd.DataFrame, distance_km: float) -> str:
    """How many census places of the scope have no Fabrique within reach (French).

    Examples
    --------
    >>> census, without = pd.DataFrame({"tl_id": list("abcd")}), pd.DataFrame({"tl_id": ["a"]})
    >>> print(describe_without_hub(census, without, 15))  # doctest: +NORMALIZE_WHITESPACE
    1 tiers-lieu recensé en 2019 sur 4 du périmètre (25,0\\xa0%) n’a aucune Fabrique
    de la sélection à moins de 15 km.
    """
    n, far = len(census), len(without)
    share = format_percent(far / n) if n else "n.d."
    return (
        f"{format_number(far)} tiers-lieu{'x' if far > 1 else ''} recensé{'s' if far > 1 else ''} en 2019 sur "
        f"{format_number(n)} du périmètre ({share}) n’{'ont' if far > 1 else 'a'} aucune Fabrique de la "
        f"sélection à moins de {format_number(distance_km)} km."
    )
