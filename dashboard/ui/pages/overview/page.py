"""Overview: the KPIs, the value trend, the category breakdown and the newest achievements.

Every URL is a permalink: the navbar's time range (`?range=90d`, `?from=now-1M/M&to=now-1M/M`,
dashboard/ui/components/timepicker.py) picks the period. One callback fills the whole page on
load, on every refresh tick and on a theme change, so a screen sends one request per tick.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, dcc, html

from dashboard.domain.kpis import DEFAULT_RANGE
from dashboard.ui.components.activity import activity_card, list_id, refresh_activity
from dashboard.ui.components.callbacks import REFRESH_INTERVAL, Drawings, disabled_while_running
from dashboard.ui.components.drill import drills_to_grid, picked_store
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.panel_menu import panel_dialogs
from dashboard.ui.components.screen import page_class
from dashboard.ui.components.stat import Targets
from dashboard.ui.components.tiles import (
    FRESHNESS,
    chart_card,
    freshness_output,
    freshness_store,
    kpi_card,
    sample_badge,
    skeleton_lines,
)
from dashboard.ui.components.timepicker import declare_range_store, page_range, range_of, range_store, zoom_sets_range
from dashboard.ui.pages.overview import ids
from dashboard.ui.pages.overview.ids import KPI_TILES
from dashboard.ui.pages.overview.view import build_overview
from dashboard.web import runtime

dash.register_page(
    __name__, path="/", name="Overview", title="Overview · Threads-Agent", order=0, time_range=DEFAULT_RANGE
)


def how_computed(period: str, currency: str) -> dict[str, str]:
    """Each card's tooltip: how its number is computed, for this range ("in the last 30 days")."""
    return {
        ids.VALUE: f"Sum of the readable amounts of the achievements completed {period}, in {currency}; a range "
        "counts its lower bound, other currencies and unreadable texts are not added (the note says how "
        "many). The grid's Details show how each amount was read.",
        ids.COMPLETED: f"Achievements whose completion date falls {period}.",
        ids.IMPACT: f"Mean impact score (0–100) of the achievements completed {period} that have one; "
        "those without a score are left out, and counted beside the change.",
        ids.PUBLISHED: f"Achievements completed {period} and marked portfolio-ready (the grid's Published column).",
        ids.PIPELINE: "The orchestrator's posts by status, now (not limited to the range).",
    }


def layout(**query):
    """The navbar's range (in the URL) picks the period; `?kiosk=1` lays it out for a TV."""
    time_range, problem = page_range(query, DEFAULT_RANGE)
    services = runtime.current().services
    sample = services.sample_data_sets()
    mine = "achievements" in sample
    how = how_computed(time_range.during(runtime.current().clock.now()), services.currency)
    return html.Div(
        [
            html.Div(
                [
                    html.H1("Overview"),
                    html.Span(
                        time_range.label(runtime.current().clock.now()), id=ids.RANGE_LABEL, className="page-range"
                    ),
                ],
                className="page-header",
            ),
            dbc.Alert(problem, color="warning", className="py-2 small", id=ids.RANGE_PROBLEM) if problem else None,
            outage_slot(ids.PAGE),
            range_store(ids.RANGE, time_range),
            picked_store(f"{ids.TREND}-graph"),
            picked_store(f"{ids.CATEGORIES}-graph"),
            dcc.Store(id=ids.DRAWN),
            freshness_store(ids.PAGE),
            panel_dialogs(),
            dbc.Row(
                [
                    _kpi_column(
                        kpi_card(
                            ids.VALUE,
                            "Business value",
                            how[ids.VALUE],
                            sample=mine,
                            note=True,
                            spark=True,
                            target=True,
                            panel="kpi-value",
                        )
                    ),
                    _kpi_column(
                        kpi_card(
                            ids.COMPLETED,
                            "Achievements completed",
                            how[ids.COMPLETED],
                            sample=mine,
                            spark=True,
                            panel="kpi-completed",
                        )
                    ),
                    _kpi_column(
                        kpi_card(
                            ids.IMPACT,
                            "Average impact",
                            how[ids.IMPACT],
                            sample=mine,
                            spark=True,
                            target=True,
                            panel="kpi-impact",
                        )
                    ),
                    _kpi_column(
                        kpi_card(
                            ids.PUBLISHED,
                            "Portfolio-ready",
                            how[ids.PUBLISHED],
                            sample=mine,
                            spark=True,
                            panel="kpi-published",
                        )
                    ),
                    _kpi_column(
                        kpi_card(
                            ids.PIPELINE,
                            "Content pipeline",
                            how[ids.PIPELINE],
                            sample="content_stats" in sample,
                            panel="kpi-pipeline",
                        ),
                        sm=12,
                    ),
                ],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(chart_card(ids.TREND, "Cumulative business value", sample=mine, panel="value-trend"), lg=8),
                    dbc.Col(
                        chart_card(ids.CATEGORIES, "Value by category", sample=mine, panel="value-by-category"), lg=4
                    ),
                ],
                className="g-3 mb-3 overview-charts screen-grow",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader(
                                    [
                                        html.Span(["Newest achievements", *sample_badge(mine)], className="tile-title"),
                                        html.Small(
                                            "", id={"type": FRESHNESS, "tile": ids.NEWEST}, className="tile-freshness"
                                        ),
                                    ],
                                    className="d-flex justify-content-between align-items-baseline",
                                ),
                                dbc.ListGroup(
                                    skeleton_lines(6), id=ids.NEWEST_LIST, flush=True, className="newest-list"
                                ),
                            ],
                            id="overview-newest-card",
                            className="tile",
                        ),
                        lg=7,
                    ),
                    dbc.Col(activity_card(ids.PAGE), lg=5, className="overview-activity"),
                ],
                className="g-3 overview-lower",
            ),
        ],
        className=page_class("overview", query, "overview"),
    )


