"""Dispositifs: the three funding schemes side by side, each with its source document."""

import streamlit as st

from core.domain.definitions import caption_for
from core.domain.formatting import format_number
from core.schemes.registry import (
    compute_scheme_footprint,
    compute_schemes_table,
    compute_waves_table,
    load_registry,
    with_departement,
)
from ui.bootstrap import ensure_navigation
from ui.context import load_or_stop
from ui.sidebar import page_param, set_page_param
from ui.widgets import render_table

ensure_navigation()

schemes = load_registry()
communes = load_or_stop("communes")
fabriques = load_or_stop("fabriques")
tiers_lieux = load_or_stop("tiers_lieux_2019")

st.title("Dispositifs")
st.caption(
    "Trois dispositifs de soutien aux tiers-lieux, décrits d'après leurs documents sources. Un paramètre que le "
    "document ne donne pas est signalé comme « non précisé » : rien n'est complété de mémoire."
)

departements = dict(zip(communes["insee_dep"], communes["nom_dep"], strict=False))
departements.setdefault(schemes["departemental"].departement, "département absent des données")
codes = sorted(departements)
default_dep = schemes["departemental"].departement
dep = page_param("dep_dispositif", default_dep, codes)
dep = st.selectbox(
    "Département du dispositif départemental",
    codes,
    index=codes.index(dep),
    format_func=lambda c: f"{departements[c]} ({c})",
    key="departement_dispositif",
    help="Le document correspond au dispositif du Lot-et-Garonne ; choisissez un autre département pour "
    "appliquer les mêmes conditions ailleurs.",
)
set_page_param("dep_dispositif", dep, default_dep)
schemes["departemental"] = with_departement(schemes["departemental"], dep)

st.subheader("Les dispositifs côte à côte")
comparison = compute_schemes_table(schemes)
for column, name in zip(st.columns(len(schemes)), comparison.columns[1:], strict=True):
    box = column.container(border=True)
    box.markdown(f"#### {name}")
    for label, text in zip(comparison["critère"], comparison[name], strict=True):
        box.markdown(f"**{label}** — {text}")
with st.expander("Tableau comparatif et exports"):
    render_table(
        comparison,
        "Dispositifs de soutien aux tiers-lieux",
        "Sources : documents de référence de chaque dispositif (voir la dernière ligne).",
        "dispositifs_table",
    )

for scheme in schemes.values():
    st.subheader(scheme.nom)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("\n".join(f"- {point}" for point in scheme.points))
        st.caption(f"Source : {scheme.source}.")
    with right:
        footprint = compute_scheme_footprint(scheme, communes, fabriques, tiers_lieux)
        where = (
            f"département {departements.get(scheme.departement, scheme.departement)}"
            if scheme.departement
            else "Région Sud"
            if scheme.region
            else "France entière"
        )
        st.markdown(f"**Dans les données ouvertes ({where})**")
        render_table(
            footprint.assign(valeur=footprint["valeur"].map(format_number)),
            f"{scheme.nom} — territoire dans les données ouvertes",
            caption_for("cog", "population", "fabriques", "tiers_lieux_2019"),
            f"empreinte_{scheme.id}",
        )
    if scheme.vagues:
        waves = compute_waves_table(scheme)
        render_table(
            waves,
            f"{scheme.nom} — vagues",
            "Sources : chiffres officiels publiés (identifiants F.. de la page Données et méthodes).",
            f"vagues_{scheme.id}",
            {"lien": st.column_config.LinkColumn("lien")},
        )
    if scheme.id == "region_sud":
        st.page_link("pages/region_sud.py", label="Profil des intercommunalités et simulateur de répartition", icon="➡️")

st.page_link("pages/eligibilite.py", label="Tester l'éligibilité d'un projet à ces dispositifs", icon="✅")
