"""The EPCI profile of a région on a tiny hand-built frame."""

import pandas as pd
import pytest

from core.schemes.region_sud import PROFILE_COLUMNS, ProfileInputError, compute_region_epci_profile


@pytest.fixture
def communes():
    """Six communes, three EPCI and a commune without EPCI.

    - EPCI ``A`` is wholly in région 93 (two communes, one urban with a QPV, one rural far from
      any Fabrique);
    - EPCI ``B`` straddles 93 and 84: one commune in each (the one in 84 is the larger, PVD and
      hosts a Fabrique and a 2019 tiers-lieu);
    - EPCI ``C`` is wholly in 84 and must not appear;
    - commune ``93X`` of région 93 has no EPCI (reported, left out).
    """
    return pd.DataFrame(
        {
            "insee_com": ["a1", "a2", "b1", "b2", "c1", "93X"],
            "insee_reg": ["93", "93", "93", "84", "84", "93"],
            "siren_epci": ["A", "A", "B", "B", "C", None],
            "nom_epci": ["CA Alpha", "CA Alpha", "CC Bêta", "CC Bêta", "CC Gamma", None],
            "type_epci": ["CA", "CA", "CC", "CC", "CC", None],
            "population": pd.array([10_000, 500, 300, 2_000, 900, 50], dtype="Int64"),
            "densite_3": pd.array(["Urbain dense", "Rural", "Rural", "Urbain intermédiaire", "Rural", "Rural"]),
            "qpv_population": [1_200.0, None, None, 0.0, None, None],
            "distance_fabrique_m": [1_000.0, 25_000.0, 30_000.0, 0.0, 5_000.0, 40_000.0],
            "pvd": [False, False, False, True, True, False],
            "acv": [True, False, False, False, False, False],
        }
    )


@pytest.fixture
def fabriques():
    """A 2020-2021 Fabrique in a1, a 2023 one in b2 (région 84 part of B), one in C."""
    return pd.DataFrame({"insee_com": ["a1", "b2", "c1"], "cohort": ["2020-2021", "2023", "2020-2021"]})


@pytest.fixture
def tiers_lieux():
    """Tiers-lieux 2019: two in b2, one in the commune without EPCI."""
    return pd.DataFrame({"insee_com": ["b2", "b2", "93X"]})


def test_one_row_per_epci_touching_the_region_counted_whole(communes, fabriques, tiers_lieux):
    out = compute_region_epci_profile(communes, fabriques, tiers_lieux, "93").set_index("siren_epci")
    assert list(out.index) == ["A", "B"]  # sorted by name; C (wholly in 84) left out
    assert out.attrs["communes_sans_epci"] == 1
    a, b = out.loc["A"], out.loc["B"]
    assert bool(a["entierement_dans_la_region"]) and not bool(b["entierement_dans_la_region"])
    assert (b["autres_regions"], a["autres_regions"]) == ("84", "")
    # B is counted over both communes; the part in the région is given beside
    assert (b["communes_region"], b["communes"]) == (1, 2)
    assert (b["population_region"], b["population"]) == (300, 2_300)
    assert b["part_population_region"] == pytest.approx(300 / 2_300)
    assert (b["fabriques"], b["fabriques_2023"], b["tiers_lieux_2019"], b["communes_pvd"]) == (1, 1, 2, 1)
    assert (b["population_rurale"], b["population_urbain_intermediaire"]) == (300, 2_000)
    assert b["part_population_rurale"] == pytest.approx(300 / 2_300)
    assert (a["population"], a["population_urbain_dense"], a["population_rurale"]) == (10_500, 10_000, 500)
    assert (a["qpv_population"], a["communes_acv"], a["fabriques_2020_2021"]) == (1_200, 1, 1)
    assert a["population_loin_fabrique"] == 500  # a2 at 25 km > 20 km
    assert b["population_loin_fabrique"] == 300


def test_distance_changes_only_the_far_population(communes, fabriques, tiers_lieux):
    near = compute_region_epci_profile(communes, fabriques, tiers_lieux, "93", distance_m=26_000)
    assert near["population_loin_fabrique"].tolist() == [0, 300]


def test_columns_and_empty_region(communes, fabriques, tiers_lieux):
    out = compute_region_epci_profile(communes, fabriques, tiers_lieux, "93")
    assert list(out.columns) == PROFILE_COLUMNS
    empty = compute_region_epci_profile(communes, fabriques, tiers_lieux, "11")
    assert empty.empty and list(empty.columns) == PROFILE_COLUMNS


def test_inputs_are_not_modified(communes, fabriques, tiers_lieux):
    before = communes.copy()
    compute_region_epci_profile(communes, fabriques, tiers_lieux, "93")
    pd.testing.assert_frame_equal(communes, before)


def test_missing_column_says_how_to_rebuild(communes, fabriques, tiers_lieux):
    with pytest.raises(ProfileInputError, match=r"densite_3.*python -m etl build"):
        compute_region_epci_profile(communes.drop(columns="densite_3"), fabriques, tiers_lieux, "93")
