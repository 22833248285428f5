"""Coordinate reference systems: the metric CRS of each territory and projections into it.

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
