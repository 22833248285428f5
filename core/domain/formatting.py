"""French number formatting: ``1 234,5 €`` with a narrow no-break space as thousands separator."""

from __future__ import annotations

import math

THOUSANDS = "\u202f"  # narrow no-break space (French typography)
NBSP = "\u00a0"


def format_number(value: float | int | None, decimals: int = 0, missing: str = "n.d.") -> str:
    """Format a number the French way.

    Examples
    --------
    >>> format_number(1234.5, 1)
    '1\\u202f234,5'
    >>> format_number(None)
    'n.d.'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    try:
        if value != value:  # pandas NA-like
            return missing
    except TypeError:
        return missing
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS)


def format_euros(value: float | int | None, decimals: int = 0) -> str:
    """``1 234 €`` (no-break space before the sign)."""
    text = format_number(value, decimals)
    return text if text == "n.d." else f"{text}{NBSP}€"


def format_percent(share: float | None, decimals: int = 1) -> str:
    """Format a share in [0, 1] as ``12,5 %``."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "n.d."
    return f"{format_number(share * 100, decimals)}{NBSP}%"


def format_columns(frame, columns: list[str], decimals: int = 0):
    """A copy of ``frame`` whose ``columns`` are French-formatted text (for display; exports keep numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> format_columns(pd.DataFrame({"n": [1234.0]}), ["n"])["n"].tolist()
    ['1\\u202f234']
    """
    return frame.assign(**{c: frame[c].map(lambda v: format_number(v, decimals)) for c in columns})
