"""Planning the next wave: where ``n`` new Fabriques would bring the most of the people the programme
targets within reach (the maximal covering location problem, :mod:`core.analysis.covering`).

The method, as the page states it:

- **Demand**: each commune of the scope, weighted by the populations chosen — the population of its
  QPV 2024 (on the QPV's principal commune), its population if it is rural (INSEE density levels 5
  to 7), its population if it is classed FRR — each times its weight. A commune that is rural and
  FRR counts for both.
- **Reach**: a site reaches the communes whose centroid is within ``X`` km of its own centroid,
  crow-fly, in the metric CRS of its territory (Lambert-93, the local UTM zone overseas), like every
  distance of the dashboard; one spatial index (STRtree) per territory.
- **Already reached**: communes within ``X`` km of a place counted as already there are left out.
- **Candidate sites**: the communes of the scope chosen as candidates (all, or those with a 2019
  tiers-lieu, a PVD or an ACV) that the switched-on rules allow (:mod:`core.analysis.planner_rules`).

It is a gap indicator, not a recommendation: it ignores travel times, the demand for a tiers-lieu,
the other tiers-lieux (unless counted), and the projects themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.analysis.covering import CoveringProblem, CoveringSolution, solve_greedy
from core.analysis.covering_exact import solve_exact
from core.analysis.planner_rules import CANDIDATE_KINDS, RULE_ARRONDISSEMENT, RULES, compute_eligibility
from core.analysis.scope import Scope
from core.domain.classifications import COHORT_2020_2021, COHORT_2023
from core.domain.formatting import format_number, format_percent
from core.geo.crs import ZonedPoints, project_by_zone
from core.geo.within import Neighbourhoods, compute_neighbourhoods, compute_within_any

POPULATIONS: dict[str, str] = {
    "qpv": "Population des QPV 2024",
    "rurale": "Population des communes rurales (densité 5 à 7)",
    "frr": "Population des communes France Ruralités Revitalisation",
}
GAIN_COLUMNS = {"qpv": "population_qpv_gagnee", "rurale": "population_rurale_gagnee", "frr": "population_frr_gagnee"}
PLACE_COLUMNS = ["longitude", "latitude", "insee_dep", "insee_arr"]
METHOD_NOTE = """
**Ce que montre la page.** Un indicateur de manque, pas une recommandation : où N nouveaux lieux mettraient le
plus d'habitants ciblés à moins de X km, compte tenu des lieux déjà là. Aucun projet n'est évalué.

