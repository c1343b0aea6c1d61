"""Pure view builders of the Overview page: the two data sets in, every tile's content out."""

from __future__ import annotations

from datetime import datetime
from typing import Any, MutableMapping, Optional, Union
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import NoUpdate, html

from dashboard.charts.registry import FIGURES
from dashboard.charts.theme import NO_DATA, empty_figure
from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money, format_reading
from dashboard.domain.kpis import (
    Window,
    average_impact,
    newest,
    overview_kpis,
    spark_series,
    spark_steps,
    step_name,
    value_of,
    window_for,
)
from dashboard.domain.models import Achievement, ContentStats, Fresh, score_text
from dashboard.domain.timerange import TimeRange, as_time_range
from dashboard.services.analytics import Filters
from dashboard.services.panels import PanelQuery, category_rows, overview_numbers, pipeline_numbers, trend_rows
from dashboard.ui.components.category import category_chip
from dashboard.ui.components.money import money_note
from dashboard.ui.components.stat import Targets, points_to_target, share_of_target, sparkline
from dashboard.ui.components.tiles import freshness_payload, tile_class
from dashboard.ui.pages.overview import ids
from dashboard.ui.pages.overview.ids import ACHIEVEMENT_KPIS

PANELS_OF = {
    ids.VALUE: "kpi-value",
    ids.COMPLETED: "kpi-completed",
    ids.IMPACT: "kpi-impact",
    ids.PUBLISHED: "kpi-published",
}
"""The achievement KPI cards' panels (services.panels): their numbers and change lines."""


def build_overview(
    achievements: Fresh[list[Achievement]],
    pipeline: Fresh[ContentStats],
    time_range: Union[TimeRange, str, None],
    *,
    dark: bool,
    now: datetime,
    draw: bool = True,
    currency: str = DEFAULT_CURRENCY,
    targets: Targets = Targets(),
    grid_path: str = "/achievements",
    drawings: Optional[MutableMapping[str, tuple]] = None,
    drawing_key: Optional[str] = None,
) -> dict:
    """Everything the page shows, from the two data sets, keyed as page.OUTPUTS (but `drawn` and
    `outages`); no I/O, so it is unit-testable. `grid_path` is the grid's address under the app's
    prefix (the newest achievements link there).

    With `draw=False` the figures, the sparklines and the newest list are `no_update` (the
    browser has them).
    """
    time_range = as_time_range(time_range)
    window = window_for(time_range, now)
    items = achievements.value or []
    values: dict[str, str | html.Div] = {}
    deltas: dict[str, tuple[str, str]] = {}
    label = time_range.span_words(now)

    value_note: list = []
    trend: go.Figure | NoUpdate
    categories: go.Figure | NoUpdate
    newest_items: list[dbc.ListGroupItem] | NoUpdate
    sparks: dict[str, Any] = {tile: None for tile in ids.SPARK_TILES}
    target_lines = {tile: "" for tile in ids.TARGET_TILES}
    states = {tile: "" for tile in ids.TARGET_TILES}
    if achievements.value is not None:
        kpis = overview_kpis(items, window, currency)
        query = PanelQuery(Filters(time_range=time_range), now, currency)
        numbers = overview_numbers(items, query)  # what the cards' embeds say too
        value_note = money_note(kpis.money)
        for tile, panel in PANELS_OF.items():
            values[tile] = numbers[panel].text
            deltas[tile] = (numbers[panel].change, numbers[panel].change_class)
        days = time_range.days(now) if window.current.start is not None else None
        shown_target = targets.value_for(days)
        target_lines[ids.VALUE], states[ids.VALUE] = share_of_target(
            kpis.total_value.value if kpis.money.known else None,
            shown_target,
            f"{format_money(shown_target, currency=currency)} per {label}",
        )
        target_lines[ids.IMPACT], states[ids.IMPACT] = points_to_target(kpis.avg_impact.value, targets.impact)
        if draw:
            # `drawings` (the caller's memo) shares one drawing among every screen that asks
            # for the same one: after a change, a wall of screens redraws once, not once each.
            drawn = drawings.get(drawing_key) if drawings is not None and drawing_key else None
            if drawn is None:
                drawn = (
                    overview_sparks(items, window, now, currency, label),
                    # Drawn as their embeds are: the panels' rows, through the registry's builders.
                    FIGURES["value-trend"](trend_rows(items, query), dark=dark),
                    FIGURES["value-by-category"](category_rows(items, query), dark=dark),
                    [_newest_item(a, currency, grid_path) for a in newest(items, 6)]
                    or [dbc.ListGroupItem("No achievements yet.", className="text-secondary")],
                )
                if drawings is not None and drawing_key:
                    drawings[drawing_key] = drawn
            sparks, trend, categories, newest_items = drawn
        else:
            trend, categories, newest_items = dash.no_update, dash.no_update, dash.no_update
            sparks = {tile: dash.no_update for tile in ids.SPARK_TILES}
    else:
        for tile in ACHIEVEMENT_KPIS:
            values[tile] = "—"
            deltas[tile] = ("", "kpi-delta flat")
        # The page's outage notice says why, once; the tiles stay quiet.
        trend = empty_figure(NO_DATA, dark=dark)
        categories = empty_figure(NO_DATA, dark=dark)
        newest_items = [dbc.ListGroupItem(NO_DATA, className="text-secondary newest-empty")]

    if pipeline.value is not None:
        stats = pipeline.value
        values[ids.PIPELINE] = html.Div(
            [
                _figure(stats.draft_count, "drafts"),
                _figure(stats.scheduled_count, "scheduled"),
                _figure(stats.published_count, "published"),
            ],
            className="kpi-split",
        )
        deltas[ids.PIPELINE] = (pipeline_numbers(stats).change, "kpi-delta flat pipeline-split")
    else:
        values[ids.PIPELINE] = "—"
        deltas[ids.PIPELINE] = ("", "kpi-delta flat")

    classes = {
        tile: tile_class(achievements, "tile kpi-card h-100" + (f" kpi--{states[tile]}" if states.get(tile) else ""))
        for tile in ACHIEVEMENT_KPIS
    }
    classes[ids.PIPELINE] = tile_class(pipeline, "tile kpi-card h-100")
    read_from = {tile: achievements for tile in (*ACHIEVEMENT_KPIS, ids.TREND, ids.CATEGORIES, ids.NEWEST)}
    return {
        "values": values,
        "deltas": {tile: text for tile, (text, _) in deltas.items()},
        "delta_classes": {tile: cls for tile, (_, cls) in deltas.items()},
        "classes": classes,
        "trend": trend,
        "trend_class": tile_class(achievements, "tile h-100"),
        "categories": categories,
        "categories_class": tile_class(achievements, "tile h-100"),
        "newest": newest_items,
        "newest_class": tile_class(achievements),
        "freshness": freshness_payload(now, {**read_from, ids.PIPELINE: pipeline}),
        "value_note": value_note,
        "sparks": sparks,
        "targets": target_lines,
    }


