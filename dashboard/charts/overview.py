"""Figures of the Overview page: pure functions of data, no I/O, never an exception on empty data."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional, Sequence

import numpy as np
import numpy.typing as npt
import plotly.graph_objects as go

from dashboard.charts.axes import DAY, day_axis, money_axis
from dashboard.charts.palette import category_colour
from dashboard.charts.text import plain
from dashboard.charts.theme import ACCENT, base_layout, empty_figure
from dashboard.domain.kpis import CategoryRow


def cumulative_value_figure(
    points: Sequence[tuple[datetime, float]],
    *,
    dark: bool = False,
    previous: Optional[Sequence[tuple[datetime, float]]] = None,
) -> go.Figure:
    """Running total of business value by completion date; with `previous` (the previous
    period's running total, moved onto this one's dates) a dotted line to compare with."""
    if not points and not previous:
        return empty_figure("No achievements completed in this range", dark=dark)
    layout = base_layout(dark=dark)
    # Headroom: the running total ends at the top edge otherwise, under the toolbar.
    largest = max(p[1] for p in [*points, *(previous or [])])
    layout["xaxis"] = {**layout["xaxis"], **day_axis()}
    layout["yaxis"] = {**layout["yaxis"], **money_axis("Business value (USD)", largest=largest)}
    if previous is not None:
        layout["showlegend"] = True
        layout["legend"] = {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}
    # One validated construction from a complete spec: update_layout/update_yaxes copied and
    # validated the figure again on each call (~11 ms a figure, on every refresh of every screen).
    return go.Figure(
        {
            "data": [
                {
                    "type": "scatter",
                    "x": _dates([p[0] for p in points]),
                    "y": [p[1] for p in points],
                    "mode": "lines",
                    "line": {"color": ACCENT, "width": 3, "shape": "hv"},
                    "fill": "tozeroy",
                    "fillcolor": "rgba(13,110,253,0.12)",
                    "hovertemplate": f"%{{x|{DAY}}}<br>$%{{y:,.0f}}<extra></extra>",
                    "name": "This period",
                },
                *_previous_trace(previous, dark),
            ],
            "layout": layout,
        }
    )


def _previous_trace(previous: Optional[Sequence[tuple[datetime, float]]], dark: bool) -> list[dict[str, Any]]:
    if previous is None:
        return []
    return [
        {
            "type": "scatter",
            "x": _dates([p[0] for p in previous]),
            "y": [p[1] for p in previous],
            "mode": "lines",
            "line": {"color": "#adb5bd" if dark else "#6c757d", "width": 2, "dash": "dot", "shape": "hv"},
            "hovertemplate": "Previous period, same day<br>$%{y:,.0f}<extra></extra>",
            "name": "Previous period",
        }
    ]


def category_breakdown_figure(rows: Sequence[CategoryRow], *, dark: bool = False) -> go.Figure:
    """Business value per category, largest on top, with the count in the hover."""
    if not rows:
        return empty_figure("No achievements in this range", dark=dark)
    ordered = list(reversed(rows))  # plotly draws the first bar at the bottom
    layout = base_layout(dark=dark)
    layout["xaxis"] = {**layout["xaxis"], **money_axis("Business value (USD)")}
    return go.Figure(
        {
            "data": [
                {
                    "type": "bar",
                    "x": [r.value for r in ordered],
                    "y": [plain(r.category) for r in ordered],
                    "customdata": [r.count for r in ordered],
                    "orientation": "h",
                    "marker": {"color": [category_colour(r.category, dark=dark) for r in ordered]},
                    "hovertemplate": "%{y}: $%{x:,.0f} from %{customdata} achievements<extra></extra>",
                }
            ],
            "layout": layout,
        }
    )


def _dates(moments: list[datetime]) -> list[datetime] | npt.NDArray[np.datetime64]:
    """Naive datetimes as a datetime64 array: plotly validates and encodes it in one step, where a
    list is checked item by item (2,000 points: figure 11.6 -> 4.6 ms, JSON 7.5 -> 1 ms); the JSON
    is the same."""
    if moments and all(m.tzinfo is None for m in moments):
        return np.array(moments, dtype="datetime64[us]")
    return moments
