"""Other ANCT programmes (PVD, ACV, Villages d'avenir, Manufactures, France services)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from core.domain.codes import CodeMap
from core.domain.text import clean_name, split_joined
from etl.readers import read_geojson_checked
from etl.report import StageLog
from etl.schemas import validate

PROGRAMMES: dict[str, str] = {
    "pvd": "Petites villes de demain",
    "acv": "Action cœur de ville",
    "acv2": "Action cœur de ville 2",
    "va": "Villages d'avenir",
    "manuprox": "Manufactures de proximité",
    "fs": "France services",
}
_CODE_IN_LIST = re.compile(r"\(([0-9AB]{4,5})\)")


def stage_programme(path: Path, programme: str, code_map: CodeMap, log: StageLog) -> pd.DataFrame:
    """One programme's places: one row per (place, commune), codes in COG 2026.

    ``liste_geo`` reads ``"Commune (code); Commune (code)"``; a place covering several communes
    (an ACV pair of towns) gives one row per commune.

    Returns
    -------
    DataFrame
        ``programme, programme_libelle, id_programme, lib_programme, insee_com,
        date_signature`` (date as text, empty when unknown).
    """
    raw = read_geojson_checked(path, ["id_territoire", "lib_territoire", "liste_geo"])
    log.rows_in = len(raw)
    rows, unknown = [], []
    for _, feat in raw.iterrows():
        codes = _CODE_IN_LIST.findall(str(feat["liste_geo"]))
        if not codes:
            unknown.append(str(feat["id_territoire"]))
        # Like the Fabriques file, a commune's feature may join several places with "; ".
        ids = str(feat["id_territoire"]).split("; ")
        names = split_joined(str(feat["lib_territoire"] or ""))
        if len(names) != len(ids):
            names = ["; ".join(names)] * len(ids)
        for code in codes:
            new, status = code_map.to_2026(code)
            if new is None:
                unknown.append(f"{feat['id_territoire']}:{code}")
                continue
            for pid, name in zip(ids, names, strict=True):
                rows.append((pid, clean_name(name), new, status, feat.get("date_signature")))
    log.add("dropped", "commune code unknown to COG 2026 (or absent)", len(unknown), unknown)
    frame = pd.DataFrame(rows, columns=["id_programme", "lib_programme", "insee_com", "status", "date_signature"])
    remapped = frame["status"] == "remapped"
    log.add(
        "remapped",
        "commune code of 2023-2024 mapped to COG 2026",
        int(remapped.sum()),
        frame.loc[remapped, "id_programme"].tolist(),
    )
    frame = frame.drop(columns="status").drop_duplicates(["id_programme", "insee_com"])
    frame.insert(0, "programme", programme)
    frame.insert(1, "programme_libelle", PROGRAMMES[programme])
    frame["date_signature"] = frame["date_signature"].fillna("").astype(str)
    frame = frame.astype({"id_programme": str, "lib_programme": str}).reset_index(drop=True)
    log.rows_out = len(frame)
    return validate(frame, "programmes", path.name)
