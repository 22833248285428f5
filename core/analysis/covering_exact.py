"""The exact solver of the maximal covering problem (:mod:`core.analysis.covering`): HiGHS under a time
limit, with the bound it proves.

The integer programme of the whole country (about 34,000 candidate communes, 660,000 pairs within 10 km) is
too large for HiGHS's root relaxation within a page's patience (about a minute); it is solved in exact
steps that each keep the proof:

1. **A bound** (:func:`_prove`): multipliers of the demand rows from the linear relaxation, solved by
   column generation on a few sites at a time, improved by subgradient steps when time runs out. Any
   multipliers give a valid bound (:func:`_lagrangian`, weak duality), so a stop before the end stays
   honest.
2. **A better start**: the integer programme on the relaxation's sites only, solved fast.
3. **Reduced-gain fixing**: a site whose reduced gain makes the bound smaller than the start's value
   is in no better solution; the integer programme on the other sites, started from the best start,
   gives the optimum of the whole problem, and its bound the bound of the whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from core.analysis.covering import (
    EXACT,
    OPTIMAL,
    TIME_LIMIT,
    CoveringInputError,
    CoveringProblem,
    CoveringSolution,
    check_n,
    compute_slots,
    order_by_gain,
)

# Past this many sites left by the bound, HiGHS's root relaxation alone outlasts any time limit a page
# can afford: the start solution is kept with the bound proved.
MAX_PROGRAMME_SITES = 12_000


@dataclass(frozen=True)
class _Programme:
    """The linear programme of a problem in HiGHS's column-wise arrays, and the group of each group row."""

    arrays: tuple
    n_rows: int
    group_of_row: np.ndarray


def _programme(problem: CoveringProblem, n: int, integral: bool) -> _Programme:
    """Columns: one per site (binary when ``integral``), then one reach ``y_i ∈ [0, 1]`` per demand unit;
    rows: one per demand unit (``y_i`` ≤ the sites reaching it), the number of sites (≤ ``n``), one per
    group holding two sites or more (≤ 1)."""
    n_sites, n_demand = problem.n_sites, len(problem.weights)
    grouped = np.flatnonzero(problem.groups >= 0)
    group_ids, inverse, sizes = np.unique(problem.groups[grouped], return_inverse=True, return_counts=True)
    several = sizes[inverse] > 1
    row_groups, row_of = np.unique(inverse[several], return_inverse=True)
    site_row = np.full(n_sites, -1, dtype=np.int64)
    site_row[grouped[several]] = n_demand + 1 + row_of
    has_row = site_row >= 0

    degree = np.diff(problem.indptr)
    site_start = np.concatenate([[0], np.cumsum(degree + 1 + has_row)])
    nnz_sites = int(site_start[-1])
    index = np.empty(nnz_sites + n_demand, dtype=np.int32)
    value = np.ones(nnz_sites + n_demand, dtype=np.float64)
    within = np.arange(len(problem.indices)) - np.repeat(problem.indptr[:-1], degree)
    demand_pos = np.repeat(site_start[:-1], degree) + within
    index[demand_pos] = problem.indices
    value[demand_pos] = -1.0
    count_pos = site_start[:-1] + degree
    index[count_pos] = n_demand
    index[count_pos[has_row] + 1] = site_row[has_row]
    index[nnz_sites:] = np.arange(n_demand)
    col_start = np.concatenate([site_start[:-1], nnz_sites + np.arange(n_demand)]).astype(np.int32)

    n_rows = n_demand + 1 + len(row_groups)
    arrays = (
        np.concatenate([np.zeros(n_sites), problem.weights.astype(float)]),
        np.zeros(n_sites + n_demand),
        np.ones(n_sites + n_demand),
        np.full(n_rows, -np.inf),
        np.concatenate([np.zeros(n_demand), [float(n)], np.ones(len(row_groups))]),
        col_start,
        index,
        value,
        np.concatenate([np.full(n_sites, int(integral)), np.zeros(n_demand)]).astype(np.int32),
    )
    return _Programme(arrays, n_rows, group_ids[row_groups])


