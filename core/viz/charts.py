"""Plotly figure builders (French separators, readable defaults); never imports streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from core.domain.formatting import format_percent
from core.viz import palette

# Series colours from the DSFR palette (core/viz/palette.py): each is 3:1 or more on white; series
# side by side also differ by a pattern (bars) or a dash (lines), see :func:`_series_style`.
BLUE = palette.SERIES[0]
ORANGE = palette.SERIES[1]
GREY = palette.TEXT_MENTION
COHORT_COLOURS = {"2020-2021": BLUE, "2023": ORANGE}


# The parts of plotly_white these charts use: bars and lines, on 2D axes.
TEMPLATE_TRACES = ("bar", "scatter")
TEMPLATE_LAYOUT = (
    "annotationdefaults",
    "autotypenumbers",
    "colorway",
    "font",
    "hoverlabel",
    "hovermode",
    "paper_bgcolor",
    "plot_bgcolor",
    "shapedefaults",
    "title",
    "xaxis",
    "yaxis",
)


def make_slim_template(name: str = "plotly_white") -> go.layout.Template:
    """Plotly's template ``name`` restricted to :data:`TEMPLATE_TRACES` and :data:`TEMPLATE_LAYOUT`.

    A figure copies and validates the template it is given: the whole of plotly_white (24 trace
    types, 3D scenes, maps) costs about 35 ms per figure, this part of it a few: the charts look the
    same, and a page of six charts reruns 0.2 s faster.
    """
    full = pio.templates[name]
    return go.layout.Template(
        layout={key: full.layout[key] for key in TEMPLATE_LAYOUT},
        data={trace: full.data[trace] for trace in TEMPLATE_TRACES},
    )


def make_dsfr_template() -> go.layout.Template:
    """The slim plotly_white template in the DSFR's colours: text in grey-200 (11.4:1 on white),
    titles in grey-50, grid lines in grey-900, series in :data:`core.viz.palette.SERIES`."""
    template = make_slim_template()
    layout = template.layout
    layout.font = {"family": "Marianne, Arial, sans-serif", "size": 14, "color": palette.TEXT_DEFAULT}
    layout.title.font = {"color": palette.TEXT_TITLE}
    layout.colorway = list(palette.SERIES)
    for axis in (layout.xaxis, layout.yaxis):
        axis.gridcolor = palette.BORDER
        axis.linecolor = palette.TEXT_MENTION
        axis.zerolinecolor = palette.TEXT_MENTION
        axis.tickfont = {"color": palette.TEXT_DEFAULT}
        axis.title.font = {"color": palette.TEXT_DEFAULT}
    layout.hoverlabel = {"font": {"color": palette.TEXT_TITLE}, "bgcolor": palette.BACKGROUND}
    return template


TEMPLATE = make_dsfr_template()


def _bar_marker(colour: str, position: int) -> dict:
    """The marker of the ``position``-th bar series: its colour and, after the first, a white
    pattern over it (the second encoding that tells neighbours apart without colour)."""
    shape = palette.PATTERNS[position % len(palette.PATTERNS)]
    if not shape:
        return {"color": colour}
    return {
        "color": colour,
        "pattern": {"shape": shape, "fillmode": "overlay", "fgcolor": palette.BACKGROUND, "solidity": 0.3},
    }


# Figures are built in one step from plain trace and layout dicts, without plotly's property
# validation: building a bar chart through ``add_bar`` / ``update_layout`` costs about 28 ms, in one
# validated step 7 ms, unvalidated 1 ms (bench/load.py runs several per page and analyst).
# tests/unit/test_charts.py builds every figure validated and checks it is the same figure.
VALIDATE = False


def _figure(traces: list[dict], title: str, height: int = 420, **layout) -> go.Figure:
    """One figure from ``traces`` (dicts with their ``type``) and the house layout plus ``layout``."""
    return go.Figure(
        data=traces,
        layout={
            "title": {"text": title, "x": 0, "xanchor": "left"},
            "separators": ", ",  # decimal comma, space as thousands separator
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
            "template": TEMPLATE,
            "legend": {"orientation": "h", "y": -0.15},
            **layout,
        },
        _validate=VALIDATE,
    )


def _values(column: pd.Series) -> list:
    """A column as the plain list a trace holds (what validation would have made of it)."""
    return column.tolist()


def make_share_comparison_figure(dist: pd.DataFrame, title: str) -> go.Figure:
    """Grouped horizontal bars: share of Fabriques vs share of population vs share of communes."""
    traces = [
        {
            "type": "bar",
            "y": _values(dist["classe"]),
            "x": _values(dist[col]),
            "name": name,
            "orientation": "h",
            "marker": _bar_marker(colour, position),
            "hovertemplate": "%{y} : %{x:.1%}<extra>" + name + "</extra>",
        }
        for position, (col, name, colour) in enumerate(
            (
                ("part_fabriques", "Fabriques", BLUE),
                ("part_population", "Population", ORANGE),
                ("part_communes", "Communes", GREY),
            )
        )
    ]
    return _figure(
        traces,
        title,
        height=max(360, 60 * len(dist)),
        barmode="group",
        yaxis={"autorange": "reversed"},
        xaxis={"tickformat": ".0%"},
    )


def make_sensitivity_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Bars of Fabriques meeting each QPV criterion."""
    bar = {
        "type": "bar",
        "x": _values(table["fabriques"]),
        "y": _values(table["critère"]),
        "orientation": "h",
        "marker": {"color": BLUE},
        "text": [format_percent(v, 0) for v in table["part"]],
        "textposition": "outside",
        "hovertemplate": "%{y} : %{x}<extra></extra>",
    }
    return _figure([bar], title, height=340, yaxis={"autorange": "reversed"})


