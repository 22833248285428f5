"""The chart builders: French separators, and the slim template keeps plotly_white's look."""

import pandas as pd
import plotly.io as pio

from core.charts import TEMPLATE, TEMPLATE_LAYOUT, make_lorenz_figure, make_share_comparison_figure


def test_slim_template_is_plotly_white_for_bars_and_lines():
    full = pio.templates["plotly_white"]
    assert TEMPLATE.data.bar == full.data.bar and TEMPLATE.data.scatter == full.data.scatter
    for key in TEMPLATE_LAYOUT:
        assert TEMPLATE.layout[key] == full.layout[key], key
    assert not TEMPLATE.data.heatmap and TEMPLATE.layout.scene.to_plotly_json() == {}


def test_figures_use_the_slim_template_and_french_separators():
    dist = pd.DataFrame(
        {
            "classe": ["Rural", "Urbain"],
            "part_fabriques": [0.6, 0.4],
            "part_population": [0.3, 0.7],
            "part_communes": [0.8, 0.2],
        }
    )
    lorenz = pd.DataFrame({"part_population": [0.0, 0.5, 1.0], "part_fabriques": [0.0, 0.2, 1.0]})
    for fig in (make_share_comparison_figure(dist, "Parts"), make_lorenz_figure(lorenz, "Lorenz")):
        assert fig.layout.separators == ", "
        assert fig.layout.template.layout.plot_bgcolor == pio.templates["plotly_white"].layout.plot_bgcolor
        # Each trace type drawn has its plotly_white defaults in the template.
        assert {trace.type for trace in fig.data} <= {"bar", "scatter"}
