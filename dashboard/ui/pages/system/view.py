"""Pure view builders of the System page: a SystemView in, every tile's class, badge and body out."""

from __future__ import annotations

from datetime import datetime
from typing import Optional, Sequence

import dash_bootstrap_components as dbc
from dash import html
from dash.development.base_component import Component

from dashboard.domain.models import Fresh, SystemMetrics
from dashboard.services.system import CachedDataSet, CacheStatus, DashboardInfo, ServiceStatus, SystemView
from dashboard.ui.components.durations import format_duration
from dashboard.ui.components.tiles import freshness_payload, tile_state
from dashboard.ui.pages.system import ids
from dashboard.ui.pages.system.ai_words import AiWords, ai_words

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


def build_system(view: SystemView, *, now: datetime) -> dict:
    """Every tile's class, badge and body from the view; no I/O, so it is unit-testable."""
    classes: dict[str, str] = {}
    status: dict[str, tuple[str, str]] = {}
    bodies: dict = {}
    read_from: dict[str, Fresh] = {}

    by_name = {s.service: s for s in view.services.value or []}
    for name, tile in ids.SERVICE_TILES.items():
        found = by_name.get(name)
        read_from[tile] = view.services
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

    classes[ids.METRICS] = _classes(view.metrics, "healthy" if view.metrics.value is not None else "failing")
    bodies[ids.METRICS] = metrics_body(view.metrics, view.metrics_source)
    read_from[ids.METRICS] = view.metrics

    checked = Fresh(value=True, fetched_at=now)
    classes[ids.CACHE] = _classes(checked, "healthy" if view.cache.reachable else "failing")
    bodies[ids.CACHE] = cache_body(view.cache, now)
    read_from[ids.CACHE] = checked

    classes[ids.DASHBOARD] = _classes(checked, "healthy")
    bodies[ids.DASHBOARD] = dashboard_body(view.dashboard)
    read_from[ids.DASHBOARD] = checked
    return {"classes": classes, "status": status, "bodies": bodies, "freshness": freshness_payload(now, read_from)}


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
    children: list[html.Dl | html.P] = [_facts(facts)]
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
    children: list[html.Div | html.Small] = [
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
        children.append(ai_section(ai_words(m.ai_metrics)))
    children.append(html.Small(origin, className="text-secondary d-block mt-2"))
    return html.Div(children)


def ai_section(words: AiWords) -> html.Div:
    """The AI metrics as labelled values, and a small table per nested mapping (model usage)."""
    children: list[Component] = [html.Div("AI", className="system-stat-label mb-1")]
    if words.metrics:
        children.append(
            html.Dl(
                [part for metric in words.metrics for part in (html.Dt(metric.label), html.Dd(metric.value))],
                className="system-ai-metrics",
            )
        )
    for table in words.tables:
        rows = [html.Tr([html.Td(cell) for cell in row]) for row in table.rows]
        if table.more:
            rows.append(html.Tr(html.Td(f"and {table.more:,} more", colSpan=len(table.columns))))
        children.append(
            dbc.Table(
                [
                    html.Caption(table.title, className="caption-top"),
                    html.Thead(html.Tr([html.Th(column) for column in table.columns])),
                    html.Tbody(rows),
                ],
                size="sm",
                className="system-ai-table mb-0 mt-2",
            )
        )
    return html.Div(children, className="system-ai mt-3")


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
    children: list[html.Dl | html.Small | html.P | html.Ul] = [
        _facts(facts),
        html.Small("Counts are this worker's since it started.", className="text-secondary d-block mt-1"),
    ]
    if cache.error:
        children.append(html.P(cache.error, className="system-error mt-2 mb-0"))
    if cache.data_sets:
        children.append(
            html.Ul(
                [_data_set_line(d, now) for d in cache.data_sets],
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


def screens_table(beats: list, now: float, *, silent_after: float) -> html.P | dbc.Table:
    """Wallboards opened with ?screen=<id>, and when each last refreshed: a dead TV shows here.

    `now` is the screen registry's clock (epoch seconds), which stamped each beat.

    A screen silent for longer than `silent_after` seconds is marked silent whatever it said last.
    """
    if not beats:
        return html.P(
            ["No screen has reported yet. Open a wallboard with ", html.Code("?screen=<name>"), "."],
            className="text-secondary small mb-0",
        )
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


# Formatting -----------------------------------------------------------------------------------


def _data_set_line(data_set: CachedDataSet, now: datetime) -> html.Li:
    parts: list[str | Component] = [html.Code(data_set.key), " ", _age_text(data_set.fetched_at, now)]
    if data_set.error:
        parts.append(html.Span(f" · {data_set.error}", className="system-error"))
    return html.Li(parts)


def _facts(pairs: Sequence[tuple[str, str]]) -> html.Dl:
    items: list[html.Dt | html.Dd] = []
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


def format_rate(rate: Optional[float]) -> str:
    """The success rate as a percentage; the orchestrator sends a ratio (0.973)."""
    if rate is None:
        return "—"
    # A value above 1 can only already be a percentage.
    percent = rate * 100 if rate <= 1 else rate
    return f"{percent:.1f} %"
