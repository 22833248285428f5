"""Fiche territoire: one région, département, EPCI or commune — its Fabriques, QPV, density mix, programmes."""

import streamlit as st

from core.analysis.profiles import compute_profile_comparison, compute_territory_profile, format_profile_comparison
from core.analysis.rural import compute_class_distribution
from core.domain.classifications import DENSITY_LABELS
from core.domain.definitions import caption_for
from core.domain.formatting import format_number, format_percent
from core.domain.territories import TERRITORY_LEVELS, parse_territory, territory_key
from core.viz.charts import make_share_comparison_figure
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.sidebar import set_page_param
from ui.widgets import render_chart, render_metric, render_table

ensure_navigation()

ctx = page_context()
st.title("Fiche territoire")
st.caption(ctx.description + " — les Fabriques affichées suivent les filtres ; le territoire est choisi ci-dessous.")

communes = load_or_stop("communes")
qpv = load_or_stop("qpv")
programmes = load_or_stop("programmes")
parsed = parse_territory(st.query_params.get("territoire", ""), communes)
if parsed is None and st.query_params.get("territoire"):
    st.warning(f"Territoire du lien inconnu ({st.query_params.get('territoire')}) : choisissez-en un ci-dessous.")
levels = list(TERRITORY_LEVELS)
default_level, default_code = parsed or ("departements", "29")
c1, c2 = st.columns([1, 3])
level = c1.selectbox(
    "Niveau",
    levels,
    format_func=lambda lv: TERRITORY_LEVELS[lv][2],
    key="fiche_level",
    index=levels.index(default_level),
)
code_col, name_col, _ = TERRITORY_LEVELS[level]
if level == "communes":
    dep_options = sorted(communes["insee_dep"].unique())
    dep_default = default_code[:3] if default_code.startswith("97") else default_code[:2]
    dep = c2.selectbox(
        "Département de la commune",
        dep_options,
        key="fiche_dep",
        index=dep_options.index(dep_default) if dep_default in dep_options else 0,
    )
    pool = communes[communes["insee_dep"] == dep]
else:
    pool = communes
options = pool.drop_duplicates(code_col).dropna(subset=[code_col]).sort_values(name_col)
names = dict(zip(options[code_col], options[name_col], strict=True))
codes = list(names)
territory = st.selectbox(
    TERRITORY_LEVELS[level][2][:-1] if level != "epci" else "EPCI",
    codes,
    format_func=lambda c: f"{names[c]} ({c})",
    key="fiche_code",
    index=codes.index(default_code) if default_code in codes else 0,
)
set_page_param("territoire", territory_key(level, territory), "")

inside = communes[communes[code_col] == territory]
fab = ctx.fabriques[ctx.fabriques[code_col] == territory] if code_col in ctx.fabriques else ctx.fabriques.iloc[0:0]
profile = compute_territory_profile(inside, fab)
parent = "insee_reg" if level in ("departements", "epci", "communes") else None
st.header(f"{names[territory]}")

m = st.columns(5)
render_metric(m[0], "population", format_number(profile["population"]))
render_metric(m[1], "fabriques_territoire", format_number(profile["fabriques"]))
render_metric(m[2], "pour_100k", format_number(profile["fabriques_pour_100k"], 2))
render_metric(m[3], "part_population_rurale", format_percent(profile["part_population_rurale"]))
render_metric(m[4], "part_population_qpv", format_percent(profile["part_population_qpv"]))

reference = st.radio(
    "Comparer à",
    ["france", "region"] if parent else ["france"],
    horizontal=True,
    key="fiche_reference",
    format_func={"france": "France entière", "region": "Sa région"}.get,
)
if reference == "region" and parent:
    region = inside["insee_reg"].iloc[0]
    ref_communes = communes[communes["insee_reg"] == region]
    ref_fab, ref_name = ctx.fabriques[ctx.fabriques["insee_reg"] == region], ref_communes["nom_reg"].iloc[0]
else:
    ref_communes, ref_fab, ref_name = communes, ctx.fabriques, "France entière"
comparison = compute_profile_comparison(
    profile, compute_territory_profile(ref_communes, ref_fab), names[territory], ref_name
)
shown = format_profile_comparison(comparison)
render_table(
    shown,
    f"{names[territory]} face à {ref_name}",
    caption_for("population", "fabriques"),
    "fiche_comparaison",
)
st.caption(caption_for("population", "fabriques", "densite", "qpv_indicateurs", "programmes", "tiers_lieux_2019"))

st.subheader("Fabriques")
if fab.empty:
    st.info("Aucune Fabrique de la sélection dans ce territoire (changez les filtres ou le territoire).")
else:
    render_table(
        fab[["fabrique_id", "nom", "nom_com", "cohort", "densite_libelle", "dans_qpv", "distance_qpv_m", "frr_classe"]],
        f"Fabriques de {names[territory]}",
        caption_for("fabriques", "qpv", "densite", "frr"),
        "fiche_fabriques",
    )

st.subheader("Quartiers prioritaires")
codes_in = set(inside["insee_com"])
qpv_in = qpv[(qpv["generation"] == "2024") & qpv["insee_com_principale"].isin(codes_in)]
if qpv_in.empty:
    st.info("Aucun QPV 2024 dans ce territoire.")
else:
    render_table(
        qpv_in[["code_qp", "lib_qp", "noms_communes", "pop_qpv", "fabriques_dedans", "distance_fabrique_m"]],
        f"QPV de {names[territory]}",
        caption_for("qpv", "qpv_indicateurs") + " Distance à la Fabrique la plus proche, toutes cohortes.",
        "fiche_qpv",
    )

st.subheader("Densité")
dist = compute_class_distribution(fab, inside, "densite_libelle", [DENSITY_LABELS[i] for i in range(1, 8)])
main = dist.sort_values("part_population").iloc[-1]
render_chart(
    make_share_comparison_figure(dist, f"{names[territory]} : Fabriques, population et communes par classe de densité"),
    dist,
    f"la classe de densité la plus peuplée est « {main['classe']} » "
    f"({format_percent(main['part_population'])} de la population).",
    caption_for("densite", "population", "fabriques"),
    "fiche_densite",
)

st.subheader("Autres programmes de l'ANCT")
progs = programmes[programmes["insee_com"].isin(codes_in)]
table = progs.groupby("programme_libelle").agg(lieux=("id_programme", "nunique"), communes=("insee_com", "nunique"))
if table.empty:
    st.info(
        "Aucune commune de ce territoire dans les autres programmes suivis (PVD, ACV, Villages d'avenir, "
        "Manufactures de proximité, France services)."
    )
else:
    render_table(table.reset_index(), f"Autres programmes de l'ANCT — {names[territory]}", "", "fiche_programmes")
st.caption(caption_for("programmes"))
