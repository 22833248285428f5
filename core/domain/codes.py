"""INSEE codes: normalisation and mapping of older codes to the COG 2026.

Codes are strings: five characters for communes, ``2A``/``2B`` for Corsica, three digits for
the overseas départements (``971``…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

_COMMUNE_RE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


def normalize_insee(code: object) -> str | None:
    """Return a commune code as 5 characters, or None when it cannot be one.

    Spreadsheets turn ``01053`` into ``1053`` (or ``1053.0``): the leading zero is restored.

    Examples
    --------
    >>> normalize_insee("1053")
    '01053'
    >>> normalize_insee(1053.0)
    '01053'
    >>> normalize_insee("2a004")
    '2A004'
    >>> normalize_insee("0") is None
    True
    """
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return None
    text = str(code).strip().upper()
    if text.endswith(".0"):
        text = text[:-2]
    if len(text) == 4 and text.isdigit():
        text = "0" + text
    return text if _COMMUNE_RE.match(text) else None


@dataclass(frozen=True)
class CodeMap:
    """Maps any known commune code (current, older, municipal arrondissement) to COG 2026.

    Attributes
    ----------
    current : frozenset of str
        The COG 2026 codes of current communes.
    older : dict
        Older code (merged commune, commune déléguée or associée, municipal arrondissement)
        → current code.
    """

    current: frozenset[str]
    older: dict[str, str] = field(default_factory=dict)

    def to_2026(self, code: object) -> tuple[str | None, str]:
        """Return ``(code_2026, status)`` with status ``ok``, ``remapped`` or ``unknown``.

        Examples
        --------
        >>> m = CodeMap(frozenset({"01015"}), {"01340": "01015"})
        >>> m.to_2026("1340")
        ('01015', 'remapped')
        >>> m.to_2026("99999")
        (None, 'unknown')
        """
        norm = normalize_insee(code)
        if norm is None:
            return None, "unknown"
        if norm in self.current:
            return norm, "ok"
        if norm in self.older:
            return self.older[norm], "remapped"
        return None, "unknown"

    def map_series(self, codes: pd.Series) -> pd.DataFrame:
        """Map a series of codes; return a frame with columns ``code_2026`` and ``status``."""
        pairs = [self.to_2026(c) for c in codes]
        return pd.DataFrame(
            {
                "code_2026": pd.Series([p[0] for p in pairs], index=codes.index, dtype=object),
                "status": pd.Series([p[1] for p in pairs], index=codes.index, dtype=object),
            }
        )


def compute_code_map(communes: pd.DataFrame, older: pd.DataFrame) -> CodeMap:
    """Build a :class:`CodeMap` from staged COG frames.

    Parameters
    ----------
    communes : DataFrame
        Current communes, column ``insee_com``.
    older : DataFrame
        Columns ``ancien_code`` and ``insee_com`` (the current code it belongs to).

    Returns
    -------
    CodeMap
    """
    current = frozenset(communes["insee_com"])
    mapping = {a: c for a, c in zip(older["ancien_code"], older["insee_com"], strict=True) if a not in current}
    return CodeMap(current, mapping)


def code_map_from_mart(communes: pd.DataFrame, codes: pd.DataFrame) -> CodeMap:
    """Rebuild the ETL's :class:`CodeMap` from the ``communes`` and ``codes_communes`` marts.

    The app uses it to bring the commune codes of a user's list to the COG 2026.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart (or any frame with a column ``insee_com`` of current codes). The
        mart covers métropole and the DROM: a code of a COM (Saint-Martin, Polynésie…) is
        ``unknown`` unless the caller adds it to ``communes``.
    codes : DataFrame
        The ``codes_communes`` mart: columns ``ancien_code`` and ``insee_com``.

    Returns
    -------
    CodeMap

    Raises
    ------
    KeyError
        When a frame lacks its column (names the missing columns).

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_com": ["01015"]})
    >>> codes = pd.DataFrame({"ancien_code": ["01340"], "insee_com": ["01015"]})
    >>> code_map_from_mart(communes, codes).to_2026("1340")
    ('01015', 'remapped')
    """
    for name, frame, needed in (
        ("communes", communes, ("insee_com",)),
        ("codes_communes", codes, ("ancien_code", "insee_com")),
    ):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise KeyError(
                f"the {name} frame lacks column(s) {', '.join(missing)} (got {', '.join(map(str, frame.columns))}); "
                "rebuild the marts with python -m etl build"
            )
    current = communes["insee_com"].dropna().astype(str)
    older = codes.dropna(subset=["ancien_code", "insee_com"])
    return compute_code_map(
        pd.DataFrame({"insee_com": current}),
        pd.DataFrame({"ancien_code": older["ancien_code"].astype(str), "insee_com": older["insee_com"].astype(str)}),
    )
