"""Map layers built from the cached geometry texts: rows, tooltips and colours stay aligned, the
scope rule decides the territories, and a new build is shown without a restart."""

from __future__ import annotations

import json

import pandas as pd
import shapely

from etl.build import run_build
from tests.app.conftest import open_page
from tests.fixture_world import EPCI_MEMBERS, SCOPE_COMMUNES, files, write_world
from ui.maps import choropleth, display_geometries


def test_choropleth_keeps_the_chosen_rows_with_their_tooltips(marts):
    geoms = display_geometries("communes")
    codes = list(geoms["code"].iloc[[2, 0]])  # a subset, in another order than the cached texts
    values = pd.Series([10.0, 20.0], index=codes)
    layer, table = choropleth("communes", (), values, "Valeur test", 0, "Test", codes=pd.Index(codes))
    features = json.loads(layer.geojson)["features"]
    assert table["code"].tolist() == [c for c in geoms["code"] if c in codes]
    for feature, row in zip(features, table.itertuples(), strict=True):
        assert f"<b>{row.territoire}</b>" in feature["properties"]["tooltip"]
        assert f"Valeur test : {int(row[3])}" in feature["properties"]["tooltip"]
        geometry = geoms.loc[geoms["code"] == row.code].geometry.iloc[0]
        assert shapely.from_geojson(json.dumps(feature["geometry"])).equals(geometry)
    assert len({f["properties"]["fill"] for f in features}) == 2  # two classes, two colours


def test_epci_of_a_region_are_those_with_a_commune_in_it(marts):
    """Bretagne's EPCI by the scope rule, counted here from the fixture's own EPCI list."""
    breton = {c for c, (_, _, _, _, reg) in SCOPE_COMMUNES.items() if reg == "53"}
    expected = {siren for siren, (_, _, members) in EPCI_MEMBERS.items() if breton & set(members)}
    deps = tuple(sorted({SCOPE_COMMUNES[c][3] for c in breton}))
    assert set(display_geometries("epci", deps)["code"]) == expected
    assert set(display_geometries("regions", ("22",))["code"]) == {"53"}  # Dinan-Avranches does not bring Normandie


def test_a_rebuild_with_a_renamed_territory_is_shown_without_a_restart(tmp_path, monkeypatch):
    departements = "etalab-decoupage-administratif-6.0.0/departements.json"
    rows = json.loads(files()[departements][1])
    renamed = json.dumps([{**r, "nom": "Penn-ar-Bed renommé"} if r["code"] == "29" else r for r in rows]).encode()
    out = tmp_path / "marts"
    monkeypatch.setenv("FABT_MARTS_DIR", str(out))
    for raw, overrides in (("raw1", {}), ("raw2", {"=" + departements: renamed})):
        catalogue = write_world(tmp_path / raw, overrides)
        run_build(tmp_path / raw, out, None, None, download=False, catalogue=catalogue, progress=False)
        at = open_page("carte", {"dep": "29"})
        assert not at.exception
        listing = next(h.proto.body for h in at.get("html") if "fabt-map-list" in h.proto.body)
        expected = "Finistère" if raw == "raw1" else "Penn-ar-Bed renommé"
        assert (
            f"<td>{expected}</td>" in listing
            and f"<td>{'Penn-ar-Bed renommé' if raw == 'raw1' else 'Finistère'}" not in listing
        )
        names = {expected}
        assert set(display_geometries("departements", ("29",))["nom"]) == names


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
