"""Réseau des tiers-lieux: the Fabriques as hubs of the 2019 census, the census places without one,
and whether each Fabrique was already a census place."""

import streamlit as st

from core.analysis.network import DEFAULT_DISTANCE_KM, compute_without_hub_by, describe_reach, describe_without_hub
from core.analysis.relabelling import MATCH_METHOD_NOTE, STATUS_REVIEW, compute_match_report, describe_match_report
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import CENSUS_VINTAGE_NOTE, caption_for
from core.domain.formatting import format_number
from core.viz.charts import BLUE, ORANGE, make_split_bars_figure
from ui.bootstrap import ensure_navigation
from ui.context import page_context
from ui.network import (
    effective_matches,
    network_view,
    percent_columns,
    render_corrections,
    render_match_metrics,
    render_network_map,
    render_network_metrics,
)
from ui.widgets import linked_slider, render_chart, render_table, stop_if_empty

ensure_navigation()

ctx = page_context()
st.title("Réseau des tiers-lieux")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)
st.caption(
    "La fiche du programme décrit les Fabriques de Territoire comme des pôles (« hubs ») qui soutiennent et "
    "amplifient l'activité des tiers-lieux plus petits de leur territoire. Cette page les rapproche du "
    "recensement national des tiers-lieux de 2019 : lesquels une Fabrique peut animer, lesquels n'en ont aucune "
    "à proximité, et quelles Fabriques étaient déjà recensées. " + CENSUS_VINTAGE_NOTE
)

distance_km = linked_slider(st, "Distance X (km)", "distance", 1, 50, DEFAULT_DISTANCE_KM, 1, key="reseau_distance")
shown = format_number(distance_km)
view = network_view(ctx, distance_km)
sources = caption_for("fabriques", "tiers_lieux_2019") + " " + CENSUS_VINTAGE_NOTE + " " + SCOPE_DEFINITION
render_network_metrics(view, distance_km)

st.header(f"Portée de chaque Fabrique : les tiers-lieux recensés à moins de {shown} km")
parts = [("a_portee", f"À moins de {shown} km d'une Fabrique", BLUE), ("sans_fabrique", "Sans Fabrique", ORANGE)]
typologies = view.by_typology[view.by_typology["typologie"] != "Total"]
render_chart(
    make_split_bars_figure(typologies, "typologie", parts, f"Tiers-lieux recensés en 2019, par typologie ({shown} km)"),
    view.by_typology,
    describe_reach(view.reach, distance_km),
    sources,
    "reseau_typologies",
    ctx.description,
)
render_table(
    view.reach,
    f"Tiers-lieux recensés à moins de {shown} km de chaque Fabrique",
    sources + " Une ligne par Fabrique de la sélection, la plus entourée d'abord ; plus_proche_m : distance au "
    "tiers-lieu à portée le plus proche.",
    "reseau_portee",
    ctx.description,
)

st.header(f"Tiers-lieux sans Fabrique à moins de {shown} km")
by_density = compute_without_hub_by(view.census, view.without, "densite_libelle")
render_chart(
    make_split_bars_figure(by_density, "densite_libelle", parts, "Par classe de densité de leur commune"),
    by_density,
    describe_without_hub(view.census, view.without, distance_km),
    sources + " " + caption_for("densite"),
    "reseau_densite",
    ctx.description,
)
by_dep = compute_without_hub_by(view.census, view.without, "insee_dep")
render_table(
    by_dep,
    f"Tiers-lieux recensés sans Fabrique à moins de {shown} km, par département",
    sources,
    "reseau_departements",
    ctx.description,
    percent_columns(by_dep),
)
render_table(
    view.without,
    f"Tiers-lieux recensés sans Fabrique à moins de {shown} km",
    sources + " distance_fabrique_m : distance à la Fabrique de la sélection la plus proche (même territoire).",
    "reseau_sans_fabrique",
    ctx.description,
)

st.header("Carte du réseau")
render_network_map(ctx, view, distance_km)

st.header("Nouveaux lieux ou lieux déjà recensés ?")
st.caption(
    "Les données ouvertes ne disent pas quelles Fabriques existaient déjà comme tiers-lieux avant leur label. "
    "Chaque Fabrique est rapprochée par son nom des tiers-lieux recensés en 2019 dans sa commune."
)
stored = render_corrections(ctx, ctx.description)
matches = effective_matches(ctx, stored)
report = compute_match_report(matches)
match_sources = caption_for("fabriques", "tiers_lieux_2019") + " " + CENSUS_VINTAGE_NOTE
render_match_metrics(report)
st.markdown(f"**En bref :** {describe_match_report(report)}")
render_table(
    report,
    "Fabriques trouvées dans le recensement de 2019, par cohorte",
    match_sources,
    "reseau_rapprochement_cohortes",
    ctx.description,
    percent_columns(report),
)
st.markdown("**À vérifier** : rapprochements incertains, jamais comptés comme trouvés.")
render_table(
    matches[matches["statut"] == STATUS_REVIEW],
    "Rapprochements à vérifier",
    match_sources,
    "reseau_a_verifier",
    ctx.description,
)
st.markdown("**Table de rapprochement** (à télécharger, corriger et redéposer ci-dessus) :")
render_table(matches, "Table de rapprochement avec le recensement 2019", match_sources, "reseau_table", ctx.description)
with st.expander("Note de méthode", expanded=False):
    st.markdown(MATCH_METHOD_NOTE)