def overview_sparks(
    items: list[Achievement], window: Window, now: datetime, currency: str, label: str
) -> dict[str, html.Div]:
    """The sparkline of each achievement KPI across the range, step by step."""
    steps = spark_steps(window, now, min((a.completed_at for a in items), default=None))
    step = step_name(steps)
    measures = {
        ids.VALUE: (lambda xs: value_of(xs, currency), f"Business value per {step}, {label}"),
        ids.COMPLETED: (lambda xs: float(len(xs)), f"Achievements completed per {step}, {label}"),
        ids.IMPACT: (average_impact, f"Average impact per {step}, {label} (gaps: nothing completed)"),
        ids.PUBLISHED: (lambda xs: float(sum(a.portfolio_ready for a in xs)), f"Portfolio-ready per {step}, {label}"),
    }
    return {tile: sparkline(spark_series(items, steps, measure), words) for tile, (measure, words) in measures.items()}


def _figure(count: int, label: str) -> html.Div:
    """One labelled number of a card that shows several ("14 drafts")."""
    return html.Div(
        [html.Span(f"{count:,}", className="kpi-split-value"), html.Span(label, className="kpi-split-label")],
        className="kpi-split-figure",
    )


def _newest_item(achievement: Achievement, currency: str, grid_path: str) -> dbc.ListGroupItem:
    return dbc.ListGroupItem(
        [
            html.Div(
                [
                    html.A(
                        achievement.title,
                        href=f"{grid_path}?" + urlencode({"q": achievement.title, "back": "/"}),
                        className="newest-title",
                        title="Open it in the Achievements grid",
                    ),
                    html.Span(
                        format_reading(achievement.value_reading(currency), compact=True),
                        className="fw-semibold ms-3 text-nowrap",
                    ),
                ],
                className="d-flex justify-content-between",
            ),
            html.Div(
                [
                    category_chip(achievement.category),
                    f" · impact {score_text(achievement.impact_score)} · completed {achievement.completed_at:%b %d, %Y}"
                    + (" · portfolio-ready" if achievement.portfolio_ready else ""),
                ],
                className="newest-meta",
            ),
        ],
        className="newest-item",
    )
