"""The ``codes_communes`` mart: older commune codes and the COG 2026 commune they belong to."""

from __future__ import annotations

import pandas as pd

COLUMNS = ["ancien_code", "insee_com", "type_code"]


def build_codes_communes(communes: pd.DataFrame, older_codes: pd.DataFrame) -> pd.DataFrame:
    """Publish the older-code part of the ETL's code map, so the app can map users' lists.

    The rows are exactly the ``older`` mapping of :func:`core.domain.codes.compute_code_map`: an older
    code that is again a current commune's code is left out (the current code wins), so
    :func:`core.domain.codes.code_map_from_mart` rebuilds the same map.

    Parameters
    ----------
    communes : DataFrame
        Staged current communes (``insee_com``).
    older_codes : DataFrame
        Staged older codes (``ancien_code, insee_com, kind``).

    Returns
    -------
    DataFrame
        ``ancien_code, insee_com, type_code`` (``ancien`` for a merged commune's code,
        ``commune-deleguee``, ``commune-associee`` or ``arrondissement-municipal``), sorted by
        ``ancien_code``; no geometry.
    """
    current = set(communes["insee_com"])
    kept = older_codes[~older_codes["ancien_code"].isin(current)]
    out = pd.DataFrame(
        {
            "ancien_code": kept["ancien_code"].astype(str),
            "insee_com": kept["insee_com"].astype(str),
            "type_code": kept["kind"].astype(str) if "kind" in kept.columns else "",
        },
        columns=COLUMNS,
    )
    return out.sort_values("ancien_code", ignore_index=True)
