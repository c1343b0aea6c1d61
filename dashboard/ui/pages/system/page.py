"""System health: each service's status and history, the orchestrator's metrics, the cache and
this dashboard.

The page polls on its own interval (`?refresh=`, default and floor 5 s) rather than the root
one, and its health checks are at most a couple of seconds old, so a service that goes down
turns its tile red within one tick. One callback fills the page per tick.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html

from dashboard.domain.actors import Role
from dashboard.domain.models import Fresh, SystemMetrics
from dashboard.services.system import (
    CacheStatus,
    DashboardInfo,
    ServiceStatus,
    SystemView,
    parse_refresh,
    system_view,
)
from dashboard.ui.components.tiles import epoch_ms, freshness_entry, freshness_line, freshness_store, tile_state
from dashboard.web import auth, runtime

dash.register_page(__name__, path="/system", name="System", title="System health · Threads-Agent", order=4)

PAGE = "system"
SERVICE_TILES = {
    "achievement-collector": "system-achievements",
    "orchestrator": "system-orchestrator",
    "tech-doc-generator": "system-techdoc",
}
OTHER_TILES = ("system-metrics", "system-cache", "system-dashboard")
STATUS_LABELS = {
    "healthy": "Healthy",
    "unhealthy": "Unhealthy",
    "down": "Down",
    "not configured": "Not configured",
}
LEVELS = {"healthy": "healthy", "unhealthy": "failing", "down": "failing", "not configured": "off"}
"""Status -> the tile's colour: green, red, or grey for nothing to check."""
BADGES = {"healthy": "text-bg-success", "failing": "text-bg-danger", "off": "text-bg-secondary"}
SOURCE_NOTES = {
    "achievement-collector": "the embedded store serves achievements",
    "orchestrator": "the embedded store serves posts and metrics",
    "tech-doc-generator": "tech-doc analytics are shown as not available",
}


def layout(refresh: Optional[str] = None, **_query):
    seconds, problem = parse_refresh(refresh)
    cadence = f"Checks every {seconds} s" + (f" ({problem})" if problem else "")
    return html.Div(
        [
            html.Div(
                [
                    html.H1("System health"),
                    html.Span(cadence, id="system-cadence", className="system-cadence"),
                ],
                className="page-header",
            ),
            dcc.Interval(id="system-interval", interval=seconds * 1000),
            dcc.Store(id="system-refresh", data=seconds),
            freshness_store(PAGE),
            dbc.Row(
                [dbc.Col(_service_card(tile, name), md=4) for name, tile in SERVICE_TILES.items()],
                className="g-3 mb-3",
            ),
            dbc.Row(
                [
                    dbc.Col(_card("system-metrics", "Orchestrator metrics"), lg=5),
                    dbc.Col(_card("system-cache", "Cache"), lg=4, md=7),
                    dbc.Col(_card("system-dashboard", "This dashboard"), lg=3, md=5),
                ],
                className="g-3",
            ),
            dbc.Card(
                [
                    dbc.CardHeader("Wallboard screens", className="tile-title"),
                    dbc.CardBody(html.Div("No screen has reported yet.", id="system-screens-body")),
                ],
                className="tile mt-3",
            ),
        ]
    )


@callback(
    Output("system-screens-body", "children"),
    Input("system-interval", "n_intervals"),
)
def refresh_screens(_tick):
    """Wallboards opened with ?screen=<id>, and when each last refreshed: a dead TV shows here.
    Admins only, as `/api/screens`: the names say where screens hang and what they show."""
    if not auth.current_actor().may(Role.ADMIN):
        return html.P(
            "Only admins see the list of screens.",
            className="text-secondary small mb-0",
            id="system-screens-admins-only",
        )
    current = runtime.current()
    registry = current.screens
    beats = registry.all() if registry is not None else []
    if not beats:
        return html.P(
            ["No screen has reported yet. Open a wallboard with ", html.Code("?screen=<name>"), "."],
            className="text-secondary small mb-0",
        )
    now = registry.clock()
    silent_after = 3 * current.settings.refresh_seconds
    rows = []
    for beat in beats:
        age = beat.age(now)
        state = "silent" if age > silent_after else beat.state
        rows.append(
            html.Tr(
                [
                    html.Td(beat.screen),
                    html.Td(beat.page),
                    html.Td(f"{format_duration(age)} ago"),
                    html.Td(state, className=f"screen-state screen-state--{state}"),
                ],
                className=f"screen-row screen-row--{state}",
            )
        )
    return dbc.Table(
        [
            html.Thead(html.Tr([html.Th("Screen"), html.Th("Page"), html.Th("Last refresh"), html.Th("State")])),
            html.Tbody(rows),
        ],
        size="sm",
        className="mb-0 small screens-table",
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
            dbc.CardBody(html.Div(id=f"{tile}-body"), className="pt-2"),
            dbc.CardFooter(freshness_line(tile), className="system-footer"),
        ],
        id=f"{tile}-card",
        className="tile h-100 system-tile system-tile--off",
    )


