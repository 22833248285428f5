"""Cohorts, waves and the density groupings."""

import pandas as pd
import pytest

from core.domain.classifications import cohort_of, compute_density_classes, wave_of


@pytest.mark.parametrize(
    ("fid", "cohort", "wave"),
    [
        (1, "2020-2021", 1),
        (80, "2020-2021", 1),
        (81, "2020-2021", None),
        (300, "2020-2021", None),
        (301, "2023", None),
        (382, "2023", None),
    ],
)
def test_cohort_and_wave(fid, cohort, wave):
    assert cohort_of(fid) == cohort
    assert wave_of(fid) == wave


@pytest.mark.parametrize("fid", [0, 383, -1])
def test_cohort_rejects_unknown_ids(fid):
    with pytest.raises(ValueError, match="1–382"):
        cohort_of(fid)


def test_density_groupings_and_rural_flag():
    classes = compute_density_classes(pd.Series([1, 4, 5, 7, None], dtype="Int64"))
    assert classes["densite_4"].tolist()[:4] == [
        "Communes densément peuplées",
        "Communes de densité intermédiaire",
        "Communes peu denses",
        "Communes très peu denses",
    ]
    assert classes["densite_3"].tolist()[:4] == ["Urbain dense", "Urbain intermédiaire", "Rural", "Rural"]
    assert classes["rural_insee"].tolist()[:4] == [False, False, True, True]
    assert classes["rural_insee"].isna().iloc[4] and classes["densite_libelle"].isna().iloc[4]
