"""Carte: Fabriques, QPV, a choropleth, borders and optional layers (folium via streamlit-folium)."""

import pandas as pd
import streamlit as st

from core.analysis.map_indicators import LEVELS, MAP_INDICATORS, compute_choropleth_values
from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.viz.maps import (
    OVERSEAS_VIEWS,
    Choropleth,
    PointLayer,
    assemble_geojson,
    compute_bins,
    compute_bounds,
    compute_colours,
    escape,
    make_fabriques_map,
)
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.exports import render_map_exports
from ui.map_data import borders_json, display_geometries, geometry_json, qpv_as_points, qpv_buffer_json, qpv_json
from ui.map_view import render_map
from ui.sidebar import page_param, set_page_param
from ui.user_list import active_user_list, replacing_list
from ui.widgets import render_table, stop_if_empty

ensure_navigation()

ctx = page_context()
st.title("Carte")
st.caption(ctx.description)

deps = (
    tuple(
        sorted(
            set(ctx.filters.departements)
            | set(ctx.all_fabriques.loc[ctx.all_fabriques["insee_reg"].isin(ctx.filters.regions), "insee_dep"])
        )
    )
    if (ctx.filters.departements or ctx.filters.regions)
    else ()
)

c1, c2, c3 = st.columns([1, 2, 1])
levels = list(LEVELS) if deps else [lvl for lvl in LEVELS if lvl != "communes"]
level = c1.selectbox(
    "Échelle de la carte",
    levels,
    format_func=LEVELS.get,
    key="map_level",
    index=levels.index(page_param("echelle", "departements", levels)),
)
indicators = [k for k, v in MAP_INDICATORS.items() if level in v.levels]
indicator = c2.selectbox(
    "Indicateur",
    indicators,
    format_func=lambda k: MAP_INDICATORS[k].label,
    key="map_indicator",
    index=indicators.index(page_param("indicateur", "pour_100k", indicators)),
)
views = ["Sélection", *OVERSEAS_VIEWS] if deps else list(OVERSEAS_VIEWS)
view = c3.selectbox("Zoom", views, key="map_view", index=views.index(page_param("vue", views[0], views)))
layers = st.multiselect(
    "Couches facultatives",
    ["pvd", "acv", "tiers_lieux_2019", "tampon_300", "tampon_500"],
    format_func={
        "pvd": "Petites villes de demain",
        "acv": "Action cœur de ville",
        "tiers_lieux_2019": "Tiers-lieux recensés en 2019",
        "tampon_300": "QPV + 300 m",
        "tampon_500": "QPV + 500 m",
    }.get,
    key="map_layers",
    placeholder="Aucune",
    default=[v for v in page_param("couches", "").split(",") if v],
)
for name, value, default in (
    ("echelle", level, "departements"),
    ("indicateur", indicator, "pour_100k"),
    ("vue", view, views[0]),
    ("couches", ",".join(layers), ""),
):
    set_page_param(name, value, default)
if not deps:
    st.caption(
        "À l'échelle nationale les QPV sont figurés par des points ; choisissez une région ou un département "
        "dans la barre latérale pour voir leurs périmètres et la carte par commune."
    )
stop_if_empty(ctx.fabriques)

table = load_or_stop(level)
values = compute_choropleth_values(table, level, ctx.fabriques, indicator)
scope = deps if level in ("communes", "epci", "departements") else ()
geoms = display_geometries(level, scope)
spec = MAP_INDICATORS[indicator]
val = geoms["code"].map(values)
bins = compute_bins(val)
tips = [
    f"<b>{escape(n)}</b><br>{escape(spec.label)} : {format_number(v, spec.decimals)}"
    for n, v in zip(geoms["nom"], val, strict=True)
]
choropleth = Choropleth(
    assemble_geojson(geometry_json(level, scope), tips, compute_colours(val, bins)),
    spec.label,
    bins,
    spec.decimals,
    name=f"{spec.label} ({LEVELS[level]})",
)

