"""Listes importées: a user's list of funded places, validated, then mapped and analysed like the Fabriques."""

import streamlit as st

from core.domain.definitions import caption_for
from core.domain.text import display_name
from core.uploads.formats import UPLOAD_EXTENSIONS, describe_formats
from core.uploads.lists import compute_places_frame, describe_places, validate_list
from core.uploads.reader import UploadLimits
from core.viz.maps import make_fabriques_map
from ui.auth import allow_upload
from ui.bootstrap import ensure_navigation
from ui.code_map import load_code_map
from ui.context import load_marts
from ui.loaders import load_geo
from ui.maps import render_map
from ui.save_buttons import render_save_list
from ui.uploads import read_supplied_file
from ui.user_list import (
    MODES,
    forget_user_list,
    render_column_mapping,
    render_revalidation,
    render_validation,
    store_user_list,
    stored_user_list,
)

ensure_navigation()

LIMITS = UploadLimits()
DESCRIPTION = "Liste fournie par l'utilisateur, avant les filtres de la barre latérale"

fabriques, communes = load_marts("fabriques", "communes")

st.title("Listes importées")
st.caption(
    "Déposez votre liste de lieux financés (lauréats d'un dispositif départemental, fichier interne des "
    "Fabriques avec vague, montant, adresse et statut FNT…) : chaque ligne est validée, acceptée ou rejetée avec "
    "son motif. La liste acceptée reçoit les mêmes cartes et analyses que les Fabriques. Elle reste dans votre "
    "session tant que vous ne l'enregistrez pas (« Enregistrer » ci-dessous, ou avec une vue) : enregistrée, elle a "
    "un lien qui la rouvre, et les liens des vues qui l'utilisent la rouvrent aussi."
)
st.caption(describe_formats(LIMITS))

if not allow_upload("de déposer une liste"):  # a reader (lecteur) in team mode
    st.stop()
upload = st.file_uploader("Liste de lieux", type=list(UPLOAD_EXTENSIONS), key="liste_fichier")
current = stored_user_list()
if upload is None:
    if current is not None:
        st.info(f"Liste en cours : « {current.name} » ({len(current.places)} lieux), {MODES[current.mode].lower()}.")
        st.button("Ne plus utiliser cette liste", key="liste_oublier", on_click=forget_user_list)
        render_revalidation(current)
    st.stop()

supplied = read_supplied_file(upload, LIMITS, "liste")
if supplied is None:
    st.stop()
table, digest = supplied.table, supplied.version

mapping = render_column_mapping(list(table.frame.columns), digest)
try:
    result = validate_list(table.frame, mapping, load_code_map(communes), load_geo("communes"), table.lines)
except ValueError as error:
    st.error(str(error), icon=":material/explore:")
    st.stop()
render_validation(result, upload.name, DESCRIPTION)
if result.accepted.empty:
    st.warning("Aucune ligne acceptée : corrigez le fichier ou l'association des colonnes à l'aide des motifs.")
    st.stop()

places = compute_places_frame(result.accepted, communes, load_geo("qpv"), list(fabriques.columns))
st.header("Utiliser la liste")
mode = st.radio("Dans les pages du tableau de bord", list(MODES), format_func=MODES.get, key=f"liste_mode_{digest}")
previous = stored_user_list()
same = previous is not None and previous.name == display_name(upload.name) and len(previous.places) == len(places)
store_user_list(upload.name, places, mode, previous.item_id if same else None)
render_save_list(upload.name, upload.getvalue(), table.frame, mapping, result, mode, table.lines)
if mode == "remplace":
    st.success(
        "Toutes les pages (vue d'ensemble, carte, QPV, territoires ruraux, couverture, fiche territoire, "
        "présentation) analysent maintenant cette liste ; les filtres de la barre latérale s'y appliquent."
    )
elif mode == "couche":
    st.success("La carte affiche cette liste en couche supplémentaire, au-dessus des Fabriques.")

st.header("Aperçu")
st.markdown(f"**En bref :** {describe_places(places)}")
render_map(make_fabriques_map(places, places_name=f"Liste importée « {upload.name} »"), 520, "liste_carte")
st.caption(caption_for("cog", "qpv", "densite") + " Lieux : fichier fourni par l'utilisateur.")
