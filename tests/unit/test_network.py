"""The Fabriques as hubs of the 2019 census: links within X km, reach, places without a Fabrique.

Expected figures are computed here pair by pair with pyproj and shapely from the points of the
fixture, never with the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Geod, Transformer

from core.analysis.network import (
    NetworkInputError,
    compute_hub_links,
    compute_nearest_hub,
    compute_places_without_hub,
    compute_reach,
    compute_reach_by_typology,
    compute_without_hub_by,
    links_drawable,
    project_census,
    restrict_links,
)
from core.viz.network import compute_link_lines, make_network_map

X_M = 15_000
L93 = "EPSG:2154"
UTM20 = "EPSG:5490"
TO_WGS84 = {crs: Transformer.from_crs(crs, "EPSG:4326", always_xy=True) for crs in (L93, UTM20)}
FROM_WGS84 = {crs: Transformer.from_crs("EPSG:4326", crs, always_xy=True) for crs in (L93, UTM20)}
HUB_L93 = (850_000.0, 6_550_000.0)  # near Lyon
HUB_GUADELOUPE = (650_000.0, 1_800_000.0)


def zone(dep: str) -> str:
    return UTM20 if dep == "971" else L93


def lonlat(crs: str, x: float, y: float) -> tuple[float, float]:
    return TO_WGS84[crs].transform(x, y)


def hubs_frame() -> pd.DataFrame:
    """Four Fabriques: H1 in métropole with two places within 15 km and one beyond; H2 in Guadeloupe
    (its places are never linked to métropole's); H3 without a point; H4 far from every place."""
    rows = [
        (1, "H1 <b>Lyon</b>", "69", "Petites villes", *lonlat(L93, *HUB_L93)),
        (2, "H2 Abymes", "971", "Centres urbains intermédiaires", *lonlat(UTM20, *HUB_GUADELOUPE)),
        (3, "H3 sans point", "69", "Petites villes", np.nan, np.nan),
        (4, "H4 isolée", "29", "Bourgs ruraux", *lonlat(L93, 150_000.0, 6_830_000.0)),
    ]
    frame = pd.DataFrame(rows, columns=["fabrique_id", "nom", "insee_dep", "densite_libelle", "longitude", "latitude"])
    return frame.assign(nom_com="C", cohort="2020-2021")


def census_frame() -> pd.DataFrame:
    """Census places around H1 (5 km, 12 km: within; 20 km: beyond), one 60 km away from every Fabrique
    in a rural commune of another département, one in Guadeloupe 3 km from H2."""
    x, y = HUB_L93
    gx, gy = HUB_GUADELOUPE
    rows = [
        ("t1", "Cowork 5 km", "Tiers lieux à dominante coworking", "69", "Petites villes", L93, x + 5_000, y),
        ("t2", "Fablab 12 km", "Tiers lieux à dominante fablab", "69", "Petites villes", L93, x, y + 12_000),
        ("t3", "Cowork 20 km", "Tiers lieux à dominante coworking", "69", "Bourgs ruraux", L93, x - 20_000, y),
        ("t4", "Isolé 60 km", "Non renseignée", "01", "Rural à habitat dispersé", L93, x, y + 60_000),
        ("t5", "Abymes 3 km", "Tiers lieux à dominante fablab", "971", "Petites villes", UTM20, gx + 3_000, gy),
    ]
    out = []
    for tl_id, nom, typo, dep, density, crs, px, py in rows:
        lon, lat = lonlat(crs, px, py)
        out.append((tl_id, nom, typo, f"{dep}001", "C", dep, f"dep {dep}", density, lon, lat))
    columns = ["tl_id", "nom", "typologie", "insee_com", "nom_com", "insee_dep", "nom_dep", "densite_libelle"]
    return pd.DataFrame(out, columns=[*columns, "longitude", "latitude"])


def metres(hub: pd.Series, place: pd.Series) -> float | None:
    """Distance in the metric CRS of their zone, None when the zones differ or a point is missing."""
    if zone(hub["insee_dep"]) != zone(place["insee_dep"]) or pd.isna(hub["longitude"]):
        return None
    crs = zone(hub["insee_dep"])
    a = shapely.Point(FROM_WGS84[crs].transform(hub["longitude"], hub["latitude"]))
    b = shapely.Point(FROM_WGS84[crs].transform(place["longitude"], place["latitude"]))
    return a.distance(b)


def expected_pairs(hubs: pd.DataFrame, census: pd.DataFrame, limit: float) -> dict[tuple[int, str], float]:
    pairs = {}
    for _, hub in hubs.iterrows():
        for _, place in census.iterrows():
            d = metres(hub, place)
            if d is not None and d <= limit:
                pairs[(hub["fabrique_id"], place["tl_id"])] = d
    return pairs


@pytest.mark.parametrize("limit", [2_000, X_M, 25_000, 70_000])
def test_links_are_the_pairs_of_a_zone_within_x_km(limit):
    hubs, census = hubs_frame(), census_frame()
    links = compute_hub_links(hubs, census, limit)
    expected = expected_pairs(hubs, census, limit)
    got = {(r.fabrique_id, r.tl_id): r.distance_m for r in links.itertuples()}
    assert set(got) == set(expected)
    for key, distance in expected.items():
        assert got[key] == pytest.approx(distance, abs=0.01)
    assert list(links.columns) == ["fabrique_id", "tl_id", "distance_m"]


def test_a_fabrique_reaches_two_places_and_not_the_one_beyond():
    hubs, census = hubs_frame(), census_frame()
    links = compute_hub_links(hubs, census, X_M, project_census(census))
    reach = compute_reach(hubs, census, links).set_index("fabrique_id")
    expected = expected_pairs(hubs, census, X_M)
    for fid in hubs["fabrique_id"]:
        assert reach.loc[fid, "tiers_lieux_a_portee"] == sum(1 for f, _ in expected if f == fid)
    assert reach.loc[1, "tiers_lieux_a_portee"] == 2  # the hand-made world: t1 and t2, not t3 at 20 km
    assert (reach.loc[1, "coworking"], reach.loc[1, "fablab"], reach.loc[1, "typologie_non_renseignee"]) == (1, 1, 0)
    assert reach.loc[1, "plus_proche_m"] == pytest.approx(5_000, abs=1)
    assert reach.loc[2, "tiers_lieux_a_portee"] == 1  # Guadeloupe: only its own place
    assert set(reach.index[reach["tiers_lieux_a_portee"] == 0]) == {3, 4}  # no point; far from all
    assert np.isnan(reach.loc[3, "plus_proche_m"])
    assert reach["tiers_lieux_a_portee"].tolist() == sorted(reach["tiers_lieux_a_portee"], reverse=True)


def test_places_without_a_fabrique_their_distance_and_share_by_territory():
    hubs, census = hubs_frame(), census_frame()
    links = compute_hub_links(hubs, census, X_M)
    census = census.assign(distance_fabrique_m=compute_nearest_hub(hubs, census))
    without = compute_places_without_hub(census, links)
    linked = {t for _, t in expected_pairs(hubs, census, X_M)}
    assert set(without["tl_id"]) == set(census["tl_id"]) - linked == {"t3", "t4"}
    nearest = {
        p["tl_id"]: min(d for _, h in hubs.iterrows() if (d := metres(h, p)) is not None) for _, p in census.iterrows()
    }
    for row in without.itertuples():
        assert row.distance_fabrique_m == pytest.approx(nearest[row.tl_id], abs=1)
    assert without["tl_id"].tolist() == ["t3", "t4"]  # nearest first
    by_dep = compute_without_hub_by(census, without, "insee_dep").set_index("insee_dep")
    for dep, group in census.groupby("insee_dep"):
        far = sum(1 for t in group["tl_id"] if t not in linked)
        assert (by_dep.loc[dep, "tiers_lieux"], by_dep.loc[dep, "sans_fabrique"]) == (len(group), far)
        assert by_dep.loc[dep, "a_portee"] == len(group) - far
        assert by_dep.loc[dep, "part_sans_fabrique"] == pytest.approx(far / len(group))
    assert by_dep.loc["01", "nom_dep"] == "dep 01"
    by_density = compute_without_hub_by(census, without, "densite_libelle")
    # In the grid's order (levels 4, 5, 6), not alphabetical.
    assert by_density["densite_libelle"].tolist() == ["Petites villes", "Bourgs ruraux", "Rural à habitat dispersé"]
    assert by_density.set_index("densite_libelle").loc["Rural à habitat dispersé", "part_sans_fabrique"] == 1.0


def test_typology_table_adds_up_to_the_census():
    hubs, census = hubs_frame(), census_frame()
    table = compute_reach_by_typology(census, compute_hub_links(hubs, census, X_M)).set_index("typologie")
    linked = {t for _, t in expected_pairs(hubs, census, X_M)}
    for typology, group in census.groupby("typologie"):
        reached = sum(1 for t in group["tl_id"] if t in linked)
        assert (table.loc[typology, "tiers_lieux"], table.loc[typology, "a_portee"]) == (len(group), reached)
    assert table.loc["Total", "tiers_lieux"] == len(census)
    assert table.loc["Total", "sans_fabrique"] == len(census) - len(linked)
    assert table.loc["Total", "part_a_portee"] == pytest.approx(len(linked) / len(census))


def test_the_metric_crs_decides_at_the_boundary():
    """14 999 m and 15 001 m in Lambert-93: within and beyond, although both are more than 15 km on the
    ellipsoid (Lambert-93 shortens distances by about 0.1 % here)."""
    x, y = HUB_L93
    hubs = hubs_frame().iloc[[0]]
    points = [lonlat(L93, x + 14_999, y), lonlat(L93, x + 15_001, y)]
    census = pd.DataFrame(
        {
            "tl_id": ["in", "out"],
            "insee_dep": ["69", "69"],
            "longitude": [p[0] for p in points],
            "latitude": [p[1] for p in points],
        }
    )
    assert compute_hub_links(hubs, census, X_M)["tl_id"].tolist() == ["in"]
    geod = Geod(ellps="GRS80")
    hub_lon, hub_lat = hubs[["longitude", "latitude"]].iloc[0]
    assert geod.inv(hub_lon, hub_lat, *points[0])[2] > X_M  # a geodesic rule would leave it out


def test_only_the_links_to_the_places_in_scope_are_counted():
    hubs, census = hubs_frame(), census_frame()
    links = compute_hub_links(hubs, census, X_M)
    in_scope = census[census["insee_dep"] == "971"]
    kept = restrict_links(links, in_scope)
    assert set(kept["tl_id"]) == {"t5"}
    reach = compute_reach(hubs, in_scope, links).set_index("fabrique_id")
    assert reach.loc[1, "tiers_lieux_a_portee"] == 0 and reach.loc[2, "tiers_lieux_a_portee"] == 1


def test_no_fabrique_gives_empty_frames_of_the_same_schema():
    census = census_frame()
    links = compute_hub_links(hubs_frame().iloc[[2]], census, X_M)  # only the Fabrique without a point
    assert links.empty and list(links.columns) == ["fabrique_id", "tl_id", "distance_m"]
    assert len(compute_places_without_hub(census, links)) == len(census)
    empty = compute_hub_links(hubs_frame().iloc[:0], census, X_M)
    assert empty.empty and list(empty.columns) == ["fabrique_id", "tl_id", "distance_m"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda h, c: (h.drop(columns="insee_dep"), c), "insee_dep"),
        (lambda h, c: (h, c.drop(columns="tl_id")), "tl_id"),
    ],
)
def test_a_missing_column_is_named(change, message):
    hubs, census = change(hubs_frame(), census_frame())
    with pytest.raises(NetworkInputError, match=message):
        compute_hub_links(hubs, census, X_M)


