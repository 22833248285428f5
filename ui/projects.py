"""The eligibility page's two inputs: a project described in a form, or a file of projects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.domain.codes import CodeMap
from core.schemes.eligibility import (
    CO_FUNDERS,
    ELIGIBLE,
    NOT_ELIGIBLE,
    OWNER_TYPES,
    SERVICES,
    Project,
    SchemeVerdict,
    compute_rules_table,
    compute_territory_facts,
    compute_verdict_counts,
    compute_verdicts_table,
)
from core.schemes.projects import read_projects
from core.schemes.registry import Scheme
from core.uploads.reader import UploadLimits
from ui.save_buttons import render_save_batch
from ui.uploads import read_supplied_file
from ui.widgets import render_table

# Each rule's status by a Material icon, a colour and words (the icon alone is hidden from screen
# readers, and emoji show as empty boxes where no emoji font is installed).
STATUS_MARKS = {
    "ok": ":green[:material/check_circle: respectée]",
    "non": ":red[:material/cancel: non respectée]",
    "manquant": ":orange[:material/help: à renseigner]",
    "info": ":blue[:material/info: information]",
}


def render_project_form(communes: pd.DataFrame, departements: dict[str, str]) -> Project:
    """The form describing one project; unanswered fields stay « non renseigné »."""
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
        "Services proposés", list(SERVICES), format_func=SERVICES.get, key="elig_services", placeholder="Non renseignés"
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
    codes = sorted(departements)
    dep = c6.selectbox(
        "Département de la commune",
        codes,
        index=None,
        format_func=lambda c: f"{departements[c]} ({c})",
        key="elig_dep",
        placeholder="Choisir",
    )
    in_dep = communes[communes["insee_dep"] == dep].sort_values("nom_com") if dep else communes.iloc[0:0]
    names = dict(zip(in_dep["insee_com"], in_dep["nom_com"], strict=True))
    commune = c7.selectbox(
        "Commune",
        list(names),
        index=None,
        format_func=lambda c: f"{names[c]} ({c})",
        key="elig_commune",
        placeholder="Choisir d'abord le département",
    )
    return Project(
        nom=name or "Projet",
        type_porteur=owner,
        services=frozenset(services) if services else None,
        animation={"Oui": True, "Non": False}.get(animation),
        cofinanceurs=frozenset(f for f in funders if f != "aucun") if funders else None,
        depense_ht=spend,
        insee_com=commune,
    )


def render_verdicts(verdicts: list[SchemeVerdict], scheme_ids: list[str], sources: str, description: str) -> None:
    """Each scheme's verdict, its rules and their table with exports."""
    for scheme_id, verdict in zip(scheme_ids, verdicts, strict=True):
        box = st.success if verdict.verdict == ELIGIBLE else st.error if verdict.verdict == NOT_ELIGIBLE else st.warning
        box(f"**{verdict.dispositif}** : {verdict.verdict}")
        st.markdown("\n".join(f"- {STATUS_MARKS[r.statut]} — **{r.regle}** — {r.explication}" for r in verdict.regles))
        with st.expander(f"Règles de « {verdict.dispositif} » en tableau, avec les faits utilisés, et exports"):
            render_table(
                compute_rules_table(verdict),
                f"Éligibilité — {verdict.dispositif}",
                sources,
                f"regles_{scheme_id}",
                description,
            )


def render_project_file(
    upload,
    communes: pd.DataFrame,
    arrondissements: pd.DataFrame,
    code_map: CodeMap,
    schemes: dict[str, Scheme],
    sources: str,
    description: str,
) -> None:
    """A file of projects read, each project checked against every scheme, counts and remarks shown."""
    supplied = read_supplied_file(upload, UploadLimits(), "elig")
    if supplied is None:
        return
    table = supplied.table
    try:
        projects, remarks = read_projects(table.frame, code_map, table.lines)
    except ValueError as error:
        st.error(str(error), icon=":material/block:")
        return
    facts = [compute_territory_facts(p.insee_com, communes, arrondissements) for p in projects]
    verdicts = compute_verdicts_table(projects, facts, schemes)
    st.markdown(f"**{len(projects)} projets lus** ({len(table.frame)} lignes dans le fichier).")
    render_table(compute_verdict_counts(verdicts), "Verdicts par dispositif", "", "elig_comptes", description)
    render_table(verdicts, "Verdicts d'éligibilité", sources, "elig_verdicts", description)
    flagged = remarks[remarks["remarques"] != ""]
    if not flagged.empty:
        st.warning(f"{len(flagged)} ligne(s) avec des valeurs non lues (traitées comme non renseignées) :")
        render_table(flagged, "Valeurs non lues", "", "elig_remarques", description)
    render_save_batch(
        upload.name, upload.getvalue(), table.frame, projects, verdicts, schemes["departemental"].departement
    )
