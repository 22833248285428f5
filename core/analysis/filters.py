"""The dashboard's filters: a small dataclass, applied by a pure function, kept in the URL.

The query string is the single source of a shared view: :func:`filters_to_query` writes it,
:func:`filters_from_query` reads it back and lists every parameter it had to ignore.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import pandas as pd

from core.domain.classifications import COHORTS, DENSITY_CLASSES

DENSITY_SCHEMES = {"7": "densite_libelle", "4": "densite_4", "3": "densite_3"}
SCHEME_LABELS = {"7": "7 niveaux", "4": "4 niveaux", "3": "3 niveaux"}  # as the sidebar shows them
QPV_RELATIONS: dict[str, str] = {
    "toutes": "Toutes les Fabriques",
    "dans": "Dans un QPV (point)",
    "300": "À moins de 300 m d'un QPV",
    "500": "À moins de 500 m d'un QPV",
    "1000": "À moins de 1 km d'un QPV",
    "commune": "Commune comptant un QPV",
    "aucune": "Sans QPV (au-delà de 1 km, commune sans QPV)",
}
RURAL_CHOICES: dict[str, str] = {
    "tous": "Tous les territoires",
    "rural": "Rural au sens de l'INSEE (densité 5 à 7)",
    "urbain": "Urbain au sens de l'INSEE (densité 1 à 4)",
    "frr": "Commune classée France Ruralités Revitalisation",
    "hors_frr": "Commune non classée FRR",
}
PROGRAMME_CHOICES: dict[str, str] = {"pvd": "Petites villes de demain", "acv": "Action cœur de ville"}


@dataclass(frozen=True)
class Filters:
    """What the sidebar selects. Empty tuples mean "no restriction"."""

    cohorts: tuple[str, ...] = COHORTS
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    density_scheme: str = "7"
    density_classes: tuple[str, ...] = ()
    qpv_relation: str = "toutes"
    rural: str = "tous"
    typologies: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()


DEFAULT = Filters()
_LIST_FIELDS = {f.name for f in fields(Filters) if f.type.startswith("tuple")}
_QUERY_NAMES = {
    "cohorts": "cohorte",
    "regions": "reg",
    "departements": "dep",
    "density_scheme": "grille",
    "density_classes": "densite",
    "qpv_relation": "qpv",
    "rural": "rural",
    "typologies": "typo",
    "programmes": "prog",
}
FILTER_QUERY_KEYS = frozenset(_QUERY_NAMES.values())


def qpv_relation_mask(frame: pd.DataFrame, relation: str) -> pd.Series:
    """Rows of ``frame`` (Fabriques mart columns) that have the QPV relation ``relation``."""
    dist = frame["distance_qpv_m"]
    masks = {
        "toutes": pd.Series(True, index=frame.index),
        "dans": frame["dans_qpv"].fillna(False).astype(bool),
        "300": dist.le(300),
        "500": dist.le(500),
        "1000": dist.le(1000),
        "commune": frame["commune_qpv"].fillna(False).astype(bool),
    }
    masks["aucune"] = ~masks["1000"] & ~masks["commune"]
    return masks[relation].fillna(False).astype(bool)


def apply_filters(fabriques: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Return the Fabriques that pass ``filters`` (a new frame; the input is not modified).

    Parameters
    ----------
    fabriques : DataFrame
        The ``fabriques`` mart (or a user list with the same columns).
    filters : Filters

    Returns
    -------
    DataFrame
        Same columns, filtered rows, original order.
    """
    keep = pd.Series(True, index=fabriques.index)
    if set(filters.cohorts) != set(COHORTS):
        keep &= fabriques["cohort"].isin(filters.cohorts)
    if filters.regions:
        keep &= fabriques["insee_reg"].isin(filters.regions)
    if filters.departements:
        keep &= fabriques["insee_dep"].isin(filters.departements)
    if filters.density_classes:
        column = DENSITY_SCHEMES[filters.density_scheme]
        keep &= fabriques[column].isin(filters.density_classes).fillna(False).astype(bool)
    keep &= qpv_relation_mask(fabriques, filters.qpv_relation)
    rural = fabriques["rural_insee"].astype("boolean")
    frr = fabriques["frr"].astype("boolean")
    keep &= {
        "tous": pd.Series(True, index=fabriques.index),
        "rural": rural.fillna(False),
        "urbain": (~rural).fillna(False),
        "frr": frr.fillna(False),
        "hors_frr": (~frr).fillna(False),
    }[filters.rural].astype(bool)
    if filters.typologies:
        keep &= fabriques["typologie_ruralite"].isin(filters.typologies).fillna(False).astype(bool)
    for programme in filters.programmes:
        keep &= fabriques[programme].fillna(False).astype(bool)
    return fabriques[keep.to_numpy()]


