"""Priority neighbourhoods (QPV): perimeters and indicators."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from core.domain.codes import CodeMap
from core.geo.repair import repair_geometries
from core.uploads.reader import UploadError, UploadLimits, read_upload
from etl.errors import SourceFormatError
from etl.readers import read_csv_checked, read_geojson_checked
from etl.report import StageLog
from etl.schemas import validate

QPV_COLUMNS = ["code_qp", "lib_qp", "insee_dep", "insee_com"]
# Names used by other QPV files (ANCT's 2015 geography: CODE_QP, NOM_QP…): first match wins.
QPV_ALIASES: dict[str, tuple[str, ...]] = {
    "code_qp": ("code_qp", "CODE_QP", "code_quartier", "codeQPV"),
    "lib_qp": ("lib_qp", "nom_qp", "NOM_QP", "lib_quartier"),
    "insee_dep": ("insee_dep", "code_dep", "DEP", "dep"),
    "insee_com": ("insee_com", "code_insee", "INSEE_COM", "insee_coms"),
    "insee_reg": ("insee_reg", "code_reg", "REG"),
}


def harmonise_qpv_columns(columns: list[str], file_name: str) -> dict[str, str]:
    """Map a QPV file's columns to ours; the code and the name are required.

    Returns
    -------
    dict
        ``{their column: our column}``.

    Raises
    ------
    SourceFormatError
        When no column holds the QPV code or name.
    """
    mapping = {}
    for ours, candidates in QPV_ALIASES.items():
        found = next((c for c in candidates if c in columns), None)
        if found:
            mapping[found] = ours
    missing = [c for c in ("code_qp", "lib_qp") if c not in mapping.values()]
    if missing:
        raise SourceFormatError(
            f"{file_name}: no column for {', '.join(missing)} (accepted names: "
            + "; ".join(", ".join(QPV_ALIASES[m]) for m in missing)
            + f"; found: {', '.join(columns)})."
        )
    return mapping


def departement_of_qpv(code: str) -> str:
    """Département of a QPV from its code (``QN07501M`` and ``QP075001`` → ``75``, ``QN97101M`` → ``971``)."""
    dep = code[2:5]
    return dep if dep.startswith("97") or dep.startswith("98") else dep[1:]


# A file of perimeters read on the command line: larger than a web upload, more memory for its geometries.
SUPPLIED_LIMITS = UploadLimits(
    max_bytes=500 * 1024 * 1024,
    max_rows=50_000,
    max_columns=200,
    max_inflated_bytes=2 * 1024**3,
    worker_memory_mb=4096,
    worker_timeout_s=300.0,
)


def read_supplied_qpv(path: Path) -> gpd.GeoDataFrame:
    """A QPV file the user supplies (GeoJSON, GeoPackage or zipped shapefile, any declared CRS), in WGS 84.

    Read by the uploads' reader (:func:`core.uploads.reader.read_upload`, geometry mode):
    ``attrs["lecture"]`` says how (format, layer, reprojection).

    Raises
    ------
    SourceFormatError
        When the reader refuses the file (its message says why and what to do).
    """
    try:
        table = read_upload(path.read_bytes(), path.name, SUPPLIED_LIMITS, keep_geometry=True)
    except UploadError as error:
        raise SourceFormatError(f"{path.name}: {error}") from error
    frame = table.frame
    frame.attrs["lecture"] = table.reading
    return frame


def stage_qpv(
    path: Path, code_map: CodeMap, log: StageLog, generation: str = "2024", supplied: bool = False
) -> gpd.GeoDataFrame:
    """QPV perimeters: geometries repaired, commune codes split and brought to COG 2026.

    Parameters
    ----------
    generation : str
        The QPV geography (``"2024"``; a user-supplied 2015 file gets ``"2015"``).
    supplied : bool
        A file the user supplies (``--qpv-2015``), read by :func:`read_supplied_qpv`; the
        catalogue's file is read strictly as the GeoJSON in WGS 84 it must be.

    Returns
    -------
    GeoDataFrame
        ``code_qp, lib_qp, insee_dep, insee_reg, communes (list of COG 2026 codes),
        insee_com_principale, generation, area_zero, geometry``; for a supplied file,
        ``attrs["lecture"]`` says how it was read.
    """
    raw = read_supplied_qpv(path) if supplied else read_geojson_checked(path, [])
    reading = raw.attrs.get("lecture")
    raw = raw.rename(columns=harmonise_qpv_columns([c for c in raw.columns if c != "geometry"], path.name))
    raw["code_qp"] = raw["code_qp"].astype(str).str.strip()
    if "insee_com" not in raw.columns:
        raw["insee_com"] = ""
    if "insee_dep" not in raw.columns:
        raw["insee_dep"] = raw["code_qp"].map(departement_of_qpv)
    log.rows_in = len(raw)
    geoms, n_invalid, _ = repair_geometries(raw.geometry)
    log.add("repaired", "invalid polygon repaired with make_valid", n_invalid)
    area_zero = geoms.is_empty | (shapely.area(geoms.values) == 0)
    log.add(
        "repaired",
        "polygon collapsed to zero area: kept (point-in-QPV false, distance from its remaining outline where any)",
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
    log.add("dropped", "commune code of a QPV unknown to COG 2026 (code dropped, QPV kept)", len(unknown), unknown)
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
    out = validate(frame, "qpv", path.name)
    if reading:
        out.attrs["lecture"] = reading
    return out


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
