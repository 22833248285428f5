"""The declared schema of each mart: its columns and their kinds — the contract between the ETL that
writes the marts and the app that reads them.

The ETL validates every mart against it before publishing (``etl/validate.py``), the growth
benchmark checks its marts built on synthetic places against it, and the tests check both.
A mart may carry more columns than declared (those of a user-supplied file, for instance); a
declared column must be there with its kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# Kinds of column: how a value is stored, and whether it may be missing.
TEXT = "text"  # str or string; may be missing unless ``required``
INTEGER = "integer"  # int64, never missing
NULLABLE_INTEGER = "nullable integer"  # Int64
NUMBER = "number"  # float64 (or Float64); NaN where unknown
FLAG = "flag"  # bool, never missing
NULLABLE_FLAG = "nullable flag"  # boolean
GEOMETRY = "geometry"


@dataclass(frozen=True)
class Column:
    """A declared column: its name, kind, and whether every row must have a value."""

    name: str
    kind: str
    required: bool = False


def _cols(kind: str, *names: str, required: bool = False) -> tuple[Column, ...]:
    return tuple(Column(n, kind, required) for n in names)


_TERRITORY_NAMES = _cols(TEXT, "nom_com", "insee_arr", "nom_arr", "siren_epci", "nom_epci", "nom_dep", "nom_reg")
_CLASSES = (
    *_cols(NULLABLE_INTEGER, "densite_niveau"),
    *_cols(TEXT, "densite_libelle", "densite_4", "densite_3"),
    *_cols(NULLABLE_FLAG, "rural_insee"),
    *_cols(TEXT, "typologie_ruralite", "frr_classe", "centralite", "montagne"),
    *_cols(NULLABLE_FLAG, "frr"),
    *_cols(FLAG, "commune_montagne", "commune_qpv"),
    *_cols(INTEGER, "qpv_nombre"),
    *_cols(FLAG, "pvd", "acv", "villages_avenir", "manufacture_proximite", "france_services"),
)
_TERRITORY = (
    *_cols(INTEGER, "communes"),
    *_cols(NULLABLE_INTEGER, "population", "population_rurale"),
    *_cols(INTEGER, "fabriques_2020_2021", "fabriques_2023", "fabriques", "tiers_lieux_2019", "qpv_nombre"),
    *_cols(NUMBER, "qpv_population", "fabriques_pour_100k", "part_population_rurale"),
    Column("geometry", GEOMETRY),
)

MART_SCHEMAS: dict[str, tuple[Column, ...]] = {
    "fabriques": (
        Column("fabrique_id", INTEGER, True),
        *_cols(TEXT, "nom", "insee_com", "insee_com_source", "cohort", "location_precision", required=True),
        *_cols(NULLABLE_INTEGER, "wave", "vague"),
        Column("montant", NUMBER),
        Column("montant_source", TEXT, True),
        Column("adresse", TEXT),
        Column("fnt", NULLABLE_FLAG),
        *_cols(TEXT, "zone", "insee_dep", "insee_reg", required=True),
        *_TERRITORY_NAMES,
        Column("population_commune", NULLABLE_INTEGER),
        *_CLASSES,
        *_cols(TEXT, "qpv_contenant", "qpv_plus_proche"),
        Column("dans_qpv", FLAG),
        *_cols(NUMBER, "distance_qpv_m", "longitude", "latitude"),
        Column("geometry", GEOMETRY),
    ),
    "communes": (
        *_cols(TEXT, "insee_com", "nom_com", "zone", "insee_dep", "insee_reg", "nom_dep", "nom_reg", required=True),
        *_cols(TEXT, "insee_arr", "nom_arr", "siren_epci", "nom_epci", "type_epci"),
        Column("population", NULLABLE_INTEGER),
        *_CLASSES,
        Column("a_polygone", FLAG),
        *_cols(INTEGER, "fabriques_2020_2021", "fabriques_2023", "fabriques", "tiers_lieux_2019"),
        *_cols(NUMBER, "qpv_population", "centroide_lon", "centroide_lat", "distance_fabrique_m"),
        Column("fabrique_plus_proche", NULLABLE_INTEGER),
        Column("geometry", GEOMETRY),
    ),
    "qpv": (
        *_cols(TEXT, "code_qp", "lib_qp", "insee_dep", "generation", required=True),
        *_cols(TEXT, "insee_reg", "communes", "insee_com_principale", "noms_communes", "siren_epci"),
        Column("area_zero", FLAG),
        *_cols(NUMBER, "pop_qpv", "taux_pauvrete", "taux_logements_sociaux", "taux_emploi", "indice_jeunesse"),
        Column("part_pop_immigree", NUMBER),
        Column("fabriques_dedans", INTEGER),
        Column("fabrique_plus_proche", NULLABLE_INTEGER),
        Column("distance_fabrique_m", NUMBER),
        Column("geometry", GEOMETRY),
    ),
    "epci": (Column("siren_epci", TEXT, True), Column("nom_epci", TEXT), *_TERRITORY),
    "arrondissements": (Column("insee_arr", TEXT, True), Column("nom_arr", TEXT), *_TERRITORY),
    "departements": (Column("insee_dep", TEXT, True), Column("nom_dep", TEXT), *_TERRITORY),
    "regions": (Column("insee_reg", TEXT, True), Column("nom_reg", TEXT), *_TERRITORY),
    "tiers_lieux_2019": (
        *_cols(TEXT, "tl_id", "nom", required=True),
        *_cols(TEXT, "adresse", "code_postal", "nom_com_source", "web", "typologie", "insee_com", "commune_source"),
        *_cols(TEXT, "nom_com", "siren_epci", "insee_dep", "nom_dep", "insee_reg", "nom_reg", "densite_libelle"),
        Column("densite_niveau", NULLABLE_INTEGER),
        Column("rural_insee", NULLABLE_FLAG),
        *_cols(NUMBER, "longitude", "latitude"),
        Column("geometry", GEOMETRY),
    ),
    "programmes": (
        *_cols(TEXT, "programme", "programme_libelle", "id_programme", "insee_com", required=True),
        *_cols(TEXT, "lib_programme", "date_signature", "nom_com", "siren_epci", "insee_dep", "insee_reg"),
    ),
    "codes_communes": _cols(TEXT, "ancien_code", "insee_com", "type_code", required=True),
}


def _kind_problem(series: pd.Series, column: Column) -> str | None:
    dtype = series.dtype
    name = str(dtype)
    if column.kind == TEXT:
        ok = name in ("str", "string", "object") or pd.api.types.is_string_dtype(dtype)
    elif column.kind == INTEGER:
        ok = name == "int64"
    elif column.kind == NULLABLE_INTEGER:
        ok = name in ("Int64", "int64")
    elif column.kind == NUMBER:
        ok = name in ("float64", "Float64")
    elif column.kind == FLAG:
        ok = name == "bool"
    elif column.kind == NULLABLE_FLAG:
        ok = name in ("boolean", "bool")
    else:
        ok = name in ("geometry", "object")
    if not ok:
        return f"{column.name}: {column.kind} expected, stored as {name}"
    if column.required and series.isna().any():
        return f"{column.name}: {int(series.isna().sum())} missing value(s) in a required column"
    return None


def check_mart(name: str, frame: pd.DataFrame) -> list[str]:
    """Every way ``frame`` breaks the declared schema of mart ``name`` (empty when it conforms).

    Examples
    --------
    >>> check_mart("codes_communes", pd.DataFrame({"ancien_code": ["01340"], "insee_com": ["01015"]}))
    ['type_code: missing column']
    """
    problems = []
    for column in MART_SCHEMAS[name]:
        if column.name not in frame.columns:
            problems.append(f"{column.name}: missing column")
            continue
        problem = _kind_problem(frame[column.name], column)
        if problem:
            problems.append(problem)
    return problems
