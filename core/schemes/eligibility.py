"""Eligibility of a project to each scheme: one verdict per scheme, each with its rules and facts.

The rules are data (:data:`RULES`): a scheme's verdict is "Non éligible" when one rule fails,
"Information manquante" when none fails but one lacks an answer, "Éligible" otherwise. Rules
marked ``info`` tell something (a closed call, a targeting criterion to check at the address)
without deciding. The territorial facts come from the marts (COG 2026, density grid, QPV 2024).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core.domain.formatting import format_euros, format_number
from core.schemes.registry import Scheme

OK, FAIL, MISSING, INFO = "ok", "non", "manquant", "info"
ELIGIBLE, NOT_ELIGIBLE, INCOMPLETE = "Éligible", "Non éligible", "Information manquante"
STATUS_LABELS = {OK: "respectée", FAIL: "non respectée", MISSING: "information manquante", INFO: "pour information"}

OWNER_TYPES = {
    "public": "Collectivité ou autre maître d'ouvrage public (commune, syndicat, établissement public…)",
    "cc": "Communauté de communes",
    "ca": "Communauté d'agglomération",
    "metropole": "Métropole",
    "cu": "Communauté urbaine",
    "ess": "Structure de l'économie sociale et solidaire (association, coopérative, SCIC, fondation…)",
    "prive": "Entreprise privée hors ESS",
    "autre": "Autre",
}
INTERCOMMUNALITIES = frozenset({"cc", "ca", "metropole"})
EPCI_TYPE_OWNER = {"CC": "cc", "CA": "ca", "METRO": "metropole", "MET69": "metropole", "CU": "cu"}
SERVICES = {
    "teletravail": "Centre de télétravail",
    "coworking": "Espace de travail partagé (coworking)",
    "fablab": "Fab lab",
    "livinglab": "Living lab",
    "accompagnement": "Espace d'accompagnement des professionnels",
    "mediation": "Espace de médiation numérique ouvert au public",
    "vie_sociale": "Espace de vie sociale (commerce ou services aux habitants)",
}
CO_FUNDERS = {
    "ue": "Union européenne",
    "etat": "État",
    "region": "Région",
    "intercommunalite": "Intercommunalité",
    "commune": "Commune",
    "departement": "Département",
    "autre_public": "Autre financeur public",
}


@dataclass(frozen=True)
class Project:
    """A project as its owner describes it; None means "not said"."""

    nom: str = ""
    type_porteur: str | None = None
    services: frozenset[str] | None = None
    animation: bool | None = None
    cofinanceurs: frozenset[str] | None = None
    depense_ht: float | None = None
    insee_com: str | None = None


@dataclass(frozen=True)
class TerritoryFacts:
    """What the marts say about the project's commune (all None when the commune is not given)."""

    insee_com: str | None = None
    nom_com: str | None = None
    insee_dep: str | None = None
    nom_dep: str | None = None
    insee_reg: str | None = None
    nom_reg: str | None = None
    siren_epci: str | None = None
    nom_epci: str | None = None
    type_epci: str | None = None
    epci_regions: tuple[str, ...] = ()
    densite_niveau: int | None = None
    densite_libelle: str | None = None
    rural_insee: bool | None = None
    qpv_nombre: int = 0
    frr: bool | None = None
    nom_arr: str | None = None
    fabriques_arrondissement_2020_2021: int | None = None

    def describe(self) -> str:
        """The facts in one French sentence."""
        if self.insee_com is None:
            return "Commune non renseignée."
        parts = [
            f"{self.nom_com} ({self.insee_com}), {self.nom_dep}, {self.nom_reg}",
            f"EPCI : {self.nom_epci or 'aucun'}" + (f" ({self.type_epci})" if self.type_epci else ""),
            f"densité : {self.densite_libelle or 'n.d.'}" + (" — commune rurale" if self.rural_insee else ""),
            f"{self.qpv_nombre} QPV dans la commune" if self.qpv_nombre else "aucun QPV dans la commune",
        ]
        if self.frr:
            parts.append("classée France Ruralités Revitalisation")
        return " ; ".join(parts) + "."


