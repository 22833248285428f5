"""Map builders: light GeoJSON for display, escaped labels, layers and legends.

Every text that comes from data is HTML-escaped before it reaches a tooltip: Leaflet renders
tooltips as HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.domain.classifications import USER_LIST_COHORT
from core.domain.formatting import format_number
from core.domain.territories import item_key
from core.domain.text import escape_markup
from core.viz import palette
from core.viz.charts import COHORT_COLOURS
from core.viz.insets import INSETS_WIDTH_PX, OverseasInsets
from core.viz.leaflet import PLAN_IGN, GeoJsonOverlay, make_base_map, to_safe_json

FRANCE_BOUNDS = [[41.2, -5.3], [51.2, 9.7]]
OVERSEAS_VIEWS: dict[str, list[list[float]]] = {
    "Métropole": FRANCE_BOUNDS,
    "Guadeloupe": [[15.8, -61.9], [16.6, -61.0]],
    "Martinique": [[14.35, -61.25], [14.9, -60.8]],
    "Guyane": [[2.1, -54.6], [5.8, -51.6]],
    "La Réunion": [[-21.4, 55.2], [-20.85, 55.85]],
    "Mayotte": [[-13.05, 44.95], [-12.6, 45.35]],
}
# DSFR tokens (core.viz.palette): the cohorts are bleu France and tuile, the QPV archipel.
QPV_STYLE = {"color": palette.SERIES[2], "weight": 1.2, "fillColor": palette.SERIES[2], "fillOpacity": 0.3}
BORDER_STYLE = {"fill": False, "color": palette.TEXT_DEFAULT, "weight": 1}
LINE_STYLE = {"color": palette.BLUE_FRANCE, "weight": 1.5, "opacity": 0.55}
PLACE_COLOURS = {**COHORT_COLOURS, USER_LIST_COHORT: palette.SERIES[4]}
PLACE_DEFAULT_COLOUR = palette.TEXT_MENTION
BUFFER_STYLE = {"color": palette.SERIES[3], "weight": 1, "fillOpacity": 0.12}
CHORO_COLOURS = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
MISSING_COLOUR = palette.BORDER
LEGEND_WIDTH_PX = 210
# Places are clustered only above this number: fewer read better, and are drawn faster, one by one.
CLUSTER_ABOVE = 1000


def escape(value: object) -> str:
    """Escape a value for a tooltip or a legend (HTML and Jinja, see :func:`core.domain.text.escape_markup`);
    missing values read "n.d."."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "n.d."
    return escape_markup(str(value))