def make_ranked_bars_figure(
    frame: pd.DataFrame, label: str, value: str, title: str, value_label: str, top: int = 30
) -> go.Figure:
    """Sorted horizontal bars of ``value`` by ``label`` (the ``top`` first rows)."""
    data = frame.head(top)
    bar = {
        "type": "bar",
        "x": _values(data[value]),
        "y": _values(data[label]),
        "orientation": "h",
        "marker": {"color": BLUE},
        "hovertemplate": "%{y} : %{x:.2f}<extra>" + value_label + "</extra>",
    }
    return _figure(
        [bar],
        title,
        height=max(360, 22 * len(data) + 120),
        yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": value_label}},
    )


def make_split_bars_figure(frame: pd.DataFrame, label: str, parts: list[tuple[str, str, str]], title: str) -> go.Figure:
    """Horizontal stacked bars of counts by ``label``, one segment per ``(column, name, colour)`` of ``parts``."""
    traces = [
        {
            "type": "bar",
            "y": _values(frame[label]),
            "x": _values(frame[column]),
            "name": name,
            "orientation": "h",
            "marker": _bar_marker(colour, position),
            "hovertemplate": "%{y} : %{x}<extra>" + name + "</extra>",
        }
        for position, (column, name, colour) in enumerate(parts)
    ]
    height = max(340, 48 * len(frame) + 140)
    return _figure(traces, title, height=height, barmode="stack", yaxis={"autorange": "reversed"})


def make_lorenz_figure(lorenz: pd.DataFrame, title: str) -> go.Figure:
    """Lorenz curve with the equality line."""
    traces = [
        {
            "type": "scatter",
            "x": [0, 1],
            "y": [0, 1],
            "mode": "lines",
            "name": "Égalité par habitant",
            "line": {"color": GREY, "dash": "dash"},
        },
        {
            "type": "scatter",
            "x": _values(lorenz["part_population"]),
            "y": _values(lorenz["part_fabriques"]),
            "mode": "lines+markers",
            "name": "Fabriques",
            "line": {"color": BLUE},
            "hovertemplate": "population %{x:.0%} → Fabriques %{y:.0%}<extra></extra>",
        },
    ]
    return _figure(
        traces,
        title,
        xaxis={"tickformat": ".0%", "title": {"text": "Part cumulée de la population"}},
        yaxis={"tickformat": ".0%", "title": {"text": "Part cumulée des Fabriques"}},
    )


def make_cohort_bars_figure(frame: pd.DataFrame, label: str, title: str) -> go.Figure:
    """Stacked bars of Fabriques by cohort (columns ``fabriques_2020_2021``, ``fabriques_2023``)."""
    traces = [
        {
            "type": "bar",
            "x": _values(frame[label]),
            "y": _values(frame[col]),
            "name": name,
            "marker": _bar_marker(COHORT_COLOURS[name], position),
        }
        for position, (col, name) in enumerate((("fabriques_2020_2021", "2020-2021"), ("fabriques_2023", "2023")))
    ]
    return _figure(traces, title, barmode="stack")