def _run(problem: CoveringProblem, n: int, integral: bool, seconds: float, start_sites=None):
    """Solve the programme of ``problem`` with HiGHS within ``seconds``; the solver and its programme."""
    import highspy

    programme = _programme(problem, n, integral)
    cost, lower, upper, row_lower, row_upper, col_start, index, value, integrality = programme.arrays
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(float(seconds), 0.01))
    highs.passModel(
        len(cost),
        programme.n_rows,
        len(index),
        int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMaximize),
        0.0,
        cost,
        lower,
        upper,
        row_lower,
        row_upper,
        col_start,
        index,
        value,
        integrality,
    )
    if start_sites is not None and len(start_sites):
        columns = np.asarray(start_sites, dtype=np.int32)
        highs.setSolution(len(columns), columns, np.ones(len(columns)))
    highs.run()
    return highs, programme


def _restrict(problem: CoveringProblem, sites: np.ndarray) -> tuple[CoveringProblem, np.ndarray]:
    """The problem on ``sites`` only, with the demand they reach; and the demand units kept."""
    pieces = [problem.reached(int(j)) for j in sites]
    reached = np.concatenate(pieces) if pieces else np.array([], dtype=np.int64)
    demand = np.unique(reached)
    position = np.full(len(problem.weights), -1, dtype=np.int64)
    position[demand] = np.arange(len(demand))
    indptr = np.concatenate([[0], np.cumsum([len(p) for p in pieces])]).astype(np.int64)
    indices = position[reached].astype(np.int32)
    return CoveringProblem(problem.weights[demand], indptr, indices, problem.groups[sites]), demand


@dataclass(frozen=True)
class _Relaxation:
    """The Lagrangian relaxation of the demand rows at multipliers ``u``: the bound it proves, each site's
    (non-positive) ``reduced`` gain, and the sites of the relaxed optimum (``chosen``)."""

    bound: float
    reduced: np.ndarray
    chosen: np.ndarray


def _lagrangian(problem: CoveringProblem, n: int, u: np.ndarray, owner: np.ndarray, slot: np.ndarray) -> _Relaxation:
    """Relax the demand rows with multipliers ``u ≥ 0``.

    Every solution of at most ``n`` sites, one per group, reaches at most
    ``Σ max(0, w_i − u_i) + the n largest slot bests of c_j`` where ``c_j = Σ u over site j's reach``
    (weak duality); a solution holding site ``j`` reaches at most the bound plus ``reduced[j]``, what
    ``j`` gives up against the relaxed optimum's choice.
    """
    gain = np.bincount(owner, weights=u[problem.indices], minlength=problem.n_sites)
    by_slot = np.lexsort((-gain, slot))
    first = by_slot[np.r_[True, slot[by_slot][1:] != slot[by_slot][:-1]]]  # each slot's best site
    best = np.zeros(int(slot.max()) + 1)
    best[slot[first]] = gain[first]
    top = first[np.argsort(-gain[first], kind="stable")[:n]]
    top = top[gain[top] > 0]
    last = float(gain[top[-1]]) if len(top) == n else 0.0
    in_top = np.zeros(len(best), dtype=bool)
    in_top[slot[top]] = True
    bound = float(np.maximum(problem.weights - u, 0.0).sum() + gain[top].sum())
    reduced = np.minimum(gain - np.where(in_top[slot], best[slot], last), 0.0)
    return _Relaxation(bound, reduced, top)


def _improve_multipliers(
    problem: CoveringProblem, n: int, u: np.ndarray, target: float, seconds: float, iterations: int = 300
) -> _Relaxation:
    """Subgradient steps on the multipliers from ``u`` toward a smaller bound; the best relaxation met.

    Steps of Held and Karp, ``θ (bound − target) / ‖g‖²`` along ``g_i`` = the relaxed optimum's sites
    reaching ``i`` minus one where ``u_i < w_i``; ``θ`` halves after 10 steps without a better bound.
    """
    ends = time.perf_counter() + seconds
    owner = np.repeat(np.arange(problem.n_sites), np.diff(problem.indptr))
    slot = compute_slots(problem)
    weights = problem.weights.astype(float)
    u = np.clip(u, 0.0, weights)
    best = current = _lagrangian(problem, n, u, owner, slot)
    theta, stale = 1.0, 0
    for _ in range(iterations):
        if time.perf_counter() >= ends or best.bound <= target * (1 + 1e-9) or theta < 1e-4:
            break
        reached = np.zeros(len(weights))
        for site in current.chosen:
            reached[problem.reached(int(site))] += 1.0
        direction = reached - (u < weights)
        norm = float(direction @ direction)
        if norm == 0:
            break
        u = np.clip(u - theta * max(current.bound - target, 1e-9) / norm * direction, 0.0, weights)
        current = _lagrangian(problem, n, u, owner, slot)
        if current.bound < best.bound - 1e-9:
            best, stale = current, 0
        else:
            stale += 1
            if stale >= 10:
                theta, stale = theta / 2, 0
    return best


