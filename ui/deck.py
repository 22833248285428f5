"""The presentation page's blocks: the presenter's notes (editable, or those of a saved presentation) and
the PowerPoint/PDF exports made on demand."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain.text import escape_markdown
from core.exports.deck import DeckData, Slide, deck_sources, make_deck_html, make_pdf, make_pptx, make_slide_images
from core.exports.map_files import make_standalone_html
from core.viz.maps import make_fabriques_map
from ui import state
from ui.exports import image_server
from ui.maps import qpv_json


def _saved_notes() -> list[str] | None:
    saved = state.recall(state.SAVED_PRESENTATION)
    return [s.get("notes", "") for s in saved[1]] if saved else None


def slide_note(index: int, default: str) -> str:
    """The note of slide ``index``: as edited in this session, else the saved presentation's, else the deck's."""
    edited = (state.recall(state.DECK_NOTES) or {}).get(index)
    if edited is not None:
        return edited
    saved = _saved_notes()
    return saved[index] if saved and index < len(saved) else default


def _keep_note(index: int) -> None:
    notes = dict(state.recall(state.DECK_NOTES) or {})
    notes[index] = state.recall(f"diapo_note_{index}", "")
    state.remember(state.DECK_NOTES, notes)


def render_note_editor(index: int, default: str) -> None:
    """The presenter's note of the slide, editable; kept for the session (another slide shown meanwhile)
    and for « Enregistrer la présentation »."""
    st.text_area(
        "Note du présentateur",
        value=slide_note(index, default),
        key=f"diapo_note_{index}",
        height=120,
        on_change=_keep_note,
        args=(index,),
    )


def render_saved_presentation_banner() -> None:
    """Say which saved presentation is shown, and let the presenter leave it."""
    saved = state.recall(state.SAVED_PRESENTATION)
    if not saved:
        return
    st.caption(f"Présentation enregistrée « {escape_markdown(saved[0])} » : notes du présentateur enregistrées.")
    st.button(
        "Quitter la présentation enregistrée",
        key="diapo_quitter",
        on_click=state.forget,
        args=(state.SAVED_PRESENTATION,),
    )


def render_deck_exports(slides: list[Slide], data: DeckData, fabriques: pd.DataFrame, description: str) -> None:
    """The deck as PowerPoint and PDF, with its images made on the server when asked for."""
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
                    make_fabriques_map(fabriques, qpv=qpv_json(()), qpv_points=True, tiles=None), title, description
                )

                def progress(i: int, n: int, label: str) -> None:
                    bar.progress(i / n, text=f"Diapositive {i + 1} / {n} : {label}")

                images = make_slide_images(slides, description, map_html, progress)
                bar.progress(1.0, text="Assemblage des fichiers…")
                sources = deck_sources(data)
                pptx = make_pptx(slides, images, title, description, sources)
                pdf = make_pdf(make_deck_html(slides, images, title, description, sources))
                status.update(label="Présentation prête", state="complete", expanded=False)
            state.remember(state.DECK_FILES, (description, pptx, pdf))
        ready = state.recall(state.DECK_FILES)
        if ready is not None and ready[0] == description:
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
