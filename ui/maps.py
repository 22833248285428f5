"""Map layers prepared once per version of their mart and kept in the cache, and the one way a page
shows a map.

Every cache here is keyed on the version of the marts it reads (:func:`ui.loaders.mart_version`):
after a new build the maps show the new geometries and names without a restart.
"""

from __future__ import annotations

from functools import partial

import folium
import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st
from folium.map import FitBounds
from streamlit_folium import st_folium

from core.analysis.scope import Scope, compute_scope
from core.domain.classifications import USER_LIST_COHORT
from core.domain.formatting import format_number
from core.domain.territories import LEVELS, item_key
from core.geo.crs import metric_zone
from core.geo.outlines import compute_outlines
from core.viz.controls import FrenchControls, map_title
from core.viz.leaflet import FitView, to_safe_json
from core.viz.maps import (
    PLACE_COLOURS,
    Choropleth,
    MapContents,
    PointLayer,
    compute_bounds,
    compute_display_geojson,
    compute_geometry_json,
    escape,
    make_choropleth,
    make_point_layer,
)
from ui import state
from ui.loaders import load_geo_version, load_table_version, mart_version
from ui.map_list import render_map_list
from ui.map_panel import render_panel, select_from_click
from ui.map_search import render_search
from ui.user_list import UserList

# Display tolerance (degrees) by level: coarser for larger units.
TOLERANCE = {
    "communes": 0.0005,
    "epci": 0.004,
    "arrondissements": 0.006,
    "departements": 0.01,
    "regions": 0.015,
    "qpv": 0.0002,
}
OPTIONAL_LAYERS = {
    "pvd": "Petites villes de demain",
    "acv": "Action cœur de ville",
    "tiers_lieux_2019": "Tiers-lieux recensés en 2019",
    "tampon_300": "QPV + 300 m",
    "tampon_500": "QPV + 500 m",
}
PROGRAMME_COLOURS = {"pvd": "#2e8b57", "acv": "#8e44ad"}


@st.cache_resource(show_spinner=False, max_entries=64)
def _departements_scope(communes: tuple[str, int], qpv: tuple[str, int], deps: tuple[str, ...]) -> Scope:
    return compute_scope((), deps, load_table_version(communes), load_table_version(qpv))


def _scope_of(deps: tuple[str, ...]) -> Scope:
    """The scope of the départements ``deps`` (all of France when empty), by the one rule."""
    return _departements_scope(mart_version("communes"), mart_version("qpv"), deps)


@st.cache_data(show_spinner="Préparation des contours…", max_entries=64)
def _display_geometries(level: str, version: tuple[str, int], deps: tuple[str, ...]) -> gpd.GeoDataFrame:
    spec = LEVELS[level]
    geo = load_geo_version(version)
    if deps:
        geo = _scope_of(deps).restrict(geo, level)
    values = geo.geometry.values
    # The communes are simplified by the ETL as a coverage (neighbours share their edges): snapping
    # to the grid keeps it one, a second simplification, polygon by polygon, would open gaps.
    simplified = values if level == "communes" else shapely.simplify(values, TOLERANCE[level], preserve_topology=True)
    geoms = shapely.set_precision(simplified, 1e-4)
    return gpd.GeoDataFrame(
        {"code": geo[spec.code].to_numpy(), "nom": geo[spec.name].to_numpy()}, geometry=geoms, crs=geo.crs
    )


