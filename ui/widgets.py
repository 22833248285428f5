"""Shared page widgets: key figures, charts with their table, summary and caption."""

from __future__ import annotations

import re
import unicodedata

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.domain.definitions import DEFINITIONS
from ui.exports import render_image_exports, render_table_exports


def slug(text: str) -> str:
    """A file-name friendly version of a title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "graphique"


def render_metric(column, key: str, value: str) -> None:
    """A key figure whose help tells its definition, source and vintage."""
    d = DEFINITIONS[key]
    column.metric(d.label, value, help=f"{d.definition} Source : {d.source} ({d.vintage}).")


def render_chart(fig: go.Figure, table: pd.DataFrame, summary: str, caption: str, key: str) -> None:
    """A chart, its one-line summary, its source caption, its table and its exports."""
    title = fig.layout.title.text or key
    st.plotly_chart(
        fig,
        key=key,
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": slug(title), "scale": 3},
        },
    )
    st.markdown(f"**En bref :** {summary}")
    st.caption(caption)
    with st.expander("Tableau des données et exports"):
        st.dataframe(table, hide_index=True, key=f"{key}_table")
        render_table_exports(table, slug(title), title, [caption], key)
        render_image_exports(fig, slug(title), title, caption, key)


def render_table(table: pd.DataFrame, title: str, caption: str, key: str, column_config: dict | None = None) -> None:
    """A table with its source caption and its CSV / Excel exports."""
    st.dataframe(table, hide_index=True, key=key, column_config=column_config)
    if caption:
        st.caption(caption)
    render_table_exports(table, slug(title), title, [caption], key)


def stop_if_empty(frame: pd.DataFrame, what: str = "Fabrique") -> None:
    """Say that the selection is empty and what to change, then stop the page."""
    if frame.empty:
        st.info(
            f"Aucune {what} ne correspond aux filtres choisis. Élargissez la sélection dans la barre "
            "latérale (cohorte, territoire, relation aux QPV, ruralité) ou cliquez sur « Réinitialiser les "
            "filtres ».",
            icon="🔎",
        )
        st.stop()
