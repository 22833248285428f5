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


def _located(points: ZonedPoints) -> np.ndarray:
    return ~(np.isnan(points.x) | np.isnan(points.y))


def _pairs_within(points: ZonedPoints, targets: ZonedPoints, distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (point, target) of the same zone within ``distance_m``: one STRtree of targets per zone."""
    if not (np.isfinite(distance_m) and distance_m > 0):
        raise DistanceError(f"distance must be a positive number of metres, got {distance_m!r}")
    ok, ok_targets = _located(points), _located(targets)
    found = [(np.array([], dtype=np.int64), np.array([], dtype=np.int64))]
    for zone in sorted(set(targets.zone[ok_targets].tolist())):
        rows = np.flatnonzero(ok & (points.zone == zone))
        t_rows = np.flatnonzero(ok_targets & (targets.zone == zone))
        if len(rows):
            tree = shapely.STRtree(shapely.points(targets.x[t_rows], targets.y[t_rows]))
            left, right = tree.query(shapely.points(points.x[rows], points.y[rows]), "dwithin", distance=distance_m)
            found.append((rows[left], t_rows[right]))
    return np.concatenate([f[0] for f in found]), np.concatenate([f[1] for f in found])


def compute_neighbourhoods(points: ZonedPoints, distance_m: float) -> Neighbourhoods:
    """The :class:`Neighbourhoods` of ``points`` at ``distance_m`` (crow-fly, in each zone's metric CRS);
    :class:`DistanceError` when the distance is not a positive number.

    Examples
    --------
    >>> pts = ZonedPoints(np.array([0.0, 800.0, 5000.0]), np.array([0.0, 0.0, 0.0]), np.array(["Z", "Z", "Z"]))
    >>> n = compute_neighbourhoods(pts, 1000)
    >>> n.of(0).tolist(), n.of(2).tolist()
    ([0, 1], [2])
    """
    i, j = _pairs_within(points, points, distance_m)
    order = np.lexsort((j, i))
    n = len(points.x)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(i, minlength=n), out=indptr[1:])
    return Neighbourhoods(indptr, j[order].astype(np.int32), float(distance_m))


def compute_within_any(points: ZonedPoints, targets: ZonedPoints, distance_m: float) -> np.ndarray:
    """Boolean mask of ``points`` within ``distance_m`` of at least one of ``targets`` of their zone
    (:class:`DistanceError` when the distance is not a positive number).

    >>> pts = ZonedPoints(np.array([0.0, 5000.0]), np.array([0.0, 0.0]), np.array(["Z", "Z"]))
    >>> near = ZonedPoints(np.array([900.0]), np.array([0.0]), np.array(["Z"]))
    >>> compute_within_any(pts, near, 1000).tolist()
    [True, False]
    """
    out = np.zeros(len(points.x), dtype=bool)
    out[_pairs_within(points, targets, distance_m)[0]] = True
    return out
