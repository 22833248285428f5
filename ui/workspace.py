"""The workspace in the app: the store of this deployment, the user, « Enregistrer » where the work is
made, and the links that reopen a saved item in any browser of the deployment (``?espace=<id>``).

A store that cannot be opened never stops an analysis page: saving says what is wrong and keeps the
work in the session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core.access import AccessDenied, Role
from core.domain.text import escape_markdown
from core.settings import get_setting
from core.workspace.items import KINDS, ConflictError, WorkspaceError, WorkspaceUnavailable
from core.workspace.store import WorkspaceStore, open_store
from ui import state
from ui.auth import LOCAL_USER as LOCAL_USER  # re-exported: the one user of the embedded default
from ui.auth import check_may, is_admin, may
from ui.auth import current_user as signed_in_user


@dataclass(frozen=True)
class Opened:
    """The saved item the session's work of one kind comes from (to save over it, conflict-checked)."""

    item_id: str
    version: int
    title: str


@st.cache_resource(show_spinner=False, max_entries=4)
def _store(url: str) -> WorkspaceStore:
    return open_store(url)


def workspace() -> WorkspaceStore:
    """The deployment's store (setting ``database_url``, env ``FABT_DATABASE_URL``; SQLite in ``data/``
    by default), opened once per server process.

    Raises
    ------
    WorkspaceUnavailable
        The database cannot be opened (the message says why and what to do).
    """
    return _store(get_setting("database_url"))


def current_user() -> str:
    """Who is working: the signed-in address, or the one local user of the embedded default (no sign-in)."""
    return signed_in_user()


def opened(kind: str) -> Opened | None:
    """The saved item the session's work of ``kind`` comes from, if any."""
    return (state.recall(state.WORKSPACE_OPENED, {}) or {}).get(kind)


def remember_opened(kind: str, item_id: str, version: int, title: str) -> None:
    """Note that the session's work of ``kind`` is now saved item ``item_id`` at ``version``."""
    refs = dict(state.recall(state.WORKSPACE_OPENED, {}) or {})
    refs[kind] = Opened(item_id, version, title)
    state.remember(state.WORKSPACE_OPENED, refs)


def item_link(item_id: str) -> str:
    """The stable link of an item: the deployment's address with ``?espace=<id>``."""
    base = (st.context.url or "").split("?")[0].rstrip("/")
    root = base.rsplit("/", 1)[0] if base.count("/") > 2 else base
    return f"{root}/?espace={item_id}"


def save_item(
    kind: str, title: str, note: str, payload: dict, files: list[bytes], *, as_new: bool, overwrite: bool = False
) -> str:
    """Save the session's work and return the saved item's id.

    ``as_new`` saves a new item; otherwise the item the work was opened from is saved over, with a
    conflict check (``overwrite`` saves over whatever version is current).

    Raises
    ------
    WorkspaceError
        Among them :class:`ConflictError` (someone saved meanwhile): nothing was written.
    """
    check_may(Role.CONTRIBUTEUR, "enregistrer")
    ref = None if as_new else opened(kind)
    store = workspace()
    if ref is not None and overwrite:
        ref = Opened(ref.item_id, store.open(current_user(), ref.item_id, admin=is_admin()).version, ref.title)
    summary = store.save(
        current_user(),
        kind,
        title,
        note,
        payload,
        item_id=ref.item_id if ref else None,
        expected_version=ref.version if ref else None,
        files=files,
        admin=is_admin(),
    )
    remember_opened(kind, summary.id, summary.version, summary.title)
    return summary.id


def _save_clicked(kind: str, key: str, build, on_saved, mode: str) -> None:
    """The click of a save button (a callback: it runs before the page, so no rerun loses it)."""
    title, note = state.recall(f"{key}_titre", ""), state.recall(f"{key}_note", "")
    as_new = mode == "new" or (mode == "form" and state.recall(f"{key}_mode", "new") == "new")
    try:
        payload, files = build()
        item_id = save_item(kind, title, note, payload, files, as_new=as_new, overwrite=mode == "overwrite")
    except ConflictError as conflict:
        state.remember(f"{key}_resultat", ("conflict", conflict))
        return
    except (WorkspaceError, AccessDenied) as error:
        state.remember(
            f"{key}_resultat", ("error", f"Enregistrement impossible : {error} Votre travail reste dans cette session.")
        )
        return
    if on_saved is not None:
        on_saved(item_id)
    state.remember(f"{key}_resultat", ("ok", item_id))


def render_save(
    kind: str,
    default_title: str,
    build: Callable[[], tuple[dict, list[bytes]]],
    key: str,
    on_saved: Callable[[str], None] | None = None,
) -> None:
    """« Enregistrer » in a popover: title, note, then save (over the opened item, or as a new one).

    ``build`` makes the payload and its files when the user clicks (never on every run);
    ``on_saved`` is told the saved item's id. A refused save (conflict, database unavailable) says
    why and keeps the work in the session.
    """
    if not may(Role.CONTRIBUTEUR):
        st.caption("Lecture seule : votre rôle ne permet pas d'enregistrer (il faut le rôle contributeur).")
        return
    ref = opened(kind)
    with st.popover(f"Enregistrer ({KINDS[kind].lower()})", icon=":material/save:", width="content"):
        title = st.text_input("Titre", value=ref.title if ref else default_title, key=f"{key}_titre", max_chars=200)
        st.text_area("Note", key=f"{key}_note", max_chars=5000, height=80)
        if ref is not None:
            st.radio(
                "Enregistrer",
                ["over", "new"],
                format_func={
                    "over": f"Nouvelle version de « {escape_markdown(ref.title)} »",
                    "new": "Nouvel élément",
                }.get,
                key=f"{key}_mode",
            )
        st.button(
            "Enregistrer",
            key=f"{key}_ok",
            type="primary",
            on_click=_save_clicked,
            args=(kind, key, build, on_saved, "form"),
        )
        _render_outcome(kind, key, build, on_saved, title)


def _render_outcome(kind: str, key: str, build, on_saved, title: str) -> None:
    outcome = state.recall(f"{key}_resultat")
    if not outcome:
        return
    status, value = outcome
    if status == "ok":
        st.success("Enregistré. Lien de l'élément :", icon=":material/check_circle:")
        st.code(item_link(value), language=None, wrap_lines=True)
    elif status == "error":
        st.error(value, icon=":material/error:")
    else:
        current = value.current
        mine = opened(kind)
        st.warning(str(value), icon=":material/warning:")
        st.markdown(
            f"- **Version enregistrée** : « {escape_markdown(current.title)} », version {current.version}, par "
            f"{escape_markdown(current.updated_by)}\n- **La vôtre** : « {escape_markdown(title)} », partie de la "
            f"version {mine.version if mine else '?'}"
        )
        c1, c2 = st.columns(2)
        c1.button(
            "Enregistrer la mienne comme copie",
            key=f"{key}_copie",
            on_click=_save_clicked,
            args=(kind, key, build, on_saved, "new"),
        )
        c2.button(
            "Remplacer la version enregistrée",
            key=f"{key}_remplacer",
            on_click=_save_clicked,
            args=(kind, key, build, on_saved, "overwrite"),
        )


def workspace_problem() -> str | None:
    """Why the workspace cannot be used right now (None when it can)."""
    try:
        workspace()
    except WorkspaceUnavailable as error:
        return str(error)
    return None
