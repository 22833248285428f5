"""Find a commune, an EPCI, a département, a région, a Fabrique or a QPV by its name or its code.

One index of names and codes is built once per version of the marts; a query is matched with
accents, case and punctuation ignored (``saint-etienne`` finds « Saint-Étienne »), and the matches
are ranked:

1. the code itself (``29039``, ``QN02901M``);
2. the whole name;
3. the beginning of the name;
4. the beginning of the code;
5. the name from one of its words on (``malo`` finds « Saint-Malo », ``etienne du`` finds
   « Saint-Étienne-du-Rouvray »);

then, at the same rank, régions before départements, EPCI, communes, QPV and Fabriques, and the
more populated territory first.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.domain.parsing import normalise_label
from core.domain.territories import LEVELS, item_key

# The kinds of items in the index, in the order a tie is broken, with their label.
KINDS: dict[str, str] = {
    "regions": "Région",
    "departements": "Département",
    "epci": "EPCI",
    "communes": "Commune",
    "qpv": "QPV",
    "fabriques": "Fabrique",
}
# A point (a Fabrique) is shown in a box of this half-size, in degrees (≈ 2 km).
POINT_MARGIN = 0.02
COLUMNS = ["kind", "code", "name", "detail", "key", "weight", "south", "west", "north", "east"]


class SearchIndexError(ValueError):
    """A frame given to :func:`build_search_index` lacks a column it needs."""


@dataclass(frozen=True)
class SearchResult:
    """An item found: its kind (a key of :data:`KINDS`), code, name, a line saying where it is,
    its key (``communes:29039``, see :func:`core.domain.territories.item_key`) and its bounds
    ``[[south, west], [north, east]]``."""

    kind: str
    code: str
    name: str
    detail: str
    key: str
    bounds: list[list[float]]

    @property
    def label(self) -> str:
        """« Concarneau (commune, 29039) — Finistère »."""
        where = f" — {self.detail}" if self.detail else ""
        return f"{self.name} ({KINDS[self.kind].lower()} {self.code}){where}"


@dataclass(frozen=True)
class SearchIndex:
    """The searchable items (:data:`COLUMNS`, in the order ties are broken) and, for prefix
    searches by bisection, their normalised names, codes and name endings (from each word on)
    sorted, each with the position of its item."""

    items: pd.DataFrame
    names: tuple[list[str], np.ndarray]
    codes: tuple[list[str], np.ndarray]
    endings: tuple[list[str], np.ndarray]

    def __len__(self) -> int:
        return len(self.items)


def _sorted(texts: list[str], positions: list[int]) -> tuple[list[str], np.ndarray]:
    order = sorted(range(len(texts)), key=texts.__getitem__)
    return [texts[i] for i in order], np.asarray(positions, dtype=np.int64)[order]


def _prefixed(table: tuple[list[str], np.ndarray], text: str, whole: bool = False) -> np.ndarray:
    """Positions of the items whose text starts with ``text`` (equals it when ``whole``)."""
    texts, positions = table
    low = bisect.bisect_left(texts, text)
    high = bisect.bisect_right(texts, text) if whole else bisect.bisect_left(texts, text + "\U0010ffff")
    return positions[low:high]


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SearchIndexError(
            f"the {name} frame lacks column(s) {', '.join(missing)} for the search index; "
            "rebuild the marts with python -m etl build"
        )


def _commune_bounds(communes: gpd.GeoDataFrame) -> pd.DataFrame:
    """Each commune's bounds (its centroid when it has no polygon)."""
    geoms = communes.geometry.values
    bounds = shapely.bounds(geoms)
    missing = np.isnan(bounds[:, 0])
    if missing.any():
        lon = communes["centroide_lon"].to_numpy(dtype=float)
        lat = communes["centroide_lat"].to_numpy(dtype=float)
        bounds[missing] = np.column_stack([lon, lat, lon, lat])[missing]
    return pd.DataFrame(
        {"west": bounds[:, 0], "south": bounds[:, 1], "east": bounds[:, 2], "north": bounds[:, 3]},
        index=communes.index,
    )


