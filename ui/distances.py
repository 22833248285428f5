"""Distances to the nearest place of the selection, cached by the selection's points.

The QPV perimeters and the communes' centroids are projected once per version of their mart and
shared by every session; a new selection only projects its own few places
(:mod:`core.analysis.distances`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.analysis.distances import compute_commune_distances, compute_qpv_distances, selection_points
from core.geo.crs import ZonedPoints, ZonedShapes, project_by_zone, project_shapes_by_zone
from ui.loaders import load_geo_version, load_table_version, mart_version

__all__ = ["commune_distances", "qpv_distances", "selection_points"]


@st.cache_resource(show_spinner="Projection des QPV…", max_entries=2)
def _qpv_2024(version: tuple[str, int]) -> tuple[pd.DataFrame, ZonedShapes]:
    """The 2024 QPV without geometry, and their perimeters in their metric CRS."""
    qpv = load_geo_version(version)
    qpv = qpv[qpv["generation"] == "2024"]
    return pd.DataFrame(qpv.drop(columns="geometry")), project_shapes_by_zone(qpv.geometry, qpv["insee_dep"])


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def _qpv_distances(points: pd.DataFrame, version: tuple[str, int]) -> pd.DataFrame:
    table, perimeters = _qpv_2024(version)
    return compute_qpv_distances(table, perimeters, points)


def qpv_distances(points: pd.DataFrame) -> pd.DataFrame:
    """QPV 2024 (no geometry) with ``distance_fabrique_m`` to the nearest of ``points``."""
    return _qpv_distances(points, mart_version("qpv"))


@st.cache_resource(show_spinner=False, max_entries=2)
def _projected_centroids(version: tuple[str, int]) -> ZonedPoints:
    """The communes' centroids in their metric CRS."""
    communes = load_table_version(version)
    return project_by_zone(communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"])


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def _commune_distance_values(points: pd.DataFrame, version: tuple[str, int]):
    communes = load_table_version(version)
    return compute_commune_distances(communes, _projected_centroids(version), points)["distance_selection_m"].to_numpy()


def commune_distances(points: pd.DataFrame) -> pd.DataFrame:
    """Communes (no geometry) with ``distance_selection_m`` from their centroid to ``points``."""
    version = mart_version("communes")
    return load_table_version(version).assign(distance_selection_m=_commune_distance_values(points, version))
