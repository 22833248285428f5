"""The « Prochaine vague » page's widgets, caches and on-demand solves.

The communes within X km of each commune are indexed once per version of the communes mart and
distance, and shared by every session; a plan (its problem and greedy solution) is kept per inputs.
The exact solve runs only on a click, under its time limit, and its result is kept for the session.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.analysis.covering import OPTIMAL, CoveringSolution
from core.analysis.covering_exact import solve_exact
from core.analysis.planner import (
    CommuneGraph,
    PlanningProblem,
    PlanSettings,
    WaveEvaluation,
    compute_commune_graph,
    compute_counted_places,
    compute_planning_problem,
    compute_wave_evaluation,
    solve_plan,
)
from core.analysis.planner_rules import CANDIDATE_KINDS, RULES
from core.domain.classifications import COHORTS
from core.domain.formatting import format_number, format_percent
from core.exports.deck import make_pptx, make_slide_images
from core.schemes.registry import load_registry
from ui import state
from ui.context import territory_scope
from ui.exports import image_server
from ui.loaders import load_table_version, mart_version
from ui.user_list import stored_user_list
from ui.widgets import linked_multiselect, linked_select, linked_slider, render_metric

USER_LIST = "liste"
TIME_LIMITS = ("5", "15", "30", "60")


@dataclass(frozen=True)
class PlanInputs:
    """What the page's widgets hold: the settings, the places counted as already there (their labels
    and points) and the exact solve's time limit."""

    settings: PlanSettings
    counted: tuple[str, ...]
    counted_labels: tuple[str, ...]
    places: pd.DataFrame
    time_limit_s: float

    @property
    def key(self) -> str:
        """A digest of the inputs (with the places' coordinates), for the session's exact result."""
        text = repr((self.settings, self.counted, self.time_limit_s)) + self.places.to_csv(index=False)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def render_plan_inputs(fabriques: pd.DataFrame) -> PlanInputs:
    """The plan's widgets (each kept in the link) in two columns."""
    left, right = st.columns(2)
    sites = linked_slider(left, "Nouvelles Fabriques (N)", "sites", 1, 200, 80, 1, key="plan_sites")
    distance = linked_slider(left, "Distance de couverture X (km)", "distance", 2, 30, 10, 1, key="plan_distance")
    weights = [
        linked_slider(left, f"Poids : {label}", param, 0.0, 3.0, default, 0.5, key=f"plan_{param}")
        for label, param, default in (
            ("population des QPV", "poids_qpv", 1.0),
            ("population rurale (densité 5 à 7)", "poids_rural", 1.0),
            ("population des communes FRR", "poids_frr", 0.0),
        )
    ]
    rules = linked_multiselect(
        right,
        "Règles du programme appliquées",
        "regles",
        list(RULES),
        key="plan_rules",
        default=list(RULES),
        format_func=RULES.get,
        help=f"Registre des dispositifs : « {load_registry()['fabriques'].ciblage} ». Désactivez-en une pour voir ce "
        "qu'elle coûte.",
    )
    kinds = linked_multiselect(
        right,
        "Sites candidats (aucun choix : toutes les communes)",
        "candidats",
        list(CANDIDATE_KINDS),
        key="plan_kinds",
        format_func=CANDIDATE_KINDS.get,
    )
    user_list = stored_user_list()
    options = {c: f"Fabriques {c}" for c in COHORTS}
    if user_list is not None:
        options[USER_LIST] = f"Liste importée « {user_list.name} »"
    counted = linked_multiselect(
        right,
        "Lieux comptés comme déjà là",
        "couverts",
        list(options),
        key="plan_counted",
        default=list(COHORTS),
        format_func=options.get,
        help="Ce qu'ils ont à moins de X km est déjà atteint ; sous la règle de 2023, leur arrondissement est pris.",
    )
    limit = linked_select(
        right, "Limite de temps du calcul exact (s)", "limite", TIME_LIMITS, "15", key="plan_limit", radio=True
    )
    extra = user_list.places if user_list is not None and USER_LIST in counted else None
    places = compute_counted_places(fabriques, [c for c in counted if c in COHORTS], extra)
    settings = PlanSettings(int(sites), float(distance), *weights, tuple(rules), tuple(kinds))
    return PlanInputs(settings, tuple(counted), tuple(options[c] for c in counted), places, float(limit))


@st.cache_resource(show_spinner="Index des communes à moins de X km…", max_entries=3)
def _graph(version: tuple[str, int], distance_km: float) -> CommuneGraph:
    return compute_commune_graph(load_table_version(version), distance_km)


@st.cache_resource(show_spinner="Calcul du plan…", max_entries=32)
def _plan(
    version: tuple[str, int], settings: PlanSettings, regions, departements, places: pd.DataFrame
) -> tuple[PlanningProblem, CoveringSolution]:
    communes = load_table_version(version)
    problem = compute_planning_problem(
        communes, _graph(version, settings.distance_km), settings, places, territory_scope(regions, departements)
    )
    return problem, solve_plan(problem)[0]


def plan(inputs: PlanInputs, filters) -> tuple[PlanningProblem, CoveringSolution]:
    """The planning problem of the inputs in the sidebar's territory, and its greedy solution (shared)."""
    version = mart_version("communes")
    return _plan(version, inputs.settings, filters.regions, filters.departements, inputs.places)


