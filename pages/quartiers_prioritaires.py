"""Quartiers prioritaires: Fabriques in and near QPV, QPV far from any Fabrique, coverage of QPV population."""

import streamlit as st

from core.analysis.qpv import (
    QPV_METHOD_NOTE,
    compute_qpv_population_coverage,
    compute_qpv_sensitivity,
    compute_qpv_without_fabrique,
    describe_coverage,
    describe_sensitivity,
)
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.viz.charts import make_ranked_bars_figure, make_sensitivity_figure
from ui.bootstrap import ensure_navigation
from ui.context import page_context, territory_names
from ui.distances import qpv_distances, selection_points
from ui.widgets import linked_select, linked_slider, render_chart, render_table, stop_if_empty

ensure_navigation()

ctx = page_context()
st.title("Quartiers prioritaires")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

st.header("Fabriques dans ou près d'un QPV")
sensitivity = compute_qpv_sensitivity(ctx.fabriques)
render_chart(
    make_sensitivity_figure(sensitivity, "Fabriques selon la distance au QPV le plus proche"),
    sensitivity,
    describe_sensitivity(sensitivity, len(ctx.fabriques)),
    caption_for("fabriques", "qpv"),
    "qpv_sensibilite",
    ctx.description,
)

distance_km = linked_slider(st, "Distance X (km)", "distance", 0.5, 10.0, 2.0, 0.5, key="qpv_distance")
shown_km = format_number(distance_km, 1)
scope = ctx.scope.restrict_qpv(qpv_distances(selection_points(ctx.fabriques)))
sources = caption_for("qpv", "qpv_indicateurs", "fabriques") + " " + SCOPE_DEFINITION

st.header(f"QPV sans Fabrique à moins de {shown_km} km")
far = compute_qpv_without_fabrique(scope, distance_km * 1000)
st.markdown(
    f"**En bref :** {format_number(len(far))} QPV sur {format_number(len(scope))} du périmètre n'ont aucune "
    f"Fabrique de la sélection à moins de {shown_km} km ; ils comptent {format_number(far['pop_qpv'].sum())} "
    "habitants (population connue)."
)
render_table(
    far.head(200),
    f"QPV sans Fabrique à moins de {shown_km} km",
    sources + " Les 200 premiers par population ; distance du périmètre du QPV au point de la Fabrique la plus "
    "proche (même territoire).",
    "qpv_sans_fabrique",
    ctx.description,
)

st.header(f"Population des QPV à moins de {shown_km} km d'une Fabrique")
by = linked_select(
    st,
    "Par",
    "niveau",
    ["insee_reg", "insee_dep"],
    "insee_reg",
    key="qpv_by",
    radio=True,
    format_func={"insee_reg": "région", "insee_dep": "département"}.get,
)
names = territory_names()
coverage = compute_qpv_population_coverage(
    scope, distance_km * 1000, by, names.regions if by == "insee_reg" else names.departements
)
render_chart(
    make_ranked_bars_figure(
        coverage.sort_values("part_couverte", ascending=False),
        "nom",
        "part_couverte",
        f"Part de la population des QPV à moins de {shown_km} km d'une Fabrique",
        "part couverte",
        top=40,
    ),
    coverage,
    describe_coverage(coverage, shown_km),
    sources,
    "qpv_couverture",
    ctx.description,
)

with st.expander("Note de méthode", expanded=False):
    st.markdown(QPV_METHOD_NOTE)
