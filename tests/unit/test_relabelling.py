"""Matching each Fabrique to the 2019 census of its commune by name: normalisation, statuses, report."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.relabelling import (
    MATCH_COLUMNS,
    MATCH_METHOD_NOTE,
    REVIEW_SCORE,
    STATUS_FOUND,
    STATUS_NOT_FOUND,
    STATUS_REVIEW,
    SURE_SCORE,
    MatchInputError,
    compute_match_report,
    compute_matches,
    normalise_name,
    score_names,
)
from core.domain.definitions import DEFINITIONS

# Fabrique id → (name, commune code, commune name, cohort, expected status, expected census id).
FABRIQUES = {
    1: ("La Fabrique du Coin", "01001", "Alpha", "2020-2021", STATUS_FOUND, "t1"),
    2: ("Le Hangar", "01002", "Bêta", "2020-2021", STATUS_NOT_FOUND, None),
    3: ("Atelier Partagé des Lilas", "01003", "Gamma", "2020-2021", STATUS_REVIEW, "t4"),
    4: ("Le Bocal", "01004", "Delta", "2020-2021", STATUS_NOT_FOUND, None),
    5: ("SYNTAXE ERREUR 2.0", "01006", "Zêta", "2023", STATUS_FOUND, "t7"),
    6: ("Tiers-Lieu", "01007", "Êta", "2023", STATUS_REVIEW, "t8"),
    7: ("Coworking Mulhouse", "68224", "Mulhouse", "2020-2021", STATUS_NOT_FOUND, None),
    8: ("La Ruche", "01008", "Thêta", "2023", STATUS_REVIEW, "t10"),
    9: ("L'Atelier Vélo", "01009", "Iota", "2020-2021", STATUS_FOUND, "t11"),
    10: ("IF, Imaginations Fertiles et Toulouse Métropole", "31555", "Toulouse", "2023", STATUS_REVIEW, "t13"),
}
# Census id → (name, commune code).
CENSUS = {
    "t1": ("FABRIQUE DU COIN (La)", "01001"),  # the same name, article in parentheses
    "t2": ("Cowork Central", "01001"),
    "t3": ("Le Hameau", "01002"),  # must not match « Le Hangar »
    "t4": ("Atelier partage des Lilas", "01003"),  # the ambiguous pair: both reach the sure score
    "t5": ("Ateliers partagés des Lilas", "01003"),
    "t6": ("Le Bocal", "01005"),  # same name, another commune: never a candidate
    "t7": ("Syntaxe Error 2.0", "01006"),  # one letter apart
    "t8": ("Le Tiers Lieu", "01007"),  # generic words only
    "t9": ("Fablab Mulhouse", "68224"),  # shares only the commune's name
    "t10": ("La Ruche Nord", "01008"),  # one name's distinctive words inside the other
    "t11": ("Atelier Vélo", "01009"),  # listed twice under the same name
    "t12": ("ATELIER VELO", "01009"),
    "t13": ("IF- Les Imaginations Fertiles", "31555"),  # between the review and sure scores
}


def fabriques() -> pd.DataFrame:
    """The Fabriques of :data:`FABRIQUES` (one per designed case)."""
    return pd.DataFrame(
        [
            {"fabrique_id": fid, "nom": n, "insee_com": c, "nom_com": com, "cohort": coh}
            for fid, (n, c, com, coh, _, _) in FABRIQUES.items()
        ]
    )


def census() -> pd.DataFrame:
    """The census places of :data:`CENSUS`."""
    return pd.DataFrame([{"tl_id": t, "nom": n, "insee_com": c} for t, (n, c) in CENSUS.items()])


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("La Fabrique du Coin", "FABRIQUE DU COIN (La)"),
        ("L'Établi", "L’établi"),
        ("Ressources &amp; Co", "RESSOURCES ET CO"),
        ("SCIC Le Temps de Vivre", "Le Temps de Vivre"),
        ("Vanderlab (Château Éphémère)", "Vanderlab/CHÂTEAU éphémère"),
        ("Le L@bo", "Le Labo"),
        ("Cœur de ville", "COEUR DE VILLE"),
    ],
)
def test_names_that_differ_by_accents_case_punctuation_articles_are_the_same(left, right):
    assert normalise_name(left) == normalise_name(right)
    assert score_names(normalise_name(left), normalise_name(right)) == 100


@pytest.mark.parametrize(
    ("left", "right"),
    [("Le Hangar", "Le Hameau"), ("Cœur de Bastide", "La Bastide numérique"), ("Numéripôle", "Numérifab")],
)
def test_different_places_score_below_the_review_threshold(left, right):
    assert score_names(normalise_name(left), normalise_name(right)) < REVIEW_SCORE


def test_each_fabrique_gets_the_status_it_was_made_for():
    matches = compute_matches(fabriques(), census()).set_index("fabrique_id")
    for fid, (*_, status, tl_id) in FABRIQUES.items():
        assert matches.loc[fid, "statut"] == status, (fid, matches.loc[fid, "motif"])
        if tl_id is None:
            assert pd.isna(matches.loc[fid, "tl_id"]) and pd.isna(matches.loc[fid, "nom_recense"])
        else:
            assert matches.loc[fid, "tl_id"] == tl_id
            assert matches.loc[fid, "nom_recense"] == CENSUS[tl_id][0]
    assert matches.loc[1, "score"] == 100 and matches.loc[5, "score"] >= SURE_SCORE
    assert REVIEW_SCORE <= matches.loc[10, "score"] < SURE_SCORE
    assert matches["origine"].eq("rapprochement automatique").all()
    assert list(compute_matches(fabriques(), census()).columns) == MATCH_COLUMNS


def test_candidates_are_counted_in_the_commune_only():
    matches = compute_matches(fabriques(), census()).set_index("fabrique_id")
    for fid, (_, code, *_rest) in FABRIQUES.items():
        assert matches.loc[fid, "candidats"] == sum(1 for _, c in CENSUS.values() if c == code)
    assert matches.loc[4, "candidats"] == 0  # « Le Bocal » is recorded in another commune
    assert "aucun tiers-lieu recensé dans la commune" in matches.loc[4, "motif"]


def test_an_ambiguous_match_names_both_places_and_is_never_counted_as_found():
    matches = compute_matches(fabriques(), census()).set_index("fabrique_id")
    assert {matches.loc[3, "tl_id"], matches.loc[3, "autre_tl_id"]} == {"t4", "t5"}
    assert matches.loc[3, "autre_score"] >= SURE_SCORE and "deux lieux" in matches.loc[3, "motif"]
    assert "génériques" in matches.loc[6, "motif"] and "distinctifs" in matches.loc[8, "motif"]
    report = compute_match_report(matches.reset_index()).set_index("cohorte")
    assert report.loc["Total", "trouvees"] == sum(1 for *_, s, _ in FABRIQUES.values() if s == STATUS_FOUND)


def test_same_name_listed_twice_is_one_sure_match_and_not_found_shows_the_closest_name():
    matches = compute_matches(fabriques(), census()).set_index("fabrique_id")
    assert matches.loc[9, "tl_id"] == "t11" and "2 lieux recensés de ce nom" in matches.loc[9, "motif"]
    assert matches.loc[2, "autre_nom"] == "Le Hameau" and matches.loc[2, "autre_score"] < REVIEW_SCORE


def test_report_by_cohort_equals_a_count_of_the_expected_statuses():
    report = compute_match_report(compute_matches(fabriques(), census())).set_index("cohorte")
    columns = {STATUS_FOUND: "trouvees", STATUS_REVIEW: "a_verifier", STATUS_NOT_FOUND: "non_trouvees"}
    counts: dict[str, dict[str, int]] = {}
    for _, code, _, cohort, status, _ in FABRIQUES.values():
        for key in (cohort, "Total"):
            row = counts.setdefault(key, {"fabriques": 0, "trouvees": 0, "a_verifier": 0, "non_trouvees": 0})
            row["fabriques"] += 1
            row[columns[status]] += 1
            empty = status == STATUS_NOT_FOUND and not any(c == code for _, c in CENSUS.values())
            row["sans_tiers_lieu_commune"] = row.get("sans_tiers_lieu_commune", 0) + empty
    assert set(report.index) == set(counts)
    for cohort, row in counts.items():
        for column, value in row.items():
            assert report.loc[cohort, column] == value, (cohort, column)
        assert report.loc[cohort, "part_trouvees"] == pytest.approx(row["trouvees"] / row["fabriques"])


def test_the_thresholds_are_stated_where_the_figures_are_shown():
    for text in (DEFINITIONS["recensement_a_verifier"].definition, MATCH_METHOD_NOTE):
        assert f"{REVIEW_SCORE:g}" in text and f"{SURE_SCORE:g}" in text
    assert f"{SURE_SCORE:g}" in DEFINITIONS["recensement_trouvees"].definition
    for key in ("recensement_trouvees", "recensement_non_trouvees"):
        assert "2019" in DEFINITIONS[key].vintage and "ouverts depuis" in DEFINITIONS[key].definition


def test_no_fabrique_gives_an_empty_table_and_a_missing_column_is_named():
    empty = compute_matches(fabriques().iloc[:0], census())
    assert empty.empty and list(empty.columns) == MATCH_COLUMNS
    with pytest.raises(MatchInputError, match="insee_com"):
        compute_matches(fabriques().drop(columns="insee_com"), census())


def test_inputs_are_not_modified():
    places, tiers = fabriques(), census()
    compute_matches(places, tiers)
    pd.testing.assert_frame_equal(places, fabriques())
    pd.testing.assert_frame_equal(tiers, census())