def compute_display_geojson(
    frame: gpd.GeoDataFrame,
    tolerance: float,
    tooltips: list[str] | None = None,
    fills: list[str] | None = None,
    grid: float = 1e-4,
    ids: list[str] | None = None,
) -> dict:
    """A light GeoJSON dict: geometries simplified and snapped to ``grid`` degrees.

    Parameters
    ----------
    tooltips, fills : list of str, optional
        Per-row tooltip HTML (already escaped) and fill colour, aligned with ``frame``.
    ids : list of str, optional
        Per-row key of what a click on the feature identifies (:func:`core.domain.territories.item_key`).
    """
    keep = ~(shapely.is_missing(frame.geometry.values) | shapely.is_empty(frame.geometry.values))
    geoms = shapely.set_precision(
        shapely.simplify(frame.geometry.values[keep], tolerance, preserve_topology=True), grid
    )
    tips = np.asarray(tooltips, dtype=object)[keep] if tooltips is not None else [None] * int(keep.sum())
    fill = np.asarray(fills, dtype=object)[keep] if fills is not None else [None] * int(keep.sum())
    keys = np.asarray(ids, dtype=object)[keep] if ids is not None else [None] * int(keep.sum())
    features = []
    for geom, tip, colour, key in zip(geoms, tips, fill, keys, strict=True):
        if geom is None or geom.is_empty:
            continue
        props = {}
        if tip is not None:
            props["tooltip"] = tip
        if colour is not None:
            props["fill"] = colour
        if key is not None:
            props["id"] = key
        features.append({"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def compute_bins(values: pd.Series, n: int = 5) -> list[float]:
    """Quantile class breaks (distinct, increasing), at least two."""
    clean = pd.to_numeric(values, errors="coerce").dropna()
    if clean.empty:
        return [0.0, 1.0]
    qs = np.unique(np.quantile(clean, np.linspace(0, 1, n + 1)))
    if len(qs) < 2:
        qs = np.array([qs[0], qs[0] + 1])
    return [float(q) for q in qs]


def compute_colours(values: pd.Series, bins: list[float], colours: tuple[str, ...] = CHORO_COLOURS) -> list[str]:
    """Colour of each value in the class it falls in (missing values grey)."""
    numeric = pd.to_numeric(values, errors="coerce")
    idx = np.clip(np.searchsorted(bins, numeric.to_numpy(), side="right") - 1, 0, len(bins) - 2)
    palette = list(colours)[: len(bins) - 1] or [colours[-1]]
    return [
        MISSING_COLOUR if pd.isna(v) else palette[min(i, len(palette) - 1)] for v, i in zip(numeric, idx, strict=True)
    ]


def compute_geometry_json(frame: gpd.GeoDataFrame, tolerance: float, grid: float = 1e-4) -> list[str | None]:
    """Each row's display geometry as GeoJSON text (None when empty), to keep in a cache."""
    values = frame.geometry.values
    keep = ~(shapely.is_missing(values) | shapely.is_empty(values))
    out: list[str | None] = [None] * len(frame)
    geoms = shapely.set_precision(shapely.simplify(values[keep], tolerance, preserve_topology=True), grid)
    for i, text in zip(np.flatnonzero(keep), shapely.to_geojson(geoms), strict=True):
        out[i] = text
    return out


def assemble_geojson(
    geometries: list[str | None], tooltips: list[str], fills: list[str], ids: list[str] | None = None
) -> str:
    """Safe GeoJSON text from cached geometry texts and per-run tooltips, colours and keys (``ids``)."""
    keys = ids if ids is not None else [None] * len(geometries)
    features = [
        '{"type":"Feature","properties":'
        + to_safe_json({"tooltip": t, "fill": f} if k is None else {"tooltip": t, "fill": f, "id": k})
        + ',"geometry":'
        + g
        + "}"
        for g, t, f, k in zip(geometries, tooltips, fills, keys, strict=True)
        if g is not None
    ]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


@dataclass
class Choropleth:
    """A choropleth: GeoJSON with ``fill``, ``tooltip`` (and ``id``) per feature, and its legend.

    ``level`` (a key of :data:`core.domain.territories.LEVELS`) and ``table`` (``code, territoire``
    and the value column named ``caption``) say what it shows, for the panel and the list beside
    the map (:func:`ui.maps.render_map`).
    """

    geojson: dict | str
    caption: str
    bins: list[float]
    decimals: int = 1
    colours: tuple[str, ...] = CHORO_COLOURS
    name: str = "Indicateur"
    level: str | None = None
    table: pd.DataFrame | None = None


def compute_choropleth_tooltips(
    names: pd.Series | list, values: pd.Series | list, label: str, decimals: int, extra: list[str] | None = None
) -> list[str]:
    """Tooltip HTML of each territory of a choropleth: its name, the indicator and its value.

    ``extra`` holds one more line per territory, already HTML (built from escaped values), or None.

    Examples
    --------
    >>> compute_choropleth_tooltips(["Ain <b>"], [1234.5], "Population", 0)
    ['<b>Ain &lt;b&gt;</b><br>Population : 1\u202f234']
    """
    extra = extra if extra is not None else [""] * len(names)
    return [
        f"<b>{escape(n)}</b><br>{escape(label)} : {format_number(v, decimals)}" + (f"<br>{x}" if x else "")
        for n, v, x in zip(names, values, extra, strict=True)
    ]


def make_choropleth(
    geometry_texts: list[str | None],
    names: pd.Series,
    values: pd.Series,
    label: str,
    decimals: int,
    name: str,
    extra: list[str] | None = None,
    ids: list[str] | None = None,
) -> Choropleth:
    """A :class:`Choropleth` from cached geometry texts (aligned with ``names`` and ``values``):
    quantile classes, colours, tooltips and legend.

    Parameters
    ----------
    geometry_texts : list of str or None
        Each territory's display geometry as GeoJSON text (None: not drawn).
    names, values : Series
        Each territory's name and value (NaN: grey, "non disponible").
    label, decimals : str, int
        The indicator as the legend and tooltips say it, and its decimals.
    name : str
        The layer's name in the layer control.
    extra : list of str, optional
        One more tooltip line per territory (HTML from escaped values).
    ids : list of str, optional
        Each territory's key (``departements:29``): what a click on it identifies.
    """
    bins = compute_bins(values)
    tips = compute_choropleth_tooltips(names, values, label, decimals, extra)
    return Choropleth(
        assemble_geojson(geometry_texts, tips, compute_colours(values, bins), ids), label, bins, decimals, name=name
    )


@dataclass
class PointLayer:
    """An optional point layer (other programmes, the 2019 census): ``longitude, latitude, label``."""

    name: str
    points: pd.DataFrame
    colour: str
    show: bool = False
    class_name: str = "fabt-points"


def make_point_layer(
    name: str, frame: pd.DataFrame, labels: pd.Series, colour: str, class_name: str = "fabt-points", show: bool = True
) -> PointLayer:
    """A :class:`PointLayer` of the located rows of ``frame`` (``longitude``, ``latitude``) with ``labels``."""
    points = pd.DataFrame(
        {
            "longitude": frame["longitude"].to_numpy(),
            "latitude": frame["latitude"].to_numpy(),
            "label": labels.to_numpy(),
        }
    )
    return PointLayer(name, points, colour, show, class_name)


def points_geojson(
    frame: pd.DataFrame,
    tooltips: list[str],
    fills: list[str] | None = None,
    ids: list[str] | None = None,
    labels: list[str] | None = None,
) -> dict:
    """Point features from ``longitude``/``latitude`` columns; rows without coordinates skipped.

    ``ids`` (what a click identifies) and ``labels`` (plain text, the marker's text alternative)
    are optional per-row properties.
    """
    features = []
    lon, lat = frame["longitude"].to_numpy(), frame["latitude"].to_numpy()
    for i in range(len(frame)):
        if pd.isna(lon[i]) or pd.isna(lat[i]):
            continue
        props = {"tooltip": tooltips[i]}
        if fills is not None:
            props["fill"] = fills[i]
        if ids is not None:
            props["id"] = ids[i]
        if labels is not None:
            props["label"] = labels[i]
        features.append(
            {
                "type": "Feature",
                "properties": props,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(lon[i]), 5), round(float(lat[i]), 5)],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


TOOLTIP_COLUMNS = (
    "nom",
    "nom_com",
    "insee_dep",
    "cohort",
    "densite_libelle",
    "dans_qpv",
    "distance_qpv_m",
    "frr_classe",
)


def fabrique_tooltip(row: dict) -> str:
    """Tooltip HTML of a Fabrique (escaped values)."""
    dist = row.get("distance_qpv_m")
    dist_text = "n.d." if dist is None or pd.isna(dist) else f"{format_number(dist)} m"
    qpv = "dans un QPV" if row.get("dans_qpv") is True else f"QPV le plus proche à {dist_text}"
    return "<br>".join(
        [
            f"<b>{escape(row.get('nom'))}</b>",
            f"{escape(row.get('nom_com'))} ({escape(row.get('insee_dep'))}) · cohorte {escape(row.get('cohort'))}",
            f"Densité : {escape(row.get('densite_libelle'))}",
            qpv,
            f"FRR : {escape(row.get('frr_classe'))}",
        ]
    )


def _legend_label(cohort: str) -> str:
    return cohort if cohort == USER_LIST_COHORT else f"Fabrique {cohort}"


def _legend(entries: list[tuple[str, str]], title: str, choropleth: Choropleth | None) -> str:
    def swatch(colour: str, round_: bool) -> str:
        radius = "6px" if round_ else "2px"
        return (
            f'<span style="display:inline-block;width:12px;height:12px;border-radius:{radius};'
            f'background:{colour};margin-right:6px;border:1px solid #888"></span>'
        )

    items = "".join(f"<div>{swatch(c, True)}{escape(label)}</div>" for label, c in entries)
    if choropleth is not None:
        b, d = choropleth.bins, choropleth.decimals
        items += f'<div style="margin-top:6px"><b>{escape(choropleth.caption)}</b></div>'
        for i, colour in enumerate(list(choropleth.colours)[: len(b) - 1]):
            items += f"<div>{swatch(colour, False)}{format_number(b[i], d)} – {format_number(b[i + 1], d)}</div>"
        items += f"<div>{swatch(MISSING_COLOUR, False)}non disponible</div>"
    return (
        '<div class="fabt-legend" style="background:white;padding:6px 8px;border:1px solid #bbb;'
        f'border-radius:4px;font:12px Arial,sans-serif;width:{LEGEND_WIDTH_PX}px;box-sizing:border-box">'
        f"<b>{escape(title)}</b>{items}</div>"
    )


@dataclass
class MapContents:
    """What a map built by :func:`make_fabriques_map` shows, for what :func:`ui.maps.render_map`
    puts beside it (the panel of what is clicked, the list of what is drawn): the places and the
    name of their layer, and the choropleth."""

    places: pd.DataFrame
    places_name: str
    choropleth: Choropleth | None = None


def place_labels(places: pd.DataFrame) -> list[str]:
    """Plain-text name of each place, its marker's text alternative: « Fabrique Le Hublot, Nice (06) »."""
    names = places["nom"].fillna("").astype(str) if "nom" in places else pd.Series([""] * len(places))
    communes = places["nom_com"].fillna("").astype(str) if "nom_com" in places else names.map(lambda _: "")
    deps = places["insee_dep"].fillna("").astype(str) if "insee_dep" in places else names.map(lambda _: "")
    return [
        f"Fabrique {n}" + (f", {c}" if c else "") + (f" ({d})" if d else "")
        for n, c, d in zip(names, communes, deps, strict=True)
    ]


def place_ids(places: pd.DataFrame) -> list[str] | None:
    """Each place's key (``fabriques:12``), or None when the places have no ``fabrique_id``."""
    if "fabrique_id" not in places:
        return None
    return [item_key("fabriques", v) for v in places["fabrique_id"].tolist()]


def make_fabriques_map(
    fabriques: pd.DataFrame,
    *,
    qpv: dict | str | None = None,
    qpv_points: bool = False,
    choropleth: Choropleth | None = None,
    borders: list[tuple[str, dict | str]] | None = None,
    buffers: list[tuple[str, dict | str]] | None = None,
    lines: list[tuple[str, dict | str]] | None = None,
    point_layers: list[PointLayer] | None = None,
    bounds: list[list[float]] | None = None,
    cluster: bool | None = None,
    tiles: str | None = "ign",
    places_name: str = "Fabriques de Territoire",
    insets: bool | None = None,
    legend: list[tuple[str, str]] | None = None,
) -> folium.Map:
    """The main map: Fabriques by cohort, QPV, choropleth, borders, optional layers, overseas insets.

    Parameters
    ----------
    fabriques : DataFrame
        Columns ``longitude, latitude, nom, nom_com, insee_dep, cohort, densite_libelle,
        dans_qpv, distance_qpv_m, frr_classe`` (and ``fabrique_id``: a click on a place identifies
        it); rows without coordinates are skipped.
    qpv_points : bool
        The QPV layer holds points (national view) rather than outlines.
    lines : list, optional
        ``(name, GeoJSON of lines with escaped tooltips)`` drawn under the points (links of a network).
    bounds : list, optional
        ``[[south, west], [north, east]]`` to zoom to; default métropole.
    cluster : bool, optional
        Group nearby places into clusters; by default only above :data:`CLUSTER_ABOVE` places
        (fewer are drawn faster, and read better, one by one).
    places_name : str
        Name of the places' layer (a user's list can stand in for the Fabriques).
    insets : bool, optional
        Draw the five DROM in insets; by default for the national view (``bounds`` None or
        :data:`FRANCE_BOUNDS`).
    legend : list, optional
        More ``(label, colour)`` entries of the legend (the point layers' own colours).

    Returns
    -------
    folium.Map
        Its attribute ``contents`` (:class:`MapContents`) says what it shows. The layer control is
        collapsed and the legend is in the bottom-right corner; the map is fitted clear of the
        legend and of the insets (:func:`core.viz.leaflet.make_base_map`).
    """
    with_insets = (bounds is None or bounds == FRANCE_BOUNDS) if insets is None else insets
    legend = _legend(
        [(_legend_label(c), PLACE_COLOURS[c]) for c in PLACE_COLOURS if c in set(fabriques["cohort"])]
        + ([("QPV 2024", QPV_STYLE["fillColor"])] if qpv is not None else [])
        + list(legend or []),
        "Légende",
        choropleth,
    )
    fmap = make_base_map(bounds or FRANCE_BOUNDS, tiles, (INSETS_WIDTH_PX + 16, 8) if with_insets else None, legend)
    # The places first, in a pane of their own above the other layers, which are added just after
    # the map's first drawing: the markers show without waiting for them. Clicks on the other
    # layers reach the app through the places' layer (see GeoJsonOverlay.forward_to).
    records = fabriques[[c for c in TOOLTIP_COLUMNS if c in fabriques.columns]].to_dict("records")
    data = points_geojson(
        fabriques,
        [fabrique_tooltip(r) for r in records],
        [PLACE_COLOURS.get(r.get("cohort"), PLACE_DEFAULT_COLOUR) for r in records],
        place_ids(fabriques),
        place_labels(fabriques),
    )
    places = GeoJsonOverlay(
        data,
        places_name,
        {"radius": 6, "color": "white", "weight": 1.5, "fillOpacity": 0.95, "fillColor": PLACE_DEFAULT_COLOUR},
        class_name="fabt-fabrique",
        cluster=len(data["features"]) > CLUSTER_ABOVE if cluster is None else cluster,
        pane="fabtPlaces",
    )
    places.add_to(fmap)
    overlays: list[GeoJsonOverlay] = [places]

    def add(layer: GeoJsonOverlay) -> None:
        layer.defer, layer.forward_to = True, places
        layer.add_to(fmap)
        overlays.append(layer)

    if choropleth is not None:
        add(
            GeoJsonOverlay(
                choropleth.geojson,
                choropleth.name,
                {"color": palette.TEXT_MENTION, "weight": 0.4, "fillOpacity": 0.7},
                class_name="fabt-choropleth",
            )
        )
    for name, geojson in borders or []:
        add(GeoJsonOverlay(geojson, name, BORDER_STYLE, class_name="fabt-border", interactive=False))
    for name, geojson in buffers or []:
        add(
            GeoJsonOverlay(
                geojson,
                name,
                BUFFER_STYLE,
                class_name="fabt-buffer",
                interactive=False,
                show=False,
            )
        )
    for name, geojson in lines or []:
        add(GeoJsonOverlay(geojson, name, LINE_STYLE, class_name="fabt-line"))
    if qpv is not None:
        style = {**QPV_STYLE, "radius": 3, "weight": 1, "fillOpacity": 0.8} if qpv_points else QPV_STYLE
        add(
            GeoJsonOverlay(
                qpv,
                "QPV 2024" + (" (points)" if qpv_points else ""),
                style,
                class_name="fabt-qpv-point" if qpv_points else "fabt-qpv",
            )
        )
    for layer in point_layers or []:
        data = points_geojson(layer.points, [escape(v) for v in layer.points["label"]])
        add(
            GeoJsonOverlay(
                data,
                layer.name,
                {"radius": 3, "color": layer.colour, "weight": 1, "fillColor": layer.colour, "fillOpacity": 0.8},
                class_name=layer.class_name,
                show=layer.show,
            )
        )
    folium.LayerControl(collapsed=True).add_to(fmap)
    if with_insets:
        background = {"url": PLAN_IGN, "options": {"maxZoom": 18}} if tiles == "ign" else None
        OverseasInsets(overlays, background).add_to(fmap)
    fmap.contents = MapContents(fabriques, places_name, choropleth)
    return fmap


def compute_bounds(frame: gpd.GeoDataFrame) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of a frame's geometries, None when empty."""
    keep = ~(shapely.is_missing(frame.geometry.values) | shapely.is_empty(frame.geometry.values))
    if not keep.any():
        return None
    minx, miny, maxx, maxy = shapely.total_bounds(frame.geometry.values[keep])
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]
