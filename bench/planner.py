"""Planner measures on the real marts: N new sites over all the communes, within X km.

``planner_index_s``: the index of the communes within X km of each commune (made once per distance
and kept by the app); ``planner_greedy_s``: the planning problem (demand, what the Fabriques already
reach, eligibility, reach sets) and its greedy solution, what a change of the page's inputs costs;
``planner_exact_s`` and ``planner_exact_gap``: the exact solve started from the greedy solution and
the relative gap left at its end (``planner_greedy_gap``: the greedy value's distance to the exact
bound). Measured with every commune a candidate and no rule (the largest
problem: 34,875 communes), and again with the programme's rules (``planner_rules_*``).
"""

from __future__ import annotations

import time

import pandas as pd

from core.analysis.covering_exact import solve_exact
from core.analysis.planner import PlanSettings, compute_commune_graph, compute_planning_problem, solve_plan
from core.analysis.scope import compute_scope
from core.paths import require_mart


def _read(name: str) -> pd.DataFrame:
    return pd.read_parquet(require_mart(name)).drop(columns="geometry", errors="ignore")


def measure_planner(sites: int = 80, distance_km: float = 10.0, time_limit_s: float = 60.0) -> dict[str, float]:
    """Seconds for the index, the greedy plan and the exact plan of ``sites`` sites, and the exact gap."""
    communes, fabriques, qpv = _read("communes"), _read("fabriques"), _read("qpv")
    scope = compute_scope((), (), communes, qpv)
    t0 = time.perf_counter()
    graph = compute_commune_graph(communes, distance_km)
    figures = {"planner_index_s": time.perf_counter() - t0, "planner_communes": float(len(communes))}
    for prefix, rules in (("planner", ()), ("planner_rules", None)):
        settings = PlanSettings(sites, distance_km) if rules is None else PlanSettings(sites, distance_km, rules=rules)
        t0 = time.perf_counter()
        problem = compute_planning_problem(communes, graph, settings, fabriques, scope)
        (greedy,) = solve_plan(problem)
        figures[f"{prefix}_greedy_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        exact = solve_exact(problem.covering, sites, time_limit_s, greedy)
        figures[f"{prefix}_exact_s"] = time.perf_counter() - t0
        figures[f"{prefix}_exact_gap"] = exact.gap
        figures[f"{prefix}_greedy_gap"] = (exact.bound - greedy.value) / greedy.value if greedy.value else 0.0
        figures[f"{prefix}_candidate_sites"] = float(problem.covering.n_sites)
    return figures
