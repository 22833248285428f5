"""The commune code map (older codes → COG 2026) for files users supply."""

from __future__ import annotations

import pandas as pd

from core.codes import CodeMap, compute_code_map
from core.paths import MissingMartError
from ui.loaders import load_table


def load_code_map(communes: pd.DataFrame) -> CodeMap:
    """Current codes of ``communes`` plus the older codes of the ``codes_communes`` mart when built."""
    try:
        older = load_table("codes_communes")
    except (MissingMartError, KeyError):
        older = pd.DataFrame({"ancien_code": pd.Series(dtype=str), "insee_com": pd.Series(dtype=str)})
    return compute_code_map(communes, older)
