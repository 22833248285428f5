"""The ANCT list of Fabriques de Territoire: one feature per commune → one row per Fabrique."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.domain.classifications import LOCATION_PRECISION_CENTROID, LOCATION_PRECISION_NONE, cohort_of, wave_of
from core.domain.codes import CodeMap
from core.domain.text import clean_name, has_email, split_joined
from etl.errors import SourceFormatError
from etl.readers import read_geojson_checked
from etl.report import StageLog
from etl.schemas import validate

COLUMNS = ["id_geo", "lib_geo", "id_territoire", "lib_territoire"]


def stage_fabriques(path: Path, code_map: CodeMap, log: StageLog) -> gpd.GeoDataFrame:
    """Split the per-commune features into one row per Fabrique, names cleaned, codes in COG 2026.

    Returns
    -------
    GeoDataFrame
        ``fabrique_id, nom, insee_com, insee_com_source, cohort, wave, location_precision,
        geometry`` (EPSG:4326; empty point when the source has no geometry).

    Raises
    ------
    SourceFormatError
        When a feature's names cannot be paired with its ids.
    """
    raw = read_geojson_checked(path, COLUMNS)
    log.rows_in = len(raw)
    rows = []
    for _, feat in raw.iterrows():
        ids = [i.strip() for i in str(feat["id_territoire"]).split("; ")]
        names = split_joined(str(feat["lib_territoire"] or ""))
        if len(names) != len(ids):
            if len(ids) == 1:
                names = ["; ".join(names)]
            else:
                raise SourceFormatError(
                    f"{path.name}: commune {feat['id_geo']} has {len(ids)} ids but {len(names)} "
                    "names; the names cannot be paired with the ids."
                )
        for fid, name in zip(ids, names, strict=True):
            rows.append((fid, name, feat["id_geo"], feat["lib_geo"], feat.geometry))
    frame = pd.DataFrame(rows, columns=["id_territoire", "nom_source", "id_geo", "lib_geo", "geometry"])
    bad_id = ~frame["id_territoire"].str.fullmatch(r"fabt-\d+")
    if bad_id.any():
        raise SourceFormatError(f"{path.name}: unexpected ids {frame.loc[bad_id, 'id_territoire'].tolist()[:5]}")
    frame["fabrique_id"] = frame["id_territoire"].str.removeprefix("fabt-").astype(int)
    emails = frame["nom_source"].map(has_email)
    log.add(
        "repaired",
        "e-mail address removed from the name",
        int(emails.sum()),
        frame.loc[emails, "id_territoire"].tolist(),
    )
    entities = frame["nom_source"].str.contains(r"&\w+;|\n", regex=True)
    log.add(
        "repaired",
        "HTML entity or line break in the name",
        int(entities.sum()),
        frame.loc[entities, "id_territoire"].tolist(),
    )
    mapped = code_map.map_series(frame["id_geo"])
    remapped = mapped["status"] == "remapped"
    log.add(
        "remapped",
        "COG 2023 commune code mapped to COG 2026",
        int(remapped.sum()),
        (frame.loc[remapped, "id_geo"] + "→" + mapped.loc[remapped, "code_2026"]).tolist(),
    )
    unknown = mapped["status"] == "unknown"
    if unknown.any():
        raise SourceFormatError(
            f"{path.name}: commune codes unknown to COG 2026: {frame.loc[unknown, 'id_geo'].tolist()[:5]}"
        )
    geoms = gpd.GeoSeries(frame["geometry"], crs=raw.crs)
    no_geom = geoms.isna() | geoms.is_empty
    log.add(
        "repaired",
        "no geometry in the source (location unknown, kept)",
        int(no_geom.sum()),
        frame.loc[no_geom, "id_territoire"].tolist(),
    )
    out = gpd.GeoDataFrame(
        {
            "fabrique_id": frame["fabrique_id"],
            "nom": frame["nom_source"].map(clean_name),
            "insee_com": mapped["code_2026"].astype(str),
            "insee_com_source": frame["id_geo"].astype(str),
            "cohort": frame["fabrique_id"].map(cohort_of),
            "wave": frame["fabrique_id"].map(wave_of).astype("Int64"),
            "location_precision": [LOCATION_PRECISION_NONE if n else LOCATION_PRECISION_CENTROID for n in no_geom],
        },
        geometry=geoms.where(~no_geom, None),
        crs=raw.crs,
    ).sort_values("fabrique_id", ignore_index=True)
    dup = out["fabrique_id"].duplicated()
    if dup.any():
        raise SourceFormatError(f"{path.name}: duplicated Fabrique ids {out.loc[dup, 'fabrique_id'].tolist()[:5]}")
    log.rows_out = len(out)
    return validate(out, "fabriques", path.name)
