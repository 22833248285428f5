"""The Région Sud simulator's inputs: candidates, method, need indicator, floor and cap (kept in the link)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.domain.definitions import SOURCES, caption_for
from core.domain.formatting import format_euros, format_number
from core.schemes.allocation import METHODS, AllocationError, compute_allocation
from core.schemes.region_sud import (
    NEED_INDICATORS,
    compute_allocation_table,
    describe_allocation,
    describe_rule,
    format_allocation_table,
    weight_of,
    with_distance,
)
from core.viz.charts import make_allocation_figure
from ui import state
from ui.save_buttons import render_save_scenario
from ui.widgets import linked_select, render_chart, render_table


@dataclass(frozen=True)
class SimulatorInputs:
    """What the simulator shares the envelope by."""

    candidates: list[str]
    method: str
    need: str | None
    floor: int | None
    cap: int | None


def _keep(codes: list[str]) -> None:
    state.remember(state.REGION_SUD_CANDIDATES, codes)


def render_candidates(profile: pd.DataFrame) -> list[str]:
    """The EPCI candidates (all at first: the call is open to every intercommunality of the région)."""
    names = dict(zip(profile["siren_epci"], profile["nom_epci"], strict=True))
    whole = list(profile.loc[profile["entierement_dans_la_region"], "siren_epci"])
    kept = state.recall(state.REGION_SUD_CANDIDATES, list(names))
    _keep([c for c in kept if c in names])
    with st.expander("EPCI candidats (tous au départ : l'appel est ouvert à chaque intercommunalité de la région)"):
        st.multiselect(
            "EPCI candidats",
            list(names),
            format_func=lambda c: f"{names[c]} ({c})",
            key=state.REGION_SUD_CANDIDATES,
            placeholder="Choisissez au moins un EPCI",
        )
        b1, b2, _ = st.columns([1, 1, 2])
        b1.button(f"Tous les EPCI ({len(names)})", on_click=_keep, args=(list(names),), key="rs_tous")
        b2.button(f"Entièrement dans la région ({len(whole)})", on_click=_keep, args=(whole,), key="rs_entiers")
    selected = list(state.recall(state.REGION_SUD_CANDIDATES))
    st.caption(f"{format_number(len(selected))} EPCI candidats sur {format_number(len(names))}.")
    return selected


def _amount_input(column, label: str, param: str, help_text: str) -> int | None:
    """A euro amount kept in the link under ``param``; empty means none."""
    stored = state.read_int(param, -1, 0, 10**12)
    amount = column.number_input(
        label,
        min_value=0,
        value=None if stored < 0 else stored,
        step=1000,
        placeholder="aucun",
        key=f"rs_{param}",
        help=help_text,
    )
    state.write_param(param, "" if amount is None else str(int(amount)), "")
    return None if amount is None else int(amount)


def render_simulator_inputs(profile: pd.DataFrame, distance_km: int) -> SimulatorInputs:
    """Candidates, method, need indicator (for the « besoin » method), floor and cap."""
    candidates = render_candidates(profile)
    c1, c2 = st.columns([2, 3])
    method = linked_select(
        c1,
        "Méthode de répartition",
        "methode",
        list(METHODS),
        "egal",
        key="rs_methode",
        radio=True,
        format_func=METHODS.get,
    )
    need = None
    labels = {k: with_distance(v, distance_km) for k, v in NEED_INDICATORS.items()}
    if method == "besoin":
        need = linked_select(
            c2,
            "Indicateur de besoin",
            "indicateur",
            list(labels),
            "population_rurale",
            key="rs_besoin",
            format_func=labels.get,
            help="Chaque EPCI reçoit une part proportionnelle à cet indicateur, compté sur l'EPCI entier.",
        )
    else:
        state.write_param("indicateur", "", "")
    f1, f2 = st.columns(2)
    floor = _amount_input(
        f1, "Plancher par EPCI (€)", "plancher", "Montant minimal de chaque EPCI candidat ; vide : pas de plancher."
    )
    cap = _amount_input(
        f2, "Plafond par EPCI (€)", "plafond", "Montant maximal de chaque EPCI candidat ; vide : pas de plafond."
    )
    return SimulatorInputs(candidates, method, need, floor, cap)


def render_simulator(
    profile: pd.DataFrame, envelope: int, distance_km: int, labels: dict[str, str], description: str
) -> None:
    """The simulator: its inputs, the allocation (exact to the euro), its table and chart with exports."""
    inputs = render_simulator_inputs(profile, distance_km)
    if not inputs.candidates:
        st.info(
            "Aucun EPCI candidat : choisissez-en au moins un ci-dessus ou cliquez sur « Tous les EPCI ».",
            icon=":material/search:",
        )
        return
    try:
        allocation = compute_allocation(
            profile[profile["siren_epci"].isin(inputs.candidates)],
            envelope,
            inputs.method,
            weight_column=inputs.need,
            floor=inputs.floor,
            cap=inputs.cap,
        )
    except AllocationError as error:
        st.error(str(error), icon=":material/warning:")
        return
    total = int(allocation["montant"].sum())
    if total == envelope:
        st.success(
            f"Total réparti : {format_euros(total)}, égal à l'enveloppe de {format_euros(envelope)} à l'euro près "
            f"({format_number(len(allocation))} EPCI ; montants arrondis à l'euro par la méthode du plus fort reste).",
            icon=":material/check_circle:",
        )
    else:  # compute_allocation guarantees equality; say so loudly if it ever breaks
        st.error(f"Total réparti {format_euros(total)} différent de l'enveloppe {format_euros(envelope)}.")
    title = (
        f"Répartition simulée de {format_euros(envelope)} — {describe_rule(inputs.method, inputs.need, distance_km)}"
    )
    table = compute_allocation_table(allocation, weight_of(inputs.method, inputs.need))
    sources = f"Simulation ; enveloppe : {SOURCES['region_sud']}. Indicateurs sur l'EPCI entier : " + caption_for(
        "cog", "population", "densite", "qpv_indicateurs", "fabriques"
    )
    render_table(format_allocation_table(table), title, sources, "rs_allocation", description, column_config=labels)
    render_chart(
        make_allocation_figure(allocation, "nom_epci", title),
        table,
        describe_allocation(table),
        sources,
        "rs_allocation_chart",
        description,
    )
    render_save_scenario(inputs.candidates, inputs.method, inputs.need, inputs.floor, inputs.cap, distance_km, envelope)
