"""The activity feed's card (services/activity.py): the same entries on the Overview's side panel,
the System page and the Activity page (a wallboard view); each page calls `activity_callback`
with its own ids and its own number of entries.

The list refreshes when the data sets it is made of change (the live channel) or on the page's
timer. Its times are moments ("14:05 UTC", "Dec 03 14:05 UTC"), not ages: a live screen may keep
the list for hours without a refresh, and "2 min ago" would stay "2 min ago".
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, html

from dashboard.services.activity import KINDS, ActivityFeed, activity_feed
from dashboard.services.history import watched
from dashboard.ui.components.callbacks import REFRESH_INTERVAL
from dashboard.ui.components.durations import moment_text
from dashboard.ui.components.live import live_inputs
from dashboard.ui.components.tiles import skeleton_lines
from dashboard.web import runtime

TONES = {
    "create": "added",
    "update": "edited",
    "undo": "edited",
    "redo": "edited",
    "generated": "content",
    "scheduled": "content",
    "published": "content",
    "down": "failed",
    "unhealthy": "failed",
    "up": "ok",
}
"""Each kind -> its badge's colour class (activity-kind--<tone>)."""


def list_id(prefix: str) -> str:
    return f"{prefix}-activity-list"


def activity_card(prefix: str, *, title: str = "Activity", lines: int = 6, more: bool = True) -> dbc.Card:
    """The card: a title, a link to the whole feed (`more`), and the list, loading."""
    header = [html.Span(title, className="tile-title")]
    if more:
        header.append(dbc.NavLink("All activity →", href=dash.get_relative_path("/activity"), className="small p-0"))
    return dbc.Card(
        [
            dbc.CardHeader(header, className="d-flex justify-content-between align-items-baseline"),
            dbc.ListGroup(skeleton_lines(lines), id=list_id(prefix), flush=True, className="activity-list"),
        ],
        id=f"{prefix}-activity-card",
        className="tile activity-card",
    )


def activity_items(feed: ActivityFeed, now: datetime, *, limit: int) -> list:
    """The entries as list items, newest first, then a line per part that could not be read."""
    items: list = []
    for entry in feed.entries[:limit]:
        text: list = [html.Span(entry.text, className="activity-text")]
        # A moment, not an age: a live screen may show the list for hours without a refresh.
        meta = [
            html.Span(moment_text(entry.at, now), title=f"{entry.at:%Y-%m-%d %H:%M:%S} UTC", className="activity-when")
        ]
        if entry.who:
            meta.append(html.Span(f" · {entry.who}", className="activity-who"))
        body = html.A(text, href=dash.get_relative_path(entry.link)) if entry.link else html.Span(text)
        items.append(
            dbc.ListGroupItem(
                [
                    html.Span(
                        KINDS.get(entry.kind, entry.kind),
                        className=f"activity-kind activity-kind--{TONES.get(entry.kind, 'edited')}",
                    ),
                    html.Div([body, html.Div(meta, className="activity-meta")], className="activity-body"),
                ],
                className="activity-item",
            )
        )
    if not feed.entries:
        items.append(
            dbc.ListGroupItem(
                "Nothing has happened yet: edits, posts and outages appear here as they happen.",
                className="activity-empty text-secondary",
            )
        )
    for missing in feed.missing:
        items.append(dbc.ListGroupItem(f"Not shown: {missing}.", className="activity-missing small"))
    return items


def refresh_activity(limit: int) -> list:
    current = runtime.current()
    services = current.services
    history = current.history.view(watched(services)) if current.history is not None else None
    now = current.clock.now()
    # The entries' paths are without the prefix: activity_items adds it (dash.get_relative_path).
    return activity_items(activity_feed(services, history, now=now, limit=limit), now, limit=limit)


def activity_callback(prefix: str, *, limit: int, interval: Optional[str] = None) -> None:
    """Declare the list's callback: on load, on the page's timer, on its data sets' changes."""

    def refresh(*_triggers) -> list:
        return refresh_activity(limit)

    dash.callback(
        Output(list_id(prefix), "children"),
        Input(interval or REFRESH_INTERVAL, "n_intervals"),
        Input("refresh-now", "n_clicks"),
        *live_inputs("achievements", "posts", "health"),
    )(refresh)


__all__ = ["activity_callback", "activity_card", "activity_items", "list_id"]
