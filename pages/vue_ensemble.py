"""Vue d'ensemble: key figures of the selection and the reconciliation with official figures."""

import streamlit as st

from core.analysis.key_figures import (
    compute_counts_by,
    compute_funding_note,
    compute_funding_sources,
    compute_key_figures,
)
from core.domain.definitions import caption_for
from core.domain.formatting import format_euros, format_number, format_percent
from core.viz.charts import make_cohort_bars_figure
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.exports import render_table_exports
from ui.reconciliation import reconciliation
from ui.widgets import render_chart, render_metric, stop_if_empty

ensure_navigation()

ctx = page_context()
arrondissements = load_or_stop("arrondissements")

st.title("Vue d'ensemble")
st.caption(ctx.description)
stop_if_empty(ctx.fabriques)

k = compute_key_figures(ctx.fabriques)
row1 = st.columns(4)
render_metric(row1[0], "fabriques", format_number(k["fabriques"]))
render_metric(row1[1], "communes", format_number(k["communes"]))
render_metric(row1[2], "departements", format_number(k["departements"]))
render_metric(row1[3], "population_communes", format_number(k["population_communes"]))
row2 = st.columns(4)
render_metric(row2[0], "part_qpv_500", format_percent(k["part_qpv_500"]))
render_metric(row2[1], "part_rurale", format_percent(k["part_rurale"]))
funding = compute_funding_sources(ctx.fabriques)
render_metric(row2[2], funding["definition"], format_euros(k["financement_estime"]))
st.caption(caption_for("fabriques", "qpv", "densite", "population") + " " + compute_funding_note(ctx.fabriques))

by_region = compute_counts_by(ctx.fabriques, "nom_reg")
fig = make_cohort_bars_figure(by_region, "nom_reg", "Fabriques par région et par cohorte")
top = by_region.iloc[0]
render_chart(
    fig,
    by_region,
    f"{format_number(len(ctx.fabriques))} Fabriques dans {len(by_region)} région(s) ; la première est "
    f"{top['nom_reg']} avec {format_number(top['fabriques'])} Fabriques.",
    caption_for("fabriques", "cog"),
    "vue_regions",
    ctx.description,
)

st.header("Chiffres officiels et données ouvertes")
st.caption(
    "Comparaison nationale, indépendante des filtres : chaque chiffre officiel avec sa source, la valeur "
    "que permettent les données ouvertes et la raison de l'écart."
)
table = reconciliation(ctx, arrondissements)
st.dataframe(
    table,
    hide_index=True,
    key="reconciliation",
    column_config={"url": st.column_config.LinkColumn("lien")},
)
render_table_exports(
    table,
    "chiffres-officiels-et-donnees-ouvertes",
    "Chiffres officiels et données ouvertes",
    [caption_for("officiels", "fabriques")],
    "reconciliation",
    "Comparaison nationale, indépendante des filtres",
)
