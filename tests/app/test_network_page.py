"""« Réseau des tiers-lieux » on the fixture world with a richer 2019 census (AppTest).

The world is the shared fixture world (``tests.fixture_world``) whose census file gets six more rows
here, built apart so that the other tests keep their two-row census. Expected figures are counted in
the test from the raw rows (points and départements) with pyproj and shapely, never with the app.
"""

from __future__ import annotations

import json

import pytest
import shapely
import sqlalchemy as sa
from pyproj import Transformer

from core.domain.formatting import format_number
from etl.build import run_build
from tests.app.conftest import metric, open_page, summaries, table_with
from tests.fixture_world import files, write_world

CENSUS_FILE = "anct-mission-coworking/CGET_TiersLieux_2019.csv"
COWORKING, FABLAB = "Tiers lieux à dominante coworking", "Tiers lieux à dominante fablab"
# Rows added to the census: id → (name, INSEE code, commune, typology, latitude, longitude).
ADDED = {
    "3": ("ATELIER A ET B (L')", "01001", "Alpha", COWORKING, 46.04, 5.06),  # Fabrique 1 « Atelier A & B »
    "4": ("Lieu C Nord", "01001", "Alpha", FABLAB, 46.03, 5.03),  # Fabrique 301 « Lieu C »: to check
    "5": ("Lieu C Sud", "01001", "Alpha", COWORKING, 46.02, 5.04),
    "6": ("Cowork du Port", "29001", "Brest-Test", COWORKING, 48.40, -4.48),  # near Brest
    "7": ("Fablab Lannion", "22001", "Lannion-Test", FABLAB, 48.75, -3.40),  # no Fabrique near
    "8": ("La Fabrique de Quimper", "29002", "Quimper-Test", COWORKING, 48.04, -4.06),  # generic words only
}
# Every census point with its département: the two rows of the shared world, then the added ones.
POINTS = {"1": (5.01, 46.01, "01"), "2": (5.12, 46.12, "01")} | {
    tl: (lon, lat, code[:2]) for tl, (_, code, _, _, lat, lon) in ADDED.items()
}
# The designed outcome of the census match, by Fabrique (fabt-364 and fabt-2: no census place in their commune).
STATUS = {1: "trouvée", 301: "à vérifier", 302: "à vérifier", 3: "non trouvée", 81: "non trouvée"}
STATUS |= {2: "non trouvée", 364: "non trouvée"}


TRANSFORMERS = {crs: Transformer.from_crs("EPSG:4326", crs, always_xy=True) for crs in ("EPSG:2154", "EPSG:5490")}


def census_csv() -> bytes:
    text = files()[CENSUS_FILE][1].decode("utf-8")
    for tl, (name, code, commune, typology, lat, lon) in ADDED.items():
        text += (
            f'{tl},"{name}",{tl} rue X,00000,{commune},{code},{commune},,,,{typology},{lat},{lon},x,0.9,'
            f"Personne {tl},personne{tl}@example.org,0\n"
        )
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def network_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("network_world")
    catalogue = write_world(root / "raw", {"=" + CENSUS_FILE: census_csv()})
    run_build(root / "raw", root / "marts", None, root / "cache", download=False, catalogue=catalogue, progress=False)
    return root / "marts"


@pytest.fixture
def network_marts(network_build, monkeypatch):
    monkeypatch.setenv("FABT_MARTS_DIR", str(network_build))
    return network_build


def fabrique_points() -> dict[int, tuple[float, float, str] | None]:
    """Each Fabrique's point and département from the open list's features."""
    features = json.loads(files()["anct-superposeur-anct/fabt_geom.geojson"][1])["features"]
    points = {}
    for feature in features:
        geometry, code = feature["geometry"], feature["properties"]["id_geo"]
        for fid in feature["properties"]["id_territoire"].split("; "):
            points[int(fid.removeprefix("fabt-"))] = (
                (*geometry["coordinates"], code[:3] if code.startswith("97") else code[:2])
                if geometry["type"] == "Point"
                else None
            )
    return points


