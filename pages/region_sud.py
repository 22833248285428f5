"""Région Sud: the intercommunalities addressed by « Parcours Sud Smart Territoires » and a simulator of
how its envelope could be shared between them."""

import streamlit as st

from core.domain.definitions import SOURCES, caption_for
from core.domain.formatting import format_euros, format_number, format_percent
from core.schemes.allocation import METHODS, AllocationError, compute_allocation
from core.schemes.region_sud import DISTANCE_M, EPCI_TYPES, NEED_INDICATORS, compute_region_epci_profile, load_call
from core.viz.charts import make_allocation_figure
from core.viz.maps import Choropleth, compute_bins, compute_bounds, compute_colours, escape, make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.map_data import display_geometries, shaded_geojson
from ui.map_view import render_map
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_chart, render_metric, render_table

ensure_navigation()

CALL = load_call()
region, envelope = str(CALL["insee_reg"]), int(CALL["enveloppe"])
DEFAULT_DISTANCE_KM = DISTANCE_M // 1000
MAP_INDICATORS = {
    "part_population_rurale": ("Part de la population en commune rurale (%)", 100, 1),
    "population": ("Population (EPCI entier)", 1, 0),
    "qpv_population": ("Population en QPV", 1, 0),
    "population_loin_fabrique": ("Population à plus de X km d'une Fabrique", 1, 0),
    "fabriques": ("Fabriques", 1, 0),
}

# 1. Cached frames
ctx = page_context()
communes = load_or_stop("communes")
tiers_lieux = load_or_stop("tiers_lieux_2019")
region_names = dict(zip(communes["insee_reg"], communes["nom_reg"], strict=True))
region_name = region_names.get(region, region)

st.title(f"Région Sud — {CALL['appel']}")
st.caption(
    f"Source de l'appel : {CALL['source']}. Appel à manifestation d'intérêt ouvert aux intercommunalités de la "
    f"région {region_name} (communautés de communes, d'agglomération, métropoles), avec une enveloppe globale de "
    f"{format_euros(envelope)} d'investissement. Les Fabriques et les tiers-lieux sont comptés toutes cohortes, "
    "sans les filtres de la barre latérale."
)

base = compute_region_epci_profile(communes, ctx.all_fabriques, tiers_lieux, region)
if base.empty:
    st.info(
        f"Aucun EPCI n'a de commune dans la région {region} ({region_name}) dans les données chargées. "
        "Vérifiez le code de région de l'appel, ou reconstruisez les données avec : python -m etl build",
        icon="🔎",
    )
    st.stop()

# Key figures: whole EPCI (what the call funds); the part inside the région is said beside.
straddling = base[~base["entierement_dans_la_region"]]
m = st.columns(5)
render_metric(m[0], "region_epci", format_number(len(base)))
render_metric(m[1], "region_epci_entiers", format_number(int(base["entierement_dans_la_region"].sum())))
render_metric(m[2], "region_population_epci", format_number(base["population"].sum()))
render_metric(m[3], "region_fabriques_epci", format_number(base["fabriques"].sum()))
render_metric(m[4], "region_enveloppe", format_euros(envelope))
others = sorted({code for codes in straddling["autres_regions"] for code in codes.split(", ") if code})
st.markdown(
    f"**En bref :** {format_number(len(base))} EPCI ont au moins une commune en {region_name} ; "
    f"{format_number(len(base) - len(straddling))} y sont entièrement, {format_number(len(straddling))} sont à "
    f"cheval sur {', '.join(region_names.get(c, c) for c in others) or 'aucune autre région'}. "
    f"**Chaque EPCI est compté en entier** (c'est l'intercommunalité qui candidate) : "
    f"{format_number(base['population'].sum())} habitants, dont {format_number(base['population_region'].sum())} "
    f"dans la région ({format_percent(base['population_region'].sum() / base['population'].sum())}). "
    "Les colonnes « communes_region » et « population_region » donnent la part située dans la région."
)