@dataclass(frozen=True)
class RuleResult:
    """One rule applied to one project."""

    regle: str
    statut: str
    explication: str
    faits: str = ""


@dataclass(frozen=True)
class SchemeVerdict:
    """A scheme's verdict for a project, with every rule behind it."""

    dispositif: str
    verdict: str
    regles: tuple[RuleResult, ...] = field(default_factory=tuple)


def compute_territory_facts(
    insee_com: str | None, communes: pd.DataFrame, arrondissements: pd.DataFrame | None = None
) -> TerritoryFacts:
    """The facts the rules use about a commune (COG 2026 code), read from the marts.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart.
    arrondissements : DataFrame, optional
        The ``arrondissements`` mart (for the 2023 wave's criterion).
    """
    if not insee_com:
        return TerritoryFacts()
    match = communes[communes["insee_com"] == insee_com]
    if match.empty:
        return TerritoryFacts()
    row = match.iloc[0]
    epci = row.get("siren_epci")
    regions: tuple[str, ...] = ()
    if isinstance(epci, str) and epci:
        regions = tuple(sorted(communes.loc[communes["siren_epci"] == epci, "insee_reg"].dropna().unique()))
    fab_arr = None
    if arrondissements is not None and isinstance(row.get("insee_arr"), str):
        arr = arrondissements[arrondissements["insee_arr"] == row["insee_arr"]]
        fab_arr = int(arr["fabriques_2020_2021"].iloc[0]) if not arr.empty else None

    def text(key: str) -> str | None:
        value = row.get(key)
        return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)

    density = row.get("densite_niveau")
    return TerritoryFacts(
        insee_com=insee_com,
        nom_com=text("nom_com"),
        insee_dep=text("insee_dep"),
        nom_dep=text("nom_dep"),
        insee_reg=text("insee_reg"),
        nom_reg=text("nom_reg"),
        siren_epci=text("siren_epci"),
        nom_epci=text("nom_epci"),
        type_epci=text("type_epci"),
        epci_regions=regions,
        densite_niveau=None if pd.isna(density) else int(density),
        densite_libelle=text("densite_libelle"),
        rural_insee=None if pd.isna(row.get("rural_insee")) else bool(row["rural_insee"]),
        qpv_nombre=int(row.get("qpv_nombre") or 0),
        frr=None if pd.isna(row.get("frr")) else bool(row["frr"]),
        nom_arr=text("nom_arr"),
        fabriques_arrondissement_2020_2021=fab_arr,
    )


Rule = Callable[[Project, TerritoryFacts, Scheme], RuleResult]


def _owner_rule(allowed: frozenset[str], label: str) -> Rule:
    def rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
        name = "Type de porteur"
        if project.type_porteur is None:
            return RuleResult(name, MISSING, f"Le type de porteur n'est pas renseigné ({label}).")
        said = OWNER_TYPES.get(project.type_porteur, project.type_porteur)
        if project.type_porteur in allowed:
            return RuleResult(name, OK, f"« {said} » fait partie des porteurs admis ({label}).")
        return RuleResult(name, FAIL, f"« {said} » ne fait pas partie des porteurs admis ({label}).")

    return rule


def _services_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name, needed = "Services combinés", max(scheme.services_minimum, 1)
    if project.services is None:
        return RuleResult(name, MISSING, "Les services proposés ne sont pas renseignés.")
    listed = ", ".join(SERVICES[s] for s in sorted(project.services)) or "aucun"
    if len(project.services) >= needed:
        return RuleResult(name, OK, f"{len(project.services)} service(s) sur {needed} requis au moins : {listed}.")
    return RuleResult(
        name, FAIL, f"Le projet combine {len(project.services)} service(s) ({listed}) ; il en faut au moins {needed}."
    )


def _animation_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Animation avec personnel dédié"
    if project.animation is None:
        return RuleResult(name, MISSING, "L'engagement d'animation (programme et personnel dédié) n'est pas renseigné.")
    if project.animation:
        return RuleResult(name, OK, "Le porteur s'engage à animer l'espace avec du personnel dédié.")
    return RuleResult(name, FAIL, "Le dispositif exige un programme d'animation avec du personnel dédié.")


