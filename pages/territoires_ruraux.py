"""Territoires ruraux: Fabriques by density class, rural typology and FRR; rural population far from one."""

import streamlit as st

from core.analysis.filters import DENSITY_SCHEMES
from core.analysis.rural import compute_class_distribution, compute_population_beyond, compute_population_beyond_by
from core.domain.classifications import DENSITY_3, DENSITY_4, DENSITY_LABELS, FRR_CLASSES
from core.domain.definitions import caption_for
from core.domain.formatting import format_number, format_percent
from core.viz.charts import make_share_comparison_figure
from core.viz.maps import Choropleth, compute_bins, compute_bounds, compute_colours, escape, make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import page_context
from ui.distances import commune_distances, selection_points
from ui.map_data import display_geometries, shaded_geojson
from ui.map_view import render_map
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_chart, render_table, stop_if_empty

ensure_navigation()

ORDERS = {
    "7": [DENSITY_LABELS[i] for i in range(1, 8)],
    "4": list(dict.fromkeys(DENSITY_4.values())),
    "3": list(dict.fromkeys(DENSITY_3.values())),
}

ctx = page_context()
st.title("Territoires ruraux")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

communes = commune_distances(selection_points(ctx.fabriques))
if ctx.filters.regions or ctx.filters.departements:
    deps = set(ctx.fabriques["insee_dep"]) | set(ctx.filters.departements)
    communes = communes[communes["insee_dep"].isin(deps) | communes["insee_reg"].isin(ctx.filters.regions)]

scheme = ctx.filters.density_scheme
column = DENSITY_SCHEMES[scheme]
dist = compute_class_distribution(ctx.fabriques, communes, column, ORDERS[scheme])
rural_share = ctx.fabriques["rural_insee"].astype("boolean").fillna(False).mean()
rural_pop = communes.loc[communes["rural_insee"].astype("boolean").fillna(False), "population"].sum() / max(
    communes["population"].sum(), 1
)
render_chart(
    make_share_comparison_figure(dist, f"Fabriques, population et communes par classe de densité ({scheme} niveaux)"),
    dist,
    f"{format_percent(rural_share)} des Fabriques sont en commune rurale (INSEE, niveaux 5 à 7), qui regroupent "
    f"{format_percent(rural_pop)} de la population du périmètre.",
    caption_for("fabriques", "densite", "population"),
    "rural_densite",
)

typo = compute_class_distribution(ctx.fabriques, communes, "typologie_ruralite")
render_chart(
    make_share_comparison_figure(typo, "Par typologie rurale de l'ANCT"),
    typo,
    f"Classe la plus représentée parmi les Fabriques : {typo.sort_values('fabriques').iloc[-1]['classe']}.",
    caption_for("fabriques", "ruralite", "population"),
    "rural_typologie",
)
frr = compute_class_distribution(ctx.fabriques, communes, "frr_classe", list(FRR_CLASSES))
classed = frr[frr["classe"].isin(["FRR+", "FRR socle", "Classée FRR partiellement"])]
render_chart(
    make_share_comparison_figure(frr, "Par classement France Ruralités Revitalisation"),
    frr,
    f"{format_percent(classed['part_fabriques'].sum())} des Fabriques sont en commune classée FRR, pour "
    f"{format_percent(classed['part_population'].sum())} de la population.",
    caption_for("fabriques", "frr", "population"),
    "rural_frr",
)

st.subheader("Population rurale éloignée d'une Fabrique")
distance_km = st.slider(
    "Distance X (km)",
    5,
    60,
    int(page_param("distance", "20")) if page_param("distance", "20").isdigit() else 20,
    5,
    key="rural_distance",
)
set_page_param("distance", str(distance_km), "20")
beyond = compute_population_beyond(communes, "distance_selection_m", distance_km * 1000)
st.markdown(
    f"**En bref :** {format_number(beyond['population'])} habitants de communes rurales "
    f"({format_percent(beyond['part'])} de la population rurale du périmètre, {format_number(beyond['communes'])} "
    f"communes) vivent à plus de {distance_km} km d'une Fabrique de la sélection (centroïde à point)."
)
by_dep = compute_population_beyond_by(communes, "distance_selection_m", distance_km * 1000, "insee_dep")
scope = tuple(sorted(communes["insee_dep"].unique()))
geoms = display_geometries("departements", scope)
values = geoms["code"].map(by_dep["part_eloignee"])
bins = compute_bins(values)
tips = [
    f"<b>{escape(n)}</b><br>Population rurale à plus de {distance_km} km : {format_number(v, 1)} %"
    for n, v in zip(geoms["nom"], values, strict=True)
]
label = f"Part de la population rurale à plus de {distance_km} km (%)"
fmap = make_fabriques_map(
    ctx.fabriques,
    cluster=False,
    bounds=compute_bounds(geoms) if (ctx.filters.departements or ctx.filters.regions) else None,
    choropleth=Choropleth(
        shaded_geojson(geoms, "departements", scope, tips, compute_colours(values, bins)),
        label,
        bins,
        1,
        name="Éloignement rural",
    ),
)
render_map(fmap, 560, "carte_rurale")
st.caption(caption_for("fabriques", "densite", "population") + " Les départements sans commune rurale sont en gris.")
with st.expander("Tableau des données et exports"):
    render_table(
        by_dep.reset_index().sort_values("part_eloignee", ascending=False),
        label + " par département",
        "",
        "rural_table",
    )
