"""The list a user supplied, kept for the session, and how pages use it (extra layer or in place)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.domain.text import display_name
from core.uploads.lists import FIELDS, ValidatedList, guess_mapping
from ui import state
from ui.widgets import render_table

MODES = {
    "couche": "En couche supplémentaire sur la carte",
    "remplace": "À la place des Fabriques, sur toutes les pages",
    "aucun": "Ne pas l'utiliser",
}


@dataclass(frozen=True)
class UserList:
    """An accepted list: its file name, its places (Fabriques schema), how pages use it, and the saved
    item it is (None until saved)."""

    name: str
    places: pd.DataFrame
    mode: str = "couche"
    item_id: str | None = None


def active_user_list() -> UserList | None:
    """The session's list, if one was accepted and is in use."""
    current = state.recall(state.USER_LIST)
    return current if isinstance(current, UserList) and current.mode != "aucun" else None


def store_user_list(name: str, places: pd.DataFrame, mode: str, item_id: str | None = None) -> None:
    """Keep a list for the session (replacing any previous one), under a display-safe file name."""
    state.remember(state.USER_LIST, UserList(display_name(name), places, mode, item_id))


def mark_user_list_saved(item_id: str) -> None:
    """The session's list is now the saved item ``item_id``."""
    current = stored_user_list()
    if current is not None:
        state.remember(state.USER_LIST, UserList(current.name, current.places, current.mode, item_id))


def forget_user_list() -> None:
    """Stop using the session's list."""
    state.forget(state.USER_LIST)


def stored_user_list() -> UserList | None:
    """The session's list, in use or not."""
    current = state.recall(state.USER_LIST)
    return current if isinstance(current, UserList) else None


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
            icon=":material/description:",
        )


NO_COLUMN = "— aucune —"


def render_column_mapping(columns: list[str], digest: str) -> dict[str, str]:
    """One selectbox per field of a list, proposed from the column names; returns field → column."""
    st.header("Association des colonnes")
    st.caption(
        "Les associations proposées viennent des noms de colonnes ; corrigez-les si besoin. Seul le nom est "
        "obligatoire."
    )
    guess = guess_mapping(columns)
    options = [NO_COLUMN, *columns]
    mapping = {}
    slots = st.columns(3)
    for i, (field_name, (label, _)) in enumerate(FIELDS.items()):
        chosen = slots[i % 3].selectbox(
            label,
            options,
            index=options.index(guess[field_name]) if field_name in guess else 0,
            key=f"liste_map_{field_name}_{digest}",
        )
        if chosen != NO_COLUMN:
            mapping[field_name] = chosen
    return mapping


def render_validation(result: ValidatedList, file_name: str, description: str) -> None:
    """Rows read = accepted + rejected, and both tables with their exports."""
    st.header("Validation")
    origin = f"Source : fichier fourni par l'utilisateur (« {display_name(file_name)} »), lu le jour même."
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Lignes lues", format_number(result.rows_in), help="Lignes de données du fichier (en-tête exclu). " + origin
    )
    c2.metric(
        "Acceptées",
        format_number(len(result.accepted)),
        help="Lignes avec un nom et un lieu situé (code COG 2026 ou ancien code, ou point en France). " + origin,
    )
    c3.metric(
        "Rejetées", format_number(len(result.rejected)), help="Lignes écartées, chacune avec son motif. " + origin
    )
    st.markdown(
        f"**En bref :** {format_number(result.rows_in)} lignes lues = {format_number(len(result.accepted))} acceptées "
        f"+ {format_number(len(result.rejected))} rejetées."
    )
    accepted_tab, rejected_tab = st.tabs(["Lignes acceptées", "Lignes rejetées et motifs"])
    with accepted_tab:
        render_table(
            result.accepted, f"Lignes acceptées — {file_name}", caption_for("cog"), "liste_acceptees", description
        )
    with rejected_tab:
        if result.rejected.empty:
            st.info("Aucune ligne rejetée.")
        else:
            render_table(result.rejected, f"Lignes rejetées — {file_name}", "", "liste_rejetees", description)


def _revalidate(current: UserList) -> None:
    """Validate a saved list's file again against the current COG; keep what to say (a button's callback)."""
    from core.uploads.lists import compute_places_frame, validate_list
    from core.workspace.items import WorkspaceError
    from core.workspace.payloads import make_list_payload, read_sanitized_table
    from ui.code_map import load_code_map
    from ui.loaders import load_geo, load_table
    from ui.workspace import current_user, workspace

    try:
        item = workspace().open(current_user(), current.item_id)
        payload = item.payload
        table = read_sanitized_table(workspace().blob(payload["source"]["blob"]))
        communes = load_table("communes")
        result = validate_list(
            table, payload["mapping"], load_code_map(communes), load_geo("communes"), payload["source"].get("lines")
        )
        renewed = make_list_payload(
            payload["name"],
            payload["mapping"],
            result.accepted,
            result.rejected,
            result.rows_in,
            payload["mode"],
            payload["source"],
            payload.get("personal_columns", []),
        )
        workspace().save(
            current_user(),
            "list",
            item.summary.title,
            item.summary.note,
            renewed,
            item_id=item.id,
            expected_version=item.version,
        )
    except (WorkspaceError, ValueError) as error:
        state.remember(state.WORKSPACE_MESSAGE, ("error", f"Nouvelle validation impossible : {error}"))
        return
    places = compute_places_frame(result.accepted, communes, load_geo("qpv"), list(load_table("fabriques").columns))
    store_user_list(payload["name"], places, current.mode, current.item_id)
    state.remember(
        state.WORKSPACE_MESSAGE,
        (
            "ok",
            f"Nouvelle validation : {format_number(len(result.accepted))} lignes acceptées (avant : "
            f"{format_number(len(payload['accepted']))}), {format_number(len(result.rejected))} rejetées ; "
            "enregistrée comme nouvelle version de la liste.",
        ),
    )


def render_revalidation(current: UserList) -> None:
    """For a saved list: validate its file again against the current COG (a new version of the item)."""
    if current.item_id is None:
        return
    st.button(
        "Valider à nouveau le fichier avec le COG actuel", key="liste_revalider", on_click=_revalidate, args=(current,)
    )
    message = state.recall(state.WORKSPACE_MESSAGE)
    state.forget(state.WORKSPACE_MESSAGE)
    if message:
        (st.success if message[0] == "ok" else st.error)(message[1])
