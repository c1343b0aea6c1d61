"""Overview: the KPIs, the value trend, the category breakdown and the newest achievements.

Every URL is a permalink: `?range=7d|30d|90d|365d|all`. One callback fills the whole page on
load, on every refresh tick and on a theme change, so a screen sends one request per tick.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard.charts.overview import category_breakdown_figure, cumulative_value_figure
from dashboard.charts.theme import NO_DATA, empty_figure
from dashboard.domain.business_value import DEFAULT_CURRENCY, format_money, format_reading
from dashboard.domain.kpis import (
    RANGES,
    Kpi,
    by_category,
    cumulative_value,
    newest,
    overview_kpis,
    parse_range,
    window_for,
)
from dashboard.domain.models import Achievement, ContentStats, Fresh
from dashboard.ui.components.money import money_note
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.tiles import (
    chart_card,
    epoch_ms,
    freshness_entry,
    freshness_store,
    kpi_card,
    sample_badge,
    tile_class,
)
from dashboard.web import runtime

dash.register_page(__name__, path="/", name="Overview", title="Overview · Threads-Agent", order=0)

PAGE = "overview"
KPI_TILES = ("overview-value", "overview-completed", "overview-impact", "overview-published", "overview-pipeline")
VALUE_HINT = (
    "The amounts read from each achievement's business value, in one currency; a range counts "
    "its lower bound. See the Achievements grid's Details for how each was read."
)
RANGE_LABELS = {"7d": "7 days", "30d": "30 days", "90d": "90 days", "365d": "12 months", "all": "all time"}


def layout(range: Optional[str] = None, view: Optional[str] = None, **query):  # noqa: A002 - URL names
    """`?range=` picks the period; `?view=kpis` shows the KPI cards alone (wallboards)."""
    range_key, problem = parse_range(range)
    sample = runtime.current().services.sample_data_sets()
    mine = "achievements" in sample
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Overview"),
                    _range_selector(range_key, query),
                ],
                className="page-header",
            ),
            dbc.Alert(problem, color="warning", className="py-2 small", id="overview-range-problem")
            if problem
            else None,
            outage_slot(PAGE),
            dcc.Store(id="overview-range", data=range_key),
            dcc.Store(id="overview-drawn"),
            freshness_store(PAGE),
            dbc.Row(
                [
                    dbc.Col(
                        kpi_card("overview-value", "Business value", VALUE_HINT, sample=mine, note=True),
                        xs=12,
                        sm=6,
                        xl=True,
                    ),
                    dbc.Col(
                        kpi_card("overview-completed", "Achievements completed", sample=mine), xs=12, sm=6, xl=True
                    ),
                    dbc.Col(kpi_card("overview-impact", "Average impact", sample=mine), xs=12, sm=6, xl=True),
                    dbc.Col(
                        kpi_card("overview-published", "Published", "Portfolio-ready achievements", sample=mine),
                        xs=12,
                        sm=6,
                        xl=True,
                    ),
                    dbc.Col(
                        kpi_card(
                            "overview-pipeline",
                            "Content pipeline",
                            "Drafts / scheduled / published",
                            sample="content_stats" in sample,
                        ),
                        xs=12,
                        sm=12,
                        xl=True,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(chart_card("overview-trend", "Cumulative business value", sample=mine), lg=8),
                    dbc.Col(chart_card("overview-categories", "Value by category", sample=mine), lg=4),
                ],
                className="g-3 mb-3 overview-charts",
            ),
            dbc.Card(
                [
                    dbc.CardHeader(
                        [
                            html.Span(["Newest achievements", *sample_badge(mine)], className="tile-title"),
                            html.Small(
                                "", id={"type": "freshness", "tile": "overview-newest"}, className="tile-freshness"
                            ),
                        ],
                        className="d-flex justify-content-between align-items-baseline",
                    ),
                    dbc.ListGroup(id="overview-newest-list", flush=True, className="newest-list"),
                ],
                id="overview-newest-card",
                className="tile",
            ),
        ],
        className="overview overview--kpis" if view == "kpis" else "overview",
    )


def _range_selector(active: str, query: dict) -> dbc.ButtonGroup:
    path = dash.get_relative_path("/")
    keep = {k: v for k, v in query.items() if isinstance(v, str) and k in ("refresh", "kiosk", "screen")}
    return dbc.ButtonGroup(
        [
            dbc.Button(
                key,
                href=f"{path}?{urlencode({**keep, 'range': key})}",
                id=f"overview-range-{key}",
                outline=key != active,
                color="primary",
                size="sm",
                active=key == active,
                title=f"Show {RANGE_LABELS[key]}",
            )
            for key in RANGES
        ],
        className="range-selector",
    )


@callback(
    [Output(f"{tile}-value", "children") for tile in KPI_TILES]
    + [Output(f"{tile}-delta", "children") for tile in KPI_TILES]
    + [Output(f"{tile}-delta", "className") for tile in KPI_TILES]
    + [Output(f"{tile}-card", "className") for tile in KPI_TILES]
    + [
        Output("overview-trend-graph", "figure"),
        Output("overview-trend-card", "className"),
        Output("overview-categories-graph", "figure"),
        Output("overview-categories-card", "className"),
        Output("overview-newest-list", "children"),
        Output("overview-newest-card", "className"),
        Output({"type": "freshness-data", "page": PAGE}, "data"),
        Output("overview-drawn", "data"),
        Output("overview-outages", "children"),
        Output("overview-value-note", "children"),
    ],
    Input("refresh-interval", "n_intervals"),
    Input("overview-range", "data"),
    Input("theme-store", "data"),
    State("overview-drawn", "data"),
    # A tick that arrives while this runs is dropped rather than queued behind it.
    running=[(Output("refresh-interval", "disabled"), True, False)],
)
def refresh_overview(_tick, range_key, theme, drawn):
    services = runtime.current().services
    achievements = services.achievements()
    pipeline = services.content_stats()
    now = runtime.current().clock.now()
    # The charts and the newest list change only with the data, the range or the theme; when
    # none changed since this browser last drew them, they are neither rebuilt nor re-sent.
    # (The window moves with the clock: the hour in the signature redraws them at least hourly.)
    signature = "|".join(
        str(part) for part in (achievements.fetched_at, achievements.error, range_key, theme, f"{now:%Y-%m-%dT%H}")
    )
    view = build_overview(
        achievements,
        pipeline,
        range_key,
        dark=theme == "dark",
        now=now,
        draw=signature != drawn,
        currency=services.currency,
    )
    outages = services.outages(achievements=achievements, content_stats=pipeline)
    return (
        [view["values"][t] for t in KPI_TILES]
        + [view["deltas"][t][0] for t in KPI_TILES]
        + [view["deltas"][t][1] for t in KPI_TILES]
        + [view["classes"][t] for t in KPI_TILES]
        + [
            view["trend"],
            tile_class(achievements, "tile h-100"),
            view["categories"],
            tile_class(achievements, "tile h-100"),
            view["newest"],
            tile_class(achievements),
            view["freshness"],
            signature,
            outage_notices(outages),
            view["value_note"],
        ]
    )


def build_overview(
    achievements: Fresh[list[Achievement]],
    pipeline: Fresh[ContentStats],
    range_key: Optional[str],
    *,
    dark: bool,
    now: datetime,
    draw: bool = True,
    currency: str = DEFAULT_CURRENCY,
) -> dict:
    """Everything the page shows, from the two data sets; no I/O, so it is unit-testable.

    With `draw=False` the figures and the newest list are `no_update` (the browser has them).
    """
    range_key, _ = parse_range(range_key)
    window = window_for(range_key, now)
    items = achievements.value or []
    values: dict[str, str] = {}
    deltas: dict[str, tuple[str, str]] = {}
    label = RANGE_LABELS[range_key]

    value_note: list = []
    if achievements.value is not None:
        kpis = overview_kpis(items, window, currency)
        # Achievements none of which has a readable amount total to "unknown" (the note says why).
        values["overview-value"] = format_money(kpis.total_value.value if kpis.money.known else None, currency=currency)
        value_note = money_note(kpis.money)
        values["overview-completed"] = f"{kpis.completed.value:,.0f}"
        values["overview-impact"] = "—" if kpis.avg_impact.value is None else f"{kpis.avg_impact.value:.1f}"
        values["overview-published"] = f"{kpis.published.value:,.0f}"
        deltas["overview-value"] = _delta(kpis.total_value, label, currency=currency)
        deltas["overview-completed"] = _delta(kpis.completed, label)
        deltas["overview-impact"] = _delta(kpis.avg_impact, label, points=True)
        deltas["overview-published"] = _delta(kpis.published, label)
        if draw:
            trend = cumulative_value_figure(cumulative_value(items, window, currency), dark=dark)
            categories = category_breakdown_figure(by_category(items, window, currency), dark=dark)
            newest_items = [_newest_item(a, currency) for a in newest(items)] or [
                dbc.ListGroupItem("No achievements yet.", className="text-secondary")
            ]
        else:
            trend = categories = newest_items = dash.no_update
    else:
        for tile in KPI_TILES[:4]:
            values[tile] = "—"
            deltas[tile] = ("", "kpi-delta flat")
        # The page's outage notice says why, once; the tiles stay quiet.
        trend = empty_figure(NO_DATA, dark=dark)
        categories = empty_figure(NO_DATA, dark=dark)
        newest_items = [dbc.ListGroupItem(NO_DATA, className="text-secondary newest-empty")]

    if pipeline.value is not None:
        stats = pipeline.value
        values["overview-pipeline"] = html.Span(
            [f"{stats.draft_count} / {stats.scheduled_count} / {stats.published_count}"],
            title="drafts / scheduled / published",
        )
        deltas["overview-pipeline"] = (
            f"drafts · scheduled · published — {stats.total_posts} posts, {stats.ready_count} ready",
            "kpi-delta flat pipeline-split",
        )
    else:
        values["overview-pipeline"] = "—"
        deltas["overview-pipeline"] = ("", "kpi-delta flat")

    classes = {tile: tile_class(achievements, "tile kpi-card h-100") for tile in KPI_TILES[:4]}
    classes["overview-pipeline"] = tile_class(pipeline, "tile kpi-card h-100")
    freshness = {tile: freshness_entry(achievements) for tile in KPI_TILES[:4]}
    freshness["overview-pipeline"] = freshness_entry(pipeline)
    for tile in ("overview-trend", "overview-categories", "overview-newest"):
        freshness[tile] = freshness_entry(achievements)
    freshness["_updated"] = epoch_ms(now)
    return {
        "values": values,
        "deltas": deltas,
        "classes": classes,
        "trend": trend,
        "categories": categories,
        "newest": newest_items,
        "freshness": freshness,
        "value_note": value_note,
    }


def _delta(kpi: Kpi, label: str, *, currency: Optional[str] = None, points: bool = False) -> tuple[str, str]:
    """'▲ 12% vs previous 30 days', with a class for its colour; `currency` marks a money KPI."""
    if kpi.previous is None:
        return ("over all time", "kpi-delta flat")
    if points and kpi.value is not None:
        diff = kpi.value - kpi.previous
        arrow, cls = ("▲", "up") if diff > 0 else (("▼", "down") if diff < 0 else ("■", "flat"))
        return (f"{arrow} {abs(diff):.1f} pts vs previous {label}", f"kpi-delta {cls}")
    change = kpi.change_pct
    if change is None:
        before = format_money(kpi.previous, currency=currency) if currency else f"{kpi.previous:,.0f}"
        return (f"previous {label}: {before}", "kpi-delta flat")
    arrow, cls = ("▲", "up") if change > 0.05 else (("▼", "down") if change < -0.05 else ("■", "flat"))
    return (f"{arrow} {abs(change):.0f}% vs previous {label}", f"kpi-delta {cls}")


def _newest_item(achievement: Achievement, currency: str) -> dbc.ListGroupItem:
    return dbc.ListGroupItem(
        [
            html.Div(
                [
                    html.Span(achievement.title, className="newest-title"),
                    html.Span(
                        format_reading(achievement.value_reading(currency), compact=True),
                        className="fw-semibold ms-3 text-nowrap",
                    ),
                ],
                className="d-flex justify-content-between",
            ),
            html.Div(
                f"{achievement.category} · impact {achievement.impact_score:.0f} · "
                f"completed {achievement.completed_at:%b %d, %Y}"
                + (" · published" if achievement.portfolio_ready else ""),
                className="newest-meta",
            ),
        ],
        className="newest-item",
    )
