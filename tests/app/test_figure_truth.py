"""The figure-truth matrix: each page's key figures, under several filters and at every level a page
offers, equal a count written here from the fixture world's raw tables (``tests.fixture_world``:
the COG rows, the EPCI membership, the density grid, the Fabriques' features, the QPV perimeters).

Nothing here calls the code under test to get an expected value: territories are counted from the
COG rows, distances are measured with pyproj and shapely from the raw points and perimeters. The
world holds the two traps of the scope rule: a région (Bretagne) whose EPCI mostly have no place,
one of them straddling Normandie, and a département without any place (Côtes-d'Armor) whose QPV
is far from every place.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from tests.app.conftest import metric, open_page, summaries
from tests.fixture_world import DENSITY, EPCI_MEMBERS, FABRIQUES, SQUARES, commune_rows, files

# ---------------------------------------------------------------- the world, read from its raw tables
ROWS = commune_rows()
COMMUNES = {r["code"]: r for r in ROWS if r["type"] == "commune-actuelle" and r["zone"] != "com"}
COM = {r["code"]: r for r in ROWS if r["zone"] == "com"}  # Saint-Martin: a place, no commune in the marts
CURRENT = {old: r["code"] for r in ROWS for old in r.get("anciensCodes", [])}
EPCI_OF = {c: siren for siren, (_, _, members) in EPCI_MEMBERS.items() for c in members}
RURAL = {"Bourgs ruraux", "Rural à habitat dispersé", "Rural à habitat très dispersé"}
FEATURES = json.loads(files()["anct-superposeur-anct/fabt_geom.geojson"][1])["features"]
QPV_FEATURES = json.loads(files()["mafrance/qpv2024_simplified.geojson"][1])["features"]
QPV_POPULATION = {
    line.split(",")[2]: float(line.split(",")[4])
    for line in files()["mafrance/analyse_qpv.csv"][1].decode().splitlines()[1:]
}
ZONES = {"971": "EPSG:5490"}  # other départements of the world: Lambert-93


def zone(dep: str) -> str:
    return ZONES.get(dep, "EPSG:2154")


def project(geometry, dep: str):
    transformer = Transformer.from_crs("EPSG:4326", zone(dep), always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def place_points() -> dict[int, tuple[float, float] | None]:
    """Each Fabrique's point as the open list gives it (ids joined by "; " share their point)."""
    points = {}
    for feature in FEATURES:
        geometry = feature["geometry"]
        point = tuple(geometry["coordinates"]) if geometry["type"] == "Point" else None
        for fid in feature["properties"]["id_territoire"].split("; "):
            points[int(fid.removeprefix("fabt-"))] = point
    return points


POINTS = place_points()


def commune_of(fid: int) -> str:
    code = FABRIQUES[fid][0]
    return CURRENT.get(code, code)


def attributes(code: str) -> dict:
    row = COMMUNES.get(code) or COM[code]
    return {"dep": row["departement"], "reg": row["region"], "density": DENSITY.get(code), "pop": row["population"]}


def centroid(code: str) -> shapely.Point:
    squares = [code, *[old for old, new in CURRENT.items() if new == code]]
    polygons = [shapely.box(x, y, x + s, y + s) for x, y, s in (SQUARES[c] for c in squares if c in SQUARES)]
    return shapely.union_all(polygons).centroid


def qpv_perimeter(feature) -> shapely.Geometry | None:
    """The perimeter made valid, its polygons only; None when nothing with an area is left."""
    geometry = shapely.make_valid(shapely.geometry.shape(feature["geometry"]))
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon") and p.area > 0]
    return shapely.union_all(parts) if parts else None


# ---------------------------------------------------------------- the filters of the matrix
@dataclass(frozen=True)
class Case:
    name: str
    params: dict = field(default_factory=dict)

    @property
    def regions(self) -> set[str]:
        return set(filter(None, self.params.get("reg", "").split(",")))

    @property
    def departements(self) -> set[str]:
        return set(filter(None, self.params.get("dep", "").split(",")))

    def territory(self) -> set[str] | None:
        """The départements of the territory, counted from the COG rows; None for all of France."""
        if self.departements:
            return self.departements
        if self.regions:
            return {r["departement"] for r in COMMUNES.values() if r["region"] in self.regions}
        return None

    def communes(self) -> set[str]:
        deps = self.territory()
        return {c for c, r in COMMUNES.items() if deps is None or r["departement"] in deps}

    def places(self) -> list[int]:
        cohorts = set(self.params.get("cohorte", "2020-2021,2023").split(","))
        classes = set(filter(None, self.params.get("densite", "").split(",")))
        kept = []
        for fid in FABRIQUES:
            a = attributes(commune_of(fid))
            if ("2020-2021" if fid <= 300 else "2023") not in cohorts:
                continue
            if self.regions and a["reg"] not in self.regions:
                continue
            if self.departements and a["dep"] not in self.departements:
                continue
            if classes and a["density"] not in classes:
                continue
            kept.append(fid)
        return kept


