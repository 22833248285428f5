"""The ``fabriques`` mart: one row per Fabrique with its territories and relations."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.geo.crs import located
from core.geo.nearest import compute_nearest, compute_points_in_polygons

ATTRIBUTE_COLUMNS = [
    "insee_com",
    "nom_com",
    "zone",
    "insee_arr",
    "nom_arr",
    "siren_epci",
    "nom_epci",
    "insee_dep",
    "nom_dep",
    "insee_reg",
    "nom_reg",
    "population",
    "densite_niveau",
    "densite_libelle",
    "densite_4",
    "densite_3",
    "rural_insee",
    "typologie_ruralite",
    "frr_classe",
    "frr",
    "centralite",
    "montagne",
    "commune_montagne",
    "qpv_nombre",
    "commune_qpv",
    "pvd",
    "acv",
    "villages_avenir",
    "manufacture_proximite",
    "france_services",
]


def build_fabriques(fabriques: gpd.GeoDataFrame, attributes: pd.DataFrame, qpv: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Join each Fabrique to its commune's attributes and relate it to the QPV 2024.

    The QPV relation is point-based: the point is the commune centroid (see
    ``location_precision``), so ``dans_qpv`` tells whether that centroid lies in (or on the
    border of) a QPV, and ``distance_qpv_m`` its distance in metres to the nearest QPV of the
    same territory, computed in the territory's metric CRS.

    Returns
    -------
    GeoDataFrame
        Staged columns, :data:`ATTRIBUTE_COLUMNS`, ``qpv_contenant``, ``dans_qpv``,
        ``qpv_plus_proche``, ``distance_qpv_m``, ``longitude``, ``latitude``; the same QPV
        columns suffixed ``_2015`` when the 2015 geography was supplied.
    """
    attrs = attributes[ATTRIBUTE_COLUMNS].rename(columns={"population": "population_commune"})
    out = fabriques.merge(attrs, on="insee_com", how="left")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=fabriques.crs)
    for generation, suffix in (("2024", ""), ("2015", "_2015")):
        layer = qpv[qpv["generation"] == generation]
        if layer.empty:
            continue
        out[f"qpv{suffix}_contenant"] = compute_points_in_polygons(out, layer, "code_qp").astype("string")
        out[f"dans_qpv{suffix}"] = out[f"qpv{suffix}_contenant"].notna()
        near = compute_nearest(out, layer, out["insee_dep"], layer["insee_dep"], "code_qp")
        out[f"qpv{suffix}_plus_proche"] = near["nearest_id"].astype("string")
        out[f"distance_qpv{suffix}_m"] = near["distance_m"].round(1)
    has_point = located(out.geometry)
    xs = shapely.get_x(out.geometry.values)
    ys = shapely.get_y(out.geometry.values)
    out["longitude"] = np.where(has_point, xs, np.nan)
    out["latitude"] = np.where(has_point, ys, np.nan)

    return out