**Méthode.** Problème de couverture maximale sur les communes du territoire choisi dans la barre latérale (il
restreint les sites candidats et la population ciblée ; les autres filtres ne s'appliquent pas ici). Chaque
commune pèse la population des QPV 2024 dont elle est la commune principale, sa population si elle est rurale
(grille de densité de l'INSEE, niveaux 5 à 7), sa population si elle est classée France Ruralités Revitalisation,
chacune multipliée par son poids ; une commune rurale et classée FRR compte pour les deux. Un site atteint les
communes dont le centroïde est à moins de X km du sien, à vol d'oiseau, en Lambert-93 (UTM locale outre-mer),
comme toutes les distances du tableau de bord ; ce que les lieux comptés atteignent déjà est retiré.

**Règles du programme** (registre des dispositifs) : « en QPV ou hors des grands centres urbains » admet une
commune qui a un QPV 2024 ou qui n'est pas un « Grand centre urbain » (niveau 1 de la grille de densité) ; la
règle de 2023 n'admet que les arrondissements sans lieu compté, un site au plus par arrondissement (Mayotte, sans
arrondissement, n'est alors pas éligible).

**Calcul.** Le glouton à évaluation paresseuse choisit à chaque pas le site qui atteint le plus de ce qui reste :
il est à au moins 1 − 1/e (63 %) de l'optimum, à au moins la moitié avec la règle d'un site par arrondissement, et
donne une borne de l'optimum. Le calcul exact (bouton) résout le programme en nombres entiers avec HiGHS sous une
limite de temps (relaxation linéaire par génération de colonnes, fixation des sites par leur gain réduit) et dit
l'écart entre la solution et la meilleure borne prouvée. La courbe est celle du glouton : ses k premiers sites
sont son plan pour k sites.

**Ce qui est ignoré.** Les temps de trajet et l'offre de transport, la demande réelle d'un tiers-lieu, les autres
tiers-lieux (sauf une liste importée comptée comme déjà là), la capacité des lieux, et les projets eux-mêmes.
La vague 2023 est comparée à l'optimum du même nombre de sites, toutes communes du territoire candidates, avec les
Fabriques 2020-2021 comme seuls lieux déjà là (la situation de l'appel de 2023).
"""


class PlannerInputError(ValueError):
    """Settings or frames given to the planner are malformed; the message says what to change."""


@dataclass(frozen=True)
class PlanSettings:
    """What a plan is asked for: ``sites`` new places, reaching within ``distance_km``, the weights of
    the populations (:data:`POPULATIONS`), the rules switched on and the candidate kinds (empty: all
    communes)."""

    sites: int = 80
    distance_km: float = 10.0
    weight_qpv: float = 1.0
    weight_rural: float = 1.0
    weight_frr: float = 0.0
    rules: tuple[str, ...] = tuple(RULES)
    kinds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if int(self.sites) != self.sites or not 1 <= self.sites <= 1000:
            raise PlannerInputError(f"the number of new sites must be a whole number from 1 to 1000, got {self.sites}")
        if not self.distance_km > 0:
            raise PlannerInputError(f"the distance must be a positive number of km, got {self.distance_km}")
        if min(self.weight_qpv, self.weight_rural, self.weight_frr) < 0:
            raise PlannerInputError("population weights must be zero or positive")

    @property
    def weights(self) -> dict[str, float]:
        """Weight of each population of :data:`POPULATIONS`."""
        return {"qpv": self.weight_qpv, "rurale": self.weight_rural, "frr": self.weight_frr}


@dataclass(frozen=True)
class CommuneGraph:
    """The communes' centroids in their metric CRS and the communes within ``distance_m`` of each
    (rows aligned with the ``communes`` mart). Made once per version of the mart and distance."""

    centroids: ZonedPoints
    neighbourhoods: Neighbourhoods

    @property
    def distance_m(self) -> float:
        """The reach distance in metres."""
        return self.neighbourhoods.distance_m


def compute_commune_graph(communes: pd.DataFrame, distance_km: float) -> CommuneGraph:
    """Project the communes' centroids and index the pairs within ``distance_km`` (see
    :func:`core.geo.within.compute_neighbourhoods`)."""
    centroids = project_by_zone(communes["centroide_lon"], communes["centroide_lat"], communes["insee_dep"])
    return CommuneGraph(centroids, compute_neighbourhoods(centroids, float(distance_km) * 1000))


def compute_target_populations(communes: pd.DataFrame) -> pd.DataFrame:
    """The population of each kind of :data:`POPULATIONS` in each commune (unweighted, 0 when none).

    Examples
    --------
    >>> communes = pd.DataFrame({"population": [1000, 200], "qpv_population": [300.0, None],
    ...     "rural_insee": [False, True], "frr": [False, True]})
    >>> compute_target_populations(communes).to_dict("list")
    {'qpv': [300.0, 0.0], 'rurale': [0.0, 200.0], 'frr': [0.0, 200.0]}
    """
    population = pd.to_numeric(communes["population"], errors="coerce").fillna(0).astype(float)
    rural = communes["rural_insee"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    frr = communes["frr"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "qpv": pd.to_numeric(communes["qpv_population"], errors="coerce").fillna(0).astype(float).to_numpy(),
            "rurale": np.where(rural, population, 0.0),
            "frr": np.where(frr, population, 0.0),
        },
        index=communes.index,
    )


def places_points(places: pd.DataFrame) -> pd.DataFrame:
    """The located places counted as already there, reduced to what the planner reads."""
    missing = [c for c in PLACE_COLUMNS if c not in places.columns]
    if missing:
        raise PlannerInputError(f"the places lack {', '.join(missing)}: pass the Fabriques mart or a validated list")
    return places[PLACE_COLUMNS].dropna(subset=["longitude", "latitude"]).reset_index(drop=True)


def compute_counted_places(
    fabriques: pd.DataFrame, cohorts: tuple[str, ...] | list[str], extra: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The places counted as already there: the Fabriques of ``cohorts`` (all of them, whatever the
    sidebar's filters) and the places of ``extra`` (a user's list), as :func:`places_points`."""
    chosen = [places_points(fabriques[fabriques["cohort"].isin(list(cohorts))])]
    if extra is not None:
        chosen.append(places_points(extra))
    return pd.concat(chosen, ignore_index=True)


def describe_settings(settings: PlanSettings, counted: list[str]) -> str:
    """The plan's inputs in a line (French), for the exports and the slide.

    Examples
    --------
    >>> describe_settings(PlanSettings(sites=20, rules=()), ["Fabriques 2020-2021"])[:52]
    'Plan : 20 sites, 10 km, poids QPV 1, rural 1, FRR 0 '
    """
    rules = ", ".join(RULES[r].split(" (")[0].lower() for r in settings.rules) or "aucune"
    weights = {k: format_number(w, 0 if float(w).is_integer() else 1) for k, w in settings.weights.items()}
    kinds = ", ".join(CANDIDATE_KINDS[k].lower() for k in settings.kinds) or "toutes les communes"
    return (
        f"Plan : {format_number(settings.sites)} sites, {format_number(settings.distance_km)} km, poids QPV "
        f"{weights['qpv']}, rural {weights['rurale']}, FRR {weights['frr']} ; règles : {rules} ; sites candidats : "
        f"{kinds} ; déjà là : {', '.join(counted) or 'aucun lieu'}"
    )


@dataclass(frozen=True)
class PlanningProblem:
    """A covering problem on the communes, and what it was made from.

    Attributes
    ----------
    covering : CoveringProblem
        Sites = eligible candidate communes reaching some demand; demand = communes of the scope
        with target population not yet reached.
    site_rows, demand_rows : ndarray
        Row in the ``communes`` mart of each site and demand unit.
    sites_table : DataFrame
        For each site: ``site_candidat``, ``regle`` (:func:`compute_eligibility`).
    weights : ndarray
        Weight still to reach in each commune (0 outside the scope or already reached).
    populations : DataFrame
        The populations of each kind still to reach in each commune (unweighted).
    target, already : float
        Weighted target population of the scope, and the part of it already reached.
    eligible : int
        Eligible candidate communes in the scope (reaching something or not).
    settings : PlanSettings
    """

    covering: CoveringProblem
    site_rows: np.ndarray
    demand_rows: np.ndarray
    sites_table: pd.DataFrame
    weights: np.ndarray
    populations: pd.DataFrame
    target: float
    already: float
    eligible: int
    settings: PlanSettings
    graph: CommuneGraph = field(repr=False)

    @property
    def remaining(self) -> float:
        """Weighted target population of the scope not yet reached."""
        return self.target - self.already

    def value_of_rows(self, rows) -> float:
        """Weighted population newly reached by sites at the communes ``rows`` (any communes)."""
        reached = np.zeros(len(self.weights), dtype=bool)
        for row in rows:
            reached[self.graph.neighbourhoods.of(int(row))] = True
        return float(self.weights[reached].sum())


def _scope_mask(communes: pd.DataFrame, scope: Scope) -> np.ndarray:
    kept = scope.restrict(communes, "communes")
    return communes.index.isin(kept.index)


def _site_problem(weights: np.ndarray, neighbourhoods: Neighbourhoods, rows: np.ndarray, groups: np.ndarray):
    """The covering problem of sites at ``rows`` over the communes of positive weight."""
    demand_rows = np.flatnonzero(weights > 0)
    position = np.full(len(weights), -1, dtype=np.int64)
    position[demand_rows] = np.arange(len(demand_rows))
    starts, ends = neighbourhoods.indptr[rows], neighbourhoods.indptr[rows + 1]
    lengths = ends - starts
    flat = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(lengths.sum())
    reached = position[neighbourhoods.indices[flat]]
    keep = reached >= 0
    owner = np.repeat(np.arange(len(rows)), lengths)[keep]
    counts = np.bincount(owner, minlength=len(rows))
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return CoveringProblem(weights[demand_rows], indptr, reached[keep].astype(np.int32), groups), demand_rows


def compute_planning_problem(
    communes: pd.DataFrame, graph: CommuneGraph, settings: PlanSettings, places: pd.DataFrame, scope: Scope
) -> PlanningProblem:
    """The covering problem of the next wave for ``settings`` in ``scope``.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart, rows aligned with ``graph``.
    graph : CommuneGraph
        :func:`compute_commune_graph` of ``communes`` at ``settings.distance_km``.
    settings : PlanSettings
    places : DataFrame
        Places counted as already there (:func:`places_points`): they reach what is within the
        distance and, under the 2023 rule, close their arrondissement.
    scope : Scope
        The sidebar's territory: candidate sites and demand are the communes of the scope.

    Raises
    ------
    PlannerInputError
        When ``graph`` was made for another distance or other communes.
    """
    if len(communes) != graph.neighbourhoods.size or not np.isclose(graph.distance_m, settings.distance_km * 1000):
        raise PlannerInputError(
            f"the commune graph is for {graph.neighbourhoods.size} communes at {graph.distance_m / 1000:g} km, the "
            f"settings ask {len(communes)} at {settings.distance_km:g} km: make it with compute_commune_graph"
        )
    communes = communes.reset_index(drop=True)
    inside = _scope_mask(communes, scope)
    populations = compute_target_populations(communes).mul(inside, axis=0)
    weighted = sum(populations[k].to_numpy() * w for k, w in settings.weights.items())
    points = places_points(places)
    projected = project_by_zone(points["longitude"], points["latitude"], points["insee_dep"])
    reached = compute_within_any(graph.centroids, projected, graph.distance_m)
    weights = np.where(reached, 0.0, weighted)
    populations = populations.mul(~reached, axis=0)

    table = compute_eligibility(communes, settings.rules, settings.kinds, set(points["insee_arr"].dropna()))
    located = ~np.isnan(graph.centroids.x)
    eligible_rows = np.flatnonzero(table["eligible"].to_numpy() & inside & located)
    groups = (
        pd.factorize(communes["insee_arr"].to_numpy()[eligible_rows])[0]
        if RULE_ARRONDISSEMENT in settings.rules
        else np.full(len(eligible_rows), -1)
    )
    covering, demand_rows = _site_problem(weights, graph.neighbourhoods, eligible_rows, groups)
    useful = np.flatnonzero(np.diff(covering.indptr) > 0)
    indptr = np.concatenate([[0], np.cumsum(np.diff(covering.indptr)[useful])]).astype(np.int64)
    pieces = [covering.reached(int(j)) for j in useful]
    indices = np.concatenate(pieces).astype(np.int32) if pieces else np.array([], dtype=np.int32)
    covering = CoveringProblem(covering.weights, indptr, indices, covering.groups[useful])
    site_rows = eligible_rows[useful]
    return PlanningProblem(
        covering,
        site_rows,
        demand_rows,
        table.iloc[site_rows][["site_candidat", "regle"]].reset_index(drop=True),
        weights,
        populations,
        float(weighted.sum()),
        float(weighted[reached].sum()),
        len(eligible_rows),
        settings,
        graph,
    )


def solve_plan(problem: PlanningProblem, time_limit_s: float | None = None) -> tuple[CoveringSolution, ...]:
    """The greedy solution, and the exact one when a time limit is given: ``(greedy,)`` or ``(greedy, exact)``."""
    greedy = solve_greedy(problem.covering, problem.settings.sites)
    if time_limit_s is None:
        return (greedy,)
    return greedy, solve_exact(problem.covering, problem.settings.sites, time_limit_s, greedy)


def _attribution(problem: PlanningProblem, site_rows: list[int]) -> np.ndarray:
    """For each commune, the rank (0-based) of the first site that newly reaches it; −1 for none."""
    first = np.full(len(problem.weights), -1, dtype=np.int64)
    for rank, row in enumerate(site_rows):
        reached = problem.graph.neighbourhoods.of(int(row))
        new = reached[(first[reached] < 0) & (problem.weights[reached] > 0)]
        first[new] = rank
    return first


PLAN_COLUMNS = [
    "rang",
    "insee_com",
    "nom_com",
    "nom_arr",
    "nom_epci",
    "nom_dep",
    "site_candidat",
    "regle",
    "population_ciblee_gagnee",
    *GAIN_COLUMNS.values(),
    "communes_atteintes",
    "population_ciblee_cumulee",
    "longitude",
    "latitude",
]


def compute_plan_table(problem: PlanningProblem, solution: CoveringSolution, communes: pd.DataFrame) -> pd.DataFrame:
    """One row per proposed site, in the solution's order: where it is, the rule that made it eligible,
    and what it newly reaches (weighted, and each population of positive weight unweighted; a commune
    newly reached is counted for the first site of the order that reaches it).

    Returns
    -------
    DataFrame
        :data:`PLAN_COLUMNS` (without the populations of weight 0).
    """
    communes = communes.reset_index(drop=True)
    rows = [int(problem.site_rows[s]) for s in solution.sites]
    first = _attribution(problem, rows)
    ranks = np.arange(len(rows))
    gained = np.bincount(first[first >= 0], weights=problem.weights[first >= 0], minlength=len(rows))
    table = communes.iloc[rows][["insee_com", "nom_com", "nom_arr", "nom_epci", "nom_dep"]].reset_index(drop=True)
    table.insert(0, "rang", ranks + 1)
    table["site_candidat"] = [problem.sites_table["site_candidat"].iat[s] for s in solution.sites]
    table["regle"] = [problem.sites_table["regle"].iat[s] for s in solution.sites]
    table["population_ciblee_gagnee"] = gained
    chosen = [column for key, column in GAIN_COLUMNS.items() if problem.settings.weights[key] > 0]
    for key, column in GAIN_COLUMNS.items():
        values = problem.populations[key].to_numpy()
        table[column] = np.bincount(first[first >= 0], weights=values[first >= 0], minlength=len(rows))
    table["communes_atteintes"] = np.bincount(first[first >= 0], minlength=len(rows))
    table["population_ciblee_cumulee"] = np.cumsum(gained)
    table["longitude"] = communes["centroide_lon"].to_numpy()[rows]
    table["latitude"] = communes["centroide_lat"].to_numpy()[rows]
    return table[[c for c in PLAN_COLUMNS if c not in GAIN_COLUMNS.values() or c in chosen]]


def compute_reached_communes(
    problem: PlanningProblem, solution: CoveringSolution, communes: pd.DataFrame
) -> pd.DataFrame:
    """The communes a plan newly reaches: ``insee_com, nom_com, longitude, latitude`` (centroid),
    ``population_ciblee`` (weighted) and the site (``rang``, ``site``) that reaches it first."""
    communes = communes.reset_index(drop=True)
    rows = [int(problem.site_rows[s]) for s in solution.sites]
    first = _attribution(problem, rows)
    hit = np.flatnonzero(first >= 0)
    out = pd.DataFrame(
        {
            "insee_com": communes["insee_com"].to_numpy()[hit],
            "nom_com": communes["nom_com"].to_numpy()[hit],
            "longitude": communes["centroide_lon"].to_numpy()[hit],
            "latitude": communes["centroide_lat"].to_numpy()[hit],
            "population_ciblee": problem.weights[hit],
            "rang": first[hit] + 1,
            "site": communes["nom_com"].to_numpy()[np.array(rows, dtype=np.int64)[first[hit]]] if rows else [],
        }
    )
    return out.sort_values(["rang", "population_ciblee"], ascending=[True, False]).reset_index(drop=True)


def compute_plan_curve(problem: PlanningProblem, greedy: CoveringSolution) -> pd.DataFrame:
    """The weighted population reached by the first 1, 2, … sites of the greedy plan, and its share of
    the target population not yet reached (the greedy plan for ``k`` sites is its first ``k``).

    Returns
    -------
    DataFrame
        ``sites, population_ciblee_atteinte, part_du_manque`` (%).
    """
    curve = greedy.curve
    share = curve / problem.remaining * 100 if problem.remaining > 0 else np.zeros(len(curve))
    return pd.DataFrame(
        {"sites": np.arange(1, len(curve) + 1), "population_ciblee_atteinte": curve, "part_du_manque": share}
    )


def describe_curve(curve: pd.DataFrame) -> str:
    """How fast the greedy plan's gains fall (French): the sites bringing half of the total, the last one's gain.

    Examples
    --------
    >>> describe_curve(pd.DataFrame({"sites": [1, 2, 3], "population_ciblee_atteinte": [60.0, 90.0, 100.0]}))
    'Le premier site apporte à lui seul la moitié de ce que les 3 atteignent ; le dernier ajoute 10 habitants ciblés.'
    """
    values = curve["population_ciblee_atteinte"].to_numpy()
    if not len(values):
        return "Aucun site n'atteint de population ciblée."
    half = int(np.searchsorted(values, values[-1] / 2)) + 1
    last = values[-1] - (values[-2] if len(values) > 1 else 0.0)
    lead = "Le premier site apporte à lui seul" if half == 1 else f"Les {format_number(half)} premiers sites apportent"
    return (
        f"{lead} la moitié de ce que les {format_number(len(values))} atteignent ; le dernier ajoute "
        f"{format_number(last)} habitants ciblés."
    )


def describe_plan(problem: PlanningProblem, solution: CoveringSolution) -> str:
    """The plan in a sentence (French), with what limits it."""
    settings = problem.settings
    n = len(solution.sites)
    share = solution.value / problem.remaining if problem.remaining > 0 else 0.0
    text = (
        f"{format_number(n)} nouveaux sites mettraient {format_number(solution.value)} habitants ciblés (pondérés) "
        f"de plus à moins de {format_number(settings.distance_km)} km d'un lieu, soit {format_percent(share)} "
        "de la population ciblée du périmètre qui en est encore éloignée"
    )
    if n < settings.sites:
        text += (
            f" ; {format_number(n)} sites suffisent : aucune autre commune éligible n'atteint de population ciblée "
            "de plus (sous la règle de 2023, au plus un site par arrondissement sans Fabrique)"
        )
    return text + "."


@dataclass(frozen=True)
class WaveEvaluation:
    """The 2023 wave read as a plan: what its Fabriques of the scope reached beyond the 2020-2021 ones,
    against the best plan of as many sites under the same rules.

    ``fabriques``: 2023 Fabriques of the scope in a commune of the marts; ``value``: what they newly
    reach; ``solutions``: greedy (and exact) plans with ``fabriques`` sites; ``eligible``: 2023 Fabriques
    the rules allow; ``crowded``: arrondissements holding more than one of them.
    """

    fabriques: int
    value: float
    solutions: tuple[CoveringSolution, ...]
    eligible: int
    crowded: int
    remaining: float

    @property
    def best(self) -> CoveringSolution:
        """The best plan known (exact when computed)."""
        return max(self.solutions, key=lambda s: (s.value, -s.bound))

    @property
    def bound(self) -> float:
        """The smallest proved upper bound on the optimum."""
        return min(s.bound for s in self.solutions)

    @property
    def share(self) -> float:
        """What the 2023 Fabriques reached over the best plan known (NaN without any)."""
        return self.value / self.best.value if self.fabriques and self.best.value > 0 else float("nan")

    def table(self) -> pd.DataFrame:
        """The 2023 Fabriques beside the plans of as many sites: ``solution, sites, population_ciblee_atteinte,
        borne_superieure, statut``."""
        rows = [("Fabriques 2023 (réelles)", self.fabriques, self.value, float("nan"), "observé")]
        labels = {"glouton": "Plan glouton", "exact": "Plan exact (HiGHS)"}
        rows += [(labels[s.method], len(s.sites), s.value, s.bound, s.status) for s in self.solutions]
        return pd.DataFrame(
            rows, columns=["solution", "sites", "population_ciblee_atteinte", "borne_superieure", "statut"]
        )

    def describe(self) -> str:
        """The comparison in a sentence (French)."""
        if not self.fabriques:
            return "Aucune Fabrique 2023 dans le périmètre : pas de comparaison possible."
        best, bound = self.best.value, self.bound
        low = self.value / bound if bound > 0 else 0.0
        high = self.value / best if best > 0 else 0.0
        share = (
            f"{format_percent(high)} de l'optimum"
            if np.isclose(best, bound, rtol=1e-4)
            else f"entre {format_percent(low)} et {format_percent(high)} de l'optimum (non prouvé)"
        )
        text = (
            f"Les {format_number(self.fabriques)} Fabriques 2023 du périmètre ont mis {format_number(self.value)} "
            f"habitants ciblés (pondérés) de plus à portée des Fabriques 2020-2021, soit {share} : "
            f"{format_number(best)} pour {format_number(self.fabriques)} sites choisis sous les mêmes règles."
        )
        if self.eligible < self.fabriques:
            text += f" {format_number(self.fabriques - self.eligible)} d'entre elles ne respectent pas ces règles"
            text += f" ({format_number(self.crowded)} arrondissements en comptent plusieurs)." if self.crowded else "."
        return text


def compute_wave_evaluation(
    communes: pd.DataFrame,
    graph: CommuneGraph,
    settings: PlanSettings,
    fabriques: pd.DataFrame,
    scope: Scope,
    time_limit_s: float | None = None,
) -> WaveEvaluation:
    """How much of the optimum the 2023 Fabriques of the scope reached, under ``settings``' populations,
    distance and rules, with the 2020-2021 Fabriques as what was already there (the situation of the
    2023 call) and every commune of the scope as a candidate site.

    Parameters
    ----------
    communes, graph, scope
        As for :func:`compute_planning_problem`.
    settings : PlanSettings
        Its ``sites`` and ``kinds`` are replaced by the number of 2023 Fabriques and all communes.
    fabriques : DataFrame
        The ``fabriques`` mart (every cohort; the function picks them).
    time_limit_s : float, optional
        Also solve exactly within this time.
    """
    communes = communes.reset_index(drop=True)
    before = fabriques[fabriques["cohort"] == COHORT_2020_2021]
    wave = scope.restrict(fabriques[fabriques["cohort"] == COHORT_2023], "communes")
    row_of = pd.Series(np.arange(len(communes)), index=communes["insee_com"].to_numpy())
    rows = row_of.reindex(wave["insee_com"]).dropna().astype(int).to_numpy()
    n = len(rows)
    same = PlanSettings(
        max(n, 1), settings.distance_km, settings.weight_qpv, settings.weight_rural, settings.weight_frr, settings.rules
    )
    problem = compute_planning_problem(communes, graph, same, before, scope)
    eligibility = compute_eligibility(communes, settings.rules, (), set(before["insee_arr"].dropna()))
    allowed = eligibility["eligible"].to_numpy()[rows] if n else np.array([], dtype=bool)
    arrondissements = communes["insee_arr"].to_numpy()[rows]
    crowded = int((pd.Series(arrondissements).value_counts() > 1).sum()) if RULE_ARRONDISSEMENT in settings.rules else 0
    solutions = solve_plan(problem, time_limit_s) if n else ()
    return WaveEvaluation(n, problem.value_of_rows(rows), solutions, int(allowed.sum()), crowded, problem.remaining)
