"""What a map's panel says about the territory, Fabrique or QPV clicked or found: the same key
figures as the top of the territory sheet, a Fabrique's card, a QPV's card, and where the two
actions of the panel lead (the filter it sets, the sheet it opens)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.analysis.profiles import compute_territory_profile
from core.domain.formatting import format_number, format_percent
from core.domain.territories import LEVELS, territory_key

# The key figures of a territory, as the top of « Fiche territoire » shows them: the key of each
# figure's definition (core.domain.definitions.DEFINITIONS) and the profile value it reads.
CARD_FIGURES: tuple[tuple[str, str], ...] = (
    ("population", "population"),
    ("fabriques_territoire", "fabriques"),
    ("pour_100k", "fabriques_pour_100k"),
    ("part_population_rurale", "part_population_rurale"),
    ("part_population_qpv", "part_population_qpv"),
)
# The programmes of a Fabrique's commune, by column of the fabriques mart.
PROGRAMME_COLUMNS: dict[str, str] = {
    "pvd": "Petites villes de demain",
    "acv": "Action cœur de ville",
    "villages_avenir": "Villages d'avenir",
    "manufacture_proximite": "Manufactures de proximité",
    "france_services": "France services",
}


class UnknownItemError(KeyError):
    """No territory, Fabrique or QPV has the code asked for."""


@dataclass(frozen=True)
class Card:
    """What the panel shows and offers.

    Attributes
    ----------
    kind, code : str
        The item (a key of :data:`core.domain.territories.LEVELS`, ``fabriques`` or ``qpv``) and its code.
    title, subtitle : str
        Its name and what it is (« Département · Bretagne »), plain text.
    figures : list of (str, str)
        Key of a definition and the formatted value (territories only).
    lines : list of (str, str)
        Label and formatted value of the other facts, plain text.
    sheet : str or None
        The territory sheet the « Ouvrir la fiche » action opens (``level:code``).
    regions, departements : tuple of str
        The territorial filter « Filtrer sur ce territoire » sets.
    filter_note : str
        Says when the filter is wider than the item (an EPCI filters on its départements).
    """

    kind: str
    code: str
    title: str
    subtitle: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)
    sheet: str | None = None
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    filter_note: str = ""


def _names(values: pd.Series) -> str:
    return ", ".join(dict.fromkeys(str(v) for v in values.dropna()))


def _departement_filter(inside: pd.DataFrame, what: str) -> tuple[tuple[str, ...], str]:
    deps = tuple(sorted(inside["insee_dep"].dropna().unique()))
    names = _names(inside.drop_duplicates("insee_dep").sort_values("insee_dep")["nom_dep"])
    plural = "ses départements" if len(deps) > 1 else "son département"
    return (
        deps,
        f"Le filtre de la barre latérale ne descend pas sous le département : il porte sur {plural} "
        f"({names}), où {what}.",
    )


def compute_territory_card(level_key: str, code: str, communes: pd.DataFrame, places: pd.DataFrame) -> Card:
    """The card of a territory: its key figures with the places of the selection (as in the sheet).

    Parameters
    ----------
    level_key, code : str
        A key of :data:`core.domain.territories.LEVELS` and the territory's code.
    communes : DataFrame
        The ``communes`` mart.
    places : DataFrame
        The places counted (the selection, or a user's list), with the level's code column.

    Raises
    ------
    UnknownItemError
        When no commune has ``code`` at that level.

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_com": ["29039"], "nom_com": ["Concarneau"], "insee_dep": ["29"],
    ...     "nom_dep": ["Finistère"], "insee_reg": ["53"], "nom_reg": ["Bretagne"], "siren_epci": ["E1"],
    ...     "nom_epci": ["CA Concarneau"], "insee_arr": ["292"], "nom_arr": ["Quimper"], "population": [20000],
    ...     "rural_insee": [False], "qpv_population": [1000.0], "pvd": [False], "acv": [False],
    ...     "tiers_lieux_2019": [0]})
    >>> card = compute_territory_card("communes", "29039", communes, pd.DataFrame({"insee_com": ["29039"]}))
    >>> card.title, card.figures[1], card.departements, card.sheet
    ('Concarneau', ('fabriques_territoire', '1'), ('29',), 'communes:29039')
    """
    spec = LEVELS[level_key]
    inside = communes[communes[spec.code] == code]
    if inside.empty:
        raise UnknownItemError(f"no commune of {level_key} {code!r} in the communes mart")
    mine = places[places[spec.code] == code] if spec.code in places.columns else places.iloc[0:0]
    profile = compute_territory_profile(inside, mine)
    figures = [
        ("population", format_number(profile["population"])),
        ("fabriques_territoire", format_number(profile["fabriques"])),
        ("pour_100k", format_number(profile["fabriques_pour_100k"], 2)),
        ("part_population_rurale", format_percent(profile["part_population_rurale"])),
        ("part_population_qpv", format_percent(profile["part_population_qpv"])),
    ]
    first = inside.iloc[0]
    lines = [("Communes", format_number(profile["communes"]))] if level_key != "communes" else []
    regions: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    note = ""
    if level_key == "regions":
        subtitle, regions = spec.singular, (code,)
    elif level_key == "departements":
        subtitle, departements = f"{spec.singular} · {first['nom_reg']}", (code,)
    else:
        where = _names(inside.drop_duplicates("insee_dep").sort_values("insee_dep")["nom_dep"])
        subtitle = f"{spec.singular} · {where}"
        what = "l'EPCI" if level_key == "epci" else "la commune" if level_key == "communes" else "le territoire"
        departements, note = _departement_filter(inside, f"{what} est compté{'e' if level_key == 'communes' else ''}")
        if level_key == "communes":
            lines += [("EPCI", str(first["nom_epci"]) if pd.notna(first["nom_epci"]) else "n.d.")]
    return Card(
        level_key,
        code,
        str(first[spec.name]),
        subtitle,
        figures,
        lines,
        territory_key(level_key, code) if level_key in ("regions", "departements", "epci", "communes") else None,
        regions,
        departements,
        note,
    )


def _is_true(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(value)


def describe_qpv_distance(inside: object, distance_m: object) -> str:
    """« dans un QPV », « à 1 234 m » or « n.d. ».

    Examples
    --------
    >>> describe_qpv_distance(False, 1234.4), describe_qpv_distance(True, 0.0), describe_qpv_distance(None, None)
    ('à 1\\u202f234 m', 'dans un QPV', 'n.d.')
    """
    if _is_true(inside):
        return "dans un QPV"
    if distance_m is None or pd.isna(distance_m):
        return "n.d."
    return f"à {format_number(distance_m)} m"


def compute_place_card(places: pd.DataFrame, place_id: str) -> Card:
    """The card of a Fabrique (or a place of a user's list): name, commune, cohort, distance to the
    nearest QPV, density class, programmes of its commune.

    Raises
    ------
    UnknownItemError
        When no place has ``fabrique_id`` ``place_id``.
    """
    rows = places[places["fabrique_id"].astype(str) == str(place_id)]
    if rows.empty:
        raise UnknownItemError(f"no place with fabrique_id {place_id!r} in the map's places")
    row = rows.iloc[0]
    programmes = [label for column, label in PROGRAMME_COLUMNS.items() if _is_true(row.get(column))]

    def text(column: str) -> str:
        value = row.get(column)
        return "n.d." if value is None or pd.isna(value) else str(value)

    commune = f"{text('nom_com')} ({text('insee_dep')})"
    has_commune = pd.notna(row.get("insee_com"))
    return Card(
        "fabriques",
        str(place_id),
        text("nom"),
        f"Fabrique · cohorte {text('cohort')}",
        [],
        [
            ("Commune", commune),
            ("Cohorte", text("cohort")),
            ("QPV le plus proche", describe_qpv_distance(row.get("dans_qpv"), row.get("distance_qpv_m"))),
            ("Densité (INSEE)", text("densite_libelle")),
            ("Programmes de la commune", ", ".join(programmes) or "aucun des programmes suivis"),
        ],
        territory_key("communes", str(row["insee_com"])) if has_commune else None,
        (),
        (str(row["insee_dep"]),) if pd.notna(row.get("insee_dep")) else (),
        "Le filtre porte sur le département de la Fabrique." if pd.notna(row.get("insee_dep")) else "",
    )


def compute_qpv_card(qpv: pd.DataFrame, code: str) -> Card:
    """The card of a QPV 2024: communes, population, the Fabriques inside and the nearest one.

    Raises
    ------
    UnknownItemError
        When no QPV 2024 has ``code``.
    """
    rows = qpv[(qpv["code_qp"] == code).to_numpy() & (qpv["generation"] == "2024").to_numpy()]
    if rows.empty:
        raise UnknownItemError(f"no QPV 2024 {code!r} in the qpv mart")
    row = rows.iloc[0]
    inside = row.get("fabriques_dedans")
    distance = row.get("distance_fabrique_m")
    return Card(
        "qpv",
        code,
        str(row["lib_qp"]),
        f"Quartier prioritaire 2024 · {code}",
        [],
        [
            ("Communes", str(row["noms_communes"]) if pd.notna(row["noms_communes"]) else "n.d."),
            ("Population (indicative)", format_number(row.get("pop_qpv"))),
            ("Fabriques dans le quartier", format_number(inside)),
            (
                "Fabrique la plus proche",
                "n.d." if distance is None or pd.isna(distance) else f"à {format_number(distance)} m",
            ),
        ],
        territory_key("communes", str(row["insee_com_principale"])) if pd.notna(row["insee_com_principale"]) else None,
        (),
        (str(row["insee_dep"]),),
        "Le filtre porte sur le département du quartier.",
    )
