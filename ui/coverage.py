"""The coverage page's map: the rate of Fabriques per 100 000 inhabitants of each territory in scope."""

from __future__ import annotations

import pandas as pd

from core.domain.definitions import DEFINITIONS
from core.domain.territories import LEVELS
from core.viz.maps import make_fabriques_map
from ui.context import PageContext
from ui.maps import bounds_of, choropleth, render_map


def render_rate_map(level: str, rates: pd.DataFrame, ctx: PageContext) -> None:
    """The choropleth of ``rates`` (``compute_rate_per_100k`` restricted to the scope) at ``level``,
    fitted to the scope, with the selected Fabriques in the map's list."""
    spec = LEVELS[level]
    deps = ctx.scope.map_departements
    layer, _ = choropleth(
        level,
        deps,
        rates.set_index(spec.code)["pour_100k"],
        DEFINITIONS["pour_100k"].label,
        2,
        spec.plural,
        codes=rates[spec.code],
    )
    bounds = bounds_of(level, deps) if not ctx.scope.national else None
    render_map(
        make_fabriques_map(ctx.fabriques.iloc[0:0], choropleth=layer, bounds=bounds),
        560,
        "cov_carte",
        title=f"Carte des Fabriques pour 100 000 habitants — {spec.plural}",
        places=ctx.fabriques,
        description=ctx.description,
    )
