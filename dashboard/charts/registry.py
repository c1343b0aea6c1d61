"""The figure of every embeddable chart: panel id -> its pure builder, drawn from the panel's rows.

The rows come from the service layer (dashboard/services/panels.py: the same rows a page's
"Inspect data" table and CSV show); the builders are those the pages draw with, so an embedded
chart is the page's chart. `/api/charts/<id>` returns one as Plotly JSON and `/embed/<id>` draws
it alone in an iframe (dashboard/web/embeds.py).
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import plotly.graph_objects as go

from dashboard.charts.analytics import (
    categories_over_time_figure,
    impact_complexity_figure,
    platform_performance_figure,
    pr_timeline_figure,
    skills_and_tags_figure,
    time_saved_figure,
    value_by_month_figure,
)
from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.domain.kpis import CategoryRow

Rows = Sequence[dict[str, Any]]
PREVIOUS_SERIES = "previous period"
"""The series of the value trend's rows that is the previous period (services.panels)."""


def value_trend_figure(rows: Rows, *, dark: bool = False) -> go.Figure:
    """The running total; the previous period's rows, when there are any, as its dotted line."""
    current = [(r["completed_at"], r["cumulative_value"]) for r in rows if r["series"] != PREVIOUS_SERIES]
    previous = [(r["completed_at"], r["cumulative_value"]) for r in rows if r["series"] == PREVIOUS_SERIES]
    compared = any(r["series"] == PREVIOUS_SERIES for r in rows)
    return cumulative_value_figure(current, dark=dark, previous=previous if compared else None)


def value_by_category_figure(rows: Rows, *, dark: bool = False) -> go.Figure:
    return category_breakdown_figure(
        [CategoryRow(r["category"], r["achievements"], r["value"]) for r in rows], dark=dark
    )


FIGURES: dict[str, Callable[..., go.Figure]] = {
    "value-trend": value_trend_figure,
    "value-by-category": value_by_category_figure,
    "analytics-value": value_by_month_figure,
    "analytics-time": time_saved_figure,
    "analytics-categories": categories_over_time_figure,
    "analytics-impact": impact_complexity_figure,
    "analytics-skills": skills_and_tags_figure,
    "analytics-platform": platform_performance_figure,
    "analytics-prs": pr_timeline_figure,
}
"""Chart panel id -> (rows, dark=) -> figure; every chart panel of services.panels has one."""
