"""The sidebar shared by every page: filters in widgets, mirrored in the URL query string."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core.analysis.filters import (
    DEFAULT,
    DENSITY_SCHEMES,
    FILTER_QUERY_KEYS,
    PROGRAMME_CHOICES,
    QPV_RELATIONS,
    RURAL_CHOICES,
    SCHEME_LABELS,
    Filters,
    filters_from_query,
    filters_to_query,
    unknown_query_keys,
)
from core.domain.classifications import COHORTS, DENSITY_3, DENSITY_4, DENSITY_LABELS
from ui.context import fabriques_territory_names, fabriques_typologies

SCHEME_CLASSES = {
    "7": [DENSITY_LABELS[i] for i in range(1, 8)],
    "4": list(dict.fromkeys(DENSITY_4.values())),
    "3": list(dict.fromkeys(DENSITY_3.values())),
}
_KEYS = {
    "cohorts": "f_cohorts",
    "regions": "f_regions",
    "departements": "f_departements",
    "density_scheme": "f_scheme",
    "density_classes": "f_classes",
    "qpv_relation": "f_qpv",
    "rural": "f_rural",
    "typologies": "f_typologies",
    "programmes": "f_programmes",
}


def _init_from_url() -> None:
    """On a session's first run, take the filters from the URL and say what was ignored."""
    if st.session_state.get("_filters_from_url"):
        return
    st.session_state["_filters_from_url"] = True
    regions, deps, _ = fabriques_territory_names()
    typologies = set(fabriques_typologies())
    classes = set().union(*map(set, SCHEME_CLASSES.values()))
    params = st.query_params.to_dict()
    filters, ignored = filters_from_query(
        params,
        {
            "regions": set(regions),
            "departements": set(deps),
            "density_classes": classes,
            "typologies": typologies,
        },
    )
    ignored += [f"{k} (paramètre inconnu)" for k in unknown_query_keys(params)]
    for name, key in _KEYS.items():
        value = getattr(filters, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["_ignored_params"] = ignored


def _reset() -> None:
    for name, key in _KEYS.items():
        value = getattr(DEFAULT, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _clear_classes() -> None:
    st.session_state[_KEYS["density_classes"]] = []


def render_sidebar() -> Filters:
    """Draw the filters, keep the URL in step and return the current :class:`Filters`.

    The choices are the Fabriques' (raises :class:`core.paths.MissingMartError` without the mart).
    """
    _init_from_url()
    regions, deps, dep_region = fabriques_territory_names()
    sb = st.sidebar
    sb.header("Filtres")
    sb.multiselect(
        "Cohorte",
        list(COHORTS),
        key=_KEYS["cohorts"],
        help="2020-2021 : identifiants 1 à 300 ; 2023 : identifiants 301 à 382.",
    )
    sb.multiselect(
        "Région",
        list(regions),
        key=_KEYS["regions"],
        format_func=lambda c: regions.get(c, c),
        placeholder="Toutes",
    )
    chosen_regions = st.session_state[_KEYS["regions"]]
    dep_options = [d for d in deps if not chosen_regions or dep_region[d] in chosen_regions]
    st.session_state[_KEYS["departements"]] = [
        d for d in st.session_state.get(_KEYS["departements"], []) if d in dep_options
    ]
    sb.multiselect(
        "Département",
        dep_options,
        key=_KEYS["departements"],
        format_func=lambda c: f"{c} – {deps.get(c, c)}",
        placeholder="Tous",
    )
    sb.radio(
        "Grille de densité",
        list(DENSITY_SCHEMES),
        key=_KEYS["density_scheme"],
        horizontal=True,
        format_func=SCHEME_LABELS.get,
        on_change=_clear_classes,
        help="Grille communale de densité de l'INSEE (7 niveaux) et ses regroupements.",
    )
    scheme = st.session_state[_KEYS["density_scheme"]]
    st.session_state[_KEYS["density_classes"]] = [
        c for c in st.session_state.get(_KEYS["density_classes"], []) if c in SCHEME_CLASSES[scheme]
    ]
    sb.multiselect("Classe de densité", SCHEME_CLASSES[scheme], key=_KEYS["density_classes"], placeholder="Toutes")
    sb.selectbox(
        "Relation aux QPV",
        list(QPV_RELATIONS),
        key=_KEYS["qpv_relation"],
        format_func=QPV_RELATIONS.get,
        help="Distances mesurées depuis le point de la Fabrique (centroïde de sa commune).",
    )
    sb.selectbox("Ruralité", list(RURAL_CHOICES), key=_KEYS["rural"], format_func=RURAL_CHOICES.get)
    sb.multiselect(
        "Typologie rurale (ANCT)", list(fabriques_typologies()), key=_KEYS["typologies"], placeholder="Toutes"
    )
    sb.multiselect(
        "Programme de la commune",
        list(PROGRAMME_CHOICES),
        key=_KEYS["programmes"],
        format_func=PROGRAMME_CHOICES.get,
        placeholder="Indifférent",
    )
    sb.button("Réinitialiser les filtres", on_click=_reset, width="stretch")
    filters = Filters(
        **{
            name: (tuple(st.session_state[key]) if isinstance(getattr(DEFAULT, name), tuple) else st.session_state[key])
            for name, key in _KEYS.items()
        }
    )
    if not filters.cohorts:
        filters = replace(filters, cohorts=())
    _write_url(filters)
    ignored = st.session_state.get("_ignored_params")
    if ignored:
        st.warning("Paramètres du lien ignorés (valeurs par défaut utilisées) : " + ", ".join(ignored), icon="⚠️")
        st.session_state["_ignored_params"] = []
    st.session_state["filters"] = filters
    return filters


def _write_url(filters: Filters) -> None:
    wanted = filters_to_query(filters)
    for key in FILTER_QUERY_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


def page_param(name: str, default: str, allowed: list[str] | None = None) -> str:
    """A page parameter from the URL (falls back to ``default`` when absent or not allowed)."""
    value = st.query_params.get(name, default)
    return value if allowed is None or value in allowed else default


def set_page_param(name: str, value: str, default: str) -> None:
    """Keep a page parameter in the URL (removed when it is the default)."""
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
