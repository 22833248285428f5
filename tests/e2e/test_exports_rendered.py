"""Exports that need Chromium: chart PNG/SVG (kaleido), the map snapshot, the PPTX and PDF deck."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest

from core.analysis.qpv import compute_qpv_sensitivity
from core.exports.chart_images import make_chart_image, start_image_server, stop_image_server, with_context
from core.exports.deck import (
    DeckData,
    build_slides,
    deck_sources,
    make_deck_html,
    make_pdf,
    make_pptx,
    make_slide_images,
)
from core.exports.map_files import make_map_png, make_standalone_html
from core.viz.charts import make_sensitivity_figure
from core.viz.maps import make_fabriques_map
from tests.e2e.conftest import CHROMIUM

pytestmark = pytest.mark.skipif(not __import__("pathlib").Path(CHROMIUM).exists(), reason="no chromium")


@pytest.fixture(scope="module")
def image_server():
    start_image_server()
    yield
    stop_image_server()


@pytest.fixture(scope="module")
def world(fixture_build):
    marts = fixture_build["marts"]

    def table(name):
        return pd.DataFrame(gpd.read_parquet(marts / f"{name}.parquet").drop(columns="geometry"))

    return {name: table(name) for name in ("fabriques", "communes", "regions", "departements")}


def test_chart_png_and_svg_carry_title_filters_and_source(world, image_server):
    fig = make_sensitivity_figure(compute_qpv_sensitivity(world["fabriques"]), "Distance au QPV")
    framed = with_context(fig, "Fabriques près des QPV", "Filtres : cohorte 2023", "Source : ANCT <b>2024</b>")
    png = make_chart_image(framed, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 20_000
    svg = make_chart_image(framed, "svg").decode()
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:300]
    for text in ("Fabriques près des QPV", "Filtres : cohorte 2023", "Source : ANCT"):
        assert text in svg
    assert "&#60;b&#62;2024" in svg  # markup in a source stays text


def test_map_html_is_self_contained_and_snapshots(world):
    # Clustered (by default only above 1 000 places): the cluster plugin is inlined too.
    fmap = make_fabriques_map(world["fabriques"], tiles=None, cluster=True)
    html = make_standalone_html(fmap, "Carte <test>", "Filtres : aucun")
    assert "/app/static/vendor" not in html and "L.markerClusterGroup" in html and "Leaflet" in html
    assert "<title>Carte &lt;test&gt;</title>" in html
    assert '<html lang="fr">' in html[:100]  # the exported map is a document in French
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    png = make_map_png(html)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000


def test_deck_exports_open_with_python_pptx_and_as_pdf(world, image_server):
    from pptx import Presentation

    data = DeckData(world["fabriques"], world["communes"], world["regions"], world["departements"], "Filtres : aucun")
    slides = build_slides(data)
    html = make_standalone_html(make_fabriques_map(world["fabriques"], tiles=None), "Carte", "Filtres : aucun")
    images = make_slide_images(slides, data.description, html)
    assert all(img is not None for img in images)
    pptx = Presentation(io.BytesIO(make_pptx(slides, images, "Titre", data.description, deck_sources(data))))
    assert len(pptx.slides) == len(slides) + 2  # cover, slides, sources
    texts = [" ".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame) for s in pptx.slides]
    assert texts[1].startswith(slides[0].title) and slides[0].sentences[0] in texts[1]
    assert texts[-1].startswith("Sources")
    assert pptx.slides[1].notes_slide.notes_text_frame.text == slides[0].notes
    assert sum(1 for shape in pptx.slides[1].shapes if shape.shape_type == 13) == 1  # the chart picture
    pdf = make_pdf(make_deck_html(slides, images, "Titre", data.description, deck_sources(data)))
    assert pdf.startswith(b"%PDF-") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == len(slides) + 2
