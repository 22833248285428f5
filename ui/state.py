"""Every session and URL key of the dashboard, and the validated readers of the URL.

Nothing else reads ``st.query_params`` or keeps values in ``st.session_state`` under its own name:
pages and widgets call these functions. A URL value that is unknown, out of range or not among
the options is ignored (the default is used) and reported once in the sidebar.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import fields

import streamlit as st

from core.analysis.filters import DEFAULT, FILTER_QUERY_KEYS, Filters

# Session keys
FILTERS_READ_FROM_URL = "_filters_from_url"
IGNORED_PARAMS = "_ignored_params"
IGNORED_SLOT = "_ignored_params_slot"
USER_LIST = "liste_importee"
DECK_FILES = "_deck"
REGION_SUD_CANDIDATES = "rs_candidats"
WORKSPACE_OPENED = "_espace_ouverts"  # kind → the saved item the session's work comes from
WORKSPACE_CONFLICT = "_espace_conflit"  # (kind, ConflictError) of the last refused save
ELIGIBILITY_BATCH = "_lot_eligibilite"  # a saved batch of verdicts opened from the workspace
DECK_NOTES = "_notes_diapositives"  # slide index → the presenter's note as edited in this session
SAVED_PLAN = "_scenario_vague_enregistre"  # (item title, payload) of a next-wave scenario reopened
SAVED_PRESENTATION = "_presentation_enregistree"  # (item title, slides) of a saved presentation
WORKSPACE_MESSAGE = "_espace_message"  # ("ok" | "error", text) of the last action in Mon espace
WORKSPACE_PENDING_OPEN = "_espace_a_ouvrir"  # an item « Ouvrir » asked for, opened at the next run
LAST_UPLOAD = "_dernier_fichier"  # what the lists page needs to save the list it shows
NETWORK_CORRECTIONS = "reseau_table_corrigee"
NETWORK_CORRECTIONS_OPENED = "_reseau_table_ouverte"  # (title, payload, table) of a saved table reopened
UPLOAD_READS = "_upload_reads"
PLAN_EXACT = "_plan_exact"
PLAN_EXACT_ASKED = "_plan_exact_asked"
PLAN_SLIDE = "_plan_slide"

# The sidebar's widgets, by field of :class:`core.analysis.filters.Filters`.
FILTER_WIDGETS: dict[str, str] = {
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
_TUPLE_FIELDS = {f.name for f in fields(Filters) if isinstance(getattr(DEFAULT, f.name), tuple)}

# Page parameters a link can carry (filters have theirs in core.analysis.filters).
PAGE_PARAMS: frozenset[str] = frozenset(
    {
        "niveau",
        "territoire",
        "indicateur",
        "vue",
        "distance",
        "reference",
        "echelle",
        "couches",
        "diapo",
        "dep_dispositif",
        "methode",
        "plancher",
        "plafond",
        "carte",
        "espace",
        "sites",
        "poids_qpv",
        "poids_rural",
        "poids_frr",
        "regles",
        "candidats",
        "couverts",
        "limite",
    }
)


def image_files_key(key: str) -> str:
    """Session key of the prepared PNG/SVG images of the chart ``key``."""
    return f"_images_{key}"


def map_snapshot_key(name: str) -> str:
    """Session key of the prepared PNG of the map ``name``."""
    return f"_map_png_{name}"


def map_selection_key(key: str) -> str:
    """Session key of what is chosen on the map ``key`` (clicked or found by the search): an
    item key such as ``departements:29`` (:func:`core.domain.territories.item_key`)."""
    return f"_map_selection_{key}"


def map_view_key(key: str) -> str:
    """Session key of the view the map ``key`` was asked to show: ``(bounds of the map, centre, zoom)``."""
    return f"_map_view_{key}"


# Session values
def remember(key: str, value: object) -> None:
    """Keep ``value`` for the session under ``key`` (one of this module's keys)."""
    st.session_state[key] = value


def recall(key: str, default: object = None) -> object:
    """The session's value under ``key``, or ``default``."""
    return st.session_state.get(key, default)


def forget(key: str) -> None:
    """Drop the session's value under ``key``."""
    st.session_state.pop(key, None)


# Reported parameters
def start_reporting_ignored(slot) -> None:
    """At the start of a run: the sidebar placeholder where ignored link parameters are said."""
    st.session_state[IGNORED_SLOT] = slot
    st.session_state[IGNORED_PARAMS] = []


def report_ignored(items: Iterable[str]) -> None:
    """Say in the sidebar (at once: a page may stop afterwards) that these URL parameters were ignored."""
    items = list(items)
    if not items:
        return
    current = list(st.session_state.get(IGNORED_PARAMS, []))
    current += [i for i in items if i not in current]
    st.session_state[IGNORED_PARAMS] = current
    slot = st.session_state.get(IGNORED_SLOT)
    if slot is not None:
        slot.warning(
            "Paramètres du lien ignorés (valeurs par défaut utilisées) : " + ", ".join(current),
            icon=":material/warning:",
        )


def unknown_params() -> list[str]:
    """Parameters of the link that no filter nor page reads."""
    return sorted(k for k in st.query_params if k not in FILTER_QUERY_KEYS | PAGE_PARAMS)


# URL readers
def url_params() -> dict[str, str]:
    """The whole query string (for the filters' reader and the permalink)."""
    return st.query_params.to_dict()


def _raw(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value in (None, "") else str(value)


def read_choice(name: str, options: Sequence[str], default: str) -> str:
    """The URL value of ``name`` if it is one of ``options``, else ``default`` (an invalid one is reported)."""
    value = _raw(name)
    if value is None:
        return default
    if value in options:
        return value
    report_ignored([f"{name}={value}"])
    return default


def read_choices(name: str, options: Sequence[str]) -> list[str]:
    """The comma-separated URL values of ``name`` that are among ``options`` (others reported)."""
    value = _raw(name)
    if value is None:
        return []
    items = [v for v in (s.strip() for s in value.split(",")) if v]
    report_ignored(f"{name}={v}" for v in items if v not in options)
    return [v for v in items if v in options]


def read_int(name: str, default: int, low: int, high: int, step: int = 1) -> int:
    """The URL value of ``name`` as a whole number in ``[low, high]`` on the ``step`` grid, else ``default``."""
    value = _raw(name)
    if value is None:
        return default
    if value.lstrip("-").isdigit():
        number = int(value)
        if low <= number <= high and (number - low) % step == 0:
            return number
    report_ignored([f"{name}={value}"])
    return default


def read_float(name: str, default: float, low: float, high: float, step: float) -> float:
    """The URL value of ``name`` as a number in ``[low, high]`` on the ``step`` grid, else ``default``."""
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if math.isfinite(number) and low <= number <= high and math.isclose((number - low) / step % 1, 0, abs_tol=1e-9):
        return number
    report_ignored([f"{name}={value}"])
    return default


def read_text(name: str) -> str:
    """The raw URL value of ``name`` (empty when absent); the caller validates it."""
    return _raw(name) or ""


def write_param(name: str, value: str, default: str) -> None:
    """Keep a page parameter in the URL (removed when it is the default)."""
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def write_filters(wanted: dict[str, str]) -> None:
    """Make the URL's filter parameters exactly ``wanted``."""
    for key in FILTER_QUERY_KEYS:
        if key in wanted:
            if st.query_params.get(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]


# Filters
def set_filter_widgets(filters: Filters) -> None:
    """Put ``filters`` into the sidebar's widgets."""
    for name, key in FILTER_WIDGETS.items():
        value = getattr(filters, name)
        st.session_state[key] = list(value) if name in _TUPLE_FIELDS else value


def current_filters() -> Filters:
    """The filters the sidebar's widgets hold in this run (defaults before the sidebar is drawn)."""
    if FILTER_WIDGETS["cohorts"] not in st.session_state:
        return DEFAULT
    values = {}
    for name, key in FILTER_WIDGETS.items():
        value = st.session_state.get(key, getattr(DEFAULT, name))
        values[name] = tuple(value) if name in _TUPLE_FIELDS else value
    return Filters(**values)
