"""A chart's CSV export: the rows the chart draws, under the filters of the page."""

from __future__ import annotations

from dash import ctx, dcc, no_update

from dashboard.services.analytics import CHARTS, export_csv, parse_filters
from dashboard.web import runtime


def export_chart(clicks, query):
    trigger = ctx.triggered_id
    # A button rebuilt with the page reports n_clicks None: only a real click exports.
    if not trigger or not ctx.triggered or not ctx.triggered[0].get("value"):
        return no_update
    key = trigger.get("chart")
    if key not in CHARTS:  # a button id the page never drew
        return no_update
    services = runtime.current().services
    filters, _ = parse_filters(query or {}, runtime.current().clock.now(), services.timezone)
    achievements = services.achievements().value or []
    performance = services.platform_performance().value if CHARTS[key].source == "performance" else None
    name, text = export_csv(key, achievements, performance, filters, runtime.current().clock.now(), services.currency)
    return dcc.send_string(text, name, type="text/csv")
