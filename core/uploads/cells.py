"""A typed cell (a spreadsheet's number or date, a vector file's field) written as the text a user typed."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd


def cell_text(value: object) -> str:
    """The text of a cell: whole numbers without ``.0``, dates in ISO form, empty for a missing value.

    Examples
    --------
    >>> cell_text(1001.0), cell_text(150000.5), cell_text(dt.date(2021, 3, 30)), cell_text(None)
    ('1001', '150000.5', '2021-03-30', '')
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell_text(value.item())
    text = str(value)
    return "" if text in ("NaT", "nan", "<NA>") and not isinstance(value, str) else text.strip()
