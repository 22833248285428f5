"""Hostile text (markup, script, formulas) stays inert on every output path: maps, exports, deck."""

from __future__ import annotations

import csv
import io
import os
import re

import folium
import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from core.domain.text import display_name, escape_markup
from core.exports.deck import Slide, make_deck_html, make_pptx
from core.exports.tables import FORMULA_STARTS, ExportContext, to_csv_bytes, to_xlsx_bytes
from core.viz.leaflet import GeoJsonOverlay
from core.viz.maps import PointLayer, make_base_map, make_fabriques_map

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=2">'
QUOTES = '" onmouseover="window.__xss=3" x=\''
LINK = '<a href="javascript:window.__xss=4">lien</a>'
HOSTILE_NAMES = [SCRIPT, IMG, QUOTES, LINK]
FORMULAS = ["=1+1", "+33 6 00", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x","y")']


@pytest.fixture
def hostile_places() -> pd.DataFrame:
    """Four places whose names are each a classic injection; valid coordinates and attributes."""
    n = len(HOSTILE_NAMES)
    return pd.DataFrame(
        {
            "nom": HOSTILE_NAMES,
            "nom_com": [IMG] * n,
            "insee_dep": ["01"] * n,
            "cohort": ["2020-2021"] * n,
            "densite_libelle": [SCRIPT] * n,
            "dans_qpv": [False] * n,
            "distance_qpv_m": [100.0] * n,
            "frr_classe": [LINK] * n,
            "longitude": [5.0 + i / 100 for i in range(n)],
            "latitude": [46.0] * n,
        }
    )


def no_raw_markup(text: str) -> None:
    """No hostile string reaches the page as markup (escaped forms are fine)."""
    for raw in ("<script>window.__xss", "<img src=x", 'onmouseover="window', 'href="javascript:'):
        assert raw not in text, raw


def test_map_tooltips_layers_and_legend_are_escaped(hostile_places):
    layer = PointLayer(IMG, hostile_places.assign(label=hostile_places["nom"]), "#000000", True)
    fmap = make_fabriques_map(hostile_places, point_layers=[layer], places_name=SCRIPT, tiles=None)
    html = fmap.get_root().render()
    no_raw_markup(html)
    # Tooltips are HTML: the names reach them escaped (then JSON-encoded, "&" as \u0026).
    for escaped in ("&lt;script&gt;window.__xss=1", "&lt;img src=x onerror=&quot;window.__xss=2", "&lt;a href="):
        assert escaped.replace("&", "\\u0026") in html, escaped


def test_layer_control_name_is_text():
    fmap = make_base_map([[46, 5], [47, 6]], None)
    GeoJsonOverlay({"type": "FeatureCollection", "features": []}, IMG, {}).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    html = fmap.get_root().render()
    no_raw_markup(html)
    # Jinja's tojson writes "&" as \u0026: the control receives the escaped name "&lt;img…".
    assert "\\u0026lt;img src=x" in html


# Folium compiles what it has rendered as Jinja once more: these would run on the server.
TEMPLATE_MARK = "FABT_TEMPLATE_RAN"
TEMPLATES = [
    "{{ 'fabt' ~ 'jinja' }}",
    "{% if true %}fabt{{ 'jinja' }}{% endif %}",
    "{{ cycler.__init__.__globals__.os.environ.setdefault('" + TEMPLATE_MARK + "', '1') }}",
    "{# fabt #}comment",
]


def test_map_text_is_never_evaluated_as_a_template(hostile_places, monkeypatch):
    from streamlit_folium import _get_map_string

    from core.exports.map_files import make_standalone_html

    monkeypatch.delenv(TEMPLATE_MARK, raising=False)
    n = len(TEMPLATES)
    places = hostile_places.iloc[:n].assign(nom=TEMPLATES, nom_com=TEMPLATES, densite_libelle=TEMPLATES)
    layer = PointLayer(TEMPLATES[1], places.assign(label=places["nom"]), "#000000", True)
    fmap = make_fabriques_map(places, point_layers=[layer], places_name=TEMPLATES[2], tiles=None)
    GeoJsonOverlay({"type": "FeatureCollection", "features": []}, TEMPLATES[0], {}).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    pages = {
        "page": fmap.get_root().render(),
        "streamlit-folium": _get_map_string(fmap),
        "standalone": make_standalone_html(fmap, TEMPLATES[0], TEMPLATES[2]),
    }
    shown = escape_markup(TEMPLATES[0])  # what the tooltips and the layer control display
    for where, text in pages.items():
        assert "fabtjinja" not in text, where
        assert shown in text or shown.replace("&", "\\u0026") in text, where
    assert TEMPLATE_MARK not in os.environ


def _csv_cells(data: bytes, sep: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=sep) for cell in row]


@pytest.mark.parametrize("sep", [";", ","])
def test_csv_exports_neutralise_cells_and_headers(sep):
    frame = pd.DataFrame({"=entête": FORMULAS, "nom": HOSTILE_NAMES + [SCRIPT] * (len(FORMULAS) - len(HOSTILE_NAMES))})
    cells = _csv_cells(to_csv_bytes(frame, sep), sep)
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'=entête" in cells and "'=1+1" in cells


def test_xlsx_export_neutralises_every_sheet():
    frame = pd.DataFrame({"=entête": FORMULAS})
    context = ExportContext(title="=titre", filters="+filtre", sources=["-source", "@source"])
    book = load_workbook(io.BytesIO(to_xlsx_bytes(frame, context)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(FORMULA_STARTS)), (sheet.title, value)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_deck_html_and_pptx_keep_hostile_text_as_text():
    slides = [Slide(SCRIPT, [IMG, LINK], QUOTES, notes=SCRIPT)]
    html = make_deck_html(slides, [None], IMG, SCRIPT, [LINK])
    no_raw_markup(html)
    deck = Presentation(io.BytesIO(make_pptx(slides, [None], IMG, SCRIPT, [LINK])))
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    assert any(SCRIPT in t for t in texts)  # kept verbatim: PowerPoint text is never run


@pytest.mark.parametrize(
    ("name", "forbidden"),
    [(IMG + ".csv", "<"), ("[a](javascript:x).csv", "("), ("**gras**.xlsx", "*"), ("=cmd.csv", "=")],
)
def test_display_name_of_a_supplied_file_has_no_markup(name, forbidden):
    shown = display_name(name)
    assert forbidden not in shown and shown
    assert re.fullmatch(r"[^<>\[\]()*`=]*", shown)
