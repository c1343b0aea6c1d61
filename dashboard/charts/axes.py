"""Axes, legends and the figure shell shared by the builders: units in titles, whole-number counts,
one date format, room above running totals.

Dates are written as the rest of the app writes them ("Nov 30, 2026", months "Nov 2026").
"""

from __future__ import annotations

from typing import Any, Optional

import plotly.graph_objects as go

from dashboard.charts.theme import ACCENT, FONT_SIZE, base_layout

DAY = "%b %d, %Y"
"""d3 format of a date in ticks and hover text; the app's own (overview/view.py, '%b %d, %Y')."""
MONTH = "%b %Y"
"""d3 format of a month in ticks and hover text."""

SCORE_TICKS = {"range": [-5, 105], "tick0": 0, "dtick": 20}
"""A 0-100 score axis padded both sides, so dots at 0 and 100 are drawn whole."""

MODEBAR = {"bgcolor": "rgba(0,0,0,0)", "color": "#adb5bd", "activecolor": ACCENT}
"""A light toolbar: the PNG export lives there, but it should not cover the data."""

_LEGEND_FONT = {"size": FONT_SIZE}
LEGENDS = {
    "top": {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.0,
        "xanchor": "left",
        "x": 0,
        "font": _LEGEND_FONT,
        "bgcolor": "rgba(0,0,0,0)",
    },
    "right": {
        "orientation": "v",
        "yanchor": "top",
        "y": 1.0,
        "x": 1.02,
        "font": _LEGEND_FONT,
        "bgcolor": "rgba(0,0,0,0)",
        "itemsizing": "constant",
        "tracegroupgap": 0,
    },
}


def titled(text: str) -> dict[str, Any]:
    """An axis title (with its unit): close to the ticks, in the chart's text size."""
    return {"text": text, "standoff": 6}


def money_axis(title: str, *, largest: Optional[float] = None) -> dict[str, Any]:
    """Dollars from zero; with `largest`, 10 % headroom above it (running totals end at the top)."""
    axis: dict[str, Any] = {"tickprefix": "$", "tickformat": "~s", "rangemode": "tozero", "title": titled(title)}
    if largest:
        axis["range"] = [0, largest * 1.1]
    return axis


def count_axis(title: str, largest: float) -> dict[str, Any]:
    """Whole numbers from zero: plotly would tick 0, 0.5, 1 ... (shown "0 1 1 2") up to a few."""
    axis: dict[str, Any] = {"tickformat": ",d", "tick0": 0, "rangemode": "tozero", "title": titled(title)}
    if largest <= 10:
        axis["dtick"] = 1
    return axis


def month_axis() -> dict[str, Any]:
    """Every month labelled, in one format; plotly turns the labels when they would overlap."""
    return {"type": "date", "tickformat": MONTH, "hoverformat": MONTH, "dtick": "M1"}


def day_axis() -> dict[str, Any]:
    """Dates in the app's format; ticks a month or more apart fall on the 1st, so they name the
    month ("Jan 2026", not "Jan 01, 2026")."""
    return {
        "type": "date",
        "tickformatstops": [
            {"dtickrange": [None, "M1"], "value": DAY},
            {"dtickrange": ["M1", None], "value": MONTH},
        ],
        "hoverformat": DAY,
        "nticks": 7,
    }


def figure(
    traces: list[dict[str, Any]],
    *,
    dark: bool,
    legend: Optional[str] = None,
    xaxis: Optional[dict[str, Any]] = None,
    yaxis: Optional[dict[str, Any]] = None,
    **layout: Any,
) -> go.Figure:
    """A figure in the house look; `legend` "top" (a short one, left of the toolbar) or "right".

    The whole figure is given at once, traces as plain dicts: every update_layout call, and
    every go.Bar built before the figure copies it, validates again, and these figures are
    rebuilt on every refresh of every screen.
    """
    full = base_layout(dark=dark)
    full["modebar"] = MODEBAR
    if legend:
        full.update(showlegend=True, legend=LEGENDS[legend], margin={"l": 8, "r": 8, "t": 34, "b": 8})
    full["xaxis"] = {**full["xaxis"], **(xaxis or {})}
    full["yaxis"] = {**full["yaxis"], **(yaxis or {})}
    full.update(layout)
    return go.Figure(data=traces, layout=full)