CASES = [
    Case("aucun filtre"),
    Case("région Bretagne", {"reg": "53"}),
    Case("département Finistère", {"dep": "29"}),
    Case("cohorte 2023", {"cohorte": "2023"}),
    Case("classe Petites villes", {"densite": "Petites villes"}),
    Case("Bretagne et cohorte 2023", {"reg": "53", "cohorte": "2023"}),
    Case("Ain, 2020-2021, Petites villes", {"dep": "01", "cohorte": "2020-2021", "densite": "Petites villes"}),
]
IDS = [c.name for c in CASES]


def number(text: str) -> float:
    return float(text.replace("\u202f", "").replace("\u00a0", "").replace(",", "."))


# ---------------------------------------------------------------- independent counts
def territories_in_scope(case: Case, level: str) -> tuple[set[str], set[str]]:
    """Territories with at least one commune of the territory, and those wholly inside."""
    key = {"regions": "region", "departements": "departement", "arrondissements": "arrondissement"}.get(level)
    inside = case.communes()

    def code_of(c: str) -> str | None:
        return EPCI_OF.get(c) if level == "epci" else c if level == "communes" else COMMUNES[c][key]

    touched = {code_of(c) for c in inside} - {None}
    outside = {code_of(c) for c in COMMUNES if c not in inside}
    return touched, touched - outside


