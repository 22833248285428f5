"""The maximal covering solvers against brute force on tiny instances."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from core.analysis.covering import (
    OPTIMAL,
    CoveringInputError,
    CoveringProblem,
    compute_upper_bound,
    order_by_gain,
    solve_greedy,
)
from core.analysis.covering_exact import solve_exact


def problem_from(sets: list[set[int]], weights: list[float], groups: list[int] | None = None) -> CoveringProblem:
    """A problem written as plain sets: site j reaches the demand units of ``sets[j]``."""
    indptr = np.concatenate([[0], np.cumsum([len(s) for s in sets])])
    indices = np.array([d for s in sets for d in sorted(s)], dtype=np.int32)
    return CoveringProblem(
        np.array(weights, dtype=float), indptr, indices, np.array(groups or [-1] * len(sets), dtype=np.int64)
    )


def brute_force(sets: list[set[int]], weights: list[float], n: int, groups: list[int] | None = None) -> float:
    """The optimum by enumerating every choice of at most ``n`` sites, at most one per group."""
    groups = groups or [-1] * len(sets)
    best = 0.0
    for size in range(1, n + 1):
        for choice in itertools.combinations(range(len(sets)), size):
            taken = [groups[j] for j in choice if groups[j] >= 0]
            if len(taken) != len(set(taken)):
                continue
            reached = set().union(*(sets[j] for j in choice))
            best = max(best, sum(weights[d] for d in reached))
    return best


# Greedy takes the big site 0 first and ends at 5; the optimum is sites 1 and 2 (6).
TRAP = ([{0, 1, 2, 3}, {0, 1, 4}, {2, 3, 5}], [1.0] * 6)


def test_greedy_falls_in_the_trap_and_the_exact_solver_does_not():
    sets, weights = TRAP
    problem = problem_from(sets, weights)
    greedy = solve_greedy(problem, 2)
    exact = solve_exact(problem, 2, 10, greedy)
    assert greedy.sites[0] == 0 and greedy.value == 5
    assert exact.value == brute_force(sets, weights, 2) == 6
    assert sorted(exact.sites) == [1, 2] and exact.status == OPTIMAL and exact.gap == 0
    assert greedy.bound >= 6  # the greedy bound holds the optimum


def test_one_site_per_group_is_respected():
    sets, weights = TRAP
    groups = [-1, 7, 7]  # sites 1 and 2 in the same arrondissement
    problem = problem_from(sets, weights, groups)
    greedy = solve_greedy(problem, 2)
    exact = solve_exact(problem, 2, 10, greedy)
    assert exact.value == brute_force(sets, weights, 2, groups) == 5
    assert problem.respects_groups(exact.sites) and problem.respects_groups(greedy.sites)


def random_instance(seed: int):
    rng = np.random.default_rng(seed)
    n_sites, n_demand = int(rng.integers(4, 9)), int(rng.integers(5, 13))
    sets = [set(rng.choice(n_demand, size=int(rng.integers(1, 5)), replace=False).tolist()) for _ in range(n_sites)]
    weights = rng.integers(1, 20, size=n_demand).astype(float).tolist()
    groups = rng.integers(-1, 3, size=n_sites).tolist() if seed % 2 else None
    return sets, weights, groups


@pytest.mark.parametrize("seed", range(24))
def test_exact_finds_the_brute_force_optimum_and_greedy_never_beats_it(seed):
    sets, weights, groups = random_instance(seed)
    problem = problem_from(sets, weights, groups)
    for n in (1, 2, 3):
        optimum = brute_force(sets, weights, n, groups)
        greedy = solve_greedy(problem, n)
        # first_columns=1: the first relaxation holds the greedy sites and one more, the pricing adds the rest
        exact = solve_exact(problem, n, 10, greedy, first_columns=1)
        assert exact.value == pytest.approx(optimum)
        assert exact.status == OPTIMAL and exact.bound == pytest.approx(optimum, rel=1e-4)
        assert greedy.value <= optimum + 1e-9 <= greedy.bound + 1e-9
        guarantee = 0.5 if groups else 1 - 1 / math.e  # partition matroid, cardinality
        assert greedy.value >= guarantee * optimum - 1e-9
        for solution in (greedy, exact):
            assert len(solution.sites) <= n and problem.respects_groups(solution.sites)
            assert problem.value(solution.sites) == pytest.approx(solution.value)
            assert sum(solution.gains) == pytest.approx(solution.value)


@pytest.mark.parametrize("seed", range(6))
def test_curve_never_decreases_and_greedy_plans_are_nested(seed):
    sets, weights, groups = random_instance(seed)
    problem = problem_from(sets, weights, groups)
    longest = solve_greedy(problem, 4)
    assert all(g >= 0 for g in longest.gains)
    assert np.all(np.diff(longest.curve) >= 0)
    for k in range(1, len(longest.sites) + 1):
        assert solve_greedy(problem, k).sites == longest.sites[:k]


def test_upper_bound_holds_from_any_solution():
    rng = np.random.default_rng(3)
    for seed in range(10):
        sets, weights, groups = random_instance(seed)
        problem = problem_from(sets, weights, groups)
        some = rng.choice(problem.n_sites, size=1, replace=False)
        covered = np.zeros(len(weights), dtype=bool)
        covered[problem.reached(int(some[0]))] = True
        for n in (1, 2, 3):
            bound = compute_upper_bound(problem, covered, problem.value(some), n)
            assert bound >= brute_force(sets, weights, n, groups) - 1e-9


def test_order_by_gain_puts_the_largest_first_and_keeps_the_total():
    sets, weights = TRAP
    problem = problem_from(sets, weights)
    order, gains = order_by_gain(problem, [2, 1, 0])
    assert order == (0, 1, 2) and gains == (4.0, 1.0, 1.0)


def test_reduced_gain_fixing_leaves_sites_out_and_keeps_the_optimum(monkeypatch):
    """16 sites reaching 2 to 5 of 30 demand units (seed 46, found to have an integrality gap): the
    greedy misses the optimum, the relaxation's bound fixes sites out of the last programme."""
    import core.analysis.covering_exact as covering_exact

    rng = np.random.default_rng(46)
    sets = [set(rng.choice(30, size=int(rng.integers(2, 6)), replace=False).tolist()) for _ in range(16)]
    weights = rng.integers(1, 20, size=30).astype(float).tolist()
    problem = problem_from(sets, weights)
    programmes: list[int] = []
    real = covering_exact._solve_on

    def recording(problem, sites, *args):
        programmes.append(len(sites))
        return real(problem, sites, *args)

    monkeypatch.setattr(covering_exact, "_solve_on", recording)
    greedy = solve_greedy(problem, 3)
    exact = solve_exact(problem, 3, 20, greedy, first_columns=3)
    assert greedy.value < exact.value == brute_force(sets, weights, 3)
    assert exact.status == OPTIMAL
    assert len(programmes) == 2 and programmes[-1] < 16  # the last programme left sites out


def test_a_problem_with_nothing_to_reach_gives_an_empty_plan():
    problem = problem_from([{0}, {1}], [0.0, 0.0])
    greedy = solve_greedy(problem, 2)
    assert greedy.sites == () and greedy.value == 0 and greedy.bound == 0
    assert solve_exact(problem, 2, 5, greedy).sites == ()


@pytest.mark.parametrize("n", [0, -1, 1.5])
def test_a_bad_number_of_sites_is_refused(n):
    with pytest.raises(CoveringInputError, match="number of sites"):
        solve_greedy(problem_from(*TRAP), n)


def test_a_bad_time_limit_or_malformed_problem_is_refused():
    problem = problem_from(*TRAP)
    with pytest.raises(CoveringInputError, match="time limit"):
        solve_exact(problem, 1, 0, solve_greedy(problem, 1))
    with pytest.raises(CoveringInputError, match="outside the weights"):
        problem_from([{0, 9}], [1.0])
    with pytest.raises(CoveringInputError, match="non-negative"):
        problem_from([{0}], [-1.0])
