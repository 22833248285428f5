"""Geometry helpers: repairs, border points, metric distances per territory."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, Polygon

from core.geo.crs import CrsMismatchError, metric_zone, project_by_zone, project_shapes_by_zone
from core.geo.nearest import (
    compute_nearest,
    compute_nearest_to_shapes,
    compute_nearest_zoned,
    compute_points_in_polygons,
)
from core.geo.repair import repair_geometries


@pytest.fixture
def squares():
    """Two unit-ish squares near Lyon, one bow-tie (invalid) and one collapsed to a line."""
    return gpd.GeoDataFrame(
        {"code": ["A", "BOW", "FLAT"]},
        geometry=[
            Polygon([(4.80, 45.70), (4.90, 45.70), (4.90, 45.80), (4.80, 45.80)]),
            Polygon([(5.0, 45.7), (5.1, 45.8), (5.1, 45.7), (5.0, 45.8)]),
            Polygon([(5.2, 45.7), (5.3, 45.7), (5.25, 45.7)]),
        ],
        crs="EPSG:4326",
    )


def test_repair_makes_valid_and_counts(squares):
    repaired, n_invalid, n_empty = repair_geometries(squares.geometry)
    assert n_invalid == 2
    assert repaired.is_valid.all()
    assert repaired.iloc[1].geom_type in ("MultiPolygon", "Polygon") and repaired.iloc[1].area > 0
    assert n_empty == 1  # the collapsed polygon has no area left


def test_point_on_border_counts_as_inside(squares):
    pts = gpd.GeoDataFrame(geometry=[Point(4.80, 45.75), Point(4.85, 45.75), Point(6, 45), None], crs="EPSG:4326")
    inside = compute_points_in_polygons(pts, squares.iloc[[0]], "code")
    assert inside.isna().tolist() == [False, False, True, True]
    assert inside.iloc[0] == "A" and inside.iloc[1] == "A"


def test_nearest_uses_metres_and_zones(squares):
    pts = gpd.GeoDataFrame(geometry=[Point(4.90 + 0.01, 45.75), Point(-61.5, 16.2)], crs="EPSG:4326")
    near = compute_nearest(
        pts,
        squares.iloc[[0]],
        pts.assign(d=["69", "971"])["d"],
        squares.iloc[[0]].assign(d="69")["d"],
        "code",
    )
    # 0.01° of longitude at 45.75° N ≈ 777 m
    assert near.loc[0, "distance_m"] == pytest.approx(777, rel=0.01)
    assert near.loc[0, "nearest_id"] == "A"
    # no target in Guadeloupe's zone: unknown, never a trans-Atlantic distance
    assert near["distance_m"].isna().iloc[1]


def test_crs_mismatch_is_an_error(squares):
    pts = gpd.GeoDataFrame(geometry=[Point(0, 0)], crs="EPSG:2154")
    with pytest.raises(CrsMismatchError):
        compute_points_in_polygons(pts, squares, "code")


@pytest.mark.parametrize(
    ("dep", "crs"),
    [
        ("75", "EPSG:2154"),
        ("2A", "EPSG:2154"),
        ("971", "EPSG:5490"),
        ("973", "EPSG:2972"),
        ("974", "EPSG:2975"),
        ("976", "EPSG:4471"),
    ],
)
def test_metric_zone(dep, crs):
    assert metric_zone(dep) == crs


def test_nearest_is_zero_inside_polygon(squares):
    pts = gpd.GeoDataFrame(geometry=[Point(4.85, 45.75)], crs="EPSG:4326")
    near = compute_nearest(
        pts, squares.iloc[[0]], pts.assign(d="69")["d"], squares.iloc[[0]].assign(d="69")["d"], "code"
    )
    assert near.loc[0, "distance_m"] == 0
    assert shapely.is_valid(squares.geometry.iloc[0])


def test_zoned_nearest_equals_nearest_on_projected_frames():
    rng = np.random.default_rng(3)
    deps = ["29", "69", "2A", "971", "974", "973"]
    n = 400
    dep = pd.Series(rng.choice(deps, n))
    boxes = {"29": (-4.5, 48.2), "69": (4.8, 45.7), "2A": (8.8, 41.9), "971": (-61.5, 16.2), "974": (55.5, -21.1)}
    base = dep.map(lambda d: boxes.get(d, (-53.0, 4.5)))
    lon = pd.Series([b[0] for b in base]) + rng.uniform(-0.3, 0.3, n)
    lat = pd.Series([b[1] for b in base]) + rng.uniform(-0.3, 0.3, n)
    lon[5] = np.nan  # an unlocated point
    targets = pd.DataFrame({"longitude": lon[:30] + 0.05, "latitude": lat[:30], "insee_dep": dep[:30]})
    targets = targets[targets["insee_dep"] != "973"]  # a zone with points but no target
    expected = compute_nearest(
        gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326"),
        gpd.GeoDataFrame(
            {"id": [str(i) for i in range(len(targets))]},
            geometry=gpd.points_from_xy(targets["longitude"], targets["latitude"]),
            crs="EPSG:4326",
        ),
        dep,
        targets["insee_dep"].reset_index(drop=True),
        "id",
    )["distance_m"]
    got = compute_nearest_zoned(
        project_by_zone(lon, lat, dep), project_by_zone(targets["longitude"], targets["latitude"], targets["insee_dep"])
    )
    assert np.isnan(got[5]) and np.isnan(got[(dep == "973").to_numpy()]).all()
    np.testing.assert_allclose(got, expected.to_numpy(), rtol=1e-9, equal_nan=True)


def test_nearest_from_projected_shapes_equals_nearest_on_frames():
    """QPV-like polygons projected once give the same distances as :func:`compute_nearest`."""
    rng = np.random.default_rng(5)
    deps = ["29", "69", "971", "974", "973"]
    centres = {"29": (-4.5, 48.2), "69": (4.8, 45.7), "971": (-61.5, 16.2), "974": (55.5, -21.1), "973": (-53.0, 4.5)}
    dep = pd.Series(rng.choice(deps, 120))
    shapes = []
    for d in dep:
        lon, lat = centres[d]
        x, y = lon + rng.uniform(-0.3, 0.3), lat + rng.uniform(-0.3, 0.3)
        shapes.append(Polygon([(x, y), (x + 0.01, y), (x + 0.01, y + 0.008), (x, y + 0.008)]))
    shapes[3] = None  # a row without geometry
    polygons = gpd.GeoDataFrame({"code": range(120)}, geometry=shapes, crs="EPSG:4326")
    targets = pd.DataFrame(
        {
            "longitude": [c[0] + 0.1 for d, c in centres.items() if d != "973"] + [-4.4, np.nan],
            "latitude": [c[1] for d, c in centres.items() if d != "973"] + [48.3, 48.0],
            "insee_dep": [d for d in centres if d != "973"] + ["29", "29"],
        }
    )
    expected = compute_nearest(
        polygons,
        gpd.GeoDataFrame(
            {"id": [str(i) for i in range(len(targets))]},
            geometry=gpd.points_from_xy(targets["longitude"], targets["latitude"]),
            crs="EPSG:4326",
        ),
        dep,
        targets["insee_dep"],
        "id",
    )["distance_m"]
    got = compute_nearest_to_shapes(
        project_shapes_by_zone(polygons.geometry, dep),
        project_by_zone(targets["longitude"], targets["latitude"], targets["insee_dep"]),
    )
    assert np.isnan(got[3]) and np.isnan(got[(dep == "973").to_numpy()]).all()  # no geometry, no target
    assert (got[~np.isnan(got)] > 0).all()
    np.testing.assert_allclose(got, expected.to_numpy(), rtol=1e-9, equal_nan=True)
