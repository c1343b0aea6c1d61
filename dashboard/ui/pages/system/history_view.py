"""Pure view builders of the System page's history: per service, uptime over 24 h and 7 d, a
latency sparkline and the incidents; the orchestrator's metrics as trends.

An unmeasured figure is "—" with its reason, and a figure measured over part of its window says
how much: an uptime of 100 % over the last ten minutes is not a day's uptime.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable, Optional

from dash import html

from dashboard.charts.sparkline import data_uri, sparkline_svg
from dashboard.domain.history import DAY, Incident, ServiceHistory, Uptime, median
from dashboard.services.history import HistoryView
from dashboard.ui.components.durations import format_duration, moment_text
from dashboard.ui.pages.system.view import format_rate

SHOWN_INCIDENTS = 3
WELL_MEASURED = 0.95
"""Below this share of its window measured, an uptime says how much it covers."""

TRENDS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("queue_size", "Queue size", lambda v: f"{v:,.0f}"),
    ("active_tasks", "Active tasks", lambda v: f"{v:,.0f}"),
    ("success_rate", "Success rate", format_rate),
    ("api_latency_ms", "API latency", lambda v: f"{v:,.0f} ms"),
)
"""The orchestrator metrics drawn as trends, with how each value reads."""


def uptime_text(uptime: Uptime) -> tuple[str, Optional[str]]:
    """("99.8 %", "measured 40 % of the 24 h") or ("—", "no checks recorded yet")."""
    if uptime.healthy_share is None:
        return "—", "no checks recorded in this window yet"
    share = uptime.healthy_share * 100
    # 99.95 % must not read as 100 %: only a window without a failed check says 100.
    text = "100 %" if uptime.healthy_share >= 1 else f"{min(share, 99.99):.2f} %".replace(".00 %", " %")
    window = "24 h" if uptime.window_seconds <= DAY else "7 d"
    if uptime.measured_share < WELL_MEASURED:
        covered = format_duration(uptime.measured_share * uptime.window_seconds)
        return text, f"measured for {covered} of the {window}"
    return text, None


def _uptime_stat(label: str, uptime: Uptime, stat_id: str) -> html.Div:
    text, note = uptime_text(uptime)
    children = [
        html.Div(label, className="system-stat-label"),
        html.Div(text, id=stat_id, className="system-stat-value"),
    ]
    if note:
        children.append(html.Div(note, className="system-stat-note"))
    return html.Div(children, className="system-stat")


def incident_line(incident: Incident, now: datetime) -> html.Li:
    word = "Down" if incident.status == "down" else "Unhealthy"
    start = moment_text(incident.started, now)
    if incident.ended is None:
        span = f"since {start} (for {format_duration((now - incident.started).total_seconds())})"
    else:
        lasted = format_duration((incident.ended - incident.started).total_seconds())
        span = f"{start} → {moment_text(incident.ended, now)} ({lasted})"
    return html.Li(
        [html.Strong(word), f" {span}", html.Span(f" · {incident.error}", className="system-incident-error")],
        className="system-incident" + (" system-incident--ongoing" if incident.ongoing else ""),
    )


def service_history_block(
    history: Optional[ServiceHistory], *, now: datetime, tile: str, error: Optional[str]
) -> html.Div:
    """The history part of one service's tile."""
    if error:
        return html.Div(html.P(f"History: {error}.", className="system-past-error mb-0"), className="system-history")
    if history is None:
        return html.Div(
            html.P("History: not kept for a service that is not configured.", className="system-past-error mb-0"),
            className="system-history",
        )
    latencies = [value for _, value in history.latency if value is not None]
    children: list = [
        html.Div(
            [
                _uptime_stat("Uptime 24 h", history.uptime_day, f"{tile}-uptime-day"),
                _uptime_stat("Uptime 7 d", history.uptime_week, f"{tile}-uptime-week"),
            ],
            className="system-stats system-stats--pair",
        )
    ]
    if latencies:
        summary = f"median {median(latencies):,.0f} ms, highest {max(latencies):,.0f} ms"
        children.append(
            html.Figure(
                [
                    html.Img(
                        src=data_uri(sparkline_svg([v for _, v in history.latency], failed=history.failed)),
                        alt=f"Latency over the last 24 hours: {summary}",
                        className="system-sparkline",
                        id=f"{tile}-latency",
                    ),
                    html.Figcaption(f"Latency, last 24 h · {summary}", className="system-stat-note"),
                ],
                className="system-spark mb-0 mt-2",
            )
        )
    incidents = history.incidents
    if incidents:
        lines = [incident_line(incident, now) for incident in incidents[:SHOWN_INCIDENTS]]
        more = len(incidents) - SHOWN_INCIDENTS
        if more > 0:
            lines.append(html.Li(f"and {more} earlier", className="system-incident system-incident--more"))
        children.append(html.Div("Incidents, 7 d", className="system-stat-label mt-2"))
        children.append(html.Ul(lines, className="system-incidents", id=f"{tile}-incidents"))
    elif history.samples:
        children.append(
            html.P("No incidents in the checks kept.", className="system-past-error mt-2 mb-0", id=f"{tile}-incidents")
        )
    return html.Div(children, className="system-history mt-2")


def trends_block(view: HistoryView) -> html.Div | html.P:
    """The orchestrator's metrics over the last 24 h, one sparkline each, with the latest value."""
    if view.error:
        return html.P(f"Trends: {view.error}.", className="system-past-error mb-0")
    cells = []
    for name, label, shown in TRENDS:
        found = view.metrics.get(name)
        if found is None or found.latest is None or found.low is None or found.high is None:
            continue
        span = f"range {shown(found.low)}–{shown(found.high)}"
        cells.append(
            html.Div(
                [
                    html.Div(label, className="system-stat-label"),
                    html.Img(
                        src=data_uri(sparkline_svg(found.slots, width=160, height=32)),
                        alt=f"{label} over the last 24 hours: latest {shown(found.latest)}, {span}",
                        className="system-sparkline",
                    ),
                    html.Div(f"latest {shown(found.latest)} · {span}", className="system-stat-note"),
                ],
                className="system-trend",
            )
        )
    if not cells:
        return html.P(
            f"Trends appear after the first samples (one every {view.interval:g} s).",
            className="system-past-error mb-0",
            id="system-trends-empty",
        )
    return html.Div(
        [html.Div("Last 24 h", className="system-stat-label mb-1"), html.Div(cells, className="system-trends")],
        id="system-trends",
    )


__all__ = ["incident_line", "service_history_block", "trends_block", "uptime_text"]
