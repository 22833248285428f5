"""Concentration of places between territories: Lorenz curve, Gini (with a random baseline), HHI."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.domain.formatting import format_number


def compute_lorenz(counts: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Lorenz curve of ``counts`` (Fabriques) against ``weights`` (population), territories
    sorted by Fabriques per inhabitant. Starts at (0, 0) and ends at (1, 1)."""
    frame = pd.DataFrame({"c": counts.astype(float), "w": weights.astype(float)})
    frame = frame[frame["w"] > 0]
    frame = frame.assign(rate=frame["c"] / frame["w"]).sort_values("rate")
    x = np.concatenate([[0.0], frame["w"].cumsum() / frame["w"].sum()])
    total = frame["c"].sum()
    y = np.concatenate([[0.0], frame["c"].cumsum() / total]) if total else np.zeros(len(frame) + 1)
    return pd.DataFrame({"part_population": x, "part_fabriques": y})


def compute_gini(lorenz: pd.DataFrame) -> float:
    """Gini coefficient from a Lorenz curve (trapezoids): 0 = equal per inhabitant, 1 = all in one."""
    x, y = lorenz["part_population"].to_numpy(), lorenz["part_fabriques"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    return 1 - 2 * area


def compute_gini_rows(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gini coefficient of each row of ``counts`` against the same positive ``weights``, at once.

    The same figure as ``compute_gini(compute_lorenz(row, weights))`` for every row (territories
    sorted by count per weight, trapezoids under the curve), without a frame per row: the Gini of
    300 random draws is one array operation instead of 300 Lorenz frames.

    Parameters
    ----------
    counts
        Array of shape (rows, territories), each row with a positive total.
    weights
        Array of shape (territories,), every weight positive.

    Examples
    --------
    >>> compute_gini_rows(np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([1.0, 1.0])).round(2).tolist()
    [0.0, 0.5]
    """
    order = np.argsort(counts / weights, axis=1, kind="stable")
    c = np.take_along_axis(counts, order, axis=1)
    w = weights[order]
    x = np.concatenate([np.zeros((len(c), 1)), np.cumsum(w, axis=1) / weights.sum()], axis=1)
    y = np.concatenate([np.zeros((len(c), 1)), np.cumsum(c, axis=1) / c.sum(axis=1, keepdims=True)], axis=1)
    area = np.sum((x[:, 1:] - x[:, :-1]) * (y[:, 1:] + y[:, :-1]) / 2, axis=1)
    return 1 - 2 * area


def compute_hhi(counts: pd.Series) -> float:
    """Herfindahl-Hirschman index of the shares of Fabriques across territories (0–10,000)."""
    total = counts.sum()
    return float(((counts / total * 100) ** 2).sum()) if total else float("nan")


def compute_gini_baseline(weights: pd.Series, n: int, draws: int = 300, seed: int = 0) -> dict[str, float]:
    """Gini expected if ``n`` places were drawn at random in proportion to ``weights``.

    With few places per territory, even a perfectly fair (population-proportional) random
    allocation has a Gini well above 0: this baseline tells how much of the observed
    concentration small numbers alone explain.

    Returns
    -------
    dict
        ``mean``, ``p05``, ``p95`` of the simulated Gini coefficients.
    """
    w = weights.astype(float).to_numpy()
    w = w[w > 0]
    if n <= 0 or len(w) == 0:
        return {"mean": float("nan"), "p05": float("nan"), "p95": float("nan")}
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, w / w.sum(), size=draws)
    ginis = compute_gini_rows(sims.astype(float), w)
    return {
        "mean": float(np.mean(ginis)),
        "p05": float(np.quantile(ginis, 0.05)),
        "p95": float(np.quantile(ginis, 0.95)),
    }


@dataclass(frozen=True)
class Concentration:
    """How concentrated the places are between territories: Lorenz curve, Gini (with the random
    baseline of as many places drawn in proportion to population) and HHI."""

    lorenz: pd.DataFrame
    gini: float
    hhi: float
    baseline: dict[str, float]
    places: int
    territories: int

    def describe(self, of: str) -> str:
        """The one-line summary (French); ``of`` names the territories (« départements »)."""
        b = self.baseline
        return (
            f"Gini de {format_number(self.gini, 2)} entre {format_number(self.territories)} {of} ; un tirage au "
            f"hasard proportionnel à la population de {format_number(self.places)} lieux donnerait en moyenne "
            f"{format_number(b['mean'], 2)} (90 % des tirages entre {format_number(b['p05'], 2)} et "
            f"{format_number(b['p95'], 2)})."
        )


def compute_concentration(territories: pd.DataFrame, places: pd.DataFrame, code: str) -> Concentration:
    """Concentration of ``places`` between ``territories`` (a territorial mart restricted to the scope,
    with ``population`` and the ``code`` column); places outside these territories are not counted."""
    counts = territories[code].map(places[code].value_counts()).fillna(0)
    lorenz = compute_lorenz(counts, territories["population"])
    n = int(counts.sum())
    return Concentration(
        lorenz,
        compute_gini(lorenz),
        compute_hhi(counts),
        compute_gini_baseline(territories["population"], n),
        n,
        len(territories),
    )
