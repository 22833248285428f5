"""Données et méthodes: sources, build report, definitions."""

import streamlit as st

from core.build_report import (
    compute_events_table,
    compute_marts_table,
    compute_sources_table,
    compute_staging_table,
)
from core.formatting import format_number
from core.paths import MissingMartError
from ui.bootstrap import ensure_navigation
from ui.loaders import load_report
from ui.messages import stop_on_missing

ensure_navigation()

try:
    report = load_report()
except MissingMartError as error:
    stop_on_missing(error)

st.title("Données et méthodes")
st.caption(
    f"Construction du {report.get('built_at', 'n.d.')} en {format_number(report.get('duration_s'), 1)} s "
    f"(clé {report.get('build_key', '')[:12]})."
)

st.subheader("Sources")
sources = compute_sources_table(report)
st.dataframe(sources, hide_index=True, column_config={"url": st.column_config.LinkColumn("url")})

st.subheader("Tables produites")
st.dataframe(compute_marts_table(report), hide_index=True)

st.subheader("Lignes lues, produites, écartées")
st.dataframe(compute_staging_table(report), hide_index=True)

st.subheader("Lignes écartées, recodées ou réparées, et pourquoi")
events = compute_events_table(report)
if events.empty:
    st.info("Aucune ligne écartée ni recodée.")
else:
    st.dataframe(events, hide_index=True)
