"""Merge of the user's detailed list of the Fabriques into the ``fabriques`` mart, and its report."""

from __future__ import annotations

import pandas as pd

from etl.staging.fabriques_detail import STATUS_MERGED, STATUS_REJECTED, STATUS_UNKNOWN

DETAIL_COLUMNS = ["vague", "montant", "montant_source", "adresse", "fnt"]
SOURCE_FILE = "fichier détaillé"
SOURCE_ESTIMATE = "estimation"
LAST_ID_WAVE_1 = 80
LAST_ID_2020_2021 = 300


def expected_waves(fabrique_id: int) -> frozenset[int]:
    """Waves a Fabrique can belong to, from its id.

    Ids 1–80 are wave 1 (ANCT, 3 February 2020); 81–300 the waves 2 to 8 of 2020-2021; 301–382
    the 2023 wave (the 9th). The 10th wave (2024) relabelled existing places, so 10 is accepted
    for every id but 1–80 (whose wave 1 the open data states).

    Examples
    --------
    >>> sorted(expected_waves(12)), sorted(expected_waves(350))
    ([1], [9, 10])
    """
    if fabrique_id <= LAST_ID_WAVE_1:
        return frozenset({1})
    if fabrique_id <= LAST_ID_2020_2021:
        return frozenset({2, 3, 4, 5, 6, 7, 8, 10})
    return frozenset({9, 10})


def _merged_rows(detail: pd.DataFrame | None) -> pd.DataFrame:
    if detail is None or detail.empty:
        return pd.DataFrame(columns=["fabrique_id"])
    rows = detail[detail["statut"] == STATUS_MERGED]
    return rows.assign(fabrique_id=rows["fabrique_id"].astype(int)).set_index("fabrique_id", drop=False)


