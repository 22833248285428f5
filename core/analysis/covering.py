"""The maximal covering location problem: choose at most ``n`` sites so that the weight of the demand
within reach of at least one of them is the largest, with at most one site per group (the 2023 rule:
one new Fabrique per arrondissement).

Two solvers on the same :class:`CoveringProblem`:

- :func:`solve_greedy`: the greedy algorithm with lazy evaluation (CELF). Coverage is submodular, so
  the greedy value is at least ``1 − 1/e`` (63 %) of the optimum under the cardinality constraint
  alone, and at least half of it with the one-per-group constraint (a partition matroid). Its
  solution also gives a data-dependent upper bound on the optimum (:func:`compute_upper_bound`).
- :func:`core.analysis.covering_exact.solve_exact`: the integer programme, solved by HiGHS under a
  time limit; the bound proved and the relative gap are reported with the solution.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import dataclass

import numpy as np

GREEDY = "glouton"
EXACT = "exact"
OPTIMAL = "optimal"
TIME_LIMIT = "optimum non prouvé dans la limite de temps"


class CoveringInputError(ValueError):
    """A :class:`CoveringProblem` or a solver argument is malformed; the message says which."""


@dataclass(frozen=True)
class CoveringProblem:
    """Demand weights and, for each candidate site, the demand it reaches.

    Attributes
    ----------
    weights : ndarray of float
        Weight of each demand unit (population to reach), non-negative.
    indptr, indices : ndarray of int
        Compressed rows: the demand units site ``j`` reaches are ``indices[indptr[j]:indptr[j + 1]]``.
    groups : ndarray of int
        Group of each site (at most one chosen site per group); ``-1``: no group limit.
    """

    weights: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    groups: np.ndarray

    def __post_init__(self) -> None:
        if len(self.indptr) != len(self.groups) + 1:
            raise CoveringInputError(
                f"indptr has {len(self.indptr)} entries for {len(self.groups)} sites: it needs one more than sites"
            )
        if len(self.indices) != (self.indptr[-1] if len(self.indptr) else 0):
            raise CoveringInputError("indices and indptr disagree: indptr[-1] must be the number of indices")
        if len(self.indices) and (self.indices.min() < 0 or self.indices.max() >= len(self.weights)):
            raise CoveringInputError("a site reaches a demand unit outside the weights; check the indices")
        if len(self.weights) and np.nanmin(self.weights) < 0:
            raise CoveringInputError("demand weights must be non-negative")

    @property
    def n_sites(self) -> int:
        """Number of candidate sites."""
        return len(self.groups)

    def reached(self, site: int) -> np.ndarray:
        """The demand units ``site`` reaches."""
        return self.indices[self.indptr[site] : self.indptr[site + 1]]

    def value(self, sites) -> float:
        """Weight of the demand reached by at least one of ``sites``."""
        covered = np.zeros(len(self.weights), dtype=bool)
        for site in sites:
            covered[self.reached(int(site))] = True
        return float(self.weights[covered].sum())

    def marginal_gains(self, covered: np.ndarray) -> np.ndarray:
        """Each site's gain: the weight it reaches among the demand not yet ``covered``."""
        owner = np.repeat(np.arange(self.n_sites), np.diff(self.indptr))
        left = np.where(covered, 0.0, self.weights)
        return np.bincount(owner, weights=left[self.indices], minlength=self.n_sites)

    def respects_groups(self, sites) -> bool:
        """No two of ``sites`` share a group."""
        grouped = [int(self.groups[s]) for s in sites if self.groups[s] >= 0]
        return len(grouped) == len(set(grouped))


@dataclass(frozen=True)
class CoveringSolution:
    """Chosen sites in the order of their marginal gains, and what is known of the optimum.

    Attributes
    ----------
    sites : tuple of int
        Chosen sites; the first is the one that reaches the most, each next one the most of what is left.
    gains : tuple of float
        Marginal gain of each site in that order (their sum is ``value``).
    value : float
        Weight reached by the solution.
    bound : float
        An upper bound on the optimum for the same ``n`` and groups (``value`` when proved optimal).
    method : str
        :data:`GREEDY` or :data:`EXACT`.
    status : str
        :data:`OPTIMAL`, :data:`TIME_LIMIT` or :data:`GREEDY`.
    seconds : float
        Time the solver took.
    """

    sites: tuple[int, ...]
    gains: tuple[float, ...]
    value: float
    bound: float
    method: str
    status: str
    seconds: float

    @property
    def gap(self) -> float:
        """Relative gap ``(bound − value) / value`` (0 when proved optimal; HiGHS's definition)."""
        if self.value <= 0:
            return 0.0 if self.bound <= 0 else math.inf
        return max(0.0, (self.bound - self.value) / self.value)

    @property
    def curve(self) -> np.ndarray:
        """Weight reached by the first 1, 2, … sites of the solution."""
        return np.cumsum(np.asarray(self.gains, dtype=float))


