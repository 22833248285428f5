"""Shared page widgets: key figures, charts and tables with their exports, widgets kept in the link."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.analysis.profiles import REFERENCES, ReferenceComparison, compute_reference_comparison
from core.domain.definitions import DEFINITIONS, caption_for
from ui import state
from ui.exports import render_image_exports, render_table_exports


def slug(text: str) -> str:
    """A file-name friendly version of a title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "graphique"


def render_metric(column, key: str, value: str, note: str = "") -> None:
    """A key figure whose help tells its definition (and ``note``), source and vintage."""
    d = DEFINITIONS[key]
    extra = f" {note}" if note else ""
    column.metric(d.label, value, help=f"{d.definition}{extra} Source : {d.source} ({d.vintage}).")


# Plotly's mode bar is off: its buttons are English-only tab stops, and the exports below each chart
# already give its image and its data.
CHART_CONFIG = {"displayModeBar": False, "displaylogo": False}
CHART, TABLE = "Graphique", "Tableau"


def chart_alt(title: str, summary: str) -> str:
    """The short text alternative of a chart: its title and its one-line summary."""
    return f"{title}. {summary}" if summary else title


def render_figure(fig: go.Figure, table: pd.DataFrame, alt: str, key: str) -> None:
    """A chart with its text alternative ``alt``, or its data table: a « Graphique | Tableau »
    toggle, as the DSFR's data boxes. Streamlit's theme is not laid over the figure's template
    (its axis grey is 3.7:1 on white)."""
    title = fig.layout.title.text or key
    shown = st.segmented_control(
        f"Afficher « {title} » en",
        [CHART, TABLE],
        default=CHART,
        required=True,
        key=f"{key}_affichage",
        label_visibility="collapsed",
    )
    if shown == TABLE:
        st.dataframe(table, hide_index=True, key=f"{key}_table")
    else:
        st.plotly_chart(fig, key=key, theme=None, config=CHART_CONFIG, alt=alt)


def render_chart(fig: go.Figure, table: pd.DataFrame, summary: str, caption: str, key: str, description: str) -> None:
    """A chart or its table (:func:`render_figure`), its one-line summary, its source caption and its
    exports (``description``: the page's filters, written into the exported files)."""
    title = fig.layout.title.text or key
    with st.container(key=f"graphique_{key}"):
        render_figure(fig, table, chart_alt(title, summary), key)
        st.markdown(f"**En bref :** {summary}")
        st.caption(caption)
        with st.expander("Exports du graphique et de ses données"):
            render_table_exports(table, slug(title), title, [caption], key, description)
            render_image_exports(fig, slug(title), title, caption, key, description)


def render_table(
    table: pd.DataFrame, title: str, caption: str, key: str, description: str, column_config: dict | None = None
) -> None:
    """A table with its source caption and its CSV / Excel exports."""
    st.dataframe(table, hide_index=True, key=key, column_config=column_config)
    if caption:
        st.caption(caption)
    render_table_exports(table, slug(title), title, [caption], key, description)


def stop_if_empty(frame: pd.DataFrame, what: str = "Fabrique") -> None:
    """Say that the selection is empty and what to change, then stop the page."""
    if frame.empty:
        st.info(
            f"Aucune {what} ne correspond aux filtres choisis. Élargissez la sélection dans la barre "
            "latérale (cohorte, territoire, relation aux QPV, ruralité) ou cliquez sur « Réinitialiser les "
            "filtres ».",
            icon=":material/search:",
        )
        st.stop()


# Widgets whose value is kept in the link under a page parameter, read back validated.
def linked_select(
    container,
    label: str,
    param: str,
    options: Sequence[str],
    default: str,
    *,
    key: str,
    format_func: Callable[[str], str] = str,
    radio: bool = False,
    **kwargs,
) -> str:
    """A selectbox (or horizontal radio) whose choice is the page parameter ``param``."""
    options = list(options)
    chosen = state.read_choice(param, options, default if default in options else options[0])
    widget = container.radio if radio else container.selectbox
    extra = {"horizontal": True} if radio else {}
    value = widget(label, options, index=options.index(chosen), key=key, format_func=format_func, **extra, **kwargs)
    state.write_param(param, value, default)
    return value


# The link's value of a multiselect left empty when its default is not.
NONE_CHOSEN = "aucun"


def linked_multiselect(
    container, label: str, param: str, options: Sequence[str], *, key: str, default: Sequence[str] = (), **kwargs
) -> list[str]:
    """A multiselect whose choices are the comma-separated page parameter ``param`` (``default`` when
    the link has none; an empty choice is written :data:`NONE_CHOSEN`)."""
    options = list(options)
    default = [d for d in default if d in options]
    raw = state.read_text(param)
    chosen = [] if raw == NONE_CHOSEN else state.read_choices(param, options) if raw else default
    values = container.multiselect(label, options, default=chosen, key=key, **kwargs)
    state.write_param(param, ",".join(values) or NONE_CHOSEN, ",".join(default) or NONE_CHOSEN)
    return values


def linked_slider(
    container, label: str, param: str, low: float, high: float, default: float, step: float, *, key: str, **kwargs
) -> float:
    """A slider (whole numbers when the bounds and step are) whose value is the page parameter ``param``."""
    whole = all(float(v).is_integer() for v in (low, high, default, step))
    if whole:
        low, high, default, step = int(low), int(high), int(default), int(step)
        start = state.read_int(param, default, low, high, step)
    else:
        start = state.read_float(param, default, low, high, step)
    value = container.slider(label, low, high, start, step, key=key, **kwargs)
    state.write_param(param, f"{value:g}", f"{default:g}")
    return value


def select_scheme_departement(container, departements: dict[str, str], default: str, key: str) -> str:
    """The département the départemental scheme is applied to (page parameter ``dep_dispositif``)."""
    options = dict(departements)
    options.setdefault(default, "département absent des données")
    codes = sorted(options)
    return linked_select(
        container,
        "Département du dispositif départemental",
        "dep_dispositif",
        codes,
        default,
        key=key,
        format_func=lambda c: f"{options[c]} ({c})",
        help="Le document source décrit le dispositif du Lot-et-Garonne ; choisissez un autre département pour "
        "appliquer les mêmes conditions ailleurs.",
    )


def render_reference_comparison(
    communes: pd.DataFrame, places: pd.DataFrame, level_key: str, code: str, key: str, description: str
) -> ReferenceComparison:
    """A territory beside France or its région (radio kept in the link as ``reference``), as a table
    with its exports and a one-line summary."""
    options = ["france"] if level_key == "regions" else list(REFERENCES)
    reference = linked_select(
        st, "Comparer à", "reference", options, "france", key=f"{key}_reference", radio=True, format_func=REFERENCES.get
    )
    comparison = compute_reference_comparison(communes, places, level_key, code, reference)
    render_table(
        comparison.table,
        f"{comparison.name} face à {comparison.reference_name}",
        caption_for("population", "fabriques", "densite", "qpv_indicateurs", "programmes", "tiers_lieux_2019"),
        key,
        description,
    )
    st.markdown(f"**En bref :** {comparison.describe_rate()}")
    return comparison
