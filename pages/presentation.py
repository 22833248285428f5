"""Présentation: the key results as full-width slides, with notes, and their PowerPoint and PDF exports."""

import streamlit as st

from core.exports.deck import (
    DeckData,
    build_slides,
    deck_sources,
    make_deck_html,
    make_pdf,
    make_pptx,
    make_slide_images,
)
from core.exports.map_files import make_standalone_html
from core.viz.maps import make_fabriques_map
from ui import state
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop, page_context
from ui.exports import image_server
from ui.maps import qpv_json, render_map
from ui.widgets import slug, stop_if_empty

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
data = DeckData(
    ctx.fabriques, load_or_stop("communes"), load_or_stop("regions"), load_or_stop("departements"), ctx.description
)
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
    st.plotly_chart(
        slide.figure,
        key=f"diapo_{index}",
        config={
            "displaylogo": False,
            "toImageButtonOptions": {"format": "png", "filename": f"diapo-{index + 1}-{slug(slide.title)}", "scale": 3},
        },
    )
st.markdown("\n".join(f"- {sentence}" for sentence in slide.sentences))
st.caption(slide.source)

left, middle, right = st.columns([1, 2, 1])
left.button(
    "◀ Précédente", key="diapo_precedente", disabled=index == 0, on_click=go_to, args=(index - 1,), width="stretch"
)
middle.markdown(f"<p style='text-align:center'>Diapositive {index + 1} / {total}</p>", unsafe_allow_html=True)
right.button(
    "Suivante ▶", key="diapo_suivante", disabled=index == total - 1, on_click=go_to, args=(index + 1,), width="stretch"
)
if st.toggle("Notes du présentateur", key="diapo_notes"):
    st.info(slide.notes or "Pas de note pour cette diapositive.")

with st.expander("Exporter la présentation (PowerPoint, PDF)"):
    st.caption(
        "Les graphiques et la carte sont rendus en images sur le serveur (Chromium) : comptez quelques secondes."
    )
    title = "Fabriques de Territoire — résultats clés"
    if st.button("Préparer le PowerPoint et le PDF", key="deck_prepare"):
        with st.status("Préparation de la présentation…", expanded=True) as status:
            image_server()
            bar = st.progress(0.0)
            map_html = make_standalone_html(
                make_fabriques_map(ctx.fabriques, qpv=qpv_json(()), qpv_points=True, tiles=None), title, ctx.description
            )

            def progress(i: int, n: int, label: str) -> None:
                bar.progress(i / n, text=f"Diapositive {i + 1} / {n} : {label}")

            images = make_slide_images(slides, ctx.description, map_html, progress)
            bar.progress(1.0, text="Assemblage des fichiers…")
            sources = deck_sources(data)
            pptx = make_pptx(slides, images, title, ctx.description, sources)
            pdf = make_pdf(make_deck_html(slides, images, title, ctx.description, sources))
            status.update(label="Présentation prête", state="complete", expanded=False)
        state.remember(state.DECK_FILES, (ctx.description, pptx, pdf))
    ready = state.recall(state.DECK_FILES)
    if ready is not None and ready[0] == ctx.description:
        c1, c2 = st.columns(2)
        c1.download_button(
            "PowerPoint (.pptx)",
            ready[1],
            "fabriques-presentation.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            key="deck_pptx",
            on_click="ignore",
        )
        c2.download_button(
            "PDF", ready[2], "fabriques-presentation.pdf", "application/pdf", key="deck_pdf", on_click="ignore"
        )
