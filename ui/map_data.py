"""Map layers prepared once and kept in the cache: simplified geometries, GeoJSON text."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from core.geo.crs import metric_zone
from core.viz.leaflet import to_safe_json
from core.viz.maps import assemble_geojson, compute_display_geojson, compute_geometry_json, escape
from ui.loaders import load_geo

# Display tolerance (degrees) by level: coarser for larger units.
TOLERANCE = {"communes": 0.0005, "epci": 0.004, "departements": 0.01, "regions": 0.015, "qpv": 0.0002}
CODES = {
    "communes": ("insee_com", "nom_com"),
    "epci": ("siren_epci", "nom_epci"),
    "departements": ("insee_dep", "nom_dep"),
    "regions": ("insee_reg", "nom_reg"),
}


def _in_scope(frame: pd.DataFrame, deps: tuple[str, ...]) -> pd.Series:
    if not deps:
        return pd.Series(True, index=frame.index)
    if "insee_dep" in frame.columns:
        return frame["insee_dep"].isin(deps)
    return pd.Series(True, index=frame.index)


@st.cache_data(show_spinner="Préparation des contours…", max_entries=64)
def display_geometries(level: str, deps: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Code, name and simplified geometry of a level, restricted to départements ``deps``."""
    code, name = CODES[level]
    geo = load_geo(level)
    if level == "epci" and deps:
        communes = load_geo("communes")[["siren_epci", "insee_dep"]]
        keep = set(communes.loc[communes["insee_dep"].isin(deps), "siren_epci"].dropna())
        geo = geo[geo["siren_epci"].isin(keep)]
    elif level == "regions" or level == "epci":
        pass
    else:
        geo = geo[_in_scope(geo, deps).to_numpy()]
    geoms = shapely.set_precision(shapely.simplify(geo.geometry.values, TOLERANCE[level], preserve_topology=True), 1e-4)
    return gpd.GeoDataFrame({"code": geo[code].to_numpy(), "nom": geo[name].to_numpy()}, geometry=geoms, crs=geo.crs)


@st.cache_data(show_spinner=False, max_entries=64)
def geometry_json(level: str, deps: tuple[str, ...] = ()) -> list[str | None]:
    """Display geometries of :func:`display_geometries` as GeoJSON texts (aligned with it)."""
    return compute_geometry_json(display_geometries(level, deps), 0.0)


def shaded_geojson(
    geoms: gpd.GeoDataFrame, level: str, deps: tuple[str, ...], tooltips: list[str], fills: list[str]
) -> str:
    """Safe GeoJSON text of rows of ``display_geometries(level, deps)`` with this run's tooltips and
    colours, built from the cached geometry texts (the geometries are not serialised again).

    ``geoms`` is that frame or a subset of its rows (its index is the row position in the frame);
    ``tooltips`` and ``fills`` are aligned with ``geoms``.
    """
    texts = geometry_json(level, deps)
    return assemble_geojson([texts[i] for i in geoms.index], tooltips, fills)


@st.cache_data(show_spinner=False, max_entries=16)
def borders_json(level: str) -> str:
    """Outlines of départements or régions as safe GeoJSON text."""
    return to_safe_json(compute_display_geojson(display_geometries(level), 0.0))


def qpv_as_points(deps: tuple[str, ...]) -> bool:
    """At national scale QPV are 1–3 pixels wide: they are drawn as points, outlines once a
    territory is selected."""
    return not deps


@st.cache_data(show_spinner="Préparation des QPV…", max_entries=32)
def qpv_json(deps: tuple[str, ...] = ()) -> str:
    """QPV 2024 (restricted to ``deps``) with escaped tooltips, as safe GeoJSON text: outlines
    for a territory, points (a point inside each perimeter) for the whole country."""
    qpv = load_geo("qpv")
    qpv = qpv[(qpv["generation"] == "2024") & _in_scope(qpv, deps)]
    if qpv_as_points(deps):
        points = gpd.GeoDataFrame(geometry=qpv.geometry.representative_point(), crs=qpv.crs)
        tips = [f"{escape(n)} ({escape(c)})" for n, c in zip(qpv["lib_qp"], qpv["code_qp"], strict=True)]
        return to_safe_json(compute_display_geojson(points, 0.0, tips, grid=1e-3))
    tips = [
        f"<b>{escape(n)}</b> ({escape(c)})<br>{escape(com)}<br>Population : {escape(p)}"
        for n, c, com, p in zip(
            qpv["lib_qp"],
            qpv["code_qp"],
            qpv["noms_communes"],
            qpv["pop_qpv"].map(lambda v: "n.d." if pd.isna(v) else f"{int(v):,}".replace(",", "\u202f")),
            strict=True,
        )
    ]
    return to_safe_json(compute_display_geojson(qpv, TOLERANCE["qpv"], tips))


@st.cache_data(show_spinner="Calcul des zones tampons…", max_entries=16)
def qpv_buffer_json(distance_m: int, deps: tuple[str, ...] = ()) -> str:
    """The area within ``distance_m`` of a QPV, computed in each territory's metric CRS."""
    qpv = load_geo("qpv")
    qpv = qpv[(qpv["generation"] == "2024") & _in_scope(qpv, deps)]
    parts = []
    for crs, group in qpv.groupby(qpv["insee_dep"].map(metric_zone)):
        merged = shapely.union_all(group.to_crs(crs).buffer(distance_m, quad_segs=4).values)
        parts.append(gpd.GeoSeries([merged], crs=crs).to_crs("EPSG:4326").iloc[0])
    frame = gpd.GeoDataFrame(geometry=parts, crs="EPSG:4326")
    return to_safe_json(compute_display_geojson(frame, 0.0003))