def check_n(n: int) -> None:
    if int(n) != n or n < 1:
        raise CoveringInputError(f"the number of sites must be a whole number ≥ 1, got {n!r}")


def compute_slots(problem: CoveringProblem) -> np.ndarray:
    """Each site's slot: its group, or a slot of its own when ungrouped (at most one site per slot)."""
    grouped = problem.groups >= 0
    _, slot_of_group = np.unique(problem.groups[grouped], return_inverse=True)
    n_groups = int(slot_of_group.max()) + 1 if grouped.any() else 0
    slot = np.empty(problem.n_sites, dtype=np.int64)
    slot[grouped] = slot_of_group
    slot[~grouped] = n_groups + np.arange(int((~grouped).sum()))
    return slot


def compute_upper_bound(problem: CoveringProblem, covered: np.ndarray, value: float, n: int) -> float:
    """An upper bound on the optimum for ``n`` sites, from any solution reaching ``covered`` (weight ``value``).

    By submodularity the optimum is at most ``value`` plus the gains of its own ``n`` sites with
    respect to the solution; at most one per group, so at most the ``n`` largest among each group's
    best gain and each ungrouped site's gain.
    """
    gains = problem.marginal_gains(covered)
    slot = compute_slots(problem)
    best = np.zeros(int(slot.max()) + 1 if len(slot) else 0)
    np.maximum.at(best, slot, gains)
    return float(value + np.sort(best)[::-1][:n].sum())


def order_by_gain(problem: CoveringProblem, sites) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """``sites`` reordered as the greedy algorithm would pick them among themselves, with their gains.

    Gives every solution (exact or the 2023 wave's) the same reading: the first site reaches the most,
    each next one the most of what the previous ones left (ties to the lowest site, as in the greedy).
    """
    left = sorted(int(s) for s in sites)
    covered = np.zeros(len(problem.weights), dtype=bool)
    order, gains = [], []
    while left:
        values = [float(problem.weights[problem.reached(s)][~covered[problem.reached(s)]].sum()) for s in left]
        best = int(np.argmax(values))
        site = left.pop(best)
        order.append(site)
        gains.append(values[best])
        covered[problem.reached(site)] = True
    return tuple(order), tuple(gains)


def solve_greedy(problem: CoveringProblem, n: int) -> CoveringSolution:
    """The greedy solution with lazy evaluation (CELF) for at most ``n`` sites.

    Stops early when no site reaches anything more. Ties go to the site of lowest index. The bound is
    :func:`compute_upper_bound`, taken at the best of a few prefixes of the solution.

    Raises
    ------
    CoveringInputError
        When ``n`` is not a whole number ≥ 1.
    """
    check_n(n)
    start = time.perf_counter()
    covered = np.zeros(len(problem.weights), dtype=bool)
    initial = problem.marginal_gains(covered)
    heap = [(-g, j) for j, g in enumerate(initial.tolist()) if g > 0]
    heapq.heapify(heap)
    fresh_at = np.zeros(problem.n_sites, dtype=np.int64)  # the round each heap gain was computed in
    used_groups: set[int] = set()
    sites: list[int] = []
    gains: list[float] = []
    checkpoints = set(np.linspace(0, n, num=min(n, 8) + 1, dtype=int).tolist()) - {n}
    bound = math.inf
    while heap and len(sites) < n:
        negative, site = heapq.heappop(heap)
        group = int(problem.groups[site])
        if group >= 0 and group in used_groups:
            continue
        if fresh_at[site] == len(sites):
            if len(sites) in checkpoints:
                bound = min(bound, compute_upper_bound(problem, covered, float(sum(gains)), n))
            sites.append(site)
            gains.append(-negative)
            covered[problem.reached(site)] = True
            if group >= 0:
                used_groups.add(group)
            continue
        reached = problem.reached(site)
        gain = float(problem.weights[reached][~covered[reached]].sum())
        fresh_at[site] = len(sites)
        if gain > 0:
            heapq.heappush(heap, (-gain, site))
    value = float(problem.weights[covered].sum())
    bound = min(bound, compute_upper_bound(problem, covered, value, n))
    return CoveringSolution(
        tuple(sites), tuple(gains), value, max(bound, value), GREEDY, GREEDY, time.perf_counter() - start
    )
