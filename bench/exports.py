"""Export measures on the real marts: a chart PNG, the map snapshot, the whole PowerPoint deck."""

from __future__ import annotations

import statistics
import time
import warnings


def measure_exports(repeats: int = 3) -> dict[str, float]:
    """Seconds to make a chart PNG (first one, which starts Chromium, and later ones), the national
    map's PNG snapshot, and the whole deck as PPTX (slides, images, file)."""
    from core.analysis.qpv import compute_qpv_sensitivity
    from core.exports.chart_images import make_chart_image, start_image_server, stop_image_server, with_context
    from core.exports.deck import DeckData, build_slides, deck_sources, make_pptx, make_slide_images
    from core.exports.map_files import make_map_png, make_standalone_html
    from core.viz.charts import make_sensitivity_figure
    from core.viz.maps import make_fabriques_map
    from ui.loaders import load_table
    from ui.maps import qpv_json

    warnings.simplefilter("ignore")
    fabriques = load_table("fabriques")
    fig = with_context(
        make_sensitivity_figure(compute_qpv_sensitivity(fabriques), "Distance au QPV"),
        "Fabriques près des QPV",
        "Toutes les Fabriques",
        "Sources : ANCT",
    )
    start_image_server()
    try:
        t0 = time.perf_counter()
        make_chart_image(fig, "png")
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            make_chart_image(fig, "png")
            warm.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        html = make_standalone_html(
            make_fabriques_map(fabriques, qpv=qpv_json(()), qpv_points=True, tiles=None),
            "Carte",
            "Toutes les Fabriques",
        )
        make_map_png(html)
        map_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        data = DeckData(
            fabriques, load_table("communes"), load_table("regions"), load_table("departements"), "Toutes les Fabriques"
        )
        slides = build_slides(data)
        images = make_slide_images(slides, data.description, html)
        make_pptx(slides, images, "Fabriques de Territoire", data.description, deck_sources(data))
        deck_s = time.perf_counter() - t0
    finally:
        stop_image_server()
    return {
        "chart_png_s": statistics.median(warm),
        "chart_png_first_s": cold,
        "map_png_s": map_s,
        "deck_pptx_s": deck_s,
    }