DRAWINGS = Drawings()
"""This process's last drawings of the Overview, shared by every screen asking for the same."""
ACTIVITY_ENTRIES = 12
"""The side panel's entries (it scrolls beside the newest list; a TV shows the first three)."""


def _kpi_column(card: dbc.Card, sm: int = 6) -> dbc.Col:
    """A KPI card's place: a row each on a phone, two a row on a tablet, all in one row on a desk."""
    return dbc.Col(card, xs=12, sm=sm, xl=True)


def _per_tile(suffix: str, prop: str) -> dict:
    return {tile: Output(f"{tile}-{suffix}", prop) for tile in KPI_TILES}


OUTPUTS = {
    "values": _per_tile("value", "children"),
    "deltas": _per_tile("delta", "children"),
    "delta_classes": _per_tile("delta", "className"),
    "classes": _per_tile("card", "className"),
    "trend": Output(f"{ids.TREND}-graph", "figure"),
    "trend_class": Output(f"{ids.TREND}-card", "className"),
    "categories": Output(f"{ids.CATEGORIES}-graph", "figure"),
    "categories_class": Output(f"{ids.CATEGORIES}-card", "className"),
    "newest": Output(ids.NEWEST_LIST, "children"),
    "newest_class": Output(f"{ids.NEWEST}-card", "className"),
    "freshness": freshness_output(ids.PAGE),
    "drawn": Output(ids.DRAWN, "data"),
    "outages": Output(ids.OUTAGES, "children"),
    "value_note": Output(f"{ids.VALUE}-note", "children"),
    "sparks": {tile: Output(f"{tile}-spark", "children") for tile in ids.SPARK_TILES},
    "targets": {tile: Output(f"{tile}-target", "children") for tile in ids.TARGET_TILES},
    "activity": Output(list_id(ids.PAGE), "children"),
}


def refresh_overview(tick, range_key, theme, drawn, live=None) -> dict:
    services, settings = runtime.current().services, runtime.current().settings
    time_range = range_of(range_key, DEFAULT_RANGE)
    achievements, pipeline = services.read_both(services.achievements, services.content_stats)
    now = runtime.current().clock.now()
    # The charts and the newest list change only with the data, the range or the theme; when
    # none changed since this browser last drew them, they are neither rebuilt nor re-sent.
    # (The window moves with the clock: the hour in the signature redraws them at least hourly.)
    signature = "|".join(
        str(part)
        # The content's version, not the fetch's time: a re-fetch that brought the same data
        # (every TTL) leaves the drawing as it is. Without a version (caching off), the fetch.
        for part in (
            achievements.version or achievements.fetched_at,
            achievements.error,
            time_range,
            theme,
            f"{now:%Y-%m-%dT%H}",
        )
    )
    grid_path = dash.get_relative_path("/achievements")
    view = build_overview(
        achievements,
        pipeline,
        time_range,
        dark=theme == "dark",
        now=now,
        draw=signature != drawn,
        currency=services.currency,
        targets=Targets(settings.value_target, settings.impact_target),
        grid_path=grid_path,
        drawings=DRAWINGS,
        drawing_key=f"{signature}|{services.currency}|{grid_path}",
    )
    outages = services.outages(achievements=achievements, content_stats=pipeline)
    # In the same answer (one request per tick): after this read, the feed finds the list cached.
    activity = refresh_activity(ACTIVITY_ENTRIES)
    return {**view, "drawn": signature, "outages": outage_notices(outages), "activity": activity}


dash.callback(
    output=OUTPUTS,
    inputs={
        "tick": Input(REFRESH_INTERVAL, "n_intervals"),
        "range_key": Input(ids.RANGE, "data"),
        "theme": Input("theme-store", "data"),
        "live": live_inputs("achievements", "content-stats", "posts", "health"),
    },
    state={"drawn": State(ids.DRAWN, "data")},
    running=disabled_while_running(),
)(refresh_overview)

declare_range_store(ids.RANGE)
zoom_sets_range(f"{ids.TREND}-graph", ids.RANGE, DEFAULT_RANGE)
drills_to_grid(f"{ids.TREND}-graph", "trend", "/")  # a click on the line: that day's achievements
drills_to_grid(f"{ids.CATEGORIES}-graph", "overview-categories", "/")
