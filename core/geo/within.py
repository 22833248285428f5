"""Points within a distance of each other, each territory in its own metric CRS, with a spatial index."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from core.geo.crs import ZonedPoints


class DistanceError(ValueError):
    """A distance given to a neighbourhood computation is not a positive number of metres."""


@dataclass(frozen=True)
class Neighbourhoods:
    """For each point, the points of the same zone within ``distance_m`` (itself included), as a
    compressed sparse row structure: the neighbours of point ``i`` are
    ``indices[indptr[i]:indptr[i + 1]]``, sorted. Unlocated points have none.

    The relation is symmetric: ``j`` is a neighbour of ``i`` exactly when ``i`` is one of ``j``.
    """

    indptr: np.ndarray
    indices: np.ndarray
    distance_m: float

    @property
    def size(self) -> int:
        """Number of points."""
        return len(self.indptr) - 1

    def of(self, i: int) -> np.ndarray:
        """The neighbours of point ``i``."""
        return self.indices[self.indptr[i] : self.indptr[i + 1]]


def _check_distance(distance_m: float) -> None:
    if not (np.isfinite(distance_m) and distance_m > 0):
        raise DistanceError(f"distance must be a positive number of metres, got {distance_m!r}")


def _located(points: ZonedPoints) -> np.ndarray:
    return ~(np.isnan(points.x) | np.isnan(points.y))


def compute_neighbourhoods(points: ZonedPoints, distance_m: float) -> Neighbourhoods:
    """The :class:`Neighbourhoods` of ``points`` at ``distance_m`` (crow-fly, in each zone's metric CRS).

    One STRtree per zone; only the pairs within the distance are kept.

    Raises
    ------
    DistanceError
        When ``distance_m`` is not a positive number.

    Examples
    --------
    >>> pts = ZonedPoints(np.array([0.0, 800.0, 5000.0]), np.array([0.0, 0.0, 0.0]), np.array(["Z", "Z", "Z"]))
    >>> n = compute_neighbourhoods(pts, 1000)
    >>> n.of(0).tolist(), n.of(2).tolist()
    ([0, 1], [2])
    """
    _check_distance(distance_m)
    ok = _located(points)
    rows_parts, cols_parts = [], []
    for zone in sorted(set(points.zone[ok].tolist())):
        rows = np.flatnonzero(ok & (points.zone == zone))
        geoms = shapely.points(points.x[rows], points.y[rows])
        left, right = shapely.STRtree(geoms).query(geoms, predicate="dwithin", distance=distance_m)
        rows_parts.append(rows[left])
        cols_parts.append(rows[right])
    n = len(points.x)
    if rows_parts:
        i = np.concatenate(rows_parts)
        j = np.concatenate(cols_parts)
    else:
        i = j = np.array([], dtype=np.int64)
    order = np.lexsort((j, i))
    indices = j[order].astype(np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(i, minlength=n), out=indptr[1:])
    return Neighbourhoods(indptr, indices, float(distance_m))


def compute_within_any(points: ZonedPoints, targets: ZonedPoints, distance_m: float) -> np.ndarray:
    """Boolean mask of ``points`` within ``distance_m`` of at least one of ``targets`` of their zone.

    Raises
    ------
    DistanceError
        When ``distance_m`` is not a positive number.

    Examples
    --------
    >>> pts = ZonedPoints(np.array([0.0, 5000.0]), np.array([0.0, 0.0]), np.array(["Z", "Z"]))
    >>> near = ZonedPoints(np.array([900.0]), np.array([0.0]), np.array(["Z"]))
    >>> compute_within_any(pts, near, 1000).tolist()
    [True, False]
    """
    _check_distance(distance_m)
    out = np.zeros(len(points.x), dtype=bool)
    ok, ok_targets = _located(points), _located(targets)
    for zone in set(targets.zone[ok_targets].tolist()):
        rows = np.flatnonzero(ok & (points.zone == zone))
        t_rows = np.flatnonzero(ok_targets & (targets.zone == zone))
        if not len(rows):
            continue
        tree = shapely.STRtree(shapely.points(targets.x[t_rows], targets.y[t_rows]))
        hit, _ = tree.query(shapely.points(points.x[rows], points.y[rows]), predicate="dwithin", distance=distance_m)
        out[rows[np.unique(hit)]] = True
    return out