def _territories(communes: gpd.GeoDataFrame) -> list[pd.DataFrame]:
    """Régions, départements, EPCI and communes, with bounds gathered from their communes."""
    frame = pd.concat([pd.DataFrame(communes.drop(columns="geometry")), _commune_bounds(communes)], axis=1)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").fillna(0)
    parts = []
    details = {"regions": None, "departements": "nom_reg", "epci": "nom_dep", "communes": "nom_dep"}
    for level, detail in details.items():
        spec = LEVELS[level]
        rows = frame.dropna(subset=[spec.code])
        grouped = rows.groupby(spec.code, sort=False).agg(
            name=(spec.name, "first"),
            detail=(detail or spec.name, "first"),
            weight=("population", "sum"),
            south=("south", "min"),
            west=("west", "min"),
            north=("north", "max"),
            east=("east", "max"),
        )
        grouped = grouped.reset_index().rename(columns={spec.code: "code"})
        if detail is None:
            grouped["detail"] = ""
        grouped["kind"] = level
        parts.append(grouped)
    return parts


def _fabriques(fabriques: pd.DataFrame) -> pd.DataFrame:
    located = fabriques.dropna(subset=["longitude", "latitude"])
    lon, lat = located["longitude"].to_numpy(dtype=float), located["latitude"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "code": located["fabrique_id"].astype(str).to_numpy(),
            "name": located["nom"].astype(str).to_numpy(),
            "detail": (located["nom_com"].fillna("").astype(str) + " (" + located["insee_dep"].astype(str) + ")")
            .str.replace(" ()", "", regex=False)
            .to_numpy(),
            "weight": 0.0,
            "south": lat - POINT_MARGIN,
            "west": lon - POINT_MARGIN,
            "north": lat + POINT_MARGIN,
            "east": lon + POINT_MARGIN,
            "kind": "fabriques",
        }
    )


def _qpv(qpv: gpd.GeoDataFrame) -> pd.DataFrame:
    rows = qpv[(qpv["generation"] == "2024").to_numpy()]
    rows = rows[~(shapely.is_missing(rows.geometry.values) | shapely.is_empty(rows.geometry.values))]
    bounds = shapely.bounds(rows.geometry.values)
    return pd.DataFrame(
        {
            "code": rows["code_qp"].astype(str).to_numpy(),
            "name": rows["lib_qp"].astype(str).to_numpy(),
            "detail": rows["noms_communes"].fillna("").astype(str).to_numpy(),
            "weight": pd.to_numeric(rows["pop_qpv"], errors="coerce").fillna(0).to_numpy(),
            "south": bounds[:, 1],
            "west": bounds[:, 0],
            "north": bounds[:, 3],
            "east": bounds[:, 2],
            "kind": "qpv",
        }
    )


def build_search_index(
    communes: gpd.GeoDataFrame, fabriques: pd.DataFrame, qpv: gpd.GeoDataFrame | None = None
) -> SearchIndex:
    """The index of every territory (from the communes), Fabrique and QPV 2024.

    Parameters
    ----------
    communes : GeoDataFrame
        The ``communes`` mart: codes and names of each level, ``population``, ``centroide_lon``,
        ``centroide_lat`` and the polygon (the bounds of a territory are those of its communes).
    fabriques : DataFrame
        ``fabrique_id, nom, nom_com, insee_dep, longitude, latitude`` (rows without a point are left out).
    qpv : GeoDataFrame, optional
        The ``qpv`` mart (``code_qp, lib_qp, noms_communes, pop_qpv, generation`` and perimeters).

    Raises
    ------
    SearchIndexError
        When a frame lacks a column.
    """
    levels = [LEVELS[k] for k in ("regions", "departements", "epci", "communes")]
    _require(
        communes,
        [c for s in levels for c in (s.code, s.name)] + ["population", "centroide_lon", "centroide_lat"],
        "communes",
    )
    _require(fabriques, ["fabrique_id", "nom", "nom_com", "insee_dep", "longitude", "latitude"], "fabriques")
    parts = [*_territories(communes), _fabriques(fabriques)]
    if qpv is not None:
        _require(qpv, ["code_qp", "lib_qp", "noms_communes", "pop_qpv", "generation"], "qpv")
        parts.append(_qpv(qpv))
    items = pd.concat(parts, ignore_index=True)
    items["code"] = items["code"].astype(str)
    items["name"] = items["name"].fillna("").astype(str)
    items["detail"] = items["detail"].fillna("").astype(str)
    items["key"] = [item_key(k, c) for k, c in zip(items["kind"], items["code"], strict=True)]
    order = {kind: i for i, kind in enumerate(KINDS)}
    items["_order"] = items["kind"].map(order)
    items = items.sort_values(["_order", "weight", "name"], ascending=[True, False, True], kind="stable")
    items = items.drop(columns="_order").reset_index(drop=True)[COLUMNS]
    names = [normalise_label(n) for n in items["name"]]
    endings, owners = [], []
    for position, name in enumerate(names):
        for match in re.finditer(r" (?=\S)", name):
            endings.append(name[match.end() :])
            owners.append(position)
    positions = list(range(len(names)))
    return SearchIndex(
        items,
        _sorted(names, positions),
        _sorted([c.lower() for c in items["code"]], positions),
        _sorted(endings, owners),
    )


