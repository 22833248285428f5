"""Région Sud: the intercommunalities addressed by « Parcours Sud Smart Territoires » and a simulator of
how its envelope could be shared between them."""

import streamlit as st

from core.domain.definitions import caption_for
from core.domain.formatting import format_euros, format_number
from core.schemes.region_sud import (
    COLUMN_LABELS,
    DISTANCE_M,
    MAP_INDICATORS,
    SIMULATION_NOTE,
    compute_epci_tooltip_lines,
    compute_region_epci_profile,
    describe_region_profile,
    load_call,
    with_distance,
)
from core.viz.maps import make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import load_marts, page_context, territory_names, territory_scope
from ui.maps import bounds_of, choropleth, render_map
from ui.region_sud import render_simulator
from ui.widgets import linked_select, linked_slider, render_metric, render_table

ensure_navigation()

CALL = load_call()
region, envelope = str(CALL["insee_reg"]), int(CALL["enveloppe"])
DESCRIPTION = "Région Sud : toutes les Fabriques, sans les filtres de la barre latérale"

ctx = page_context()
communes, tiers_lieux = load_marts("communes", "tiers_lieux_2019")
region_names = territory_names().regions
region_name = region_names.get(region, region)
st.title(f"Région Sud — {CALL['appel']}")
st.caption(
    f"Source de l'appel : {CALL['source']}. Appel à manifestation d'intérêt ouvert aux intercommunalités de la "
    f"région {region_name} (communautés de communes, d'agglomération, métropoles), avec une enveloppe globale de "
    f"{format_euros(envelope)} d'investissement. Les Fabriques et les tiers-lieux sont comptés toutes cohortes, "
    "sans les filtres de la barre latérale."
)
distance_km = linked_slider(
    st,
    "Éloignement d'une Fabrique : distance X (km)",
    "distance",
    5,
    60,
    DISTANCE_M // 1000,
    5,
    key="rs_distance",
    help="Population des communes dont le centroïde est à plus de X km de toute Fabrique (colonne "
    "« population_loin_fabrique », aussi proposée comme indicateur de besoin dans le simulateur).",
)
profile = compute_region_epci_profile(communes, ctx.all_fabriques, tiers_lieux, region, distance_km * 1000)
if profile.empty:
    st.info(
        f"Aucun EPCI n'a de commune dans la région {region} ({region_name}) dans les données chargées. "
        "Vérifiez le code de région de l'appel, ou reconstruisez les données avec : python -m etl build",
        icon=":material/search:",
    )
    st.stop()

m = st.columns(5)
render_metric(m[0], "region_epci", format_number(len(profile)))
render_metric(m[1], "region_epci_entiers", format_number(int(profile["entierement_dans_la_region"].sum())))
render_metric(m[2], "region_population_epci", format_number(profile["population"].sum()))
render_metric(m[3], "region_fabriques_epci", format_number(profile["fabriques"].sum()))
render_metric(m[4], "region_enveloppe", format_euros(envelope))
st.markdown(f"**En bref :** {describe_region_profile(profile, region_name, region_names)}")

st.header("Les EPCI de la région")
labels = {k: with_distance(v, distance_km) for k, v in COLUMN_LABELS.items()}
render_table(
    profile,
    f"EPCI de la région {region_name}",
    caption_for("cog", "population", "densite", "qpv_indicateurs", "fabriques", "tiers_lieux_2019", "programmes")
    + f" Périmètres des EPCI au COG 2026 (ceux de 2020, date de l'appel, pouvaient différer). Population, densité, "
    f"QPV, Fabriques, tiers-lieux et programmes : EPCI entier ; « population_loin_fabrique » : à plus de "
    f"{distance_km} km de toute Fabrique.",
    "rs_epci",
    DESCRIPTION,
    column_config=labels,
)
choice = linked_select(
    st,
    "Colorer la carte selon",
    "carte",
    list(MAP_INDICATORS),
    "part_population_rurale",
    key="rs_map_indicateur",
    format_func=lambda c: with_distance(MAP_INDICATORS[c][0], distance_km),
)
label, scale, decimals = MAP_INDICATORS[choice]
by_code = profile.set_index("siren_epci")
deps = territory_scope((region,), ()).map_departements
layer, _ = choropleth(
    "epci",
    deps,
    by_code[choice] * scale,
    with_distance(label, distance_km),
    decimals,
    "EPCI",
    extra=compute_epci_tooltip_lines(profile),
    codes=profile["siren_epci"],
)
located = ctx.all_fabriques[ctx.all_fabriques["siren_epci"].isin(profile["siren_epci"])]
render_map(
    make_fabriques_map(located, cluster=False, bounds=bounds_of("epci", deps), choropleth=layer),
    560,
    "rs_carte",
    description=ctx.description,
)
st.caption(
    caption_for("cog", "fabriques", "population", "densite", "qpv_indicateurs")
    + " Contours des EPCI entiers ; points : Fabriques de ces EPCI (centroïde de leur commune)."
)

st.header("Simulateur de répartition de l'enveloppe")
st.caption(SIMULATION_NOTE + f" Enveloppe annoncée : {format_euros(envelope)}.")
render_simulator(profile, envelope, distance_km, labels, DESCRIPTION)
