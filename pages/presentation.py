"""Présentation: the key results as full-width slides, with notes, and their PowerPoint and PDF exports."""

import streamlit as st

from core.exports.deck import (
    DeckData,
    build_slides,
)
from core.viz.charts import compute_figure_table
from core.viz.maps import make_fabriques_map
from ui import state
from ui.bootstrap import ensure_navigation
from ui.context import load_marts, page_context
from ui.deck import render_deck_exports, render_note_editor, render_saved_presentation_banner, slide_note
from ui.maps import qpv_json, render_map
from ui.save_buttons import render_save_presentation
from ui.widgets import chart_alt, render_figure, stop_if_empty

ensure_navigation()

# Presentation mode: no sidebar, larger type (static style, no data in it).
st.html(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] {display: none;}
    .stMainBlockContainer {max-width: 100%; padding-left: 3rem; padding-right: 3rem; font-size: 1.35rem;}
    .stMainBlockContainer h1 {font-size: 2.8rem;}
    .stMainBlockContainer li, .stMainBlockContainer p {font-size: 1.45rem;}
    </style>"""
)

ctx = page_context()
stop_if_empty(ctx.fabriques)
data = DeckData(ctx.fabriques, *load_marts("communes", "regions", "departements"), ctx.description)
slides = build_slides(data)
total = len(slides)
index = state.read_int("diapo", 1, 1, total) - 1


def go_to(position: int) -> None:
    state.write_param("diapo", str(position + 1), "1")


slide = slides[index]
st.caption(ctx.description)
st.title(slide.title)
if slide.is_map:
    render_map(make_fabriques_map(ctx.fabriques, qpv=qpv_json(()), qpv_points=True), 560, "diapo_carte", panel=False)
else:
    alt = chart_alt(slide.title, slide.sentences[0] if slide.sentences else "")
    with st.container(key=f"graphique_diapo_{index}"):  # the chart and its toggle in one box
        render_figure(slide.figure, compute_figure_table(slide.figure), alt, f"diapo_{index}")
st.markdown("\n".join(f"- {sentence}" for sentence in slide.sentences))
st.caption(slide.source)

left, middle, right = st.columns([1, 2, 1])
left.button(
    "Précédente",
    key="diapo_precedente",
    icon=":material/chevron_left:",
    disabled=index == 0,
    on_click=go_to,
    args=(index - 1,),
    width="stretch",
)
middle.markdown(f"<p style='text-align:center'>Diapositive {index + 1} / {total}</p>", unsafe_allow_html=True)
right.button(
    "Suivante",
    key="diapo_suivante",
    icon=":material/chevron_right:",
    icon_position="right",
    disabled=index == total - 1,
    on_click=go_to,
    args=(index + 1,),
    width="stretch",
)
render_saved_presentation_banner()
if st.toggle("Notes du présentateur", key="diapo_notes"):
    render_note_editor(index, slide.notes)

render_deck_exports(slides, data, ctx.fabriques, ctx.description)
render_save_presentation([s.title for s in slides], [slide_note(i, s.notes) for i, s in enumerate(slides)])
