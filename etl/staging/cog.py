"""COG 2026 tables of @etalab/decoupage-administratif: communes, EPCI, arrondissements…"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.readers import read_json_records
from etl.report import StageLog
from etl.schemas import validate

CURRENT = "commune-actuelle"


def stage_cog_communes(path: Path, log: StageLog) -> pd.DataFrame:
    """Current communes of the COG 2026 (métropole, DROM and COM), one row each.

    Returns
    -------
    DataFrame
        ``insee_com, nom_com, zone, insee_arr, insee_dep, insee_reg, population``.
        ``population`` is the municipal population (nullable: TAAF and Clipperton have none).
    """
    raw = read_json_records(path, ["code", "nom", "type", "zone", "departement", "region"])
    log.rows_in = len(raw)
    others = raw[raw["type"] != CURRENT]
    log.add(
        "dropped",
        "not a current commune (commune déléguée/associée, municipal arrondissement): kept "
        "only as an older code mapped to its current commune",
        len(others),
        others["code"].head().tolist(),
    )
    cur = raw[raw["type"] == CURRENT]
    frame = pd.DataFrame(
        {
            "insee_com": cur["code"].astype(str),
            "nom_com": cur["nom"].astype(str),
            "zone": cur["zone"].astype(str),
            # Mayotte has no arrondissement: empty, not a code.
            "insee_arr": cur.get("arrondissement", pd.Series(index=cur.index)).astype("string").replace("", pd.NA),
            "insee_dep": cur["departement"].astype(str),
            "insee_reg": cur["region"].astype(str),
            "population": pd.to_numeric(cur.get("population"), errors="coerce").astype("Int64"),
        }
    ).reset_index(drop=True)
    log.rows_out = len(frame)
    return validate(frame, "cog_communes", path.name)


def stage_cog_older_codes(path: Path, log: StageLog) -> pd.DataFrame:
    """Older and secondary commune codes with the COG 2026 commune they now belong to.

    Three kinds: ``anciensCodes`` of merged communes, communes déléguées/associées (their
    ``chefLieu``) and municipal arrondissements of Paris, Lyon and Marseille (their commune).

    Returns
    -------
    DataFrame
        ``ancien_code, insee_com, kind``, one row per older code.
    """
    raw = read_json_records(path, ["code", "type"])
    log.rows_in = len(raw)
    cur = raw[raw["type"] == CURRENT]
    parts = []
    if "anciensCodes" in cur.columns:
        anciens = cur[["code", "anciensCodes"]].explode("anciensCodes").dropna()
        parts.append(
            pd.DataFrame({"ancien_code": anciens["anciensCodes"], "insee_com": anciens["code"], "kind": "ancien"})
        )
    for kind, parent in (
        ("commune-deleguee", "chefLieu"),
        ("commune-associee", "chefLieu"),
        ("arrondissement-municipal", "commune"),
    ):
        rows = raw[raw["type"] == kind]
        if parent in rows.columns:
            parts.append(pd.DataFrame({"ancien_code": rows["code"], "insee_com": rows[parent], "kind": kind}))
    frame = pd.concat(parts, ignore_index=True).astype(str)
    frame = frame[frame["ancien_code"] != frame["insee_com"]]
    frame = frame.drop_duplicates("ancien_code", keep="first").reset_index(drop=True)
    log.rows_out = len(frame)
    return validate(frame, "cog_older_codes", path.name)


def stage_cog_epci(path: Path, log: StageLog) -> pd.DataFrame:
    """EPCI 2026 and their member communes, one row per (EPCI, member).

    Returns
    -------
    DataFrame
        ``siren_epci, nom_epci, type_epci, insee_com``.
    """
    raw = read_json_records(path, ["code", "nom", "type", "membres"])
    log.rows_in = len(raw)
    members = raw[["code", "nom", "type", "membres"]].explode("membres").dropna(subset=["membres"])
    frame = pd.DataFrame(
        {
            "siren_epci": members["code"].astype(str),
            "nom_epci": members["nom"].astype(str),
            "type_epci": members["type"].astype(str),
            "insee_com": [m["code"] for m in members["membres"]],
        }
    ).reset_index(drop=True)
    dup = frame.duplicated("insee_com", keep="first")
    log.add("dropped", "commune listed in a second EPCI", int(dup.sum()), frame.loc[dup, "insee_com"].tolist())
    frame = frame[~dup].reset_index(drop=True)
    log.rows_out = len(frame)
    return validate(frame, "cog_epci", path.name)


def stage_cog_table(path: Path, log: StageLog, level: str) -> pd.DataFrame:
    """Départements, régions or arrondissements of the COG 2026.

    Parameters
    ----------
    level : {"departements", "regions", "arrondissements"}

    Returns
    -------
    DataFrame
        ``insee_<lvl>, nom_<lvl>`` plus the codes of the levels above (``insee_reg`` for
        départements; ``insee_dep, insee_reg`` for arrondissements) and ``zone`` when given.
    """
    suffix = {"departements": "dep", "regions": "reg", "arrondissements": "arr"}[level]
    raw = read_json_records(path, ["code", "nom"])
    log.rows_in = len(raw)
    frame = pd.DataFrame({f"insee_{suffix}": raw["code"].astype(str), f"nom_{suffix}": raw["nom"].astype(str)})
    for source, target in (("departement", "insee_dep"), ("region", "insee_reg"), ("zone", "zone")):
        if source in raw.columns:
            frame[target] = raw[source].astype("string")
    log.rows_out = len(frame)
    return validate(frame, f"cog_{level}", path.name)
