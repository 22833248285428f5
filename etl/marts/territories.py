"""Territory marts (EPCI, arrondissements, départements, régions) aggregated from communes."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from core.domain.territories import LEVELS

PER_100K = 100_000


def compute_territory_indicators(communes: pd.DataFrame, level: str) -> pd.DataFrame:
    """Aggregate commune indicators to a territory level.

    Returns
    -------
    DataFrame
        One row per territory: code, name, ``communes``, ``population``, ``fabriques_2020_2021``,
        ``fabriques_2023``, ``fabriques``, ``fabriques_pour_100k`` (per 100,000 inhabitants),
        ``qpv_nombre`` (QPV whose principal commune is in it), ``qpv_population``,
        ``population_rurale``, ``part_population_rurale`` (INSEE rural, density levels 5–7),
        ``tiers_lieux_2019``.
    """
    code, name = LEVELS[level].code, LEVELS[level].name
    frame = communes[communes[code].fillna("").ne("")].assign(
        pop_rurale=communes["population"].where(communes["rural_insee"].fillna(False).astype(bool), 0)
    )
    grouped = frame.groupby(code, sort=True)
    out = pd.DataFrame(
        {
            name: grouped[name].first(),
            "communes": grouped["insee_com"].count(),
            "population": grouped["population"].sum(),
            "fabriques_2020_2021": grouped["fabriques_2020_2021"].sum(),
            "fabriques_2023": grouped["fabriques_2023"].sum(),
            "fabriques": grouped["fabriques"].sum(),
            "qpv_population": grouped["qpv_population"].sum(min_count=1).fillna(0),
            "population_rurale": grouped["pop_rurale"].sum(),
            "tiers_lieux_2019": grouped["tiers_lieux_2019"].sum(),
        }
    )
    pop = out["population"].astype(float)
    out["fabriques_pour_100k"] = (out["fabriques"] / pop * PER_100K).where(pop > 0).round(2)
    out["part_population_rurale"] = (out["population_rurale"] / pop).where(pop > 0).round(4)
    return out.reset_index()


def build_territory(
    communes: gpd.GeoDataFrame,
    level: str,
    polygons: gpd.GeoDataFrame | None,
    qpv: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """A territory mart: indicators plus a polygon.

    Parameters
    ----------
    polygons : GeoDataFrame or None
        ANCT's generalised polygons (columns ``code``, ``geometry``); None dissolves the
        communes' display polygons (EPCI).
    qpv : DataFrame
        The ``qpv`` mart, to count QPV by the principal commune's territory.
    """
    code = LEVELS[level].code
    out = compute_territory_indicators(communes, level)
    qpv_codes = qpv["insee_com_principale"].map(communes.set_index("insee_com")[code])
    out["qpv_nombre"] = out[code].map(qpv_codes.value_counts()).fillna(0).astype(int)
    if polygons is None:
        present = communes[communes.geometry.notna() & communes[code].notna()]
        geoms = present.groupby(code)["geometry"].agg(lambda g: shapely.coverage_union_all(g.values))
        geometry = out[code].map(geoms)
    else:
        geometry = out[code].map(polygons.set_index("code").geometry)
    return gpd.GeoDataFrame(out, geometry=list(geometry), crs=communes.crs)
