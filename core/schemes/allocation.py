"""Share an envelope between candidates: equal shares, per inhabitant or by a need indicator.

Amounts are whole euros that add up exactly to the envelope (largest remainder method), with an
optional floor and cap per candidate applied by water-filling.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np
import pandas as pd

from core.domain.formatting import format_euros, format_number

METHODS: dict[str, str] = {
    "egal": "Parts égales",
    "population": "Au prorata de la population",
    "besoin": "Au prorata d'un indicateur de besoin",
}
# Relative tolerance when deciding whether a share sits on its floor or cap (float noise only).
_EPS = 1e-9


class AllocationError(ValueError):
    """The allocation cannot be computed; the message says what was wrong and what to change."""


def _check_integer(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise AllocationError(f"{name} doit être un nombre entier d'euros (reçu : {value!r}).")
    return int(value)


def _weights(candidates: pd.DataFrame, method: str, weight_column: str | None) -> np.ndarray:
    if method == "egal":
        return np.ones(len(candidates))
    column = weight_column or ("population" if method == "population" else None)
    if column is None:
        raise AllocationError(
            "La répartition « au prorata d'un indicateur de besoin » demande un indicateur : choisissez-en un."
        )
    if column not in candidates.columns:
        raise AllocationError(
            f"L'indicateur « {column} » est absent du tableau des candidats "
            f"(colonnes présentes : {', '.join(map(str, candidates.columns))}). Choisissez un autre indicateur."
        )
    values = pd.to_numeric(candidates[column], errors="coerce").astype(float)
    missing = values.isna()
    if missing.any():
        raise AllocationError(
            f"L'indicateur « {column} » manque pour {int(missing.sum())} candidat(s) : complétez-le, "
            "retirez ces candidats ou choisissez un autre indicateur."
        )
    if (values < 0).any():
        raise AllocationError(
            f"L'indicateur « {column} » est négatif pour {int((values < 0).sum())} candidat(s) : un poids de "
            "répartition doit être positif ou nul. Choisissez un autre indicateur."
        )
    if not values.sum() > 0:
        raise AllocationError(
            f"L'indicateur « {column} » vaut 0 pour tous les candidats : rien à répartir en proportion. "
            "Choisissez un autre indicateur ou ajoutez des candidats."
        )
    return values.to_numpy()


def _bounded_shares(weights: np.ndarray, envelope: int, floor: float, cap: float) -> tuple[np.ndarray, float]:
    """Exact water-filling: ``x_i = clip(lam * w_i, floor, cap)`` with ``sum(x) = envelope``.

    Fixing those below the floor at the floor, those above the cap at the cap and sharing the
    rest in proportion among the others, repeated until nothing moves, ends at this ``lam``;
    it is found here directly from the sorted break points of the piecewise linear total, so
    the result does not depend on the order in which constraints are fixed.
    """
    positive = weights > 0
    zero_count = int((~positive).sum())

    def total(lam: float) -> float:
        return float(np.clip(lam * weights[positive], floor, cap).sum()) + zero_count * floor

    w = weights[positive]
    points = np.unique(np.concatenate([[0.0], floor / w, cap / w if math.isfinite(cap) else []]))
    totals = np.array([total(p) for p in points])
    if totals[-1] < envelope and math.isfinite(cap):
        # Every weighted candidate is at its cap: the rest goes in equal parts to zero weights.
        x = np.where(positive, cap, (envelope - cap * positive.sum()) / max(zero_count, 1))
        return x, math.inf
    k = int(np.searchsorted(totals, envelope, side="right")) - 1
    k = min(max(k, 0), len(points) - 1)
    lam0 = points[k]
    inside = (lam0 * w >= floor * (1 - _EPS)) & (
        (lam0 * w < cap * (1 - _EPS)) if math.isfinite(cap) else np.ones(len(w), bool)
    )
    slope = float(w[inside].sum())
    lam = lam0 + (envelope - totals[k]) / slope if slope > 0 else lam0
    x = np.full(len(weights), floor, dtype=float)
    x[positive] = np.clip(lam * w, floor, cap)
    return x, lam


def _largest_remainder(x: np.ndarray, codes: pd.Series, envelope: int, floor: int, cap: float) -> np.ndarray:
    """Whole euros adding up to ``envelope``; ties broken by code (ascending)."""
    base = np.floor(x + 1e-7)
    base = np.clip(base, floor, cap).astype(np.int64)
    remainders = np.round(x - base, 9)
    gap = envelope - int(base.sum())
    order = pd.DataFrame({"r": remainders, "code": codes.astype(str).to_numpy(), "i": np.arange(len(x))})
    if gap > 0:
        eligible = order[base < cap].sort_values(["r", "code"], ascending=[False, True])
        base[eligible["i"].to_numpy()[:gap]] += 1
    elif gap < 0:
        eligible = order[base > floor].sort_values(["r", "code"], ascending=[True, True])
        base[eligible["i"].to_numpy()[:-gap]] -= 1
    return base


def compute_allocation(
    candidates: pd.DataFrame,
    envelope: int,
    method: str,
    weight_column: str | None = None,
    floor: int | None = None,
    cap: int | None = None,
    *,
    code_column: str = "siren_epci",
) -> pd.DataFrame:
    """Share ``envelope`` euros between ``candidates``.

    Parameters
    ----------
    candidates : DataFrame
        One row per candidate, with a unique ``code_column`` (used to break ties) and, for the
        ``"population"`` and ``"besoin"`` methods, the weight column.
    envelope : int
        Whole euros to share (> 0).
    method : {"egal", "population", "besoin"}
        Equal shares; in proportion to ``weight_column`` (default ``population``); in proportion
        to ``weight_column`` (a need indicator, required).
    weight_column : str, optional
        Column of non-negative weights, no missing value, not all zero.
    floor, cap : int, optional
        Minimum and maximum per candidate, in whole euros. Candidates whose proportional share
        falls below the floor get the floor, those above the cap get the cap, and what is left is
        shared in proportion among the others, until nothing moves (water-filling). When every
        weighted candidate is capped, the remainder goes in equal parts to zero-weight candidates.
    code_column : str
        Column of unique codes used to break ties in the rounding.

    Returns
    -------
    DataFrame
        A new frame: the candidates' columns, in their order, plus ``montant`` (int, euros),
        ``part`` (share of the envelope) and ``contraint`` (``"plancher"``, ``"plafond"`` or
        ``""``). ``montant`` adds up to ``envelope`` exactly: shares are rounded down, then the
        euros left go one by one to the largest remainders (ties: smallest code first).

    Raises
    ------
    AllocationError
        No candidate, unknown method, duplicated codes, bad weights (missing, negative, all
        zero), non-integer or negative amounts, floor above cap, ``floor × n > envelope`` or
        ``cap × n < envelope``; the message says what to change.

    Examples
    --------
    >>> frame = pd.DataFrame({"siren_epci": ["a", "b", "c"]})
    >>> compute_allocation(frame, 100, "egal")["montant"].tolist()
    [34, 33, 33]
    """
    if method not in METHODS:
        raise AllocationError(f"Méthode inconnue « {method} » : choisissez parmi {', '.join(METHODS)}.")
    envelope = _check_integer(envelope, "L'enveloppe")
    if envelope <= 0:
        raise AllocationError(f"L'enveloppe doit être positive (reçu : {format_euros(envelope)}).")
    n = len(candidates)
    if n == 0:
        raise AllocationError("Aucun candidat : choisissez au moins un EPCI à qui répartir l'enveloppe.")
    if code_column not in candidates.columns:
        raise AllocationError(f"Colonne de codes « {code_column} » absente du tableau des candidats.")
    codes = candidates[code_column]
    if codes.isna().any() or codes.duplicated().any():
        raise AllocationError(
            f"Codes « {code_column} » manquants ou en double parmi les candidats : chaque candidat doit "
            "apparaître une seule fois."
        )
    low = 0 if floor is None else _check_integer(floor, "Le plancher")
    high = None if cap is None else _check_integer(cap, "Le plafond")
    if low < 0 or (high is not None and high < 0):
        raise AllocationError("Le plancher et le plafond doivent être positifs ou nuls.")
    if high is not None and low > high:
        raise AllocationError(
            f"Le plancher ({format_euros(low)}) dépasse le plafond ({format_euros(high)}) : "
            "abaissez le plancher ou relevez le plafond."
        )
    if low * n > envelope:
        raise AllocationError(
            f"Plancher impossible : {format_number(n)} candidats × {format_euros(low)} = "
            f"{format_euros(low * n)}, plus que l'enveloppe de {format_euros(envelope)}. "
            f"Abaissez le plancher à {format_euros(envelope // n)} au plus ou retirez des candidats."
        )
    if high is not None and high * n < envelope:
        raise AllocationError(
            f"Plafond impossible : {format_number(n)} candidats × {format_euros(high)} = "
            f"{format_euros(high * n)}, moins que l'enveloppe de {format_euros(envelope)}. "
            f"Relevez le plafond à {format_euros(-(-envelope // n))} au moins ou ajoutez des candidats."
        )
    weights = _weights(candidates, method, weight_column)
    cap_value = math.inf if high is None else float(high)
    shares, lam = _bounded_shares(weights, envelope, float(low), cap_value)
    amounts = _largest_remainder(shares, codes, envelope, low, cap_value)
    # A constraint binds where the proportional share at the final level would cross it.
    with np.errstate(invalid="ignore"):
        level = np.where(weights > 0, lam * weights, 0.0 if math.isfinite(lam) else np.nan)
    at_cap = level > cap_value * (1 + _EPS)
    at_floor = (level < low * (1 - _EPS)) & ~at_cap
    out = candidates.copy()
    out["montant"] = amounts.astype("int64")
    out["part"] = out["montant"] / envelope
    out["contraint"] = np.where(at_cap, "plafond", np.where(at_floor, "plancher", ""))
    return out
