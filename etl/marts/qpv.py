"""The ``qpv`` mart: QPV polygons with indicators and their Fabriques."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from core.geo.nearest import compute_nearest, compute_points_in_polygons


def build_qpv(
    qpv: gpd.GeoDataFrame,
    indicators: pd.DataFrame,
    attributes: pd.DataFrame,
    fabriques: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """QPV with indicators (indicative vintage), names of their communes and Fabrique relations.

    Returns
    -------
    GeoDataFrame
        ``code_qp, lib_qp, generation, communes (codes joined by ", "), noms_communes,
        insee_com_principale, insee_dep, insee_reg, siren_epci`` (of the principal commune),
        indicator columns, ``fabriques_dedans``, ``fabrique_plus_proche``,
        ``distance_fabrique_m``, ``area_zero``, geometry.
    """
    names = attributes.set_index("insee_com")["nom_com"]
    out = qpv.merge(indicators, on="code_qp", how="left")
    out["noms_communes"] = [", ".join(str(names.get(c, c)) for c in cs) for cs in out["communes"]]
    out["communes"] = [", ".join(cs) for cs in out["communes"]]
    principal = attributes.set_index("insee_com")
    out["insee_reg"] = out["insee_com_principale"].map(principal["insee_reg"]).fillna(out["insee_reg"])
    out["siren_epci"] = out["insee_com_principale"].map(principal["siren_epci"]).astype("string")
    inside = compute_points_in_polygons(fabriques, out, "code_qp").dropna()
    out["fabriques_dedans"] = out["code_qp"].map(inside.value_counts()).fillna(0).astype(int)
    fab = fabriques.assign(fabrique_id=fabriques["fabrique_id"].astype(str))
    near = compute_nearest(out, fab, out["insee_dep"], fab["insee_dep"], "fabrique_id")
    out["fabrique_plus_proche"] = pd.to_numeric(near["nearest_id"]).astype("Int64")
    out["distance_fabrique_m"] = near["distance_m"].round(1)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=qpv.crs)
