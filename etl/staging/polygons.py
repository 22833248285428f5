"""Polygon layers: 2018 commune polygons brought to COG 2026, ANCT's generalised layers."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from core.domain.codes import CodeMap
from core.geo.repair import repair_geometries
from etl.readers import read_geojson_checked
from etl.report import StageLog
from etl.schemas import validate


def stage_commune_polygons(paths: list[Path], code_map: CodeMap, expected: set[str], log: StageLog) -> gpd.GeoDataFrame:
    """Commune polygons of IGN Admin Express 2018, remapped to COG 2026 and dissolved.

    Parameters
    ----------
    paths : list of Path
        The per-département files (properties ``code``, ``nom``).
    code_map : CodeMap
        Older codes → COG 2026.
    expected : set of str
        The COG 2026 communes that should get a polygon (métropole and DROM).

    Returns
    -------
    GeoDataFrame
        ``insee_com, geometry`` (EPSG:4326), one row per COG 2026 commune that has a polygon.
    """
    frames = [read_geojson_checked(p, ["code"])[["code", "geometry"]] for p in paths]
    raw = pd.concat(frames, ignore_index=True)
    log.rows_in = len(raw)
    mapped = code_map.map_series(raw["code"])
    unknown = mapped["status"] == "unknown"
    log.add("dropped", "2018 code unknown to COG 2026", int(unknown.sum()), raw.loc[unknown, "code"].tolist())
    remapped = mapped["status"] == "remapped"
    log.add(
        "remapped",
        "2018 commune merged into a 2026 commune (anciensCodes): polygons dissolved",
        int(remapped.sum()),
        (raw.loc[remapped, "code"] + "→" + mapped.loc[remapped, "code_2026"]).tolist(),
    )
    geoms, n_invalid, _ = repair_geometries(raw.geometry)
    log.add("repaired", "invalid polygon repaired with make_valid", n_invalid)
    frame = gpd.GeoDataFrame({"insee_com": mapped["code_2026"]}, geometry=geoms, crs=raw.crs)[~unknown]
    single = ~frame["insee_com"].duplicated(keep=False)
    merged = frame[~single]
    dissolved = (
        merged.groupby("insee_com")["geometry"]
        .agg(lambda g: shapely.union_all(g.values))
        .rename("geometry")
        .reset_index()
    )
    out = pd.concat(
        [frame[single], gpd.GeoDataFrame(dissolved, geometry="geometry", crs=frame.crs)],
        ignore_index=True,
    ).sort_values("insee_com", ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=raw.crs)
    missing = sorted(expected - set(out["insee_com"]))
    log.add(
        "missing",
        "COG 2026 commune with no 2018 polygon of its own (re-created since 2018: "
        "its 2018 territory is inside its former commune's polygon)",
        len(missing),
        missing,
    )
    log.rows_out = len(out)
    return validate(out, "commune_polygons", "commune polygons 2018")


def stage_admin_polygons(path: Path, code_column: str, name_column: str, log: StageLog) -> gpd.GeoDataFrame:
    """ANCT's generalised départements, régions or arrondissements, repaired.

    Returns
    -------
    GeoDataFrame
        ``code, nom, geometry`` (EPSG:4326).
    """
    raw = read_geojson_checked(path, [code_column, name_column])
    log.rows_in = len(raw)
    geoms, n_invalid, _ = repair_geometries(raw.geometry)
    log.add("repaired", "invalid polygon repaired with make_valid", n_invalid)
    frame = gpd.GeoDataFrame(
        {"code": raw[code_column].astype(str), "nom": raw[name_column].astype(str)},
        geometry=geoms,
        crs=raw.crs,
    )
    log.rows_out = len(frame)
    return validate(frame, "admin_polygons", path.name)
