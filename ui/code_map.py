"""The commune code map (older codes → COG 2026) for files users supply."""

from __future__ import annotations

import pandas as pd

from core.domain.codes import CodeMap, code_map_from_mart
from ui.loaders import load_table


def load_code_map(communes: pd.DataFrame) -> CodeMap:
    """Current codes of ``communes`` plus the older codes of the ``codes_communes`` mart."""
    return code_map_from_mart(communes, load_table("codes_communes"))
