"""Repair of invalid polygons from the sources."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from core.geo.crs import located


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
