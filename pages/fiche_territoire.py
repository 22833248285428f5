"""Fiche territoire: one région, département, EPCI or commune — its Fabriques, QPV, density mix, programmes."""

import streamlit as st

from core.analysis.profiles import (
    compute_programme_counts,
    compute_territory_options,
    compute_territory_profile,
    compute_territory_qpv,
)
from core.analysis.rural import compute_class_distribution, describe_main_class
from core.domain.classifications import DENSITY_CLASSES
from core.domain.definitions import caption_for
from core.domain.formatting import format_number, format_percent
from core.domain.territories import LEVELS, SHEET_LEVELS, parse_territory, territory_key
from core.viz.charts import make_share_comparison_figure
from ui import state
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.widgets import render_chart, render_metric, render_reference_comparison, render_table

ensure_navigation()

ctx = page_context()
st.title("Fiche territoire")
st.caption(ctx.description + " — les Fabriques affichées suivent les filtres ; le territoire est choisi ci-dessous.")

communes = load_or_stop("communes")
linked = state.read_text("territoire")
parsed = parse_territory(linked, communes)
if parsed is None and linked:
    state.report_ignored([f"territoire={linked} (territoire inconnu : choisissez-en un ci-dessous)"])
default_level, default_code = parsed or ("departements", "29")
c1, c2 = st.columns([1, 3])
level = c1.selectbox(
    "Niveau",
    SHEET_LEVELS,
    format_func=lambda k: LEVELS[k].plural,
    key="fiche_level",
    index=SHEET_LEVELS.index(default_level),
)
dep = None
if level == "communes":
    deps = sorted(communes["insee_dep"].unique())
    start = default_code[:3] if default_code.startswith("97") else default_code[:2]
    dep = c2.selectbox(
        "Département de la commune", deps, key="fiche_dep", index=deps.index(start) if start in deps else 0
    )
names = compute_territory_options(communes, level, dep)
codes = list(names)
territory = st.selectbox(
    LEVELS[level].singular,
    codes,
    format_func=lambda c: f"{names[c]} ({c})",
    key="fiche_code",
    index=codes.index(default_code) if default_code in codes else 0,
)
state.write_param("territoire", territory_key(level, territory), "")

code_col = LEVELS[level].code
inside = communes[communes[code_col] == territory]
fab = ctx.fabriques[ctx.fabriques[code_col] == territory] if code_col in ctx.fabriques else ctx.fabriques.iloc[0:0]
profile = compute_territory_profile(inside, fab)
st.header(names[territory])
m = st.columns(5)
render_metric(m[0], "population", format_number(profile["population"]))
render_metric(m[1], "fabriques_territoire", format_number(profile["fabriques"]))
render_metric(m[2], "pour_100k", format_number(profile["fabriques_pour_100k"], 2))
render_metric(m[3], "part_population_rurale", format_percent(profile["part_population_rurale"]))
render_metric(m[4], "part_population_qpv", format_percent(profile["part_population_qpv"]))
render_reference_comparison(communes, ctx.fabriques, level, territory, "fiche_comparaison", ctx.description)

st.subheader("Fabriques")
if fab.empty:
    st.info("Aucune Fabrique de la sélection dans ce territoire (changez les filtres ou le territoire).")
else:
    render_table(
        fab[["fabrique_id", "nom", "nom_com", "cohort", "densite_libelle", "dans_qpv", "distance_qpv_m", "frr_classe"]],
        f"Fabriques de {names[territory]}",
        caption_for("fabriques", "qpv", "densite", "frr"),
        "fiche_fabriques",
        ctx.description,
    )

st.subheader("Quartiers prioritaires")
qpv_in = compute_territory_qpv(load_or_stop("qpv"), inside)
if qpv_in.empty:
    st.info("Aucun QPV 2024 dans ce territoire.")
else:
    render_table(
        qpv_in,
        f"QPV de {names[territory]}",
        caption_for("qpv", "qpv_indicateurs") + " Distance à la Fabrique la plus proche, toutes cohortes.",
        "fiche_qpv",
        ctx.description,
    )

st.subheader("Densité")
dist = compute_class_distribution(fab, inside, "densite_libelle", DENSITY_CLASSES["7"])
render_chart(
    make_share_comparison_figure(dist, f"{names[territory]} : Fabriques, population et communes par classe de densité"),
    dist,
    describe_main_class(dist),
    caption_for("densite", "population", "fabriques"),
    "fiche_densite",
    ctx.description,
)

st.subheader("Autres programmes de l'ANCT")
table = compute_programme_counts(load_or_stop("programmes"), inside)
if table.empty:
    st.info(
        "Aucune commune de ce territoire dans les autres programmes suivis (PVD, ACV, Villages d'avenir, "
        "Manufactures de proximité, France services)."
    )
else:
    render_table(table, f"Autres programmes de l'ANCT — {names[territory]}", "", "fiche_programmes", ctx.description)
st.caption(caption_for("programmes"))
