"""Sharing an envelope: exact totals, floors and caps, infeasible settings, determinism."""

import numpy as np
import pandas as pd
import pytest

from core.schemes.allocation import AllocationError, compute_allocation


def frame(weights: list[float], column: str = "poids") -> pd.DataFrame:
    """Candidates ``c00, c01…`` (codes sort like their order) with one weight column."""
    return pd.DataFrame({"siren_epci": [f"c{i:02d}" for i in range(len(weights))], column: weights})


def random_case(seed: int) -> tuple[pd.DataFrame, int]:
    """Random sizes (1 to 60 candidates), skewed weights with some zeros, awkward envelopes."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 61))
    weights = np.round(rng.lognormal(8, 2, n)).astype(int)
    weights[rng.random(n) < 0.15] = 0
    if weights.sum() == 0:
        weights[0] = 1
    envelope = int(rng.integers(n, 2_000_000))
    candidates = frame(list(weights)).assign(population=weights)
    return candidates, envelope


@pytest.fixture
def three():
    """Three candidates, weights 1 / 2 / 7: proportional shares of 100 € are 10 / 20 / 70."""
    return frame([1, 2, 7])


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize(
    ("method", "column"),
    [("egal", None), ("population", None), ("besoin", "poids")],
)
def test_every_method_adds_up_exactly_to_the_envelope(seed, method, column):
    candidates, envelope = random_case(seed)
    out = compute_allocation(candidates, envelope, method, column)
    assert out["montant"].sum() == envelope
    assert out["montant"].dtype == "int64"
    assert (out["montant"] >= 0).all()
    assert out["part"].sum() == pytest.approx(1)
    assert list(out["siren_epci"]) == list(candidates["siren_epci"])  # same rows, same order
    if method != "egal":
        exact = envelope * candidates["poids"] / candidates["poids"].sum()
        assert (out["montant"] - exact).abs().max() < 1  # largest remainder: within one euro


@pytest.mark.parametrize("seed", range(40))
def test_floor_and_cap_are_respected(seed):
    candidates, envelope = random_case(seed)
    n = len(candidates)
    rng = np.random.default_rng(1000 + seed)
    floor = int(rng.integers(0, envelope // n + 1))
    cap = int(rng.integers(-(-envelope // n), envelope + 1))
    out = compute_allocation(candidates, envelope, "besoin", "poids", floor=floor, cap=cap)
    assert out["montant"].sum() == envelope
    assert out["montant"].between(floor, cap).all()
    assert (out.loc[out["contraint"] == "plancher", "montant"] == floor).all()
    assert (out.loc[out["contraint"] == "plafond", "montant"] == cap).all()


@pytest.mark.parametrize(
    ("envelope", "weights", "floor", "cap", "expected", "constraints"),
    [
        # equal shares of 100 between 3: one euro left, to the smallest code
        (100, None, None, None, [34, 33, 33], ["", "", ""]),
        (100, [1, 2, 7], None, None, [10, 20, 70], ["", "", ""]),
        # floor 20: the first is raised to 20; then the second's share of the 80 left (17,8) is below
        # the floor too, so it is raised as well and the third gets the 60 left (a second round)
        (100, [1, 2, 7], 20, None, [20, 20, 60], ["plancher", "plancher", ""]),
        # floor 15: only the first is raised, the 85 left shared 2:7
        (100, [1, 2, 7], 15, None, [15, 19, 66], ["plancher", "", ""]),
        # cap 50: the third is limited, 50 shared 1:2 between the others
        (100, [1, 2, 7], None, 50, [17, 33, 50], ["", "", "plafond"]),
        # both: 25 floor, 50 cap
        (100, [1, 2, 7], 25, 50, [25, 25, 50], ["plancher", "", "plafond"]),
        # a zero weight gets the floor (or nothing without a floor)
        (100, [0, 1, 1], None, None, [0, 50, 50], ["", "", ""]),
        (100, [0, 1, 1], 10, None, [10, 45, 45], ["plancher", "", ""]),
        # every weighted candidate capped: the rest goes to the zero weight
        (100, [0, 1, 1], None, 40, [20, 40, 40], ["", "plafond", "plafond"]),
        # floor × n == envelope and cap × n == envelope are feasible (everyone at the bound)
        (90, [1, 2, 7], 30, None, [30, 30, 30], ["plancher", "plancher", ""]),
        (90, [1, 2, 7], None, 30, [30, 30, 30], ["", "plafond", "plafond"]),
    ],
)
def test_hand_computed_allocations(envelope, weights, floor, cap, expected, constraints):
    candidates = frame(weights or [1, 1, 1])
    method = "egal" if weights is None else "besoin"
    out = compute_allocation(candidates, envelope, method, "poids", floor=floor, cap=cap)
    assert out["montant"].tolist() == expected
    assert out["contraint"].tolist() == constraints


def test_ties_go_to_the_smallest_code_whatever_the_row_order():
    candidates = frame([1, 1, 1, 1, 1, 1, 1])
    shuffled = candidates.sample(frac=1, random_state=3)
    a = compute_allocation(candidates, 10, "egal").set_index("siren_epci")["montant"]
    b = compute_allocation(shuffled, 10, "egal").set_index("siren_epci")["montant"]
    assert a.to_dict() == b.to_dict() == {"c00": 2, "c01": 2, "c02": 2, "c03": 1, "c04": 1, "c05": 1, "c06": 1}


def test_same_input_same_output_and_input_untouched():
    candidates, envelope = random_case(7)
    before = candidates.copy()
    first = compute_allocation(candidates, envelope, "population", floor=1, cap=envelope)
    second = compute_allocation(candidates, envelope, "population", floor=1, cap=envelope)
    pd.testing.assert_frame_equal(first, second)
    pd.testing.assert_frame_equal(candidates, before)
    assert "montant" not in candidates.columns


def test_population_method_reads_the_population_column():
    candidates = frame([0, 0]).assign(population=[3000, 1000])
    assert compute_allocation(candidates, 1000, "population")["montant"].tolist() == [750, 250]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"envelope": 100, "floor": 40}, "Plancher impossible : 3 candidats × 40"),
        ({"envelope": 100, "floor": 40}, "Abaissez le plancher à 33"),
        ({"envelope": 100, "cap": 30}, "Plafond impossible : 3 candidats × 30"),
        ({"envelope": 100, "cap": 30}, "Relevez le plafond à 34"),
        ({"envelope": 100, "floor": 30, "cap": 20}, "dépasse le plafond"),
        ({"envelope": 100, "floor": -1}, "positifs ou nuls"),
        ({"envelope": 0}, "L'enveloppe doit être positive"),
        ({"envelope": 100.5}, "nombre entier d'euros"),
        ({"envelope": 100, "floor": 10.5}, "Le plancher doit être un nombre entier"),
        ({"envelope": 100, "method": "tirage"}, "Méthode inconnue"),
        ({"envelope": 100, "method": "besoin", "weight_column": None}, "demande un indicateur"),
        ({"envelope": 100, "method": "besoin", "weight_column": "absente"}, "« absente » est absent"),
        ({"envelope": 100, "method": "population", "weight_column": None}, "« population » est absent"),
    ],
)
def test_infeasible_settings_say_what_to_change(three, kwargs, message):
    args = {"method": "besoin", "weight_column": "poids", **kwargs}
    with pytest.raises(AllocationError, match=message):
        compute_allocation(three, **args)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([0, 0, 0], "vaut 0 pour tous les candidats"),
        ([1, -2, 3], "négatif pour 1 candidat"),
        ([1, None, 3], "manque pour 1 candidat"),
    ],
)
def test_bad_weights_raise(weights, message):
    with pytest.raises(AllocationError, match=message):
        compute_allocation(frame(weights), 100, "besoin", "poids")


def test_no_candidate_and_duplicated_codes_raise():
    with pytest.raises(AllocationError, match="Aucun candidat"):
        compute_allocation(frame([]), 100, "egal")
    twice = pd.DataFrame({"siren_epci": ["a", "a"], "poids": [1, 2]})
    with pytest.raises(AllocationError, match="en double"):
        compute_allocation(twice, 100, "egal")
    assert issubclass(AllocationError, ValueError)


@pytest.mark.parametrize("seed", range(40))
def test_water_filling_shares_the_rest_in_proportion(seed):
    """Unconstrained candidates get one common amount per unit of weight (within a euro); candidates
    raised to the floor would have got less at that rate, capped ones more."""
    candidates, envelope = random_case(seed)
    n = len(candidates)
    rng = np.random.default_rng(2000 + seed)
    floor = int(rng.integers(0, envelope // n + 1))
    cap = int(rng.integers(-(-envelope // n), envelope + 1))
    out = compute_allocation(candidates, envelope, "besoin", "poids", floor=floor, cap=cap)
    free = out[(out["contraint"] == "") & (out["poids"] > 0)]
    if free.empty:
        return
    rate = free["montant"].sum() / free["poids"].sum()
    assert (free["montant"] - rate * free["poids"]).abs().max() < 1 + 1e-6
    assert (rate * out.loc[out["contraint"] == "plancher", "poids"] <= floor + 1).all()
    assert (rate * out.loc[out["contraint"] == "plafond", "poids"] >= cap - 1).all()