def metres(a: tuple[float, float, str], b: tuple[float, float, str]) -> float | None:
    """Distance in the metric CRS of the zone (Guadeloupe: UTM 20N), None across zones."""
    zone_a, zone_b = ("EPSG:5490" if p[2] == "971" else "EPSG:2154" for p in (a, b))
    if zone_a != zone_b:
        return None
    to = TRANSFORMERS[zone_a]
    return shapely.Point(to.transform(a[0], a[1])).distance(shapely.Point(to.transform(b[0], b[1])))


def expected(distance_km: float, hubs: set[int] | None = None, deps: set[str] | None = None) -> dict:
    """Counts of the network, from the raw points: pairs within reach, places of the scope without any."""
    fabriques = {f: p for f, p in fabrique_points().items() if hubs is None or f in hubs}
    places = {t: p for t, p in POINTS.items() if deps is None or p[2] in deps}
    near = {
        (f, t)
        for f, fp in fabriques.items()
        for t, tp in places.items()
        if fp is not None and (d := metres(fp, tp)) is not None and d <= distance_km * 1000
    }
    reached = {f for f, _ in near}
    without = {t for t in places if not any(t == tt for _, tt in near)}
    return {"hubs": len(fabriques), "linked": len(reached), "census": len(places), "without": without, "links": near}


def match_table(at):
    """The whole match table (the last table with an ``origine`` column; the first one lists those to check)."""
    return [f.value for f in at.dataframe if "origine" in f.value.columns][-1]


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + "\u00a0%"


def assert_figures_equal_the_raw_count(at, distance_km: float, truth: dict) -> None:
    assert metric(at, "Fabriques reliées") == str(truth["linked"])
    assert metric(at, "Fabriques sans tiers-lieu autour") == str(truth["hubs"] - truth["linked"])
    assert metric(at, "Tiers-lieux recensés du périmètre") == str(truth["census"])
    far = len(truth["without"])
    assert metric(at, "Tiers-lieux sans Fabrique") == f"{far} ({share(far, truth['census'])})"
    reach = table_with(at, "tiers_lieux_a_portee").set_index("fabrique_id")
    for fid in reach.index:
        assert reach.loc[fid, "tiers_lieux_a_portee"] == sum(1 for f, _ in truth["links"] if f == fid), fid
    assert set(table_with(at, "distance_fabrique_m")["tl_id"]) == truth["without"]
    assert f"{format_number(len(truth['links']))} liens en tout" in summaries(at)[0]


def test_key_figures_follow_the_distance_and_equal_a_count_from_the_raw_points(network_marts):
    at = open_page("reseau_tiers_lieux")
    assert not at.exception, at.exception
    assert at.slider(key="reseau_distance").value == 15
    assert_figures_equal_the_raw_count(at, 15, expected(15))
    assert set(table_with(at, "tiers_lieux_a_portee")["fabrique_id"]) == set(fabrique_points())
    assert any("tracés à l'échelle d'un département" in i.value for i in at.info)  # France: no lines
    at.slider(key="reseau_distance").set_value(5).run()
    assert not at.exception, at.exception
    assert at.query_params["distance"] == "5"
    assert_figures_equal_the_raw_count(at, 5, expected(5))


def test_the_hand_made_world_has_what_the_issue_asks_for():
    """Around Fabrique 1 the Ain places; Lannion's place has no Fabrique at all; at 5 km, Cowork Alpha
    (5.4 km from Fabrique 1) and Cowork du Port (6 km from Brest) lose theirs."""
    truth = expected(15)
    assert {t for f, t in truth["links"] if f == 1} == {"1", "2", "3", "4", "5"}
    assert "6" not in {t for f, t in truth["links"] if f == 1}  # Brest is hundreds of km away
    assert truth["without"] == {"7"}
    assert expected(5)["without"] == {"1", "6", "7"}


