"""Priority neighbourhoods (QPV): perimeters and indicators."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from core.codes import CodeMap
from core.geo import repair_geometries
from etl.readers import read_csv_checked, read_geojson_checked
from etl.report import StageLog
from etl.schemas import validate

QPV_COLUMNS = ["code_qp", "lib_qp", "insee_dep", "insee_com"]


def stage_qpv(path: Path, code_map: CodeMap, log: StageLog, generation: str = "2024") -> gpd.GeoDataFrame:
    """QPV perimeters: geometries repaired, commune codes split and brought to COG 2026.

    Parameters
    ----------
    generation : str
        The QPV geography (``"2024"``; a user-supplied 2015 file gets ``"2015"``).

    Returns
    -------
    GeoDataFrame
        ``code_qp, lib_qp, insee_dep, insee_reg, communes (list of COG 2026 codes),
        insee_com_principale, generation, area_zero, geometry``.
    """
    raw = read_geojson_checked(path, QPV_COLUMNS)
    log.rows_in = len(raw)
    geoms, n_invalid, _ = repair_geometries(raw.geometry)
    log.add("repaired", "invalid polygon repaired with make_valid", n_invalid)
    area_zero = geoms.is_empty | (shapely.area(geoms.values) == 0)
    log.add(
        "repaired",
        "polygon collapsed to zero area: kept (point-in-QPV false, distance from its "
        "remaining outline where any)",
        int(area_zero.sum()),
        raw.loc[area_zero, "code_qp"].tolist(),
    )
    communes, unknown = [], []
    for qp, field in zip(raw["code_qp"], raw["insee_com"].fillna(""), strict=True):
        codes = []
        for part in str(field).split(","):
            code, _status = code_map.to_2026(part)
            if code is None:
                unknown.append(f"{qp}:{part.strip()}")
            elif code not in codes:
                codes.append(code)
        communes.append(codes)
    log.add(
        "dropped", "commune code of a QPV unknown to COG 2026 (code dropped, QPV kept)", len(unknown), unknown
    )
    frame = gpd.GeoDataFrame(
        {
            "code_qp": raw["code_qp"].astype(str),
            "lib_qp": raw["lib_qp"].astype(str),
            "insee_dep": raw["insee_dep"].astype(str),
            "insee_reg": raw.get("insee_reg", pd.Series(pd.NA, index=raw.index)).astype("string"),
            "communes": communes,
            "insee_com_principale": [c[0] if c else None for c in communes],
            "generation": generation,
            "area_zero": area_zero.to_numpy(),
        },
        geometry=geoms,
        crs=raw.crs,
    )
    log.rows_out = len(frame)
    return validate(frame, "qpv", path.name)


INDICATORS = {
    "popMuniQPV": "pop_qpv",
    "taux_pauvrete_60%": "taux_pauvrete",
    "taux_logements_sociaux": "taux_logements_sociaux",
    "taux_d_emploi": "taux_emploi",
    "indiceJeunesse": "indice_jeunesse",
    "partPopImmi": "part_pop_immigree",
}


def stage_qpv_indicators(path: Path, log: StageLog) -> pd.DataFrame:
    """QPV indicators, one row per QPV (the source repeats each QPV once per commune).

    Returns
    -------
    DataFrame
        ``code_qp`` and the numeric columns of :data:`INDICATORS` (vintage undocumented:
        indicative only).
    """
    raw = read_csv_checked(path, ["codeQPV", *INDICATORS])
    log.rows_in = len(raw)
    frame = raw[["codeQPV", *INDICATORS]].rename(columns={"codeQPV": "code_qp", **INDICATORS})
    for col in INDICATORS.values():
        frame[col] = pd.to_numeric(frame[col].str.replace(",", "."), errors="coerce")
    dup = frame.duplicated("code_qp", keep="first")
    log.add(
        "dropped",
        "same QPV repeated for another of its communes (figures are per QPV)",
        int(dup.sum()),
        frame.loc[dup, "code_qp"].tolist(),
    )
    frame = frame[~dup].reset_index(drop=True)
    log.rows_out = len(frame)
    return validate(frame, "qpv_indicateurs", path.name)
