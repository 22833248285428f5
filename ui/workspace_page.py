"""The blocks of « Mon espace »: items by kind with their actions, the trash, the import of an item."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.access import Role
from core.domain.formatting import format_number
from core.domain.text import escape_markdown
from core.exports.tables import ExportContext, to_csv_bytes, to_xlsx_bytes
from core.workspace.items import KINDS, ItemSummary, WorkspaceError
from core.workspace.payloads import export_envelope, import_envelope, list_frames
from core.workspace.store import WorkspaceStore, describe_size
from ui import state
from ui.auth import allow_upload, is_admin, may
from ui.exports import XLSX_MIME
from ui.widgets import slug
from ui.workspace import current_user, item_link

DESCRIPTION = "Espace de travail : éléments enregistrés (sans les filtres de la barre latérale)"


def _when(summary: ItemSummary) -> str:
    return summary.updated_at.astimezone().strftime("%d/%m/%Y %H:%M")


def items_table(summaries: list[ItemSummary]) -> pd.DataFrame:
    """What a list of items shows: title, note, author, last save, version, sharing, size."""
    return pd.DataFrame(
        {
            "titre": [s.title for s in summaries],
            "note": [s.note for s in summaries],
            "auteur": [s.owner for s in summaries],
            "dernier enregistrement": [f"{_when(s)} par {s.updated_by}" for s in summaries],
            "version": [s.version for s in summaries],
            "partagé": [s.shared for s in summaries],
            "taille": [describe_size(s.size_bytes) for s in summaries],
        }
    )


def _files_of(store: WorkspaceStore, payload: dict) -> dict[str, bytes]:
    shas = [payload[k]["blob"] for k in ("source",) if isinstance(payload.get(k), dict) and "blob" in payload[k]]
    return {sha: store.blob(sha) for sha in shas}


def render_kind(store: WorkspaceStore, kind: str) -> None:
    """The items of one kind, and the actions on the one chosen."""
    summaries = store.list_items(current_user(), kind, admin=is_admin())
    if not summaries:
        st.info(f"Aucun élément de type « {KINDS[kind]} » : enregistrez-en depuis la page où il se fait.")
        return
    st.dataframe(items_table(summaries), hide_index=True, key=f"espace_{kind}_table")
    by_id = {s.id: s for s in summaries}
    chosen = st.selectbox(
        "Élément",
        list(by_id),
        format_func=lambda i: f"{by_id[i].title} — {_when(by_id[i])}",
        key=f"espace_{kind}_choix",
    )
    _render_actions(store, by_id[chosen])


def _render_actions(store: WorkspaceStore, summary: ItemSummary) -> None:
    user, key, admin = current_user(), f"espace_{summary.id}", is_admin()
    # An admin manages everyone's items; a reader (lecteur) only opens and exports the team's.
    mine = (summary.owner == user and may(Role.CONTRIBUTEUR)) or admin
    st.markdown(f"**{escape_markdown(summary.title)}** — {escape_markdown(summary.note) or '(sans note)'}")
    st.code(item_link(summary.id), language=None, wrap_lines=True)
    c1, c2, c3, c4 = st.columns(4)
    c1.button(
        "Ouvrir",
        key=f"{key}_ouvrir",
        type="primary",
        icon=":material/open_in_new:",
        on_click=queue_open,
        args=(summary.id,),
    )
    c2.button(
        "Dupliquer",
        key=f"{key}_dupliquer",
        icon=":material/content_copy:",
        disabled=not may(Role.CONTRIBUTEUR),
        on_click=_act,
        args=(lambda: store.duplicate(user, summary.id, admin=admin), "Copie enregistrée."),
    )
    label = "Ne plus partager" if summary.shared else "Partager avec l'équipe"
    c3.button(
        label,
        key=f"{key}_partager",
        disabled=not mine,
        icon=":material/group:",
        on_click=_act,
        args=(lambda: store.share(user, summary.id, not summary.shared, admin=admin), "Partage modifié."),
    )
    with c4.popover("Supprimer", icon=":material/delete:", disabled=not mine):
        st.write("L'élément va dans la corbeille, d'où il peut être restauré pendant 30 jours.")
        st.button(
            "Confirmer la suppression",
            key=f"{key}_supprimer",
            on_click=_act,
            args=(lambda: store.delete(user, summary.id, admin=admin), "Élément placé dans la corbeille."),
        )
    with st.expander("Renommer, versions, export"):
        st.text_input("Titre", value=summary.title, key=f"{key}_titre", max_chars=200, disabled=not mine)
        st.text_area("Note", value=summary.note, key=f"{key}_note", max_chars=5000, disabled=not mine)

        def rename() -> None:
            title, note = state.recall(f"{key}_titre", summary.title), state.recall(f"{key}_note", summary.note)
            store.rename(user, summary.id, title, note, summary.version, admin=admin)

        st.button(
            "Renommer", key=f"{key}_renommer", disabled=not mine, on_click=_act, args=(rename, "Élément renommé.")
        )
        versions = store.versions(user, summary.id, admin=admin)
        if versions:
            shown = {v["version"]: f"version {v['version']} — « {v['title']} » par {v['saved_by']}" for v in versions}
            st.selectbox("Version précédente", list(shown), format_func=shown.get, key=f"{key}_version")

            def restore() -> None:
                store.restore_version(user, summary.id, state.recall(f"{key}_version"), summary.version, admin=admin)

            st.button(
                "Restaurer cette version",
                key=f"{key}_restaurer",
                disabled=not mine,
                on_click=_act,
                args=(restore, "Version restaurée."),
            )
        _render_exports(store, summary)


def _render_exports(store: WorkspaceStore, summary: ItemSummary) -> None:
    key, name = f"espace_{summary.id}", slug(summary.title)
    try:
        item = store.open(current_user(), summary.id, admin=is_admin())
    except WorkspaceError as error:
        st.error(str(error), icon=":material/error:")
        return
    st.download_button(
        "Exporter (fichier JSON)",
        lambda: export_envelope(item, _files_of(store, item.payload)),
        f"{name}.json",
        "application/json",
        key=f"{key}_json",
        on_click="ignore",
        help="Un fichier qui se réimporte dans l'onglet « Importer » (ici ou sur un autre déploiement).",
    )
    if item.kind == "list":
        accepted, _ = list_frames(item.payload)
        context = ExportContext(
            title=item.summary.title, filters=DESCRIPTION, sources=["Liste fournie par l'utilisateur"]
        )
        c1, c2 = st.columns(2)
        c1.download_button(
            "Lignes acceptées (CSV)",
            lambda: to_csv_bytes(accepted, ";"),
            f"{name}.csv",
            "text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
        c2.download_button(
            "Lignes acceptées (Excel)",
            lambda: to_xlsx_bytes(accepted, context),
            f"{name}.xlsx",
            XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
        )


def _act(action, done: str) -> None:
    """Run an action on the store (a button's callback) and keep what to say about it for this run."""
    try:
        action()
    except WorkspaceError as error:
        state.remember(state.WORKSPACE_MESSAGE, ("error", str(error)))
        return
    state.remember(state.WORKSPACE_MESSAGE, ("ok", done))


def queue_open(item_id: str) -> None:
    """Open an item at the start of the next run (a callback cannot switch pages)."""
    state.remember(state.WORKSPACE_PENDING_OPEN, item_id)


def render_message() -> None:
    """What the last action did (or why it failed)."""
    message = state.recall(state.WORKSPACE_MESSAGE)
    state.forget(state.WORKSPACE_MESSAGE)
    if message:
        (st.success if message[0] == "ok" else st.error)(
            message[1], icon=":material/info:" if message[0] == "ok" else ":material/error:"
        )


def render_trash(store: WorkspaceStore) -> None:
    """The deleted items (kept 30 days), each restorable."""
    deleted = store.list_items(current_user(), deleted=True, admin=is_admin())
    if not deleted:
        st.info("La corbeille est vide.")
        return
    st.caption("Les éléments supprimés sont effacés définitivement 30 jours après leur suppression.")
    for summary in deleted:
        c1, c2 = st.columns([4, 1])
        when = summary.deleted_at.astimezone().strftime("%d/%m/%Y")
        c1.markdown(f"**{escape_markdown(summary.title)}** ({KINDS[summary.kind]}, supprimé le {when})")
        c2.button(
            "Restaurer",
            key=f"espace_{summary.id}_corbeille",
            on_click=_act,
            disabled=not may(Role.CONTRIBUTEUR),
            args=(lambda s=summary: store.restore(current_user(), s.id, admin=is_admin()), "Élément restauré."),
        )


def render_import(store: WorkspaceStore) -> None:
    """Import an item exported as a JSON file (it becomes a new private item)."""
    if not allow_upload("d'importer un élément"):
        return
    upload = st.file_uploader("Élément exporté (fichier JSON)", type=["json"], key="espace_import")
    if upload is None:
        return
    try:
        kind, title, note, payload, files = import_envelope(upload.getvalue())
    except WorkspaceError as error:
        st.error(f"{error} Exportez l'élément depuis « Mon espace » et réessayez.", icon=":material/block:")
        return
    size = format_number(len(upload.getvalue()) / 1024)
    st.write(f"{KINDS[kind]} « {title} » ({size} ko).")
    st.button(
        "Importer dans mon espace",
        key="espace_import_ok",
        type="primary",
        on_click=_act,
        args=(lambda: store.save(current_user(), kind, title, note, payload, files=files), "Élément importé."),
    )


def audit_table(entries: list[dict], titles: dict[str, str]) -> pd.DataFrame:
    """The audit log as shown: when, who, what, which item (its title when it still exists), detail."""
    return pd.DataFrame(
        {
            "date": [e["at"].astimezone().strftime("%d/%m/%Y %H:%M:%S") for e in entries],
            "utilisateur": [e["user"] for e in entries],
            "action": [e["action"] for e in entries],
            "élément": [titles.get(e["item_id"] or "", e["item_id"] or "") for e in entries],
            "identifiant": [e["item_id"] or "" for e in entries],
            "détail": [e["detail"] for e in entries],
        }
    )


def render_audit(store: WorkspaceStore) -> None:
    """The audit log (admins only): who saved, shared, opened or deleted which item, newest first."""
    if not is_admin():
        st.info("Le journal d'audit est réservé au rôle admin.", icon=":material/lock:")
        return
    entries = store.audit_log(limit=1000)
    titles = {s.id: s.title for s in store.list_items(current_user(), admin=True)}
    titles |= {s.id: s.title for s in store.list_items(current_user(), deleted=True, admin=True)}
    st.caption("Les 1 000 dernières actions sur les éléments enregistrés, les plus récentes d'abord.")
    st.dataframe(audit_table(entries, titles), hide_index=True, key="espace_journal")
