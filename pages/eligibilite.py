"""Éligibilité: a project described in a form, or a file of projects, checked against each scheme."""

import streamlit as st

from core.domain.definitions import caption_for
from core.exports.tables import to_csv_bytes
from core.schemes.eligibility import (
    CO_FUNDERS,
    ELIGIBLE,
    NOT_ELIGIBLE,
    OWNER_TYPES,
    SERVICES,
    Project,
    compute_rules_table,
    compute_territory_facts,
    compute_verdict_counts,
    compute_verdicts_table,
    evaluate_project,
)
from core.schemes.projects import make_template, read_projects
from core.schemes.registry import load_registry, with_departement
from core.uploads.reader import UploadError, read_upload
from ui.bootstrap import ensure_navigation
from ui.code_map import load_code_map
from ui.context import load_or_stop
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_table

ensure_navigation()

STATUS_ICONS = {"ok": "✅", "non": "❌", "manquant": "❔", "info": "ℹ️"}

schemes = load_registry()
communes = load_or_stop("communes")
arrondissements = load_or_stop("arrondissements")
departements = dict(zip(communes["insee_dep"], communes["nom_dep"], strict=False))
departements.setdefault(schemes["departemental"].departement, "département absent des données")
dep_codes = sorted(departements)
default_dep = schemes["departemental"].departement
scheme_dep = page_param("dep_dispositif", default_dep, dep_codes)

st.title("Éligibilité")
st.caption(
    "Décrivez un projet ou déposez un fichier de projets : pour chaque dispositif, le verdict (éligible, non "
    "éligible, information manquante) et chaque règle appliquée, avec les faits territoriaux utilisés. Verdict "
    "indicatif, établi d'après les documents sources : il ne remplace pas l'instruction du dossier."
)
scheme_dep = st.selectbox(
    "Département du dispositif départemental",
    dep_codes,
    index=dep_codes.index(scheme_dep),
    format_func=lambda c: f"{departements[c]} ({c})",
    key="elig_dep_dispositif",
)
set_page_param("dep_dispositif", scheme_dep, default_dep)
schemes["departemental"] = with_departement(schemes["departemental"], scheme_dep)
sources = caption_for("cog", "densite", "qpv", "fabriques") + " Règles : documents sources des dispositifs."

form_tab, file_tab = st.tabs(["Un projet", "Un fichier de projets"])

with form_tab:
    name = st.text_input("Nom du projet", key="elig_nom")
    c1, c2 = st.columns(2)
    owner = c1.selectbox(
        "Type de porteur",
        list(OWNER_TYPES),
        index=None,
        format_func=OWNER_TYPES.get,
        key="elig_porteur",
        placeholder="Non renseigné",
    )
    services = c2.multiselect(
        "Services proposés",
        list(SERVICES),
        format_func=SERVICES.get,
        key="elig_services",
        placeholder="Non renseignés",
    )
    c3, c4 = st.columns(2)
    animation = c3.radio(
        "Programme d'animation avec personnel dédié",
        ["Non renseigné", "Oui", "Non"],
        horizontal=True,
        key="elig_animation",
    )
    funders = c4.multiselect(
        "Cofinanceurs publics",
        [*CO_FUNDERS, "aucun"],
        format_func=lambda k: CO_FUNDERS.get(k, "Aucun cofinanceur"),
        key="elig_cofinanceurs",
        placeholder="Non renseignés",
    )
    c5, c6, c7 = st.columns(3)
    spend = c5.number_input(
        "Dépense prévue (€ HT)",
        min_value=0.0,
        value=None,
        step=1000.0,
        key="elig_depense",
        placeholder="Non renseignée",
    )
    dep = c6.selectbox(
        "Département de la commune",
        dep_codes,
        index=None,
        format_func=lambda c: f"{departements[c]} ({c})",
        key="elig_dep",
        placeholder="Choisir",
    )
    in_dep = communes[communes["insee_dep"] == dep].sort_values("nom_com") if dep else communes.iloc[0:0]
    commune_names = dict(zip(in_dep["insee_com"], in_dep["nom_com"], strict=True))
    commune = c7.selectbox(
        "Commune",
        list(commune_names),
        index=None,
        format_func=lambda c: f"{commune_names[c]} ({c})",
        key="elig_commune",
        placeholder="Choisir d'abord le département",
    )
    project = Project(
        nom=name or "Projet",
        type_porteur=owner,
        services=frozenset(services) if services else None,
        animation={"Oui": True, "Non": False}.get(animation),
        cofinanceurs=frozenset(f for f in funders if f != "aucun") if funders else None,
        depense_ht=spend,
        insee_com=commune,
    )
    facts = compute_territory_facts(commune, communes, arrondissements)
    if facts.insee_com:
        st.info(f"Faits territoriaux : {facts.describe()}", icon="📍")
    for scheme_id, verdict in zip(schemes, evaluate_project(project, facts, schemes), strict=True):
        box = st.success if verdict.verdict == ELIGIBLE else st.error if verdict.verdict == NOT_ELIGIBLE else st.warning
        box(f"**{verdict.dispositif}** : {verdict.verdict}")
        st.markdown("\n".join(f"- {STATUS_ICONS[r.statut]} **{r.regle}** — {r.explication}" for r in verdict.regles))
        with st.expander(f"Règles de « {verdict.dispositif} » en tableau, avec les faits utilisés, et exports"):
            render_table(
                compute_rules_table(verdict), f"Éligibilité — {verdict.dispositif}", sources, f"regles_{scheme_id}"
            )

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
    upload = st.file_uploader("Fichier de projets (CSV ou Excel)", type=["csv", "xlsx"], key="elig_fichier")
    if upload is not None:
        try:
            table = read_upload(upload.getvalue(), upload.name)
            projects, remarks = read_projects(table.frame, load_code_map(communes))
        except (UploadError, ValueError) as error:
            st.error(str(error), icon="🚫")
        else:
            for note in table.notes:
                st.caption(note)
            facts_list = [compute_territory_facts(p.insee_com, communes, arrondissements) for p in projects]
            verdicts = compute_verdicts_table(projects, facts_list, schemes)
            st.markdown(f"**{len(projects)} projets lus** ({len(table.frame)} lignes dans le fichier).")
            render_table(compute_verdict_counts(verdicts), "Verdicts par dispositif", "", "elig_comptes")
            render_table(verdicts, "Verdicts d'éligibilité", sources, "elig_verdicts")
            flagged = remarks[remarks["remarques"] != ""]
            if not flagged.empty:
                st.warning(f"{len(flagged)} ligne(s) avec des valeurs non lues (traitées comme non renseignées) :")
                render_table(flagged, "Valeurs non lues", "", "elig_remarques")
