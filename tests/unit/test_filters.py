"""Filters: applied to hand-made Fabriques, written to and read from the query string."""

import pandas as pd
import pytest

from core.analysis.filters import Filters, apply_filters, describe_filters, filters_from_query, filters_to_query


@pytest.fixture
def fabs():
    """Four Fabriques: one in a QPV, one at 400 m, one at 2 km in a QPV commune, one far and rural (FRR, PVD)."""
    return pd.DataFrame(
        {
            "fabrique_id": [1, 2, 301, 302],
            "cohort": ["2020-2021", "2020-2021", "2023", "2023"],
            "insee_reg": ["53", "53", "84", "84"],
            "insee_dep": ["29", "29", "01", "01"],
            "densite_libelle": [
                "Grands centres urbains",
                "Petites villes",
                "Bourgs ruraux",
                "Rural à habitat dispersé",
            ],
            "densite_4": [
                "Communes densément peuplées",
                "Communes de densité intermédiaire",
                "Communes peu denses",
                "Communes peu denses",
            ],
            "densite_3": ["Urbain dense", "Urbain intermédiaire", "Rural", "Rural"],
            "dans_qpv": [True, False, False, False],
            "distance_qpv_m": [0.0, 400.0, 2000.0, float("nan")],
            "commune_qpv": [True, True, True, False],
            "rural_insee": pd.array([False, False, True, True], dtype="boolean"),
            "frr": pd.array([False, False, pd.NA, True], dtype="boolean"),
            "typologie_ruralite": [
                None,
                None,
                "Les ruralités productives agricoles",
                "Les ruralités résidentielles aisées",
            ],
            "pvd": [False, False, False, True],
            "acv": [False, True, False, False],
        }
    )


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        (Filters(), [1, 2, 301, 302]),
        (Filters(cohorts=("2023",)), [301, 302]),
        (Filters(regions=("53",)), [1, 2]),
        (Filters(departements=("01",)), [301, 302]),
        (Filters(qpv_relation="dans"), [1]),
        (Filters(qpv_relation="300"), [1]),
        (Filters(qpv_relation="500"), [1, 2]),
        (Filters(qpv_relation="1000"), [1, 2]),
        (Filters(qpv_relation="commune"), [1, 2, 301]),
        (Filters(qpv_relation="aucune"), [302]),
        (Filters(rural="rural"), [301, 302]),
        (Filters(rural="urbain"), [1, 2]),
        (Filters(rural="frr"), [302]),
        (Filters(rural="hors_frr"), [1, 2]),  # unknown FRR class is neither
        (Filters(density_scheme="3", density_classes=("Rural",)), [301, 302]),
        (Filters(density_scheme="4", density_classes=("Communes peu denses",)), [301, 302]),
        (Filters(density_classes=("Petites villes",)), [2]),
        (Filters(typologies=("Les ruralités résidentielles aisées",)), [302]),
        (Filters(programmes=("pvd",)), [302]),
        (Filters(programmes=("pvd", "acv")), []),
        (Filters(cohorts=()), []),
    ],
)
def test_apply_filters(fabs, filters, ids):
    out = apply_filters(fabs, filters)
    assert out["fabrique_id"].tolist() == ids
    assert list(out.columns) == list(fabs.columns)


def test_apply_filters_does_not_modify_its_input(fabs):
    before = fabs.copy()
    apply_filters(fabs, Filters(cohorts=("2023",), rural="rural"))
    pd.testing.assert_frame_equal(fabs, before)


def test_query_round_trip():
    filters = Filters(
        cohorts=("2023",),
        departements=("29", "2A"),
        density_scheme="4",
        density_classes=("Communes peu denses",),
        qpv_relation="500",
        rural="frr",
        programmes=("pvd",),
    )
    query = filters_to_query(filters)
    assert query["dep"] == "29,2A" and "reg" not in query
    back, ignored = filters_from_query(query)
    assert back == filters and ignored == []
    assert filters_to_query(Filters()) == {}


def test_invalid_query_values_are_ignored_and_listed():
    filters, ignored = filters_from_query(
        {"cohorte": "2019,2023", "qpv": "partout", "dep": ["29", "999"], "grille": "9"},
        {"departements": {"29"}},
    )
    assert filters == Filters(cohorts=("2023",))
    assert sorted(ignored) == ["cohorte=2019", "dep=999", "grille=9", "qpv=partout"]


def test_describe_filters_in_french():
    text = describe_filters(Filters(cohorts=("2023",), departements=("29",), rural="rural"), {}, {"29": "Finistère"})
    assert text == ("Filtres : cohorte 2023 ; département Finistère ; rural au sens de l'insee (densité 5 à 7)")
    # région 53 is Bretagne, département 53 is Mayenne
    both = describe_filters(Filters(regions=("53",), departements=("53",)), {"53": "Bretagne"}, {"53": "Mayenne"})
    assert both == "Filtres : région Bretagne ; département Mayenne"


def test_territory_names_keep_the_first_name_of_each_code_in_display_order():
    from core.domain.territories import compute_territory_names

    places = pd.DataFrame(
        {
            "insee_reg": ["53", "11", "53", "01"],
            "nom_reg": ["Bretagne", "Île-de-France", "Bretagne (autre graphie)", "Guadeloupe"],
            "insee_dep": ["29", "75", "35", "971"],
            "nom_dep": ["Finistère", "Paris", "Ille-et-Vilaine", "Guadeloupe"],
        }
    )
    names = compute_territory_names(places)
    assert names.regions == {"53": "Bretagne", "01": "Guadeloupe", "11": "Île-de-France"}
    assert list(names.regions) == ["53", "01", "11"]  # by name
    assert list(names.departements) == ["29", "35", "75", "971"]  # by code
    assert names.dep_region == {"29": "53", "35": "53", "75": "11", "971": "01"}
