"""The next-wave planner on a hand-built line of communes, against brute force written here."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from pyproj import Transformer

from core.analysis.covering import OPTIMAL
from core.analysis.planner import (
    PlannerInputError,
    PlanSettings,
    compute_commune_graph,
    compute_plan_curve,
    compute_plan_table,
    compute_planning_problem,
    compute_reached_communes,
    compute_wave_evaluation,
    solve_plan,
)
from core.analysis.planner_rules import (
    RULE_ARRONDISSEMENT,
    RULE_QPV_OR_OUTSIDE_CENTRES,
    PlannerRuleError,
    compute_eligibility,
)
from core.analysis.scope import compute_scope

# Twelve communes of the Loiret on an east-west line, mostly 4 km apart in Lambert-93 (x in km), and
# one of Eure-et-Loir (28) near the west end: outside the scope when the scope is the Loiret. Two
# traps: 45011 is best reached from 45001, a large urban centre without QPV; 45012 lies in the
# arrondissement of the counted place.
# code: (x km, arrondissement, density level, population, QPV population, FRR, PVD)
LINE = {
    "45001": (0, "451", 1, 9000, 0, False, False),  # a large urban centre without QPV: never eligible
    "45002": (4, "451", 1, 8000, 2500, False, False),  # a large urban centre with a QPV: eligible
    "45003": (8, "451", 5, 300, 0, True, True),
    "45004": (12, "452", 6, 400, 0, True, False),
    "45005": (16, "452", 7, 150, 0, False, True),
    "45006": (20, "452", 5, 700, 0, True, False),
    "45007": (24, "453", 6, 500, 0, False, False),
    "45008": (28, "453", 6, 650, 0, True, True),
    "45009": (32, "454", 5, 900, 0, False, False),
    "45010": (36, "454", 7, 200, 0, True, False),
    "45011": (-4, "451", 6, 3000, 0, False, False),  # reached best from 45001, were it eligible
    "45012": (44, "454", 6, 2000, 0, False, False),  # in the arrondissement of the counted place
    "28001": (-3, "281", 6, 5000, 0, True, True),
}
Y_KM = 6_650
# Counted place at 45009 (x = 32 km): it closes arrondissement 454 and reaches what is within X of it.
PLACE = "45009"
RURAL_LEVELS = {5, 6, 7}


def lon_lat(x_km: float) -> tuple[float, float]:
    return Transformer.from_crs("EPSG:2154", "EPSG:4326", always_xy=True).transform(650_000 + x_km * 1000, Y_KM * 1000)


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    """The line as a communes mart (the columns the planner reads)."""
    rows = []
    for code, (x, arr, level, pop, qpv_pop, frr, pvd) in LINE.items():
        lon, lat = lon_lat(x)
        dep = code[:2]
        rows.append(
            {
                "insee_com": code,
                "nom_com": f"Commune {code}",
                "insee_dep": dep,
                "insee_reg": "24",
                "siren_epci": f"E{arr}",
                "nom_epci": f"EPCI {arr}",
                "insee_arr": arr,
                "nom_arr": f"Arr. {arr}",
                "nom_dep": dep,
                "population": pop,
                "qpv_population": float(qpv_pop) if qpv_pop else np.nan,
                "qpv_nombre": int(qpv_pop > 0),
                "rural_insee": level in RURAL_LEVELS,
                "frr": frr,
                "densite_niveau": level,
                "pvd": pvd,
                "acv": False,
                "tiers_lieux_2019": 0,
                "centroide_lon": lon,
                "centroide_lat": lat,
            }
        )
    frame = pd.DataFrame(rows)
    frame["population"] = frame["population"].astype("Int64")
    frame["densite_niveau"] = frame["densite_niveau"].astype("Int64")
    return frame


@pytest.fixture(scope="module")
def places() -> pd.DataFrame:
    lon, lat = lon_lat(LINE[PLACE][0])
    return pd.DataFrame({"longitude": [lon], "latitude": [lat], "insee_dep": ["45"], "insee_arr": [LINE[PLACE][1]]})


def plan_problem(communes, places, settings, departements=()):
    """The planning problem of ``settings`` on the line, in the scope of ``departements``."""
    graph = compute_commune_graph(communes, settings.distance_km)
    return compute_planning_problem(communes, graph, settings, places, scope_of(communes, departements))


def scope_of(communes, departements=()):
    qpv = pd.DataFrame({"code_qp": ["QN04501M"], "insee_dep": ["45"], "generation": ["2024"]})
    return compute_scope((), departements, communes, qpv)


def weight(code: str, settings: PlanSettings) -> float:
    _x, _arr, level, pop, qpv_pop, frr, _pvd = LINE[code]
    rural = level in RURAL_LEVELS
    return settings.weight_qpv * qpv_pop + settings.weight_rural * pop * rural + settings.weight_frr * pop * frr


def brute_force(settings: PlanSettings, codes_in_scope: list[str], counted: list[str]) -> tuple[float, set]:
    """The best plan by enumeration, from the table above and straight-line distances along it."""
    x = {c: LINE[c][0] for c in LINE}
    near = lambda a, b: abs(x[a] - x[b]) <= settings.distance_km + 1e-6  # noqa: E731
    demand = {c: weight(c, settings) for c in codes_in_scope if not any(near(c, p) for p in counted)}
    occupied = {LINE[p][1] for p in counted}
    eligible = []
    for c in codes_in_scope:
        level, qpv = LINE[c][2], LINE[c][4] > 0
        if RULE_QPV_OR_OUTSIDE_CENTRES in settings.rules and not (qpv or level != 1):
            continue
        if RULE_ARRONDISSEMENT in settings.rules and LINE[c][1] in occupied:
            continue
        if settings.kinds and not LINE[c][6]:
            continue
        eligible.append(c)
    best, best_choice = 0.0, set()
    for size in range(1, settings.sites + 1):
        for choice in itertools.combinations(eligible, size):
            arrs = [LINE[c][1] for c in choice]
            if RULE_ARRONDISSEMENT in settings.rules and len(arrs) != len(set(arrs)):
                continue
            value = sum(w for d, w in demand.items() if any(near(d, s) for s in choice))
            if value > best:
                best, best_choice = value, set(choice)
    return best, best_choice


LOIRET = [c for c in LINE if c.startswith("45")]
CASES = [
    PlanSettings(sites=2, distance_km=5),
    PlanSettings(sites=3, distance_km=5),
    PlanSettings(sites=2, distance_km=9, weight_frr=2.0),
    PlanSettings(sites=3, distance_km=5, rules=()),
    PlanSettings(sites=2, distance_km=5, rules=(RULE_ARRONDISSEMENT,), kinds=("pvd",)),
    PlanSettings(sites=4, distance_km=3, weight_qpv=0.0),
]


@pytest.mark.parametrize("settings", CASES, ids=lambda s: f"n{s.sites}-{s.distance_km:g}km-{len(s.rules)}r-{s.kinds}")
def test_the_exact_plan_is_the_brute_force_optimum_and_respects_the_rules(communes, places, settings):
    problem = plan_problem(communes, places, settings, ["45"])
    greedy, exact = solve_plan(problem, time_limit_s=10)
    optimum, _ = brute_force(settings, LOIRET, [PLACE])
    assert exact.value == pytest.approx(optimum) and exact.status == OPTIMAL
    assert greedy.value <= exact.value + 1e-9
    table = compute_plan_table(problem, exact, communes)
    chosen = table["insee_com"].tolist()
    assert "45001" not in chosen or RULE_QPV_OR_OUTSIDE_CENTRES not in settings.rules
    assert "28001" not in chosen  # outside the scope
    if RULE_ARRONDISSEMENT in settings.rules:
        arrondissements = [LINE[c][1] for c in chosen]
        assert len(arrondissements) == len(set(arrondissements)) and LINE[PLACE][1] not in arrondissements
    if settings.kinds:
        assert all(LINE[c][6] for c in chosen)
    assert table["population_ciblee_gagnee"].sum() == pytest.approx(exact.value)
    assert table["population_ciblee_cumulee"].is_monotonic_increasing


def test_demand_leaves_out_the_scope_and_what_is_already_reached(communes, places):
    settings = PlanSettings(sites=2, distance_km=5)
    problem = plan_problem(communes, places, settings, ["45"])
    weights = dict(zip(communes["insee_com"], problem.weights, strict=True))
    assert weights["28001"] == 0  # Eure-et-Loir is outside the scope, however large its rural population
    assert weights["45009"] == weights["45008"] == weights["45010"] == 0  # within 5 km of the place
    assert weights["45007"] == weight("45007", settings) > 0
    assert problem.target == pytest.approx(sum(weight(c, settings) for c in LOIRET))
    assert problem.already == pytest.approx(sum(weight(c, settings) for c in ("45008", "45009", "45010")))
    national = plan_problem(communes, places, settings)
    assert dict(zip(communes["insee_com"], national.weights, strict=True))["28001"] == weight("28001", settings)


def test_the_curve_never_decreases_and_reads_the_share_of_the_gap(communes, places):
    settings = PlanSettings(sites=6, distance_km=4, rules=())
    problem = plan_problem(communes, places, settings)
    (greedy,) = solve_plan(problem)
    curve = compute_plan_curve(problem, greedy)
    assert curve["sites"].tolist() == list(range(1, len(greedy.sites) + 1))
    assert np.all(np.diff(curve["population_ciblee_atteinte"]) >= 0)
    assert curve["part_du_manque"].iloc[-1] == pytest.approx(greedy.value / problem.remaining * 100)


def test_reached_communes_are_each_given_to_the_first_site_reaching_them(communes, places):
    settings = PlanSettings(sites=2, distance_km=5, rules=())
    problem = plan_problem(communes, places, settings, ["45"])
    (greedy,) = solve_plan(problem)
    reached = compute_reached_communes(problem, greedy, communes)
    assert reached["population_ciblee"].sum() == pytest.approx(greedy.value)
    assert reached["insee_com"].is_unique and (reached["population_ciblee"] > 0).all()
    table = compute_plan_table(problem, greedy, communes)
    assert reached.groupby("rang")["population_ciblee"].sum().tolist() == pytest.approx(
        table["population_ciblee_gagnee"].tolist()
    )


def test_populations_of_weight_zero_are_not_columns_of_the_table(communes, places):
    settings = PlanSettings(sites=1, distance_km=5, weight_qpv=0.0, weight_frr=0.0)
    problem = plan_problem(communes, places, settings)
    table = compute_plan_table(problem, solve_plan(problem)[0], communes)
    assert "population_rurale_gagnee" in table and "population_qpv_gagnee" not in table
    assert "population_frr_gagnee" not in table


def test_the_2023_wave_is_compared_with_the_optimum_of_as_many_sites(communes):
    """Fabriques 2020-2021 at 45009, 2023 at 45004 and 45005 (the same arrondissement 452)."""
    rows = []
    for code, cohort in (("45009", "2020-2021"), ("45004", "2023"), ("45005", "2023")):
        lon, lat = lon_lat(LINE[code][0])
        rows.append(
            {"insee_com": code, "cohort": cohort, "longitude": lon, "latitude": lat, "insee_dep": "45"}
            | {"insee_arr": LINE[code][1]}
        )
    fabriques = pd.DataFrame(rows)
    settings = PlanSettings(sites=80, distance_km=5)
    evaluation = compute_wave_evaluation(
        communes, compute_commune_graph(communes, 5), settings, fabriques, scope_of(communes, ["45"]), 10
    )
    x = {c: LINE[c][0] for c in LINE}
    far = [c for c in LOIRET if abs(x[c] - x["45009"]) > 5]
    value = sum(weight(c, settings) for c in far if min(abs(x[c] - 12), abs(x[c] - 16)) <= 5)
    optimum, _ = brute_force(PlanSettings(sites=2, distance_km=5), LOIRET, ["45009"])
    assert evaluation.fabriques == 2 and evaluation.value == pytest.approx(value)
    assert evaluation.best.value == pytest.approx(optimum) and optimum >= value
    assert evaluation.eligible == 2 and evaluation.crowded == 1  # both 2023 places are in arrondissement 452
    assert "Fabriques 2023" in evaluation.describe()


@pytest.mark.parametrize(
    ("rules", "kinds", "eligible"),
    [
        ((RULE_QPV_OR_OUTSIDE_CENTRES,), (), {"45002", "45003", "45004", "45005"}),
        ((RULE_ARRONDISSEMENT,), (), {"45004", "45005"}),
        ((), ("pvd",), {"45003", "45005"}),
        ((), (), {"45001", "45002", "45003", "45004", "45005"}),
    ],
)
def test_eligibility_names_each_rule(communes, rules, kinds, eligible):
    few = communes[communes["insee_com"].isin(["45001", "45002", "45003", "45004", "45005"])]
    table = compute_eligibility(few, rules, kinds, {"451"})
    assert set(few.loc[table["eligible"], "insee_com"]) == eligible
    first = table.loc[few.index[few["insee_com"] == "45002"][0]]
    if rules == (RULE_QPV_OR_OUTSIDE_CENTRES,):
        assert first["regle"] == "commune avec QPV"
    if kinds:
        assert table.loc[few.index[few["insee_com"] == "45003"][0], "site_candidat"] == "PVD"


def test_bad_settings_and_mismatched_graphs_are_refused(communes, places):
    with pytest.raises(PlannerInputError, match="whole number from 1"):
        PlanSettings(sites=0)
    with pytest.raises(PlannerInputError, match="positive number of km"):
        PlanSettings(distance_km=0)
    with pytest.raises(PlannerInputError, match="compute_commune_graph"):
        compute_planning_problem(
            communes, compute_commune_graph(communes, 5), PlanSettings(distance_km=10), places, scope_of(communes)
        )
    with pytest.raises(PlannerRuleError, match="unknown rule"):
        compute_eligibility(communes, ("tirage_au_sort",), (), set())
