"""Checks a mart must pass before it is published: its declared schema, and no personal data."""

from __future__ import annotations

import pandas as pd

from core.domain.text import EMAIL_RE
from core.mart_schemas import check_mart
from etl.errors import EtlError


def check_mart_schemas(marts: dict[str, pd.DataFrame]) -> None:
    """Refuse to publish a mart that breaks its declared schema (``core/mart_schemas.py``)."""
    problems = {name: check_mart(name, frame) for name, frame in marts.items()}
    broken = {name: found for name, found in problems.items() if found}
    if broken:
        detail = " | ".join(f"{name}: {'; '.join(found)}" for name, found in broken.items())
        raise EtlError(
            f"marts break their declared schema ({detail}). Fix the mart builder or declare the change in "
            "core/mart_schemas.py (the app reads the marts by that contract)."
        )


def check_no_personal_data(marts: dict[str, pd.DataFrame]) -> None:
    """Refuse to publish a mart holding anything shaped like an e-mail address."""
    for name, frame in marts.items():
        for column in frame.columns:
            if frame[column].dtype.kind in "OUT" or str(frame[column].dtype) in ("str", "string"):
                values = frame[column].dropna().astype(str)
                hits = values[values.str.contains(EMAIL_RE)]
                if len(hits):
                    raise EtlError(
                        f"mart {name}, column {column}: {len(hits)} value(s) look like e-mail "
                        "addresses; personal data must not reach a mart. Fix the staging of its source."
                    )
