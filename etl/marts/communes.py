"""The ``communes`` mart: every COG 2026 commune of métropole and DROM with its indicators."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.geo.crs import located
from core.geo.nearest import compute_nearest

DISPLAY_ZONES = ("metro", "drom")
# Display simplification: coverage_simplify tolerance, in degrees (the square root of the
# area of the triangles removed: ≈ 250 m in métropole), which keeps ~35 % of the vertices.
SIMPLIFY_DEGREES = 0.003


def simplify_for_display(geoms: gpd.GeoSeries, tolerance: float = SIMPLIFY_DEGREES) -> gpd.GeoSeries:
    """Simplify polygons for maps, keeping shared borders shared when they form a coverage.

    ``coverage_simplify`` simplifies each shared edge once, so neighbours stay gap-free; when
    the polygons are not a valid coverage, each polygon is simplified on its own
    (topology-preserving).
    """
    values = geoms.values
    present = ~(shapely.is_missing(values) | shapely.is_empty(values))
    out = np.array(values, dtype=object)
    if present.any():
        part = values[present]
        if shapely.coverage_is_valid(part):
            out[present] = shapely.coverage_simplify(part, tolerance)
        else:
            out[present] = shapely.simplify(part, tolerance, preserve_topology=True)
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs)


def count_by_cohort(fabriques: pd.DataFrame, key: str) -> pd.DataFrame:
    """Count Fabriques by ``key`` and cohort: ``fabriques_2020_2021``, ``fabriques_2023``, ``fabriques``."""
    table = pd.crosstab(fabriques[key], fabriques["cohort"])
    out = pd.DataFrame(index=table.index)
    out["fabriques_2020_2021"] = table.get(COHORT_2020_2021, 0)
    out["fabriques_2023"] = table.get(COHORT_2023, 0)
    out["fabriques"] = out["fabriques_2020_2021"] + out["fabriques_2023"]
    return out


def compute_place_columns(communes: pd.DataFrame, centroids: gpd.GeoDataFrame, fabriques: pd.DataFrame) -> pd.DataFrame:
    """The columns of the communes mart that depend on the places: counts by cohort and the distance
    from the centroid to the nearest place (with its id).

    Parameters
    ----------
    communes : DataFrame
        ``insee_com`` and ``insee_dep`` (the metric zone).
    centroids : GeoDataFrame
        Each commune's centroid, aligned with ``communes``.
    fabriques : DataFrame
        The places: ``fabrique_id``, ``insee_com``, ``insee_dep``, ``cohort`` and a point geometry.

    Returns
    -------
    DataFrame
        Indexed like ``communes``: ``fabriques_2020_2021, fabriques_2023, fabriques,
        distance_fabrique_m, fabrique_plus_proche``.
    """
    out = pd.DataFrame(index=communes.index)
    counts = count_by_cohort(fabriques, "insee_com")
    for col in counts.columns:
        out[col] = communes["insee_com"].map(counts[col]).fillna(0).astype(int)
    fab = fabriques.assign(fabrique_id=fabriques["fabrique_id"].astype(str))
    near = compute_nearest(centroids, fab, communes["insee_dep"], fab["insee_dep"], "fabrique_id")
    out["distance_fabrique_m"] = near["distance_m"].round(0)
    out["fabrique_plus_proche"] = pd.to_numeric(near["nearest_id"]).astype("Int64")
    return out


def build_communes(
    attributes: pd.DataFrame,
    polygons: gpd.GeoDataFrame,
    fabriques: gpd.GeoDataFrame,
    qpv: gpd.GeoDataFrame,
    tiers_lieux: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """Communes of métropole and DROM with counts, distances and a display polygon.

    ``distance_fabrique_m`` is measured from the commune's centroid (of its full polygon) to
    the nearest Fabrique point in the territory's metric CRS; ``qpv_population`` sums the
    population of the QPV whose principal (first listed) commune it is.

    Returns
    -------
    GeoDataFrame
        Attribute columns plus ``fabriques_2020_2021, fabriques_2023, fabriques,
        tiers_lieux_2019, qpv_population, distance_fabrique_m, fabrique_plus_proche,
        a_polygone, centroide_lon, centroide_lat`` and the simplified geometry (EPSG:4326).
    """
    base = attributes[attributes["zone"].isin(DISPLAY_ZONES)]
    out = base.merge(polygons, on="insee_com", how="left")
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=polygons.crs)
    out["a_polygone"] = located(out.geometry)
    out["tiers_lieux_2019"] = out["insee_com"].map(tiers_lieux["insee_com"].value_counts()).fillna(0).astype(int)
    qpv_pop = qpv.groupby("insee_com_principale")["pop_qpv"].sum(min_count=1)
    out["qpv_population"] = out["insee_com"].map(qpv_pop)
    # A centroid in degrees is within metres of the projected one at commune scale.
    centroids = gpd.GeoDataFrame(geometry=shapely.centroid(out.geometry.values), index=out.index, crs=out.crs)
    out["centroide_lon"] = shapely.get_x(centroids.geometry.values)
    out["centroide_lat"] = shapely.get_y(centroids.geometry.values)
    places = compute_place_columns(out, centroids, fabriques)
    out[list(places.columns)] = places
    out["geometry"] = simplify_for_display(out.geometry)
    return out.reset_index(drop=True)
