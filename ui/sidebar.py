"""The sidebar shared by every page: filters in widgets, mirrored in the URL query string."""

from __future__ import annotations

import streamlit as st

from core.analysis.filters import (
    DEFAULT,
    DENSITY_SCHEMES,
    PROGRAMME_CHOICES,
    QPV_RELATIONS,
    RURAL_CHOICES,
    SCHEME_LABELS,
    Filters,
    filters_from_query,
    filters_to_query,
)
from core.domain.classifications import COHORTS, DENSITY_CLASSES
from ui import state
from ui.context import territory_names, typologies

KEYS = state.FILTER_WIDGETS


def _init_from_url() -> None:
    """On a session's first run, take the filters from the URL and report what was ignored."""
    if state.recall(state.FILTERS_READ_FROM_URL):
        return
    state.remember(state.FILTERS_READ_FROM_URL, True)
    names = territory_names()
    filters, ignored = filters_from_query(
        state.url_params(),
        {"regions": set(names.regions), "departements": set(names.departements), "typologies": set(typologies())},
    )
    state.set_filter_widgets(filters)
    state.report_ignored(ignored + [f"{k} (paramètre inconnu)" for k in state.unknown_params()])


def _reset() -> None:
    state.set_filter_widgets(DEFAULT)


def _clear_classes() -> None:
    state.remember(KEYS["density_classes"], [])


def _keep_valid(key: str, options: list[str]) -> None:
    state.remember(key, [v for v in state.recall(key, []) if v in options])


def render_sidebar() -> Filters:
    """Draw the filters, keep the URL in step and return the current :class:`Filters`.

    Régions and départements are those of the communes (every one, with a Fabrique or not) and of
    the places; raises :class:`core.paths.MissingMartError` without the marts.
    """
    _init_from_url()
    names = territory_names()
    sb = st.sidebar
    sb.header("Filtres")
    sb.multiselect(
        "Cohorte", list(COHORTS), key=KEYS["cohorts"], help="2020-2021 : identifiants 1 à 300 ; 2023 : 301 à 382."
    )
    sb.multiselect(
        "Région", list(names.regions), key=KEYS["regions"], format_func=names.regions.get, placeholder="Toutes"
    )
    chosen = state.recall(KEYS["regions"], [])
    dep_options = [d for d in names.departements if not chosen or names.dep_region[d] in chosen]
    _keep_valid(KEYS["departements"], dep_options)
    sb.multiselect(
        "Département",
        dep_options,
        key=KEYS["departements"],
        format_func=lambda c: f"{c} – {names.departements.get(c, c)}",
        placeholder="Tous",
    )
    sb.radio(
        "Grille de densité",
        list(DENSITY_SCHEMES),
        key=KEYS["density_scheme"],
        horizontal=True,
        format_func=SCHEME_LABELS.get,
        on_change=_clear_classes,
        help="Grille communale de densité de l'INSEE (7 niveaux) et ses regroupements.",
    )
    classes = DENSITY_CLASSES[state.recall(KEYS["density_scheme"], DEFAULT.density_scheme)]
    _keep_valid(KEYS["density_classes"], classes)
    sb.multiselect("Classe de densité", classes, key=KEYS["density_classes"], placeholder="Toutes")
    qpv_help = "Distances mesurées depuis le point de la Fabrique (centroïde de sa commune)."
    for label, field, choices, help_text in (
        ("Relation aux QPV", "qpv_relation", QPV_RELATIONS, qpv_help),
        ("Ruralité", "rural", RURAL_CHOICES, None),
    ):
        sb.selectbox(label, list(choices), key=KEYS[field], format_func=choices.get, help=help_text)
    sb.multiselect("Typologie rurale (ANCT)", list(typologies()), key=KEYS["typologies"], placeholder="Toutes")
    programmes = PROGRAMME_CHOICES
    sb.multiselect(
        "Programme de la commune",
        list(programmes),
        key=KEYS["programmes"],
        format_func=programmes.get,
        placeholder="Indifférent",
    )
    sb.button("Réinitialiser les filtres", on_click=_reset, width="stretch")
    filters = state.current_filters()
    state.write_filters(filters_to_query(filters))
    return filters
