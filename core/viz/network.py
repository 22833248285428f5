"""The map of the tiers-lieux network: Fabriques, the census places they reach, those left without one,
and the links hub → place (escaped tooltips)."""

from __future__ import annotations

import folium
import pandas as pd

from core.domain.formatting import format_number
from core.viz.maps import escape, make_fabriques_map, make_point_layer

REACHED_COLOUR = "#555555"
WITHOUT_COLOUR = "#d35400"


def compute_link_lines(links: pd.DataFrame, hubs: pd.DataFrame, census: pd.DataFrame) -> dict:
    """A GeoJSON of the links as straight lines from each Fabrique's point to each place's point.

    Parameters
    ----------
    links : DataFrame
        ``fabrique_id, tl_id, distance_m`` (:func:`core.analysis.network.compute_hub_links`).
    hubs, census : DataFrame
        ``fabrique_id`` / ``tl_id`` with ``nom, longitude, latitude``.

    Returns
    -------
    dict
        A FeatureCollection of LineStrings whose ``tooltip`` (HTML from escaped names) reads
        « Fabrique → tiers-lieu : distance ». Links to a place or a Fabrique without a point are left out.

    Examples
    --------
    >>> hubs = pd.DataFrame({"fabrique_id": [1], "nom": ["<b>A</b>"], "longitude": [5.0], "latitude": [46.0]})
    >>> census = pd.DataFrame({"tl_id": ["t"], "nom": ["B"], "longitude": [5.1], "latitude": [46.1]})
    >>> lines = compute_link_lines(pd.DataFrame({"fabrique_id": [1], "tl_id": ["t"], "distance_m": [13_600.0]}),
    ...                            hubs, census)
    >>> lines["features"][0]["properties"]["tooltip"]
    '&lt;b&gt;A&lt;/b&gt; → B : 13,6 km'
    """
    start = hubs.drop_duplicates("fabrique_id")[["fabrique_id", "nom", "longitude", "latitude"]]
    end = census.drop_duplicates("tl_id")[["tl_id", "nom", "longitude", "latitude"]]
    frame = links.merge(start, on="fabrique_id", how="left").merge(end, on="tl_id", how="left", suffixes=("", "_tl"))
    frame = frame.dropna(subset=["longitude", "latitude", "longitude_tl", "latitude_tl"])
    features = [
        {
            "type": "Feature",
            "properties": {"tooltip": f"{escape(a)} → {escape(b)} : {format_number(d / 1000, 1)} km"},
            "geometry": {
                "type": "LineString",
                "coordinates": [[round(float(x0), 5), round(float(y0), 5)], [round(float(x1), 5), round(float(y1), 5)]],
            },
        }
        for a, b, d, x0, y0, x1, y1 in zip(
            frame["nom"],
            frame["nom_tl"],
            frame["distance_m"],
            frame["longitude"],
            frame["latitude"],
            frame["longitude_tl"],
            frame["latitude_tl"],
            strict=True,
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def _census_labels(places: pd.DataFrame, far: bool) -> pd.Series:
    """Plain-text labels (the map escapes them): name — typology — commune, and the nearest Fabrique."""
    labels = []
    for row in places.itertuples(index=False):
        parts = [row.nom, row.typologie if isinstance(row.typologie, str) else "typologie non renseignée", row.nom_com]
        text = " — ".join("" if not isinstance(p, str) else p for p in parts)
        if far:
            d = row.distance_fabrique_m
            nearest = (
                "aucune Fabrique dans ce territoire"
                if pd.isna(d)
                else f"Fabrique la plus proche à {format_number(d / 1000, 1)} km"
            )
            text = f"{text} — {nearest}"
        labels.append(text)
    return pd.Series(labels, index=places.index, dtype=object)


def make_network_map(
    hubs: pd.DataFrame,
    reached: pd.DataFrame,
    without: pd.DataFrame,
    distance_km: float,
    lines: dict | None = None,
    bounds: list[list[float]] | None = None,
    tiles: str | None = "ign",
    places_name: str = "Fabriques de Territoire",
) -> folium.Map:
    """The Fabriques (not clustered), the census places within ``distance_km`` of one, those without
    any, and the links when given (:func:`compute_link_lines`).

    ``reached`` and ``without`` are census rows (``nom, typologie, nom_com, longitude, latitude``;
    ``without`` also ``distance_fabrique_m``).
    """
    shown = format_number(distance_km)
    reached_name = f"Tiers-lieux 2019 à moins de {shown} km d'une Fabrique"
    without_name = f"Tiers-lieux 2019 sans Fabrique à moins de {shown} km"
    layers = [
        make_point_layer(reached_name, reached, _census_labels(reached, False), REACHED_COLOUR, "fabt-tl-reached"),
        make_point_layer(without_name, without, _census_labels(without, True), WITHOUT_COLOUR, "fabt-tl-without"),
    ]
    return make_fabriques_map(
        hubs,
        lines=[(f"Liens Fabrique → tiers-lieu (≤ {shown} km)", lines)] if lines is not None else None,
        point_layers=layers,
        bounds=bounds,
        cluster=False,
        tiles=tiles,
        places_name=places_name,
        legend=[(reached_name, REACHED_COLOUR), (without_name, WITHOUT_COLOUR)],
    )
