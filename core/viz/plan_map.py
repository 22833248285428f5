"""The map of a plan for the next wave: proposed sites with their reach, the communes each newly
reaches, and the places counted as already there."""

from __future__ import annotations

import folium
import pandas as pd

from core.domain.formatting import format_number
from core.viz.charts import BLUE, GREY, ORANGE
from core.viz.leaflet import GeoJsonOverlay, HtmlLegend, make_base_map
from core.viz.maps import FRANCE_BOUNDS, escape, points_geojson

SITE_COLOUR = ORANGE
REACHED_COLOUR = BLUE
EXISTING_COLOUR = GREY


def _legend(distance_km: float) -> str:
    def dot(colour: str, size: int) -> str:
        return (
            f'<span style="display:inline-block;width:{size}px;height:{size}px;border-radius:50%;'
            f'background:{colour};margin-right:6px;border:1px solid #888"></span>'
        )

    rows = [
        (dot(SITE_COLOUR, 14), "Site proposé (rang dans le plan)"),
        (dot(REACHED_COLOUR, 9), "Commune nouvellement à portée"),
        (dot(EXISTING_COLOUR, 9), "Lieu compté comme existant"),
    ]
    items = "".join(f"<div>{swatch}{escape(text)}</div>" for swatch, text in rows)
    return (
        '<div class="fabt-legend" style="position:fixed;bottom:24px;left:12px;z-index:9999;background:white;'
        'padding:8px 10px;border:1px solid #bbb;border-radius:4px;font:13px Arial,sans-serif;max-width:260px">'
        f"<b>Prochaine vague</b>{items}<div>Cercles : {escape(format_number(distance_km))} km autour des sites"
        "</div></div>"
    )


def make_plan_map(
    sites: pd.DataFrame,
    reached: pd.DataFrame,
    existing: pd.DataFrame,
    distance_km: float,
    bounds: list[list[float]] | None = None,
    tiles: str | None = "ign",
) -> folium.Map:
    """The plan on a map.

    Parameters
    ----------
    sites : DataFrame
        The plan's table (:func:`core.analysis.planner.compute_plan_table`): ``rang, nom_com,
        population_ciblee_gagnee, communes_atteintes, regle, longitude, latitude``.
    reached : DataFrame
        :func:`core.analysis.planner.compute_reached_communes`.
    existing : DataFrame
        Places counted as already there: ``longitude, latitude``.
    distance_km : float
        The reach drawn around each site.
    bounds : list, optional
        ``[[south, west], [north, east]]``; default métropole.
    """
    fmap = make_base_map(bounds or FRANCE_BOUNDS, tiles)
    for lon, lat in zip(sites["longitude"], sites["latitude"], strict=True):
        folium.Circle(
            [float(lat), float(lon)],
            radius=float(distance_km) * 1000,
            color=SITE_COLOUR,
            weight=1,
            fill=True,
            fill_opacity=0.06,
            interactive=False,
        ).add_to(fmap)
    GeoJsonOverlay(
        points_geojson(existing, ["Lieu compté comme existant"] * len(existing)),
        "Lieux comptés comme existants",
        {"radius": 4, "color": "white", "weight": 1, "fillColor": EXISTING_COLOUR, "fillOpacity": 0.9},
        class_name="fabt-plan-existing",
    ).add_to(fmap)
    reached_tips = [
        f"<b>{escape(name)}</b><br>{escape(format_number(value))} habitants ciblés<br>à portée du site n° "
        f"{escape(rank)} ({escape(site)})"
        for name, value, rank, site in zip(
            reached["nom_com"], reached["population_ciblee"], reached["rang"], reached["site"], strict=True
        )
    ]
    GeoJsonOverlay(
        points_geojson(reached, reached_tips),
        "Communes nouvellement à portée",
        {"radius": 3, "color": REACHED_COLOUR, "weight": 0, "fillColor": REACHED_COLOUR, "fillOpacity": 0.7},
        class_name="fabt-plan-reached",
    ).add_to(fmap)
    site_tips = [
        f"<b>{escape(rank)}. {escape(name)}</b><br>+ {escape(format_number(gain))} habitants ciblés dans "
        f"{escape(format_number(count))} communes<br>{escape(rule)}"
        for rank, name, gain, count, rule in zip(
            sites["rang"],
            sites["nom_com"],
            sites["population_ciblee_gagnee"],
            sites["communes_atteintes"],
            sites["regle"],
            strict=True,
        )
    ]
    GeoJsonOverlay(
        points_geojson(sites, site_tips),
        "Sites proposés",
        {"radius": 8, "color": "white", "weight": 1.5, "fillColor": SITE_COLOUR, "fillOpacity": 0.95},
        class_name="fabt-plan-site",
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    HtmlLegend(_legend(distance_km)).add_to(fmap)
    return fmap
