"""Embeddable charts: id -> title, the data it reads, and its pure figure builder.

`/api/charts` lists these ids, `/api/charts/<id>` returns a figure as Plotly JSON and
`/embed/<id>` draws one alone in an iframe. Every chart reads through the service layer's cache,
so a hundred embedded copies cost the backends what one screen costs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable

import plotly.graph_objects as go

from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.charts.theme import empty_figure
from dashboard.domain.kpis import Window, by_category, cumulative_value
from dashboard.domain.models import Achievement, Fresh


@dataclass(frozen=True)
class ChartSpec:
    id: str
    title: str
    description: str
    read: Callable[[Any], Fresh[Any]]
    """services -> the Fresh data the chart draws."""
    draw: Callable[[Any, Window, bool], go.Figure]
    """(data, window, dark) -> figure; pure."""


def _value_trend(achievements: list[Achievement], window: Window, dark: bool) -> go.Figure:
    return cumulative_value_figure(cumulative_value(achievements, window), dark=dark)


def _value_by_category(achievements: list[Achievement], window: Window, dark: bool) -> go.Figure:
    return category_breakdown_figure(by_category(achievements, window), dark=dark)


CHARTS: dict[str, ChartSpec] = {
    spec.id: spec
    for spec in (
        ChartSpec(
            "value-trend",
            "Cumulative business value",
            "Running total of parsed business value by completion date.",
            lambda services: services.achievements(),
            _value_trend,
        ),
        ChartSpec(
            "value-by-category",
            "Value by category",
            "Business value per achievement category, largest first.",
            lambda services: services.achievements(),
            _value_by_category,
        ),
    )
}


def build(spec: ChartSpec, services: Any, window: Window, *, dark: bool = False) -> tuple[go.Figure, Fresh[Any]]:
    """The chart's figure and the freshness of its data; a failed read gives a 'no data' figure."""
    fresh = spec.read(services)
    if fresh.value is None:
        return empty_figure(f"No data: {fresh.error}", dark=dark), fresh
    return spec.draw(fresh.value, window, dark), fresh


def utc_stamp(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"
