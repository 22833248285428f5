"""Charts as images that carry their context: title, active filters and source inside the image."""

from __future__ import annotations

import html
import textwrap

import plotly.graph_objects as go

IMAGE_WIDTH = 1400
IMAGE_SCALE = 2
LABEL_BAND = 160  # room kept for the x-axis labels (rotated region names fit)


def start_image_server() -> None:
    """Keep one headless Chromium for plotly's static export (kaleido ≥ 1 finds Debian's
    Chromium); later exports take a fraction of a second instead of starting a browser."""
    import kaleido

    kaleido.start_sync_server(silence_warnings=True)


def stop_image_server() -> None:
    """Close the browser started by :func:`start_image_server`."""
    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)


def _wrap(text: str, width: int = 160) -> str:
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or ""


def with_context(fig: go.Figure, title: str, filters: str, source: str) -> go.Figure:
    """A copy of ``fig`` whose title, subtitle (the filters) and footer (the source) are drawn
    inside the figure, so an exported image keeps them."""
    out = go.Figure(fig)
    footer = _wrap(source)
    footer_height = 18 * (footer.count("<br>") + 1)
    # A fixed band under the axis labels holds the source; the legend moves above the plot.
    band = LABEL_BAND + footer_height
    out.update_layout(
        title={
            "text": f"<b>{html.escape(title)}</b><br><sup>{_wrap(filters, 140)}</sup>",
            "x": 0.01,
            "xanchor": "left",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 22},
        },
        margin={"t": 130, "b": band + 20, "l": 20, "r": 20},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.01, "yanchor": "bottom"},
    )
    out.update_xaxes(automargin=False)
    out.add_annotation(
        text=footer,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-LABEL_BAND,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#555555"},
    )
    out.update_layout(height=int(fig.layout.height or 450) + band)
    return out


def make_chart_image(fig: go.Figure, fmt: str = "png", width: int = IMAGE_WIDTH, scale: int = IMAGE_SCALE) -> bytes:
    """PNG (high resolution) or SVG bytes of a figure, made on the server by plotly's static export."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"format {fmt!r} not supported: use 'png' or 'svg'")
    height = int(fig.layout.height or 500)
    return fig.to_image(format=fmt, width=width, height=height, scale=scale if fmt == "png" else 1)
