"""The presentation: slides computed from the data (their sentences follow the filters), and
their exports as PowerPoint (python-pptx) and PDF (headless Chromium)."""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from core.analysis.concentration import compute_gini, compute_gini_baseline, compute_lorenz
from core.analysis.coverage import compute_rate_per_100k
from core.analysis.key_figures import compute_counts_by, compute_key_figures
from core.analysis.qpv import compute_qpv_sensitivity
from core.analysis.rural import compute_class_distribution
from core.domain.classifications import DENSITY_LABELS
from core.domain.definitions import SOURCES, caption_for
from core.domain.formatting import format_number, format_percent
from core.exports.browser import CHROMIUM_ARGS, chromium_path, run_isolated
from core.viz.charts import (
    make_cohort_bars_figure,
    make_ranked_bars_figure,
    make_sensitivity_figure,
    make_share_comparison_figure,
)


@dataclass
class Slide:
    """One slide: a title, a chart or the map, two or three sentences, its source, notes."""

    title: str
    sentences: list[str]
    source: str
    notes: str = ""
    figure: go.Figure | None = None
    is_map: bool = False


@dataclass
class DeckData:
    """What the slides are computed from."""

    fabriques: pd.DataFrame
    communes: pd.DataFrame
    regions: pd.DataFrame
    departements: pd.DataFrame
    description: str
    extra_sources: list[str] = field(default_factory=list)


def build_slides(data: DeckData) -> list[Slide]:
    """The deck for a selection of Fabriques (non-empty)."""
    fab = data.fabriques
    k = compute_key_figures(fab)
    by_region = compute_counts_by(fab, "nom_reg")
    top = by_region.iloc[0]
    slides = [
        Slide(
            "Les Fabriques de Territoire en un coup d'œil",
            [
                f"{format_number(k['fabriques'])} Fabriques dans {format_number(k['communes'])} communes et "
                f"{format_number(k['departements'])} départements.",
                f"{top['nom_reg']} en compte le plus ({format_number(top['fabriques'])}).",
                f"{format_percent(k['part_rurale'])} sont en commune rurale, {format_percent(k['part_qpv_500'])} dans "
                "un QPV ou à moins de 500 m.",
            ],
            caption_for("fabriques", "cog"),
            "Rappeler que les points sont les centroïdes des communes et que les vagues 2 à 8 ne sont pas "
            "distinguées dans les données ouvertes.",
            make_cohort_bars_figure(by_region, "nom_reg", "Fabriques par région et par cohorte"),
        ),
        Slide(
            "Où sont-elles ?",
            [
                f"Carte des {format_number(int(fab['longitude'].notna().sum()))} Fabriques localisées, par cohorte.",
                "Chaque point est le centroïde de la commune d'implantation, pas l'adresse du lieu.",
            ],
            caption_for("fabriques", "qpv"),
            "Zoomer sur un territoire dans l'application pour voir les périmètres des QPV.",
            is_map=True,
        ),
    ]
    sensitivity = compute_qpv_sensitivity(fab)
    slides.append(
        Slide(
            "Près des quartiers prioritaires",
            [
                f"{format_number(sensitivity['fabriques'].iloc[0])} Fabriques ont leur point dans un QPV 2024, "
                f"{format_number(sensitivity['fabriques'].iloc[2])} à moins de 500 m.",
                f"{format_number(sensitivity['fabriques'].iloc[-1])} sont dans une commune qui compte un QPV "
                f"({format_percent(sensitivity['part'].iloc[-1])}).",
                "L'écart entre ces mesures vient de la précision des points (centroïdes communaux).",
            ],
            caption_for("fabriques", "qpv"),
            "La sélection 2020-2021 s'est faite sur la géographie prioritaire de 2015.",
            make_sensitivity_figure(sensitivity, "Fabriques selon la distance au QPV le plus proche"),
        )
    )
    order = [DENSITY_LABELS[i] for i in range(1, 8)]
    dist = compute_class_distribution(fab, data.communes, "densite_libelle", order)
    rural = dist[dist["classe"].isin(order[4:])]
    slides.append(
        Slide(
            "Dans les territoires ruraux",
            [
                f"{format_percent(rural['part_fabriques'].sum())} des Fabriques sont en commune rurale (INSEE), qui "
                f"regroupent {format_percent(rural['part_population'].sum())} de la population.",
                f"Les communes rurales représentent {format_percent(rural['part_communes'].sum())} des communes.",
            ],
            caption_for("fabriques", "densite", "population"),
            "Rural = niveaux 5 à 7 de la grille communale de densité de l'INSEE.",
            make_share_comparison_figure(dist, "Fabriques, population et communes par classe de densité"),
        )
    )
    rates = compute_rate_per_100k(data.regions, fab, "insee_reg")
    counts = data.departements["insee_dep"].map(fab["insee_dep"].value_counts()).fillna(0)
    gini = compute_gini(compute_lorenz(counts, data.departements["population"]))
    baseline = compute_gini_baseline(data.departements["population"], len(fab), draws=200)
    slides.append(
        Slide(
            "Une couverture inégale",
            [
                f"De {format_number(rates['pour_100k'].min(), 2)} à {format_number(rates['pour_100k'].max(), 2)} "
                "Fabriques pour 100 000 habitants selon la région.",
                f"Gini entre départements : {format_number(gini, 2)}, contre "
                f"{format_number(baseline['mean'], 2)} pour un tirage au hasard proportionnel à la population.",
            ],
            caption_for("fabriques", "population"),
            "Avec quelques Fabriques par département, une partie de la concentration vient du hasard.",
            make_ranked_bars_figure(
                rates,
                "nom_reg",
                "pour_100k",
                "Fabriques pour 100 000 habitants par région",
                "pour 100 000 hab.",
                top=20,
            ),
        )
    )
    return slides


