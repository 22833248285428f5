"""Dispositifs: the three funding schemes side by side, each with its source document."""

import streamlit as st

from core.domain.definitions import caption_for
from core.domain.formatting import format_columns
from core.schemes.registry import (
    compute_scheme_footprint,
    compute_schemes_table,
    compute_waves_table,
    describe_scheme_territory,
    load_registry,
    with_departement,
)
from ui.bootstrap import ensure_navigation
from ui.context import load_marts, territory_names
from ui.widgets import render_table, select_scheme_departement

ensure_navigation()

schemes = load_registry()
communes, fabriques, tiers_lieux = load_marts("communes", "fabriques", "tiers_lieux_2019")

st.title("Dispositifs")
st.caption(
    "Trois dispositifs de soutien aux tiers-lieux, décrits d'après leurs documents sources. Un paramètre que le "
    "document ne donne pas est signalé comme « non précisé » : rien n'est complété de mémoire."
)

DESCRIPTION = "Sans filtre : les dispositifs et leur territoire ne dépendent pas de la barre latérale"
departements = territory_names().departements
dep = select_scheme_departement(st, departements, schemes["departemental"].departement, "departement_dispositif")
schemes["departemental"] = with_departement(schemes["departemental"], dep)

st.header("Les dispositifs côte à côte")
comparison = compute_schemes_table(schemes)
for column, name in zip(st.columns(len(schemes)), comparison.columns[1:], strict=True):
    box = column.container(border=True)
    box.markdown(f"### {name}")
    for label, text in zip(comparison["critère"], comparison[name], strict=True):
        box.markdown(f"**{label}** — {text}")
with st.expander("Tableau comparatif et exports"):
    render_table(
        comparison,
        "Dispositifs de soutien aux tiers-lieux",
        "Sources : documents de référence de chaque dispositif (voir la dernière ligne).",
        "dispositifs_table",
        DESCRIPTION,
    )

for scheme in schemes.values():
    st.header(scheme.nom)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("\n".join(f"- {point}" for point in scheme.points))
        st.caption(f"Source : {scheme.source}.")
    with right:
        footprint = compute_scheme_footprint(scheme, communes, fabriques, tiers_lieux)
        where = describe_scheme_territory(scheme, departements)
        st.markdown(f"**Dans les données ouvertes ({where})**")
        render_table(
            format_columns(footprint, ["valeur"]),
            f"{scheme.nom} — territoire dans les données ouvertes",
            caption_for("cog", "population", "fabriques", "tiers_lieux_2019"),
            f"empreinte_{scheme.id}",
            DESCRIPTION,
        )
    if scheme.vagues:
        waves = compute_waves_table(scheme)
        render_table(
            waves,
            f"{scheme.nom} — vagues",
            "Sources : chiffres officiels publiés (identifiants F.. de la page Données et méthodes).",
            f"vagues_{scheme.id}",
            DESCRIPTION,
            {"lien": st.column_config.LinkColumn("lien")},
        )
    if scheme.id == "region_sud":
        st.page_link(
            "pages/region_sud.py",
            label="Profil des intercommunalités et simulateur de répartition",
            icon=":material/arrow_forward:",
        )

st.page_link(
    "pages/eligibilite.py", label="Tester l'éligibilité d'un projet à ces dispositifs", icon=":material/check_circle:"
)