def test_scope_counts_the_census_of_the_territory_and_hubs_of_the_selection(network_marts):
    at = open_page("reseau_tiers_lieux", {"reg": "53"})
    assert not at.exception, at.exception
    truth = expected(15, hubs={3, 302}, deps={"29", "22"})
    assert_figures_equal_the_raw_count(at, 15, truth)
    assert truth["census"] == 3 and truth["without"] == {"7"}  # Côtes-d'Armor has no Fabrique
    without = table_with(at, "distance_fabrique_m").set_index("tl_id")
    nearest = min(metres(fabrique_points()[f], POINTS["7"]) for f in (3, 302))
    assert without.loc["7", "distance_fabrique_m"] == pytest.approx(nearest, abs=1)
    by_dep = table_with(at, "nom_dep").set_index("insee_dep")
    assert by_dep.loc["22", "sans_fabrique"] == 1 and by_dep.loc["29", "sans_fabrique"] == 0
    assert not any("tracés à l'échelle d'un département" in i.value for i in at.info)  # a small scope: drawn
    at.sidebar.multiselect(key="f_regions").set_value([]).run()
    at.sidebar.multiselect(key="f_departements").set_value(["971"]).run()
    assert not at.exception, at.exception
    assert metric(at, "Tiers-lieux recensés du périmètre") == "0"
    assert metric(at, "Fabriques sans tiers-lieu autour") == "1"


def test_census_match_statuses_and_report_by_cohort_without_personal_data(network_marts):
    at = open_page("reseau_tiers_lieux")
    assert not at.exception, at.exception
    table = match_table(at).set_index("fabrique_id")
    assert table["statut"].to_dict() == STATUS
    assert table.loc[1, "nom_recense"] == "ATELIER A ET B (L')" and table.loc[1, "score"] == 100
    counts = {s: sum(1 for v in STATUS.values() if v == s) for s in ("trouvée", "à vérifier", "non trouvée")}
    assert metric(at, "Trouvées dans le recensement 2019") == str(counts["trouvée"])
    assert metric(at, "À vérifier") == str(counts["à vérifier"])
    assert metric(at, "Non trouvées") == str(counts["non trouvée"])
    report = table_with(at, "part_trouvees").set_index("cohorte")
    for cohort, ids in (("2020-2021", [f for f in STATUS if f <= 300]), ("2023", [f for f in STATUS if f > 300])):
        assert report.loc[cohort, "trouvees"] == sum(1 for f in ids if STATUS[f] == "trouvée")
        assert report.loc[cohort, "a_verifier"] == sum(1 for f in ids if STATUS[f] == "à vérifier")
    review = table_with(at, "origine")
    assert set(review["fabrique_id"]) == {f for f, s in STATUS.items() if s == "à vérifier"}
    text = " ".join(frame.value.to_csv() for frame in at.dataframe) + " ".join(m.value for m in at.markdown)
    assert "example.org" not in text and "Personne" not in text  # the census's CONTACT and MAIL


