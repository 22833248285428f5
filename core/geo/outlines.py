"""Outlines of groups of polygons (the départements of the communes shown), dissolved from the same
geometries, so that a border drawn over a map of communes follows the communes' own edges."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def compute_outlines(frame: gpd.GeoDataFrame, keys: np.ndarray | list, grid: float = 1e-4) -> gpd.GeoDataFrame:
    """One polygon per key: the union of the rows of ``frame`` with that key (rows without a key
    or a geometry are left out).

    Polygons forming a coverage (edges shared exactly, as the communes of the marts) are dissolved
    along their shared edges; otherwise they are unioned on a ``grid`` of degrees.

    Returns
    -------
    GeoDataFrame
        ``key`` and ``geometry``, in ``frame``'s CRS, sorted by key.

    Examples
    --------
    >>> squares = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(5, 5, 6, 6)])
    >>> out = compute_outlines(squares, ["29", "29", "22"])
    >>> list(out["key"]), out.geometry.iloc[1].equals(shapely.box(0, 0, 2, 1))
    (['22', '29'], True)
    """
    values = frame.geometry.values
    keys = np.asarray(keys, dtype=object)
    present = ~(shapely.is_missing(values) | shapely.is_empty(values)) & np.array(
        [k is not None and k == k for k in keys]
    )
    rows, out = [], []
    for key in sorted(set(keys[present].tolist())):
        group = values[present & (keys == key)]
        merged = shapely.coverage_union_all(group) if shapely.coverage_is_valid(group) else None
        if merged is None or merged.is_empty:
            merged = shapely.union_all(group, grid_size=grid)
        rows.append(key)
        out.append(merged)
    return gpd.GeoDataFrame({"key": rows}, geometry=out, crs=frame.crs)
