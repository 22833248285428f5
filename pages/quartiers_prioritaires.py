"""Quartiers prioritaires: Fabriques in and near QPV, QPV far from any Fabrique, coverage of QPV population."""

import streamlit as st

from core.analysis.qpv import compute_qpv_population_coverage, compute_qpv_sensitivity, compute_qpv_without_fabrique
from core.domain.definitions import caption_for
from core.domain.formatting import format_number, format_percent
from core.viz.charts import make_ranked_bars_figure, make_sensitivity_figure
from ui.bootstrap import ensure_navigation
from ui.context import page_context
from ui.distances import qpv_distances, selection_points
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_chart, render_table, stop_if_empty

ensure_navigation()

ctx = page_context()
st.title("Quartiers prioritaires")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

st.subheader("Fabriques dans ou près d'un QPV")
sensitivity = compute_qpv_sensitivity(ctx.fabriques)
inside, near500 = sensitivity["fabriques"].iloc[0], sensitivity["fabriques"].iloc[2]
render_chart(
    make_sensitivity_figure(sensitivity, "Fabriques selon la distance au QPV le plus proche"),
    sensitivity.assign(part=sensitivity["part"].map(format_percent)),
    f"Sur {format_number(len(ctx.fabriques))} Fabriques, {format_number(inside)} ont leur point dans un QPV et "
    f"{format_number(near500)} ({format_percent(near500 / len(ctx.fabriques))}) sont dans un QPV ou à moins de 500 m ; "
    f"{format_number(sensitivity['fabriques'].iloc[-1])} sont dans une commune qui compte un QPV.",
    caption_for("fabriques", "qpv"),
    "qpv_sensibilite",
)

distance_km = st.slider(
    "Distance X (km)",
    0.5,
    10.0,
    float(page_param("distance", "2")) if page_param("distance", "2").replace(".", "", 1).isdigit() else 2.0,
    0.5,
    key="qpv_distance",
)
set_page_param("distance", f"{distance_km:g}", "2")
qpv = qpv_distances(selection_points(ctx.fabriques))
scope = (
    qpv[qpv["insee_dep"].isin(ctx.fabriques["insee_dep"].unique())]
    if (ctx.filters.regions or ctx.filters.departements)
    else qpv
)

st.subheader(f"QPV sans Fabrique à moins de {format_number(distance_km, 1)} km")
far = compute_qpv_without_fabrique(scope, distance_km * 1000)
st.markdown(
    f"**En bref :** {format_number(len(far))} QPV sur {format_number(len(scope))} n'ont aucune Fabrique de la "
    f"sélection à moins de {format_number(distance_km, 1)} km ; ils comptent "
    f"{format_number(far['pop_qpv'].sum())} habitants (population connue)."
)
render_table(
    far.head(200).assign(distance_km=(far["distance_fabrique_m"] / 1000).round(1)).drop(columns="distance_fabrique_m"),
    f"QPV sans Fabrique à moins de {format_number(distance_km, 1)} km",
    caption_for("qpv", "qpv_indicateurs", "fabriques") + " Les 200 premiers par population ; distance du "
    "périmètre du QPV au point de la Fabrique la plus proche (même territoire).",
    "qpv_sans_fabrique",
)

st.subheader(f"Population des QPV à moins de {format_number(distance_km, 1)} km d'une Fabrique")
by = st.radio(
    "Par",
    ["insee_reg", "insee_dep"],
    horizontal=True,
    key="qpv_by",
    format_func={"insee_reg": "région", "insee_dep": "département"}.get,
)
coverage = compute_qpv_population_coverage(scope, distance_km * 1000, by)
names = dict(zip(ctx.all_fabriques[by], ctx.all_fabriques["nom_reg" if by == "insee_reg" else "nom_dep"], strict=True))
coverage.insert(1, "nom", coverage[by].map(names).fillna(coverage[by]))
total = coverage["population_couverte"].sum() / max(coverage["population_qpv"].sum(), 1)
lowest = coverage.dropna(subset=["part_couverte"]).iloc[0] if coverage["part_couverte"].notna().any() else None
render_chart(
    make_ranked_bars_figure(
        coverage.sort_values("part_couverte", ascending=False),
        "nom",
        "part_couverte",
        f"Part de la population des QPV à moins de {format_number(distance_km, 1)} km d'une Fabrique",
        "part couverte",
        top=40,
    ),
    coverage,
    f"{format_percent(total)} de la population des QPV du périmètre vit à moins de {format_number(distance_km, 1)} km "
    "d'une Fabrique de la sélection"
    + (
        f" ; la part la plus faible est celle de {lowest['nom']} ({format_percent(lowest['part_couverte'])})."
        if lowest is not None
        else "."
    ),
    caption_for("qpv", "qpv_indicateurs", "fabriques"),
    "qpv_couverture",
)

with st.expander("Note de méthode", expanded=False):
    st.markdown(
        "- **Précision des points.** Les données ouvertes placent chaque Fabrique au centroïde de sa commune, pas à "
        "son adresse : « dans un QPV » sous-estime fortement la réalité (la vague 1, entièrement en QPV selon l'ANCT, "
        "n'a que quelques points dans un périmètre). Les seuils de 300 m, 500 m et 1 km et le critère communal "
        "encadrent cette incertitude.\n"
        "- **Géographies 2015 et 2024.** Les Fabriques 2020-2021 ont été sélectionnées sur la géographie prioritaire "
        "de 2015 ; la carte des QPV a été refondue au 1er janvier 2024 (décret 2023-1314). "
        "Les calculs utilisent 2024 ; "
        "un fichier 2015 peut être ajouté à la construction (`python -m etl build --qpv-2015 FICHIER`).\n"
        "- **Distances** à vol d'oiseau, en Lambert-93 en métropole et dans la projection UTM locale outre-mer ; un "
        "QPV n'est jamais rapproché d'une Fabrique d'un autre territoire.\n"
        "- **Population des QPV** : fichier d'indicateurs au millésime non documenté (indicatif) ; 91 QPV n'y figurent "
        "pas et comptent pour 0."
    )
