"""The chart builders: French separators, and the slim template keeps plotly_white's look."""

import itertools
import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core.viz.charts import (
    BLUE,
    ORANGE,
    TEMPLATE,
    TEMPLATE_LAYOUT,
    make_allocation_figure,
    make_cohort_bars_figure,
    make_lorenz_figure,
    make_plan_curve_figure,
    make_ranked_bars_figure,
    make_sensitivity_figure,
    make_share_comparison_figure,
    make_split_bars_figure,
)
from core.viz.palette import contrast_ratio

# What the DSFR template changes in plotly_white: text, axis and series colours.
DSFR_KEYS = {"font", "colorway", "title", "xaxis", "yaxis", "hoverlabel"}


def test_slim_template_is_plotly_white_for_bars_and_lines():
    full = pio.templates["plotly_white"]
    assert TEMPLATE.data.bar == full.data.bar and TEMPLATE.data.scatter == full.data.scatter
    for key in set(TEMPLATE_LAYOUT) - DSFR_KEYS:
        assert TEMPLATE.layout[key] == full.layout[key], key
    # The axes keep plotly_white's layout (ticks, automargin), only their colours change.
    for axis in ("xaxis", "yaxis"):
        assert TEMPLATE.layout[axis].automargin == full.layout[axis].automargin
        assert TEMPLATE.layout[axis].ticks == full.layout[axis].ticks
    assert not TEMPLATE.data.heatmap and TEMPLATE.layout.scene.to_plotly_json() == {}


def _text_colours(layout: dict, path: str = "") -> list[tuple[str, str]]:
    """Every ``color`` under a ``font`` of a layout's JSON, with where it is."""
    found = []
    for key, value in layout.items():
        if isinstance(value, dict):
            if key.endswith("font") and "color" in value:
                found.append((f"{path}{key}", value["color"]))
            found += _text_colours(value, f"{path}{key}.")
    return found


def test_chart_text_is_4_5_to_1_on_white_and_series_3_to_1():
    template = TEMPLATE.layout.to_plotly_json()
    colours = _text_colours(template)
    assert {where for where, _ in colours} >= {"font", "title.font", "xaxis.tickfont", "yaxis.tickfont"}
    for where, colour in colours:
        assert contrast_ratio(colour, "#ffffff") >= 4.5, (where, colour)
    for colour in TEMPLATE.layout.colorway:
        assert contrast_ratio(colour, "#ffffff") >= 3, colour
    # Streamlit's own axis grey, what the dashboard drew with before, fails the text rule.
    assert contrast_ratio("#808495", "#ffffff") < 4.5


def test_neighbouring_series_differ_by_more_than_colour():
    for fig in _every_figure():
        bars = [trace for trace in fig.data if trace.type == "bar"]
        lines = [trace for trace in fig.data if trace.type == "scatter" and "lines" in (trace.mode or "")]
        pattern, dash = (lambda t: t.marker.pattern.shape or ""), (lambda t: t.line.dash or "solid")
        for group, second in ((bars, pattern), (lines, dash)):
            for a, b in itertools.pairwise(group):
                apart = contrast_ratio(a.marker.color or a.line.color, b.marker.color or b.line.color) >= 3
                assert apart or second(a) != second(b), (fig.layout.title.text, a.name, b.name)
        for trace in fig.data:
            colour = trace.marker.color if trace.type == "bar" else trace.line.color or trace.marker.color
            if isinstance(colour, str):
                assert contrast_ratio(colour, "#ffffff") >= 3, (fig.layout.title.text, trace.name, colour)


def test_figures_use_the_slim_template_and_french_separators():
    for fig in _every_figure():
        assert fig.layout.separators == ", "
        assert fig.layout.template.layout.plot_bgcolor == pio.templates["plotly_white"].layout.plot_bgcolor
        # Each trace type drawn has its plotly_white defaults in the template.
        assert {trace.type for trace in fig.data} <= {"bar", "scatter"}


def _plain(value):
    """A figure's JSON with arrays as lists, whatever encoding plotly chose for them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


def _every_figure():
    dist = pd.DataFrame(
        {
            "classe": ["Rural", "Urbain", "Non renseigné"],
            "part_fabriques": [0.6, 0.4, float("nan")],
            "part_population": [0.3, 0.7, 0.0],
            "part_communes": [0.8, 0.2, 0.0],
        }
    )
    lorenz = pd.DataFrame({"part_population": [0.0, 0.5, 1.0], "part_fabriques": [0.0, 0.2, 1.0]})
    sensitivity = pd.DataFrame({"critère": ["Dans le QPV", "À 500 m"], "fabriques": [3, 7], "part": [0.1, 0.25]})
    ranked = pd.DataFrame({"nom": ["Ardèche", "Gers"], "taux": [2.5, pd.NA]}).astype({"taux": "Float64"})
    cohorts = pd.DataFrame({"nom_reg": ["Bretagne"], "fabriques_2020_2021": [12], "fabriques_2023": [3]})
    allocation = pd.DataFrame(
        {"nom": ["A", "B", "C"], "montant": [150_000.0, 75_000.0, 90_000.0], "contraint": ["plafond", "plancher", ""]}
    )
    split = pd.DataFrame({"typologie": ["Coworking", "Fablab"], "a_portee": [12, 3], "sans_fabrique": [4, 0]})
    return [
        make_share_comparison_figure(dist, "Parts"),
        make_split_bars_figure(
            split, "typologie", [("a_portee", "À portée", BLUE), ("sans_fabrique", "Sans", ORANGE)], "Split"
        ),
        make_lorenz_figure(lorenz, "Lorenz"),
        make_sensitivity_figure(sensitivity, "QPV"),
        make_ranked_bars_figure(ranked, "nom", "taux", "Taux", "pour 100 000 hab."),
        make_cohort_bars_figure(cohorts, "nom_reg", "Cohortes"),
        make_allocation_figure(allocation, "nom", "Allocation"),
        make_plan_curve_figure(
            pd.DataFrame({"sites": [1, 2, 3], "population_ciblee_atteinte": [5.0, 8.0, 9.0]}), "Plan", (3, 9.0, 9.5)
        ),
    ]


def test_figures_built_without_validation_are_valid_plotly_figures():
    """The builders skip plotly's validation for speed; validated, each figure is the same."""
    for fig in _every_figure():
        spec = fig.to_plotly_json()
        validated = go.Figure(spec)  # raises on any property plotly does not know
        assert _plain(validated.to_plotly_json()) == _plain(spec), fig.layout.title.text
        assert fig.layout.title.text and fig.layout.height >= 340
        json.loads(pio.to_json(fig, validate=False))  # what st.plotly_chart sends


def test_a_misspelt_property_is_caught_by_validation():
    fig = go.Figure(data=[{"type": "bar", "x": [1], "colour": "red"}], _validate=False)
    with pytest.raises(ValueError, match="colour"):
        go.Figure(fig.to_plotly_json())
