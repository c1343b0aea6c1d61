"""Shared look of every figure, light and dark, and the 'no data' figure."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

ACCENT = "#0d6efd"
"""Series that are not categories (value, hours, skills): one colour, so colour keeps meaning category."""

FONT_SIZE = 14
"""The smallest text in a chart, in px: wallboards are read on TVs from three metres."""
FONT_FAMILY = "Inter, system-ui, -apple-system, Segoe UI, Roboto, sans-serif"


def text_colour(*, dark: bool = False) -> str:
    return "#dee2e6" if dark else "#212529"


def muted_colour(*, dark: bool = False) -> str:
    """Secondary ink: the running total beside the accent bars, 'no data' messages."""
    return "#adb5bd" if dark else "#6c757d"


def base_layout(*, dark: bool = False) -> dict[str, Any]:
    text = text_colour(dark=dark)
    grid = "rgba(255,255,255,0.08)" if dark else "rgba(0,0,0,0.07)"
    axis = {
        "gridcolor": grid,
        "automargin": True,
        "zeroline": False,
        "showline": False,
        "ticks": "",
        "linecolor": grid,
        "tickfont": {"color": text, "size": FONT_SIZE},
    }
    # plotly's named templates cost ~30 ms a figure to copy and validate; ours is the few
    # properties we use, so a refresh stays cheap.
    return {
        "template": "none",
        "colorway": [ACCENT],
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"color": text, "family": FONT_FAMILY, "size": FONT_SIZE},
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "showlegend": False,
        "xaxis": axis,
        "yaxis": dict(axis),
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        "hovermode": "closest",
    }


NO_DATA = "No data"
"""What a chart says when its data could not be read; the page's outage notice says why."""


def empty_figure(message: str, *, dark: bool = False, **layout: Any) -> go.Figure:
    """A figure that says why there is nothing to draw (`layout`: more layout properties)."""
    full = base_layout(dark=dark)
    full.update(
        xaxis={**full["xaxis"], "visible": False},
        yaxis={**full["yaxis"], "visible": False},
        annotations=[
            {
                "text": message,
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": FONT_SIZE + 1, "color": muted_colour(dark=dark)},
            }
        ],
        **layout,
    )
    return go.Figure({"data": [], "layout": full})
