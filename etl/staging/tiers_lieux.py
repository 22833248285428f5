"""The 2019 national census of tiers-lieux (CGET Mission Coworking)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.domain.codes import CodeMap
from core.domain.text import clean_name
from etl.readers import read_csv_checked
from etl.report import StageLog
from etl.schemas import validate

# CONTACT and MAIL are personal data: never read past this module. TWITTER and FACEBOOK are
# dropped too (accounts may be personal).
PERSONAL_COLUMNS = ("CONTACT", "MAIL", "TWITTER", "FACEBOOK")
KEPT = {
    "ID": "tl_id",
    "NOM_TL": "nom",
    "ADRESSE": "adresse",
    "CP": "code_postal",
    "NOMCOM": "nom_com_source",
    "WEB": "web",
    "TYPO": "typologie",
}


def stage_tiers_lieux_2019(path: Path, code_map: CodeMap, log: StageLog) -> gpd.GeoDataFrame:
    """Census rows with personal columns dropped, codes in COG 2026, points from LAT/LONG.

    Rows without a usable INSEE code keep a null ``insee_com``: the marts find their commune
    from the point. Rows with no usable point keep an empty geometry.

    Returns
    -------
    GeoDataFrame
        Columns of :data:`KEPT` plus ``insee_com`` (nullable) and ``geometry`` (EPSG:4326).
    """
    raw = read_csv_checked(path, [*KEPT, "INSEECOM", "LAT", "LONG"])
    raw = raw.drop(columns=[c for c in PERSONAL_COLUMNS if c in raw.columns])
    log.rows_in = len(raw)
    frame = raw[list(KEPT)].rename(columns=KEPT)
    for column in ("nom", "adresse", "web"):
        frame[column] = frame[column].map(clean_name)
    frame["typologie"] = frame["typologie"].replace("", "Non renseignée")
    mapped = code_map.map_series(raw["INSEECOM"])
    frame["insee_com"] = mapped["code_2026"]
    missing = mapped["status"] == "unknown"
    log.add(
        "remapped",
        "INSEE code missing or invalid: commune taken from the point",
        int(missing.sum()),
        raw.loc[missing, "ID"].tolist(),
    )
    remapped = mapped["status"] == "remapped"
    log.add(
        "remapped",
        "older or municipal-arrondissement code mapped to its COG 2026 commune",
        int(remapped.sum()),
        (raw.loc[remapped, "INSEECOM"] + "→" + mapped.loc[remapped, "code_2026"]).tolist(),
    )
    lat = pd.to_numeric(raw["LAT"].str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(raw["LONG"].str.replace(",", "."), errors="coerce")
    bad = lat.isna() | lon.isna() | ~lat.between(-90, 90) | ~lon.between(-180, 180)
    log.add("repaired", "no usable coordinates (point left empty)", int(bad.sum()), raw.loc[bad, "ID"].tolist())
    geometry = gpd.points_from_xy(lon.where(~bad), lat.where(~bad), crs="EPSG:4326")
    out = gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=geometry, crs="EPSG:4326")
    log.rows_out = len(out)
    return validate(out, "tiers_lieux_2019", path.name)
