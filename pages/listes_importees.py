"""Listes importées: a user's list of funded places, validated, then mapped and analysed like the Fabriques."""

import hashlib

import streamlit as st

from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.domain.text import display_name
from core.uploads.lists import FIELDS, compute_places_frame, guess_mapping, validate_list
from core.uploads.reader import UploadError, UploadLimits, read_upload
from core.viz.maps import make_fabriques_map
from ui.bootstrap import ensure_navigation
from ui.code_map import load_code_map
from ui.context import load_or_stop
from ui.loaders import load_geo
from ui.map_view import render_map
from ui.user_list import MODES, STATE_KEY, forget_user_list, store_user_list
from ui.widgets import render_table

ensure_navigation()

LIMITS = UploadLimits()
NONE = "— aucune —"

fabriques = load_or_stop("fabriques")
communes = load_or_stop("communes")

st.title("Listes importées")
st.caption(
    "Déposez votre liste de lieux financés (lauréats d'un dispositif départemental, fichier interne des "
    "Fabriques avec vague, montant, adresse et statut FNT…) : chaque ligne est validée, acceptée ou rejetée avec "
    "son motif. La liste acceptée reçoit les mêmes cartes et analyses que les Fabriques. Elle reste dans votre "
    "session : elle n'est ni enregistrée sur le serveur ni transmise par les liens copiés."
)
st.caption(
    f"Formats : CSV (UTF-8 ou Windows-1252, séparateur ; , ou tabulation), Excel .xlsx (première feuille), "
    f"GeoJSON en WGS 84. Au plus {format_number(LIMITS.max_bytes / 1_048_576)} Mo, "
    f"{format_number(LIMITS.max_rows)} lignes et {LIMITS.max_columns} colonnes."
)

upload = st.file_uploader("Liste de lieux", type=["csv", "xlsx", "geojson", "json"], key="liste_fichier")
current = st.session_state.get(STATE_KEY)
if upload is None:
    if current is not None:
        st.info(f"Liste en cours : « {current.name} » ({len(current.places)} lieux), {MODES[current.mode].lower()}.")
        if st.button("Ne plus utiliser cette liste", key="liste_oublier"):
            forget_user_list()
            st.rerun()
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()[:12]
try:
    table = read_upload(data, upload.name, LIMITS)
except UploadError as error:
    st.error(str(error), icon="🚫")
    st.stop()
for note in table.notes:
    st.caption(note)

st.subheader("Association des colonnes")
st.caption(
    "Les associations proposées viennent des noms de colonnes ; corrigez-les si besoin. Seul le nom est obligatoire."
)
guess = guess_mapping(list(table.frame.columns))
options = [NONE, *table.frame.columns]
mapping = {}
columns = st.columns(3)
for i, (field_name, (label, _)) in enumerate(FIELDS.items()):
    chosen = columns[i % 3].selectbox(
        label,
        options,
        index=options.index(guess[field_name]) if field_name in guess else 0,
        key=f"liste_map_{field_name}_{digest}",
    )
    if chosen != NONE:
        mapping[field_name] = chosen

try:
    result = validate_list(table.frame, mapping, load_code_map(communes), load_geo("communes"))
except ValueError as error:
    st.error(str(error), icon="🧭")
    st.stop()

st.subheader("Validation")
c1, c2, c3 = st.columns(3)
ORIGIN = f"Source : fichier fourni par l'utilisateur (« {display_name(upload.name)} »), lu le jour même."
c1.metric("Lignes lues", format_number(result.rows_in), help="Lignes de données du fichier (en-tête exclu). " + ORIGIN)
c2.metric(
    "Acceptées",
    format_number(len(result.accepted)),
    help="Lignes avec un nom et un lieu situé (code COG 2026 ou ancien code, ou point en France). " + ORIGIN,
)
c3.metric("Rejetées", format_number(len(result.rejected)), help="Lignes écartées, chacune avec son motif. " + ORIGIN)
st.markdown(
    f"**En bref :** {format_number(result.rows_in)} lignes lues = {format_number(len(result.accepted))} acceptées + "
    f"{format_number(len(result.rejected))} rejetées."
)
accepted_tab, rejected_tab = st.tabs(["Lignes acceptées", "Lignes rejetées et motifs"])
with accepted_tab:
    render_table(result.accepted, f"Lignes acceptées — {upload.name}", caption_for("cog"), "liste_acceptees")
with rejected_tab:
    if result.rejected.empty:
        st.info("Aucune ligne rejetée.")
    else:
        render_table(result.rejected, f"Lignes rejetées — {upload.name}", "", "liste_rejetees")

if result.accepted.empty:
    st.warning("Aucune ligne acceptée : corrigez le fichier ou l'association des colonnes à l'aide des motifs.")
    st.stop()

places = compute_places_frame(result.accepted, communes, load_geo("qpv"), list(fabriques.columns))
st.subheader("Utiliser la liste")
mode = st.radio("Dans les pages du tableau de bord", list(MODES), format_func=MODES.get, key=f"liste_mode_{digest}")
store_user_list(upload.name, places, mode)
if mode == "remplace":
    st.success(
        "Toutes les pages (vue d'ensemble, carte, QPV, territoires ruraux, couverture, fiche territoire, "
        "présentation) analysent maintenant cette liste ; les filtres de la barre latérale s'y appliquent."
    )
elif mode == "couche":
    st.success("La carte affiche cette liste en couche supplémentaire, au-dessus des Fabriques.")

st.subheader("Aperçu")
located = int(places["location_precision"].eq("point fourni par la liste").sum())
st.markdown(
    f"**En bref :** {format_number(len(places))} lieux sur la carte, dont {format_number(located)} au point fourni "
    f"et {format_number(len(places) - located)} au centroïde de leur commune ; "
    f"{format_number(int(places['dans_qpv'].sum()))} dans un QPV 2024."
)
render_map(make_fabriques_map(places, places_name=f"Liste importée « {upload.name} »"), 520, "liste_carte")
st.caption(caption_for("cog", "qpv", "densite") + " Lieux : fichier fourni par l'utilisateur.")
