"""Recognising the columns of a file users supply — one recogniser for every upload path (users' lists,
project files, the ETL's detailed Fabriques file).

A column is recognised by its normalised name (:func:`core.domain.text.column_key`) among the
synonyms of a field. A column whose name says it holds personal data
(:func:`core.domain.text.is_personal_column`) is never read, whatever its content.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from core.domain.text import column_key, is_personal_column

# Synonyms of the fields of a list of funded places (users' lists and the detailed Fabriques file).
PLACE_FIELDS: dict[str, tuple[str, ...]] = {
    "nom": (
        "nom",
        "nom du lieu",
        "lieu",
        "tiers lieu",
        "nom tiers lieu",
        "structure",
        "laureat",
        "beneficiaire",
        "libelle",
        "name",
        "nom fabrique",
        "nom de la fabrique",
        "lib territoire",
    ),
    "identifiant": (
        "identifiant",
        "id",
        "id fabrique",
        "fabrique id",
        "identifiant fabrique",
        "id territoire",
        "id fabt",
        "fabt",
        "n fabrique",
        "numero fabrique",
        "numero",
        "code lieu",
    ),
    "insee_com": (
        "insee com",
        "code insee",
        "insee",
        "code commune",
        "code insee commune",
        "commune insee",
        "cog",
        "depcom",
        "codgeo",
        "id geo",
    ),
    "longitude": ("longitude", "lon", "lng", "x"),
    "latitude": ("latitude", "lat", "y"),
    "montant": (
        "montant",
        "montant total",
        "subvention",
        "montant subvention",
        "montant attribue",
        "montant accorde",
        "aide",
        "montant eur",
        "montant total eur",
        "subvention eur",
    ),
    "date": ("date", "date decision", "date de decision", "date labellisation", "date attribution"),
    "vague": (
        "vague",
        "wave",
        "n vague",
        "numero vague",
        "vague de selection",
        "vague labellisation",
        "session",
        "appel",
    ),
    "adresse": ("adresse", "adresse postale", "address", "adresse complete", "adresse du lieu", "rue"),
    "fnt": (
        "fnt",
        "fabrique numerique",
        "fabrique numerique de territoire",
        "label fnt",
        "est fnt",
        "numerique",
    ),
}


@dataclass(frozen=True)
class Recognition:
    """How the columns of a file were understood.

    ``mapping``: field → the column read for it (the first one met); ``duplicates``: fields that
    several columns could hold (field → those columns); ``personal``: columns never read;
    ``ignored``: the other columns, not recognised.
    """

    mapping: dict[str, str]
    personal: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    duplicates: dict[str, list[str]] = field(default_factory=dict)


def recognise_columns(columns: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> Recognition:
    """Match each column to a field by its :func:`column_key` among the field's synonyms.

    Parameters
    ----------
    columns : list of str
        The file's column names, in order.
    synonyms : mapping
        Field → accepted names (compared by :func:`column_key`).

    Examples
    --------
    >>> r = recognise_columns(["Nom du lieu", "Code INSEE", "Montant (€)", "Courriel", "Autre"], PLACE_FIELDS)
    >>> r.mapping, r.personal, r.ignored
    ({'nom': 'Nom du lieu', 'insee_com': 'Code INSEE', 'montant': 'Montant (€)'}, ['Courriel'], ['Autre'])
    """
    field_of = {column_key(name): f for f, names in synonyms.items() for name in names}
    found: dict[str, list[str]] = {}
    personal, ignored = [], []
    for column in columns:
        if is_personal_column(column):
            personal.append(column)
            continue
        target = field_of.get(column_key(column))
        if target is None:
            ignored.append(column)
        else:
            found.setdefault(target, []).append(column)
    return Recognition(
        {f: cols[0] for f, cols in found.items()},
        personal,
        ignored,
        {f: cols for f, cols in found.items() if len(cols) > 1},
    )
