"""Distances to the nearest place of the selection (cached by the selection's points).

The selection may be the Fabriques or a list a user supplied: both have ``insee_dep``,
``longitude`` and ``latitude``, which is all the cache key holds.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from core.geo import ZonedPoints, compute_nearest, project_by_zone
from core.indicators import compute_nearest_distances
from ui.loaders import load_geo, load_table

POINT_COLUMNS = ["insee_dep", "longitude", "latitude"]


def selection_points(places: pd.DataFrame) -> pd.DataFrame:
    """The located places of a selection, reduced to what distances need (a small cache key)."""
    return places[POINT_COLUMNS].dropna(subset=["longitude", "latitude"]).reset_index(drop=True)


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def qpv_distances(points: pd.DataFrame) -> pd.DataFrame:
    """QPV 2024 (no geometry) with ``distance_fabrique_m`` to the nearest of ``points``."""
    qpv = load_geo("qpv")
    qpv = qpv[qpv["generation"] == "2024"]
    targets = gpd.GeoDataFrame(
        {"id": points.index.astype(str), "insee_dep": points["insee_dep"].to_numpy()},
        geometry=gpd.points_from_xy(points["longitude"], points["latitude"]),
        crs="EPSG:4326",
    )
    near = compute_nearest(qpv, targets, qpv["insee_dep"], targets["insee_dep"], "id")
    out = pd.DataFrame(qpv.drop(columns="geometry"))
    out["distance_fabrique_m"] = near["distance_m"]
    return out


@st.cache_data(show_spinner=False, max_entries=4)
def _projected_centroids(communes: pd.DataFrame) -> ZonedPoints:
    return project_by_zone(communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"])


def projected_centroids(communes: pd.DataFrame) -> ZonedPoints:
    """The communes' centroids in their metric CRS, projected once per communes mart."""
    return _projected_centroids(communes[["centroide_lon", "centroide_lat", "insee_dep"]])


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def commune_distances(points: pd.DataFrame) -> pd.DataFrame:
    """Communes (no geometry) with ``distance_selection_m`` from their centroid to ``points``."""
    communes = load_table("communes")
    out = communes.copy()
    out["distance_selection_m"] = compute_nearest_distances(
        communes["centroide_lon"],
        communes["centroide_lat"],
        communes["insee_dep"],
        points,
        projected=projected_centroids(communes),
    )
    return out
