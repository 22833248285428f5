"""One row per COG 2026 commune with every class and administrative code: the join hub."""

from __future__ import annotations

import pandas as pd

from core.domain.classifications import DENSITY_LEVELS, compute_density_classes

FRR_CLASSEE = ("FRR+", "FRR socle", "Classée FRR partiellement")
PROGRAMME_FLAGS = {
    "pvd": "pvd",
    "acv": "acv",
    "acv2": "acv",
    "va": "villages_avenir",
    "manuprox": "manufacture_proximite",
    "fs": "france_services",
}


def build_commune_attributes(staged: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Join the COG, EPCI, classes, QPV counts and programme flags on ``insee_com``.

    Parameters
    ----------
    staged : dict
        Staged frames by source id (``cog_communes``, ``cog_epci``, ``cog_arrondissements``,
        ``cog_departements``, ``cog_regions``, ``grille_densite``, ``typologie_ruralite``,
        ``centralite``, ``montagne``, ``frr``, ``qpv_2024``, ``programmes``).

    Returns
    -------
    DataFrame
        One row per current commune (all zones), see the column list in the Données page.
    """
    com = staged["cog_communes"].copy()
    epci = staged["cog_epci"][["insee_com", "siren_epci", "nom_epci", "type_epci"]]
    out = com.merge(epci, on="insee_com", how="left")
    out = out.merge(staged["cog_arrondissements"][["insee_arr", "nom_arr"]], on="insee_arr", how="left")
    out = out.merge(staged["cog_departements"][["insee_dep", "nom_dep"]], on="insee_dep", how="left")
    out = out.merge(staged["cog_regions"][["insee_reg", "nom_reg"]], on="insee_reg", how="left")

    def value(source: str, name: str) -> pd.Series:
        table = staged[source].set_index("insee_com")["valeur"]
        return out["insee_com"].map(table).astype("string").rename(name)

    density = value("grille_densite", "densite")
    out["densite_niveau"] = density.map(DENSITY_LEVELS).astype("Int64")
    out = pd.concat([out, compute_density_classes(out["densite_niveau"])], axis=1)
    out["typologie_ruralite"] = value("typologie_ruralite", "typologie_ruralite")
    out["centralite"] = value("centralite", "centralite").str.strip(" -").replace("undefined", pd.NA)
    out["montagne"] = value("montagne", "montagne")
    out["commune_montagne"] = out["montagne"].notna()
    out["frr_classe"] = value("frr", "frr_classe")
    out["frr"] = out["frr_classe"].isin(FRR_CLASSEE).astype("boolean")
    out.loc[out["frr_classe"].isna(), "frr"] = pd.NA

    qpv_communes = staged["qpv_2024"][["code_qp", "communes"]].explode("communes").dropna()
    per_commune = qpv_communes.groupby("communes")["code_qp"].nunique()
    out["qpv_nombre"] = out["insee_com"].map(per_commune).fillna(0).astype(int)
    out["commune_qpv"] = out["qpv_nombre"] > 0

    progs = staged["programmes"]
    for programme, flag in PROGRAMME_FLAGS.items():
        codes = set(progs.loc[progs["programme"] == programme, "insee_com"])
        out[flag] = out[flag] | out["insee_com"].isin(codes) if flag in out else out["insee_com"].isin(codes)
    return out.reset_index(drop=True)
