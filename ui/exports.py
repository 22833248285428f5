"""Export buttons: tables (CSV, XLSX) made on click, images and the map prepared on demand."""

from __future__ import annotations

import hashlib

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.exports.chart_images import make_chart_image, start_image_server, with_context
from core.exports.map_files import VENDOR_DIR, make_map_png, make_standalone_html
from core.exports.tables import ExportContext, to_csv_bytes, to_xlsx_bytes
from ui import state

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_resource(show_spinner=False)
def image_server() -> bool:
    start_image_server()
    return True


def render_table_exports(
    frame: pd.DataFrame, name: str, title: str, sources: list[str], key: str, description: str
) -> None:
    """CSV (``;`` and decimal comma, or ``,``) and XLSX with an "À propos" sheet; files are made on click.

    ``description`` is the page's sentence on its filters (the "À propos" sheet carries it).
    """
    context = ExportContext(title=title, filters=description, sources=sources)
    files = (
        (
            "CSV (;)",
            lambda: to_csv_bytes(frame, ";"),
            f"{name}.csv",
            "text/csv",
            "csv",
            "Séparateur point-virgule et virgule décimale (tableurs français).",
        ),
        (
            "CSV (,)",
            lambda: to_csv_bytes(frame, ","),
            f"{name}-virgule.csv",
            "text/csv",
            "csv_comma",
            "Séparateur virgule et point décimal.",
        ),
        (
            "Excel",
            lambda: to_xlsx_bytes(frame, context),
            f"{name}.xlsx",
            XLSX_MIME,
            "xlsx",
            "Avec une feuille « À propos » : filtres, sources, définitions, date.",
        ),
    )
    for column, (label, make, file_name, mime, suffix, help_text) in zip(st.columns(3), files, strict=True):
        column.download_button(label, make, file_name, mime, key=f"{key}_{suffix}", on_click="ignore", help=help_text)


def render_image_exports(fig: go.Figure, name: str, title: str, source: str, key: str, description: str) -> None:
    """PNG and SVG of a chart with its title, filters (``description``) and source inside, prepared when asked for."""
    stamp = hashlib.sha256((fig.to_json(validate=False) + description).encode()).hexdigest()[:16]
    store = state.image_files_key(key)
    ready = state.recall(store)
    if (ready is None or ready[0] != stamp) and st.button("Préparer les images (PNG, SVG)", key=f"{key}_prepare"):
        with st.status("Préparation des images…", expanded=False) as status:
            image_server()
            framed = with_context(fig, title, description, source)
            status.update(label="Image PNG…")
            png = make_chart_image(framed, "png")
            status.update(label="Image SVG…")
            svg = make_chart_image(framed, "svg")
            status.update(label="Images prêtes", state="complete")
        ready = (stamp, png, svg)
        state.remember(store, ready)
    if ready is not None and ready[0] == stamp:
        c1, c2 = st.columns(2)
        c1.download_button("Image PNG", ready[1], f"{name}.png", "image/png", key=f"{key}_png", on_click="ignore")
        c2.download_button("Image SVG", ready[2], f"{name}.svg", "image/svg+xml", key=f"{key}_svg", on_click="ignore")


def render_map_exports(build_map, title: str, description: str, name: str, view: str) -> None:
    """A self-contained HTML file of the current map and a PNG snapshot, both made only when asked for.

    ``view`` identifies the map's settings (a prepared snapshot is offered until they change).
    """
    if not (VENDOR_DIR / "leaflet.js").exists():
        st.error("Export impossible : les bibliothèques de carte manquent (lancez bash scripts/setup.sh).")
        return

    def html() -> str:
        return make_standalone_html(build_map(), title, description)

    st.download_button(
        "Carte HTML autonome",
        lambda: html().encode("utf-8"),
        f"{name}.html",
        "text/html",
        key=f"{name}_html",
        on_click="ignore",
        help="Un fichier qui s'ouvre sans serveur : couches, légende, filtres dans le titre.",
    )
    stamp = hashlib.sha256(f"{view}|{description}".encode()).hexdigest()[:16]
    ready = state.recall(state.map_snapshot_key(name))
    if (ready is None or ready[0] != stamp) and st.button("Préparer l'image PNG de la carte", key=f"{name}_prepare"):
        with st.status("Capture de la carte dans Chromium…", expanded=False) as status:
            png = make_map_png(html())
            status.update(label="Image prête", state="complete")
        ready = (stamp, png)
        state.remember(state.map_snapshot_key(name), ready)
    if ready is not None and ready[0] == stamp:
        st.download_button(
            "Image PNG de la carte", ready[1], f"{name}.png", "image/png", key=f"{name}_png", on_click="ignore"
        )