st.subheader("Les EPCI de la région")
distance_default = page_param("distance", str(DEFAULT_DISTANCE_KM))
distance_km = st.slider(
    "Éloignement d'une Fabrique : distance X (km)",
    5,
    60,
    int(distance_default) if distance_default.isdigit() and 5 <= int(distance_default) <= 60 else 20,
    5,
    key="rs_distance",
    help="Population des communes dont le centroïde est à plus de X km de toute Fabrique (colonne "
    "« population_loin_fabrique », aussi proposée comme indicateur de besoin dans le simulateur).",
)
set_page_param("distance", str(distance_km), str(DEFAULT_DISTANCE_KM))
column_labels = {
    "siren_epci": "SIREN",
    "nom_epci": "EPCI",
    "type_epci": "Type",
    "communes_region": "Communes dans la région",
    "communes": "Communes (EPCI entier)",
    "entierement_dans_la_region": "Entièrement dans la région",
    "autres_regions": "Autres régions",
    "population_region": "Population dans la région",
    "population": "Population (EPCI entier)",
    "part_population_region": "Part dans la région",
    "population_urbain_dense": "Population urbaine dense",
    "population_urbain_intermediaire": "Population urbaine intermédiaire",
    "population_rurale": "Population rurale",
    "part_population_rurale": "Part rurale",
    "qpv_population": "Population en QPV",
    "population_loin_fabrique": f"Population à plus de {distance_km} km d'une Fabrique",
    "fabriques_2020_2021": "Fabriques 2020-2021",
    "fabriques_2023": "Fabriques 2023",
    "fabriques": "Fabriques",
    "tiers_lieux_2019": "Tiers-lieux 2019",
    "communes_pvd": "Communes PVD",
    "communes_acv": "Communes ACV",
    "montant_simule": "Montant simulé",
    "part_enveloppe": "Part de l'enveloppe",
    "contraint": "Contrainte",
}
profile = (
    base
    if distance_km * 1000 == DISTANCE_M
    else compute_region_epci_profile(communes, ctx.all_fabriques, tiers_lieux, region, distance_km * 1000)
)
render_table(
    profile,
    f"EPCI de la région {region_name}",
    caption_for("cog", "population", "densite", "qpv_indicateurs", "fabriques", "tiers_lieux_2019", "programmes")
    + f" Périmètres des EPCI au COG 2026 (ceux de 2020, date de l'appel, pouvaient différer). Population, "
    f"densité, QPV, Fabriques, tiers-lieux et programmes : EPCI entier ; « population_loin_fabrique » : à plus de "
    f"{distance_km} km de toute Fabrique.",
    "rs_epci",
    column_config=column_labels,
)

map_choice = st.selectbox(
    "Colorer la carte selon",
    list(MAP_INDICATORS),
    format_func=lambda c: MAP_INDICATORS[c][0].replace("X km", f"{distance_km} km"),
    key="rs_map_indicateur",
)
label, scale, decimals = MAP_INDICATORS[map_choice]
label = label.replace("X km", f"{distance_km} km")
deps = tuple(sorted(communes.loc[communes["insee_reg"] == region, "insee_dep"].unique()))
geoms = display_geometries("epci", deps)
geoms = geoms[geoms["code"].isin(profile["siren_epci"])]
by_code = profile.set_index("siren_epci")
values = geoms["code"].map(by_code[map_choice]) * scale
bins = compute_bins(values)
tips = [
    f"<b>{escape(name)}</b> ({escape(EPCI_TYPES.get(by_code.at[code, 'type_epci'], by_code.at[code, 'type_epci']))})"
    f"<br>{label} : {format_number(value, decimals)}"
    f"<br>Communes dans la région : {by_code.at[code, 'communes_region']} sur {by_code.at[code, 'communes']}"
    + (
        ""
        if by_code.at[code, "entierement_dans_la_region"]
        else f"<br>À cheval sur : {escape(by_code.at[code, 'autres_regions'])}"
    )
    for code, name, value in zip(geoms["code"], geoms["nom"], values, strict=True)
]
located = ctx.all_fabriques[ctx.all_fabriques["siren_epci"].isin(profile["siren_epci"])]
fmap = make_fabriques_map(
    located,
    cluster=False,
    bounds=compute_bounds(geoms),
    choropleth=Choropleth(
        shaded_geojson(geoms, "epci", deps, tips, compute_colours(values, bins)),
        label,
        bins,
        decimals,
        name="EPCI",
    ),
)
render_map(fmap, 560, "rs_carte")
st.caption(
    caption_for("cog", "fabriques", "population", "densite", "qpv_indicateurs")
    + " Contours des EPCI entiers ; points : Fabriques de ces EPCI (centroïde de leur commune)."
)

st.subheader("Simulateur de répartition de l'enveloppe")
st.caption(
    f"Simulation : l'appel annonce une enveloppe globale de {format_euros(envelope)} mais aucune règle de "
    "répartition (sélection par un comité interne puis vote des élus régionaux). Les montants ci-dessous "
    "montrent ce que donneraient des règles simples ; ils ne sont pas ceux de la Région."
)

# 2. Widgets. Every EPCI of the région is eligible to the call, so all are candidates until removed.
names = dict(zip(profile["siren_epci"], profile["nom_epci"], strict=True))
whole = list(profile.loc[profile["entierement_dans_la_region"], "siren_epci"])


def _keep(codes: list[str]) -> None:
    st.session_state["rs_candidats"] = codes


st.session_state["rs_candidats"] = [c for c in st.session_state.get("rs_candidats", list(names)) if c in names]
with st.expander("EPCI candidats (tous au départ : l'appel est ouvert à chaque intercommunalité de la région)"):
    st.multiselect(
        "EPCI candidats",
        list(names),
        format_func=lambda c: f"{names[c]} ({c})",
        key="rs_candidats",
        placeholder="Choisissez au moins un EPCI",
    )
    b1, b2, _ = st.columns([1, 1, 2])
    b1.button(f"Tous les EPCI ({len(names)})", on_click=_keep, args=(list(names),), key="rs_tous")
    b2.button(f"Entièrement dans la région ({len(whole)})", on_click=_keep, args=(whole,), key="rs_entiers")
