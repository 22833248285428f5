"""Couverture et équité: Fabriques per inhabitant, arrondissements without one, concentration, comparison."""

import streamlit as st

from core.analysis.concentration import compute_gini, compute_gini_baseline, compute_hhi, compute_lorenz
from core.analysis.coverage import compute_arrondissements_without, compute_rate_per_100k
from core.analysis.map_indicators import LEVEL_CODES
from core.analysis.profiles import compute_profile_comparison, compute_territory_profile, format_profile_comparison
from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.domain.definitions import DEFINITIONS, caption_for
from core.domain.formatting import format_number
from core.viz.charts import make_lorenz_figure, make_ranked_bars_figure
from core.viz.maps import Choropleth, compute_bins, compute_colours, escape, make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.map_data import display_geometries, shaded_geojson
from ui.map_view import render_map
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_chart, render_table, stop_if_empty

ensure_navigation()

LEVELS = {"regions": "Régions", "departements": "Départements", "epci": "EPCI"}
NAMES = {"regions": "nom_reg", "departements": "nom_dep", "epci": "nom_epci"}

ctx = page_context()
st.title("Couverture et équité")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

st.subheader("Fabriques pour 100 000 habitants")
level = st.radio(
    "Échelle",
    list(LEVELS),
    format_func=LEVELS.get,
    horizontal=True,
    key="cov_level",
    index=list(LEVELS).index(page_param("echelle", "departements", list(LEVELS))),
)
set_page_param("echelle", level, "departements")
code, name = LEVEL_CODES[level], NAMES[level]
territories = load_or_stop(level)
rates = compute_rate_per_100k(territories, ctx.fabriques, code)
if ctx.filters.regions or ctx.filters.departements:
    scope = set(ctx.fabriques[code])
    rates = (
        rates[rates[code].isin(scope)]
        if level == "epci"
        else rates[
            rates[code].isin(
                set(
                    ctx.all_fabriques.loc[
                        ctx.all_fabriques["insee_dep"].isin(ctx.filters.departements)
                        | ctx.all_fabriques["insee_reg"].isin(ctx.filters.regions),
                        code,
                    ]
                )
            )
        ]
    )
without = int((rates["fabriques_selection"] == 0).sum())
top = rates.iloc[0]
render_chart(
    make_ranked_bars_figure(
        rates,
        name,
        "pour_100k",
        f"Fabriques pour 100 000 habitants — {LEVELS[level]} (les 30 premiers)",
        "pour 100 000 hab.",
    ),
    rates[[code, name, "population", "fabriques_selection", "pour_100k"]],
    f"Le taux le plus élevé est celui de {top[name]} ({format_number(top['pour_100k'], 2)} pour 100 000 habitants) ; "
    f"{format_number(without)} territoire(s) sur {format_number(len(rates))} sans aucune Fabrique de la sélection.",
    caption_for("fabriques", "population", "cog"),
    "cov_barres",
)
scope = tuple(sorted(ctx.filters.departements)) if level != "regions" else ()
geoms = display_geometries(level, scope)
geoms = geoms[geoms["code"].isin(rates[code])]
values = geoms["code"].map(rates.set_index(code)["pour_100k"])
bins = compute_bins(values)
tips = [
    f"<b>{escape(n)}</b><br>{format_number(v, 2)} Fabriques pour 100 000 hab."
    for n, v in zip(geoms["nom"], values, strict=True)
]
fmap = make_fabriques_map(
    ctx.fabriques.iloc[0:0],
    choropleth=Choropleth(
        shaded_geojson(geoms, level, scope, tips, compute_colours(values, bins)),
        DEFINITIONS["pour_100k"].label,
        bins,
        2,
        name=LEVELS[level],
    ),
)
render_map(fmap, 520, "cov_carte")
st.caption(caption_for("fabriques", "population", "cog"))

st.subheader("Arrondissements sans Fabrique")
arrondissements = load_or_stop("arrondissements")
before_2023 = compute_arrondissements_without(arrondissements, ctx.all_fabriques, (COHORT_2020_2021,))
reached = set(ctx.all_fabriques.loc[ctx.all_fabriques["cohort"] == COHORT_2023, "insee_arr"])
before_2023["fabrique_2023"] = before_2023["insee_arr"].isin(reached)
still = compute_arrondissements_without(arrondissements, ctx.all_fabriques, (COHORT_2020_2021, COHORT_2023))
c1, c2, c3 = st.columns(3)
c1.metric(
    "Sans Fabrique 2020-2021",
    format_number(len(before_2023)),
    help="Arrondissements (COG 2026) sans Fabrique des vagues 2020-2021 : le critère d'éligibilité de l'appel "
    "2023, qui comptait 144 territoires éligibles (sous-préfectures) selon l'Avise.",
)
c2.metric("Dont dotés d'une Fabrique en 2023", format_number(int(before_2023["fabrique_2023"].sum())))
c3.metric("Encore sans Fabrique", format_number(len(still)))
st.markdown(
    f"**En bref :** {format_number(len(before_2023))} arrondissements n'avaient pas de Fabrique 2020-2021 (l'appel "
    f"2023 en annonçait 144 éligibles ; l'écart tient aux découpages et au COG 2026 utilisé ici) ; "
    f"{format_number(int(before_2023['fabrique_2023'].sum()))} ont reçu une Fabrique en 2023 et "
    f"{format_number(len(still))} n'en ont toujours aucune."
)
with st.expander("Liste des arrondissements sans Fabrique 2020-2021"):
    render_table(
        before_2023[["insee_arr", "nom_arr", "population", "fabrique_2023"]],
        "Arrondissements sans Fabrique 2020-2021",
        caption_for("fabriques", "cog"),
        "cov_arrondissements",
    )