def display_geometries(level: str, deps: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    """Code, name and simplified geometry of the territories of ``level`` in the scope of the
    départements ``deps`` (every territory when empty)."""
    return _display_geometries(level, mart_version(level), tuple(deps))


@st.cache_data(show_spinner=False, max_entries=64)
def _geometry_json(level: str, version: tuple[str, int], deps: tuple[str, ...]) -> list[str | None]:
    return compute_geometry_json(_display_geometries(level, version, deps), 0.0)


def choropleth(
    level: str,
    deps: tuple[str, ...],
    values: pd.Series,
    label: str,
    decimals: int,
    name: str,
    extra: pd.Series | None = None,
    codes: pd.Index | None = None,
) -> tuple[Choropleth, pd.DataFrame]:
    """A choropleth of ``values`` (indexed by territory code) over the territories of ``level`` in the
    scope of ``deps`` (only ``codes`` among them when given), and the table of what it shows
    (``code, territoire, valeur``).

    ``extra`` (indexed by code) adds a line of HTML, built from escaped values, to the tooltips.
    """
    version = mart_version(level)
    geoms = _display_geometries(level, version, tuple(deps))
    if codes is not None:
        geoms = geoms[geoms["code"].isin(codes)]
    texts = _geometry_json(level, version, tuple(deps))
    shown = values.reindex(geoms["code"]).to_numpy()
    lines = None if extra is None else extra.reindex(geoms["code"]).fillna("").tolist()
    ids = [item_key(level, c) for c in geoms["code"]]
    layer = make_choropleth(
        [texts[i] for i in geoms.index], geoms["nom"], pd.Series(shown), label, decimals, name, lines, ids
    )
    table = pd.DataFrame({"code": geoms["code"].to_numpy(), "territoire": geoms["nom"].to_numpy(), label: shown})
    layer.level, layer.table = level, table
    return layer, table


def bounds_of(level: str, deps: tuple[str, ...]) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of the territories of ``level`` in the scope of ``deps``."""
    return compute_bounds(display_geometries(level, deps))


@st.cache_data(show_spinner=False, max_entries=16)
def _borders_json(level: str, version: tuple[str, int]) -> str:
    return to_safe_json(compute_display_geojson(_display_geometries(level, version, ()), 0.0))


def borders_json(level: str) -> str:
    """Outlines of départements or régions as safe GeoJSON text."""
    return _borders_json(level, mart_version(level))


@st.cache_data(show_spinner="Tracé des limites…", max_entries=16)
def _commune_borders_json(level: str, version: tuple[str, int], deps: tuple[str, ...]) -> str:
    geoms = _display_geometries("communes", version, deps)
    groups = load_table_version(version).set_index("insee_com")[LEVELS[level].code]
    outlines = compute_outlines(geoms, groups.reindex(geoms["code"]).to_numpy())
    return to_safe_json(compute_display_geojson(outlines, 0.0))


def commune_borders_json(level: str, deps: tuple[str, ...]) -> str:
    """Outlines of the départements or régions of the communes shown for ``deps``, dissolved from
    those communes' own geometry (they follow the communes' edges), as safe GeoJSON text."""
    return _commune_borders_json(level, mart_version("communes"), tuple(deps))


def map_borders(level: str, deps: tuple[str, ...]) -> list[tuple[str, str]]:
    """The borders drawn over a choropleth of ``level``: départements (unless the choropleth draws
    them) and régions; over communes, both dissolved from the communes shown."""
    if level == "communes":
        return [(LEVELS[lvl].plural, commune_borders_json(lvl, deps)) for lvl in ("departements", "regions")]
    shown = [] if level == "departements" else [("Départements", borders_json("departements"))]
    return [*shown, ("Régions", borders_json("regions"))]


def qpv_as_points(deps: tuple[str, ...]) -> bool:
    """At national scale QPV are 1–3 pixels wide: they are drawn as points, outlines once a
    territory is selected."""
    return not deps


def _qpv_in(version: tuple[str, int], deps: tuple[str, ...]) -> gpd.GeoDataFrame:
    qpv = load_geo_version(version)
    return _scope_of(deps).restrict_qpv(qpv)


def _population(value: object) -> str:
    return "n.d." if pd.isna(value) else format_number(value)


@st.cache_data(show_spinner="Préparation des QPV…", max_entries=32)
def _qpv_json(version: tuple[str, int], deps: tuple[str, ...]) -> str:
    qpv = _qpv_in(version, deps)
    ids = [item_key("qpv", c) for c in qpv["code_qp"]]
    if qpv_as_points(deps):
        points = gpd.GeoDataFrame(geometry=qpv.geometry.representative_point(), crs=qpv.crs)
        tips = [f"{escape(n)} ({escape(c)})" for n, c in zip(qpv["lib_qp"], qpv["code_qp"], strict=True)]
        return to_safe_json(compute_display_geojson(points, 0.0, tips, grid=1e-3, ids=ids))
    tips = [
        f"<b>{escape(n)}</b> ({escape(c)})<br>{escape(com)}<br>Population : {escape(_population(p))}"
        for n, c, com, p in zip(qpv["lib_qp"], qpv["code_qp"], qpv["noms_communes"], qpv["pop_qpv"], strict=True)
    ]
    return to_safe_json(compute_display_geojson(qpv, TOLERANCE["qpv"], tips, ids=ids))


def qpv_json(deps: tuple[str, ...] = ()) -> str:
    """The QPV 2024 in the scope of ``deps`` with escaped tooltips, as safe GeoJSON text: outlines for
    a territory, points (a point inside each perimeter) for the whole country."""
    return _qpv_json(mart_version("qpv"), tuple(deps))


@st.cache_data(show_spinner="Calcul des zones tampons…", max_entries=16)
def _qpv_buffer_json(version: tuple[str, int], distance_m: int, deps: tuple[str, ...]) -> str:
    qpv = _qpv_in(version, deps)
    parts = []
    for crs, group in qpv.groupby(qpv["insee_dep"].map(metric_zone)):
        merged = shapely.union_all(group.to_crs(crs).buffer(distance_m, quad_segs=4).values)
        parts.append(gpd.GeoSeries([merged], crs=crs).to_crs("EPSG:4326").iloc[0])
    frame = gpd.GeoDataFrame(geometry=parts, crs="EPSG:4326")
    return to_safe_json(compute_display_geojson(frame, 0.0003))


def qpv_buffer_json(distance_m: int, deps: tuple[str, ...] = ()) -> str:
    """The area within ``distance_m`` of a QPV in the scope of ``deps``, computed in each territory's
    metric CRS."""
    return _qpv_buffer_json(mart_version("qpv"), distance_m, tuple(deps))


def optional_point_layers(chosen: list[str], scope: Scope, user_list: UserList | None) -> list[PointLayer]:
    """The point layers chosen among :data:`OPTIONAL_LAYERS` (and a user's list shown as a layer),
    restricted to the communes in ``scope``."""
    layers = []
    communes = load_table_version(mart_version("communes"))
    for programme in ("pvd", "acv"):
        if programme in chosen:
            points = load_table_version(mart_version("programmes"))
            points = points[points["programme"].isin([programme, f"{programme}2"])].merge(
                communes[["insee_com", "centroide_lon", "centroide_lat"]], on="insee_com"
            )
            points = scope.restrict(points, "communes").rename(
                columns={"centroide_lon": "longitude", "centroide_lat": "latitude"}
            )
            labels = points["lib_programme"] + " (" + points["nom_com"].fillna("") + ")"
            layers.append(make_point_layer(OPTIONAL_LAYERS[programme], points, labels, PROGRAMME_COLOURS[programme]))
    if "tiers_lieux_2019" in chosen:
        census = scope.restrict(load_table_version(mart_version("tiers_lieux_2019")), "communes")
        layers.append(
            make_point_layer(
                OPTIONAL_LAYERS["tiers_lieux_2019"], census, census["nom"] + " — " + census["typologie"], "#555555"
            )
        )
    if user_list is not None and user_list.mode == "couche":
        own = scope.restrict(user_list.places, "communes")
        labels = own["nom"].astype(str) + " — " + own["nom_com"].fillna("").astype(str)
        layers.append(
            make_point_layer(
                f"Liste importée « {user_list.name} »", own, labels, PLACE_COLOURS[USER_LIST_COHORT], "fabt-user-list"
            )
        )
    return layers


# What a click on the map sends back: the feature clicked (its properties carry its item key) and
# where, which changes with every click. Pan and zoom send nothing, so they never rerun the page.
CLICK_OBJECTS = ["last_active_drawing", "last_object_clicked"]


def _fitted_bounds(fmap: folium.Map) -> list | None:
    fit = next((c for c in fmap._children.values() if isinstance(c, (FitBounds, FitView))), None)
    return None if fit is None else fit.bounds


def _pending_view(key: str, map_bounds: list | None) -> tuple[tuple[float, float] | None, int | None]:
    """The centre and zoom a search asked the map ``key`` for, while the map keeps the
    bounds it had then (another zoom choice or territory drops it)."""
    view = state.recall(state.map_view_key(key))
    if not view or view[0] != map_bounds:
        return None, None
    return tuple(view[1]), view[2]


def render_map(
    fmap: folium.Map,
    height: int,
    key: str,
    *,
    title: str | None = None,
    places: pd.DataFrame | None = None,
    search: bool = False,
    panel: bool = True,
    description: str = "",
) -> None:
    """Draw ``fmap`` at full width, with what every map of the dashboard has around it.

    - A map built by :func:`core.viz.maps.make_fabriques_map` (it says what it shows) is drawn with a
      panel beside it: a click on a territory of its choropleth, a Fabrique or a QPV opens its card
      there (:mod:`ui.map_panel`); only clicks come back to the app, pan and zoom do not rerun it.
      Below the map, the list of what it draws with the same values, its text alternative
      (:mod:`ui.map_list`).
    - ``search``: a search box above the panel (:mod:`ui.map_search`); ``panel=False``: no panel
      (a slide), the map takes the whole width.
    - ``places``: the places the panel counts in a territory, when they are not those drawn (a map
      of rates without markers); by default the map's own.
    - ``title``: the map's title for screen readers (its frame's title), « Carte … ».
    - ``description``: the page's filters, written into the list's exports.

    ``render=False``: streamlit-folium would otherwise render the whole page of the map once more
    before rendering the map itself, for the same component arguments (compared on the Fabriques
    map) at twice the cost.
    """
    contents: MapContents | None = getattr(fmap, "contents", None)
    default = contents.choropleth.name if contents and contents.choropleth else None
    fmap.add_child(FrenchControls(map_title(title or default)), name="fabt_french_controls")
    map_bounds = _fitted_bounds(fmap)
    if contents is None or not panel:
        st_folium(fmap, height=height, use_container_width=True, returned_objects=[], key=key, render=False)
        if contents is not None:
            render_map_list(contents, key, description)
        return
    map_column, side = st.columns([3, 1], gap="medium")
    # The panel first: after a click its few elements reach the browser before the map's (large,
    # unchanged) element, and show without waiting for it.
    with side:
        if search:
            render_search(key, map_bounds, height)
        render_panel(key, contents.places if places is None else places)
    centre, zoom = _pending_view(key, map_bounds)
    with map_column:
        st_folium(
            fmap,
            height=height,
            use_container_width=True,
            returned_objects=CLICK_OBJECTS,
            key=key,
            render=False,
            center=centre,
            zoom=zoom,
            on_change=partial(select_from_click, key),
        )
    render_map_list(contents, key, description)
