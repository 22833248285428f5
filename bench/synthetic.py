"""Synthetic places for the growth benchmark: labelled synthetic, kept in memory, never shown as data.

The places mimic the staged ``fabriques`` frame (see ``etl/staging/fabriques.py``) so the real
mart builders and page computations can run on 10× or 100× as many places. They are drawn in
real communes in proportion to population, each at a random point inside its commune's polygon,
so their spatial distribution (dense cities, empty mountains, the DROM) looks like real data.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.domain.classifications import cohort_of, wave_of
from core.geo.crs import located

REAL_PLACES = 382
SYNTHETIC_NAME = "Lieu synthétique"
SYNTHETIC_PRECISION = "synthétique (point tiré au hasard dans la commune)"
COLUMNS = [
    "fabrique_id",
    "nom",
    "insee_com",
    "insee_com_source",
    "cohort",
    "wave",
    "location_precision",
    "synthetique",
]
# Rejection sampling in the bounding box: a very thin commune could reject many draws, so after
# this many rounds the rest fall back to a point on the polygon's surface (always inside).
MAX_ROUNDS = 50


def make_synthetic_places(communes: gpd.GeoDataFrame, n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """Draw ``n`` synthetic places in ``communes``, shaped like the staged Fabriques.

    Parameters
    ----------
    communes : GeoDataFrame
        ``insee_com``, ``population`` and a polygon per commune (the ``communes`` mart). Only
        communes with a polygon and a positive population can be drawn.
    n : int
        Number of places (0 gives an empty frame of the same schema).
    seed : int
        Seed of the numpy generator: the same seed and communes give the same places.

    Returns
    -------
    GeoDataFrame
        ``fabrique_id`` (1…n), ``nom`` (``"Lieu synthétique 1"``…), ``insee_com``,
        ``insee_com_source``, ``cohort`` and ``wave`` (the real id ranges repeated, so cohorts keep
        the real 300/82 proportion), ``location_precision``, ``synthetique`` (always True) and a
        point inside the commune's polygon, in the CRS of ``communes``.

    Raises
    ------
    ValueError
        If ``n`` is negative or no commune has both a polygon and a positive population.

    Examples
    --------
    >>> square = shapely.box(0, 0, 1, 1)
    >>> frame = gpd.GeoDataFrame({"insee_com": ["01001"], "population": [10]}, geometry=[square])
    >>> places = make_synthetic_places(frame, 2, seed=1)
    >>> places["nom"].tolist(), bool(places["synthetique"].all())
    (['Lieu synthétique 1', 'Lieu synthétique 2'], True)
    """
    if n < 0:
        raise ValueError(f"n={n}: the number of synthetic places must be 0 or more")
    population = pd.to_numeric(communes["population"], errors="coerce").fillna(0).to_numpy(dtype=float)
    drawable = located(communes.geometry) & (population > 0)
    if not drawable.any():
        raise ValueError(
            f"none of the {len(communes)} communes has both a polygon and a positive population: "
            "pass the communes mart (insee_com, population, geometry)"
        )
    rng = np.random.default_rng(seed)
    candidates = np.flatnonzero(drawable)
    weights = population[candidates] / population[candidates].sum()
    picked = candidates[rng.choice(len(candidates), size=n, p=weights)] if n else candidates[:0]
    geoms = communes.geometry.values[picked]
    xs, ys = draw_points_inside(np.asarray(geoms), rng)
    ids = np.arange(1, n + 1)
    real_ids = (ids - 1) % REAL_PLACES + 1
    codes = communes["insee_com"].astype(str).to_numpy()[picked]
    frame = pd.DataFrame(
        {
            "fabrique_id": ids,
            "nom": [f"{SYNTHETIC_NAME} {i}" for i in ids],
            "insee_com": codes,
            "insee_com_source": codes,
            "cohort": [cohort_of(int(i)) for i in real_ids],
            "wave": pd.array([wave_of(int(i)) for i in real_ids], dtype="Int64"),
            "location_precision": SYNTHETIC_PRECISION,
            "synthetique": True,
        },
        columns=COLUMNS,
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(xs, ys), crs=communes.crs)


def draw_points_inside(polygons: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """One uniform random point inside each polygon (rejection sampling in its box).

    Returns
    -------
    tuple
        ``(x, y)`` arrays, one coordinate pair per polygon.
    """
    bounds = shapely.bounds(polygons).reshape(-1, 4)
    xs = np.full(len(polygons), np.nan)
    ys = np.full(len(polygons), np.nan)
    pending = np.arange(len(polygons))
    for _ in range(MAX_ROUNDS):
        if not len(pending):
            break
        b = bounds[pending]
        x = rng.uniform(b[:, 0], b[:, 2])
        y = rng.uniform(b[:, 1], b[:, 3])
        inside = shapely.contains_xy(polygons[pending], x, y)
        xs[pending[inside]] = x[inside]
        ys[pending[inside]] = y[inside]
        pending = pending[~inside]
    if len(pending):
        fallback = shapely.point_on_surface(polygons[pending])
        xs[pending] = shapely.get_x(fallback)
        ys[pending] = shapely.get_y(fallback)
    return xs, ys
