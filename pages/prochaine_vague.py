"""Prochaine vague: where N new Fabriques would bring the most of the people the programme targets within
reach (maximal covering), the curve against N, and the 2023 wave against the optimum."""

import streamlit as st

from core.analysis.covering import EXACT
from core.analysis.planner import (
    METHOD_NOTE,
    compute_plan_curve,
    compute_plan_table,
    compute_reached_communes,
    describe_curve,
    describe_plan,
    describe_settings,
)
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import caption_for
from core.domain.formatting import format_percent
from core.exports.plan_slide import PLAN_SLIDE_TITLE, build_plan_slides
from core.viz.charts import make_plan_curve_figure
from core.viz.plan_map import make_plan_map
from ui.bootstrap import ensure_navigation
from ui.context import load_marts, page_context
from ui.exports import render_map_exports
from ui.maps import bounds_of, render_map
from ui.planner import (
    plan,
    render_exact_solve,
    render_plan_inputs,
    render_plan_metrics,
    render_slide_export,
    stop_if_nothing_to_plan,
    wave_evaluation,
)
from ui.save_buttons import render_save_plan, render_saved_plan
from ui.widgets import render_chart, render_metric, render_table

ensure_navigation()

ctx = page_context()
fabriques, communes = load_marts("fabriques", "communes")
st.title("Prochaine vague")
st.caption(
    f"{ctx.description}. Sur cette page, seul le territoire de la barre latérale compte : il restreint les sites "
    "candidats et la population ciblée ; les autres filtres ne s'appliquent pas. Un indicateur de manque, pas une "
    "recommandation (voir la note de méthode en bas de page)."
)
inputs = render_plan_inputs(fabriques)
problem, greedy = plan(inputs, ctx.filters)
stop_if_nothing_to_plan(problem)
description = f"{ctx.description} — {describe_settings(inputs.settings, list(inputs.counted_labels))}"
sources = caption_for("fabriques", "population", "qpv_indicateurs", "densite", "frr") + " " + SCOPE_DEFINITION

solution = render_exact_solve(inputs, ctx.filters, problem, greedy)
render_plan_metrics(problem, solution, inputs.settings.distance_km)
summary = describe_plan(problem, solution)
st.markdown(f"**En bref :** {summary}")

table = compute_plan_table(problem, solution, communes)
render_saved_plan(table["insee_com"].tolist(), solution.value)
render_save_plan(table["insee_com"].tolist(), solution.method, solution.value, solution.bound)
reached = compute_reached_communes(problem, solution, communes)
deps = ctx.scope.map_departements
bounds = bounds_of("departements", deps) if deps else None


def build_map(tiles: str | None = "ign"):
    return make_plan_map(table, reached, inputs.places, inputs.settings.distance_km, bounds, tiles)


render_map(build_map(), 560, "plan_carte")
st.caption(
    "Points orange : sites proposés, cercles de X km ; points bleus : communes nouvellement à portée (centroïdes), "
    "chacune rattachée au premier site du plan qui l'atteint ; points gris : lieux comptés comme déjà là. " + sources
)
with st.expander("Exporter la carte"):
    render_map_exports(lambda: build_map(None), "Prochaine vague", description, "prochaine-vague-carte", inputs.key)

curve = compute_plan_curve(problem, greedy)
exact = (len(solution.sites), solution.value, solution.bound) if solution.method == EXACT else None
render_chart(
    make_plan_curve_figure(curve, "Habitants ciblés nouvellement à portée selon le nombre de sites", exact),
    curve,
    describe_curve(curve),
    sources + " Courbe du plan glouton (ses k premiers sites) ; le losange est l'optimum exact pour N sites.",
    "plan_courbe",
    description,
)

st.header("Sites proposés")
render_table(
    table,
    "Sites proposés pour la prochaine vague",
    sources + " Chaque commune nouvellement à portée est comptée pour le premier site du plan qui l'atteint.",
    "plan_table",
    description,
)

st.header("La vague 2023 face à l'optimum")
wave = wave_evaluation(inputs, ctx.filters)
render_metric(
    st, "plan_vague_2023", format_percent(wave.share), "Optimum : plan exact s'il est calculé, sinon glouton."
)
st.markdown(f"**En bref :** {wave.describe()}")
if wave.fabriques:
    render_table(
        wave.table(),
        "Fabriques 2023 et plans d'autant de sites",
        sources + " Lieux déjà là : Fabriques 2020-2021 ; sites candidats : toutes les communes du périmètre.",
        "plan_vague_2023",
        description,
    )

st.header("Diapositive de présentation")
slides = build_plan_slides(
    curve, summary, wave.describe(), describe_settings(inputs.settings, list(inputs.counted_labels)), exact
)
render_slide_export(slides, PLAN_SLIDE_TITLE, description)

with st.expander("Note de méthode", expanded=False):
    st.markdown(METHOD_NOTE)
