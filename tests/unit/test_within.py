"""Points within a distance, per metric zone, against distances measured here with pyproj."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Transformer

from core.geo.crs import project_by_zone
from core.geo.within import DistanceError, compute_neighbourhoods, compute_within_any


@pytest.fixture
def points():
    """Six points near Orléans (Lambert-93), one unlocated, two in Guadeloupe (UTM 20N), in degrees."""
    import pandas as pd

    lon = [1.90, 1.93, 1.97, 2.05, 2.30, 1.91, np.nan, -61.55, -61.50]
    lat = [47.90, 47.91, 47.90, 47.95, 47.90, 47.96, np.nan, 16.25, 16.26]
    dep = ["45", "45", "45", "45", "45", "45", "45", "971", "971"]
    return pd.Series(lon), pd.Series(lat), pd.Series(dep)


def metres(lon, lat, dep):
    """Each point's coordinates in its zone's CRS, projected here with pyproj directly."""
    crs = {"45": "EPSG:2154", "971": "EPSG:5490"}
    out = np.full((len(lon), 2), np.nan)
    for i, (x, y, d) in enumerate(zip(lon, lat, dep, strict=True)):
        if not np.isnan(x):
            out[i] = Transformer.from_crs("EPSG:4326", crs[d], always_xy=True).transform(x, y)
    return out


@pytest.mark.parametrize("distance_m", [1_000, 5_000, 12_000, 40_000])
def test_neighbourhoods_are_the_pairs_within_the_distance_in_the_same_zone(points, distance_m):
    lon, lat, dep = points
    xy = metres(lon, lat, dep)
    neighbourhoods = compute_neighbourhoods(project_by_zone(lon, lat, dep), distance_m)
    for i in range(len(lon)):
        expected = [
            j
            for j in range(len(lon))
            if dep[i] == dep[j] and not np.isnan(xy[i, 0]) and np.hypot(*(xy[i] - xy[j])) <= distance_m
        ]
        assert neighbourhoods.of(i).tolist() == expected
    assert neighbourhoods.of(6).tolist() == []  # unlocated


def test_within_any_marks_the_points_near_a_target_of_their_zone(points):
    lon, lat, dep = points
    import pandas as pd

    targets = project_by_zone(pd.Series([1.93, -61.50]), pd.Series([47.91, 16.26]), pd.Series(["45", "971"]))
    xy = metres(lon, lat, dep)
    target_xy = metres([1.93, -61.50], [47.91, 16.26], ["45", "971"])
    within = compute_within_any(project_by_zone(lon, lat, dep), targets, 4_000)
    expected = [
        not np.isnan(xy[i, 0]) and np.hypot(*(xy[i] - target_xy[0 if dep[i] == "45" else 1])) <= 4_000
        for i in range(len(lon))
    ]
    assert within.tolist() == expected and any(expected) and not all(expected)


def test_points_of_two_zones_are_never_neighbours_even_at_the_same_coordinates():
    from core.geo.crs import ZonedPoints

    same = ZonedPoints(np.array([10.0, 10.0]), np.array([5.0, 5.0]), np.array(["EPSG:2154", "EPSG:5490"]))
    neighbourhoods = compute_neighbourhoods(same, 1_000)
    assert neighbourhoods.of(0).tolist() == [0] and neighbourhoods.of(1).tolist() == [1]


@pytest.mark.parametrize("distance", [0, -5, float("nan")])
def test_a_distance_that_is_not_positive_is_refused(points, distance):
    lon, lat, dep = points
    with pytest.raises(DistanceError, match="positive number of metres"):
        compute_neighbourhoods(project_by_zone(lon, lat, dep), distance)
