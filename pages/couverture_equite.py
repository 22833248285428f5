"""Couverture et équité: Fabriques per inhabitant, territories and arrondissements without one, concentration."""

import streamlit as st

from core.analysis.concentration import compute_concentration
from core.analysis.coverage import (
    RATE_COLUMNS,
    compute_arrondissements_status,
    compute_rate_per_100k,
    compute_territories_without,
    describe_arrondissements,
)
from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.domain.territories import LEVELS, level_labels
from core.viz.charts import make_lorenz_figure, make_ranked_bars_figure
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.coverage import render_rate_map
from ui.widgets import (
    linked_select,
    render_chart,
    render_metric,
    render_reference_comparison,
    render_table,
    stop_if_empty,
)

ensure_navigation()

ctx = page_context()
st.title("Couverture et équité")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)
sources = caption_for("fabriques", "population", "cog") + " " + SCOPE_DEFINITION

st.header("Fabriques pour 100 000 habitants")
levels = ["regions", "departements", "epci"]
level = linked_select(
    st, "Échelle", "echelle", levels, "departements", key="cov_level", radio=True, format_func=level_labels(levels).get
)
spec = LEVELS[level]
rates = ctx.scope.restrict(compute_rate_per_100k(load_or_stop(level), ctx.fabriques, spec.code), level)
without = compute_territories_without(rates, level, ctx.scope)
top = rates.iloc[0]
render_chart(
    make_ranked_bars_figure(
        rates,
        spec.name,
        "pour_100k",
        f"Fabriques pour 100 000 habitants — {spec.plural} (les 30 premiers)",
        "pour 100 000 hab.",
    ),
    rates[[spec.code, spec.name, *RATE_COLUMNS]],
    f"Le taux le plus élevé est celui de {top[spec.name]} ({format_number(top['pour_100k'], 2)} pour 100 000 "
    f"habitants) ; {without.describe()}.",
    sources + " Un territoire en partie hors du périmètre compte toute sa population, mais seulement les "
    "Fabriques de la sélection.",
    "cov_barres",
    ctx.description,
)
render_rate_map(level, rates, ctx)
st.caption(sources)

st.header("Arrondissements sans Fabrique")
status = compute_arrondissements_status(
    ctx.scope.restrict(load_or_stop("arrondissements"), "arrondissements"), ctx.all_fabriques
)
before, reached, still, summary = describe_arrondissements(status)
c1, c2, c3 = st.columns(3)
render_metric(c1, "arrondissements_sans_2020_2021", format_number(before))
render_metric(c2, "arrondissements_dotes_2023", format_number(reached))
render_metric(c3, "arrondissements_sans", format_number(still))
st.markdown(f"**En bref :** {summary}")
with st.expander("Liste des arrondissements du périmètre et leurs Fabriques"):
    render_table(
        status,
        "Arrondissements et Fabriques",
        caption_for("fabriques", "cog") + " Toutes les Fabriques, sans les autres filtres : c'est le critère de "
        "l'appel 2023. " + SCOPE_DEFINITION,
        "cov_arrondissements",
        ctx.description,
    )

st.header("Concentration")
concentration = compute_concentration(
    ctx.scope.restrict(load_or_stop("departements"), "departements"), ctx.fabriques, "insee_dep"
)
c1, c2 = st.columns(2)
render_metric(c1, "gini", format_number(concentration.gini, 2))
render_metric(c2, "hhi", format_number(concentration.hhi, 0))
render_chart(
    make_lorenz_figure(
        concentration.lorenz, "Courbe de Lorenz des Fabriques par département, rapportées à la population"
    ),
    concentration.lorenz,
    concentration.describe("départements"),
    caption_for("fabriques", "population") + " " + SCOPE_DEFINITION,
    "cov_lorenz",
    ctx.description,
)
st.info(
    "Petits effectifs : avec quelques Fabriques par département, une partie de la concentration mesurée vient du "
    "hasard seul. Comparez toujours le Gini observé à la référence aléatoire ci-dessus ; le HHI ne tient pas "
    "compte de la population.",
    icon=":material/info:",
)

st.header("Un département face à une référence")
communes = load_or_stop("communes")
names = dict(zip(communes["insee_dep"], communes["nom_dep"], strict=False))
choice = st.selectbox("Département", sorted(names), format_func=lambda c: f"{c} – {names[c]}", key="cov_territoire")
render_reference_comparison(communes, ctx.fabriques, "departements", choice, "cov_comparaison", ctx.description)