def deck_sources(data: DeckData) -> list[str]:
    """The sources slide's lines."""
    keys = ("fabriques", "qpv", "population", "densite", "cog")
    return [SOURCES[k] for k in keys] + data.extra_sources


def make_pptx(slides: list[Slide], images: list[bytes | None], title: str, subtitle: str, sources: list[str]) -> bytes:
    """A PowerPoint deck: editable titles and texts, charts as images, notes, a sources slide."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def text_box(slide, left, top, width, height, lines, size, bold=False):
        frame = slide.shapes.add_textbox(left, top, width, height).text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(size)
            para.font.bold = bold
        return frame

    cover = deck.slides.add_slide(blank)
    text_box(cover, Inches(0.8), Inches(2.5), Inches(11.7), Inches(1.5), [title], 40, True)
    text_box(cover, Inches(0.8), Inches(4.0), Inches(11.7), Inches(1.5), [subtitle], 20)
    for slide_data, image in zip(slides, images, strict=True):
        slide = deck.slides.add_slide(blank)
        text_box(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), [slide_data.title], 30, True)
        if image:
            slide.shapes.add_picture(io.BytesIO(image), Inches(0.5), Inches(1.3), width=Inches(7.8))
        text_box(slide, Inches(8.6), Inches(1.4), Inches(4.3), Inches(4.8), slide_data.sentences, 18)
        text_box(slide, Inches(0.5), Inches(6.7), Inches(12.3), Emu(500000), [slide_data.source], 11)
        if slide_data.notes:
            slide.notes_slide.notes_text_frame.text = slide_data.notes
    end = deck.slides.add_slide(blank)
    text_box(end, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), ["Sources"], 30, True)
    text_box(end, Inches(0.5), Inches(1.4), Inches(12.3), Inches(5.5), sources, 16)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def make_deck_html(
    slides: list[Slide], images: list[bytes | None], title: str, subtitle: str, sources: list[str]
) -> str:
    """The deck as printable HTML (one slide per landscape page), for the PDF export."""
    esc = html.escape

    def page(inner: str) -> str:
        return f'<section class="slide">{inner}</section>'

    parts = [page(f"<h1 class='cover'>{esc(title)}</h1><p class='sub'>{esc(subtitle)}</p>")]
    for slide, image in zip(slides, images, strict=True):
        img = (
            f'<img src="data:image/png;base64,{base64.b64encode(image).decode()}" alt="{esc(slide.title)}">'
            if image
            else ""
        )
        items = "".join(f"<li>{esc(s)}</li>" for s in slide.sentences)
        parts.append(
            page(
                f"<h2>{esc(slide.title)}</h2><div class='row'>{img}<ul>{items}</ul></div>"
                f"<p class='src'>{esc(slide.source)}</p>"
            )
        )
    parts.append(page("<h2>Sources</h2><ul>" + "".join(f"<li>{esc(s)}</li>" for s in sources) + "</ul>"))
    style = (
        "@page{size:297mm 167mm;margin:0}body{margin:0;font-family:Arial,sans-serif}"
        ".slide{width:297mm;height:167mm;padding:10mm 12mm;box-sizing:border-box;page-break-after:always;"
        "position:relative}h1.cover{font-size:34pt;margin-top:45mm}.sub{font-size:16pt;color:#444}"
        "h2{font-size:24pt;margin:0 0 6mm}.row{display:flex;gap:8mm}.row img{width:170mm}"
        ".row ul{font-size:14pt;line-height:1.4}.src{position:absolute;bottom:6mm;font-size:9pt;color:#555}"
    )
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><style>{style}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )


def make_pdf(deck_html: str, chromium: str | None = None) -> bytes:
    """Print the deck HTML to PDF with headless Chromium (the ``chromium`` setting by default)."""
    return run_isolated(_print_pdf, deck_html, chromium or chromium_path())


def _print_pdf(deck_html: str, chromium: str) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(deck_html)
            return page.pdf(width="297mm", height="167mm", print_background=True)
        finally:
            browser.close()


def make_slide_images(slides: list[Slide], description: str, map_html: str | None, progress=None) -> list[bytes | None]:
    """PNG of each slide's chart (with its context) or of the map; ``progress(i, n, label)`` is told."""
    from core.exports.chart_images import make_chart_image, with_context
    from core.exports.map_files import make_map_png

    images: list[bytes | None] = []
    for i, slide in enumerate(slides):
        if progress:
            progress(i, len(slides), slide.title)
        if slide.is_map:
            images.append(make_map_png(map_html) if map_html else None)
        elif slide.figure is not None:
            images.append(make_chart_image(with_context(slide.figure, slide.title, description, slide.source)))
        else:
            images.append(None)
    return images
