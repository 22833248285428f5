"""Declared schemas of the staged frames (pandera); a frame that breaks one stops the build."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from etl.errors import SourceFormatError

COMMUNE = r"^(\d{5}|2[AB]\d{3})$"
DEP = r"^(\d{2}|2[AB]|97\d|98\d)$"
# 2024 codes QN + département on 3 characters + 2 digits + letter (QN02A01M); 2015: QP + 6 digits.
QPV = r"^Q[NP]\d{2}[0-9AB]\d{2,3}[A-Z]?$"


def _code(pattern: str, nullable: bool = False, unique: bool = False) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(pattern), nullable=nullable, unique=unique, coerce=True)


def _text(nullable: bool = False) -> pa.Column:
    return pa.Column(str, nullable=nullable, coerce=True)


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "cog_communes": pa.DataFrameSchema(
        {
            "insee_com": _code(COMMUNE, unique=True),
            "nom_com": _text(),
            "zone": pa.Column(str, pa.Check.isin(["metro", "drom", "com"]), coerce=True),
            "insee_dep": _code(DEP),
            "population": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        }
    ),
    "cog_older_codes": pa.DataFrameSchema({"ancien_code": _code(COMMUNE, unique=True), "insee_com": _code(COMMUNE)}),
    "cog_epci": pa.DataFrameSchema({"siren_epci": _code(r"^\d{9}$"), "insee_com": _code(COMMUNE, unique=True)}),
    "cog_departements": pa.DataFrameSchema({"insee_dep": _code(DEP, unique=True)}),
    "cog_regions": pa.DataFrameSchema({"insee_reg": _code(r"^\d{2,3}$", unique=True)}),
    "cog_arrondissements": pa.DataFrameSchema({"insee_arr": _code(r"^(\d{3,4}|2[AB]\d)$", unique=True)}),
    "commune_polygons": pa.DataFrameSchema({"insee_com": _code(COMMUNE, unique=True)}),
    "admin_polygons": pa.DataFrameSchema({"code": _text()}),
    "commune_class": pa.DataFrameSchema({"insee_com": _code(COMMUNE, unique=True), "valeur": _text()}),
    "qpv": pa.DataFrameSchema(
        {
            "code_qp": _code(QPV, unique=True),
            "lib_qp": _text(),
            "insee_dep": _code(DEP),
            "generation": _text(),
        }
    ),
    "qpv_indicateurs": pa.DataFrameSchema(
        {
            "code_qp": _code(QPV, unique=True),
            "pop_qpv": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        }
    ),
    "fabriques": pa.DataFrameSchema(
        {
            "fabrique_id": pa.Column(int, pa.Check.in_range(1, 382), unique=True, coerce=True),
            "nom": _text(),
            "insee_com": _code(COMMUNE),
            "cohort": pa.Column(str, pa.Check.isin(["2020-2021", "2023"]), coerce=True),
            "wave": pa.Column("Int64", nullable=True),
        }
    ),
    "programmes": pa.DataFrameSchema({"programme": _text(), "insee_com": _code(COMMUNE), "id_programme": _text()}),
    # The detailed Fabriques file as staged: every row kept, with its status (and the reason when not merged).
    "fabriques_detail": pa.DataFrameSchema(
        {
            "ligne": pa.Column(int, pa.Check.ge(2), unique=True),
            "identifiant": pa.Column("string", nullable=True),
            "fabrique_id": pa.Column("Int64", pa.Check.ge(1), nullable=True),
            "vague": pa.Column("Int64", pa.Check.in_range(1, 10), nullable=True),
            "montant": pa.Column(float, pa.Check.gt(0), nullable=True),
            "fnt": pa.Column("boolean", nullable=True),
            "insee_fichier_2026": pa.Column("string", pa.Check.str_matches(COMMUNE), nullable=True),
            "statut": pa.Column("string", pa.Check.isin(["retenue", "rejetée", "identifiant inconnu"])),
            "motif": pa.Column("string", nullable=True),
        },
        checks=pa.Check(
            lambda f: (f["statut"] == "retenue") == f["motif"].isna(),
            error="a row not merged says why, a merged one does not",
        ),
    ),
    "tiers_lieux_2019": pa.DataFrameSchema(
        {"tl_id": _text(), "nom": _text(), "insee_com": _code(COMMUNE, nullable=True)}
    ),
}


def validate(frame: pd.DataFrame, schema: str, file_name: str) -> pd.DataFrame:
    """Validate ``frame`` against the named schema; raise :class:`SourceFormatError` on failure."""
    try:
        return SCHEMAS[schema].validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        detail = cases.head(5).to_dict("records") if cases is not None else str(exc)[:500]
        raise SourceFormatError(
            f"{file_name}: the staged table breaks schema {schema!r}: {detail}. The source "
            "format changed or the file is not the catalogue's version."
        ) from exc
