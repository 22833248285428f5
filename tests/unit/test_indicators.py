"""Indicators on tiny hand-made frames whose expected values are computed by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from core.analysis.concentration import (
    compute_gini,
    compute_gini_baseline,
    compute_gini_rows,
    compute_hhi,
    compute_lorenz,
)
from core.analysis.coverage import compute_arrondissements_without, compute_rate_per_100k
from core.analysis.key_figures import compute_estimated_funding, compute_key_figures
from core.analysis.profiles import compute_profile_comparison, format_profile_comparison
from core.analysis.qpv import compute_qpv_population_coverage, compute_qpv_sensitivity, compute_qpv_without_fabrique
from core.analysis.rural import compute_class_distribution, compute_population_beyond, compute_population_beyond_by


@pytest.fixture
def fabs():
    """Three Fabriques in two communes: one in a QPV, one 800 m away, one rural without QPV."""
    return pd.DataFrame(
        {
            "fabrique_id": [1, 2, 301],
            "cohort": ["2020-2021", "2020-2021", "2023"],
            "insee_com": ["29019", "29019", "01001"],
            "insee_dep": ["29", "29", "01"],
            "insee_arr": ["292", "292", "011"],
            "population_commune": [140000, 140000, 800],
            "dans_qpv": [True, False, False],
            "distance_qpv_m": [0.0, 800.0, float("nan")],
            "commune_qpv": [True, True, False],
            "rural_insee": [False, False, True],
            "densite_libelle": ["Grands centres urbains", "Grands centres urbains", "Bourgs ruraux"],
        }
    )


def test_key_figures(fabs):
    k = compute_key_figures(fabs)
    assert (k["fabriques"], k["communes"], k["departements"]) == (3, 2, 2)
    assert k["population_communes"] == 140800  # each commune once
    assert k["part_qpv_500"] == pytest.approx(1 / 3)
    assert k["part_rurale"] == pytest.approx(1 / 3)
    assert k["financement_estime"] == 150_000 * 2 + 50_000


def test_amount_column_replaces_the_estimate(fabs):
    with_amounts = fabs.assign(montant=[90_000, None, 40_000])
    assert compute_estimated_funding(with_amounts).tolist() == [90_000, 150_000, 40_000]


def test_qpv_sensitivity(fabs):
    table = compute_qpv_sensitivity(fabs)
    assert table["fabriques"].tolist() == [1, 1, 1, 2, 2]
    assert table["part"].iloc[3] == pytest.approx(2 / 3)


@pytest.fixture
def qpv():
    """Three 2024 QPV (one far from any Fabrique, one with unknown population) and a 2015 one."""
    return pd.DataFrame(
        {
            "code_qp": ["QN02901M", "QN02902M", "QN00101M", "QP029001"],
            "lib_qp": ["A", "B", "C", "Old"],
            "noms_communes": ["Brest", "Brest", "Bourg", "Brest"],
            "insee_dep": ["29", "29", "01", "29"],
            "insee_reg": ["53", "53", "84", "53"],
            "generation": ["2024", "2024", "2024", "2015"],
            "pop_qpv": [5000.0, 3000.0, None, 9999.0],
            "distance_fabrique_m": [100.0, 4000.0, 2500.0, 0.0],
        }
    )


def test_qpv_without_fabrique_ranked_by_population(qpv):
    far = compute_qpv_without_fabrique(qpv, 2000)
    assert far["code_qp"].tolist() == ["QN02902M", "QN00101M"]


def test_qpv_population_coverage(qpv):
    cov = compute_qpv_population_coverage(qpv, 2000, "insee_reg").set_index("insee_reg")
    assert cov.loc["53", "population_qpv"] == 8000 and cov.loc["53", "population_couverte"] == 5000
    assert cov.loc["53", "part_couverte"] == pytest.approx(5 / 8)
    assert math.isnan(cov.loc["84", "part_couverte"])  # population unknown: no share


def test_class_distribution_orders_and_shares(fabs):
    communes = pd.DataFrame(
        {
            "insee_com": ["a", "b", "c"],
            "population": [100, 300, 600],
            "densite_libelle": ["Bourgs ruraux", "Grands centres urbains", "Grands centres urbains"],
        }
    )
    dist = compute_class_distribution(fabs, communes, "densite_libelle", ["Grands centres urbains", "Bourgs ruraux"])
    assert dist["classe"].tolist() == ["Grands centres urbains", "Bourgs ruraux"]
    assert dist["part_fabriques"].tolist() == pytest.approx([2 / 3, 1 / 3])
    assert dist["part_population"].tolist() == pytest.approx([0.9, 0.1])
    assert dist["indice"].iloc[1] == pytest.approx((1 / 3) / 0.1)


def test_class_distribution_counts_every_class_once():
    """Against plain counting: classes missing on either side, unknown classes, unknown populations."""
    rng = np.random.default_rng(11)
    classes = ["Rural A", "Rural B", "Urbain", None]
    communes = pd.DataFrame(
        {
            "insee_com": [f"{i:05d}" for i in range(500)],
            "population": pd.array(rng.integers(0, 10_000, 500), dtype="Int64"),
            "classe_x": pd.array(rng.choice(classes, 500), dtype="str"),
        }
    )
    communes.loc[rng.choice(500, 20, replace=False), "population"] = pd.NA
    fabs = pd.DataFrame(
        {"classe_x": pd.array(rng.choice([*classes[:2], "Seulement Fabriques", None], 40), dtype="str")}
    )
    dist = compute_class_distribution(fabs, communes, "classe_x", ["Urbain"]).set_index("classe")
    name = lambda v: "Non renseigné" if pd.isna(v) else v  # noqa: E731
    for cls in set(map(name, communes["classe_x"])) | set(map(name, fabs["classe_x"])):
        in_class = [name(v) == cls for v in communes["classe_x"]]
        pop = sum(int(p) for p, keep in zip(communes["population"], in_class, strict=True) if keep and not pd.isna(p))
        assert dist.loc[cls, "population"] == pop
        assert dist.loc[cls, "communes"] == sum(in_class)
        assert dist.loc[cls, "fabriques"] == sum(name(v) == cls for v in fabs["classe_x"])
    assert dist.loc["Seulement Fabriques", ["population", "communes"]].tolist() == [0, 0]
    assert dist.index[0] == "Urbain" and dist.index[-1] == "Non renseigné"
    assert dist["part_fabriques"].sum() == pytest.approx(1) and dist["part_population"].sum() == pytest.approx(1)
    assert np.isnan(dist.loc["Seulement Fabriques", "indice"])


def test_lorenz_gini_hhi():
    equal = compute_lorenz(pd.Series([1, 2, 3]), pd.Series([100, 200, 300]))
    assert compute_gini(equal) == pytest.approx(0)
    concentrated = compute_lorenz(pd.Series([0, 0, 10]), pd.Series([100, 100, 100]))
    assert compute_gini(concentrated) == pytest.approx(2 / 3)
    assert equal.iloc[0].tolist() == [0, 0] and equal.iloc[-1].tolist() == [1, 1]
    assert compute_hhi(pd.Series([5, 5])) == 5000 and compute_hhi(pd.Series([10])) == 10000


def test_gini_baseline_is_positive_with_small_numbers():
    base = compute_gini_baseline(pd.Series([1000] * 50), n=25, draws=100)
    assert 0.2 < base["mean"] < 0.8 and base["p05"] <= base["mean"] <= base["p95"]
    assert compute_gini_baseline(pd.Series([1000] * 50), n=50_000, draws=20)["mean"] < 0.05


def test_gini_rows_match_one_lorenz_curve_per_row():
    rng = np.random.default_rng(7)
    weights = rng.integers(1_000, 2_000_000, size=101).astype(float)
    counts = rng.multinomial(382, weights / weights.sum(), size=40).astype(float)
    counts[0] = 0
    counts[0, :3] = [5.0, 5.0, 372.0]  # ties and one territory holding almost every place
    expected = [compute_gini(compute_lorenz(pd.Series(row), pd.Series(weights))) for row in counts]
    assert compute_gini_rows(counts, weights) == pytest.approx(expected, abs=1e-12)


def test_arrondissements_without(fabs):
    arr = pd.DataFrame({"insee_arr": ["011", "292", "293"], "nom_arr": ["Belley", "Brest", "Châteaulin"]})
    assert compute_arrondissements_without(arr, fabs, ("2020-2021",))["insee_arr"].tolist() == ["011", "293"]
    assert compute_arrondissements_without(arr, fabs, ("2020-2021", "2023"))["insee_arr"].tolist() == ["293"]


def test_rate_per_100k(fabs):
    deps = pd.DataFrame({"insee_dep": ["29", "01", "75"], "population": [1_000_000, 800, 0]})
    out = compute_rate_per_100k(deps, fabs, "insee_dep").set_index("insee_dep")
    assert out.loc["29", "pour_100k"] == pytest.approx(0.2)
    assert out.loc["01", "pour_100k"] == pytest.approx(125)
    assert math.isnan(out.loc["75", "pour_100k"])


def test_population_beyond():
    communes = pd.DataFrame(
        {"population": [100, 200, 700], "rural_insee": [True, True, False], "d": [5000, 30000, 50000]}
    )
    out = compute_population_beyond(communes, "d", 20000)
    assert (out["population"], out["communes"], out["total"]) == (200, 1, 300)


def test_population_beyond_by_territory_is_the_per_territory_sum():
    rng = np.random.default_rng(8)
    n = 300
    communes = pd.DataFrame(
        {
            "insee_dep": rng.choice(["01", "29", "2A", "971"], n),
            "population": pd.array(rng.integers(0, 5000, n), dtype="Int64"),
            "rural_insee": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "d": np.where(rng.random(n) < 0.1, np.nan, rng.uniform(0, 60_000, n)),
        }
    )
    communes.loc[communes["insee_dep"] == "2A", "rural_insee"] = False  # no rural commune there
    communes.loc[communes["insee_dep"] == "971", "population"] = 0
    communes.loc[communes.index[communes["insee_dep"] == "971"][0], "rural_insee"] = True
    out = compute_population_beyond_by(communes, "d", 20_000, "insee_dep")
    assert list(out.index) == ["01", "29", "971"]  # territories with a rural commune
    # Inhabitants are whole numbers in the table and its exports.
    assert out["population_rurale"].dtype == "int64" and out["population_eloignee"].dtype == "int64"
    for dep, row in out.iterrows():
        one = compute_population_beyond(communes[communes["insee_dep"] == dep], "d", 20_000)
        assert row["population_rurale"] == one["total"] and row["population_eloignee"] == one["population"]
        if one["total"]:
            assert row["part_eloignee"] == pytest.approx(100 * one["part"])
    assert math.isnan(out.loc["971", "part_eloignee"])


def test_profile_comparison_gaps_only_for_rates():
    a = {"population": 100.0, "fabriques_pour_100k": 2.0, "part_population_rurale": 0.5}
    b = {"population": 1000.0, "fabriques_pour_100k": 1.5, "part_population_rurale": 0.2}
    table = compute_profile_comparison(a, b, "A", "B").set_index("indicateur")
    assert table.loc["Fabriques pour 100 000 habitants", "écart"] == pytest.approx(0.5)
    assert math.isnan(table.loc["Population municipale", "écart"])


def test_profile_comparison_formatting():
    a = {"population": 1234.0, "fabriques_pour_100k": 2.5, "part_population_rurale": 0.5}
    b = {"population": 10000.0, "fabriques_pour_100k": 1.25, "part_population_rurale": 0.25}
    shown = format_profile_comparison(compute_profile_comparison(a, b, "A", "B")).set_index("indicateur")
    assert shown.loc["Population municipale", "A"] == "1\u202f234"
    assert shown.loc["Fabriques pour 100 000 habitants", "écart"] == "1,25"
    assert shown.loc["Part de la population en commune rurale", "écart"] == "25,0\u00a0%"
    assert "type" not in shown.columns