point_layers = []
if "pvd" in layers or "acv" in layers:
    programmes = load_or_stop("programmes")
    communes = load_or_stop("communes")[["insee_com", "centroide_lon", "centroide_lat"]]
    for prog, colour in (("pvd", "#2e8b57"), ("acv", "#8e44ad")):
        if prog in layers:
            pts = programmes[programmes["programme"].isin([prog, f"{prog}2"])].merge(communes, on="insee_com")
            pts = pts[pts["insee_dep"].isin(deps)] if deps else pts
            point_layers.append(
                PointLayer(
                    pts["programme_libelle"].iloc[0] if len(pts) else prog,
                    pd.DataFrame(
                        {
                            "longitude": pts["centroide_lon"],
                            "latitude": pts["centroide_lat"],
                            "label": pts["lib_programme"] + " (" + pts["nom_com"].fillna("") + ")",
                        }
                    ),
                    colour,
                    True,
                )
            )
if "tiers_lieux_2019" in layers:
    tl = load_or_stop("tiers_lieux_2019")
    tl = tl[tl["insee_dep"].isin(deps)] if deps else tl
    point_layers.append(
        PointLayer(
            "Tiers-lieux recensés en 2019",
            pd.DataFrame(
                {
                    "longitude": tl["longitude"],
                    "latitude": tl["latitude"],
                    "label": tl["nom"] + " — " + tl["typologie"],
                }
            ),
            "#555555",
            True,
        )
    )
extra = active_user_list()
if extra is not None and extra.mode == "couche":
    own = extra.places[extra.places["insee_dep"].isin(deps)] if deps else extra.places
    point_layers.append(
        PointLayer(
            f"Liste importée « {extra.name} »",
            pd.DataFrame(
                {
                    "longitude": own["longitude"],
                    "latitude": own["latitude"],
                    "label": own["nom"].astype(str) + " — " + own["nom_com"].fillna("").astype(str),
                }
            ),
            "#7b2d8e",
            True,
            "fabt-user-list",
        )
    )
buffers = [(f"QPV + {d} m", qpv_buffer_json(d, deps)) for d in (300, 500) if f"tampon_{d}" in layers]

bounds = compute_bounds(display_geometries("departements", deps)) if view == "Sélection" else OVERSEAS_VIEWS[view]
replacing = replacing_list()
places_name = f"Liste importée « {replacing.name} »" if replacing else "Fabriques de Territoire"
map_layers = dict(
    qpv=qpv_json(deps),
    qpv_points=qpv_as_points(deps),
    choropleth=choropleth,
    bounds=bounds,
    buffers=buffers,
    # the département choropleth already draws département outlines
    borders=([] if level == "departements" else [("Départements", borders_json("departements"))])
    + [("Régions", borders_json("regions"))],
    point_layers=point_layers,
)
render_map(make_fabriques_map(ctx.fabriques, **map_layers, places_name=places_name), 640, "carte_principale")
located = int(ctx.fabriques["longitude"].notna().sum())
st.markdown(
    f"**En bref :** {format_number(located)} Fabriques placées sur la carte "
    f"(sur {format_number(len(ctx.fabriques))} "
    f"de la sélection), {format_number(val.notna().sum())} territoires colorés selon « {spec.label} »."
)
st.caption(
    caption_for("fabriques", "qpv", "population", "cog") + " Les points sont les centroïdes des communes, "
    "pas les adresses des lieux. Une Fabrique sans géométrie dans la source (Saint-Martin) n'est pas placée."
)
with st.expander("Exporter la carte"):
    map_title = f"Fabriques de Territoire — {spec.label} ({LEVELS[level]})"
    render_map_exports(
        lambda: make_fabriques_map(ctx.fabriques, **map_layers, places_name=places_name),
        map_title,
        ctx.description,
        "carte-fabriques",
        f"{level}|{indicator}|{view}|{','.join(layers)}",
    )

# On demand: the table widget's code would otherwise load before the map in the browser.
if st.toggle("Afficher le tableau des données", key="carte_tableau"):
    shown = pd.DataFrame({"code": geoms["code"], "territoire": geoms["nom"], spec.label: val})
    render_table(
        shown.sort_values(spec.label, ascending=False),
        f"{spec.label} par {LEVELS[level]}",
        caption_for("fabriques", "qpv", "population", "densite", "frr", "cog"),
        "carte_table",
    )
