"""The scope of a selection: which territories and QPV a figure covers, whatever the selected places.

The one rule, used by every page, map, table and export:

- The territorial filters (régions, départements) define a **territory**: the départements chosen,
  else every département of the régions chosen, else all of France (métropole and DROM). The
  départements of a région are those of the communes of the COG, so a département without any
  place is in its région's scope.
- The **territories in scope** at each level are those with at least one commune in that territory
  (communes, arrondissements, EPCI, départements, régions). For EPCI and régions the count of those
  *wholly* inside is given too: an EPCI may straddle two régions.
- The **QPV in scope** are the QPV 2024 of the territory's départements.
- The other filters (cohort, density, QPV relation, rurality, programmes) choose the **places**
  that are counted; they never shrink the territory. A territory without a selected place is
  therefore still in scope, counted as having none.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.domain.territories import LEVELS

SCOPE_DEFINITION = (
    "Périmètre : les départements choisis, sinon tous ceux des régions choisies, sinon la France entière "
    "(métropole et DROM) ; y sont comptés les territoires qui ont au moins une commune dans ce périmètre "
    "(pour les EPCI et les régions, le nombre de ceux qui y sont entièrement est donné à part) et les QPV 2024 "
    "de ses départements. Les autres filtres choisissent les Fabriques comptées, pas les territoires : un "
    "territoire sans Fabrique de la sélection reste dans le périmètre."
)
WHOLLY_LEVELS = ("epci", "regions")
COMMUNE_COLUMNS = ("insee_com", "insee_dep", "insee_reg", "siren_epci", "insee_arr")


class ScopeInputError(ValueError):
    """A frame given to :func:`compute_scope` lacks a column it needs."""


@dataclass(frozen=True)
class Scope:
    """The territories and QPV a selection covers (see the module's rule).

    Attributes
    ----------
    national : bool
        No territorial filter: all of France.
    codes : dict
        Level key → codes of the territories with at least one commune in scope.
    wholly : dict
        For ``epci`` and ``regions``: the codes of those wholly inside.
    qpv : frozenset of str
        Codes of the QPV 2024 in scope.
    """

    national: bool
    codes: dict[str, frozenset[str]]
    wholly: dict[str, frozenset[str]]
    qpv: frozenset[str]

    @property
    def departements(self) -> tuple[str, ...]:
        """The départements in scope, sorted (a cache key for maps)."""
        return tuple(sorted(self.codes["departements"]))

    @property
    def map_departements(self) -> tuple[str, ...]:
        """The départements a map restricts its layers to: empty for the whole of France."""
        return () if self.national else self.departements

    def count(self, level_key: str, wholly: bool = False) -> int:
        """How many territories of ``level_key`` are in scope (wholly inside if asked)."""
        return len(self._codes(level_key, wholly))

    def _codes(self, level_key: str, wholly: bool) -> frozenset[str]:
        if wholly:
            if level_key not in WHOLLY_LEVELS:
                return self.codes[level_key]
            return self.wholly[level_key]
        return self.codes[level_key]

    def restrict(self, frame: pd.DataFrame, level_key: str, wholly: bool = False) -> pd.DataFrame:
        """The rows of ``frame`` (with the level's code column) in scope; the national scope keeps every
        row (also those without a code, such as a place in Saint-Martin)."""
        column = LEVELS[level_key].code
        if column not in frame.columns:
            raise ScopeInputError(
                f"the frame has no column {column!r} for level {level_key!r} (columns: {', '.join(frame.columns)})"
            )
        if self.national and not wholly:
            return frame
        return frame[frame[column].isin(self._codes(level_key, wholly)).to_numpy()]

    def restrict_qpv(self, qpv: pd.DataFrame) -> pd.DataFrame:
        """The QPV 2024 of ``qpv`` (the ``qpv`` mart, any generation) in scope."""
        return qpv[qpv["code_qp"].isin(self.qpv).to_numpy() & (qpv["generation"] == "2024").to_numpy()]


def _require(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ScopeInputError(
            f"the {name} frame lacks column(s) {', '.join(missing)}; rebuild the marts with python -m etl build"
        )


def compute_territory_departements(
    regions: tuple[str, ...] | list[str], departements: tuple[str, ...] | list[str], communes: pd.DataFrame
) -> tuple[str, ...] | None:
    """The départements of the territory the filters choose; None for all of France.

    The départements chosen win; chosen with régions, only those of these régions are kept, and if
    none is, the régions' départements are the territory.

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_dep": ["29", "22", "01"], "insee_reg": ["53", "53", "84"]})
    >>> compute_territory_departements(["53"], [], communes)
    ('22', '29')
    >>> compute_territory_departements(["53"], ["29", "01"], communes)
    ('29',)
    >>> compute_territory_departements([], [], communes) is None
    True
    """
    if not regions and not departements:
        return None
    of_regions = set(communes.loc[communes["insee_reg"].isin(list(regions)), "insee_dep"]) if regions else None
    chosen = set(departements)
    if of_regions is not None:
        chosen &= of_regions
        if not chosen:
            chosen = of_regions
    return tuple(sorted(chosen))


def compute_scope(
    regions: tuple[str, ...] | list[str],
    departements: tuple[str, ...] | list[str],
    communes: pd.DataFrame,
    qpv: pd.DataFrame,
) -> Scope:
    """The :class:`Scope` of the territorial filters (the rule of this module).

    Parameters
    ----------
    regions, departements : sequence of str
        The territorial filters (empty: no restriction).
    communes : DataFrame
        The ``communes`` mart: ``insee_com, insee_dep, insee_reg, siren_epci, insee_arr``.
    qpv : DataFrame
        The ``qpv`` mart: ``code_qp, insee_dep, generation``.

    Returns
    -------
    Scope

    Examples
    --------
    >>> communes = pd.DataFrame({"insee_com": ["22002", "50001", "29001"], "insee_dep": ["22", "50", "29"],
    ...     "insee_reg": ["53", "28", "53"], "siren_epci": ["E1", "E1", "E2"], "insee_arr": ["221", "501", "291"]})
    >>> qpv = pd.DataFrame({"code_qp": ["QN02201M"], "insee_dep": ["22"], "generation": ["2024"]})
    >>> scope = compute_scope(["53"], [], communes, qpv)
    >>> scope.count("epci"), scope.count("epci", wholly=True), sorted(scope.qpv)
    (2, 1, ['QN02201M'])
    """
    _require(communes, COMMUNE_COLUMNS, "communes")
    _require(qpv, ("code_qp", "insee_dep", "generation"), "qpv")
    deps = compute_territory_departements(regions, departements, communes)
    inside = pd.Series(True, index=communes.index) if deps is None else communes["insee_dep"].isin(list(deps))
    kept = communes[inside.to_numpy()]
    codes = {key: frozenset(kept[LEVELS[key].code].dropna().tolist()) for key in LEVELS}
    wholly = {}
    for key in WHOLLY_LEVELS:
        column = LEVELS[key].code
        outside = set(communes.loc[~inside.to_numpy(), column].dropna().tolist())
        wholly[key] = frozenset(c for c in codes[key] if c not in outside)
    qpv_2024 = qpv[qpv["generation"] == "2024"]
    in_qpv = qpv_2024 if deps is None else qpv_2024[qpv_2024["insee_dep"].isin(list(deps))]
    return Scope(deps is None, codes, wholly, frozenset(in_qpv["code_qp"].tolist()))
