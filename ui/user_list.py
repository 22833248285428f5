"""The list a user supplied, kept for the session, and how pages use it (extra layer or in place)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.domain.text import display_name

MODES = {
    "couche": "En couche supplémentaire sur la carte",
    "remplace": "À la place des Fabriques, sur toutes les pages",
    "aucun": "Ne pas l'utiliser",
}
STATE_KEY = "liste_importee"


@dataclass(frozen=True)
class UserList:
    """An accepted list: its file name, its places (Fabriques schema) and how pages use it."""

    name: str
    places: pd.DataFrame
    mode: str = "couche"


def active_user_list() -> UserList | None:
    """The session's list, if one was accepted and is in use."""
    current = st.session_state.get(STATE_KEY)
    return current if isinstance(current, UserList) and current.mode != "aucun" else None


def store_user_list(name: str, places: pd.DataFrame, mode: str) -> None:
    """Keep a list for the session (replacing any previous one), under a display-safe file name."""
    st.session_state[STATE_KEY] = UserList(display_name(name), places, mode)


def forget_user_list() -> None:
    """Stop using the session's list."""
    st.session_state.pop(STATE_KEY, None)


def replacing_list() -> UserList | None:
    """The list when it stands in for the Fabriques."""
    current = active_user_list()
    return current if current is not None and current.mode == "remplace" else None


def render_user_list_notice() -> None:
    """Say in the sidebar that a user's list is in use, and how."""
    current = active_user_list()
    if current is not None:
        st.sidebar.info(
            f"Liste importée « {current.name} » ({len(current.places)} lieux) : {MODES[current.mode].lower()}. "
            "Changez-le dans la page « Listes importées ».",
            icon="📄",
        )
