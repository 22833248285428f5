"""Territory levels and their codes in links (``departements:29``)."""

from __future__ import annotations

import pandas as pd

TERRITORY_LEVELS: dict[str, tuple[str, str, str]] = {
    "regions": ("insee_reg", "nom_reg", "Régions"),
    "departements": ("insee_dep", "nom_dep", "Départements"),
    "epci": ("siren_epci", "nom_epci", "EPCI"),
    "communes": ("insee_com", "nom_com", "Communes"),
}


def territory_key(level: str, code: str) -> str:
    """The link form of a territory: ``level:code``."""
    return f"{level}:{code}"


def parse_territory(value: str, communes: pd.DataFrame) -> tuple[str, str] | None:
    """Read ``level:code``; None when the level or the code is unknown.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_territory("departements:29", pd.DataFrame({"insee_dep": ["29"]}))
    ('departements', '29')
    >>> parse_territory("departements:999", pd.DataFrame({"insee_dep": ["29"]})) is None
    True
    """
    level, _, code = str(value).partition(":")
    if level not in TERRITORY_LEVELS or not code:
        return None
    column = TERRITORY_LEVELS[level][0]
    if column not in communes.columns or not communes[column].eq(code).any():
        return None
    return level, code
