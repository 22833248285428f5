"""Territoires ruraux: Fabriques by density class, rural typology and FRR; rural population far from one."""

import streamlit as st

from core.analysis.filters import DENSITY_SCHEMES
from core.analysis.rural import (
    compute_class_distribution,
    compute_population_beyond,
    compute_population_beyond_by,
    describe_density_shares,
    describe_frr_shares,
    describe_population_beyond,
    describe_top_class,
)
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.classifications import DENSITY_CLASSES, FRR_CLASSES
from core.domain.definitions import caption_for
from core.viz.charts import make_share_comparison_figure
from core.viz.maps import make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import page_context
from ui.distances import commune_distances, selection_points
from ui.maps import bounds_of, choropleth, render_map
from ui.widgets import linked_slider, render_chart, render_table, stop_if_empty

ensure_navigation()

ctx = page_context()
st.title("Territoires ruraux")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

communes = ctx.scope.restrict(commune_distances(selection_points(ctx.fabriques)), "communes")
scheme = ctx.filters.density_scheme
sources = caption_for("fabriques", "densite", "population") + " " + SCOPE_DEFINITION
dist = compute_class_distribution(ctx.fabriques, communes, DENSITY_SCHEMES[scheme], DENSITY_CLASSES[scheme])
render_chart(
    make_share_comparison_figure(dist, f"Fabriques, population et communes par classe de densité ({scheme} niveaux)"),
    dist,
    describe_density_shares(ctx.fabriques, communes),
    sources,
    "rural_densite",
    ctx.description,
)
typo = compute_class_distribution(ctx.fabriques, communes, "typologie_ruralite")
render_chart(
    make_share_comparison_figure(typo, "Par typologie rurale de l'ANCT"),
    typo,
    describe_top_class(typo),
    caption_for("fabriques", "ruralite", "population"),
    "rural_typologie",
    ctx.description,
)
frr = compute_class_distribution(ctx.fabriques, communes, "frr_classe", list(FRR_CLASSES))
render_chart(
    make_share_comparison_figure(frr, "Par classement France Ruralités Revitalisation"),
    frr,
    describe_frr_shares(frr),
    caption_for("fabriques", "frr", "population"),
    "rural_frr",
    ctx.description,
)

st.header("Population rurale éloignée d'une Fabrique")
distance_km = linked_slider(st, "Distance X (km)", "distance", 5, 60, 20, 5, key="rural_distance")
beyond = compute_population_beyond(communes, "distance_selection_m", distance_km * 1000)
st.markdown(f"**En bref :** {describe_population_beyond(beyond, distance_km)}")
by_dep = compute_population_beyond_by(communes, "distance_selection_m", distance_km * 1000, "insee_dep")
label = f"Part de la population rurale à plus de {distance_km} km (%)"
deps = ctx.scope.map_departements
layer, _ = choropleth("departements", deps, by_dep["part_eloignee"], label, 1, "Éloignement rural")
fmap = make_fabriques_map(
    ctx.fabriques, cluster=False, bounds=bounds_of("departements", deps) if deps else None, choropleth=layer
)
render_map(fmap, 560, "carte_rurale", description=ctx.description)
st.caption(caption_for("fabriques", "densite", "population") + " Les départements sans commune rurale sont en gris.")
with st.expander("Tableau des données et exports"):
    render_table(
        by_dep.reset_index().sort_values("part_eloignee", ascending=False),
        label + " par département",
        sources,
        "rural_table",
        ctx.description,
    )