def test_an_uploaded_corrected_table_is_taken_for_the_session(network_marts):
    at = open_page("reseau_tiers_lieux")
    uploader = at.file_uploader(key="reseau_corrections_fichier")
    uploader.upload("x.csv", b"nom;commune\nA;B\n", "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert any("fabrique_id, statut, tl_id" in e.value for e in at.error)  # not a match table
    assert metric(at, "Trouvées dans le recensement 2019") == "1"
    body = "fabrique_id;statut;tl_id\n3;trouvée;6\n301;trouvée;4\n302;peut-être;\n999;trouvée;1\n"
    at.file_uploader(key="reseau_corrections_fichier").upload("corrigee.csv", body.encode(), "text/csv")
    at.run()
    assert not at.exception, at.exception
    assert (metric(at, "Lignes lues"), metric(at, "Prises"), metric(at, "Rejetées")) == ("4", "2", "2")
    assert any("remplace le rapprochement automatique pour 2 Fabriques" in s.value for s in at.success)
    assert metric(at, "Trouvées dans le recensement 2019") == "3"  # 1, and now 3 and 301
    table = match_table(at).set_index("fabrique_id")
    assert table.loc[3, "nom_recense"] == "Cowork du Port" and table.loc[3, "origine"] == "table corrigée"
    assert table.loc[302, "statut"] == "à vérifier"  # its row was rejected: the automatic match stays
    rejected = table_with(at, "ligne").set_index("ligne")
    assert "non reconnu" in rejected.loc[4, "motif"] and "inconnu" in rejected.loc[5, "motif"]
    at.switch_page("pages/vue_ensemble.py").run()
    at.switch_page("pages/reseau_tiers_lieux.py").run()
    assert not at.exception, at.exception
    assert metric(at, "Trouvées dans le recensement 2019") == "3"  # kept for the session
    assert any("Table corrigée en vigueur" in i.value for i in at.info)
    at.button(key="reseau_corrections_oublier").click().run()
    assert metric(at, "Trouvées dans le recensement 2019") == "1"


def test_a_saved_corrected_table_reopens_by_its_link_in_a_new_session(network_marts, monkeypatch, tmp_path):
    from tests.app.test_workspace import save, saved_link, store
    from ui.workspace import LOCAL_USER

    monkeypatch.setenv("FABT_DATABASE_URL", f"sqlite:///{tmp_path / 'espace.sqlite'}")
    at = open_page("reseau_tiers_lieux")
    body = "fabrique_id;statut;tl_id;contact\n3;trouvée;6;jeanne@example.org\n301;trouvée;4;\n999;trouvée;1;\n"
    at.file_uploader(key="reseau_corrections_fichier").upload("corrigee.csv", body.encode(), "text/csv")
    at.run()
    assert metric(at, "Trouvées dans le recensement 2019") == "3"  # 1 automatic, and now 3 and 301
    save(at, "reseau_enregistrer", "Rapprochement revu")
    item_id = saved_link(at, "reseau_enregistrer")
    saved = store().open(LOCAL_USER, item_id)
    assert saved.kind == "network" and saved.payload["rows_taken"] == 2 and saved.payload["places"] == "Fabriques"
    kept = store().blob(saved.payload["source"]["blob"]).decode()
    assert "example.org" not in kept and "contact" not in kept  # personal data never stored

    again = open_page(None, {"espace": item_id})  # another browser: a new session
    assert not again.exception, again.exception
    assert again.title[0].value == "Réseau des tiers-lieux"
    assert any("rouvert depuis l'espace de travail" in i.value and "2 lignes prises" in i.value for i in again.info)
    assert metric(again, "Trouvées dans le recensement 2019") == "3"
    table = match_table(again).set_index("fabrique_id")
    assert table.loc[301, "origine"] == "table corrigée"
    again.switch_page("pages/vue_ensemble.py").run()
    again.switch_page("pages/reseau_tiers_lieux.py").run()
    assert metric(again, "Trouvées dans le recensement 2019") == "3"  # kept for the session

    with store().engine.begin() as conn:  # its file lost from the database: said, nothing breaks
        conn.execute(sa.text("DELETE FROM blobs WHERE sha256 = :s"), {"s": saved.payload["source"]["blob"]})
    lost = open_page(None, {"espace": item_id})
    assert not lost.exception, lost.exception
    assert any("impossible à ouvrir" in e.value and "absent" in e.value for e in lost.error)


def test_a_reader_cannot_upload_a_corrected_table(network_marts, tmp_path, monkeypatch):
    from tests.app.test_sign_in_roles import AUTH, ROLES

    roles = tmp_path / "roles.toml"
    roles.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv("FABT_ROLES_FILE", str(roles))
    reader = {"is_logged_in": True, "email": "agent@agriculture.gouv.fr"}  # a lecteur by its domain
    at = open_page("reseau_tiers_lieux", secrets={"auth": AUTH}, user=reader)
    assert not at.exception, at.exception
    assert not [u for u in at.get("file_uploader") if u.key == "reseau_corrections_fichier"]
    assert any("pas de déposer une table corrigée" in i.value for i in at.info)
    contributor = {"is_logged_in": True, "email": "a@anct.gouv.fr"}
    at = open_page("reseau_tiers_lieux", secrets={"auth": AUTH}, user=contributor)
    assert [u for u in at.get("file_uploader") if u.key == "reseau_corrections_fichier"]
