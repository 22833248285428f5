"""The registry of funding schemes (``core/reference/dispositifs.toml``) and its side-by-side view."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

REGISTRY_FILE = Path(__file__).resolve().parents[1] / "reference" / "dispositifs.toml"
REQUIRED = (
    "id",
    "nom",
    "financeur",
    "nature",
    "territoire",
    "beneficiaires",
    "objet",
    "montant",
    "enveloppe_texte",
    "calendrier",
    "source_document",
    "source_titre",
)
# Rows of the side-by-side table: attribute → label shown.
COMPARISON_ROWS = {
    "financeur": "Financeur",
    "nature": "Nature",
    "territoire": "Territoire",
    "beneficiaires": "Qui peut candidater",
    "objet": "Ce qui est financé",
    "montant": "Montants",
    "enveloppe_texte": "Enveloppe",
    "duree": "Durée",
    "calendrier": "Calendrier",
    "ciblage": "Conditions et ciblage",
    "source": "Document source",
}


class RegistryError(ValueError):
    """The registry file is malformed; the message names the scheme and the field."""


@dataclass(frozen=True)
class Wave:
    """One selection wave of a scheme."""

    nom: str
    lieux: int
    montant_par_lieu: str
    source: str
    source_url: str = ""


@dataclass(frozen=True)
class Scheme:
    """A funding scheme and its parameters, as its source document states them."""

    id: str
    nom: str
    financeur: str
    nature: str
    territoire: str
    beneficiaires: str
    objet: str
    montant: str
    enveloppe_texte: str
    calendrier: str
    source_document: str
    source_titre: str
    enveloppe_eur: int = 0
    duree: str = ""
    date_cloture: str = ""
    ciblage: str = ""
    source_complements: str = ""
    departement: str = ""
    region: str = ""
    depense_minimum_ht: int = 0
    services_minimum: int = 0
    points: tuple[str, ...] = ()
    vagues: tuple[Wave, ...] = field(default_factory=tuple)

    @property
    def source(self) -> str:
        """The source document and its title, as a caption."""
        extra = f" ; {self.source_complements}" if self.source_complements else ""
        return f"{self.source_titre} (document {self.source_document}){extra}"


def load_registry(path: Path | None = None) -> dict[str, Scheme]:
    """Read the registry of schemes, keyed by id, in the file's order.

    Raises
    ------
    RegistryError
        When a scheme lacks a required field or two schemes share an id.
    """
    body = tomllib.loads((path or REGISTRY_FILE).read_text(encoding="utf-8"))
    schemes: dict[str, Scheme] = {}
    for position, raw in enumerate(body.get("dispositif", []), start=1):
        missing = [key for key in REQUIRED if not str(raw.get(key, "")).strip()]
        if missing:
            raise RegistryError(f"dispositif n° {position} ({raw.get('id', '?')}) : champs manquants {missing}")
        if raw["id"] in schemes:
            raise RegistryError(f"identifiant de dispositif en double : {raw['id']}")
        waves = tuple(Wave(**w) for w in raw.pop("vague", []))
        known = set(Scheme.__dataclass_fields__) - {"vagues"}
        unknown = set(raw) - known
        if unknown:
            raise RegistryError(f"dispositif {raw['id']} : champs inconnus {sorted(unknown)}")
        raw["points"] = tuple(raw.get("points", ()))
        schemes[raw["id"]] = Scheme(**raw, vagues=waves)
    return schemes


def with_departement(scheme: Scheme, departement: str) -> Scheme:
    """The same scheme applied to another département (the départemental scheme is configurable)."""
    return replace(scheme, departement=departement)


def compute_schemes_table(schemes: dict[str, Scheme]) -> pd.DataFrame:
    """The schemes side by side: one row per attribute, one column per scheme.

    Examples
    --------
    >>> table = compute_schemes_table(load_registry())
    >>> list(table.columns)[:2]
    ['critère', 'Fabriques de Territoire']
    """
    rows = []
    for attribute, label in COMPARISON_ROWS.items():
        row = {"critère": label}
        for scheme in schemes.values():
            row[scheme.nom] = getattr(scheme, attribute) or "Non précisé dans le document"
        rows.append(row)
    return pd.DataFrame(rows)


def compute_waves_table(scheme: Scheme) -> pd.DataFrame:
    """The waves of a scheme: name, places, amount per place, source."""
    columns = ["vague", "lieux", "montant par lieu", "source", "lien"]
    rows = [(w.nom, w.lieux, w.montant_par_lieu, w.source, w.source_url) for w in scheme.vagues]
    return pd.DataFrame(rows, columns=columns)


def compute_scheme_footprint(
    scheme: Scheme, communes: pd.DataFrame, fabriques: pd.DataFrame, tiers_lieux: pd.DataFrame
) -> pd.DataFrame:
    """What the open data hold within a scheme's territory (never a figure of the scheme itself).

    Parameters
    ----------
    scheme : Scheme
        Its ``departement`` or ``region`` (both empty: France entière) sets the territory.
    communes, fabriques, tiers_lieux : DataFrame
        The marts of the same names.

    Returns
    -------
    DataFrame
        ``indicateur, valeur`` (numbers, to format on display).
    """
    if scheme.departement:
        inside = communes["insee_dep"] == scheme.departement
        fab = fabriques[fabriques["insee_dep"] == scheme.departement]
        tl = tiers_lieux[tiers_lieux["insee_dep"] == scheme.departement]
    elif scheme.region:
        inside = communes["insee_reg"] == scheme.region
        fab = fabriques[fabriques["insee_reg"] == scheme.region]
        tl = tiers_lieux[tiers_lieux["insee_reg"] == scheme.region]
    else:
        inside = pd.Series(True, index=communes.index)
        fab, tl = fabriques, tiers_lieux
    rows = [
        ("Communes (COG 2026)", int(inside.sum())),
        ("Population municipale", float(communes.loc[inside, "population"].sum())),
        ("Fabriques de Territoire (toutes cohortes)", len(fab)),
        ("dont cohorte 2020-2021", int((fab["cohort"] == "2020-2021").sum())),
        ("dont cohorte 2023", int((fab["cohort"] == "2023").sum())),
        ("Tiers-lieux recensés en 2019", len(tl)),
    ]
    if scheme.region:
        epci = communes.loc[inside, "siren_epci"].dropna().unique()
        regions = communes[communes["siren_epci"].isin(epci)].groupby("siren_epci")["insee_reg"].nunique()
        rows += [
            ("EPCI ayant au moins une commune dans la région", len(epci)),
            ("dont entièrement dans la région", int((regions == 1).sum())),
        ]
    return pd.DataFrame(rows, columns=["indicateur", "valeur"])


def describe_scheme_territory(scheme: Scheme, departement_names: dict[str, str]) -> str:
    """Where a scheme applies, as a caption says it: « département Lot-et-Garonne », « Région Sud »…"""
    if scheme.departement:
        return f"département {departement_names.get(scheme.departement, scheme.departement)}"
    return "Région Sud" if scheme.region else "France entière"
