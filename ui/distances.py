"""Distances to the nearest place of the selection (cached by the selection's points).

The selection may be the Fabriques or a list a user supplied: both have ``insee_dep``,
``longitude`` and ``latitude``, which is all the cache key holds. The QPV perimeters and the
communes' centroids are projected once per version of their mart and shared by every session;
a new selection only projects its own few places.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from core.geo.crs import ZonedPoints, ZonedShapes, project_by_zone, project_shapes_by_zone
from core.geo.nearest import compute_nearest_distances, compute_nearest_to_shapes
from ui.loaders import load_geo_version, load_table_version, mart_version

POINT_COLUMNS = ["insee_dep", "longitude", "latitude"]


def selection_points(places: pd.DataFrame) -> pd.DataFrame:
    """The located places of a selection, reduced to what distances need (a small cache key)."""
    return places[POINT_COLUMNS].dropna(subset=["longitude", "latitude"]).reset_index(drop=True)


def _project_points(points: pd.DataFrame) -> ZonedPoints:
    return project_by_zone(points["longitude"], points["latitude"], points["insee_dep"])


@st.cache_resource(show_spinner="Projection des QPV…", max_entries=2)
def _qpv_2024(version: tuple[str, int]) -> tuple[pd.DataFrame, ZonedShapes]:
    """The 2024 QPV without geometry, and their perimeters in their metric CRS."""
    qpv = load_geo_version(version)
    qpv = qpv[qpv["generation"] == "2024"]
    return pd.DataFrame(qpv.drop(columns="geometry")), project_shapes_by_zone(qpv.geometry, qpv["insee_dep"])


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def _qpv_distance_values(points: pd.DataFrame, version: tuple[str, int]) -> np.ndarray:
    return compute_nearest_to_shapes(_qpv_2024(version)[1], _project_points(points))


def qpv_distances(points: pd.DataFrame) -> pd.DataFrame:
    """QPV 2024 (no geometry) with ``distance_fabrique_m`` to the nearest of ``points``."""
    version = mart_version("qpv")
    table, _ = _qpv_2024(version)
    return table.assign(distance_fabrique_m=_qpv_distance_values(points, version))


@st.cache_resource(show_spinner=False, max_entries=2)
def _projected_centroids(version: tuple[str, int]) -> ZonedPoints:
    """The communes' centroids in their metric CRS."""
    communes = load_table_version(version)
    return project_by_zone(communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"])


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def _commune_distance_values(points: pd.DataFrame, version: tuple[str, int]) -> np.ndarray:
    communes = load_table_version(version)
    return compute_nearest_distances(
        communes["centroide_lon"],
        communes["centroide_lat"],
        communes["insee_dep"],
        points,
        projected=_projected_centroids(version),
    ).to_numpy()


def commune_distances(points: pd.DataFrame) -> pd.DataFrame:
    """Communes (no geometry) with ``distance_selection_m`` from their centroid to ``points``."""
    version = mart_version("communes")
    values = _commune_distance_values(points, version)
    return load_table_version(version).assign(distance_selection_m=values)