selected = st.session_state["rs_candidats"]
st.caption(f"{format_number(len(selected))} EPCI candidats sur {format_number(len(names))}.")
if not selected:
    st.info("Aucun EPCI candidat : choisissez-en au moins un ci-dessus ou cliquez sur « Tous les EPCI ».", icon="🔎")
    st.stop()

c1, c2 = st.columns([2, 3])
method = c1.radio(
    "Méthode de répartition",
    list(METHODS),
    index=list(METHODS).index(page_param("methode", "egal", list(METHODS))),
    format_func=METHODS.get,
    key="rs_methode",
)
set_page_param("methode", method, "egal")
need = None
need_labels = {k: v.replace("X km", f"{distance_km} km") for k, v in NEED_INDICATORS.items()}
if method == "besoin":
    need = c2.selectbox(
        "Indicateur de besoin",
        list(need_labels),
        index=list(need_labels).index(page_param("indicateur", "population_rurale", list(need_labels))),
        format_func=need_labels.get,
        key="rs_besoin",
        help="Chaque EPCI reçoit une part proportionnelle à cet indicateur, compté sur l'EPCI entier.",
    )
set_page_param("indicateur", need or "population_rurale", "population_rurale")


def _amount_input(column, label: str, param: str, help_text: str) -> int | None:
    """A euro amount kept in the link under ``param``; empty means none."""
    stored = page_param(param, "")
    amount = column.number_input(
        label,
        min_value=0,
        value=int(stored) if stored.isdigit() else None,
        step=1000,
        placeholder="aucun",
        key=f"rs_{param}",
        help=help_text,
    )
    set_page_param(param, "" if amount is None else str(int(amount)), "")
    return amount


f1, f2 = st.columns(2)
floor = _amount_input(
    f1, "Plancher par EPCI (€)", "plancher", "Montant minimal de chaque EPCI candidat ; vide : pas de plancher."
)
cap = _amount_input(
    f2, "Plafond par EPCI (€)", "plafond", "Montant maximal de chaque EPCI candidat ; vide : pas de plafond."
)

# 3. Pure computation
candidates = profile[profile["siren_epci"].isin(selected)]
try:
    allocation = compute_allocation(
        candidates,
        envelope,
        method,
        weight_column=need,
        floor=None if floor is None else int(floor),
        cap=None if cap is None else int(cap),
    )
except AllocationError as error:
    st.error(str(error), icon="⚠️")
    st.stop()

# 4. Render
weight = {"egal": None, "population": "population", "besoin": need}[method]
total = int(allocation["montant"].sum())
rule = f"au prorata de l'indicateur « {need_labels[need]} »" if need else METHODS[method].lower()
if total == envelope:
    st.success(
        f"Total réparti : {format_euros(total)}, égal à l'enveloppe de {format_euros(envelope)} à l'euro près "
        f"({format_number(len(allocation))} EPCI ; montants arrondis à l'euro par la méthode du plus fort reste).",
        icon=":material/check_circle:",
    )
else:  # compute_allocation guarantees equality; say so loudly if it ever breaks
    st.error(f"Total réparti {format_euros(total)} différent de l'enveloppe {format_euros(envelope)}.")
columns = ["siren_epci", "nom_epci", "type_epci", "entierement_dans_la_region", "population"]
columns += [weight] if weight and weight not in columns else []
# Exported under their own names: "montant" elsewhere means an amount actually granted.
shown = (
    allocation[[*columns, "montant", "part", "contraint"]]
    .sort_values(["montant", "nom_epci"], ascending=[False, True])
    .rename(columns={"montant": "montant_simule", "part": "part_enveloppe"})
)
render_table(
    shown.assign(
        montant_simule=shown["montant_simule"].map(format_euros),
        part_enveloppe=shown["part_enveloppe"].map(format_percent),
    ),
    f"Répartition simulée de {format_euros(envelope)} — {rule}",
    f"Simulation ; enveloppe : {SOURCES['region_sud']}. Indicateurs sur l'EPCI entier : "
    + caption_for("cog", "population", "densite", "qpv_indicateurs", "fabriques"),
    "rs_allocation",
    column_config=column_labels,
)
largest, smallest = shown.iloc[0], shown.iloc[-1]
bound = allocation["contraint"].value_counts()
render_chart(
    make_allocation_figure(allocation, "nom_epci", f"Répartition simulée de {format_euros(envelope)} — {rule}"),
    shown,
    f"de {format_euros(smallest['montant_simule'])} ({smallest['nom_epci']}) à "
    f"{format_euros(largest['montant_simule'])} "
    f"({largest['nom_epci']}) ; {format_number(bound.get('plancher', 0))} EPCI relevés au plancher, "
    f"{format_number(bound.get('plafond', 0))} limités au plafond.",
    f"Simulation ; enveloppe : {SOURCES['region_sud']}. " + caption_for("cog", "population"),
    "rs_allocation_chart",
)
