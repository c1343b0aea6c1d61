"""System health: each service's status and history, the orchestrator's metrics, the cache and
this dashboard.

The page polls on its own interval (`?refresh=`, default and floor 5 s) rather than the root
one, and its health checks are at most a couple of seconds old, so a service that goes down
turns its tile red within one tick. One callback fills the page per tick.
"""

from __future__ import annotations

from typing import Optional

import dash
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Input, Output, State, dcc, html

from dashboard.domain.actors import Role
from dashboard.services.history import watched
from dashboard.services.system import parse_refresh, system_view
from dashboard.ui.components.activity import activity_callback, activity_card
from dashboard.ui.components.callbacks import disabled_while_running
from dashboard.ui.components.screen import page_class
from dashboard.ui.components.tiles import freshness_line, freshness_output, freshness_store
from dashboard.ui.pages.system import ids
from dashboard.ui.pages.system.history_view import service_history_block, trends_block
from dashboard.ui.pages.system.ids import OTHER_TILES, SERVICE_TILES
from dashboard.ui.pages.system.view import build_system, screens_table
from dashboard.web import auth, runtime

dash.register_page(__name__, path="/system", name="System", title="System health · Threads-Agent", order=4)


def layout(refresh: Optional[str] = None, **query):
    seconds, problem = parse_refresh(refresh)
    cadence = f"Checks every {seconds} s" + (f" ({problem})" if problem else "")
    return html.Div(
        [
            html.Div(
                [
                    html.H1("System health"),
                    html.Span(cadence, id=ids.CADENCE, className=ids.CADENCE),
                ],
                className="page-header",
            ),
            dcc.Interval(id=ids.INTERVAL, interval=seconds * 1000),
            dcc.Store(id=ids.REFRESH, data=seconds),
            freshness_store(ids.PAGE),
            dbc.Row(
                [dbc.Col(_service_card(tile, name), md=4) for name, tile in ids.SERVICE_TILES.items()],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        _card(ids.METRICS, "Orchestrator metrics", html.Div(id=ids.TRENDS, className="mt-3")), lg=5
                    ),
                    dbc.Col(_card(ids.CACHE, "Cache"), lg=4, md=7),
                    dbc.Col(_card(ids.DASHBOARD, "This dashboard"), lg=3, md=5),
                ],
                className="g-3 screen-grow",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        dbc.Card(
                            [
                                dbc.CardHeader("Wallboard screens", className="tile-title"),
                                dbc.CardBody(html.Div("No screen has reported yet.", id=ids.SCREENS_BODY)),
                            ],
                            className="tile h-100",
                        ),
                        lg=7,
                    ),
                    dbc.Col(activity_card(ids.PAGE), lg=5),
                ],
                className="g-3 mt-0 system-lower",
            ),
        ],
        className=page_class("system", query),
    )


def _service_card(tile: str, name: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(
                [
                    html.Span(name, className="tile-title"),
                    html.Span("Checking…", id=f"{tile}-status", className="badge text-bg-secondary"),
                ],
                className="d-flex justify-content-between align-items-center gap-2",
            ),
            dbc.CardBody([html.Div(id=f"{tile}-body"), html.Div(id=f"{tile}-history")], className="pt-2"),
            dbc.CardFooter(freshness_line(tile), className="system-footer"),
        ],
        id=f"{tile}-card",
        className="tile h-100 system-tile system-tile--off",
    )


def _card(tile: str, title: str, *extra: html.Div) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.Span(title, className="tile-title")),
            dbc.CardBody([html.Div(id=f"{tile}-body"), *extra], className="pt-2"),
            dbc.CardFooter(freshness_line(tile), className="system-footer"),
        ],
        id=f"{tile}-card",
        className="tile h-100 system-tile system-tile--off",
    )


