"""The list of what a map shows, its text alternative: plain HTML tables (readable by a screen
reader, browsed with the keyboard) in a disclosure box, with the values formatted as the map's
tooltips show them. Every text from the data is escaped."""

from __future__ import annotations

import pandas as pd

from core.domain.formatting import format_number
from core.viz.maps import MapContents, escape

PLACE_COLUMNS = {"nom": "Lieu", "nom_com": "Commune", "insee_dep": "Département", "cohort": "Cohorte"}
STYLE = (
    "<style>.fabt-map-list summary{cursor:pointer;font-weight:600;padding:4px 0}"
    ".fabt-map-list table{border-collapse:collapse;font-size:0.85rem;margin:4px 0 12px}"
    ".fabt-map-list caption{text-align:left;font-weight:600;padding:4px 0}"
    ".fabt-map-list th,.fabt-map-list td{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}"
    ".fabt-map-list td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".fabt-map-list .fabt-map-list-body{max-height:420px;overflow:auto}</style>"
)


def _table(caption: str, header: list[str], rows: list[list[tuple[str, bool]]]) -> str:
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in header)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{t}</td>' if numeric else f"<td>{t}</td>" for t, numeric in row) + "</tr>"
        for row in rows
    )
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def territory_table(contents: MapContents) -> pd.DataFrame:
    """The choropleth's territories and values (``code, territoire`` and the value), highest
    first; empty without a choropleth table."""
    layer = contents.choropleth
    if layer is None or layer.table is None:
        return pd.DataFrame(columns=["code", "territoire"])
    values = pd.to_numeric(layer.table[layer.caption], errors="coerce")
    return layer.table.assign(**{layer.caption: values}).sort_values(
        [layer.caption, "territoire"], ascending=[False, True], na_position="last"
    )


def place_table(contents: MapContents) -> pd.DataFrame:
    """The places drawn (those with a point), by name."""
    places = contents.places
    if {"longitude", "latitude"} <= set(places.columns):
        places = places[places["longitude"].notna() & places["latitude"].notna()]
    shown = places[[c for c in PLACE_COLUMNS if c in places.columns]]
    return shown.sort_values("nom") if "nom" in shown.columns else shown


def make_map_list_html(contents: MapContents, title: str = "Liste des éléments de la carte") -> str:
    """A ``<details>`` box holding the tables of the map's territories (with the choropleth's
    values, formatted as in its tooltips) and places.

    Examples
    --------
    >>> places = pd.DataFrame({"nom": ["<b>Lieu</b>"], "nom_com": ["Brest"], "longitude": [1.0], "latitude": [2.0]})
    >>> html = make_map_list_html(MapContents(places, "Fabriques"))
    >>> "&lt;b&gt;Lieu&lt;/b&gt;" in html and "<details" in html and "Fabriques (1)" in html
    True
    """
    parts = []
    layer = contents.choropleth
    territories = territory_table(contents)
    if layer is not None and not territories.empty:
        rows = [
            [(escape(n), False), (escape(c), False), (format_number(v, layer.decimals), True)]
            for n, c, v in zip(territories["territoire"], territories["code"], territories[layer.caption], strict=True)
        ]
        parts.append(_table(f"{layer.name} ({len(rows)})", ["Territoire", "Code", layer.caption], rows))
    places = place_table(contents)
    if not places.empty:
        rows = [[(escape(v), False) for v in row] for row in places.itertuples(index=False)]
        parts.append(_table(f"{contents.places_name} ({len(rows)})", [PLACE_COLUMNS[c] for c in places.columns], rows))
    if not parts:
        return ""
    return (
        f'{STYLE}<details class="fabt-map-list"><summary>{escape(title)}</summary>'
        "<p>Les mêmes valeurs que la carte, en tableaux.</p>"
        f'<div class="fabt-map-list-body" tabindex="0" role="region" aria-label="{escape(title)}">'
        f"{''.join(parts)}</div></details>"
    )
