"""Pure builders of the Highlights screen: the achievements in, every part of the screen out."""

from __future__ import annotations

from datetime import datetime
from typing import Union

from dash import html

from dashboard.charts.palette import chip_style
from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money, format_reading
from dashboard.domain.kpis import CategoryRow, Window, by_category, newest, overview_kpis, window_for
from dashboard.domain.models import Achievement, Fresh, score_text
from dashboard.domain.timerange import TimeRange, as_time_range
from dashboard.services.analytics import Filters
from dashboard.services.panels import PanelQuery, month_numbers
from dashboard.ui.components.category import category_chip
from dashboard.ui.components.stat import delta_line
from dashboard.ui.components.tiles import freshness_payload, tile_class
from dashboard.ui.pages.highlights import ids

TOP_CATEGORIES = 6
LATEST_WINS = 6


def build_highlights(
    achievements: Fresh[list[Achievement]],
    time_range: Union[TimeRange, str],
    *,
    now: datetime,
    currency: str = DEFAULT_CURRENCY,
) -> dict:
    """Everything the screen shows, keyed as page.OUTPUTS (but `outages`); no I/O."""
    time_range = as_time_range(time_range)
    window = window_for(time_range, now)
    label = time_range.span_words(now)  # "vs previous 30 days"
    items = achievements.value
    classes = {figure: tile_class(achievements, "tile kpi-card highlight-figure h-100") for figure in ids.FIGURES}
    common = {
        "classes": classes,
        "categories_class": tile_class(achievements, "tile h-100 highlight-panel"),
        "latest_class": tile_class(achievements, "tile h-100 highlight-panel"),
        "freshness": freshness_payload(
            now, {tile: achievements for tile in (*ids.FIGURES, ids.CATEGORIES, ids.LATEST)}
        ),
    }
    if items is None:
        # The screen's outage notice says why, once; the figures are unknown, not zero.
        return {
            **common,
            "values": {figure: "—" for figure in ids.FIGURES},
            "deltas": {figure: "" for figure in ids.FIGURES},
            "delta_classes": {figure: "kpi-delta flat" for figure in ids.FIGURES},
            "categories": [html.Div("No data", className="highlight-empty")],
            "latest": [html.Div("No data", className="highlight-empty")],
        }
    kpis = overview_kpis(items, window, currency)
    month = month_numbers(items, PanelQuery(Filters(time_range=time_range), now, currency))
    value_delta = delta_line(kpis.total_value, label, currency=currency)
    completed_delta = delta_line(kpis.completed, label)
    return {
        **common,
        "values": {
            ids.VALUE: format_money(kpis.total_value.value if kpis.money.known else None, currency=currency),
            ids.MONTH: month.text,
            ids.COMPLETED: f"{kpis.completed.value:,.0f}",
        },
        "deltas": {ids.VALUE: value_delta[0], ids.MONTH: month.change, ids.COMPLETED: completed_delta[0]},
        "delta_classes": {ids.VALUE: value_delta[1], ids.MONTH: "kpi-delta flat", ids.COMPLETED: completed_delta[1]},
        "categories": category_rows(by_category(items, window, currency)[:TOP_CATEGORIES], currency),
        "latest": latest_wins(newest(items, LATEST_WINS), window, currency),
    }


def category_rows(rows: list[CategoryRow], currency: str) -> list[html.Div]:
    """One line per category: its name, a bar as long as its share of the top value, the value."""
    if not rows:
        return [html.Div("Nothing completed in this period", className="highlight-empty")]
    top = max((row.value for row in rows), default=0.0) or 1.0
    return [
        html.Div(
            [
                html.Div(
                    [
                        html.Span(category_chip(row.category), className="category-label"),
                        html.Span(f"{row.count:,} completed", className="highlight-count"),
                    ],
                    className="highlight-category-name",
                ),
                html.Div(
                    html.Div(
                        className="highlight-bar-fill",
                        style={**chip_style(row.category), "width": f"{max(row.value / top * 100, 1):.1f}%"},
                    ),
                    className="highlight-bar",
                ),
                html.Div(format_money(row.value, currency=currency), className="highlight-category-value"),
            ],
            className="highlight-category",
        )
        for row in rows
    ]


def latest_wins(items: list[Achievement], window: Window, currency: str) -> list[html.Div]:
    """The newest achievements, each with its value, category, impact and day."""
    if not items:
        return [html.Div("No achievements yet", className="highlight-empty")]
    return [_win(a, currency, older=not window.contains(a.completed_at)) for a in items]


def _win(achievement: Achievement, currency: str, *, older: bool) -> html.Div:
    reading = achievement.value_reading(currency)
    return html.Div(
        [
            html.Div(
                [
                    html.Div(achievement.title, className="highlight-win-title"),
                    html.Div(
                        [
                            category_chip(achievement.category),
                            f" · impact {score_text(achievement.impact_score)} · {achievement.completed_at:%b %d, %Y}",
                            *([" · before this period"] if older else []),
                        ],
                        className="highlight-win-meta",
                    ),
                ],
                className="highlight-win-text",
            ),
            html.Div(
                format_reading(reading, compact=True),
                className="highlight-win-value" + ("" if reading else " highlight-win-value--unknown"),
                title=None if reading else "No readable amount in its business value",
            ),
        ],
        className="highlight-win",
    )
