"""Which communes may receive a new Fabrique: candidate sites and the programme's rules, each named.

The rules are those of the registry (``core/reference/dispositifs.toml``, scheme ``fabriques``,
``ciblage``): « 150 Fabriques en quartier prioritaire (QPV) et 150 hors des grands centres urbains ;
en 2023, les arrondissements sans Fabrique ». Read as rules on a commune:

- :data:`RULE_QPV_OR_OUTSIDE_CENTRES`: the commune has a QPV 2024, or is not a « Grands centres
  urbains » commune (INSEE density grid, level 1);
- :data:`RULE_ARRONDISSEMENT`: the commune's arrondissement (COG 2026) holds none of the places
  counted as already there, and at most one new site goes to each arrondissement (the 2023 call).
  Communes without an arrondissement (Mayotte) are then not eligible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.domain.classifications import DENSITY_LABELS

RULE_QPV_OR_OUTSIDE_CENTRES = "qpv_ou_hors_grands_centres"
RULE_ARRONDISSEMENT = "arrondissement_sans_fabrique"
RULES: dict[str, str] = {
    RULE_QPV_OR_OUTSIDE_CENTRES: "En QPV ou hors des grands centres urbains (objectif 150 / 150)",
    RULE_ARRONDISSEMENT: "Une au plus par arrondissement sans Fabrique (appel 2023)",
}
# Candidate sites: every commune, or only those with one of these (any of them).
CANDIDATE_KINDS: dict[str, str] = {
    "tiers_lieux_2019": "Communes avec un tiers-lieu recensé en 2019",
    "pvd": "Communes Petites villes de demain",
    "acv": "Communes Action cœur de ville",
}
KIND_SHORT = {"tiers_lieux_2019": "tiers-lieu 2019", "pvd": "PVD", "acv": "ACV"}
LARGE_CENTRES = 1  # « Grands centres urbains », level 1 of the 7-level grid
ELIGIBILITY_COLUMNS = ("candidat", "eligible", "site_candidat", "regle")


class PlannerRuleError(ValueError):
    """An unknown rule or candidate kind, or a communes frame without the columns the rules read."""


def _check(rules, kinds, communes: pd.DataFrame) -> None:
    unknown = [r for r in rules if r not in RULES] + [k for k in kinds if k not in CANDIDATE_KINDS]
    if unknown:
        raise PlannerRuleError(
            f"unknown rule or candidate kind {', '.join(unknown)}; known: {', '.join([*RULES, *CANDIDATE_KINDS])}"
        )
    needed = ["insee_arr", "densite_niveau", "qpv_nombre", *kinds]
    missing = [c for c in needed if c not in communes.columns]
    if missing:
        raise PlannerRuleError(
            f"the communes frame lacks {', '.join(missing)}; pass the communes mart (python -m etl build)"
        )


def compute_eligibility(
    communes: pd.DataFrame,
    rules: tuple[str, ...] | list[str],
    kinds: tuple[str, ...] | list[str],
    occupied_arrondissements: set[str] | frozenset[str],
) -> pd.DataFrame:
    """Whether each commune is a candidate site and eligible under ``rules``, and why.

    Parameters
    ----------
    communes : DataFrame
        The ``communes`` mart (``insee_arr, densite_niveau, qpv_nombre`` and the kinds' columns).
    rules : sequence of str
        Keys of :data:`RULES` switched on.
    kinds : sequence of str
        Keys of :data:`CANDIDATE_KINDS`; empty: every commune is a candidate site.
    occupied_arrondissements : set of str
        Arrondissements holding a place counted as already there (for :data:`RULE_ARRONDISSEMENT`).

    Returns
    -------
    DataFrame
        Indexed like ``communes``: ``candidat`` (a candidate site), ``eligible`` (a candidate that the
        rules allow), ``site_candidat`` (what made it a candidate), ``regle`` (what made it eligible).

    Raises
    ------
    PlannerRuleError
        For an unknown rule or kind, or missing columns.

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_arr": ["011", "012", "012"], "densite_niveau": [1, 1, 5],
    ...     "qpv_nombre": [1, 0, 0], "pvd": [False, True, True]})
    >>> table = compute_eligibility(communes, list(RULES), [], {"011"})
    >>> table["eligible"].tolist(), table["regle"].tolist()[2]
    ([False, False, True], 'hors des grands centres urbains (Bourgs ruraux) ; arrondissement sans Fabrique')
    """
    _check(rules, kinds, communes)
    index = communes.index
    if kinds:
        has = {k: communes[k].fillna(0).astype(float).to_numpy() > 0 for k in kinds}
        candidate = np.logical_or.reduce(list(has.values()))
        site = [" ; ".join(KIND_SHORT[k] for k in kinds if has[k][i]) for i in range(len(communes))]
    else:
        candidate = np.ones(len(communes), dtype=bool)
        site = ["toute commune"] * len(communes)
    eligible = candidate.copy()
    parts: list[list[str]] = [[] for _ in range(len(communes))]
    if RULE_QPV_OR_OUTSIDE_CENTRES in rules:
        with_qpv = communes["qpv_nombre"].fillna(0).to_numpy() > 0
        level = pd.to_numeric(communes["densite_niveau"], errors="coerce").to_numpy(dtype=float)
        outside = ~np.isnan(level) & (level != LARGE_CENTRES)
        eligible &= with_qpv | outside
        for i in np.flatnonzero(with_qpv | outside):
            if with_qpv[i]:
                parts[i].append("commune avec QPV")
            else:
                parts[i].append(f"hors des grands centres urbains ({DENSITY_LABELS[int(level[i])]})")
    if RULE_ARRONDISSEMENT in rules:
        arrondissement = communes["insee_arr"]
        free = (arrondissement.notna() & ~arrondissement.isin(list(occupied_arrondissements))).to_numpy()
        eligible &= free
        for i in np.flatnonzero(free):
            parts[i].append("arrondissement sans Fabrique")
    regle = [" ; ".join(p) if p else "aucune règle" for p in parts]
    return pd.DataFrame(
        {"candidat": candidate, "eligible": eligible, "site_candidat": site, "regle": regle}, index=index
    )
