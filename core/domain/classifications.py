"""Territorial classes and programme rules: density grid, rural flags, cohorts and waves.

Each constant documents the definition a figure uses; pages quote these labels.
"""

from __future__ import annotations

import pandas as pd

# INSEE communal density grid, 7 levels (label in the source → level).
DENSITY_LEVELS: dict[str, int] = {
    "Grands centres urbains": 1,
    "Centres urbains intermédiaires": 2,
    "Ceintures urbaines": 3,
    "Petites villes": 4,
    "Bourgs ruraux": 5,
    "Rural à habitat dispersé": 6,
    "Rural à habitat très dispersé": 7,
}
DENSITY_LABELS: dict[int, str] = {v: k for k, v in DENSITY_LEVELS.items()}
# INSEE's 4-level aggregation of the 7-level grid (grille communale de densité à 4 niveaux).
DENSITY_4: dict[int, str] = {
    1: "Communes densément peuplées",
    2: "Communes de densité intermédiaire",
    3: "Communes de densité intermédiaire",
    4: "Communes de densité intermédiaire",
    5: "Communes peu denses",
    6: "Communes peu denses",
    7: "Communes très peu denses",
}
# 3 groups used in ANCT publications: urban / intermediate / rural (INSEE rural = levels 5-7).
DENSITY_3: dict[int, str] = {
    1: "Urbain dense",
    2: "Urbain intermédiaire",
    3: "Urbain intermédiaire",
    4: "Urbain intermédiaire",
    5: "Rural",
    6: "Rural",
    7: "Rural",
}
RURAL_LEVELS: frozenset[int] = frozenset({5, 6, 7})
# The classes of each density scheme, in order (the 7 levels, INSEE's 4 groups, the ANCT's 3).
DENSITY_CLASSES: dict[str, list[str]] = {
    "7": [DENSITY_LABELS[i] for i in range(1, 8)],
    "4": list(dict.fromkeys(DENSITY_4.values())),
    "3": list(dict.fromkeys(DENSITY_3.values())),
}

FRR_CLASSES: tuple[str, ...] = (
    "FRR+",
    "FRR socle",
    "FRR bénéficiaire",
    "Classée FRR partiellement",
    "FRR bénéficiaire partiellement",
    "Non classée",
)

COHORT_2020_2021 = "2020-2021"
COHORT_2023 = "2023"
COHORTS: tuple[str, ...] = (COHORT_2020_2021, COHORT_2023)
# The cohort of the places of a list a user supplied (they stand beside or instead of the Fabriques).
USER_LIST_COHORT = "Liste importée"

LOCATION_PRECISION_CENTROID = "centroïde de la commune"
LOCATION_PRECISION_NONE = "aucune (géométrie absente de la source)"


def cohort_of(fabrique_id: int) -> str:
    """Return the cohort of a Fabrique from its ANCT id (1–300: 2020-2021, 301–382: 2023).

    Examples
    --------
    >>> cohort_of(300), cohort_of(301)
    ('2020-2021', '2023')
    """
    if 1 <= fabrique_id <= 300:
        return COHORT_2020_2021
    if 301 <= fabrique_id <= 382:
        return COHORT_2023
    raise ValueError(f"Fabrique id {fabrique_id} is outside 1–382: the ANCT list holds 1–382")


def wave_of(fabrique_id: int) -> int | None:
    """Return the selection wave when the open data tells it: ids 1–80 are wave 1, else None.

    Waves 2–8 cannot be told apart in the open data; the 2023 wave is a cohort of its own.
    """
    return 1 if 1 <= fabrique_id <= 80 else None


def compute_density_classes(levels: pd.Series) -> pd.DataFrame:
    """Return the 7-level label, the 4- and 3-level groupings and INSEE's rural flag.

    Parameters
    ----------
    levels : Series of Int64
        Density levels 1–7, missing allowed.

    Returns
    -------
    DataFrame
        Columns ``densite_libelle``, ``densite_4``, ``densite_3``, ``rural_insee`` (boolean,
        missing where the level is).
    """
    lv = levels.astype("Int64")
    rural = lv.isin(list(RURAL_LEVELS)).astype("boolean")
    rural[lv.isna()] = pd.NA
    return pd.DataFrame(
        {
            "densite_libelle": lv.map(DENSITY_LABELS).astype("string"),
            "densite_4": lv.map(DENSITY_4).astype("string"),
            "densite_3": lv.map(DENSITY_3).astype("string"),
            "rural_insee": rural,
        },
        index=levels.index,
    )
