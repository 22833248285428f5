"""Indicators of the dashboard: pure functions on the marts, each unit-tested."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

from core.classes import COHORT_2020_2021, COHORT_2023
from core.formatting import format_euros, format_number
from core.geo import ZonedPoints, compute_nearest_zoned, project_by_zone

# Stated estimation rule (labelled "estimation" wherever shown): the 2020-2021 budget of €45M
# over 300 Fabriques is €150,000 each (max €50,000 a year for three years); a 2023 Fabrique gets
# €50,000 for one year. Per-place amounts are not published; a detailed file supplied to the ETL
# (``montant`` column of the fabriques mart) replaces the estimate where it gives an amount.
ESTIMATED_GRANT = {COHORT_2020_2021: 150_000, COHORT_2023: 50_000}
FUNDING_KEYS = {"estimation": "financement_estime", "fichier": "financement_fichier", "mixte": "financement_mixte"}
NEAR_QPV_M = 500
DISTANCES_M = (0, 300, 500, 1000)


def compute_key_figures(fabriques: pd.DataFrame) -> dict[str, float]:
    """Headline figures of a selection of Fabriques.

    Returns
    -------
    dict
        ``fabriques``, ``communes``, ``departements``, ``part_qpv_500`` (share in a QPV or within
        500 m of one, point-based), ``part_rurale`` (share in INSEE-rural communes),
        ``population_communes`` (population of the distinct host communes),
        ``financement_estime`` (the ``montant`` of the detailed file where known, else the stated
        rule of :data:`ESTIMATED_GRANT`; :func:`compute_funding_sources` tells which).
    """
    n = len(fabriques)
    communes = fabriques.drop_duplicates("insee_com")
    near = fabriques["distance_qpv_m"].le(NEAR_QPV_M)
    rural = fabriques["rural_insee"].astype("boolean").fillna(False)
    return {
        "fabriques": n,
        "communes": communes["insee_com"].nunique(),
        "departements": fabriques["insee_dep"].nunique(),
        "part_qpv_500": float(near.mean()) if n else float("nan"),
        "part_rurale": float(rural.mean()) if n else float("nan"),
        "population_communes": float(communes["population_commune"].sum()),
        "financement_estime": float(compute_estimated_funding(fabriques).sum()),
    }


def compute_estimated_funding(fabriques: pd.DataFrame) -> pd.Series:
    """Estimated grant per Fabrique by the stated rule; an amount column, when present, wins."""
    estimate = fabriques["cohort"].map(ESTIMATED_GRANT).astype(float)
    if "montant" in fabriques.columns:
        return pd.to_numeric(fabriques["montant"], errors="coerce").fillna(estimate)
    return estimate


def compute_funding_sources(fabriques: pd.DataFrame) -> dict[str, int | str]:
    """Where the funding figure of a selection comes from.

    Returns
    -------
    dict
        ``fichier`` (Fabriques whose amount comes from the detailed file), ``estimation`` (the
        others, estimated by the stated rule), ``cas`` (``estimation``, ``fichier`` or ``mixte``)
        and ``definition`` (the key of :data:`core.definitions.DEFINITIONS` to label it with).

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort": ["2023", "2023"], "montant": [40_000, None]})
    >>> compute_funding_sources(frame)["cas"], compute_funding_sources(frame)["estimation"]
    ('mixte', 1)
    """
    n = len(fabriques)
    known = int(pd.to_numeric(fabriques["montant"], errors="coerce").notna().sum()) if "montant" in fabriques else 0
    case = "estimation" if known == 0 else "fichier" if known == n else "mixte"
    return {"fichier": known, "estimation": n - known, "cas": case, "definition": FUNDING_KEYS[case]}


def compute_funding_note(fabriques: pd.DataFrame) -> str:
    """One sentence saying how the funding figure of a selection was obtained (French).

    Examples
    --------
    >>> frame = pd.DataFrame({"cohort": ["2023", "2020-2021"], "montant": [40_000, None]})
    >>> compute_funding_note(frame).split(" (")[0]
    'Financement : montants du fichier détaillé pour 1 Fabrique, estimation pour 1'
    """
    sources = compute_funding_sources(fabriques)
    rule = (
        f"{format_euros(ESTIMATED_GRANT[COHORT_2020_2021])} par Fabrique 2020-2021, "
        f"{format_euros(ESTIMATED_GRANT[COHORT_2023])} par Fabrique 2023"
    )
    if sources["cas"] == "fichier":
        count = sources["fichier"]
        which = "la Fabrique" if count == 1 else f"les {format_number(count)} Fabriques"
        return f"Financement : montants du fichier détaillé pour {which}."
    if sources["cas"] == "mixte":
        known = sources["fichier"]
        plural = "s" if known > 1 else ""
        return (
            f"Financement : montants du fichier détaillé pour {format_number(known)} Fabrique{plural}, "
            f"estimation pour {format_number(sources['estimation'])} ({rule})."
        )
    return (
        "Le financement est une estimation (règle indiquée dans l'aide de l'indicateur), les montants par lieu "
        "n'étant pas publiés."
    )


def compute_qpv_sensitivity(fabriques: pd.DataFrame) -> pd.DataFrame:
    """Fabriques in or near a QPV at 0 / 300 / 500 / 1,000 m, and by commune.

    Returns
    -------
    DataFrame
        ``critère, fabriques, part`` (share of the selection).
    """
    n = len(fabriques)
    rows = [("Dans un QPV (point dans le périmètre)", int(fabriques["dans_qpv"].fillna(False).sum()))]
    for d in DISTANCES_M[1:]:
        rows.append(
            (
                f"Dans un QPV ou à moins de {d:,} m".replace(",", "\u202f"),
                int(fabriques["distance_qpv_m"].le(d).sum()),
            )
        )
    rows.append(("Commune comptant au moins un QPV", int(fabriques["commune_qpv"].fillna(False).sum())))
    out = pd.DataFrame(rows, columns=["critère", "fabriques"])
    out["part"] = out["fabriques"] / n if n else np.nan
    return out


def compute_qpv_without_fabrique(qpv: pd.DataFrame, distance_m: float) -> pd.DataFrame:
    """QPV 2024 with no Fabrique within ``distance_m``, largest population first."""
    far = qpv[(qpv["generation"] == "2024") & ~(qpv["distance_fabrique_m"] <= distance_m)]
    cols = ["code_qp", "lib_qp", "noms_communes", "insee_dep", "pop_qpv", "distance_fabrique_m"]
    return far[cols].sort_values("pop_qpv", ascending=False, na_position="last").reset_index(drop=True)


def compute_qpv_population_coverage(qpv: pd.DataFrame, distance_m: float, by: str) -> pd.DataFrame:
    """Share of QPV population within ``distance_m`` of a Fabrique, by territory ``by``.

    Returns
    -------
    DataFrame
        ``by, qpv, population_qpv, population_couverte, part_couverte``; QPV without a known
        population count in ``qpv`` but not in the populations.
    """
    frame = qpv[qpv["generation"] == "2024"].assign(
        couvert=qpv["distance_fabrique_m"].le(distance_m),
        pop=qpv["pop_qpv"].fillna(0),
    )
    frame["pop_couverte"] = frame["pop"].where(frame["couvert"], 0)
    out = (
        frame.groupby(by)
        .agg(
            qpv=("code_qp", "count"),
            population_qpv=("pop", "sum"),
            population_couverte=("pop_couverte", "sum"),
        )
        .reset_index()
    )
    out["part_couverte"] = (out["population_couverte"] / out["population_qpv"]).where(out["population_qpv"] > 0)
    return out.sort_values("part_couverte", ascending=True, na_position="first").reset_index(drop=True)


# The columns of compute_class_distribution after ``classe``.
COLUMNS_BY_CLASS = [
    "fabriques",
    "part_fabriques",
    "population",
    "part_population",
    "communes",
    "part_communes",
    "indice",
]


def compute_class_distribution(
    fabriques: pd.DataFrame, communes: pd.DataFrame, column: str, order: list[str] | None = None
) -> pd.DataFrame:
    """Share of Fabriques, of population and of communes in each class of ``column``.

    Classes follow ``order`` when given (others after it, "Non renseigné" last).

    Returns
    -------
    DataFrame
        ``classe, fabriques, part_fabriques, population, part_population, communes,
        part_communes, indice`` where ``indice`` = share of Fabriques / share of population
        (1 = as many Fabriques as population).
    """
    missing = "Non renseigné"
    fab = Counter(fabriques[column].fillna(missing).tolist())
    # Factorised classes, weighted counts and one frame built at the end: the same sums as a
    # groupby at a tenth of its cost on the 34,875 communes (three distributions a page, every run).
    codes, uniques = pd.factorize(communes[column].fillna(missing))
    found = [str(c) for c in uniques]
    classes = found + [c for c in fab if c not in set(found)]
    size = len(classes)
    population = np.bincount(
        codes, weights=pd.to_numeric(communes["population"]).fillna(0).to_numpy(dtype=float), minlength=size
    )
    counted = np.bincount(codes, weights=communes["insee_com"].notna().to_numpy(dtype=float), minlength=size)
    rank = {c: i for i, c in enumerate(order or [])}
    keys = sorted(range(size), key=lambda k: (classes[k] == missing, rank.get(classes[k], len(rank)), classes[k]))
    values = {
        "fabriques": np.array([fab.get(classes[k], 0) for k in keys], dtype="int64"),
        "population": population[keys].round().astype("int64"),
        "communes": counted[keys].round().astype("int64"),
    }
    out = {"classe": [classes[k] for k in keys]}
    for col, counts in values.items():
        total = counts.sum()
        out[col] = counts
        out[f"part_{col}"] = counts / total if total else np.full(size, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["indice"] = np.where(out["part_population"] > 0, out["part_fabriques"] / out["part_population"], np.nan)
    return pd.DataFrame(out)[["classe", *COLUMNS_BY_CLASS]]


def compute_nearest_distances(
    points_lon: pd.Series,
    points_lat: pd.Series,
    points_zone: pd.Series,
    targets: pd.DataFrame,
    projected: ZonedPoints | None = None,
) -> pd.Series:
    """Distance in metres from each point to the nearest target (``longitude``, ``latitude``,
    ``insee_dep``) of the same metric zone; NaN where none.

    ``projected`` is the points already projected by :func:`core.geo.project_by_zone` (a cache
    keeps the communes' centroids projected); without it they are projected here.
    """
    if projected is None:
        projected = project_by_zone(points_lon, points_lat, points_zone)
    tgt = targets.dropna(subset=["longitude", "latitude"])
    near = compute_nearest_zoned(projected, project_by_zone(tgt["longitude"], tgt["latitude"], tgt["insee_dep"]))
    return pd.Series(near, index=points_lon.index, name="distance_m")


def compute_population_beyond(
    communes: pd.DataFrame, distance_col: str, distance_m: float, rural_only: bool = True
) -> dict[str, float]:
    """Population (rural by default) living in communes whose centroid is beyond ``distance_m``."""
    frame = communes[communes["rural_insee"].astype("boolean").fillna(False)] if rural_only else communes
    beyond = frame[distance_col] > distance_m
    pop = frame["population"].fillna(0)
    total = float(pop.sum())
    return {
        "population": float(pop[beyond].sum()),
        "communes": int(beyond.sum()),
        "total": total,
        "part": float(pop[beyond].sum() / total) if total else float("nan"),
    }


def compute_population_beyond_by(communes: pd.DataFrame, distance_col: str, distance_m: float, by: str) -> pd.DataFrame:
    """Rural population beyond ``distance_m``, by territory ``by`` (as :func:`compute_population_beyond`).

    Returns
    -------
    DataFrame
        Indexed by ``by`` (the territories with a rural commune, sorted): ``population_rurale``,
        ``population_eloignee`` (whole inhabitants, an unknown population counting 0) and
        ``part_eloignee`` in % (NaN where the rural population is 0). A commune without a distance
        (no place in its zone) is not counted as beyond.
    """
    rural = communes["rural_insee"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    frame = communes.loc[rural, [by, "population", distance_col]]
    population = pd.to_numeric(frame["population"]).fillna(0).astype("int64")
    beyond = frame[distance_col].gt(distance_m).to_numpy(dtype=bool)
    out = pd.DataFrame(
        {
            "population_rurale": population.groupby(frame[by]).sum(),
            "population_eloignee": population.where(beyond, 0).groupby(frame[by]).sum(),
        }
    )
    out["part_eloignee"] = (out["population_eloignee"] / out["population_rurale"] * 100).where(
        out["population_rurale"] > 0
    )
    return out


def compute_rate_per_100k(territories: pd.DataFrame, fabriques: pd.DataFrame, code: str) -> pd.DataFrame:
    """Fabriques of the selection per 100,000 inhabitants, by territory (all territories kept)."""
    counts = fabriques[code].value_counts()
    out = territories.drop(columns=["geometry"], errors="ignore").copy()
    out["fabriques_selection"] = out[code].map(counts).fillna(0).astype(int)
    pop = out["population"].astype(float)
    out["pour_100k"] = (out["fabriques_selection"] / pop * 100_000).where(pop > 0)
    return out.sort_values("pour_100k", ascending=False).reset_index(drop=True)


def compute_lorenz(counts: pd.Series, weights: pd.Series) -> pd.DataFrame:
    """Lorenz curve of ``counts`` (Fabriques) against ``weights`` (population), territories
    sorted by Fabriques per inhabitant. Starts at (0, 0) and ends at (1, 1)."""
    frame = pd.DataFrame({"c": counts.astype(float), "w": weights.astype(float)})
    frame = frame[frame["w"] > 0]
    frame = frame.assign(rate=frame["c"] / frame["w"]).sort_values("rate")
    x = np.concatenate([[0.0], frame["w"].cumsum() / frame["w"].sum()])
    total = frame["c"].sum()
    y = np.concatenate([[0.0], frame["c"].cumsum() / total]) if total else np.zeros(len(frame) + 1)
    return pd.DataFrame({"part_population": x, "part_fabriques": y})


def compute_gini(lorenz: pd.DataFrame) -> float:
    """Gini coefficient from a Lorenz curve (trapezoids): 0 = equal per inhabitant, 1 = all in one."""
    x, y = lorenz["part_population"].to_numpy(), lorenz["part_fabriques"].to_numpy()
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    return 1 - 2 * area


def compute_gini_rows(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gini coefficient of each row of ``counts`` against the same positive ``weights``, at once.

    The same figure as ``compute_gini(compute_lorenz(row, weights))`` for every row (territories
    sorted by count per weight, trapezoids under the curve), without a frame per row: the Gini of
    300 random draws is one array operation instead of 300 Lorenz frames.

    Parameters
    ----------
    counts
        Array of shape (rows, territories), each row with a positive total.
    weights
        Array of shape (territories,), every weight positive.

    Examples
    --------
    >>> compute_gini_rows(np.array([[1.0, 1.0], [2.0, 0.0]]), np.array([1.0, 1.0])).round(2).tolist()
    [0.0, 0.5]
    """
    order = np.argsort(counts / weights, axis=1, kind="stable")
    c = np.take_along_axis(counts, order, axis=1)
    w = weights[order]
    x = np.concatenate([np.zeros((len(c), 1)), np.cumsum(w, axis=1) / weights.sum()], axis=1)
    y = np.concatenate([np.zeros((len(c), 1)), np.cumsum(c, axis=1) / c.sum(axis=1, keepdims=True)], axis=1)
    area = np.sum((x[:, 1:] - x[:, :-1]) * (y[:, 1:] + y[:, :-1]) / 2, axis=1)
    return 1 - 2 * area


def compute_hhi(counts: pd.Series) -> float:
    """Herfindahl-Hirschman index of the shares of Fabriques across territories (0–10,000)."""
    total = counts.sum()
    return float(((counts / total * 100) ** 2).sum()) if total else float("nan")


def compute_arrondissements_without(
    arrondissements: pd.DataFrame, fabriques: pd.DataFrame, cohorts: tuple[str, ...]
) -> pd.DataFrame:
    """Arrondissements with no Fabrique of the given cohorts (the 2023 wave's eligibility rule)."""
    have = set(fabriques.loc[fabriques["cohort"].isin(cohorts), "insee_arr"].dropna())
    out = arrondissements[~arrondissements["insee_arr"].isin(have)]
    return out.drop(columns=["geometry"], errors="ignore").sort_values("insee_arr").reset_index(drop=True)


def compute_territory_profile(communes: pd.DataFrame, fabriques: pd.DataFrame) -> dict[str, float]:
    """Indicators of a territory (communes and Fabriques already restricted to it)."""
    pop = float(communes["population"].fillna(0).sum())
    rural = communes["rural_insee"].astype("boolean").fillna(False)
    n = len(fabriques)
    return {
        "population": pop,
        "communes": len(communes),
        "fabriques": n,
        "fabriques_pour_100k": n / pop * 100_000 if pop else float("nan"),
        "part_population_rurale": float(communes.loc[rural, "population"].sum() / pop) if pop else float("nan"),
        "population_qpv": float(communes["qpv_population"].fillna(0).sum()),
        "part_population_qpv": float(communes["qpv_population"].fillna(0).sum() / pop) if pop else float("nan"),
        "communes_pvd": int(communes["pvd"].sum()),
        "communes_acv": int(communes["acv"].sum()),
        "tiers_lieux_2019": int(communes["tiers_lieux_2019"].sum()),
    }


def compute_gini_baseline(weights: pd.Series, n: int, draws: int = 300, seed: int = 0) -> dict[str, float]:
    """Gini expected if ``n`` places were drawn at random in proportion to ``weights``.

    With few places per territory, even a perfectly fair (population-proportional) random
    allocation has a Gini well above 0: this baseline tells how much of the observed
    concentration small numbers alone explain.

    Returns
    -------
    dict
        ``mean``, ``p05``, ``p95`` of the simulated Gini coefficients.
    """
    w = weights.astype(float).to_numpy()
    w = w[w > 0]
    if n <= 0 or len(w) == 0:
        return {"mean": float("nan"), "p05": float("nan"), "p95": float("nan")}
    rng = np.random.default_rng(seed)
    sims = rng.multinomial(n, w / w.sum(), size=draws)
    ginis = compute_gini_rows(sims.astype(float), w)
    return {
        "mean": float(np.mean(ginis)),
        "p05": float(np.quantile(ginis, 0.05)),
        "p95": float(np.quantile(ginis, 0.95)),
    }


PROFILE_LABELS: dict[str, tuple[str, int, str]] = {
    "population": ("Population municipale", 0, "nombre"),
    "communes": ("Communes", 0, "nombre"),
    "fabriques": ("Fabriques (sélection)", 0, "nombre"),
    "fabriques_pour_100k": ("Fabriques pour 100 000 habitants", 2, "nombre"),
    "part_population_rurale": ("Part de la population en commune rurale", 1, "part"),
    "population_qpv": ("Population en QPV", 0, "nombre"),
    "part_population_qpv": ("Part de la population en QPV", 1, "part"),
    "communes_pvd": ("Communes Petites villes de demain", 0, "nombre"),
    "communes_acv": ("Communes Action cœur de ville", 0, "nombre"),
    "tiers_lieux_2019": ("Tiers-lieux recensés en 2019", 0, "nombre"),
}


def compute_profile_comparison(
    profile: dict[str, float], reference: dict[str, float], name: str, reference_name: str
) -> pd.DataFrame:
    """Side-by-side table of two territory profiles (see :func:`compute_territory_profile`).

    The ``écart`` column compares rates only (per 100,000 and shares): counts of territories of
    different sizes are not comparable.
    """
    rows = []
    for key, (label, _decimals, kind) in PROFILE_LABELS.items():
        a, b = profile.get(key, np.nan), reference.get(key, np.nan)
        comparable = key in ("fabriques_pour_100k", "part_population_rurale", "part_population_qpv")
        gap = (a - b) if comparable else np.nan
        rows.append({"indicateur": label, name: a, reference_name: b, "écart": gap, "type": kind})
    return pd.DataFrame(rows)


def format_profile_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """The comparison table of :func:`compute_profile_comparison` as French text, ready to show.

    Shares read ``12,5 %``, rates per 100,000 keep two decimals, counts none.
    """
    from core.formatting import format_number, format_percent

    shown = comparison.copy()
    for col in [c for c in comparison.columns if c not in ("indicateur", "type")]:
        shown[col] = [
            format_percent(v) if kind == "part" else format_number(v, 2) if "100 000" in label else format_number(v)
            for v, kind, label in zip(comparison[col], comparison["type"], comparison["indicateur"], strict=True)
        ]
    return shown.drop(columns="type")
