"""The Analytics charts: how each gets its rows, the columns of its CSV, and the export.

The figure builders and the CSV export read the same rows, so a downloaded file holds exactly
what its chart shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Optional, Sequence

from dashboard.domain.business_value import DEFAULT_CURRENCY
from dashboard.domain.models import Achievement, PlatformPerformance
from dashboard.infra.csv_export import to_csv
from dashboard.services.analytics.filters import Filters, apply_filters
from dashboard.services.analytics.series import (
    ChartRow,
    categories_by_month,
    impact_complexity,
    platform_rows,
    pr_timeline,
    time_saved_by_month,
    top_skills_and_tags,
    value_by_month,
)


@dataclass(frozen=True)
class ChartData:
    """How one chart gets its rows, and the columns of its CSV."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[..., list[ChartRow]] = field(repr=False, default=lambda items, currency=None: [])
    """(items, currency) -> the chart's rows."""
    source: str = "achievements"
    """"achievements" (filtered achievements) or "performance" (tech-doc-generator, unfiltered)."""


CHARTS: dict[str, ChartData] = {
    c.key: c
    for c in (
        ChartData(
            "value",
            "Business value per month",
            ("month", "value", "cumulative_value", "achievements", "unvalued"),
            value_by_month,
        ),
        ChartData(
            "categories",
            "Achievements per category over time",
            ("month", "category", "achievements", "value"),
            categories_by_month,
        ),
        ChartData(
            "impact",
            "Impact versus complexity",
            ("id", "title", "category", "completed_at", "impact_score", "complexity_score", "value"),
            impact_complexity,
        ),
        ChartData(
            "time", "Time saved", ("month", "hours_saved", "cumulative_hours", "achievements"), time_saved_by_month
        ),
        ChartData(
            "skills",
            "Most demonstrated skills and tags",
            ("kind", "name", "achievements", "value"),
            top_skills_and_tags,
        ),
        ChartData(
            "prs",
            "Pull-request achievements",
            (
                "merged_count",
                "id",
                "pr",
                "title",
                "category",
                "started_at",
                "completed_at",
                "duration_hours",
                "impact_score",
                "value",
                "url",
            ),
            pr_timeline,
        ),
        ChartData(
            "platform",
            "Platform performance (tech-doc-generator)",
            ("platform", "articles", "avg_engagement"),
            source="performance",
        ),
    )
}


def chart_rows(
    key: str,
    items: Sequence[Achievement],
    performance: Optional[PlatformPerformance],
    currency: str = DEFAULT_CURRENCY,
) -> list[ChartRow]:
    """The rows chart `key` draws: from the filtered achievements, or from tech-doc-generator.
    Money is summed in `currency` only; other currencies are never added in."""
    chart = CHARTS[key]
    if chart.source == "performance":
        return platform_rows(performance)
    return chart.rows(items, currency)


def export_csv(
    key: str,
    achievements: Sequence[Achievement],
    performance: Optional[PlatformPerformance],
    filters: Filters,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
) -> tuple[str, str]:
    """(file name, CSV text) of chart `key` under `filters`: the rows the chart draws."""
    chart = CHARTS[key]
    items = apply_filters(achievements, filters, now)
    rows = chart_rows(key, items, performance, currency)
    return f"analytics-{key}-{now:%Y%m%d-%H%M%S}.csv", to_csv(rows, chart.columns)
