"""Map layers built from the cached geometry texts: rows, tooltips and colours stay aligned."""

from __future__ import annotations

import json

import shapely

from ui.map_data import display_geometries, shaded_geojson


def test_shaded_geojson_keeps_the_chosen_rows_with_their_tooltips(marts):
    geoms = display_geometries("communes")
    assert len(geoms) >= 3
    subset = geoms.iloc[[2, 0]]  # a subset, in another order than the cached texts
    tips = [f"<b>{name}</b>" for name in subset["nom"]]
    fills = ["#111111", "#222222"]
    data = json.loads(shaded_geojson(subset, "communes", (), tips, fills))
    features = data["features"]
    assert [f["properties"]["tooltip"] for f in features] == tips
    assert [f["properties"]["fill"] for f in features] == fills
    for feature, geometry in zip(features, subset.geometry, strict=True):
        assert shapely.from_geojson(json.dumps(feature["geometry"])).equals(geometry)