def compute_wave_disagreements(detail: pd.DataFrame | None) -> pd.DataFrame:
    """Merged rows whose wave contradicts the id ranges of :func:`expected_waves`.

    Returns
    -------
    DataFrame
        ``fabrique_id, ligne, vague_fichier, vagues_possibles, vague_retenue`` (the open-data
        rule: 1 for ids 1–80, else unknown).
    """
    rows = _merged_rows(detail)
    columns = ["fabrique_id", "ligne", "vague_fichier", "vagues_possibles", "vague_retenue"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    given = rows[rows["vague"].notna()]
    bad = [
        (
            int(fid),
            int(line),
            int(wave),
            ", ".join(map(str, sorted(expected_waves(int(fid))))),
            1 if fid <= LAST_ID_WAVE_1 else None,
        )
        for fid, line, wave in zip(given["fabrique_id"], given["ligne"], given["vague"], strict=True)
        if int(wave) not in expected_waves(int(fid))
    ]
    return pd.DataFrame(bad, columns=columns).astype({"vague_retenue": "Int64"})


def compute_commune_disagreements(fabriques: pd.DataFrame, detail: pd.DataFrame | None) -> pd.DataFrame:
    """Merged rows whose INSEE code is not the open list's commune (COG 2026) or is unknown.

    Returns
    -------
    DataFrame
        ``fabrique_id, ligne, insee_fichier, insee_fichier_2026, insee_liste, motif``.
    """
    rows = _merged_rows(detail)
    columns = ["fabrique_id", "ligne", "insee_fichier", "insee_fichier_2026", "insee_liste", "motif"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    given = rows[rows["insee_fichier"].notna()].copy()
    given["insee_liste"] = given["fabrique_id"].map(fabriques.set_index("fabrique_id")["insee_com"])
    differs = given["insee_fichier_2026"].isna() | (given["insee_fichier_2026"] != given["insee_liste"])
    out = given[differs.fillna(True)].copy()
    out["motif"] = [
        "code inconnu du COG 2026 (commune de la liste ouverte conservée)"
        if pd.isna(code)
        else "commune différente de la liste ouverte (localisation de la liste ouverte conservée)"
        for code in out["insee_fichier_2026"]
    ]
    return pd.DataFrame(out[columns]).reset_index(drop=True)


def add_fabriques_detail(fabriques: pd.DataFrame, detail: pd.DataFrame | None) -> pd.DataFrame:
    """Add ``vague, montant, montant_source, adresse, fnt`` to the Fabriques, right after ``wave``.

    Without a detailed file (``detail`` None) the columns are there, all unknown, so the app
    reads one schema.

    Parameters
    ----------
    fabriques : DataFrame or GeoDataFrame
        The Fabriques (``fabrique_id``, ``wave``: the open-data rule, 1 for ids 1–80).
    detail : DataFrame, optional
        The staged detailed file (:func:`etl.staging.fabriques_detail.stage_fabriques_detail`).

    Returns
    -------
    Same type as ``fabriques``
        ``vague`` (Int64): the file's wave when it agrees with the id ranges, else ``wave``;
        ``montant`` (float, euros; NaN when unknown); ``montant_source`` (``fichier détaillé``
        or ``estimation``: what the funding figures use); ``adresse`` (string); ``fnt``
        (boolean, NA when unknown). The open list's commune and point are kept.
    """
    rows = _merged_rows(detail)
    ids = fabriques["fabrique_id"]
    out = fabriques.copy()

    def from_file(column: str, dtype: str) -> pd.Series:
        values = rows[column] if column in rows.columns else pd.Series(dtype=dtype)
        return pd.Series(ids.map(values).to_numpy(), index=fabriques.index).astype(dtype)

    file_wave = from_file("vague", "Int64")
    disagree = set(compute_wave_disagreements(detail)["fabrique_id"])
    file_wave = file_wave.mask(ids.isin(disagree))
    out["vague"] = file_wave.fillna(fabriques["wave"].astype("Int64")).astype("Int64")
    out["montant"] = from_file("montant", "float64")
    out["montant_source"] = pd.Series(
        [SOURCE_ESTIMATE if pd.isna(v) else SOURCE_FILE for v in out["montant"]], index=fabriques.index, dtype=str
    )
    out["adresse"] = from_file("adresse", "string")
    out["fnt"] = from_file("fnt", "boolean")
    order = [c for c in out.columns if c not in DETAIL_COLUMNS]
    at = order.index("wave") + 1 if "wave" in order else len(order)
    return out[order[:at] + DETAIL_COLUMNS + order[at:]]


def compute_detail_report(fabriques: pd.DataFrame, detail: pd.DataFrame) -> dict:
    """What the merge of a detailed file did, JSON-ready (the build adds name and checksum).

    Returns
    -------
    dict
        ``rows_read`` = ``merged`` + ``rejected`` + ``unknown_ids``; ``unknown_id_list``;
        ``unknown_rows`` and ``rejected_rows`` (line, id as written, reason); ``wave_disagreements`` and
        ``commune_disagreements``; ``fields`` (merged rows giving each field);
        ``montant_total`` (sum of the merged amounts, euros); ``columns`` (which column was read
        for which field, personal and unrecognised columns not read); ``reading`` (format,
        encoding, separator and remarks of the reader).
    """
    counts = detail["statut"].value_counts()
    merged = detail[detail["statut"] == STATUS_MERGED]
    unknown = detail[detail["statut"] == STATUS_UNKNOWN]
    rejected = detail[detail["statut"] == STATUS_REJECTED]
    waves = compute_wave_disagreements(detail)
    communes = compute_commune_disagreements(fabriques, detail)
    return {
        "rows_read": len(detail),
        "merged": int(counts.get(STATUS_MERGED, 0)),
        "rejected": int(counts.get(STATUS_REJECTED, 0)),
        "unknown_ids": int(counts.get(STATUS_UNKNOWN, 0)),
        "unknown_id_list": [int(i) for i in unknown["fabrique_id"]],
        "unknown_rows": _lines(unknown),
        "rejected_rows": _lines(rejected),
        "wave_disagreements": _records(waves),
        "commune_disagreements": _records(communes),
        "fields": {c: int(merged[c].notna().sum()) for c in ("vague", "montant", "adresse", "fnt")},
        "montant_total": float(merged["montant"].sum()),
        "columns": detail.attrs.get("colonnes", {}),
        "reading": detail.attrs.get("lecture", {}),
    }


def _lines(rows: pd.DataFrame) -> list[dict]:
    return [
        {"ligne": int(line), "identifiant": str(ident), "motif": str(reason)}
        for line, ident, reason in zip(rows["ligne"], rows["identifiant"], rows["motif"], strict=True)
    ]


def _plain(value: object) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.astype(object).to_dict("records")]
