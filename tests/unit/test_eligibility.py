"""Eligibility rules, table-driven, on a hand-made set of communes."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from core.schemes.eligibility import (
    ELIGIBLE,
    FAIL,
    INCOMPLETE,
    MISSING,
    NOT_ELIGIBLE,
    OK,
    Project,
    compute_territory_facts,
    compute_verdict_counts,
    compute_verdicts_table,
    evaluate_project,
)
from core.schemes.registry import load_registry, with_departement


@pytest.fixture
def communes() -> pd.DataFrame:
    """Five communes: what is special about each.

    - 47001: Lot-et-Garonne, intermediate density, in a CA wholly in région 75;
    - 04001: Région Sud (93), rural, in a CC that straddles 93 and 84;
    - 26001: région 84, in that same straddling CC;
    - 13055: large urban centre (density 1) with 2 QPV, in a métropole of région 93;
    - 75056: large urban centre without QPV (in this fixture), région 11;
    - 99999 does not exist.
    """
    rows = [
        (
            "47001",
            "Agen",
            "47",
            "Lot-et-Garonne",
            "75",
            "Nouvelle-Aquitaine",
            "200000001",
            "CA Agen",
            "CA",
            2,
            3,
            False,
            "47a",
        ),
        (
            "04001",
            "Village",
            "04",
            "Alpes-de-Haute-Provence",
            "93",
            "PACA",
            "200000002",
            "CC Vallée",
            "CC",
            6,
            0,
            True,
            "04a",
        ),
        ("26001", "Voisin", "26", "Drôme", "84", "ARA", "200000002", "CC Vallée", "CC", 6, 0, True, "26a"),
        (
            "13055",
            "Marseille",
            "13",
            "Bouches-du-Rhône",
            "93",
            "PACA",
            "200000003",
            "Métropole AMP",
            "METRO",
            1,
            2,
            False,
            "13a",
        ),
        (
            "75056",
            "Paris",
            "75",
            "Paris",
            "11",
            "Île-de-France",
            "200000004",
            "Métropole du Grand Paris",
            "METRO",
            1,
            0,
            False,
            "75a",
        ),
    ]
    columns = [
        "insee_com", "nom_com", "insee_dep", "nom_dep", "insee_reg", "nom_reg", "siren_epci", "nom_epci",
        "type_epci", "densite_niveau", "qpv_nombre", "rural_insee", "insee_arr",
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    frame["densite_libelle"] = "niveau " + frame["densite_niveau"].astype(str)
    frame["frr"] = frame["rural_insee"]
    frame["nom_arr"] = frame["nom_com"]
    return frame


@pytest.fixture
def arrondissements() -> pd.DataFrame:
    return pd.DataFrame({"insee_arr": ["47a", "04a", "26a", "13a", "75a"], "fabriques_2020_2021": [2, 0, 1, 5, 3]})


FULL = Project("Complet", "ess", frozenset({"coworking", "fablab"}), True, frozenset({"region"}), 25_000, "47001")


@pytest.mark.parametrize(
    ("change", "scheme", "expected", "rule", "status"),
    [
        ({}, "departemental", ELIGIBLE, "Dépense minimale", OK),
        ({"depense_ht": 19_999.0}, "departemental", NOT_ELIGIBLE, "Dépense minimale", FAIL),
        ({"depense_ht": 20_000.0}, "departemental", ELIGIBLE, "Dépense minimale", OK),
        ({"depense_ht": None}, "departemental", INCOMPLETE, "Dépense minimale", MISSING),
        ({"services": frozenset({"coworking"})}, "departemental", NOT_ELIGIBLE, "Services combinés", FAIL),
        ({"services": None}, "departemental", INCOMPLETE, "Services combinés", MISSING),
        ({"animation": False}, "departemental", NOT_ELIGIBLE, "Animation avec personnel dédié", FAIL),
        ({"animation": None}, "departemental", INCOMPLETE, "Animation avec personnel dédié", MISSING),
        (
            {"cofinanceurs": frozenset({"departement"})},
            "departemental",
            NOT_ELIGIBLE,
            "Cofinancement public autre que le Département",
            FAIL,
        ),
        (
            {"cofinanceurs": frozenset()},
            "departemental",
            NOT_ELIGIBLE,
            "Cofinancement public autre que le Département",
            FAIL,
        ),
        ({"cofinanceurs": None}, "departemental", INCOMPLETE, "Cofinancement public autre que le Département", MISSING),
        ({"type_porteur": "public"}, "departemental", ELIGIBLE, "Type de porteur", OK),
        ({"type_porteur": "prive"}, "departemental", NOT_ELIGIBLE, "Type de porteur", FAIL),
        ({"type_porteur": None}, "departemental", INCOMPLETE, "Type de porteur", MISSING),
        ({"insee_com": "04001"}, "departemental", NOT_ELIGIBLE, "Territoire du Département", FAIL),
        ({"insee_com": None}, "departemental", INCOMPLETE, "Territoire du Département", MISSING),
        ({"insee_com": "99999"}, "departemental", INCOMPLETE, "Territoire du Département", MISSING),
        ({"type_porteur": "cc", "insee_com": "04001"}, "region_sud", ELIGIBLE, "Intercommunalité de la région", OK),
        # The EPCI straddles two régions: a commune outside the région still belongs to an eligible EPCI.
        ({"type_porteur": "cc", "insee_com": "26001"}, "region_sud", ELIGIBLE, "Intercommunalité de la région", OK),
        ({"type_porteur": "metropole", "insee_com": "13055"}, "region_sud", ELIGIBLE, "Type de porteur", OK),
        (
            {"type_porteur": "cc", "insee_com": "47001"},
            "region_sud",
            NOT_ELIGIBLE,
            "Intercommunalité de la région",
            FAIL,
        ),
        ({"type_porteur": "ess", "insee_com": "04001"}, "region_sud", NOT_ELIGIBLE, "Type de porteur", FAIL),
        ({"type_porteur": "public", "insee_com": "04001"}, "region_sud", NOT_ELIGIBLE, "Type de porteur", FAIL),
        ({"type_porteur": "cc", "insee_com": None}, "region_sud", INCOMPLETE, "Intercommunalité de la région", MISSING),
        ({}, "fabriques", ELIGIBLE, "Ciblage : QPV ou hors des grands centres urbains", OK),
        ({"insee_com": "13055"}, "fabriques", INCOMPLETE, "Ciblage : QPV ou hors des grands centres urbains", MISSING),
        ({"insee_com": "75056"}, "fabriques", NOT_ELIGIBLE, "Ciblage : QPV ou hors des grands centres urbains", FAIL),
        ({"services": frozenset()}, "fabriques", NOT_ELIGIBLE, "Lieu offrant des services de tiers-lieu", FAIL),
    ],
)
def test_rules(communes, arrondissements, change, scheme, expected, rule, status):
    schemes = load_registry()
    project = replace(FULL, **change)
    facts = compute_territory_facts(project.insee_com, communes, arrondissements)
    verdicts = dict(zip(schemes, evaluate_project(project, facts, schemes), strict=True))
    verdict = verdicts[scheme]
    assert verdict.verdict == expected
    by_rule = {r.regle: r for r in verdict.regles}
    assert by_rule[rule].statut == status
    assert by_rule[rule].explication


def test_departement_is_configurable(communes, arrondissements):
    schemes = load_registry()
    schemes["departemental"] = with_departement(schemes["departemental"], "04")
    project = replace(FULL, insee_com="04001")
    facts = compute_territory_facts("04001", communes, arrondissements)
    verdict = dict(zip(schemes, evaluate_project(project, facts, schemes), strict=True))["departemental"]
    assert verdict.verdict == ELIGIBLE


def test_facts_used_are_named(communes, arrondissements):
    facts = compute_territory_facts("26001", communes, arrondissements)
    assert facts.epci_regions == ("84", "93")
    assert facts.fabriques_arrondissement_2020_2021 == 1
    assert "Voisin (26001)" in facts.describe() and "CC Vallée" in facts.describe()
    assert compute_territory_facts(None, communes).describe() == "Commune non renseignée."


def test_verdicts_table_has_one_row_per_project_and_scheme(communes, arrondissements):
    schemes = load_registry()
    projects = [FULL, replace(FULL, nom="Sans dépense", depense_ht=None)]
    facts = [compute_territory_facts(p.insee_com, communes, arrondissements) for p in projects]
    table = compute_verdicts_table(projects, facts, schemes)
    assert len(table) == len(projects) * len(schemes)
    row = table[(table["projet"] == "Sans dépense") & (table["dispositif"] == schemes["departemental"].nom)].iloc[0]
    assert row["verdict"] == INCOMPLETE
    assert "Dépense minimale" in row["motifs"]


def test_verdict_counts_per_scheme(communes, arrondissements):
    schemes = load_registry()
    projects = [FULL, replace(FULL, nom="B", depense_ht=None), replace(FULL, nom="C", depense_ht=1.0)]
    facts = [compute_territory_facts(p.insee_com, communes, arrondissements) for p in projects]
    counts = compute_verdict_counts(compute_verdicts_table(projects, facts, schemes)).set_index("dispositif")
    row = counts.loc[schemes["departemental"].nom]
    assert (row[ELIGIBLE], row[INCOMPLETE], row[NOT_ELIGIBLE]) == (1, 1, 1)
    assert counts.sum(axis=1).eq(len(projects)).all()