@st.cache_resource(show_spinner="Comparaison avec la vague 2023…", max_entries=32)
def _wave(communes_version, fabriques_version, settings: PlanSettings, regions, departements) -> WaveEvaluation:
    communes = load_table_version(communes_version)
    return compute_wave_evaluation(
        communes,
        _graph(communes_version, settings.distance_km),
        settings,
        load_table_version(fabriques_version),
        territory_scope(regions, departements),
    )


def wave_evaluation(inputs: PlanInputs, filters) -> WaveEvaluation:
    """The 2023 wave against the greedy plan of as many sites (shared), or the exact comparison of the
    session when it was asked for these inputs."""
    exact = state.recall(state.PLAN_EXACT)
    if exact is not None and exact[0] == inputs.key:
        return exact[2]
    general = PlanSettings(1, *_general(inputs.settings))
    return _wave(mart_version("communes"), mart_version("fabriques"), general, filters.regions, filters.departements)


def _general(settings: PlanSettings) -> tuple:
    """What the 2023 comparison reads of the settings (not N nor the candidate kinds)."""
    return settings.distance_km, settings.weight_qpv, settings.weight_rural, settings.weight_frr, settings.rules


def stop_if_nothing_to_plan(problem: PlanningProblem) -> None:
    """Say why no plan can be made (nothing to reach, or no candidate reaching it), then stop."""
    if problem.remaining <= 0 or problem.covering.n_sites == 0:
        reason = (
            "aucune population ciblée n'est encore éloignée des lieux comptés (ou tous les poids sont nuls)"
            if problem.remaining <= 0
            else f"aucune des {format_number(problem.eligible)} communes candidates éligibles n'atteint de population "
            "ciblée encore éloignée"
        )
        st.info(
            f"Pas de plan possible dans ce périmètre : {reason}. Élargissez le territoire dans la barre latérale, "
            "augmentez la distance, donnez un poids à une autre population, désactivez une règle, choisissez d'autres "
            "sites candidats ou comptez moins de lieux comme déjà là.",
            icon=":material/search:",
        )
        st.stop()


def render_exact_solve(inputs: PlanInputs, filters, problem: PlanningProblem, greedy: CoveringSolution):
    """The button of the exact solve (plan and 2023 comparison, each within the time limit) and the best
    solution known for these inputs (the session's exact one, else the greedy one)."""
    exact = state.recall(state.PLAN_EXACT)
    if exact is None or exact[0] != inputs.key:
        if state.recall(state.PLAN_EXACT_ASKED) != inputs.key:
            limit = format_number(inputs.time_limit_s)
            st.button(
                f"Calculer l'optimum exact (HiGHS, {limit} s au plus pour le plan et autant pour 2023)",
                key="plan_exact",
                on_click=state.remember,
                args=(state.PLAN_EXACT_ASKED, inputs.key),
            )
            return greedy
        state.forget(state.PLAN_EXACT_ASKED)
        with st.status("Programme en nombres entiers (HiGHS)…", expanded=False) as status:
            solution = solve_exact(problem.covering, inputs.settings.sites, inputs.time_limit_s, greedy)
            status.update(label="Comparaison avec la vague 2023…")
            communes_version = mart_version("communes")
            wave = compute_wave_evaluation(
                load_table_version(communes_version),
                _graph(communes_version, inputs.settings.distance_km),
                inputs.settings,
                load_table_version(mart_version("fabriques")),
                territory_scope(filters.regions, filters.departements),
                inputs.time_limit_s,
            )
            status.update(label="Optimum calculé", state="complete")
        exact = (inputs.key, solution, wave)
        state.remember(state.PLAN_EXACT, exact)
    return exact[1]


def render_plan_metrics(problem: PlanningProblem, solution: CoveringSolution, distance_km: float) -> None:
    """The key figures of the plan: target, already within reach, newly within reach, gap to the optimum."""
    c1, c2, c3, c4 = st.columns(4)
    render_metric(c1, "plan_population_ciblee", format_number(problem.target))
    share = problem.already / problem.target if problem.target > 0 else 0.0
    render_metric(c2, "plan_deja_atteinte", format_percent(share), f"X = {format_number(distance_km)} km.")
    render_metric(c3, "plan_gagnee", format_number(solution.value), f"Méthode : {solution.method}.")
    proved = "optimum prouvé" if solution.status == OPTIMAL else f"borne : {format_number(solution.bound)}"
    render_metric(c4, "plan_ecart", format_percent(solution.gap, 2), f"{proved} ({solution.status}).")


def render_slide_export(slides, title: str, description: str) -> None:
    """The page's slide as PowerPoint, made on demand (the chart is rendered by Chromium)."""
    stamp = hashlib.sha256((description + repr([s.sentences for s in slides])).encode()).hexdigest()[:16]
    ready = state.recall(state.PLAN_SLIDE)
    if (ready is None or ready[0] != stamp) and st.button("Préparer la diapositive (PowerPoint)", key="plan_slide"):
        with st.status("Préparation de la diapositive…", expanded=False) as status:
            image_server()
            images = make_slide_images(slides, description, None)
            ready = (stamp, make_pptx(slides, images, title, description, [slides[0].source]))
            status.update(label="Diapositive prête", state="complete")
        state.remember(state.PLAN_SLIDE, ready)
    if ready is not None and ready[0] == stamp:
        st.download_button(
            "Diapositive (.pptx)",
            ready[1],
            "prochaine-vague.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="plan_slide_pptx",
            on_click="ignore",
        )
