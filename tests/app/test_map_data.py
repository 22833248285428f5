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


def test_a_page_changing_a_loaded_mart_does_not_change_it_for_the_others(marts):
    from ui.loaders import load_geo, load_table

    first = load_table("fabriques")
    original = first["nom"].tolist()
    first["nom"] = "changé"
    first.loc[first.index[0], "cohort"] = "autre"
    del first["insee_dep"]
    again = load_table("fabriques")
    assert again["nom"].tolist() == original and "insee_dep" in again.columns
    assert "autre" not in set(again["cohort"])
    geo = load_geo("departements")
    geo["geometry"] = None
    assert load_geo("departements").geometry.notna().all()