st.caption(
    caption_for("fabriques", "cog") + " Une Fabrique 2023 dont la commune a changé d'arrondissement depuis "
    "2023 peut apparaître ailleurs qu'au moment de l'appel."
)

st.subheader("Concentration")
deps = load_or_stop("departements")
counts = deps["insee_dep"].map(ctx.fabriques["insee_dep"].value_counts()).fillna(0)
lorenz = compute_lorenz(counts, deps["population"])
gini, hhi = compute_gini(lorenz), compute_hhi(counts)
baseline = compute_gini_baseline(deps["population"], len(ctx.fabriques))
c1, c2 = st.columns(2)
c1.metric(DEFINITIONS["gini"].label, format_number(gini, 2), help=DEFINITIONS["gini"].definition)
c2.metric(DEFINITIONS["hhi"].label, format_number(hhi, 0), help=DEFINITIONS["hhi"].definition)
render_chart(
    make_lorenz_figure(lorenz, "Courbe de Lorenz des Fabriques par département, rapportées à la population"),
    lorenz,
    f"Gini de {format_number(gini, 2)} entre départements ; un tirage au hasard proportionnel à la population de "
    f"{format_number(len(ctx.fabriques))} lieux donnerait en moyenne {format_number(baseline['mean'], 2)} "
    f"(90 % des tirages entre {format_number(baseline['p05'], 2)} et {format_number(baseline['p95'], 2)}).",
    caption_for("fabriques", "population"),
    "cov_lorenz",
)
st.info(
    "Petits effectifs : avec quelques Fabriques par département, une partie de la concentration mesurée vient du "
    "hasard seul. Comparez toujours le Gini observé à la référence aléatoire ci-dessus ; le HHI ne tient pas "
    "compte de la population.",
    icon="ℹ️",
)

st.subheader("Un territoire face à une référence")
communes = load_or_stop("communes")
dep_names = deps.set_index("insee_dep")["nom_dep"].to_dict()
choice = st.selectbox(
    "Département", list(dep_names), format_func=lambda c: f"{c} – {dep_names[c]}", key="cov_territoire"
)
region = communes.loc[communes["insee_dep"] == choice, "insee_reg"].iloc[0]
reference = st.radio(
    "Référence",
    ["france", "region"],
    horizontal=True,
    key="cov_reference",
    format_func={"france": "France entière", "region": "Sa région"}.get,
)
mine = compute_territory_profile(
    communes[communes["insee_dep"] == choice], ctx.fabriques[ctx.fabriques["insee_dep"] == choice]
)
if reference == "france":
    ref_communes, ref_fab, ref_name = communes, ctx.fabriques, "France entière"
else:
    ref_communes = communes[communes["insee_reg"] == region]
    ref_fab = ctx.fabriques[ctx.fabriques["insee_reg"] == region]
    ref_name = ref_communes["nom_reg"].iloc[0]
comparison = compute_profile_comparison(
    mine, compute_territory_profile(ref_communes, ref_fab), dep_names[choice], ref_name
)
shown = format_profile_comparison(comparison)
render_table(
    shown,
    f"{dep_names[choice]} face à {ref_name}",
    caption_for("fabriques", "population", "densite"),
    "cov_comparaison",
)
rate_gap = mine["fabriques_pour_100k"] - compute_territory_profile(ref_communes, ref_fab)["fabriques_pour_100k"]
st.markdown(
    f"**En bref :** {dep_names[choice]} compte {format_number(mine['fabriques_pour_100k'], 2)} Fabriques pour "
    f"100 000 habitants, soit {format_number(abs(rate_gap), 2)} de {'plus' if rate_gap >= 0 else 'moins'} "
    f"que la référence ({ref_name})."
)
st.caption(caption_for("fabriques", "population", "densite", "qpv_indicateurs", "programmes", "tiers_lieux_2019"))