def _co_funding_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Cofinancement public autre que le Département"
    if project.cofinanceurs is None:
        return RuleResult(name, MISSING, "Les cofinanceurs ne sont pas renseignés.")
    others = sorted(project.cofinanceurs - {"departement"})
    if others:
        return RuleResult(name, OK, "Cofinancement : " + ", ".join(CO_FUNDERS[c] for c in others) + ".")
    return RuleResult(
        name, FAIL, "Aucune contrepartie publique autre que le Département (UE, Région, intercommunalité…)."
    )


def _expenditure_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name, floor = "Dépense minimale", scheme.depense_minimum_ht
    if project.depense_ht is None:
        return RuleResult(name, MISSING, f"La dépense prévue n'est pas renseignée (au moins {format_euros(floor)} HT).")
    said = format_euros(project.depense_ht)
    if project.depense_ht >= floor:
        return RuleResult(name, OK, f"{said} HT, au moins {format_euros(floor)} HT.")
    return RuleResult(name, FAIL, f"{said} HT, sous le minimum de {format_euros(floor)} HT.")


def _departement_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Territoire du Département"
    if facts.insee_com is None:
        return RuleResult(name, MISSING, "La commune du projet n'est pas renseignée (ou inconnue du COG 2026).")
    if facts.insee_dep == scheme.departement:
        return RuleResult(name, OK, f"La commune est dans le département {scheme.departement}.", facts.describe())
    return RuleResult(
        name, FAIL, f"La commune est dans le département {facts.insee_dep}, pas {scheme.departement}.", facts.describe()
    )


def _region_epci_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Intercommunalité de la région"
    if facts.insee_com is None:
        return RuleResult(name, MISSING, "La commune du projet n'est pas renseignée (ou inconnue du COG 2026).")
    if not facts.siren_epci:
        return RuleResult(name, FAIL, "La commune n'appartient à aucun EPCI à fiscalité propre.", facts.describe())
    if scheme.region in facts.epci_regions:
        straddles = len(facts.epci_regions) > 1
        detail = " (l'EPCI s'étend aussi sur une autre région)" if straddles else ""
        mismatch = ""
        owner = EPCI_TYPE_OWNER.get(facts.type_epci or "")
        if project.type_porteur in INTERCOMMUNALITIES and owner and owner != project.type_porteur:
            mismatch = (
                f" Attention : l'EPCI de la commune est de type {facts.type_epci}, pas le type de porteur déclaré."
            )
        return RuleResult(
            name,
            OK,
            f"{facts.nom_epci} compte des communes en {scheme.territoire}{detail}.{mismatch}",
            facts.describe(),
        )
    return RuleResult(name, FAIL, f"{facts.nom_epci} n'a aucune commune en {scheme.territoire}.", facts.describe())


def _call_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    return RuleResult(
        "Calendrier",
        INFO,
        f"{scheme.calendrier} : le verdict dit si le projet aurait répondu aux conditions ; une nouvelle session est à "
        "vérifier auprès du financeur.",
    )


def _tiers_lieu_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Lieu offrant des services de tiers-lieu"
    if project.services is None:
        return RuleResult(name, MISSING, "Les services proposés ne sont pas renseignés.")
    if project.services:
        return RuleResult(name, OK, f"{len(project.services)} service(s) de tiers-lieu proposé(s).")
    return RuleResult(name, FAIL, "Une Fabrique est un tiers-lieu : le projet doit proposer au moins un service.")


def _fabriques_target_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Ciblage : QPV ou hors des grands centres urbains"
    if facts.insee_com is None:
        return RuleResult(name, MISSING, "La commune du projet n'est pas renseignée (ou inconnue du COG 2026).")
    if facts.densite_niveau is not None and facts.densite_niveau != 1:
        return RuleResult(
            name, OK, f"Commune hors des grands centres urbains ({facts.densite_libelle}).", facts.describe()
        )
    if facts.qpv_nombre:
        return RuleResult(
            name,
            MISSING,
            f"Grand centre urbain comptant {facts.qpv_nombre} QPV : l'adresse du lieu dira s'il est dans un quartier "
            "prioritaire.",
            facts.describe(),
        )
    return RuleResult(name, FAIL, "Grand centre urbain sans quartier prioritaire.", facts.describe())