def _card(tile: str, title: str) -> dbc.Card:
    return dbc.Card(
        [
            dbc.CardHeader(html.Span(title, className="tile-title")),
            dbc.CardBody(html.Div(id=f"{tile}-body"), className="pt-2"),
            dbc.CardFooter(freshness_line(tile), className="system-footer"),
        ],
        id=f"{tile}-card",
        className="tile h-100 system-tile system-tile--off",
    )


@callback(
    [Output(f"{tile}-card", "className") for tile in SERVICE_TILES.values()]
    + [Output(f"{tile}-status", "children") for tile in SERVICE_TILES.values()]
    + [Output(f"{tile}-status", "className") for tile in SERVICE_TILES.values()]
    + [Output(f"{tile}-body", "children") for tile in SERVICE_TILES.values()]
    + [Output(f"{tile}-card", "className") for tile in OTHER_TILES]
    + [Output(f"{tile}-body", "children") for tile in OTHER_TILES]
    + [Output({"type": "freshness-data", "page": PAGE}, "data")],
    Input("system-interval", "n_intervals"),
    State("system-refresh", "data"),
    # A tick that arrives while this runs is dropped rather than queued behind it.
    running=[(Output("system-interval", "disabled"), True, False)],
)
def refresh_system(_tick, refresh_seconds):
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
    tiles = list(SERVICE_TILES.values())
    return (
        [parts["classes"][t] for t in tiles]
        + [parts["status"][t][0] for t in tiles]
        + [parts["status"][t][1] for t in tiles]
        + [parts["bodies"][t] for t in tiles]
        + [parts["classes"][t] for t in OTHER_TILES]
        + [parts["bodies"][t] for t in OTHER_TILES]
        + [parts["freshness"]]
    )


def build_system(view: SystemView, *, now: datetime) -> dict:
    """Every tile's class, badge and body from the view; no I/O, so it is unit-testable."""
    classes: dict[str, str] = {}
    status: dict[str, tuple[str, str]] = {}
    bodies: dict = {}
    freshness: dict = {}

    by_name = {s.service: s for s in view.services.value or []}
    for name, tile in SERVICE_TILES.items():
        found = by_name.get(name)
        freshness[tile] = freshness_entry(view.services)
        if found is None:
            classes[tile] = _classes(view.services, "failing")
            status[tile] = ("Unknown", "badge text-bg-danger")
            bodies[tile] = html.P(
                f"No health check: {view.services.error or 'not loaded'}", className="system-error mb-0"
            )
            continue
        level = LEVELS.get(found.status, "failing")
        classes[tile] = _classes(view.services, level)
        label = STATUS_LABELS.get(found.status, found.status)
        if found.source == "embedded":
            label = "Embedded store" if found.status == "healthy" else f"Embedded store {label.lower()}"
        status[tile] = (label, f"badge {BADGES[level]}")
        bodies[tile] = service_body(found, now)

    classes["system-metrics"] = _classes(view.metrics, "healthy" if view.metrics.value is not None else "failing")
    bodies["system-metrics"] = metrics_body(view.metrics, view.metrics_source)
    freshness["system-metrics"] = freshness_entry(view.metrics)

    checked = Fresh(value=True, fetched_at=now)
    classes["system-cache"] = _classes(checked, "healthy" if view.cache.reachable else "failing")
    bodies["system-cache"] = cache_body(view.cache, now)
    freshness["system-cache"] = freshness_entry(checked)

    classes["system-dashboard"] = _classes(checked, "healthy")
    bodies["system-dashboard"] = dashboard_body(view.dashboard)
    freshness["system-dashboard"] = freshness_entry(checked)
    freshness["_updated"] = epoch_ms(now)
    return {"classes": classes, "status": status, "bodies": bodies, "freshness": freshness}


