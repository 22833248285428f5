"""French formatting, reconciliation values, and map builders (escaping, sizes, layers)."""

import json
import re

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon

from core.analysis.map_indicators import compute_choropleth_values
from core.analysis.reconciliation import format_reference_value
from core.domain.formatting import format_euros, format_number, format_percent
from core.domain.territories import parse_territory, territory_key
from core.viz.leaflet import to_safe_json
from core.viz.maps import compute_bins, compute_colours, compute_display_geojson, escape, make_fabriques_map


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234.5, 1, "1\u202f234,5"),
        (0, 0, "0"),
        (-1234567, 0, "-1\u202f234\u202f567"),
        (None, 0, "n.d."),
        (float("nan"), 1, "n.d."),
        (pd.NA, 0, "n.d."),
    ],
)
def test_format_number(value, decimals, text):
    assert format_number(value, decimals) == text


def test_euros_and_percent():
    assert format_euros(45_000_000) == "45\u202f000\u202f000\u00a0€"
    assert format_percent(0.246) == "24,6\u00a0%"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("45000000", "€", "45\u202f000\u202f000\u00a0€"),
        ("75000-150000", "€", "75\u202f000 – 150\u202f000\u00a0€"),
        ("300", "lieux", "300\u00a0lieux"),
        ("150 in QPV", "", "150 in QPV"),
    ],
)
def test_reference_values(value, unit, text):
    assert format_reference_value(value, unit) == text


def test_escape_makes_markup_inert():
    assert escape('<img src=x onerror="alert(1)">') == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert escape(None) == "n.d." and escape(float("nan")) == "n.d."


def test_safe_json_cannot_close_a_script():
    text = to_safe_json({"t": "</script><script>alert(1)</script>", "u": "a\u2028b"})
    assert "</script>" not in text and "<" not in text and "\u2028" not in text


@pytest.fixture
def fabriques():
    """Two Fabriques, one named with hostile markup, one without coordinates."""
    return pd.DataFrame(
        {
            "fabrique_id": [1, 2],
            "nom": ['<script>alert("x")</script>Atelier', "Sans point"],
            "nom_com": ["Brest", "Saint-Martin"],
            "insee_dep": ["29", "978"],
            "cohort": ["2020-2021", "2023"],
            "densite_libelle": ["Grands centres urbains", None],
            "dans_qpv": [False, False],
            "distance_qpv_m": [1234.0, float("nan")],
            "frr_classe": ["Non classée", None],
            "longitude": [-4.49, float("nan")],
            "latitude": [48.39, float("nan")],
        }
    )


def test_map_html_holds_escaped_tooltips_and_local_assets(fabriques):
    html = make_fabriques_map(fabriques, tiles=None).get_root().render()
    assert "<script>alert" not in html
    # HTML-escaped for the tooltip, then JSON-escaped for the script block
    assert "\\u0026lt;script\\u0026gt;alert" in html
    assert "/app/static/vendor/leaflet.js" in html and "cdn.jsdelivr" not in html
    assert html.count('"type":"Point"') == 1  # the Fabrique without coordinates is skipped
    assert "1\u202f234 m" in html  # distance formatted in French


def test_display_geojson_simplifies_and_keeps_alignment():
    square = Polygon([(0, 0), (0.5, 0.00001), (1, 0), (1, 1), (0, 1)])
    frame = gpd.GeoDataFrame({"n": ["a", "b"]}, geometry=[square, None], crs="EPSG:4326")
    out = compute_display_geojson(frame, 0.001, ["tip a", "tip b"], ["#111", "#222"])
    assert len(out["features"]) == 1
    feature = out["features"][0]
    assert feature["properties"] == {"tooltip": "tip a", "fill": "#111"}
    assert len(feature["geometry"]["coordinates"][0]) == 5  # the near-collinear vertex is gone


def test_bins_and_colours():
    values = pd.Series([0, 1, 2, 3, 4, None])
    bins = compute_bins(values, 4)
    assert bins == [0, 1, 2, 3, 4]
    colours = compute_colours(values, bins)
    assert colours[-1] == "#dddddd" and colours[0] != colours[4]
    assert compute_bins(pd.Series([5, 5])) == [5, 6]


def test_choropleth_values_follow_the_selection():
    deps = pd.DataFrame(
        {
            "insee_dep": ["29", "01"],
            "population": [200_000, 0],
            "qpv_population": [10, 0],
            "part_population_rurale": [0.5, 0.1],
        }
    )
    fab = pd.DataFrame({"insee_dep": ["29", "29"]})
    values = compute_choropleth_values(deps, "departements", fab, "pour_100k")
    assert values["29"] == pytest.approx(1.0) and pd.isna(values["01"])
    assert compute_choropleth_values(deps, "departements", fab, "part_rurale")["29"] == 50


def test_territory_keys():
    communes = pd.DataFrame({"insee_dep": ["29"], "insee_reg": ["53"]})
    assert parse_territory(territory_key("regions", "53"), communes) == ("regions", "53")
    assert parse_territory("pays:FR", communes) is None and parse_territory("", communes) is None


def test_base_map_draws_plan_ign_with_its_attribution():
    from core.viz.leaflet import PLAN_IGN, PLAN_IGN_ATTRIBUTION, make_base_map

    html = make_base_map([[43.0, -1.0], [49.0, 7.0]]).get_root().render()
    found = re.search(r"L\.tileLayer\(\s*(\"[^\"]*\"),\s*(\{.*?\})\s*\)", html, re.S)
    assert found, "no tile layer in the map"
    assert json.loads(found.group(1)) == PLAN_IGN
    options = json.loads(re.sub(r",\s*\}$", "}", found.group(2)))  # folium leaves a trailing comma
    assert options["attribution"] == PLAN_IGN_ATTRIBUTION and options["maxZoom"] == 18
