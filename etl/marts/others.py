"""Side marts: the 2019 tiers-lieux census and the other ANCT programmes."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.geo.crs import located
from core.geo.nearest import compute_points_in_polygons

GEO_COLUMNS = [
    "insee_com",
    "nom_com",
    "siren_epci",
    "insee_dep",
    "nom_dep",
    "insee_reg",
    "nom_reg",
    "densite_niveau",
    "densite_libelle",
    "rural_insee",
]


def build_tiers_lieux(
    tiers_lieux: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, attributes: pd.DataFrame
) -> gpd.GeoDataFrame:
    """The census with a COG 2026 commune for every located row and its territories.

    Rows without an INSEE code get the commune whose polygon holds their point
    (``commune_source`` tells which way).
    """
    out = tiers_lieux.copy()
    from_point = compute_points_in_polygons(out, polygons, "insee_com")
    missing = out["insee_com"].isna()
    out["commune_source"] = "code INSEE du recensement"
    out.loc[missing & from_point.notna(), "commune_source"] = "point dans le polygone communal"
    out.loc[missing & from_point.isna(), "commune_source"] = "inconnue"
    out["insee_com"] = out["insee_com"].fillna(from_point).astype("string")
    out = out.merge(attributes[GEO_COLUMNS].astype({"insee_com": "string"}), on="insee_com", how="left")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=tiers_lieux.crs)
    has_point = located(out.geometry)
    out["longitude"] = np.where(has_point, shapely.get_x(out.geometry.values), np.nan)
    out["latitude"] = np.where(has_point, shapely.get_y(out.geometry.values), np.nan)
    return out


def build_programmes(programmes: pd.DataFrame, attributes: pd.DataFrame) -> pd.DataFrame:
    """Places of the other ANCT programmes with their commune's name and territories."""
    cols = ["insee_com", "nom_com", "siren_epci", "insee_dep", "insee_reg"]
    return programmes.merge(attributes[cols], on="insee_com", how="left")
