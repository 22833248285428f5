"""Geometry helpers: metric CRS per territory, repairs, points in polygons, nearest features.

Distances and buffers are computed only in a metric CRS: Lambert-93 for metropolitan France and
the local UTM zones of the overseas territories.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

WGS84 = "EPSG:4326"
LAMBERT_93 = "EPSG:2154"
# Overseas: each territory in its own official projected CRS.
METRIC_CRS_OVERSEAS: dict[str, str] = {
    "971": "EPSG:5490",  # Guadeloupe — RGAF09 / UTM 20N
    "972": "EPSG:5490",  # Martinique — RGAF09 / UTM 20N
    "977": "EPSG:5490",  # Saint-Barthélemy — RGAF09 / UTM 20N
    "978": "EPSG:5490",  # Saint-Martin — RGAF09 / UTM 20N
    "973": "EPSG:2972",  # Guyane — RGFG95 / UTM 22N
    "974": "EPSG:2975",  # La Réunion — RGR92 / UTM 40S
    "976": "EPSG:4471",  # Mayotte — RGM04 / UTM 38S
    "975": "EPSG:4467",  # Saint-Pierre-et-Miquelon — RGSPM06 / UTM 21N
    "987": "EPSG:3297",  # Polynésie française — RGPF / UTM 6S
}


def located(geoms: gpd.GeoSeries) -> np.ndarray:
    """Boolean mask of the rows with a non-empty geometry."""
    values = geoms.values
    return ~(shapely.is_missing(values) | shapely.is_empty(values))


class CrsMismatchError(ValueError):
    """Two layers that must share a CRS do not."""


def metric_zone(departement: str) -> str:
    """Return the metric CRS of a département (``"2154"`` family for métropole).

    Examples
    --------
    >>> metric_zone("29"), metric_zone("974")
    ('EPSG:2154', 'EPSG:2975')
    """
    return METRIC_CRS_OVERSEAS.get(str(departement), LAMBERT_93)


def require_same_crs(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame) -> None:
    """Raise :class:`CrsMismatchError` unless both frames have the same CRS."""
    if left.crs != right.crs:
        raise CrsMismatchError(f"CRS differ: {left.crs} vs {right.crs}; reproject one of them explicitly first")


def repair_geometries(geoms: gpd.GeoSeries) -> tuple[gpd.GeoSeries, int, int]:
    """Repair invalid geometries with ``make_valid`` keeping only their polygonal parts.

    Returns
    -------
    tuple
        ``(repaired, n_invalid, n_empty_after)``: the repaired series (same index), how many
        were invalid and how many are empty or of zero area after repair.
    """
    arr = geoms.values
    invalid = ~shapely.is_valid(arr) & ~shapely.is_missing(arr)
    fixed = np.array(arr, dtype=object)
    if invalid.any():
        repaired = shapely.make_valid(arr[invalid])
        fixed[invalid] = [_polygonal_part(g) for g in repaired]
    out = gpd.GeoSeries(fixed, index=geoms.index, crs=geoms.crs)
    empty = ~located(out) | (shapely.area(out.values) == 0)
    return out, int(invalid.sum()), int(empty.sum())


def _polygonal_part(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep the polygons of a geometry collection produced by ``make_valid``."""
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
    if not parts:
        return shapely.MultiPolygon()
    return shapely.union_all(parts)


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


@dataclass(frozen=True)
class ZonedPoints:
    """Points projected into the metric CRS of their zone: ``x``, ``y`` in metres, ``zone`` (a CRS).

    Arrays aligned with the rows they were made from; unlocated rows have NaN coordinates. The
    communes' centroids are projected once and kept: only a selection's few places are projected
    for each distance computation (:func:`compute_nearest_zoned`).
    """

    x: np.ndarray
    y: np.ndarray
    zone: np.ndarray


@functools.lru_cache(maxsize=16)
def _transformer_from_wgs84(crs: str):
    from pyproj import Transformer

    return Transformer.from_crs(WGS84, crs, always_xy=True)


def _zones(departement: pd.Series) -> np.ndarray:
    """The metric CRS of each row's département (see :func:`metric_zone`)."""
    return np.array([metric_zone(d) for d in departement.tolist()], dtype=object)


def project_by_zone(lon: pd.Series, lat: pd.Series, departement: pd.Series) -> ZonedPoints:
    """Project WGS84 points into the metric CRS of their département (see :func:`metric_zone`)."""
    lon_values = pd.to_numeric(lon, errors="coerce").to_numpy(dtype=float)
    lat_values = pd.to_numeric(lat, errors="coerce").to_numpy(dtype=float)
    zone = _zones(departement)
    x = np.full(len(zone), np.nan)
    y = np.full(len(zone), np.nan)
    for crs in set(zone):
        rows = zone == crs
        x[rows], y[rows] = _transformer_from_wgs84(crs).transform(lon_values[rows], lat_values[rows])
    return ZonedPoints(x, y, zone)


@dataclass(frozen=True)
class ZonedShapes:
    """Geometries projected into the metric CRS of their zone (``geometry``: shapely objects, None
    where a row had none) with that ``zone``. The QPV perimeters are projected once and kept, like
    the communes' centroids (:class:`ZonedPoints`)."""

    geometry: np.ndarray
    zone: np.ndarray


def project_shapes_by_zone(geoms: gpd.GeoSeries, departement: pd.Series) -> ZonedShapes:
    """Project geometries into the metric CRS of their département (see :func:`metric_zone`)."""
    zone = _zones(departement)
    out = np.full(len(zone), None, dtype=object)
    ok = located(geoms)
    for crs in set(zone[ok]):
        rows = ok & (zone == crs)
        out[rows] = gpd.GeoSeries(geoms.values[rows], crs=geoms.crs).to_crs(crs).values.to_numpy()
    return ZonedShapes(out, zone)


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
