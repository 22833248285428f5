"""Données et méthodes: sources, build report, definitions."""

import streamlit as st

from core.analysis.scope import SCOPE_DEFINITION
from core.domain.definitions import compute_definitions_table
from core.domain.formatting import format_number
from core.exports.reports import (
    compute_detail_disagreements,
    compute_detail_refusals,
    compute_detail_summary,
    compute_events_table,
    compute_marts_table,
    compute_sources_table,
    compute_staging_table,
)
from core.paths import MissingMartError
from ui.bootstrap import ensure_navigation
from ui.loaders import load_report
from ui.messages import stop_on_missing
from ui.widgets import render_table

ensure_navigation()

DESCRIPTION = "Sans filtre : sources, construction et définitions des données"

try:
    report = load_report()
except MissingMartError as error:
    stop_on_missing(error)

st.title("Données et méthodes")
st.caption(
    f"Construction du {report.get('built_at', 'n.d.')} en {format_number(report.get('duration_s'), 1)} s "
    f"(clé {report.get('build_key', '')[:12]})."
)

st.header("Sources")
sources = compute_sources_table(report)
render_table(sources, "Sources des données", "", "sources", DESCRIPTION, {"url": st.column_config.LinkColumn("url")})

st.header("Tables produites")
render_table(compute_marts_table(report), "Tables produites", "", "marts", DESCRIPTION)

st.header("Lignes lues, produites, écartées")
render_table(compute_staging_table(report), "Lignes lues, produites, écartées", "", "staging", DESCRIPTION)

st.header("Lignes écartées, recodées ou réparées, et pourquoi")
events = compute_events_table(report)
if events.empty:
    st.info("Aucune ligne écartée ni recodée.")
else:
    render_table(events, "Lignes écartées, recodées ou réparées", "", "events", DESCRIPTION)

st.header("Fichier détaillé des Fabriques")
merge = report.get("fabriques_detail")
if not merge:
    st.info(
        "Aucun fichier détaillé n'a été fourni : les vagues 2 à 8, les montants, les adresses et le statut FNT "
        "restent inconnus et le financement est estimé. Pour fusionner le fichier interne de l'ANCT (CSV, XLSX ou "
        "GeoJSON ; colonnes identifiant, vague, montant, adresse, fnt, code INSEE) : "
        "`python -m etl build --fabriques-detail FICHIER`."
    )
else:
    st.caption(
        "Fichier fourni à la construction des données : chaque ligne est fusionnée à la Fabrique de même "
        "identifiant, ou écartée avec son motif ; la commune et la localisation restent celles de la liste ouverte."
    )
    render_table(compute_detail_summary(merge), "Fichier détaillé : fusion", "", "detail_summary", DESCRIPTION)
    refusals = compute_detail_refusals(merge)
    if refusals.empty:
        st.success("Toutes les lignes du fichier ont été fusionnées.")
    else:
        render_table(refusals, "Fichier détaillé : lignes non fusionnées", "", "detail_refusals", DESCRIPTION)
    disagreements = compute_detail_disagreements(merge)
    if disagreements.empty:
        st.info("Aucun désaccord avec la liste ouverte (vague 1, commune).")
    else:
        render_table(
            disagreements,
            "Fichier détaillé : désaccords avec la liste ouverte",
            "Vague 1 = identifiants 1 à 80 ; la commune retenue est celle de la liste ouverte.",
            "detail_disagreements",
            DESCRIPTION,
        )

st.header("Définitions des indicateurs")
render_table(compute_definitions_table(), "Définitions des indicateurs", "", "definitions", DESCRIPTION)

st.header("Périmètre d'une sélection")
st.markdown(SCOPE_DEFINITION)

st.header("Limites connues")
st.markdown(
    "- **Localisation.** Chaque Fabrique est placée au centroïde de sa commune (`location_precision`) : les relations "
    "aux QPV sont donc approchées, d'où les seuils de 300 m, 500 m et 1 km et le critère communal. Saint-Martin "
    "(fabt-364) n'a pas de géométrie dans la source.\n"
    "- **Vagues et montants.** Seule la vague 1 (identifiants 1 à 80) se lit dans les données ouvertes ; les vagues 2 "
    "à 8, les adresses, les montants et le statut FNT ne sont pas publiés. Sans fichier détaillé (voir plus haut), le "
    "financement affiché est une estimation (150 000 € par Fabrique 2020-2021, 50 000 € par Fabrique 2023).\n"
    "- **Géographie prioritaire.** Les calculs utilisent les QPV 2024 ; les Fabriques 2020-2021 ont été choisies sur "
    "ceux de 2015 (fichier non ouvert ici, accepté par `python -m etl build --qpv-2015 FICHIER`). Les contours sont "
    "simplifiés par un tiers ; 85 polygones invalides ont été réparés, 3 sont réduits à une surface nulle.\n"
    "- **Millésimes.** Communes et populations au COG 2026, polygones communaux IGN 2018 ramenés au COG 2026 "
    "(7 communes recréées depuis 2018 sans polygone propre), grilles de densité et typologies au COG 2025, FRR au "
    "10 juillet 2025, indicateurs des QPV au millésime non documenté (indicatifs).\n"
    "- **Définitions du rural.** « Rural » suit la grille de densité de l'INSEE (niveaux 5 à 7) ; la typologie de "
    "l'ANCT et le classement FRR sont proposés à part : chaque chiffre dit laquelle il utilise.\n"
    "- **Données personnelles.** Les colonnes CONTACT et MAIL du recensement 2019 ne sont jamais chargées ; toute "
    "adresse électronique est retirée des noms et la construction échoue si une table en contient encore."
)
