"""Carte: Fabriques, QPV, a choropleth, borders and optional layers (folium via streamlit-folium)."""

import streamlit as st

from core.analysis.map_indicators import MAP_INDICATORS, MAP_LEVELS, compute_choropleth_values
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.domain.territories import LEVELS, level_labels
from core.viz.maps import OVERSEAS_VIEWS, make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.distances import commune_distances, selection_points
from ui.exports import render_map_exports
from ui.maps import (
    OPTIONAL_LAYERS,
    bounds_of,
    choropleth,
    map_borders,
    optional_point_layers,
    qpv_as_points,
    qpv_buffer_json,
    qpv_json,
    render_map,
)
from ui.user_list import active_user_list, replacing_list
from ui.widgets import linked_multiselect, linked_select, stop_if_empty

ensure_navigation()

ctx = page_context()
deps = ctx.scope.map_departements
st.title("Carte")
st.caption(ctx.description)

c1, c2, c3 = st.columns([1, 2, 1])
levels = [lvl for lvl in MAP_LEVELS if deps or lvl != "communes"]
level = linked_select(
    c1, "Échelle de la carte", "echelle", levels, "departements", key="map_level", format_func=level_labels(levels).get
)
indicators = [k for k, v in MAP_INDICATORS.items() if level in v.levels]
indicator = linked_select(
    c2,
    "Indicateur",
    "indicateur",
    indicators,
    "pour_100k",
    key="map_indicator",
    format_func=lambda k: MAP_INDICATORS[k].label,
)
views = ["Sélection", *OVERSEAS_VIEWS] if deps else list(OVERSEAS_VIEWS)
view = linked_select(c3, "Zoom", "vue", views, views[0], key="map_view")
layers = linked_multiselect(
    st,
    "Couches facultatives",
    "couches",
    list(OPTIONAL_LAYERS),
    key="map_layers",
    format_func=OPTIONAL_LAYERS.get,
    placeholder="Aucune",
)
if not deps:
    st.caption(
        "À l'échelle nationale les QPV sont figurés par des points ; choisissez une région ou un département "
        "dans la barre latérale pour voir leurs périmètres et la carte par commune."
    )
stop_if_empty(ctx.fabriques)

spec = MAP_INDICATORS[indicator]
table = load_or_stop(level)
distances = (
    commune_distances(selection_points(ctx.fabriques))["distance_selection_m"] if indicator == "distance" else None
)
values = compute_choropleth_values(table, level, ctx.fabriques, indicator, distances)
layer, shown = choropleth(level, deps, values, spec.label, spec.decimals, f"{spec.label} ({LEVELS[level].plural})")
replacing = replacing_list()
map_layers = dict(
    qpv=qpv_json(deps),
    qpv_points=qpv_as_points(deps),
    choropleth=layer,
    bounds=bounds_of("departements", deps) if view == "Sélection" else OVERSEAS_VIEWS[view],
    buffers=[(f"QPV + {d} m", qpv_buffer_json(d, deps)) for d in (300, 500) if f"tampon_{d}" in layers],
    borders=map_borders(level, deps),
    point_layers=optional_point_layers(layers, ctx.scope, active_user_list()),
    places_name=f"Liste importée « {replacing.name} »" if replacing else "Fabriques de Territoire",
)
title = f"Carte des Fabriques de Territoire — {spec.label} ({LEVELS[level].plural})"
render_map(
    make_fabriques_map(ctx.fabriques, **map_layers),
    700,
    "carte_principale",
    title=title,
    search=True,
    description=ctx.description,
)
located = int(ctx.fabriques["longitude"].notna().sum())
coloured = int(shown[spec.label].notna().sum())
st.markdown(
    f"**En bref :** {format_number(located)} Fabriques placées sur la carte (sur {format_number(len(ctx.fabriques))} "
    f"de la sélection), {format_number(coloured)} territoires colorés selon « {spec.label} » "
    f"(sur {format_number(len(shown))} {LEVELS[level].of} du périmètre)."
)
st.caption(
    caption_for("fabriques", "qpv", "population", "cog") + " Les points sont les centroïdes des communes, "
    "pas les adresses des lieux. Une Fabrique sans géométrie dans la source (Saint-Martin) n'est pas placée. "
    + SCOPE_DEFINITION
)
with st.expander("Exporter la carte"):
    render_map_exports(
        lambda: make_fabriques_map(ctx.fabriques, **map_layers),
        title.removeprefix("Carte des "),
        ctx.description,
        "carte-fabriques",
        f"{level}|{indicator}|{view}|{','.join(layers)}",
    )