def places_by(case: Case, level: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for fid in case.places():
        code = commune_of(fid)
        if code not in COMMUNES:
            continue
        key = {"regions": "region", "departements": "departement"}.get(level)
        territory = EPCI_OF.get(code) if level == "epci" else COMMUNES[code][key] if key else code
        counts[territory] = counts.get(territory, 0) + 1
    return counts


def nearest_place_m(geometry, dep: str, fids: list[int]) -> float | None:
    """Distance from a geometry to the nearest of the places (same metric zone), in metres."""
    distances = [
        project(geometry, dep).distance(project(shapely.Point(POINTS[f]), dep))
        for f in fids
        if POINTS[f] is not None and zone(attributes(commune_of(f))["dep"]) == zone(dep)
    ]
    return min(distances) if distances else None


# ---------------------------------------------------------------- the matrix
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_overview_key_figures(marts, case):
    at = open_page(None, case.params)
    places = case.places()
    if not places:
        assert any("Aucune Fabrique ne correspond" in i.value for i in at.info)
        return
    communes = {commune_of(f) for f in places}
    assert number(metric(at, "Fabriques")) == len(places)
    assert number(metric(at, "Communes d'implantation")) == len(communes)
    assert number(metric(at, "Départements couverts")) == len({attributes(c)["dep"] for c in communes})
    population = sum(attributes(c)["pop"] for c in communes)
    assert number(metric(at, "Population des communes d'implantation")) == population


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("level", ["regions", "departements", "epci", "communes"])
def test_map_colours_every_territory_of_the_scope(marts, case, level):
    if level == "communes" and case.territory() is None:
        pytest.skip("the national map offers no commune level")
    at = open_page("carte", {**case.params, "echelle": level})
    places = case.places()
    if not places:
        return
    located = sum(POINTS[f] is not None for f in places)
    touched, _ = territories_in_scope(case, level)
    text = summaries(at)[0]
    assert f"{located} Fabriques placées sur la carte (sur {len(places)} de la sélection)" in text
    # every territory of the scope has a population, hence a rate: all are coloured
    assert re.search(rf"{len(touched)} territoires colorés .* \(sur {len(touched)} ", text), text


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("distance_km", [2.0, 10.0])
def test_qpv_without_a_place_nearby(marts, case, distance_km):
    at = open_page("quartiers_prioritaires", {**case.params, "distance": f"{distance_km:g}"})
    places = case.places()
    if not places:
        return
    deps = case.territory()
    in_scope = [f for f in QPV_FEATURES if deps is None or f["properties"]["insee_dep"] in deps]
    far = []
    for feature in in_scope:
        perimeter = qpv_perimeter(feature)
        distance = None if perimeter is None else nearest_place_m(perimeter, feature["properties"]["insee_dep"], places)
        if distance is None or distance > distance_km * 1000:
            far.append(feature["properties"]["code_qp"])
    shown = f"{distance_km:g}".replace(".", ",")
    shown = shown if "," in shown else shown + ",0"
    expected = (
        f"{len(far)} QPV sur {len(in_scope)} du périmètre n'ont aucune Fabrique de la sélection à moins de {shown} km"
    )
    assert expected in summaries(at)[1]
    population = sum(QPV_POPULATION.get(code, 0) for code in far)
    assert f"ils comptent {int(population):,} habitants".replace(",", "\u202f") in summaries(at)[1]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("level", ["regions", "departements", "epci"])
def test_coverage_counts_territories_without_a_place(marts, case, level):
    at = open_page("couverture_equite", {**case.params, "echelle": level})
    places = case.places()
    if not places:
        return
    touched, wholly = territories_in_scope(case, level)
    counts = places_by(case, level)
    without = {t for t in touched if not counts.get(t)}
    label = {"regions": "régions", "departements": "départements", "epci": "EPCI"}[level]
    text = summaries(at)[0]
    assert f"{len(without)} {label} sur {len(touched)} sans aucune Fabrique de la sélection" in text
    if wholly != touched:
        assert f"({len(without & wholly)} sur {len(wholly)} entièrement dans le périmètre)" in text
    else:
        assert "entièrement" not in text


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_coverage_counts_arrondissements_without_a_place(marts, case):
    at = open_page("couverture_equite", case.params)
    if not case.places():
        return
    touched, _ = territories_in_scope(case, "arrondissements")
    # the 2023 call's rule counts every Fabrique, whatever the other filters
    cohorts = {a: set() for a in touched}
    for fid in FABRIQUES:
        code = commune_of(fid)
        if code in COMMUNES and COMMUNES[code]["arrondissement"] in cohorts:
            cohorts[COMMUNES[code]["arrondissement"]].add("2020-2021" if fid <= 300 else "2023")
    before = [a for a, c in cohorts.items() if "2020-2021" not in c]
    assert number(metric(at, "Sans Fabrique 2020-2021")) == len(before)
    assert number(metric(at, "Dont dotés d'une Fabrique en 2023")) == sum("2023" in cohorts[a] for a in before)
    assert number(metric(at, "Encore sans Fabrique")) == sum(not cohorts[a] for a in before)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_rural_shares_and_rural_population_far_from_a_place(marts, case):
    at = open_page("territoires_ruraux", {**case.params, "distance": "20"})
    places = case.places()
    if not places:
        return
    communes = case.communes()
    rural_places = sum(attributes(commune_of(f))["density"] in RURAL for f in places)
    population = sum(COMMUNES[c]["population"] for c in communes)
    rural = [c for c in communes if DENSITY.get(c) in RURAL]
    share_places = f"{100 * rural_places / len(places):.1f}".replace(".", ",")
    share_population = f"{100 * sum(COMMUNES[c]['population'] for c in rural) / population:.1f}".replace(".", ",")
    text = summaries(at)[0]
    assert text.startswith(f"**En bref :** {share_places}\u00a0% des Fabriques sont en commune rurale")
    assert f"regroupent {share_population}\u00a0% de la population du périmètre" in text
    far = [
        c
        for c in rural
        if (d := nearest_place_m(centroid(c), COMMUNES[c]["departement"], places)) is None or d > 20_000
    ]
    far_population = sum(COMMUNES[c]["population"] for c in far)
    beyond = next(s for s in summaries(at) if "habitants de communes rurales" in s)
    assert beyond.startswith(f"**En bref :** {far_population:,} habitants".replace(",", "\u202f"))
    assert f"{len(far)} communes) vivent à plus de 20 km" in beyond


SHEETS = [
    ("regions", "53"),
    ("departements", "22"),
    ("departements", "29"),
    ("epci", "200000222"),
    ("communes", "29002"),
]


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.name in ("aucun filtre", "cohorte 2023", "classe Petites villes")],
    ids=lambda c: c.name,
)
@pytest.mark.parametrize(("level", "code"), SHEETS)
def test_territory_sheet_figures(marts, case, level, code):
    at = open_page("fiche_territoire", {**case.params, "territoire": f"{level}:{code}"})
    assert not at.exception
    key = {"regions": "region", "departements": "departement"}.get(level)
    members = [
        c
        for c in COMMUNES
        if (
            EPCI_OF.get(c) == code
            if level == "epci"
            else c == code
            if level == "communes"
            else COMMUNES[c][key] == code
        )
    ]
    assert number(metric(at, "Population")) == sum(COMMUNES[c]["population"] for c in members)
    inside = [f for f in case.places() if commune_of(f) in members]
    assert number(metric(at, "Fabriques (sélection)")) == len(inside)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_presentation_first_sentence_counts_the_selection(marts, case):
    at = open_page("presentation", case.params)
    places = case.places()
    if not places:
        assert any("Aucune Fabrique ne correspond" in i.value for i in at.info)
        return
    assert at.markdown[0].value.startswith(f"- {len(places)} Fabriques")
