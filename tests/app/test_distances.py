"""Selection distances from the projections kept per mart version: the ETL's figures, and a new
build is picked up."""

from __future__ import annotations

import shutil

import geopandas as gpd
import numpy as np
import pandas as pd

from core.geo.nearest import compute_nearest
from ui.distances import commune_distances, qpv_distances, selection_points
from ui.loaders import load_geo, load_table


def test_qpv_distances_equal_the_nearest_on_the_perimeters(marts, fabriques):
    points = selection_points(fabriques.iloc[::2])
    qpv = load_geo("qpv")
    qpv = qpv[qpv["generation"] == "2024"]
    targets = gpd.GeoDataFrame(
        {"id": points.index.astype(str), "insee_dep": points["insee_dep"].to_numpy()},
        geometry=gpd.points_from_xy(points["longitude"], points["latitude"]),
        crs="EPSG:4326",
    )
    expected = compute_nearest(qpv, targets, qpv["insee_dep"], targets["insee_dep"], "id")["distance_m"]
    got = qpv_distances(points)
    assert list(got["code_qp"]) == list(qpv["code_qp"]) and "geometry" not in got.columns
    assert got["distance_fabrique_m"].notna().any()
    np.testing.assert_allclose(got["distance_fabrique_m"].to_numpy(), expected.to_numpy(), rtol=1e-9, equal_nan=True)
    # Another selection, other distances (the cache is keyed by the points).
    fewer = selection_points(fabriques.iloc[:1])
    assert not np.allclose(
        qpv_distances(fewer)["distance_fabrique_m"].to_numpy(), got["distance_fabrique_m"].to_numpy(), equal_nan=True
    )


def test_commune_distances_follow_a_new_build_of_the_communes_mart(marts, fabriques, tmp_path, monkeypatch):
    # Two published builds (each build is a new folder), the second with every centroid moved.
    first_build, second_build = tmp_path / "build1", tmp_path / "build2"
    shutil.copytree(marts, first_build)
    shutil.copytree(marts, second_build)
    frame = pd.read_parquet(second_build / "communes.parquet")
    frame["centroide_lat"] = frame["centroide_lat"] + 0.5
    frame.to_parquet(second_build / "communes.parquet")
    points = selection_points(fabriques)
    monkeypatch.setenv("FABT_MARTS_DIR", str(first_build))
    first = commune_distances(points)
    assert len(first) == len(load_table("communes")) and first["distance_selection_m"].notna().any()
    monkeypatch.setenv("FABT_MARTS_DIR", str(second_build))
    moved = commune_distances(points)
    # The kept projection was redone for the new file: every distance moved by more than 1 km.
    assert (moved["distance_selection_m"] - first["distance_selection_m"]).abs().min() > 1_000
    assert np.allclose(moved["centroide_lat"], first["centroide_lat"] + 0.5)
