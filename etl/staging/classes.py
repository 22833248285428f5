"""Communal classifications: density grid, ANCT rural typology, centrality, mountain, FRR."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.domain.codes import CodeMap
from etl.readers import read_csv_checked
from etl.report import StageLog
from etl.schemas import validate


def stage_commune_class(
    path: Path,
    code_column: str,
    value_column: str,
    code_map: CodeMap,
    log: StageLog,
    sep: str = ",",
) -> pd.DataFrame:
    """One communal classification: codes to COG 2026, values stripped.

    When several older communes merged into one 2026 commune, the value of the row whose code
    is the 2026 code wins (the chef-lieu keeps its code), else the first one; the others are
    counted as dropped.

    Returns
    -------
    DataFrame
        ``insee_com, valeur``.
    """
    raw = read_csv_checked(path, [code_column, value_column], sep=sep)
    log.rows_in = len(raw)
    mapped = code_map.map_series(raw[code_column])
    frame = pd.DataFrame(
        {
            "insee_com": mapped["code_2026"],
            "valeur": raw[value_column].str.strip(),
            "same_code": mapped["status"] == "ok",
        }
    )
    unknown = mapped["status"] == "unknown"
    log.add("dropped", "code unknown to COG 2026", int(unknown.sum()), raw.loc[unknown, code_column].tolist())
    remapped = mapped["status"] == "remapped"
    log.add(
        "remapped",
        "older code mapped to its COG 2026 commune",
        int(remapped.sum()),
        raw.loc[remapped, code_column].tolist(),
    )
    empty = frame["valeur"].eq("") & ~unknown
    log.add("dropped", "empty value", int(empty.sum()), raw.loc[empty, code_column].tolist())
    frame = frame[~unknown & ~empty].sort_values("same_code", ascending=False, kind="stable")
    dup = frame["insee_com"].duplicated(keep="first")
    log.add(
        "dropped",
        "second value for a merged commune (the chef-lieu's value is kept)",
        int(dup.sum()),
        frame.loc[dup, "insee_com"].tolist(),
    )
    frame = frame[~dup].drop(columns="same_code").sort_values("insee_com", ignore_index=True)
    log.rows_out = len(frame)
    return validate(frame, "commune_class", path.name)