def _result(row) -> SearchResult:
    return SearchResult(
        row.kind, row.code, row.name, row.detail, row.key, [[row.south, row.west], [row.north, row.east]]
    )


def search(index: SearchIndex, query: str, limit: int = 10) -> list[SearchResult]:
    """The items matching ``query``, best first (see the module's ranking), at most ``limit``.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> communes = gpd.GeoDataFrame({"insee_com": ["29039", "35288"], "nom_com": ["Concarneau", "Saint-Malo"],
    ...     "siren_epci": ["E1", "E2"], "nom_epci": ["CA Concarneau", "CA Saint-Malo"],
    ...     "insee_dep": ["29", "35"], "nom_dep": ["Finistère", "Ille-et-Vilaine"],
    ...     "insee_reg": ["53", "53"], "nom_reg": ["Bretagne", "Bretagne"], "population": [20000, 47000],
    ...     "centroide_lon": [-3.9, -2.0], "centroide_lat": [47.9, 48.6]},
    ...     geometry=[shapely.box(-4, 47.8, -3.8, 48), shapely.box(-2.1, 48.6, -1.9, 48.7)])
    >>> fabriques = gpd.GeoDataFrame({"fabrique_id": [], "nom": [], "nom_com": [], "insee_dep": [],
    ...     "longitude": [], "latitude": []})
    >>> index = build_search_index(communes, fabriques)
    >>> [r.label for r in search(index, "concar")]
    ['Concarneau (commune 29039) — Finistère', 'CA Concarneau (epci E1) — Finistère']
    >>> [r.name for r in search(index, "MALO")], search(index, "29039")[0].key
    (['CA Saint-Malo', 'Saint-Malo'], 'communes:29039')
    """
    text = normalise_label(query)
    if not text or limit <= 0:
        return []
    code = query.strip().lower()
    found = (
        _prefixed(index.codes, code, whole=True),
        _prefixed(index.names, text, whole=True),
        _prefixed(index.names, text),
        _prefixed(index.codes, code),
        _prefixed(index.endings, text),
    )
    ranks = np.concatenate([np.full(len(hits), rank) for rank, hits in enumerate(found)])
    positions = np.concatenate(found)
    # Best rank of each item, then the index's own order (kind, population, name).
    order = np.lexsort((positions, ranks))
    _, first = np.unique(positions[order], return_index=True)
    best = order[np.sort(first)]
    best = best[np.lexsort((positions[best], ranks[best]))][:limit]
    return [_result(row) for row in index.items.iloc[positions[best]].itertuples(index=False)]


def find_item(index: SearchIndex, key: str) -> SearchResult | None:
    """The item of ``key`` (``communes:29039``), or None."""
    hit = np.flatnonzero(index.items["key"].to_numpy() == key)
    return _result(next(index.items.iloc[hit[:1]].itertuples(index=False))) if len(hit) else None
