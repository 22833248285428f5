"""Éligibilité: a project described in a form, or a file of projects, checked against each scheme."""

import streamlit as st

from core.domain.definitions import caption_for
from core.exports.tables import to_csv_bytes
from core.schemes.eligibility import compute_territory_facts, evaluate_project
from core.schemes.projects import make_template
from core.schemes.registry import load_registry, with_departement
from core.uploads.formats import TABLE_EXTENSIONS
from ui.auth import allow_upload
from ui.bootstrap import ensure_navigation
from ui.code_map import load_code_map
from ui.context import load_marts, territory_names
from ui.projects import render_project_file, render_project_form, render_verdicts
from ui.save_buttons import render_saved_batch
from ui.widgets import select_scheme_departement

ensure_navigation()

DESCRIPTION = "Sans filtre : l'éligibilité ne dépend pas de la barre latérale"
schemes = load_registry()
communes, arrondissements = load_marts("communes", "arrondissements")
departements = territory_names().departements

st.title("Éligibilité")
st.caption(
    "Décrivez un projet ou déposez un fichier de projets : pour chaque dispositif, le verdict (éligible, non "
    "éligible, information manquante) et chaque règle appliquée, avec les faits territoriaux utilisés. Verdict "
    "indicatif, établi d'après les documents sources : il ne remplace pas l'instruction du dossier."
)
dep = select_scheme_departement(st, departements, schemes["departemental"].departement, "elig_dep_dispositif")
schemes["departemental"] = with_departement(schemes["departemental"], dep)
sources = caption_for("cog", "densite", "qpv", "fabriques") + " Règles : documents sources des dispositifs."

render_saved_batch(DESCRIPTION)
form_tab, file_tab = st.tabs(["Un projet", "Un fichier de projets"])
with form_tab:
    project = render_project_form(communes, departements)
    facts = compute_territory_facts(project.insee_com, communes, arrondissements)
    if facts.insee_com:
        st.info(f"Faits territoriaux : {facts.describe()}", icon=":material/location_on:")
    render_verdicts(evaluate_project(project, facts, schemes), list(schemes), sources, DESCRIPTION)

with file_tab:
    st.markdown(
        "Une ligne par projet. Colonnes reconnues : `nom`, `type_porteur`, `services` (liste séparée par des "
        "virgules), `animation` (oui/non), `cofinanceurs` (liste), `depense_ht`, `insee_com`. Une cellule vide vaut "
        "« non renseigné » ; une valeur illisible aussi, et la ligne dit pourquoi."
    )
    st.download_button(
        "Télécharger le modèle (CSV)",
        to_csv_bytes(make_template(), ";"),
        "modele-projets.csv",
        "text/csv",
        key="elig_modele",
    )
    if not allow_upload("de déposer un fichier de projets"):  # the last block of the page
        st.stop()
    upload = st.file_uploader(
        "Fichier de projets (CSV, Excel ou LibreOffice)", type=list(TABLE_EXTENSIONS), key="elig_fichier"
    )
    if upload is not None:
        render_project_file(upload, communes, arrondissements, load_code_map(communes), schemes, sources, DESCRIPTION)