def test_bad_distance_and_misaligned_projection_are_refused():
    hubs, census = hubs_frame(), census_frame()
    for bad in (-1, float("nan"), "15"):
        with pytest.raises(NetworkInputError, match="distance"):
            compute_hub_links(hubs, census, bad)
    with pytest.raises(NetworkInputError, match="project the same frame"):
        compute_hub_links(hubs, census, X_M, project_census(census.iloc[:2]))


def test_inputs_are_not_modified():
    hubs, census = hubs_frame(), census_frame()
    before = (hubs.copy(), census.copy())
    links = compute_hub_links(hubs, census, X_M)
    compute_reach(hubs, census, links)
    compute_places_without_hub(census, links)
    compute_without_hub_by(census, compute_places_without_hub(census, links), "insee_dep")
    pd.testing.assert_frame_equal(hubs, before[0])
    pd.testing.assert_frame_equal(census, before[1])


@pytest.mark.parametrize(
    ("departements", "national", "links", "drawn"),
    [(1, False, 5_000, True), (2, False, 400, True), (2, False, 401, False), (101, True, 10, False)],
)
def test_links_are_drawn_for_one_departement_or_a_small_scope(departements, national, links, drawn):
    assert links_drawable(departements, national, links) is drawn


def test_map_draws_links_with_escaped_names_and_both_census_layers():
    hubs, census = hubs_frame(), census_frame()
    links = compute_hub_links(hubs, census, X_M)
    lines = compute_link_lines(links, hubs, census)
    assert len(lines["features"]) == len(links)
    first = lines["features"][0]
    assert first["geometry"]["type"] == "LineString"
    assert first["properties"]["tooltip"] == "H1 &lt;b&gt;Lyon&lt;/b&gt; → Cowork 5 km : 5,0 km"
    census = census.assign(distance_fabrique_m=compute_nearest_hub(hubs, census))
    without = compute_places_without_hub(census, links)
    reached = census[census["tl_id"].isin(links["tl_id"])]
    html = make_network_map(hubs, reached, without, 15, lines, tiles=None).get_root().render()
    assert "fabt-line" in html and "fabt-tl-reached" in html and "fabt-tl-without" in html
    assert "<b>Lyon</b>" not in html  # every name is text
    assert "Fabrique la plus proche à 20,0 km" in html
    no_lines = make_network_map(hubs, reached, without, 15, None, tiles=None).get_root().render()
    assert "fabt-line" not in no_lines
