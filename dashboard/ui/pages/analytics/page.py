"""Analytics: business value, categories, impact, time saved, skills, pull requests and platforms.

The filters live in the URL (`?category=bugfix&category=feature&published=1`, with the navbar's
time range: `range=90d`, or `from=2026-01-01&to=2026-06-30`), so a link reproduces the view; a bad parameter is
explained on the page and ignored. Changing a control rewrites the URL, and the page is rebuilt
from it, as when the link is opened. One callback fills every chart on load, on a filter change,
on each refresh tick and on a theme change, so a screen sends one request per tick. Each chart
exports the rows it draws as CSV (and as PNG from the plot's toolbar).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, dcc, html

from dashboard.services.analytics import DEFAULT_RANGE, parse_filters
from dashboard.ui.components.callbacks import REFRESH_INTERVAL, disabled_while_running
from dashboard.ui.components.drill import drills_to_grid, picked_store
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.outages import outage_notices, outage_slot
from dashboard.ui.components.panel_menu import panel_dialogs
from dashboard.ui.components.screen import page_class
from dashboard.ui.components.tiles import freshness_output, freshness_store
from dashboard.ui.components.timepicker import declare_range_store, range_store, zoom_sets_range
from dashboard.ui.pages.analytics import crossfilter, export, filters, ids
from dashboard.ui.pages.analytics.view import FIGURES, build_analytics, chart_tile
from dashboard.web import runtime

dash.register_page(
    __name__,
    path="/analytics",
    name="Analytics",
    title="Analytics · Threads-Agent",
    order=3,
    time_range=DEFAULT_RANGE,
)

IMPACT_HINT = "One dot per achievement; its area is the business value"
PLATFORM_HINT = "As tech-doc-generator reports it: the filters above do not apply"


def layout(**query):
    current = runtime.current()
    shown, problems = parse_filters(query, current.clock.now(), current.services.timezone)
    sample = "achievements" in runtime.current().services.sample_data_sets()
    return html.Div(
        [
            html.Div(
                [html.H1("Analytics"), html.Div("", id=ids.SUMMARY, className="analytics-summary")],
                className="page-header",
            ),
            filters.filter_bar(shown, query),
            dbc.Alert(
                [html.Div(p) for p in problems],
                id=ids.FILTER_PROBLEMS,
                color="warning",
                is_open=bool(problems),
                className="py-2 small",
            ),
            # "callback-nav": a new search is pushed to the address bar and Dash's router rebuilds
            # the page from it, exactly as when the link is opened (the root Location does not).
            dcc.Location(id=ids.LOCATION, refresh="callback-nav"),
            crossfilter.notice(shown, query),
            outage_slot(ids.PAGE),
            dcc.Store(id=ids.FILTERS, data=shown.query(current.services.timezone)),
            range_store(ids.RANGE, shown.time_range),
            crossfilter.store(),
            *[picked_store(f"{ids.tile_id(chart)}-graph") for chart in DRILLABLE],
            freshness_store(ids.PAGE),
            dcc.Download(id=ids.DOWNLOAD),
            panel_dialogs(),
            # On a TV these become one grid of panels as tall as the screen (assets/25-screens.css).
            html.Div(
                [
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_tile("value", "Business value per month and cumulative", sample=sample),
                                lg=8,
                                className="analytics-col-value",
                            ),
                            dbc.Col(
                                chart_tile("time", "Time saved per month", sample=sample),
                                lg=4,
                                className="analytics-col-time",
                            ),
                        ],
                        className="g-3 mb-3",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_tile("categories", "Achievements per category over time", sample=sample),
                                lg=7,
                                className="analytics-col-categories",
                            ),
                            dbc.Col(
                                chart_tile("impact", "Impact versus complexity", hint=IMPACT_HINT, sample=sample),
                                lg=5,
                                className="analytics-col-impact",
                            ),
                        ],
                        className="g-3 mb-3",
                    ),
                    dbc.Row(
                        [
                            dbc.Col(
                                chart_tile("skills", "Most demonstrated skills and tags", sample=sample),
                                lg=7,
                                className="analytics-col-skills",
                            ),
                            dbc.Col(
                                chart_tile(
                                    "platform",
                                    "Platform performance (tech-doc-generator)",
                                    hint=PLATFORM_HINT,
                                    notes=html.Div(id=ids.PLATFORM_NOTES, className="platform-notes"),
                                ),
                                lg=5,
                                className="analytics-col-platform",
                            ),
                        ],
                        className="g-3 mb-3",
                    ),
                    html.Div(
                        chart_tile("prs", "Pull-request achievements (merged over time)", height=300, sample=sample),
                        className="analytics-col-prs",
                    ),
                ],
                className="analytics-panels screen-grow",
            ),
        ],
        className=page_class("analytics", query),
    )


OUTPUTS = {
    "figures": {key: Output(f"{ids.tile_id(key)}-graph", "figure") for key in FIGURES},
    "classes": {key: Output(f"{ids.tile_id(key)}-card", "className") for key in FIGURES},
    # Nothing to export from a chart whose data could not be read.
    "export_disabled": {key: Output(ids.export_button(key), "disabled") for key in FIGURES},
    "summary": Output(ids.SUMMARY, "children"),
    "platform_notes": Output(ids.PLATFORM_NOTES, "children"),
    "platform_status": (
        Output(ids.PLATFORM_FRESHNESS, "className"),
        Output(ids.PLATFORM_STATUS, "children"),
        Output(ids.PLATFORM_STATUS, "className"),
    ),
    "freshness": freshness_output(ids.PAGE),
    "outages": Output(ids.OUTAGES, "children"),
}


def refresh_analytics(tick, query, theme, live=None) -> dict:
    """Every chart from one read of each data set."""
    services = runtime.current().services
    shown, _ = parse_filters(query or {}, runtime.current().clock.now(), services.timezone)
    achievements, performance = services.read_both(services.achievements, services.platform_performance)
    view = build_analytics(
        achievements,
        performance,
        shown,
        dark=theme == "dark",
        now=runtime.current().clock.now(),
        currency=services.currency,
    )
    outages = services.outages(achievements=achievements, platform_performance=performance)
    return {**view, "outages": outage_notices(outages)}


# The callbacks, declared while this module runs: Dash runs it for every app it builds.

dash.callback(
    output=filters.APPLIED,
    inputs={
        "categories": Input(ids.CATEGORY, "value"),
        "published": Input(ids.PUBLISHED, "value"),
    },
    state={"search": State(ids.LOCATION, "search"), "shown": State(ids.FILTERS, "data")},
    prevent_initial_call=True,
)(filters.apply_controls)
dash.callback(
    output=OUTPUTS,
    inputs={
        "tick": Input(REFRESH_INTERVAL, "n_intervals"),
        "query": Input(ids.FILTERS, "data"),
        "theme": Input("theme-store", "data"),
        "live": live_inputs("achievements", "platform-performance"),
    },
    running=disabled_while_running(),
)(refresh_analytics)
dash.callback(
    Output(ids.DOWNLOAD, "data"),
    Input(ids.export_button(ALL), "n_clicks"),
    State(ids.FILTERS, "data"),
    prevent_initial_call=True,
)(export.export_chart)
DRILLABLE = ("value", "time", "skills", "impact", "prs")
"""Charts a click on which opens the grid on the rows behind it (services/drill.py)."""
for _chart in DRILLABLE:
    drills_to_grid(f"{ids.tile_id(_chart)}-graph", _chart, "/analytics")
declare_range_store(ids.RANGE)
for _chart in ("value", "time", "categories"):  # the charts over time: a drag across one sets the range
    zoom_sets_range(f"{ids.tile_id(_chart)}-graph", ids.RANGE, DEFAULT_RANGE)
crossfilter.register()
