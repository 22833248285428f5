"""« Prochaine vague » on the fixture world: the plan equals a brute force written here from the world's
raw tables (centroids of the squares, Fabriques' points, QPV principal communes, density grid), with
distances measured with pyproj; its empty path, its link parameters and its exports."""

from __future__ import annotations

import itertools

import pytest

from tests.app.conftest import metric, open_page, summaries, table_with
from tests.app.test_figure_truth import (
    COMMUNES,
    DENSITY,
    FABRIQUES,
    POINTS,
    QPV_FEATURES,
    QPV_POPULATION,
    attributes,
    centroid,
    commune_of,
    number,
    project,
    zone,
)

RURAL = {"Bourgs ruraux", "Rural à habitat dispersé", "Rural à habitat très dispersé"}


def principal_qpv_population(code: str) -> float:
    """Population of the QPV whose first listed commune is ``code``."""
    return sum(
        QPV_POPULATION.get(f["properties"]["code_qp"], 0.0)
        for f in QPV_FEATURES
        if f["properties"]["insee_com"].split(",")[0].strip() == code
    )


def has_principal_qpv(code: str) -> bool:
    return any(f["properties"]["insee_com"].split(",")[0].strip() == code for f in QPV_FEATURES)


def distance_m(a: str, b_point, dep_b: str) -> float:
    dep_a = COMMUNES[a]["departement"]
    if zone(dep_a) != zone(dep_b):
        return float("inf")
    return project(centroid(a), dep_a).distance(project(b_point, dep_b))


def expected_plan(n: int, distance_km: float, departements: set[str] | None = None) -> tuple[float, set[str]]:
    """Brute force of the default rules and weights (QPV 1, rural 1, FRR 0), both cohorts counted."""
    import shapely

    inside = [c for c, r in COMMUNES.items() if departements is None or r["departement"] in departements]
    places = [(shapely.Point(POINTS[f]), attributes(commune_of(f))["dep"]) for f in FABRIQUES if POINTS[f] is not None]
    limit = distance_km * 1000
    weight = {
        c: principal_qpv_population(c) + (COMMUNES[c]["population"] if DENSITY.get(c) in RURAL else 0)
        for c in inside
        if all(distance_m(c, point, dep) > limit for point, dep in places)
    }
    occupied = {COMMUNES[commune_of(f)]["arrondissement"] for f in FABRIQUES if commune_of(f) in COMMUNES}
    eligible = [
        c
        for c in inside
        if (has_principal_qpv(c) or DENSITY.get(c) != "Grands centres urbains")
        and COMMUNES[c]["arrondissement"] not in occupied
    ]
    best, choice = 0.0, set()
    for size in range(1, n + 1):
        for sites in itertools.combinations(eligible, size):
            arrondissements = [COMMUNES[s]["arrondissement"] for s in sites]
            if len(set(arrondissements)) < len(arrondissements):
                continue
            reached = {
                d for d in weight if any(distance_m(d, centroid(s), COMMUNES[s]["departement"]) <= limit for s in sites)
            }
            value = sum(weight[d] for d in reached)
            if value > best:
                best, choice = value, set(sites)
    return best, choice


@pytest.mark.parametrize(("params", "departements"), [({}, None), ({"reg": "53"}, {"29", "22"})])
def test_the_plan_is_the_brute_force_optimum_in_the_scope(marts, params, departements):
    at = open_page("prochaine_vague", {"sites": "3", "distance": "10", **params})
    assert not at.exception
    value, choice = expected_plan(3, 10, departements)
    assert value > 0
    assert number(metric(at, "Population ciblée nouvellement à portée")) == value
    table = table_with(at, "regle")
    assert set(table["insee_com"]) == choice
    assert table["insee_arr" if "insee_arr" in table else "nom_arr"].is_unique  # one site per arrondissement
    curve = table_with(at, "part_du_manque")
    assert curve["population_ciblee_atteinte"].is_monotonic_increasing


def test_the_exact_solve_runs_on_a_click_and_is_kept(marts):
    at = open_page("prochaine_vague", {"sites": "3", "distance": "10", "limite": "5"})
    button = next(b for b in at.button if b.label.startswith("Calculer l'optimum exact"))
    button.click().run()
    assert not at.exception
    value, _ = expected_plan(3, 10)
    assert number(metric(at, "Population ciblée nouvellement à portée")) == value
    assert metric(at, "Écart à l'optimum") == "0,00\u00a0%"
    at.run()  # the exact result is kept for the session: no button, the same figures
    assert not any(b.label.startswith("Calculer l'optimum exact") for b in at.button)
    assert metric(at, "Écart à l'optimum") == "0,00\u00a0%"
    assert any("Plan exact (HiGHS)" in str(v) for v in table_with(at, "statut")["solution"])


def test_no_plan_when_nothing_is_left_to_reach_says_what_to_change(marts):
    # Every commune of the Ain is within 10 km of a Fabrique of the fixture.
    assert expected_plan(2, 10, {"01"})[0] == 0
    at = open_page("prochaine_vague", {"dep": "01"})
    assert not at.exception
    message = " ".join(i.value for i in at.info)
    assert "Pas de plan possible" in message and "Élargissez le territoire" in message
    assert not at.dataframe


def test_switching_the_rules_off_changes_the_plan_and_the_link(marts):
    at = open_page("prochaine_vague", {"sites": "3", "distance": "10"})
    at.multiselect(key="plan_rules").set_value([]).run()
    assert not at.exception and at.query_params["regles"] == "aucun"
    assert set(table_with(at, "regle")["regle"]) == {"aucune règle"}
    reopened = open_page("prochaine_vague", {"sites": "3", "distance": "10", "regles": "aucun"})
    assert reopened.multiselect(key="plan_rules").value == []


def test_the_2023_wave_is_read_against_the_optimum(marts):
    at = open_page("prochaine_vague", {"sites": "3", "distance": "10"})
    text = summaries(at)[-1]
    # Fabriques 2023 of the fixture with a commune in the marts: fabt-301 (01001) and fabt-302 (29002).
    assert "Les 2 Fabriques 2023 du périmètre" in text
    assert "de l'optimum" in text


def test_out_of_range_plan_parameters_are_ignored_and_reported(marts):
    at = open_page("prochaine_vague", {"sites": "999", "poids_qpv": "0.3"})
    assert not at.exception
    assert at.slider(key="plan_sites").value == 80 and at.slider(key="plan_poids_qpv").value == 1.0
    warnings = " ".join(w.value for w in at.sidebar.warning)
    assert "sites=999" in warnings and "poids_qpv=0.3" in warnings


def test_counting_no_place_plans_from_scratch(marts):
    at = open_page("prochaine_vague", {"sites": "2", "couverts": "aucun"})
    assert not at.exception
    assert at.multiselect(key="plan_counted").value == []
    assert metric(at, "Déjà à portée") == "0,0\u00a0%"  # nothing is within reach of no place
