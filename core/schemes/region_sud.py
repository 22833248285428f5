"""Région Sud's call "Parcours Sud Smart Territoires": the intercommunalities it addresses.

The call (closing 3 June 2020) was open to the région's intercommunalities (communautés de
communes, d'agglomération, métropoles) with an overall investment envelope; its parameters are
data here, not code, so the page works for another région or envelope.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.domain.formatting import format_euros, format_number, format_percent
from core.domain.text import escape_markup
from core.schemes.allocation import METHODS
from core.schemes.registry import load_registry


def load_call() -> dict[str, object]:
    """Région Sud's call as the programme registry describes it (region code, envelope, name, source).

    Examples
    --------
    >>> call = load_call()
    >>> call["insee_reg"], call["enveloppe"]
    ('93', 500000)
    """
    scheme = load_registry()["region_sud"]
    return {
        "insee_reg": scheme.region,
        "nom": scheme.territoire,
        "enveloppe": scheme.enveloppe_eur,
        "appel": scheme.nom,
        "cloture": scheme.calendrier,
        "source": f"{scheme.source_titre} (document {scheme.source_document})",
    }


DISTANCE_M = 20_000
EPCI_TYPES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
    "MET69": "Métropole de Lyon",
}
DENSITY_3_COLUMNS = {
    "Urbain dense": "population_urbain_dense",
    "Urbain intermédiaire": "population_urbain_intermediaire",
    "Rural": "population_rurale",
}
# Need indicators the simulator can share the envelope by (profile column → label).
NEED_INDICATORS: dict[str, str] = {
    "population_rurale": "Population rurale (grille de densité, niveaux 5 à 7)",
    "qpv_population": "Population des quartiers prioritaires (QPV 2024)",
    "population_loin_fabrique": "Population à plus de X km d'une Fabrique",
    "communes": "Nombre de communes",
}
PROFILE_COLUMNS = [
    "siren_epci",
    "nom_epci",
    "type_epci",
    "communes_region",
    "communes",
    "entierement_dans_la_region",
    "autres_regions",
    "population_region",
    "population",
    "part_population_region",
    *DENSITY_3_COLUMNS.values(),
    "part_population_rurale",
    "qpv_population",
    "population_loin_fabrique",
    "fabriques_2020_2021",
    "fabriques_2023",
    "fabriques",
    "tiers_lieux_2019",
    "communes_pvd",
    "communes_acv",
]
REQUIRED_COMMUNES = (
    "insee_com",
    "insee_reg",
    "siren_epci",
    "nom_epci",
    "type_epci",
    "population",
    "densite_3",
    "qpv_population",
    "distance_fabrique_m",
    "pvd",
    "acv",
)


class ProfileInputError(ValueError):
    """A frame given to the profile lacks a column it needs."""


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ProfileInputError(
            f"Colonnes absentes de la table « {name} » : {', '.join(missing)}. "
            "Reconstruisez les données avec : python -m etl build"
        )


def _count_by_epci(points: pd.DataFrame, epci_of: pd.Series, by: str | None = None) -> pd.DataFrame | pd.Series:
    """Rows of ``points`` per EPCI of their commune (``epci_of``: insee_com → siren_epci)."""
    located = points.assign(_epci=points["insee_com"].map(epci_of)).dropna(subset=["_epci"])
    if by is None:
        return located.groupby("_epci").size()
    return located.groupby(["_epci", by]).size().unstack(fill_value=0)


def compute_region_epci_profile(
    communes: pd.DataFrame,
    fabriques: pd.DataFrame,
    tiers_lieux: pd.DataFrame,
    region: str,
    distance_m: float = DISTANCE_M,
) -> pd.DataFrame:
    """One row per EPCI with at least one commune in ``region``, counted over the whole EPCI.

    An EPCI applies to a regional call as a whole, so every figure covers all of its communes,
    including those of another région (6 EPCI straddle Provence-Alpes-Côte d'Azur and a
    neighbouring région in the COG 2026). ``communes_region`` and ``population_region`` give
    the part inside ``region`` alongside, and ``entierement_dans_la_region`` flags the EPCI
    with no commune elsewhere.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart: ``insee_com, insee_reg, siren_epci, nom_epci, type_epci,
        population, densite_3, qpv_population, distance_fabrique_m, pvd, acv``.
    fabriques, tiers_lieux : DataFrame
        Fabriques and 2019 tiers-lieux with ``insee_com`` (and ``cohort`` for the Fabriques);
        each is counted in the EPCI of its commune.
    region : str
        INSEE code of the région (``"93"`` for Provence-Alpes-Côte d'Azur).
    distance_m : float
        Distance defining ``population_loin_fabrique`` (population of the communes whose
        centroid is farther than this from any Fabrique, point to point).

    Returns
    -------
    DataFrame
        :data:`PROFILE_COLUMNS`, sorted by ``nom_epci``; empty (same columns) when no EPCI has a
        commune in ``region``. ``attrs["communes_sans_epci"]`` counts the région's communes
        without an EPCI (left out).

    Raises
    ------
    ProfileInputError
        When a frame lacks a column listed above.

    Examples
    --------
    >>> profile = compute_region_epci_profile(communes, fabriques, tiers_lieux, "93")  # doctest: +SKIP
    >>> len(profile), int(profile["entierement_dans_la_region"].sum())  # doctest: +SKIP
    (52, 46)
    """
    _require(communes, REQUIRED_COMMUNES, "communes")
    _require(fabriques, ("insee_com", "cohort"), "fabriques")
    _require(tiers_lieux, ("insee_com",), "tiers_lieux_2019")
    in_region = communes["insee_reg"] == region
    without_epci = int((in_region & communes["siren_epci"].isna()).sum())
    sirens = communes.loc[in_region, "siren_epci"].dropna().unique()
    members = communes[communes["siren_epci"].isin(sirens)].copy()
    if members.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in PROFILE_COLUMNS})
        out.attrs["communes_sans_epci"] = without_epci
        return out
    pop = members["population"].astype("Float64").fillna(0).astype(float)
    inside = (members["insee_reg"] == region).to_numpy()
    members = members.assign(
        _pop=pop,
        _in=inside,
        _pop_in=np.where(inside, pop, 0.0),
        _qpv=members["qpv_population"].astype(float).fillna(0),
        _far=np.where(members["distance_fabrique_m"].astype(float).gt(distance_m).to_numpy(), pop, 0.0),
        _pvd=members["pvd"].astype("boolean").fillna(False).astype(int),
        _acv=members["acv"].astype("boolean").fillna(False).astype(int),
    )
    for label, column in DENSITY_3_COLUMNS.items():
        members[column] = np.where(members["densite_3"].astype(object).eq(label).to_numpy(), pop, 0.0)
    grouped = members.groupby("siren_epci")
    out = grouped.agg(
        nom_epci=("nom_epci", "first"),
        type_epci=("type_epci", "first"),
        communes_region=("_in", "sum"),
        communes=("insee_com", "count"),
        population_region=("_pop_in", "sum"),
        population=("_pop", "sum"),
        **{c: (c, "sum") for c in DENSITY_3_COLUMNS.values()},
        qpv_population=("_qpv", "sum"),
        population_loin_fabrique=("_far", "sum"),
        communes_pvd=("_pvd", "sum"),
        communes_acv=("_acv", "sum"),
    )
    others = members.loc[~members["_in"]].groupby("siren_epci")["insee_reg"].agg(lambda s: ", ".join(sorted(set(s))))
    out["autres_regions"] = others.reindex(out.index).fillna("")
    out["entierement_dans_la_region"] = out["communes_region"] == out["communes"]
    out["part_population_region"] = (out["population_region"] / out["population"]).where(out["population"] > 0)
    out["part_population_rurale"] = (out["population_rurale"] / out["population"]).where(out["population"] > 0)
    epci_of = members.set_index("insee_com")["siren_epci"]
    cohorts = _count_by_epci(fabriques, epci_of, "cohort")
    for cohort, column in (("2020-2021", "fabriques_2020_2021"), ("2023", "fabriques_2023")):
        counts = cohorts[cohort] if cohort in cohorts.columns else pd.Series(dtype=int)
        out[column] = counts.reindex(out.index).fillna(0).astype(int)
    out["fabriques"] = _count_by_epci(fabriques, epci_of).reindex(out.index).fillna(0).astype(int)
    out["tiers_lieux_2019"] = _count_by_epci(tiers_lieux, epci_of).reindex(out.index).fillna(0).astype(int)
    int_columns = ["communes_region", "communes", "population_region", "population", "communes_pvd", "communes_acv"]
    int_columns += [*DENSITY_3_COLUMNS.values(), "qpv_population", "population_loin_fabrique"]
    out[int_columns] = out[int_columns].round().astype("int64")
    out = out.reset_index()[PROFILE_COLUMNS].sort_values(["nom_epci", "siren_epci"]).reset_index(drop=True)
    out.attrs["communes_sans_epci"] = without_epci
    return out


# The simulator's table and the profile's columns as the page labels them.
COLUMN_LABELS = {
    "siren_epci": "SIREN",
    "nom_epci": "EPCI",
    "type_epci": "Type",
    "communes_region": "Communes dans la région",
    "communes": "Communes (EPCI entier)",
    "entierement_dans_la_region": "Entièrement dans la région",
    "autres_regions": "Autres régions",
    "population_region": "Population dans la région",
    "population": "Population (EPCI entier)",
    "part_population_region": "Part dans la région",
    "population_urbain_dense": "Population urbaine dense",
    "population_urbain_intermediaire": "Population urbaine intermédiaire",
    "population_rurale": "Population rurale",
    "part_population_rurale": "Part rurale",
    "qpv_population": "Population en QPV",
    "population_loin_fabrique": "Population à plus de X km d'une Fabrique",
    "fabriques_2020_2021": "Fabriques 2020-2021",
    "fabriques_2023": "Fabriques 2023",
    "fabriques": "Fabriques",
    "tiers_lieux_2019": "Tiers-lieux 2019",
    "communes_pvd": "Communes PVD",
    "communes_acv": "Communes ACV",
    "montant_simule": "Montant simulé",
    "part_enveloppe": "Part de l'enveloppe",
    "contraint": "Contrainte",
}
# Indicators the map can colour the EPCI by: column → (label, scale, decimals).
MAP_INDICATORS = {
    "part_population_rurale": ("Part de la population en commune rurale (%)", 100, 1),
    "population": ("Population (EPCI entier)", 1, 0),
    "qpv_population": ("Population en QPV", 1, 0),
    "population_loin_fabrique": ("Population à plus de X km d'une Fabrique", 1, 0),
    "fabriques": ("Fabriques", 1, 0),
}


def with_distance(label: str, distance_km: int) -> str:
    """A label naming the distance X in km (« Population à plus de 20 km d'une Fabrique »)."""
    return label.replace("X km", f"{distance_km} km")


def compute_epci_tooltip_lines(profile: pd.DataFrame) -> pd.Series:
    """One more tooltip line per EPCI (HTML from escaped values), indexed by SIREN: its type, its
    communes in the région and the régions it straddles."""

    def line(row) -> str:
        kind = escape_markup(EPCI_TYPES.get(row.type_epci, str(row.type_epci)))
        text = f"{kind}<br>Communes dans la région : {row.communes_region} sur {row.communes}"
        if not row.entierement_dans_la_region:
            text += f"<br>À cheval sur : {escape_markup(row.autres_regions)}"
        return text

    return pd.Series([line(r) for r in profile.itertuples()], index=profile["siren_epci"].to_numpy())


def describe_region_profile(profile: pd.DataFrame, region_name: str, region_names: dict[str, str]) -> str:
    """The summary of :func:`compute_region_epci_profile`: EPCI wholly inside or straddling, whole EPCI
    counted (French, Markdown)."""
    straddling = profile[~profile["entierement_dans_la_region"]]
    others = sorted({code for codes in straddling["autres_regions"] for code in codes.split(", ") if code})
    population, inside = profile["population"].sum(), profile["population_region"].sum()
    share = inside / population if population else float("nan")
    return (
        f"{format_number(len(profile))} EPCI ont au moins une commune en {region_name} ; "
        f"{format_number(len(profile) - len(straddling))} y sont entièrement, {format_number(len(straddling))} sont à "
        f"cheval sur {', '.join(region_names.get(c, c) for c in others) or 'aucune autre région'}. "
        f"**Chaque EPCI est compté en entier** (c'est l'intercommunalité qui candidate) : "
        f"{format_number(population)} habitants, dont {format_number(inside)} dans la région "
        f"({format_percent(share)}). "
        "Les colonnes « communes_region » et « population_region » donnent la part située dans la région."
    )


SIMULATION_NOTE = (
    "Simulation : l'appel annonce une enveloppe globale mais aucune règle de répartition (sélection par un comité "
    "interne puis vote des élus régionaux). Les montants ci-dessous montrent ce que donneraient des règles "
    "simples ; ils ne sont pas ceux de la Région."
)


def weight_of(method: str, need: str | None) -> str | None:
    """The profile column an allocation method shares by (None for equal shares)."""
    return {"egal": None, "population": "population", "besoin": need}[method]


def compute_allocation_table(allocation: pd.DataFrame, weight: str | None) -> pd.DataFrame:
    """The simulated allocation as the page shows and exports it, largest amount first: profile
    columns, the weight, ``montant_simule`` and ``part_enveloppe`` (numbers), ``contraint``.

    Exported under their own names: "montant" elsewhere means an amount actually granted.
    """
    columns = ["siren_epci", "nom_epci", "type_epci", "entierement_dans_la_region", "population"]
    columns += [weight] if weight and weight not in columns else []
    return (
        allocation[[*columns, "montant", "part", "contraint"]]
        .sort_values(["montant", "nom_epci"], ascending=[False, True])
        .rename(columns={"montant": "montant_simule", "part": "part_enveloppe"})
        .reset_index(drop=True)
    )


def format_allocation_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`compute_allocation_table` with its euros and shares as French text."""
    return table.assign(
        montant_simule=table["montant_simule"].map(format_euros),
        part_enveloppe=table["part_enveloppe"].map(format_percent),
    )


def describe_allocation(table: pd.DataFrame) -> str:
    """Smallest and largest simulated amounts and how many candidates a floor or cap bound (French)."""
    largest, smallest = table.iloc[0], table.iloc[-1]
    bound = table["contraint"].value_counts()
    return (
        f"de {format_euros(smallest['montant_simule'])} ({smallest['nom_epci']}) à "
        f"{format_euros(largest['montant_simule'])} ({largest['nom_epci']}) ; "
        f"{format_number(bound.get('plancher', 0))} EPCI relevés au plancher, "
        f"{format_number(bound.get('plafond', 0))} limités au plafond."
    )


def describe_rule(method: str, need: str | None, distance_km: int) -> str:
    """How the envelope is shared, as a title says it (« au prorata de « Population rurale … » »)."""
    if method == "besoin" and need:
        return f"au prorata de « {with_distance(NEED_INDICATORS[need], distance_km)} »"
    return METHODS[method].lower()
