"""Mon espace: the work saved in this deployment — views, lists, scenarios, batches, presentations."""

import streamlit as st

from core.workspace.items import KINDS, WorkspaceError
from ui.auth import is_admin
from ui.bootstrap import ensure_navigation
from ui.workspace import current_user, workspace, workspace_problem
from ui.workspace_page import render_audit, render_import, render_kind, render_message, render_trash

ensure_navigation()

st.title("Mon espace")
st.caption(
    f"Travail enregistré par {current_user()} et partagé par l'équipe : chaque élément a un lien stable qui le "
    "rouvre dans n'importe quel navigateur de ce déploiement. Enregistrer se fait là où le travail se fait "
    "(barre latérale pour une vue ; pages Listes importées, Région Sud, Éligibilité, Présentation). Aucune donnée "
    "personnelle n'est enregistrée : les colonnes de contact et les adresses électroniques d'un fichier sont "
    "retirées avant l'enregistrement."
)
problem = workspace_problem()
if problem:
    st.error(problem, icon=":material/error:")
    st.stop()
store = workspace()
try:
    store.purge_trash()
except WorkspaceError as error:
    st.warning(f"La corbeille n'a pas pu être vidée des éléments de plus de 30 jours : {error}")

render_message()
tabs = st.tabs([*KINDS.values(), "Corbeille", "Importer", *(["Journal d'audit"] if is_admin() else [])])
for tab, kind in zip(tabs, KINDS, strict=False):
    with tab:
        render_kind(store, kind)
with tabs[len(KINDS)]:
    render_trash(store)
with tabs[len(KINDS) + 1]:
    render_import(store)
if is_admin():
    with tabs[-1]:
        render_audit(store)