def _price(problem: CoveringProblem, n: int, sites: np.ndarray, seconds: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Solve the linear relaxation on ``sites``; its multipliers ``u`` of every demand row (demand out of
    reach of ``sites`` at its full weight) and every site's reduced cost (> 0: it would improve the
    relaxation). None when HiGHS gave no duals."""
    sub, demand = _restrict(problem, sites)
    highs, programme = _run(sub, n, False, seconds)
    solution = highs.getSolution()
    if not solution.dual_valid:
        return None
    row_dual = np.maximum(np.asarray(solution.row_dual), 0.0)
    u = problem.weights.astype(float).copy()
    u[demand] = np.minimum(row_dual[: len(demand)], u[demand])
    count = float(row_dual[len(demand)])
    group_dual = dict(zip(programme.group_of_row.tolist(), row_dual[len(demand) + 1 :].tolist(), strict=True))
    owner = np.repeat(np.arange(problem.n_sites), np.diff(problem.indptr))
    gain = np.bincount(owner, weights=u[problem.indices], minlength=problem.n_sites)
    group_price = np.array([group_dual.get(g, 0.0) for g in problem.groups.tolist()])
    return u, gain - count - group_price


def _prove(
    problem: CoveringProblem, n: int, start: CoveringSolution, first_columns: int, seconds: float
) -> tuple[_Relaxation | None, np.ndarray]:
    """The tightest Lagrangian relaxation found in ``seconds``: multipliers from the linear relaxation by
    column generation (``first_columns`` sites first, those that would improve it added until none
    would), then, if time ran out before, subgradient steps (None when HiGHS gave no duals); and the
    sites of the last linear relaxation."""
    began = time.perf_counter()
    owner = np.repeat(np.arange(problem.n_sites), np.diff(problem.indptr))
    slot = compute_slots(problem)
    initial = problem.marginal_gains(np.zeros(len(problem.weights), dtype=bool))
    columns = np.union1d(np.array(start.sites, dtype=np.int64), np.argsort(-initial, kind="stable")[:first_columns])
    columns = columns[initial[columns] > 0]
    best, best_u = None, None
    pricing_ends = began + 0.7 * seconds
    while time.perf_counter() < pricing_ends:
        priced = _price(problem, n, columns, pricing_ends - time.perf_counter())
        if priced is None:
            break
        u, reduced_cost = priced
        relaxation = _lagrangian(problem, n, u, owner, slot)
        if best is None or relaxation.bound < best.bound:
            best, best_u = relaxation, u
        outside = np.setdiff1d(np.flatnonzero(reduced_cost > 1e-9 * max(1.0, start.value)), columns)
        if not len(outside):  # the relaxation's optimum: no multipliers prove a smaller bound
            return best, columns
        columns = np.union1d(columns, outside[np.argsort(-reduced_cost[outside])][: max(first_columns, 200)])
    if best is None:
        return None, columns
    improved = _improve_multipliers(problem, n, best_u, start.value, began + seconds - time.perf_counter())
    return (improved if improved.bound < best.bound else best), columns


def _solve_on(problem: CoveringProblem, sites: np.ndarray, n: int, seconds: float, start_sites: np.ndarray):
    """The integer programme on ``sites`` only (started from ``start_sites``, among them): the chosen
    sites, whether HiGHS proved them optimal there, and the bound it proved there."""
    import highspy

    sub, _ = _restrict(problem, sites)
    position = np.full(problem.n_sites, -1, dtype=np.int64)
    position[sites] = np.arange(len(sites))
    highs, _ = _run(sub, n, True, seconds, position[start_sites])
    status = highs.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kTimeLimit):
        raise CoveringInputError(f"HiGHS stopped without a solution ({highs.modelStatusToString(status)})")
    values = np.asarray(highs.getSolution().col_value)
    chosen = sites[np.flatnonzero(values[: len(sites)] > 0.5)] if len(values) else start_sites
    return chosen, status == highspy.HighsModelStatus.kOptimal, float(highs.getInfo().mip_dual_bound)


def solve_exact(
    problem: CoveringProblem,
    n: int,
    time_limit_s: float,
    start: CoveringSolution,
    first_columns: int = 1000,
) -> CoveringSolution:
    """The optimum for at most ``n`` sites, proved within ``time_limit_s`` seconds, else the best solution
    found with the bound proved so far (the three steps of the module's docstring; half the time goes to
    the bound at most). Past :data:`MAX_PROGRAMME_SITES` sites left by the bound, the start solution is
    returned with the bound.

    Parameters
    ----------
    problem : CoveringProblem
    n : int
        Number of sites, ≥ 1.
    time_limit_s : float
        Seconds, > 0, for the whole solve.
    start : CoveringSolution
        A feasible solution (the greedy one): the value to beat.
    first_columns : int
        Sites of the first linear relaxation (a test sets it low to exercise the pricing).

    Raises
    ------
    CoveringInputError
        When ``n`` is not a whole number ≥ 1, the time limit is not positive or HiGHS fails.
    """
    check_n(n)
    if not time_limit_s > 0:
        raise CoveringInputError(f"the time limit must be a positive number of seconds, got {time_limit_s!r}")
    began = time.perf_counter()
    deadline = began + float(time_limit_s)
    initial = problem.marginal_gains(np.zeros(len(problem.weights), dtype=bool))
    if not (initial > 0).any():
        return CoveringSolution((), (), 0.0, 0.0, EXACT, OPTIMAL, time.perf_counter() - began)

    def result(sites, gains, value, bound, proved) -> CoveringSolution:
        bound = max(value, bound)
        status = OPTIMAL if proved or bound <= value * (1 + 1e-4) else TIME_LIMIT
        return CoveringSolution(tuple(sites), tuple(gains), value, bound, EXACT, status, time.perf_counter() - began)

    best = start
    relaxation, columns = _prove(problem, n, start, first_columns, float(time_limit_s) / 2)
    bound = min(start.bound, relaxation.bound) if relaxation is not None else start.bound
    if relaxation is not None and bound > best.value * (1 + 1e-9) and time.perf_counter() < deadline:
        # The relaxation's own sites hold a better start, found fast: a better start fixes more sites.
        chosen, _, _ = _solve_on(problem, columns, n, (deadline - time.perf_counter()) / 4, np.array(start.sites))
        sites, gains = order_by_gain(problem, chosen)
        if sum(gains) > best.value:
            best = replace(best, sites=sites, gains=gains, value=float(sum(gains)))
    if bound <= best.value * (1 + 1e-9) or time.perf_counter() >= deadline:
        return result(best.sites, best.gains, best.value, bound, False)
    best_sites = np.array(best.sites, dtype=np.int64)
    keep = np.flatnonzero(initial > 0)
    if relaxation is not None:
        slack = 1e-7 * max(1.0, best.value)
        keep = np.union1d(keep[bound + relaxation.reduced[keep] >= best.value - slack], best_sites)
    if len(keep) > MAX_PROGRAMME_SITES:
        return result(best.sites, best.gains, best.value, bound, False)
    chosen, proved, sub_bound = _solve_on(problem, keep, n, deadline - time.perf_counter(), best_sites)
    sites, gains = order_by_gain(problem, chosen)
    if sum(gains) < best.value:  # the time limit struck before HiGHS took the start solution
        sites, gains = best.sites, best.gains
    # Solutions outside ``keep`` reach less than ``best``: the bound on ``keep`` holds for all.
    return result(sites, gains, float(sum(gains)), min(bound, sub_bound), proved)