def refresh_screens(tick, asked=None):
    """Wallboards opened with ?screen=<id>, and when each last refreshed: a dead TV shows here.
    Admins only, as `/api/screens`: the names say where screens hang and what they show."""
    if not auth.current_actor().may(Role.ADMIN):
        return html.P(
            "Only admins see the list of screens.",
            className="text-secondary small mb-0",
            id=ids.SCREENS_ADMINS_ONLY,
        )
    current = runtime.current()
    registry = current.screens
    beats = registry.all()
    return screens_table(beats, registry.clock(), silent_after=3 * current.settings.refresh_seconds)


def refresh_history(tick, asked=None) -> dict:
    """Uptime, latency and incidents per service, and the metrics' trends, from the 7-day history
    (sampled once per interval by one process of all; read once per few seconds per process)."""
    current = runtime.current()
    history = current.history
    now = current.clock.now()
    # Known without probing: a probe here would race the tile's own (refresh_system) for the
    # single-flight, and the loser would draw the check before.
    kept = watched(current.services)
    if history is None:  # an app built without one (never by create_app)
        return {"services": {tile: None for tile in SERVICES}, "trends": None}
    view = history.view(kept)
    by_name = {found.service: found for found in view.services}
    return {
        "services": {
            tile: service_history_block(by_name.get(name), now=now, tile=tile, error=view.error)
            for name, tile in SERVICE_TILES.items()
        },
        "trends": trends_block(view),
    }


def _per_tile(tiles, suffix: str, prop: str) -> dict:
    return {tile: Output(f"{tile}-{suffix}", prop) for tile in tiles}


SERVICES = tuple(SERVICE_TILES.values())
OUTPUTS = {
    "classes": _per_tile(SERVICES + OTHER_TILES, "card", "className"),
    "status": _per_tile(SERVICES, "status", "children"),
    "badges": _per_tile(SERVICES, "status", "className"),
    "bodies": _per_tile(SERVICES + OTHER_TILES, "body", "children"),
    "freshness": freshness_output(ids.PAGE),
}


def refresh_system(tick, refresh_seconds, asked=None) -> dict:
    current = runtime.current()
    seconds, _ = parse_refresh(None if refresh_seconds is None else str(refresh_seconds))
    view = system_view(
        current.services,
        version=current.version,
        started_at=current.started_at,
        refresh_seconds=seconds,
        default_refresh_seconds=current.settings.refresh_seconds,
    )
    parts = build_system(view, now=runtime.current().clock.now())
    return {
        **parts,
        "status": {tile: text for tile, (text, _) in parts["status"].items()},
        "badges": {tile: badge for tile, (_, badge) in parts["status"].items()},
    }


# The page checks on its own timer (faster than the others'); the navbar's "Refresh" asks at once,
# and its interval picker sets this timer (assets/dashboard.js, followPicker).
dash.callback(
    Output(ids.SCREENS_BODY, "children"), Input(ids.INTERVAL, "n_intervals"), Input("refresh-now", "n_clicks")
)(refresh_screens)
activity_callback(ids.PAGE, limit=12)
dash.clientside_callback(
    ClientsideFunction("dashboard", "followPicker"),
    Output(ids.INTERVAL, "interval"),
    Output(ids.CADENCE, "children"),
    Input("refresh-picker", "value"),
    State("app-config", "data"),
    prevent_initial_call=True,
)
dash.callback(
    output={"services": _per_tile(SERVICES, "history", "children"), "trends": Output(ids.TRENDS, "children")},
    inputs={"tick": Input(ids.INTERVAL, "n_intervals"), "asked": Input("refresh-now", "n_clicks")},
)(refresh_history)
dash.callback(
    output=OUTPUTS,
    inputs={"tick": Input(ids.INTERVAL, "n_intervals"), "asked": Input("refresh-now", "n_clicks")},
    state={"refresh_seconds": State(ids.REFRESH, "data")},
    running=disabled_while_running(ids.INTERVAL),
)(refresh_system)