def filters_to_query(filters: Filters) -> dict[str, str]:
    """The non-default filters as query parameters (lists joined by commas)."""
    out = {}
    for f in fields(Filters):
        value = getattr(filters, f.name)
        if value == getattr(DEFAULT, f.name):
            continue
        out[_QUERY_NAMES[f.name]] = ",".join(value) if f.name in _LIST_FIELDS else str(value)
    return out


def filters_from_query(
    params: Mapping[str, str | list[str]], allowed: Mapping[str, set[str]] | None = None
) -> tuple[Filters, list[str]]:
    """Read filters from query parameters; unknown or invalid values are ignored and listed.

    Parameters
    ----------
    params : mapping
        The query string (``st.query_params`` or a dict).
    allowed : mapping, optional
        Valid values per list field (``regions``, ``departements``, ``typologies``) from the data;
        other fields are checked against constants.

    Returns
    -------
    tuple
        ``(filters, ignored)`` where ``ignored`` holds messages such as ``"dep=999"``.
    """
    allowed = dict(allowed or {})
    allowed.setdefault("cohorts", set(COHORTS))
    allowed.setdefault("density_classes", {c for classes in DENSITY_CLASSES.values() for c in classes})
    allowed.setdefault("programmes", set(PROGRAMME_CHOICES))
    choices = {
        "density_scheme": set(DENSITY_SCHEMES),
        "qpv_relation": set(QPV_RELATIONS),
        "rural": set(RURAL_CHOICES),
    }
    values: dict[str, object] = {}
    ignored: list[str] = []
    for f in fields(Filters):
        key = _QUERY_NAMES[f.name]
        if key not in params:
            continue
        raw = params[key]
        text = raw[-1] if isinstance(raw, list) else str(raw)
        if f.name in _LIST_FIELDS:
            items = [i for i in (s.strip() for s in text.split(",")) if i]
            valid = allowed.get(f.name)
            good = tuple(i for i in items if valid is None or i in valid)
            ignored += [f"{key}={i}" for i in items if valid is not None and i not in valid]
            if good:
                values[f.name] = good
        elif text in choices[f.name]:
            values[f.name] = text
        else:
            ignored.append(f"{key}={text}")
    return Filters(**values), ignored


def describe_filters(
    filters: Filters,
    region_names: Mapping[str, str] | None = None,
    departement_names: Mapping[str, str] | None = None,
) -> str:
    """A French sentence listing the active filters (for captions, exports and titles).

    Région and département codes overlap (53 is Bretagne and Mayenne): each has its own names.

    Examples
    --------
    >>> describe_filters(Filters())
    'Toutes les Fabriques (aucun filtre)'
    """
    region_names = region_names or {}
    departement_names = departement_names or {}
    parts = []
    if set(filters.cohorts) != set(COHORTS):
        parts.append("cohorte " + (", ".join(filters.cohorts) or "aucune"))
    if filters.regions:
        parts.append("région " + ", ".join(region_names.get(r, r) for r in filters.regions))
    if filters.departements:
        parts.append("département " + ", ".join(departement_names.get(d, d) for d in filters.departements))
    if filters.density_classes:
        parts.append(f"densité ({filters.density_scheme} niveaux) " + ", ".join(filters.density_classes))
    if filters.qpv_relation != "toutes":
        parts.append(QPV_RELATIONS[filters.qpv_relation].lower())
    if filters.rural != "tous":
        parts.append(RURAL_CHOICES[filters.rural].lower())
    if filters.typologies:
        parts.append("typologie " + ", ".join(filters.typologies))
    if filters.programmes:
        parts.append("commune " + ", ".join(PROGRAMME_CHOICES[p] for p in filters.programmes))
    return "Filtres : " + " ; ".join(parts) if parts else "Toutes les Fabriques (aucun filtre)"