def _classes(fresh: Fresh, level: str) -> str:
    return f"tile h-100 system-tile tile--{tile_state(fresh)} system-tile--{level}"


def service_body(status: ServiceStatus, now: datetime) -> html.Div:
    if status.source == "http":
        source = status.url or "configured"
    else:
        source = f"{status.env_var} not set: {SOURCE_NOTES.get(status.service, 'not checked')}"
    facts = [("Source", source)]
    if status.source == "http":
        facts.append(("Last check", _latency(status)))
    if status.version:
        facts.append(("Version", status.version))
    if status.source != "not configured":
        facts.append(("Last success", _moment(status.last_success, now)))
        facts.append(("Last error", _moment(status.last_error, now)))
    children = [_facts(facts)]
    # Backend text is shown as plain text, never as markup.
    if status.status not in ("healthy", "not configured") and status.detail:
        children.append(html.P(status.detail, className="system-error mt-2 mb-0"))
    elif status.last_error and status.last_error_text:
        children.append(html.P(f"Last error: {status.last_error_text}", className="system-past-error mt-2 mb-0"))
    return html.Div(children)


def metrics_body(metrics: Fresh[SystemMetrics], source: str) -> html.Div:
    origin = (
        "From the orchestrator's /metrics/summary"
        if source == "orchestrator"
        else "From the embedded store (ORCHESTRATOR_URL not set)"
    )
    if metrics.value is None:
        return html.Div(
            [
                html.P(f"No metrics: {metrics.error or 'not loaded'}", className="system-error"),
                html.Small(origin, className="text-secondary"),
            ]
        )
    m = metrics.value
    stats = [
        ("Queue size", f"{m.queue_size:,}", "system-metrics-queue"),
        ("Active tasks", f"{m.active_tasks:,}", "system-metrics-active"),
        ("Success rate", format_rate(m.success_rate), "system-metrics-success"),
        ("Completed today", f"{m.completed_today:,}", "system-metrics-completed"),
        (
            "Avg processing",
            "—" if m.avg_processing_time_s is None else f"{m.avg_processing_time_s:.1f} s",
            "system-metrics-processing",
        ),
        ("API latency", "—" if m.api_latency_ms is None else f"{m.api_latency_ms:,.0f} ms", "system-metrics-latency"),
    ]
    children = [
        html.Div(
            [
                html.Div(
                    [
                        html.Div(label, className="system-stat-label"),
                        html.Div(value, id=stat_id, className="system-stat-value"),
                    ],
                    className="system-stat",
                )
                for label, value, stat_id in stats
            ],
            className="system-stats",
        )
    ]
    health = m.services_health
    if health.details:
        children.append(
            html.Div(
                [
                    html.Span(
                        f"Services it watches: {health.healthy} / {health.total} healthy",
                        className="system-stat-label me-2",
                    )
                ]
                + [
                    html.Span(
                        f"{name}: {state}",
                        className="badge rounded-pill "
                        + ("border text-body bg-body-secondary" if state == "healthy" else "text-bg-warning"),
                    )
                    for name, state in sorted(health.details.items())
                ],
                className="system-watched mt-3",
            )
        )
    if m.ai_metrics:
        children.append(html.Div([html.Div(line) for line in ai_lines(m.ai_metrics)], className="system-ai mt-2"))
    children.append(html.Small(origin, className="text-secondary d-block mt-2"))
    return html.Div(children)