def _wave_2023_rule(project: Project, facts: TerritoryFacts, scheme: Scheme) -> RuleResult:
    name = "Vague 2023 : arrondissement sans Fabrique"
    if facts.fabriques_arrondissement_2020_2021 is None:
        return RuleResult(name, INFO, "Arrondissement non connu : critère de la vague 2023 non évalué.")
    n = facts.fabriques_arrondissement_2020_2021
    said = f"L'arrondissement {_of(facts.nom_arr or '')} compte {format_number(n)} Fabrique(s) de 2020-2021"
    return RuleResult(
        name,
        INFO,
        said + (" : il était éligible à la vague 2023." if n == 0 else " : il ne l'était pas."),
        facts.describe(),
    )


def _of(name: str) -> str:
    """French "de X" / "d'X"."""
    return f"d'{name}" if name[:1].lower() in "aeiouyhéèêâîôû" else f"de {name}"


RULES: dict[str, tuple[Rule, ...]] = {
    "fabriques": (_tiers_lieu_rule, _fabriques_target_rule, _wave_2023_rule, _call_rule),
    "departemental": (
        _owner_rule(
            frozenset({"public", "cc", "ca", "metropole", "cu", "ess"}),
            "maîtres d'ouvrage publics, structures de l'ESS",
        ),
        _services_rule,
        _animation_rule,
        _co_funding_rule,
        _expenditure_rule,
        _departement_rule,
    ),
    "region_sud": (
        _owner_rule(INTERCOMMUNALITIES, "communautés de communes, d'agglomération, métropoles"),
        _region_epci_rule,
        _call_rule,
    ),
}


def evaluate_project(project: Project, facts: TerritoryFacts, schemes: dict[str, Scheme]) -> list[SchemeVerdict]:
    """Apply every scheme's rules to a project.

    Returns
    -------
    list of SchemeVerdict
        One per scheme of ``schemes`` that has rules, in the registry's order.
    """
    verdicts = []
    for scheme_id, scheme in schemes.items():
        results = tuple(rule(project, facts, scheme) for rule in RULES.get(scheme_id, ()))
        statuses = {r.statut for r in results}
        verdict = NOT_ELIGIBLE if FAIL in statuses else INCOMPLETE if MISSING in statuses else ELIGIBLE
        verdicts.append(SchemeVerdict(scheme.nom, verdict, results))
    return verdicts


def compute_verdicts_table(
    projects: list[Project], facts: list[TerritoryFacts], schemes: dict[str, Scheme]
) -> pd.DataFrame:
    """One row per project and scheme: verdict, the rules not met or missing, the facts used."""
    rows = []
    for project, fact in zip(projects, facts, strict=True):
        for verdict in evaluate_project(project, fact, schemes):
            blocking = [r for r in verdict.regles if r.statut in (FAIL, MISSING)]
            rows.append(
                {
                    "projet": project.nom,
                    "dispositif": verdict.dispositif,
                    "verdict": verdict.verdict,
                    "motifs": " | ".join(f"{r.regle} : {r.explication}" for r in blocking),
                    "faits territoriaux": fact.describe(),
                }
            )
    return pd.DataFrame(rows, columns=["projet", "dispositif", "verdict", "motifs", "faits territoriaux"])


def compute_rules_table(verdict: SchemeVerdict) -> pd.DataFrame:
    """The rules of one verdict as a table (règle, statut, explication, faits)."""
    return pd.DataFrame(
        [(r.regle, STATUS_LABELS[r.statut], r.explication, r.faits) for r in verdict.regles],
        columns=["règle", "statut", "explication", "faits utilisés"],
    )


def compute_verdict_counts(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Projects per scheme and verdict (one row per scheme, one column per verdict met)."""
    counts = verdicts.pivot_table(index="dispositif", columns="verdict", values="projet", aggfunc="count", fill_value=0)
    return counts.reset_index().rename_axis(columns=None)
