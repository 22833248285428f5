"""Plotly figure builders (French separators, readable defaults); never imports streamlit."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from core.formatting import format_percent

COHORT_COLOURS = {"2020-2021": "#1f5fa8", "2023": "#e07b00"}
BLUE = "#1f5fa8"
GREY = "#9aa5b1"
ORANGE = "#e07b00"


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


TEMPLATE = make_slim_template()


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=", ",  # decimal comma, space as thousands separator
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        template=TEMPLATE,
        legend={"orientation": "h", "y": -0.15},
        font={"family": "Marianne, Arial, sans-serif", "size": 14},
    )
    return fig


def make_share_comparison_figure(dist: pd.DataFrame, title: str) -> go.Figure:
    """Grouped horizontal bars: share of Fabriques vs share of population vs share of communes."""
    fig = go.Figure()
    for col, name, colour in (
        ("part_fabriques", "Fabriques", BLUE),
        ("part_population", "Population", ORANGE),
        ("part_communes", "Communes", GREY),
    ):
        fig.add_bar(
            y=dist["classe"],
            x=dist[col],
            name=name,
            orientation="h",
            marker_color=colour,
            hovertemplate="%{y} : %{x:.1%}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="group", yaxis={"autorange": "reversed"}, xaxis={"tickformat": ".0%"})
    return _layout(fig, title, height=max(360, 60 * len(dist)))


def make_sensitivity_figure(table: pd.DataFrame, title: str) -> go.Figure:
    """Bars of Fabriques meeting each QPV criterion."""
    fig = go.Figure(
        go.Bar(
            x=table["fabriques"],
            y=table["critère"],
            orientation="h",
            marker_color=BLUE,
            text=[format_percent(v, 0) for v in table["part"]],
            textposition="outside",
            hovertemplate="%{y} : %{x}<extra></extra>",
        )
    )
    fig.update_layout(yaxis={"autorange": "reversed"})
    return _layout(fig, title, height=340)


def make_ranked_bars_figure(
    frame: pd.DataFrame, label: str, value: str, title: str, value_label: str, top: int = 30
) -> go.Figure:
    """Sorted horizontal bars of ``value`` by ``label`` (the ``top`` first rows)."""
    data = frame.head(top)
    fig = go.Figure(
        go.Bar(
            x=data[value],
            y=data[label],
            orientation="h",
            marker_color=BLUE,
            hovertemplate="%{y} : %{x:.2f}<extra>" + value_label + "</extra>",
        )
    )
    fig.update_layout(yaxis={"autorange": "reversed"}, xaxis_title=value_label)
    return _layout(fig, title, height=max(360, 22 * len(data) + 120))


def make_lorenz_figure(lorenz: pd.DataFrame, title: str) -> go.Figure:
    """Lorenz curve with the equality line."""
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name="Égalité par habitant", line={"color": GREY, "dash": "dash"})
    fig.add_scatter(
        x=lorenz["part_population"],
        y=lorenz["part_fabriques"],
        mode="lines+markers",
        name="Fabriques",
        line={"color": BLUE},
        hovertemplate="population %{x:.0%} → Fabriques %{y:.0%}<extra></extra>",
    )
    fig.update_layout(
        xaxis={"tickformat": ".0%", "title": "Part cumulée de la population"},
        yaxis={"tickformat": ".0%", "title": "Part cumulée des Fabriques"},
    )
    return _layout(fig, title)


def make_cohort_bars_figure(frame: pd.DataFrame, label: str, title: str) -> go.Figure:
    """Stacked bars of Fabriques by cohort (columns ``fabriques_2020_2021``, ``fabriques_2023``)."""
    fig = go.Figure()
    for col, name in (("fabriques_2020_2021", "2020-2021"), ("fabriques_2023", "2023")):
        fig.add_bar(x=frame[label], y=frame[col], name=name, marker_color=COHORT_COLOURS[name])
    fig.update_layout(barmode="stack")
    return _layout(fig, title)


CONSTRAINT_COLOURS = {"": BLUE, "plancher": ORANGE, "plafond": GREY}
CONSTRAINT_NAMES = {"": "Montant proportionnel", "plancher": "Relevé au plancher", "plafond": "Limité au plafond"}


def make_allocation_figure(allocation: pd.DataFrame, label: str, title: str, top: int = 60) -> go.Figure:
    """Horizontal bars of a simulated allocation, largest first, coloured by binding constraint.

    Parameters
    ----------
    allocation : DataFrame
        Output of :func:`core.allocation.compute_allocation`: ``montant``, ``contraint`` and the
        ``label`` column.
    top : int
        Bars shown at most (the largest amounts).
    """
    from core.formatting import format_euros

    data = allocation.sort_values(["montant", label], ascending=[False, True]).head(top)
    fig = go.Figure()
    for constraint, name in CONSTRAINT_NAMES.items():
        part = data[data["contraint"] == constraint]
        if part.empty:
            continue
        fig.add_bar(
            x=part["montant"],
            y=part[label],
            orientation="h",
            name=name,
            marker_color=CONSTRAINT_COLOURS[constraint],
            text=[format_euros(v) for v in part["montant"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y} : %{x:,.0f} €<extra>" + name + "</extra>",
        )
    fig.update_layout(
        barmode="overlay",
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": list(data[label])},
        xaxis={"title": "Montant simulé (€)", "tickformat": ",.0f"},
    )
    return _layout(fig, title, height=max(360, 22 * len(data) + 140))
