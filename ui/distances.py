"""Distances to the nearest Fabrique of the selection (cached by the selection's ids)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from core.geo import compute_nearest
from core.indicators import compute_nearest_distances
from ui.loaders import load_geo, load_table


def _selection_points(ids: tuple[int, ...]) -> gpd.GeoDataFrame:
    fab = load_table("fabriques")
    fab = fab[fab["fabrique_id"].isin(ids)].dropna(subset=["longitude", "latitude"])
    return gpd.GeoDataFrame(
        {"fabrique_id": fab["fabrique_id"].astype(str).to_numpy(), "insee_dep": fab["insee_dep"].to_numpy()},
        geometry=gpd.points_from_xy(fab["longitude"], fab["latitude"]),
        crs="EPSG:4326",
    )


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def qpv_distances(ids: tuple[int, ...]) -> pd.DataFrame:
    """QPV 2024 (no geometry) with ``distance_fabrique_m`` to the nearest Fabrique of ``ids``."""
    qpv = load_geo("qpv")
    qpv = qpv[qpv["generation"] == "2024"]
    points = _selection_points(ids)
    near = compute_nearest(qpv, points, qpv["insee_dep"], points["insee_dep"], "fabrique_id")
    out = pd.DataFrame(qpv.drop(columns="geometry"))
    out["distance_fabrique_m"] = near["distance_m"]
    return out


@st.cache_data(show_spinner="Calcul des distances…", max_entries=64)
def commune_distances(ids: tuple[int, ...]) -> pd.DataFrame:
    """Communes (no geometry) with ``distance_selection_m`` from their centroid to the selection."""
    communes = load_table("communes")
    fab = load_table("fabriques")
    fab = fab[fab["fabrique_id"].isin(ids)]
    out = communes.copy()
    out["distance_selection_m"] = compute_nearest_distances(
        communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"], fab
    )
    return out
