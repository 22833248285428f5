"""Nearest features and points in polygons, each territory in its own metric CRS."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.geo.crs import ZonedPoints, ZonedShapes, located, metric_zone, project_by_zone, require_same_crs


def compute_nearest(
    points: gpd.GeoDataFrame,
    targets: gpd.GeoDataFrame,
    zone_points: pd.Series,
    zone_targets: pd.Series,
    target_id: str,
) -> pd.DataFrame:
    """Distance in metres from each point to the nearest target of the same metric zone.

    Parameters
    ----------
    points, targets : GeoDataFrame
        Same CRS (geographic is fine: each zone is projected to its metric CRS here).
    zone_points, zone_targets : Series of str
        Département code of each row (see :func:`metric_zone`).
    target_id : str
        Column of ``targets`` identifying the nearest one.

    Returns
    -------
    DataFrame
        Indexed like ``points``: ``distance_m`` (float, NaN where the zone has no target or
        the point has no geometry) and ``nearest_id``.
    """
    require_same_crs(points, targets)
    out = pd.DataFrame(
        {"distance_m": np.nan, "nearest_id": pd.Series(pd.NA, index=points.index, dtype=object)},
        index=points.index,
    )
    p_crs = zone_points.map(metric_zone)
    t_crs = zone_targets.map(metric_zone)
    for crs in sorted(set(p_crs.dropna())):
        p = points[(p_crs == crs).to_numpy() & located(points.geometry)]
        t = targets[(t_crs == crs).to_numpy() & located(targets.geometry)]
        if p.empty or t.empty:
            continue
        pm = p[[p.geometry.name]].to_crs(crs)
        tm = t[[target_id, t.geometry.name]].to_crs(crs)
        tree = shapely.STRtree(tm.geometry.values)
        idx_p, idx_t = tree.query_nearest(pm.geometry.values, all_matches=False, return_distance=False)
        dist = shapely.distance(pm.geometry.values[idx_p], tm.geometry.values[idx_t])
        out.loc[pm.index[idx_p], "distance_m"] = dist
        out.loc[pm.index[idx_p], "nearest_id"] = tm[target_id].to_numpy()[idx_t]
    return out


def compute_points_in_polygons(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, polygon_id: str) -> pd.Series:
    """Return, for each point, the id of a polygon containing it or touching it (else NA).

    A point on a polygon's border counts as inside: the sources' points are commune centroids
    and borders are simplified, so border cases are decided in favour of inclusion.
    """
    require_same_crs(points, polygons)
    result = pd.Series(pd.NA, index=points.index, dtype=object)
    valid = pd.Series(located(points.geometry), index=points.index)
    if not valid.any() or polygons.empty:
        return result
    tree = shapely.STRtree(polygons.geometry.values)
    idx_p, idx_g = tree.query(points.geometry.values[valid.to_numpy()], predicate="intersects")
    hit_index = points.index[valid.to_numpy()][idx_p]
    ids = pd.Series(polygons[polygon_id].to_numpy()[idx_g], index=hit_index)
    first = ids[~ids.index.duplicated(keep="first")]
    result.loc[first.index] = first.to_numpy()
    return result


def _nearest_in_zones(zone: np.ndarray, located_rows: np.ndarray, geometry_at, targets: ZonedPoints) -> np.ndarray:
    """Distance from each row to the nearest target of its zone; ``geometry_at(rows)`` gives the
    projected geometries of the rows asked for."""
    out = np.full(len(zone), np.nan)
    located_targets = ~(np.isnan(targets.x) | np.isnan(targets.y))
    for crs in set(targets.zone[located_targets]):
        t_rows = np.flatnonzero(located_targets & (targets.zone == crs))
        rows = np.flatnonzero(located_rows & (zone == crs))
        if not len(rows):
            continue
        tree = shapely.STRtree(shapely.points(targets.x[t_rows], targets.y[t_rows]))
        (idx, _), dist = tree.query_nearest(geometry_at(rows), all_matches=False, return_distance=True)
        out[rows[idx]] = dist
    return out


def compute_nearest_zoned(points: ZonedPoints, targets: ZonedPoints) -> np.ndarray:
    """Distance in metres from each point to the nearest target of the same zone (NaN where none).

    The same figures as :func:`compute_nearest` for points, from coordinates already projected.
    """
    located_points = ~(np.isnan(points.x) | np.isnan(points.y))
    return _nearest_in_zones(
        points.zone, located_points, lambda rows: shapely.points(points.x[rows], points.y[rows]), targets
    )


def compute_nearest_to_shapes(shapes: ZonedShapes, targets: ZonedPoints) -> np.ndarray:
    """Distance in metres from each geometry to the nearest target of the same zone (NaN where none).

    The same figures as :func:`compute_nearest` for polygons, from geometries already projected.
    """
    located_shapes = ~(shapely.is_missing(shapes.geometry) | shapely.is_empty(shapes.geometry))
    return _nearest_in_zones(shapes.zone, located_shapes, lambda rows: shapes.geometry[rows], targets)


def compute_nearest_distances(
    points_lon: pd.Series,
    points_lat: pd.Series,
    points_zone: pd.Series,
    targets: pd.DataFrame,
    projected: ZonedPoints | None = None,
) -> pd.Series:
    """Distance in metres from each point to the nearest target (``longitude``, ``latitude``,
    ``insee_dep``) of the same metric zone; NaN where none.

    ``projected`` is the points already projected by :func:`core.geo.project_by_zone` (a cache
    keeps the communes' centroids projected); without it they are projected here.
    """
    if projected is None:
        projected = project_by_zone(points_lon, points_lat, points_zone)
    tgt = targets.dropna(subset=["longitude", "latitude"])
    near = compute_nearest_zoned(projected, project_by_zone(tgt["longitude"], tgt["latitude"], tgt["insee_dep"]))
    return pd.Series(near, index=points_lon.index, name="distance_m")