CONSTRAINT_COLOURS = {"": BLUE, "plancher": ORANGE, "plafond": GREY}
CONSTRAINT_NAMES = {"": "Montant proportionnel", "plancher": "Relevé au plancher", "plafond": "Limité au plafond"}


def make_allocation_figure(allocation: pd.DataFrame, label: str, title: str, top: int = 60) -> go.Figure:
    """Horizontal bars of a simulated allocation, largest first, coloured by binding constraint.

    Parameters
    ----------
    allocation : DataFrame
        Output of :func:`core.schemes.allocation.compute_allocation`: ``montant``, ``contraint`` and the
        ``label`` column.
    top : int
        Bars shown at most (the largest amounts).
    """
    from core.domain.formatting import format_euros

    data = allocation.sort_values(["montant", label], ascending=[False, True]).head(top)
    traces = [
        {
            "type": "bar",
            "x": _values(part["montant"]),
            "y": _values(part[label]),
            "orientation": "h",
            "name": name,
            "marker": _bar_marker(CONSTRAINT_COLOURS[constraint], list(CONSTRAINT_NAMES).index(constraint)),
            "text": [format_euros(v) for v in part["montant"]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y} : %{x:,.0f} €<extra>" + name + "</extra>",
        }
        for constraint, name in CONSTRAINT_NAMES.items()
        if not (part := data[data["contraint"] == constraint]).empty
    ]
    return _figure(
        traces,
        title,
        height=max(360, 22 * len(data) + 140),
        barmode="overlay",
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": _values(data[label])},
        xaxis={"title": {"text": "Montant simulé (€)"}, "tickformat": ",.0f"},
    )


def make_plan_curve_figure(curve: pd.DataFrame, title: str, exact: tuple[int, float, float] | None = None) -> go.Figure:
    """The weighted population a plan reaches against its number of sites (``sites``,
    ``population_ciblee_atteinte``); ``exact``: ``(sites, value, bound)`` of the exact solution, drawn
    as a point with the proved bound above it."""
    traces = [
        {
            "type": "scatter",
            "x": _values(curve["sites"]),
            "y": _values(curve["population_ciblee_atteinte"]),
            "mode": "lines+markers" if len(curve) <= 40 else "lines",
            "name": "Plan glouton (ses k premiers sites)",
            "line": {"color": BLUE},
            "hovertemplate": "%{x} sites : %{y:,.0f} habitants ciblés<extra></extra>",
        }
    ]
    if exact is not None:
        sites, value, bound = exact
        traces.append(
            {
                "type": "scatter",
                "x": [sites],
                "y": [value],
                "mode": "markers",
                "name": "Optimum (HiGHS), borne prouvée au-dessus",
                "marker": {"color": ORANGE, "size": 11, "symbol": "diamond"},
                "error_y": {"type": "data", "symmetric": False, "array": [max(bound - value, 0.0)], "arrayminus": [0]},
                "hovertemplate": "%{x} sites : %{y:,.0f} habitants ciblés<extra>optimum</extra>",
            }
        )
    return _figure(
        traces,
        title,
        xaxis={"title": {"text": "Nombre de nouveaux sites"}, "rangemode": "tozero"},
        yaxis={"title": {"text": "Habitants ciblés nouvellement à portée (pondérés)"}, "rangemode": "tozero"},
    )


def _or_empty(values) -> tuple | list:
    return () if values is None else values


def compute_figure_table(fig: go.Figure) -> pd.DataFrame:
    """The data a chart draws, one row per point: its series, its label and its value (the table
    beside a chart that has no table of its own, such as a slide's).

    Examples
    --------
    >>> fig = go.Figure([go.Bar(x=[3, 1], y=["a", "b"], orientation="h", name="n")])
    >>> compute_figure_table(fig).to_dict("records")
    [{'série': 'n', 'libellé': 'a', 'valeur': 3}, {'série': 'n', 'libellé': 'b', 'valeur': 1}]
    """
    rows = []
    for trace in fig.data:
        horizontal = getattr(trace, "orientation", None) == "h"
        labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        rows += [
            {"série": trace.name or "", "libellé": label, "valeur": value}
            for label, value in zip(_or_empty(labels), _or_empty(values), strict=False)
        ]
    return pd.DataFrame(rows, columns=["série", "libellé", "valeur"])