def cache_body(cache: CacheStatus, now: datetime) -> html.Div:
    if cache.backend == "redis":
        backend = "Redis (shared by every worker and replica)"
        if cache.reachable:
            reachable = f"yes · ping {cache.ping_ms:.1f} ms" if cache.ping_ms is not None else "yes"
        else:
            reachable = "no"
    else:
        backend = "In-process (this worker only; set REDIS_URL to share)"
        reachable = "yes (in this process)"
    stats = cache.stats
    ratio = cache.hit_ratio
    served = stats.get("hits", 0) + stats.get("stale_served", 0)
    facts = [
        ("Backend", backend),
        ("Reachable", reachable),
        ("Hit ratio", "—" if ratio is None else f"{ratio:.0%}"),
        (
            "Reads",
            f"{served:,} from cache · {stats.get('fetches', 0):,} fetched · {stats.get('fetch_errors', 0):,} failed",
        ),
        ("Keys", "—" if cache.keys is None else f"{cache.keys:,} ({len(cache.data_sets)} data sets)"),
        ("Fresh for", f"{cache.ttl_seconds:g} s"),
    ]
    children = [
        _facts(facts),
        html.Small("Counts are this worker's since it started.", className="text-secondary d-block mt-1"),
    ]
    if cache.error:
        children.append(html.P(cache.error, className="system-error mt-2 mb-0"))
    if cache.data_sets:
        children.append(
            html.Ul(
                [
                    html.Li(
                        [html.Code(d.key), " ", _age_text(d.fetched_at, now)]
                        + ([html.Span(f" · {d.error}", className="system-error")] if d.error else [])
                    )
                    for d in cache.data_sets
                ],
                className="system-datasets mt-2 mb-0",
            )
        )
    return html.Div(children)


def dashboard_body(info: DashboardInfo) -> html.Div:
    return html.Div(
        _facts(
            [
                ("Version", info.version),
                ("Uptime", format_duration(info.uptime_seconds)),
                ("Started", f"{info.started_at:%Y-%m-%d %H:%M:%S} UTC"),
                ("This page", f"refreshes every {info.refresh_seconds} s"),
                ("Other pages", f"refresh every {info.default_refresh_seconds} s"),
                ("Health checks", f"at most {info.health_max_age_seconds:g} s old"),
                ("Data", f"fresh for {info.cache_ttl_seconds:g} s"),
            ]
        )
    )


# Formatting -----------------------------------------------------------------------------------


def _facts(pairs: list[tuple[str, object]]) -> html.Dl:
    items = []
    for label, value in pairs:
        items += [html.Dt(label), html.Dd(value)]
    return html.Dl(items, className="system-facts")


def _latency(status: ServiceStatus) -> str:
    if status.latency_ms is None:
        return "—"
    if status.status == "down":
        return f"no answer after {status.latency_ms:,.0f} ms"
    return f"answered in {status.latency_ms:,.0f} ms"


def _moment(moment: Optional[datetime], now: datetime) -> str:
    if moment is None:
        return "none recorded"
    when = f"{moment:%H:%M:%S} UTC" if moment.date() == now.date() else f"{moment:%b %d, %H:%M} UTC"
    return f"{when} · {format_duration((now - moment).total_seconds())} ago"


def _age_text(moment: Optional[datetime], now: datetime) -> str:
    if moment is None:
        return "never loaded"
    return f"fetched {format_duration((now - moment).total_seconds())} ago"


def format_duration(seconds: float) -> str:
    """12 s, 4 min, 3 h 05 min, 2 d 4 h."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s} s"
    minutes = s // 60
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{hours // 24} d {hours % 24} h"


def format_rate(rate: Optional[float]) -> str:
    """The success rate as a percentage; the orchestrator sends a ratio (0.973)."""
    if rate is None:
        return "—"
    # A value above 1 can only already be a percentage.
    percent = rate * 100 if rate <= 1 else rate
    return f"{percent:.1f} %"


def ai_lines(ai: dict, limit: int = 6) -> list[str]:
    """The orchestrator's free-form ai_metrics as short lines: the plain values first, then one
    line per entry of a nested table (e.g. per model)."""
    scalars = [f"{_humanize(k)} {_number(v)}" for k, v in sorted(ai.items()) if not isinstance(v, (dict, list))]
    lines = ["AI: " + " · ".join(scalars)] if scalars else []
    for key, value in sorted(ai.items()):
        if not isinstance(value, dict):
            continue
        for name, inner in sorted(value.items(), key=lambda item: str(item[0])):
            if isinstance(inner, dict):
                text = " · ".join(
                    f"{_humanize(k)} {_number(v)}" for k, v in inner.items() if not isinstance(v, (dict, list))
                )
            else:
                text = _number(inner)
            lines.append(f"{_humanize(key)} · {name}: {text}")
    return lines[:limit]


def _humanize(key: str) -> str:
    return key.replace("_", " ")


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)[:60]
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
