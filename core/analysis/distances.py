"""Distances from territories to the nearest place of a selection, from projections made once.

The QPV perimeters and the communes' centroids are projected into their metric CRS once per
version of their mart (the app keeps them, ``ui/distances.py``); a selection only projects its
own few places. The growth benchmark calls these same functions.
"""

from __future__ import annotations

import pandas as pd

from core.geo.crs import ZonedPoints, ZonedShapes, project_by_zone
from core.geo.nearest import compute_nearest_distances, compute_nearest_to_shapes

POINT_COLUMNS = ["insee_dep", "longitude", "latitude"]


def selection_points(places: pd.DataFrame) -> pd.DataFrame:
    """The located places of a selection, reduced to what distances need (a small cache key).

    The selection may be the Fabriques or a user's list: both have ``insee_dep`` (the metric zone),
    ``longitude`` and ``latitude``.
    """
    return places[POINT_COLUMNS].dropna(subset=["longitude", "latitude"]).reset_index(drop=True)


def project_points(points: pd.DataFrame) -> ZonedPoints:
    """The points of :func:`selection_points` in their metric CRS."""
    return project_by_zone(points["longitude"], points["latitude"], points["insee_dep"])


def compute_qpv_distances(qpv: pd.DataFrame, perimeters: ZonedShapes, points: pd.DataFrame) -> pd.DataFrame:
    """``qpv`` (rows aligned with ``perimeters``) with ``distance_fabrique_m`` from each perimeter to the
    nearest of ``points`` of the same zone (NaN where the zone has none)."""
    return qpv.assign(distance_fabrique_m=compute_nearest_to_shapes(perimeters, project_points(points)))


def compute_commune_distances(communes: pd.DataFrame, centroids: ZonedPoints, points: pd.DataFrame) -> pd.DataFrame:
    """``communes`` (rows aligned with ``centroids``) with ``distance_selection_m`` from each centroid to
    the nearest of ``points`` of the same zone (NaN where the zone has none)."""
    values = compute_nearest_distances(
        communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"], points, projected=centroids
    )
    return communes.assign(distance_selection_m=values.to_numpy())
